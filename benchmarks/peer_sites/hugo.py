"""The generated archive as a Hugo site doing the work rgsite does, as far as Hugo can.

- every session a page of section ``sessions`` (front matter kept, date from the file
  name at the meeting time), rendered with its speakers' names and affiliations and its
  papers' titles, authors and TL;DRs looked up in data files (``data/speakers.yaml``,
  ``data/papers.yaml``), previous / next links, and an iCalendar file of its own;
- ``[[speaker:…]]`` and ``[[paper:…]]`` as shortcodes that look the name or title up in
  the same data files;
- taxonomies ``speakers`` and ``topics``: a page per speaker and per topic, each with an
  RSS feed and an iCalendar file of its sessions, and a list of each (Hugo adds an RSS
  feed to every section too);
- the sessions page by year, proposals by status (each linked to its session), a page
  per reading list with its BibTeX file, a papers page with the sessions that discussed
  each paper, a home page with the latest ten summaries and the open proposals;
- ``calendar.ics`` of every session (``index.ics``), a JSON search index of every page's
  text (``index.json``), the sitemap and RSS feeds Hugo makes by default;
- code highlighted by Chroma into CSS classes; math left as text.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from benchmarks.peer_sites.archive import LINK, Archive

LAYOUTS = Path(__file__).with_name("hugo_layouts")
CONFIG = """\
baseURL = "{base_url}"
title = "{title}"
languageCode = "en"
timeZone = "{timezone}"
disableKinds = []

[taxonomies]
  speaker = "speakers"
  topic = "topics"

[markup.highlight]
  noClasses = false

[mediaTypes."text/x-bibtex"]
  suffixes = ["bib"]

[outputFormats.BibTeX]
  mediaType = "text/x-bibtex"
  isPlainText = true

[outputs]
  home = ["HTML", "RSS", "JSON", "Calendar"]
  term = ["HTML", "RSS", "Calendar"]
"""


def _shortcodes(body: str) -> str:
    def replace(match: re.Match[str]) -> str:
        kind, ident = match[1], match[2]
        return f'{{{{< {kind} "{ident}" >}}}}' if kind in ("speaker", "paper") else ident

    return LINK.sub(replace, body)


def _front(meta: dict[str, object]) -> str:
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"


def convert(archive: Archive, root: Path) -> Path:
    """Write the Hugo site under ``root`` (emptied first); return ``root``."""
    shutil.rmtree(root, ignore_errors=True)
    content = root / "content"
    for folder in ("sessions", "proposals", "reading"):
        (content / folder).mkdir(parents=True)
    shutil.copytree(LAYOUTS, root / "layouts")
    (root / "data" / "lists").mkdir(parents=True)
    (root / "static" / "css").mkdir(parents=True)
    (root / "static" / "css" / "site.css").write_text("body { max-width: 48rem; }\n")
    (root / "config.toml").write_text(
        CONFIG.format(base_url=archive.base_url, title=archive.title, timezone=archive.timezone)
    )
    (root / "data" / "speakers.yaml").write_text(yaml.safe_dump(archive.speakers))
    (root / "data" / "papers.yaml").write_text(yaml.safe_dump(archive.papers))
    for slug, reading in archive.lists.items():
        (root / "data" / "lists" / f"{slug}.yaml").write_text(yaml.safe_dump(reading))
        meta = {"title": reading["title"], "list": slug, "outputs": ["HTML", "BibTeX"]}
        (content / "reading" / f"{slug}.md").write_text(_front(meta))
    (content / "reading" / "_index.md").write_text(_front({"title": "Reading lists"}))
    (content / "papers.md").write_text(_front({"title": "Papers", "layout": "papers"}))
    (content / "sessions" / "_index.md").write_text(_front({"title": "Sessions"}))
    (content / "proposals" / "_index.md").write_text(_front({"title": "Proposals"}))
    for session in archive.sessions:
        meta = {
            **session.meta,
            "date": f"{archive.day(session).isoformat()}T{archive.time}:00",
            "outputs": ["HTML", "Calendar"],
        }
        text = _front(meta) + _shortcodes(session.body)
        (content / "sessions" / f"{session.id}.md").write_text(text)
    for proposal in archive.proposals:
        meta = {**proposal.meta, "date": str(proposal.meta["date"])}
        (content / "proposals" / f"{proposal.id}.md").write_text(
            _front(meta) + _shortcodes(proposal.body)
        )
    for page in archive.pages:
        (content / f"{page.id}.md").write_text(_front(page.meta) + page.body)
    return root


def command(hugo: str, root: Path) -> list[str]:
    return [hugo, "--quiet", "--source", str(root), "--cacheDir", str(root / ".cache")]


def clean(root: Path) -> None:
    for folder in ("public", "resources", ".cache"):
        shutil.rmtree(root / folder, ignore_errors=True)


def session_page(root: Path, session_id: str) -> Path:
    return root / "public" / "sessions" / session_id / "index.html"


def output(root: Path) -> Path:
    return root / "public"
