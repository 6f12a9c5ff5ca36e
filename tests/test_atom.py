"""feed.xml read back with feedparser; autodiscovery on every page; links made absolute."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from rgsite.cli import main
from rgsite.render.formats.atom import absolute_links
from sitekit import write_site

BASE = "https://example.org/ml-theory/"


@pytest.fixture(scope="module")
def example(example_site: Path) -> Path:
    return example_site


class Urls(HTMLParser):
    """Every URL attribute of a fragment, and the feed links of a page's head."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.feeds: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("href", "src"):
            if found.get(name):
                self.urls.append(str(found[name]))
        if tag == "link" and found.get("rel") == "alternate":
            self.feeds.append(found)


def parse(html: str) -> Urls:
    parser = Urls()
    parser.feed(html)
    return parser


def test_feed_parses_without_bozo_newest_first(example: Path) -> None:
    feed = feedparser.parse((example / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "ML Theory Reading Group"
    assert feed.feed.id == BASE
    assert any(link.rel == "self" and link.href == BASE + "feed.xml" for link in feed.feed.links)
    updated = [entry.updated_parsed for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)
    ids = [entry.id for entry in feed.entries]
    assert len(ids) == len(set(ids))
    sessions = [e for e in feed.entries if "/sessions/" in e.id]
    proposals = [e for e in feed.entries if "/proposals/" in e.id]
    assert len(proposals) == 10
    # Recaps only: the sessions after the build's moment are announcements, not recaps.
    assert {e.link for e in sessions} == {
        BASE + f"sessions/{slug}/"
        for slug in (
            "2022-10-22-first-meeting",
            "2022-11-05-proposals-and-vote",
            "2022-11-19-meta-learning-and-neural-ir",
            "2022-12-03-clip",
            "2022-12-17-year-end-pitches",
            "2023-01-07-first-meeting-of-2023",
            "2023-01-21-neural-operators",
            "2023-02-04-privacy-of-noisy-sgd",
        )
    }
    assert feed.entries[0].id == BASE + "sessions/2023-02-04-privacy-of-noisy-sgd/"
    for entry in feed.entries:
        assert entry.id == entry.link and entry.link.startswith(BASE)


def test_entries_carry_full_html_with_absolute_links(example: Path) -> None:
    feed = feedparser.parse((example / "feed.xml").read_bytes())
    by_id = {e.id: e for e in feed.entries}
    entry = by_id[BASE + "sessions/2023-01-07-first-meeting-of-2023/"]
    (content,) = entry.content
    assert content.type == "text/html"
    assert "<h2" in content.value and "lottery" in content.value
    noisy = by_id[BASE + "sessions/2023-02-04-privacy-of-noisy-sgd/"]
    assert [a.name for a in noisy.authors] == ["Ajinkya"]
    assert {t.term for t in noisy.tags} == {"privacy", "optimization"}
    assert noisy.summary == "Ajinkya presented on the privacy of noisy SGD."
    raw = (example / "feed.xml").read_text(encoding="utf-8")
    # feedparser resolves relative URLs itself; read the raw content to prove we did.
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    for element in ET.fromstring(raw).iter(f"{atom}content"):
        for url in parse(element.text or "").urls:
            assert url.startswith(("https://", "http://", "mailto:")), url


SUBJECTS = ("topics", "speakers", "kinds", "series")
"""Folders whose pages have a feed of their own beside the site's."""


def test_every_page_names_the_feed(example: Path) -> None:
    pages = sorted(example.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        if page.is_relative_to(example / "pagefind"):
            continue
        feeds = parse(page.read_text(encoding="utf-8")).feeds
        atom = [f for f in feeds if f.get("type") == "application/atom+xml"]
        own = page.parent.relative_to(example).as_posix()
        subject = own.count("/") == 1 and own.split("/")[0] in SUBJECTS
        expected = ["/ml-theory/feed.xml"] + ([f"/ml-theory/{own}/feed.xml"] if subject else [])
        assert [f.get("href") for f in atom] == expected, page


def test_absolute_links_rewrites_only_url_attributes() -> None:
    base = "https://example.org/g/sessions/x/"
    fragment = (
        '<p>Use <code>href="a.html"</code> as text, keep &amp; and &#8212;.</p>'
        '<a href="/g/papers/#p">paper</a> <a href="#top">top</a> <a href="https://o.org/">o</a>'
        '<img src="figure.svg" srcset="a.png 1x, b.png 2x" alt="A &lt;figure&gt;">'
        "<math><mi>x</mi></math><!-- note -->"
    )
    out = absolute_links(fragment, base)
    assert '<code>href="a.html"</code>' in out
    assert "keep &amp; and &#8212;." in out
    assert 'href="https://example.org/g/papers/#p"' in out
    assert 'href="https://example.org/g/sessions/x/#top"' in out
    assert 'href="https://o.org/"' in out
    assert 'src="https://example.org/g/sessions/x/figure.svg"' in out
    there = "https://example.org/g/sessions/x/"
    assert f'srcset="{there}a.png 1x, {there}b.png 2x"' in out
    assert 'alt="A &lt;figure&gt;"' in out
    assert "<math><mi>x</mi></math><!-- note -->" in out


def test_absolute_links_leave_comments_and_raw_text_alone() -> None:
    base = "https://example.org/g/sessions/x/"
    fragment = (
        '<!-- <a href="old.html"> --><a title="1 > 0" href="next.html">next</a>'
        "<style>p::after { content: \"<a href='s.css'>\"; }</style><img src='i.png' alt=\"\">"
        "<p>a < b and 2 > 1</p>"
    )
    out = absolute_links(fragment, base)
    assert out.startswith('<!-- <a href="old.html"> -->')
    assert '<a title="1 > 0" href="https://example.org/g/sessions/x/next.html">' in out
    assert "<a href='s.css'>\"; }</style>" in out
    assert "<img src='https://example.org/g/sessions/x/i.png' alt=\"\">" in out
    assert out.endswith("<p>a < b and 2 > 1</p>")


def test_markup_in_titles_is_escaped_and_a_path_base_url_still_parses(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        changes={
            "content/sessions/2023-01-21-tickets.md": (
                "---\ntitle: Q&A <script>alert(1)</script> ]]>\nspeakers: [ada]\n---\n"
                "See ![a figure](../../static/fig.png) and [notes](#notes).\n"
            ),
            "static/fig.png": "not really a png",
        },
    )
    assert main(["build", str(tmp_path), "--now", "2023-03-01T00:00-07:00", "--base-url", "/"]) == 0
    feed = feedparser.parse((tmp_path / "_site" / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    titles = [e.title for e in feed.entries]
    assert "Q&A <script>alert(1)</script> ]]>" in titles
    for entry in feed.entries:
        assert entry.id.startswith("urn:uuid:")
