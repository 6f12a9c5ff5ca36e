"""Talk lists in YAML (or JSON) files, and people files beside them.

A file holds talks as a list of mappings, one per talk — at the top, or grouped under
keys (``talks:``, ``2019:``, ``fall:``). A file that maps ids to people (or lists
people with ids and names, and no dates) is a people file: talks that name someone by
id find them there. Anything else is reported as not a list of talks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rgsite.errors import Location
from rgsite.importing.entry import Entry, FileFinder, Source
from rgsite.importing.fields import Mapping
from rgsite.importing.report import Report
from rgsite.importing.sources.documents import Unread, read_data, values_of
from rgsite.importing.values.people import is_people_file, people_file
from rgsite.read.decode import Path_

DEPTH = 3
"""How deep under grouping keys a list of talks is looked for."""


def read_yaml_file(
    path: Path,
    shown: str,
    *,
    fmt: str,
    mapping: Mapping,
    report: Report,
    source: Source,
    find: FileFinder,
) -> None:
    """Add the talks (or people) of one YAML file to ``source``."""
    try:
        record = read_data(path, shown)
    except Unread as exc:
        source.skipped.append((exc.where, exc.why))
        return
    if is_people_file(record.data):
        source.people.update(people_file(record, report))
        return
    found = list(_talk_lists(record.data, (), mapping, fmt))
    if not found:
        source.skipped.append(
            (
                Location(shown),
                "holds no list of talks (one mapping per talk, each with a date)",
            )
        )
        return
    for at in found:
        items = _at(record.data, at)
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                report.cannot_use(
                    "talk", item, record.at(*at, index), "is not a talk: a talk is a mapping"
                )
                continue
            source.entries.append(
                Entry(record.at(*at, index), values_of(record, *at, index), find=find)
            )


def is_talk(item: object, mapping: Mapping, fmt: str) -> bool:
    return isinstance(item, dict) and any(mapping.our_key(str(k), fmt) == "date" for k in item)


def _talk_lists(data: Any, at: Path_, mapping: Mapping, fmt: str) -> list[Path_]:
    if isinstance(data, list):
        talks = [item for item in data if is_talk(item, mapping, fmt)]
        return [at] if data and len(talks) * 2 >= len(data) else []
    if isinstance(data, dict) and len(at) < DEPTH:
        found: list[Path_] = []
        for key, value in data.items():
            found += _talk_lists(value, (*at, key), mapping, fmt)
        return found
    return []


def _at(data: Any, at: Path_) -> Any:
    for key in at:
        data = data[key]
    return data
