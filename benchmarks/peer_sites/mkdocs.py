"""The generated archive as an MkDocs site: the default theme, a short nav, search.

MkDocs has no taxonomies or data files, so the converter writes every page rgsite would
make as Markdown, and MkDocs renders them and checks their links:

- a page per session (date, speakers and topics linked, papers with title, authors,
  year and TL;DR, the recap, previous / next), per speaker (affiliation, bio, sessions),
  per topic (sessions and proposals), per proposal (status, votes, its session) and per
  reading list; the sessions by year, speakers, topics, proposals by status, the reading
  lists, a papers page with the sessions that discussed each paper, a home page with
  the latest ten sessions and the open proposals;
- ``[[speaker:…]]`` and ``[[paper:…]]`` as relative ``.md`` links, which MkDocs
  resolves and validates (anchors included);
- a nav of eight entries, the search plugin (its index holds the text of every page),
  the sitemap MkDocs makes; code highlighted by Pygments through
  ``pymdownx.highlight`` (``codehilite`` when pymdown-extensions is missing) into CSS
  classes; math left as text.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from benchmarks.peer_sites.archive import LINK, Archive, Entry

CONFIG = """\
site_name: {title}
site_url: {base_url}
theme:
  name: mkdocs
  highlightjs: false
nav:
  - Home: index.md
  - Sessions: sessions/index.md
  - Speakers: speakers/index.md
  - Topics: topics/index.md
  - Proposals: proposals/index.md
  - Reading: reading/index.md
  - Papers: papers.md
  - About: about.md
plugins:
  - search
markdown_extensions:
  - toc:
      permalink: true
  - tables
  - footnotes
  - attr_list
{highlight}"""
PYMDOWNX = "  - pymdownx.highlight:\n      use_pygments: true\n  - pymdownx.superfences\n"
CODEHILITE = "  - fenced_code\n  - codehilite\n"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _links(archive: Archive, body: str) -> str:
    def replace(match: re.Match[str]) -> str:
        kind, ident = match[1], match[2]
        if kind == "speaker":
            return f"[{archive.speaker_name(ident)}](../speakers/{ident}.md)"
        if kind == "paper":
            return f"[{archive.papers[ident]['title']}](../papers.md#{ident})"
        return ident

    return LINK.sub(replace, body)


def _paper(archive: Archive, ident: str) -> str:
    paper = archive.papers[ident]
    return (
        f'<span id="{ident}"></span>[{paper["title"]}]({archive.paper_url(ident)}) '
        f"({', '.join(paper['authors'])}, {paper['year']}): {paper['tldr']}"
    )


def _row(archive: Archive, session: Entry, up: str) -> str:
    names = ", ".join(archive.speaker_name(s) for s in session.names("speakers"))
    return f"- [{session.title}]({up}sessions/{session.id}.md) {archive.day(session)} {names}"


def _session(archive: Archive, index: int) -> str:
    session = archive.sessions[index]
    speakers = ", ".join(
        f"[{archive.speaker_name(s)}](../speakers/{s}.md) ({archive.speakers[s]['affiliation']})"
        for s in session.names("speakers")
    )
    topics = ", ".join(f"[{t}](../topics/{_slug(t)}.md)" for t in session.names("topics"))
    lines = [f"# {session.title}", "", f"{archive.day(session)} {archive.time}", ""]
    lines += [f"Speakers: {speakers}", "", f"Topics: {topics}", "", "## Papers", ""]
    lines += [f"- {_paper(archive, p)}" for p in session.names("papers")]
    lines += ["", _links(archive, session.body), ""]
    if index > 0:
        before = archive.sessions[index - 1]
        lines.append(f"Previous: [{before.title}]({before.id}.md)  ")
    if index + 1 < len(archive.sessions):
        after = archive.sessions[index + 1]
        lines.append(f"Next: [{after.title}]({after.id}.md)")
    return "\n".join(lines) + "\n"


def _indexes(archive: Archive) -> dict[str, str]:
    """The list pages, by path under docs/."""
    pages: dict[str, str] = {}
    by_year: dict[int, list[str]] = {}
    for session in reversed(archive.sessions):
        by_year.setdefault(archive.day(session).year, []).append(_row(archive, session, "../"))
    pages["sessions/index.md"] = "# Sessions\n\n" + "".join(
        f"## {year}\n\n" + "\n".join(rows) + "\n\n" for year, rows in by_year.items()
    )
    spoken = archive.by_speaker()
    pages["speakers/index.md"] = "# Speakers\n\n" + "".join(
        f"- [{archive.speaker_name(s)}]({s}.md) ({archive.speakers[s]['affiliation']}): "
        f"{len(spoken[s])} sessions\n"
        for s in sorted(spoken, key=lambda s: -len(spoken[s]))
    )
    for ident, speaker in archive.speakers.items():
        rows = "\n".join(_row(archive, s, "../") for s in spoken.get(ident, []))
        pages[f"speakers/{ident}.md"] = (
            f"# {speaker['name']}\n\n{speaker['affiliation']} · "
            f"[Homepage]({speaker['links']['homepage']})\n\n{speaker['bio']}\n\n"
            f"## Sessions\n\n{rows}\n"
        )
    topics: dict[str, list[Entry]] = {}
    for entry in archive.sessions + archive.proposals:
        for topic in entry.names("topics"):
            topics.setdefault(topic, []).append(entry)
    pages["topics/index.md"] = "# Topics\n\n" + "".join(
        f"- [{t}]({_slug(t)}.md): {len(topics[t])}\n" for t in sorted(topics)
    )
    proposal_ids = {p.id for p in archive.proposals}
    for topic, entries in topics.items():
        sessions = [_row(archive, e, "../") for e in entries if e.id not in proposal_ids]
        proposals = [
            f"- [{e.title}](../proposals/{e.id}.md)" for e in entries if e.id in proposal_ids
        ]
        pages[f"topics/{_slug(topic)}.md"] = (
            f"# {topic}\n\n## Sessions\n\n"
            + "\n".join(sessions)
            + "\n\n## Proposals\n\n"
            + "\n".join(proposals)
            + "\n"
        )
    by_status: dict[str, list[str]] = {}
    for proposal in archive.proposals:
        row = f"- [{proposal.title}]({proposal.id}.md) ({proposal.meta.get('votes', 0)} votes)"
        by_status.setdefault(str(proposal.meta["status"]), []).append(row)
    pages["proposals/index.md"] = "# Proposals\n\n" + "".join(
        f"## {status}\n\n" + "\n".join(rows) + "\n\n" for status, rows in by_status.items()
    )
    pages["reading/index.md"] = "# Reading lists\n\n" + "".join(
        f"- [{reading['title']}]({slug}.md)\n" for slug, reading in archive.lists.items()
    )
    discussed = archive.discussed()
    pages["papers.md"] = "# Papers\n\n" + "".join(
        f"- {_paper(archive, p)}"
        + "".join(f" [{s.title}](sessions/{s.id}.md)" for s in discussed.get(p, []))
        + "\n"
        for p in archive.papers
    )
    latest = [_row(archive, s, "") for s in reversed(archive.sessions[-10:])]
    open_ones = [
        f"- [{p.title}](proposals/{p.id}.md)"
        for p in archive.proposals
        if p.meta["status"] == "open"
    ]
    pages["index.md"] = (
        f"# {archive.title}\n\n## Latest sessions\n\n"
        + "\n".join(latest)
        + "\n\n## Open proposals\n\n"
        + "\n".join(open_ones)
        + "\n"
    )
    return pages


def _proposal(archive: Archive, proposal: Entry) -> str:
    meta = proposal.meta
    by = ", ".join(
        f"[{archive.speaker_name(s)}](../speakers/{s}.md)" for s in proposal.names("proposed_by")
    )
    lines = [f"# {proposal.title}", "", f"Proposed by {by} on {meta['date']}.", ""]
    lines += [f"*{meta['status']}*, {meta.get('votes', 0)} votes. {meta.get('tldr', '')}", ""]
    if meta.get("session"):
        title = archive.session_title(meta["session"])
        lines += [f"Presented at [{title}](../sessions/{meta['session']}.md).", ""]
    return "\n".join(lines) + _links(archive, proposal.body)


def _reading(archive: Archive, slug: str) -> str:
    reading = archive.lists[slug]
    lines = [f"# {reading['title']}", "", str(reading.get("description", "")), ""]
    for section in reading["sections"]:
        lines += [f"## {section['title']}", ""]
        lines += [f"- {_paper(archive, str(item['id']))}" for item in section["items"]]
        lines.append("")
    return "\n".join(lines)


def convert(archive: Archive, root: Path, pymdownx: bool = True) -> Path:
    """Write the MkDocs site under ``root`` (emptied first); return ``root``."""
    shutil.rmtree(root, ignore_errors=True)
    docs = root / "docs"
    for folder in ("sessions", "speakers", "topics", "proposals", "reading"):
        (docs / folder).mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        CONFIG.format(
            title=archive.title,
            base_url=archive.base_url,
            highlight=PYMDOWNX if pymdownx else CODEHILITE,
        )
    )
    for index, session in enumerate(archive.sessions):
        (docs / "sessions" / f"{session.id}.md").write_text(_session(archive, index))
    for proposal in archive.proposals:
        (docs / "proposals" / f"{proposal.id}.md").write_text(_proposal(archive, proposal))
    for slug in archive.lists:
        (docs / "reading" / f"{slug}.md").write_text(_reading(archive, slug))
    for path, text in _indexes(archive).items():
        (docs / path).write_text(text)
    for page in archive.pages:
        (docs / f"{page.id}.md").write_text(f"# {page.title}\n\n{page.body}")
    return root


def command(mkdocs: str, root: Path) -> list[str]:
    return [mkdocs, "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")]


def clean(root: Path) -> None:
    shutil.rmtree(root / "site", ignore_errors=True)


def session_page(root: Path, session_id: str) -> Path:
    return root / "site" / "sessions" / session_id / "index.html"


def output(root: Path) -> Path:
    return root / "site"
