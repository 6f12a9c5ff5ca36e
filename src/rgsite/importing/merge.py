"""One session, once: duplicates within the sources, and sessions already in the site.

Two entries are one session when they fall on one day and their titles are the same
once case, accents and punctuation are set aside — or when one of them has no title and
is the only other talk of its day (a talk list naming the speaker, a post with the
title). They are merged field by field; where both say something different, the first
is kept and the other reported.

A session already in the site is recognised by the line every imported session carries
in its front matter, ``# rgsite import: csv 2024-10-09 [3f2a9c81] (...)`` — the entry's
origin and a fingerprint of its source text — or else by its day and title. It is never
written again; if its source changed since, the report says so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rgsite.importing.report import Report
from rgsite.importing.roster import same_name
from rgsite.importing.talk import Talk
from rgsite.read.decode import ParseError, decode, split_front_matter

MARK = "# rgsite import: "
_MARK = re.compile(r"^# rgsite import: (?P<origin>.+?) \[(?P<print>[0-9a-f]{8})\]", re.MULTILINE)
_SESSION_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-")
SCALARS = (
    "title",
    "start",
    "duration",
    "status",
    "series",
    "kind",
    "abstract",
    "tldr",
    "location",
    "register",
    "join_url",
    "body",
)
LISTS = ("speakers", "topics", "papers", "aliases")


def title_key(title: str) -> str:
    return same_name(title)


def number_origins(talks: list[Talk], fmt: str) -> None:
    """Give each talk from a list its origin: the format and its day, numbered when a
    source lists more than one talk on a day."""
    seen: dict[str, int] = defaultdict(int)
    for talk in talks:
        first = talk.origins[0]
        if first.key:
            continue
        assert talk.day is not None
        base = f"{fmt} {talk.day.isoformat()}"
        seen[base] += 1
        first.key = base if seen[base] == 1 else f"{base}#{seen[base]}"


def merge_duplicates(talks: list[Talk], report: Report) -> list[Talk]:
    by_day: dict[date | None, list[Talk]] = defaultdict(list)
    for talk in talks:
        by_day[talk.day].append(talk)
    result: list[Talk] = []
    for talk in talks:
        same_day = by_day[talk.day]
        kept = next(
            (other for other in result if other.day == talk.day and _same(other, talk, same_day)),
            None,
        )
        if kept is None:
            result.append(talk)
            continue
        _merge(kept, talk, report)
    return result


def _same(kept: Talk, talk: Talk, same_day: list[Talk]) -> bool:
    if title_key(kept.title) == title_key(talk.title):
        return True
    titled = [t for t in same_day if t.title]
    untitled = not kept.title or not talk.title
    return untitled and len(titled) == 1 and kept.status != "break" != talk.status


def _merge(kept: Talk, other: Talk, report: Report) -> None:
    report.note(
        other.where,
        f"the same session as {kept.where} (one day, one title): merged into one session",
    )
    for slot, full in ((kept, other), (other, kept)):
        if slot.status == "tba" and not slot.title and full.title:
            slot.status = full.status  # an open slot in one source, filled in the other
    for name in SCALARS:
        mine, theirs = getattr(kept, name), getattr(other, name)
        if theirs in (None, "") or mine == theirs:
            continue
        if mine in (None, ""):
            setattr(kept, name, theirs)
            continue
        if name == "title" and title_key(mine) == title_key(theirs):
            continue
        shown = theirs if name != "body" else "(its text)"
        report.cannot_use(
            name,
            shown,
            other.wheres.get(name, other.where),
            f"differs from {kept.wheres.get(name, kept.where)}, which is kept",
        )
    for name in LISTS:
        mine = getattr(kept, name)
        mine.extend(x for x in getattr(other, name) if x not in mine)
    for resource in other.resources:
        kept.add_resource(resource)
    for name, path in other.attachments.items():
        kept.attachments.setdefault(name, path)
    kept.links.update(other.links)
    kept.origins += other.origins
    kept.time_tba = kept.time_tba and other.time_tba if kept.start else other.time_tba
    kept.draft = kept.draft and other.draft


@dataclass(slots=True)
class Existing:
    """A session file of the site: what recognising an imported talk needs of it."""

    path: str
    stem: str
    day: date | None
    title: str
    origins: dict[str, str] = field(default_factory=dict)


def read_existing(root: Path) -> list[Existing]:
    folder = root / "content" / "sessions"
    found: list[Existing] = []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.name.startswith((".", "_")):
            continue
        rel = f"content/sessions/{entry.name}" + ("/index.md" if entry.is_dir() else "")
        if not entry.is_dir() and entry.suffix != ".md":
            continue
        stem = entry.name if entry.is_dir() else entry.stem
        try:
            text = decode(rel, (root / rel).read_bytes())
        except (OSError, ParseError):
            continue
        origins = {m["origin"]: m["print"] for m in _MARK.finditer(text.split("\n---", 1)[0])}
        title, day = "", _day(stem)
        try:
            data = split_front_matter(rel, text).data
            title = str(data.get("title") or "")
            day = _day(str(data.get("date") or "")) or day
        except ParseError:
            pass
        found.append(Existing(rel, stem, day, title, origins))
    return found


def _day(text: str) -> date | None:
    match = _SESSION_NAME.match(text + "-")
    try:
        return date.fromisoformat(match[1]) if match else None
    except ValueError:
        return None


def already_present(
    talks: list[Talk], existing: list[Existing], report: Report
) -> tuple[list[Talk], dict[str, str]]:
    """The talks to write, and for every origin present in the site, its file."""
    by_origin = {origin: e for e in existing for origin in e.origins}
    by_title = {(e.day, title_key(e.title)): e for e in existing if e.title}
    files = {origin: e.path for origin, e in by_origin.items()}
    new = []
    for talk in talks:
        found = next((by_origin[o.key] for o in talk.origins if o.key in by_origin), None)
        if found is None and talk.title:
            found = by_title.get((talk.day, title_key(talk.title)))
        if found is None:
            new.append(talk)
            continue
        report.present.append((talk.where, found.path))
        for origin in talk.origins:
            files[origin.key] = found.path
            before = found.origins.get(origin.key)
            if before and before != origin.fingerprint:
                report.note(
                    talk.where,
                    f"changed since it was imported into {found.path}; rgsite never "
                    "overwrites: edit that file, or delete it and import again",
                )
    return new, files
