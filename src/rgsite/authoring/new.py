"""``rgsite new``: a new session, proposal or speaker for an organiser.

Two promises hold everywhere here: nothing is ever overwritten (new files are opened
with mode ``"x"``; ``speakers.yaml`` is only appended to), and every file is checked by
parsing it back before it is written, so ``rgsite build`` accepts it at once.

A new session is dated by the group's cadence (:func:`rgsite.cadence.next_meeting`).
Every session file holds its date, whatever its status: a break (``status: break``) is a
week the group does not meet, so the cadence goes on after it as after any session, and
an open slot (``status: tba``) is a meeting still to fill — ``new`` points at it rather
than dating a new session over it.

This module never renders or builds; it reads only ``site.yaml``, ``speakers.yaml`` and
the names and front matter of session and proposal files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from rgsite.authoring.cadence import clock_of, local_start, next_meeting, parse_when
from rgsite.authoring.speakers_yaml import append_speaker, quote
from rgsite.errors import Location, Problems, RgsiteError, SiteError, UsageError, did_you_mean
from rgsite.read.decode import ParseError, Record, decode, load_yaml, split_front_matter
from rgsite.read.discover import ignored, is_site, not_a_site
from rgsite.read.fields import slugify, valid_id
from rgsite.read.site_yaml.config import load_config
from rgsite.settings import SiteConfig

SLUG_LENGTH = 60
_SESSION_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-.+")
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 _.-]*[A-Za-z0-9]$|^[A-Za-z]$")


@dataclass(slots=True)
class Created:
    """What a command made: the file and notes worth telling the organiser."""

    path: Path
    notes: list[str] = field(default_factory=list)


# -- reading what `new` needs ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiteFacts:
    """The little of a site that ``new`` needs: settings, speaker ids, dates, topics."""

    root: Path
    config: SiteConfig
    speakers: tuple[str, ...]
    session_dates: tuple[date, ...]
    topics: tuple[str, ...]
    open_slots: tuple[tuple[date, str], ...] = ()
    """The date and file of each open slot (``status: tba``)."""


def read_facts(root: Path) -> SiteFacts:
    """Read ``site.yaml`` (errors stop here), speaker ids, session dates and topics."""
    if not is_site(root):
        raise UsageError(not_a_site(str(root)))
    problems = Problems()
    record = _record(root, "content/site.yaml", problems, yaml=True)
    if record is None:
        if not problems.errors:
            problems.error(Location("content/site.yaml"), "missing; every site needs a site.yaml")
        raise SiteError(problems.items)
    config = load_config(record, problems)
    problems.raise_if_errors()
    speakers: tuple[str, ...] = ()
    record = _record(root, "content/speakers.yaml", problems, yaml=True)
    problems.raise_if_errors()
    if record is not None and isinstance(record.data, dict):
        speakers = tuple(str(key) for key in record.data)
    dates, topics, slots = [], set(), []
    sessions = root / "content" / "sessions"
    for entry in sorted(sessions.iterdir()) if sessions.is_dir() else []:
        match = _SESSION_NAME.match(entry.name)
        if ignored(entry.name) or match is None:
            continue
        rel = f"content/sessions/{entry.name}" + ("/index.md" if entry.is_dir() else "")
        if not (entry.is_dir() or entry.name.endswith(".md")):
            continue
        try:
            day = date.fromisoformat(match[1])
        except ValueError:
            continue
        dates.append(day)
        front = _front(root, rel)
        topics |= _topics(front)
        if str(front.get("status", "")).strip().lower() == "tba":
            slots.append((day, rel))
    proposals = root / "content" / "proposals"
    for entry in sorted(proposals.glob("*.md")) if proposals.is_dir() else []:
        topics |= _topics(_front(root, f"content/proposals/{entry.name}"))
    return SiteFacts(
        root, config, speakers, tuple(sorted(dates)), tuple(sorted(topics)), tuple(sorted(slots))
    )


def _record(root: Path, rel: str, problems: Problems, *, yaml: bool) -> Record | None:
    try:
        raw = (root / rel).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        problems.error(Location(rel), f"cannot read this file: {exc.strerror}")
        return None
    try:
        text = decode(rel, raw)
        return load_yaml(rel, text) if yaml else split_front_matter(rel, text)
    except ParseError as exc:
        problems.extend([exc.problem])
        return None


def _front(root: Path, rel: str) -> dict[str, object]:
    """A content file's front matter; a file that does not parse has none here."""
    record = _record(root, rel, Problems(), yaml=False)
    if record is None or not isinstance(record.data, dict):
        return {}
    return record.data


def _topics(front: dict[str, object]) -> set[str]:
    """The topics a content file names."""
    value = front.get("topics")
    return {str(t) for t in value if isinstance(t, str)} if isinstance(value, list) else set()


# -- new session, proposal, speaker ---------------------------------------------------


def slug_for(title: str, fallback: str) -> str:
    """A URL slug of ``title``, cut at a word boundary to at most 60 characters."""
    slug = slugify(title)
    if slug == "item":
        return fallback
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0] or slug[:SLUG_LENGTH]
    return slug


def check_speakers(ids: Iterable[str], known: Sequence[str]) -> None:
    """Every id must be in speakers.yaml; say which is closest and how to add one."""
    unknown = [i for i in ids if i not in known]
    if not unknown:
        return
    lines = []
    for ident in unknown:
        lines.append(
            f"unknown speaker '{ident}'{did_you_mean(ident, known)} in content/speakers.yaml; "
            f'add one with: rgsite new speaker {slugify(ident)} --name "Full Name"'
        )
    raise UsageError("\n".join(lines))


def topic_notes(topics: Iterable[str], known: Sequence[str]) -> list[str]:
    """A note for each new topic that looks like a typo of one already used."""
    notes = []
    for topic in topics:
        if topic not in known:
            hint = did_you_mean(topic, known)
            if hint:
                notes.append(f"topic '{topic}' is new{hint}")
    return notes


def new_session(
    root: Path,
    title: str,
    *,
    when: str | None = None,
    speakers: Sequence[str] = (),
    topics: Sequence[str] = (),
    now: datetime,
) -> Created:
    """``content/sessions/<date>-<slug>.md`` at the next meeting, or at ``when``."""
    title = _title(title)
    facts = read_facts(root)
    check_speakers(speakers, facts.speakers)
    meeting, tz = facts.config.meeting, facts.config.tz
    if when is not None:
        day, clock = parse_when(when, meeting.time)
    else:
        day, clock = next_meeting(meeting, tz, facts.session_dates, now), clock_of(meeting.time)
    start, moved = local_start(day, clock, tz)
    notes = topic_notes(topics, facts.topics)
    if moved:
        notes.append(
            f"{day} {clock:%H:%M} does not exist in {tz.key} (the clocks go forward); "
            f"the session starts at {start:%H:%M} instead"
        )
    if when is None and meeting.weekday is None:
        notes.append("site.yaml's meeting has no weekday; add one to date sessions by it")
    today = now.astimezone(tz).date()
    for slot_day, rel in facts.open_slots:
        if today <= slot_day and (slot_day < day if when is None else slot_day == day):
            notes.append(
                f"{rel} is an open slot (status: tba) on {slot_day}; to give it this "
                "session, fill in its title and speakers and remove 'status: tba'"
            )
    stem = f"{day.isoformat()}-{slug_for(title, 'session')}"
    folder = root / "content" / "sessions"
    if (folder / stem).exists():
        raise RgsiteError(
            f"content/sessions/{stem}/ already exists; pick another title or --date "
            "(nothing was written)"
        )
    text = session_text(title, f"{start:%Y-%m-%d %H:%M}", speakers, topics)
    _check_markdown(f"content/sessions/{stem}.md", text, title)
    path = folder / f"{stem}.md"
    write_new(root, path, text)
    return Created(path, notes)


def session_text(title: str, when: str, speakers: Sequence[str], topics: Sequence[str]) -> str:
    return f"""\
---
title: {quote(title)}
date: {when}
speakers: [{_items(speakers)}]{"" if speakers else "            # ids from content/speakers.yaml"}
topics: [{_items(topics)}]
papers: []                    # reading-list item ids, or arxiv:ID / doi:ID
# tldr: One line for the archive, the home page and the feed.
# series: "Name of a series of sessions"
# proposal: proposal-slug     # the proposal this session came from
# resources:                  # slides, recordings, notes
#   - {{title: Slides, url: "https://example.org/slides.pdf", kind: slides}}
#   - {{title: Recording, url: "https://www.youtube.com/watch?v=...", kind: video}}
# abstract: |                 # Markdown, shown above the notes and in 'rgsite announce'
#   What the talk is about.
# kind: talk                  # an id from kinds: in site.yaml
# register: https://example.org/register   # a Register button until it starts
# location: Room 101          # when not the usual place
# status: cancelled           # or tba (an open slot) or break (no meeting)
# draft: true                 # left out of the site unless built with --drafts
---
<!-- Before the session: a paragraph on what it is about and what to read first.

After the session, the recap. An outline to start from:

## Summary

What was presented, in a few paragraphs; math goes between dollar signs.

## Discussion

The questions people asked, and the answers.

## Links

Slides, the recording, and papers mentioned in the chat.
-->
"""


def new_proposal(
    root: Path,
    title: str,
    *,
    by: Sequence[str] = (),
    topics: Sequence[str] = (),
    now: datetime,
) -> Created:
    """``content/proposals/<slug>.md``, open, dated today in the group's time zone."""
    title = _title(title)
    facts = read_facts(root)
    check_speakers(by, facts.speakers)
    slug = slug_for(title, "proposal")
    today = now.astimezone(facts.config.tz).date()
    text = proposal_text(title, today, by, topics)
    rel = f"content/proposals/{slug}.md"
    _check_markdown(rel, text, title)
    path = root / rel
    write_new(root, path, text)
    return Created(path, topic_notes(topics, facts.topics))


def proposal_text(title: str, today: date, by: Sequence[str], topics: Sequence[str]) -> str:
    return f"""\
---
title: {quote(title)}
proposed_by: [{_items(by)}]{"" if by else "            # speaker ids"}
date: {today.isoformat()}
status: open                  # open | accepted | scheduled | presented | declined
topics: [{_items(topics)}]
# votes: 0
# tldr: The proposal in one line.
# session: 2024-05-02-slug    # the session it became, once scheduled or presented
---
## Why

<!-- The question, and why the group should spend time on it. -->

## Plan

<!-- Papers to read, in order, and how many sessions it would take. -->

## How to help

<!-- What you are looking for: presenters, co-authors, compute. -->
"""


def new_speaker(root: Path, ident: str, name: str | None, affiliation: str = "") -> Created:
    """Append a speaker to ``content/speakers.yaml``, keeping the rest of the file as is."""
    if not valid_id(ident):
        raise UsageError(
            f"speaker id '{ident}' must be lowercase letters, digits and hyphens, "
            f"e.g. '{slugify(ident)}'"
        )
    if not is_site(root):
        raise UsageError(not_a_site(str(root)))
    notes = []
    if not name:
        name = " ".join(part.capitalize() for part in re.split(r"[-_.]+", ident) if part)
        notes.append(f"named '{name}' from the id; pass --name \"Full Name\" to choose")
    path = root / "content" / "speakers.yaml"
    rel = "content/speakers.yaml"
    exists = path.is_file()
    raw = path.read_bytes() if exists else b""
    try:
        text = decode(rel, raw)
    except ParseError as exc:
        raise RgsiteError(f"{exc.problem}; fix it before adding a speaker") from None
    updated = append_speaker(text, ident, name.strip(), affiliation.strip(), path=rel)
    if not exists:
        write_new(root, path, updated)
        return Created(path, notes)
    if not updated.startswith(text):  # pragma: no cover - append_speaker only ever appends
        raise RgsiteError(f"cannot add '{ident}' to {rel} without rewriting it")
    addition = updated[len(text) :]
    if b"\r\n" in raw:  # keep the file's Windows line endings
        addition = addition.replace("\n", "\r\n")
    with path.open("r+b") as handle:  # append only if nobody changed the file meanwhile
        if handle.read() != raw:
            raise RgsiteError(f"{rel} changed while rgsite was adding '{ident}'; run it again")
        handle.write(addition.encode("utf-8"))
    return Created(path, notes)


def _items(values: Sequence[str]) -> str:
    """A YAML flow list's items: plain words as they are, anything else quoted."""
    return ", ".join(v if _PLAIN.match(v) else quote(v) for v in values)


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise UsageError("the title must not be empty")
    return title


def _check_markdown(rel: str, text: str, title: str) -> None:
    """Parse the new file back; its front matter must hold the title as given."""
    try:
        record = split_front_matter(rel, text)
    except ParseError as exc:  # pragma: no cover - the templates above always parse
        raise RgsiteError(f"rgsite made a file it cannot read back: {exc.problem}") from None
    if record.data.get("title") != title:  # pragma: no cover - quote() round-trips
        raise RgsiteError(f"rgsite cannot write the title {title!r} safely; simplify it")


def write_new(root: Path, path: Path, text: str) -> None:
    """Create ``path`` with ``text``; refuse, writing nothing, if it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise RgsiteError(
            f"{_shown(root, path)} already exists; rgsite never overwrites a file. "
            "Pick another title (or --date), or edit that file"
        ) from None


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
