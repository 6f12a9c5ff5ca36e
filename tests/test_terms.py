"""``terms:`` in site.yaml: the archive grouped by term, a page per term, the term on a session."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from rgsite.build.builder import build
from rgsite.options import Options
from sitekit import SITE_YAML, write_site

TERMS = """\
terms:
  - {name: Winter 2023, start: 2023-01-09, end: 2023-01-31}
  - {name: Spring 2023, start: 2023-02-06, end: 2023-04-28}
"""
# Sessions on 21 Jan (Winter), 4 Feb (between terms) and 11 Feb (Spring).
SPRING = "---\ntitle: Spring opener\nspeakers: [ada]\n---\nFirst of spring.\n"


def built(tmp_path: Path, site_yaml: str = SITE_YAML + TERMS) -> Path:
    site = write_site(
        tmp_path / "site",
        changes={
            "content/site.yaml": site_yaml,
            "content/sessions/2023-02-11-spring.md": SPRING,
        },
    )
    build(Options(site=site, now=datetime(2023, 3, 1, tzinfo=UTC), cache=False))
    return site / "_site"


def headings(html: str) -> list[str]:
    return re.findall(r'<h3 class="year" id="([^"]+)"', html)


def test_the_archive_is_grouped_by_term_newest_first_and_by_year_outside_them(
    tmp_path: Path,
) -> None:
    html = (built(tmp_path) / "sessions/index.html").read_text()
    assert headings(html) == ["term-spring-2023", "year-2023", "term-winter-2023"]
    assert '<a href="/club/terms/spring-2023/">Spring 2023</a></h3>' in html
    spring, outside, winter = html.split('<h3 class="year"')[1:]
    assert "Spring opener" in spring and "Engines" in outside and "Lottery tickets" in winter


def test_without_terms_the_archive_is_by_year(tmp_path: Path) -> None:
    out = built(tmp_path, SITE_YAML)
    assert headings((out / "sessions/index.html").read_text()) == ["year-2023"]
    assert not (out / "terms").exists()


def test_a_term_has_a_page_with_its_sessions(tmp_path: Path) -> None:
    out = built(tmp_path)
    html = (out / "terms/winter-2023/index.html").read_text()
    assert "<h1>Winter 2023</h1>" in html
    assert "9 January 2023</time> to <time" in html and "31 January 2023" in html
    assert "Lottery tickets" in html and "Engines" not in html
    assert "Spring opener" in (out / "terms/spring-2023/index.html").read_text()
    sitemap = (out / "sitemap.xml").read_text()
    assert "https://example.org/club/terms/winter-2023/" in sitemap


def test_a_session_page_names_its_term(tmp_path: Path) -> None:
    out = built(tmp_path)
    html = (out / "sessions/2023-01-21-tickets/index.html").read_text()
    assert '<dt>Term</dt> <dd><a href="/club/terms/winter-2023/">Winter 2023</a></dd>' in html
    assert "<dt>Term</dt>" not in (out / "sessions/2023-02-04-engines/index.html").read_text()


def test_a_term_is_the_days_of_the_groups_time_zone(tmp_path: Path) -> None:
    # 31 January 2023, 22:00 in Edmonton is 1 February in UTC: still the winter term.
    late = "---\ntitle: Late one\ndate: 2023-01-31 22:00\n---\nLate.\n"
    site = write_site(
        tmp_path / "site",
        changes={
            "content/site.yaml": SITE_YAML + TERMS,
            "content/sessions/2023-01-31-late.md": late,
        },
    )
    build(Options(site=site, now=datetime(2023, 3, 1, tzinfo=UTC), cache=False))
    assert "Late one" in (site / "_site/terms/winter-2023/index.html").read_text()


def test_a_term_with_no_sessions_has_no_page(tmp_path: Path) -> None:
    later = "  - {name: Fall 2023, start: 2023-09-01, end: 2023-12-15}\n"
    out = built(tmp_path, SITE_YAML + TERMS + later)
    assert not (out / "terms/fall-2023").exists()
    assert "fall-2023" not in (out / "sessions/index.html").read_text()
