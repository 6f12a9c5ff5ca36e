"""``rgsite import``, top to bottom: read the sources, read meaning into each entry, merge
duplicates, leave out what the site has, plan the files, check a staged copy, write.

Nothing is written before everything is planned and checked, and with ``dry_run`` nothing
is written at all; the :class:`~rgsite.importing.report.Report` says what was (or would
be) written and every value that could not be used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rgsite.authoring.new import read_facts
from rgsite.errors import Location, UsageError
from rgsite.importing.entry import Source
from rgsite.importing.fields import Mapping, load_mapping
from rgsite.importing.interpret import Setting, interpret
from rgsite.importing.merge import (
    already_present,
    merge_duplicates,
    number_origins,
    read_existing,
)
from rgsite.importing.report import Report
from rgsite.importing.roster import Roster
from rgsite.importing.sources.csv_list import read_csv_file
from rgsite.importing.sources.documents import Unread, finder, read_data
from rgsite.importing.sources.hugo import read_hugo
from rgsite.importing.sources.jekyll import read_jekyll
from rgsite.importing.sources.yaml_list import read_yaml_file
from rgsite.importing.talk import Origin, Talk
from rgsite.importing.verify import verify
from rgsite.importing.write import Plan, SiteDefaults, apply, plan

FORMATS = ("jekyll", "hugo", "yaml", "csv")
SUFFIXES = {"yaml": (".yml", ".yaml", ".json"), "csv": (".csv", ".tsv")}


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    fmt: str
    sources: tuple[str, ...]
    site: Path
    map_file: str | None = None
    dry_run: bool = False


@dataclass(slots=True)
class Outcome:
    report: Report
    plan: Plan
    other_errors: int
    """Errors ``rgsite check`` finds in the site outside what the import writes."""


def run_import(request: Request) -> Outcome:
    if request.fmt not in FORMATS:
        raise UsageError(f"unknown format '{request.fmt}'; use one of {', '.join(FORMATS)}")
    root = request.site
    facts = read_facts(root)
    mapping = (
        load_mapping(Path(request.map_file), request.map_file) if request.map_file else Mapping()
    )
    report = Report()
    source = _read_sources(request, mapping, report)
    report.skipped += source.skipped
    site_yaml = _yaml(root / "content" / "site.yaml")
    speakers_yaml = _yaml(root / "content" / "speakers.yaml")
    meeting = site_yaml.get("meeting")
    meeting = meeting if isinstance(meeting, dict) else {}
    kinds = site_yaml.get("kinds")
    kinds = kinds if isinstance(kinds, dict) else {}
    setting = Setting(
        fmt=request.fmt,
        tz=facts.config.tz,
        mapping=mapping,
        report=report,
        roster=Roster(_names(speakers_yaml), source.people, mapping, report),
        kinds={str(k): _kind_name(k, v) for k, v in kinds.items()},
        location=facts.config.meeting.location or "",
        pages=source.pages,
    )
    report.talks = len(source.entries)
    talks: list[Talk] = []
    # Documents first: where a post and a talk list describe one session, the post's
    # fields are the ones kept.
    for entry in sorted(source.entries, key=lambda e: not e.origin):
        talk = interpret(entry, setting)
        if talk is not None:
            label = _relative_label(entry.where, request.sources)
            talk.origins = [Origin(entry.origin, entry.fingerprint(), label)]
            talks.append(talk)
    number_origins(talks, request.fmt)
    talks = merge_duplicates(talks, report)
    new, files = already_present(talks, read_existing(root), report)
    new.sort(key=lambda t: (t.day, t.start or "", t.title))
    wanted = dict.fromkeys(s for t in new for s in t.speakers if s in setting.roster.new)
    speakers = [setting.roster.new[ident] for ident in wanted]
    defaults = SiteDefaults(duration=facts.config.meeting.duration, time_set="time" in meeting)
    planned = plan(root, new, speakers, files, defaults, report)
    other_errors = 0
    if planned.sessions:
        report.failing, other_errors = verify(root, planned)
    if not request.dry_run:
        apply(root, planned)
    return Outcome(report, planned, other_errors)


def _read_sources(request: Request, mapping: Mapping, report: Report) -> Source:
    source = Source()
    for given in request.sources:
        path = Path(given)
        shown = given.rstrip("/") or given
        if not path.exists():
            raise UsageError(f"'{given}' does not exist")
        if request.fmt in ("jekyll", "hugo"):
            read: Callable[..., Source] = read_jekyll if request.fmt == "jekyll" else _hugo
            found = read(path, shown, mapping, report)
            source.entries += found.entries
            source.people.update(found.people)
            source.pages.update(found.pages)
            source.skipped += found.skipped
            continue
        files = [path] if path.is_file() else _files_in(path, request.fmt)
        if not files:
            raise UsageError(
                f"'{given}' holds no {request.fmt} files (" + ", ".join(SUFFIXES[request.fmt]) + ")"
            )
        for file in files:
            label = shown if file == path else f"{shown}/{file.name}"
            find = finder(file.parent, ("",), file.parent)
            if request.fmt == "csv" or file.suffix.lower() in SUFFIXES["csv"]:
                read_csv_file(file, label, report=report, source=source, find=find)
            else:
                read_yaml_file(
                    file,
                    label,
                    fmt="yaml",
                    mapping=mapping,
                    report=report,
                    source=source,
                    find=find,
                )
    return source


def _relative_label(where: Location, sources: tuple[str, ...]) -> str:
    """``_data/talks.yml:3`` for a file of a site given as a folder; ``talks.csv:3`` for a
    file given by itself: what stays the same wherever the import is run from."""
    path = where.path
    for given in sources:
        folder = given.rstrip("/")
        if path.startswith(folder + "/"):
            path = path[len(folder) + 1 :]
            break
    else:
        path = Path(path).name
    return f"{path}:{where.line}" if where.line else path


def _hugo(path: Path, shown: str, mapping: Mapping, report: Report) -> Source:
    return read_hugo(path, shown, report)


def _files_in(folder: Path, fmt: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES[fmt])


def _yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = read_data(path, path.name).data
    except Unread:
        return {}
    return data if isinstance(data, dict) else {}


def _names(speakers: dict[str, Any]) -> dict[str, str]:
    return {
        str(ident): str(value.get("name") or "") if isinstance(value, dict) else ""
        for ident, value in speakers.items()
    }


def _kind_name(ident: object, value: object) -> str:
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return str(value["name"])
    return value if isinstance(value, str) else str(ident)
