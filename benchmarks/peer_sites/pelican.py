"""The generated archive as a Pelican site with the default theme (notmyidea).

- every session an article of category ``Sessions``: its topics as tags, its speakers
  as authors (so Pelican makes a page and an Atom and RSS feed per speaker), date from
  the file name at the meeting time, its papers listed with title, authors, year and
  TL;DR (looked up when converting: Pelican has no data files);
- every proposal an article of category ``Proposals`` (topics as tags, proposers as
  authors), with its status, votes and a ``{filename}`` link to its session;
- ``[[speaker:…]]`` as an ``{author}`` link and ``[[paper:…]]`` as a ``{filename}``
  link to the papers page, which Pelican resolves;
- a page per reading list, a papers page with the sessions that discussed each paper
  (``{filename}`` links), the about page;
- Pelican's defaults for the rest: index, archives, tags, categories and authors pages,
  pagination by 10, Atom feeds for everything, per category and per author, code
  highlighted by Pygments (``codehilite``) into CSS classes; math left as text.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from benchmarks.peer_sites.archive import LINK, Archive, Entry

SETTINGS = """\
AUTHOR = "Benchmark"
SITENAME = {title!r}
SITEURL = {site_url!r}
PATH = "content"
TIMEZONE = {timezone!r}
DEFAULT_LANG = "en"
ARTICLE_PATHS = ["sessions", "proposals"]
PAGE_PATHS = ["pages"]
DEFAULT_PAGINATION = 10
"""


def _links(archive: Archive, body: str) -> str:
    def replace(match: re.Match[str]) -> str:
        kind, ident = match[1], match[2]
        if kind == "speaker":
            return f"[{archive.speaker_name(ident)}]({{author}}{archive.speaker_name(ident)})"
        if kind == "paper":
            return f"[{archive.papers[ident]['title']}]({{filename}}/pages/papers.md#{ident})"
        return ident

    return LINK.sub(replace, body)


def _paper(archive: Archive, ident: str) -> str:
    paper = archive.papers[ident]
    authors = ", ".join(paper["authors"])
    return (
        f'<span id="{ident}"></span>[{paper["title"]}]({archive.paper_url(ident)}) '
        f"({authors}, {paper['year']}): {paper['tldr']}"
    )


def _metadata(**fields: str) -> str:
    return "".join(f"{key}: {value}\n" for key, value in fields.items()) + "\n"


def _session(archive: Archive, session: Entry) -> str:
    head = _metadata(
        Title=session.title,
        Date=f"{archive.day(session).isoformat()} {archive.time}",
        Category="Sessions",
        Tags=", ".join(session.names("topics")),
        Authors=", ".join(archive.speaker_name(s) for s in session.names("speakers")),
        Slug=session.id,
    )
    papers = "".join(f"- {_paper(archive, p)}\n" for p in session.names("papers"))
    return head + f"## Papers\n\n{papers}\n" + _links(archive, session.body)


def _proposal(archive: Archive, proposal: Entry) -> str:
    meta = proposal.meta
    head = _metadata(
        Title=proposal.title,
        Date=str(meta["date"]),
        Category="Proposals",
        Tags=", ".join(proposal.names("topics")),
        Authors=", ".join(archive.speaker_name(s) for s in proposal.names("proposed_by")),
        Slug=proposal.id,
    )
    lines = [f"*{meta['status']}*, {meta.get('votes', 0)} votes. {meta.get('tldr', '')}", ""]
    if meta.get("session"):
        title = archive.session_title(meta["session"])
        lines += [f"Presented at [{title}]({{filename}}/sessions/{meta['session']}.md).", ""]
    return head + "\n".join(lines) + "\n" + _links(archive, proposal.body)


def _papers_page(archive: Archive) -> str:
    discussed = archive.discussed()
    lines = []
    for ident in archive.papers:
        where = ", ".join(
            f"[{s.title}]({{filename}}/sessions/{s.id}.md)" for s in discussed.get(ident, [])
        )
        lines.append(f"- {_paper(archive, ident)}" + (f" Discussed at {where}." if where else ""))
    return _metadata(Title="Papers", Slug="papers") + "\n".join(lines) + "\n"


def _reading_page(archive: Archive, slug: str) -> str:
    reading = archive.lists[slug]
    lines = [str(reading.get("description", "")), ""]
    for section in reading["sections"]:
        lines += [f"## {section['title']}", ""]
        lines += [f"- {_paper(archive, str(item['id']))}" for item in section["items"]]
        lines.append("")
    return _metadata(Title=reading["title"], Slug=slug) + "\n".join(lines)


def convert(archive: Archive, root: Path) -> Path:
    """Write the Pelican site under ``root`` (emptied first); return ``root``."""
    shutil.rmtree(root, ignore_errors=True)
    content = root / "content"
    for folder in ("sessions", "proposals", "pages"):
        (content / folder).mkdir(parents=True)
    (root / "pelicanconf.py").write_text(
        SETTINGS.format(
            title=archive.title,
            site_url=archive.base_url.rstrip("/"),
            timezone=archive.timezone,
        )
    )
    for session in archive.sessions:
        (content / "sessions" / f"{session.id}.md").write_text(_session(archive, session))
    for proposal in archive.proposals:
        (content / "proposals" / f"{proposal.id}.md").write_text(_proposal(archive, proposal))
    (content / "pages" / "papers.md").write_text(_papers_page(archive))
    for slug in archive.lists:
        (content / "pages" / f"{slug}.md").write_text(_reading_page(archive, slug))
    for page in archive.pages:
        head = _metadata(Title=page.title, Slug=page.id)
        (content / "pages" / f"{page.id}.md").write_text(head + page.body)
    return root


def command(pelican: str, root: Path) -> list[str]:
    return [
        pelican,
        str(root / "content"),
        "-s",
        str(root / "pelicanconf.py"),
        "-o",
        str(root / "output"),
        "-q",
    ]


def clean(root: Path) -> None:
    for folder in ("output", "cache", "__pycache__"):
        shutil.rmtree(root / folder, ignore_errors=True)


def session_page(root: Path, session_id: str) -> Path:
    return root / "output" / f"{session_id}.html"


def output(root: Path) -> Path:
    return root / "output"
