"""What an import writes: session files (with their attachments) and new speakers.

:func:`plan` decides every file and its text without touching the site, so a dry run,
the check of a staged copy (:mod:`.verify`) and the real write all see the same thing;
:func:`apply` writes a plan. Nothing is ever overwritten: a session is a new file
(opened with mode ``"x"``) and ``content/speakers.yaml`` is only appended to, by
:mod:`rgsite.authoring.speakers_yaml`, keeping its comments and order.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from rgsite.authoring.new import slug_for
from rgsite.authoring.speakers_yaml import quote
from rgsite.errors import RgsiteError
from rgsite.importing.merge import MARK
from rgsite.importing.report import Report
from rgsite.importing.roster import NewSpeaker
from rgsite.importing.speaker_file import PATH, add_speakers
from rgsite.importing.talk import Talk
from rgsite.read.decode import ParseError, decode, split_front_matter

DEFAULT_STEMS = {"tba": "to-be-announced", "break": "no-meeting"}


@dataclass(frozen=True, slots=True)
class SiteDefaults:
    """What a session may leave to ``site.yaml``."""

    duration: int
    time_set: bool
    """``meeting.time`` is written in site.yaml, so a bare date takes it."""


@dataclass(slots=True)
class Planned:
    rel: str
    text: str
    attachments: dict[str, Path] = field(default_factory=dict)


@dataclass(slots=True)
class Plan:
    sessions: list[Planned] = field(default_factory=list)
    speakers: str | None = None
    """The new text of ``content/speakers.yaml``, if speakers are added."""
    speakers_before: bytes = b""
    speakers_added: str = ""
    """The lines appended to ``content/speakers.yaml``."""


def plan(
    root: Path,
    talks: list[Talk],
    speakers: list[NewSpeaker],
    files: dict[str, str],
    defaults: SiteDefaults,
    report: Report,
) -> Plan:
    """Every file the import writes, by its path in the site; ``files`` gives the file
    of each origin already in the site, for links between talks."""
    result = Plan()
    taken = _taken(root)
    places: dict[str, str] = dict(files)
    named: list[tuple[Talk, str]] = []
    for talk in talks:
        assert talk.day is not None
        title = talk.title or DEFAULT_STEMS.get(talk.status, "session")
        stem = f"{talk.day.isoformat()}-{slug_for(title, 'session')}"
        base, number = stem, 1
        while stem.lower() in taken:
            number += 1
            stem = f"{base}-{number}"
        taken.add(stem.lower())
        rel = f"content/sessions/{stem}" + ("/index.md" if talk.attachments else ".md")
        own = f"/sessions/{stem}/"
        talk.aliases = [a for a in talk.aliases if a.rstrip("/") + "/" != own]
        for origin in talk.origins:
            places[origin.key] = rel
        named.append((talk, rel))
    for talk, rel in named:
        text = session_text(talk, rel, places, defaults, report)
        _check(rel, text, talk)
        result.sessions.append(Planned(rel, text, dict(talk.attachments)))
        report.sessions.append(rel)
        report.papers.update(talk.papers)
        report.files += len(talk.attachments)
        if talk.start is None and not talk.time_tba and defaults.time_set:
            report.usual_time += 1
    if speakers:
        path = root / "content" / "speakers.yaml"
        before = path.read_bytes() if path.is_file() else b""
        result.speakers_before = before
        result.speakers = add_speakers(before, speakers)
        result.speakers_added = result.speakers[len(decode(PATH, before)) :]
        for speaker in speakers:
            report.speakers.append((speaker.id, speaker.name, speaker.where))
    return result


def _taken(root: Path) -> set[str]:
    folder = root / "content" / "sessions"
    names = (
        {p.name.removesuffix(".md").lower() for p in folder.iterdir()} if folder.is_dir() else set()
    )
    return names


def session_text(
    talk: Talk, rel: str, places: dict[str, str], defaults: SiteDefaults, report: Report
) -> str:
    assert talk.day is not None
    lines = ["---"]
    if talk.title:
        lines.append(f"title: {quote(talk.title)}")
    when = talk.day.isoformat() + (f" {talk.start}" if talk.start else "")
    lines.append(f"date: {when}")
    if talk.start is None and (talk.time_tba or not defaults.time_set):
        lines.append("time: tba")
    if talk.start and talk.duration and talk.duration != defaults.duration:
        lines.append(f"duration: {talk.duration}")
    if talk.status:
        lines.append(f"status: {talk.status}")
    if talk.kind:
        lines.append(f"kind: {talk.kind}")
    if talk.speakers:
        lines.append(f"speakers: [{', '.join(talk.speakers)}]")
    for key in ("topics", "papers"):
        values = getattr(talk, key)
        if values:
            lines.append(f"{key}: [{', '.join(quote(v) for v in values)}]")
    for key in ("series", "location", "register", "join_url", "tldr"):
        value = getattr(talk, key)
        if value:
            lines.append(f"{key}: {quote(value)}")
    if talk.abstract:
        lines.append("abstract: |" + ("2" if talk.abstract[:1] == " " else ""))
        lines += [f"  {line}" if line else "" for line in talk.abstract.split("\n")]
    if talk.resources:
        lines.append("resources:")
        for resource in talk.resources:
            lines.append(
                f"  - {{title: {quote(resource.title)}, url: {quote(resource.url)}, "
                f"kind: {resource.kind}}}"
            )
    if talk.aliases:
        lines.append(f"aliases: [{', '.join(quote(a) for a in talk.aliases)}]")
    if talk.draft:
        lines.append("draft: true")
    for origin in talk.origins:
        lines.append(f"{MARK}{origin.key} [{origin.fingerprint}] ({origin.label})")
    lines.append("---")
    body = _links(talk, rel, places, report)
    return "\n".join(lines) + "\n" + (body + "\n" if body else "")


def _links(talk: Talk, rel: str, places: dict[str, str], report: Report) -> str:
    body = talk.body
    for placeholder, (origin, written, where) in sorted(
        talk.links.items(), key=lambda item: -len(item[0])
    ):
        target = places.get(origin)
        if target is None:  # the page was read but its talk left out (no date)
            report.cannot_use(
                "link", written, where, "links to a page that was not imported; fix it by hand"
            )
            body = body.replace(placeholder, written)
            continue
        body = body.replace(placeholder, _relative(rel, target))
    return body


def _relative(rel: str, target: str) -> str:
    return Path(os.path.relpath(target, Path(rel).parent)).as_posix()


def _check(rel: str, text: str, talk: Talk) -> None:
    """Read the file back: its front matter must parse and hold the title as given."""
    try:
        record = split_front_matter(rel, text)
    except ParseError as exc:  # pragma: no cover - quote() and the block above always parse
        raise RgsiteError(f"rgsite import made a file it cannot read back: {exc.problem}") from None
    if talk.title and record.data.get("title") != talk.title:  # pragma: no cover
        raise RgsiteError(f"rgsite import cannot write the title {talk.title!r} safely")
    if talk.abstract and record.data.get("abstract", "").rstrip("\n") != talk.abstract:
        raise RgsiteError(  # pragma: no cover - the literal block keeps the text as it is
            f"rgsite import cannot write the abstract of {talk.where} safely"
        )


def apply(root: Path, planned: Plan) -> None:
    """Write a plan: speakers first (so that every session names known speakers), then
    each session, refusing any file that already exists."""
    if planned.speakers is not None:
        path = root / "content" / "speakers.yaml"
        now = path.read_bytes() if path.is_file() else b""
        if now != planned.speakers_before:
            raise RgsiteError("content/speakers.yaml changed during the import; run it again")
        data = planned.speakers.encode("utf-8")
        if b"\r\n" in planned.speakers_before:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        if not now:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as handle:
                handle.write(data)
        elif data.startswith(now):
            with path.open("ab") as handle:
                handle.write(data[len(now) :])
        else:  # mixed line endings: appending would rewrite what is there
            raise RgsiteError(
                f"{PATH} mixes Windows and Unix line endings, so rgsite cannot append to it "
                "without changing it; save it with one kind of line ending and import again"
            )
    for session in planned.sessions:
        path = root / session.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(session.text)
        except FileExistsError:
            raise RgsiteError(
                f"{session.rel} already exists; rgsite never overwrites a file"
            ) from None
        for name, source in session.attachments.items():
            target = path.parent / name
            with source.open("rb") as reader, target.open("xb") as writer:
                shutil.copyfileobj(reader, writer)
