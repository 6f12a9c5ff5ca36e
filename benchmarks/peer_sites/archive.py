"""A generated archive read back as plain values, for the peers' converters.

Only what ``benchmarks/generate.py`` writes is understood: sessions named
``<YYYY-MM-DD>-<slug>.md`` with YAML front matter, proposals, pages, speakers.yaml and
reading lists. Each converter turns these values into its own generator's input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

LINK = re.compile(r"\[\[(speaker|paper|session|proposal|list):([^\]]+)\]\]")


@dataclass(frozen=True)
class Entry:
    """A session, proposal or page: its id, its front matter and its Markdown."""

    id: str
    meta: dict[str, Any]
    body: str

    @property
    def title(self) -> str:
        return str(self.meta["title"])

    def names(self, key: str) -> list[str]:
        return [str(value) for value in self.meta.get(key) or []]


@dataclass(frozen=True)
class Archive:
    title: str
    base_url: str
    timezone: str
    time: str
    speakers: dict[str, dict[str, Any]]
    lists: dict[str, dict[str, Any]]
    papers: dict[str, dict[str, Any]]
    sessions: list[Entry]
    proposals: list[Entry]
    pages: list[Entry]

    def day(self, session: Entry) -> date:
        return date.fromisoformat(session.id[:10])

    def session_title(self, ident: str) -> str:
        return next(s.title for s in self.sessions if s.id == ident)

    def speaker_name(self, ident: str) -> str:
        return str(self.speakers[ident]["name"])

    def paper_url(self, ident: str) -> str:
        paper = self.papers[ident]
        return f"https://arxiv.org/abs/{paper['arxiv']}" if "arxiv" in paper else ""

    def discussed(self) -> dict[str, list[Entry]]:
        """Each paper id and the sessions that name it, in date order."""
        found: dict[str, list[Entry]] = {}
        for session in self.sessions:
            for paper in session.names("papers"):
                found.setdefault(paper, []).append(session)
        return found

    def by_speaker(self) -> dict[str, list[Entry]]:
        found: dict[str, list[Entry]] = {}
        for session in self.sessions:
            for speaker in session.names("speakers"):
                found.setdefault(speaker, []).append(session)
        return found


def _entry(path: Path) -> Entry:
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---\n", 3)
    return Entry(path.stem, yaml.safe_load(text[4:end]) or {}, text[end + 5 :])


def read_archive(site: Path) -> Archive:
    content = site / "content"
    config = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    speakers = yaml.safe_load((content / "speakers.yaml").read_text(encoding="utf-8")) or {}
    lists: dict[str, dict[str, Any]] = {}
    papers: dict[str, dict[str, Any]] = {}
    for path in sorted((content / "reading-lists").glob("*.yaml")):
        reading = yaml.safe_load(path.read_text(encoding="utf-8"))
        lists[path.stem] = reading
        for section in reading.get("sections") or []:
            for item in section.get("items") or []:
                papers[str(item["id"])] = {**item, "list": path.stem}

    def entries(folder: str) -> list[Entry]:
        return [_entry(p) for p in sorted((content / folder).glob("*.md"))]

    return Archive(
        title=str(config["title"]),
        base_url=str(config["base_url"]),
        timezone=str(config.get("timezone", "UTC")),
        time=str(config.get("meeting", {}).get("time", "00:00")),
        speakers=speakers,
        lists=lists,
        papers=papers,
        sessions=entries("sessions"),
        proposals=entries("proposals"),
        pages=entries("pages"),
    )
