"""The last build's record, so a build with nothing to do finishes before it starts.

Rebuilding an unchanged site is what organisers do most (a habit, a script, a CI job).
Checking every page's signature takes the whole engine: importing it costs a quarter of
a second, reading and linking a thousand sessions as much again. So each build records
in ``.rgsite-cache/last-build.json`` what it was made from and what it wrote:

- the options that shape the output (output folder, drafts, base URL, pinned time);
- the size and mtime of every file it could read: the site's ``content/``,
  ``templates/`` and ``static/``, the theme's, rgsite's own modules and the packages
  that render (a new version of Python-Markdown changes pages);
- the size and mtime of every file in the output folder after the swap;
- until when the time of day cannot matter: the end of the next session to end, when
  it turns from upcoming to past;
- its summary and warnings, shown again.

:func:`unchanged` compares the site and output as they are now with that record, using
the standard library only, and says whether the build can stop there. Anything it cannot
prove the same (a file added, touched or removed on either side, a missing or foreign
record, a different option) means a real build. The record holds no code and no
content, only names and numbers; a forged one can at worst skip a rebuild of files the
forger could have edited anyway.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rgsite import __version__
from rgsite.errors import Location, Problem
from rgsite.output.files import write_atomic

NAME = "last-build.json"
FORMAT = 1
PACKAGES = ("markdown", "pygments", "jinja2", "latex2mathml", "icalendar", "yaml", "pagefind_bin")
"""Installed packages whose version shapes the output: their files' stamps are inputs."""

Stamps = dict[str, list[int]]


@dataclass(frozen=True, slots=True)
class Summary:
    """What the recorded build reported."""

    pages: int
    files: int
    warnings: list[Problem]


class _Unprovable(Exception):
    """A folder is a symbolic link: its files' stamps would not show their edits."""


def key(
    out: Path, *, drafts: bool, base_url: str | None, now: datetime | None, papers: bool
) -> dict[str, Any]:
    """The options that shape a build's output, as the record compares them."""
    return {
        "out": str(out.resolve()),
        "drafts": drafts,
        "base_url": base_url,
        "now": now.isoformat() if now else None,
        "papers": papers,
    }


def inputs(site: Path, theme: Path) -> Stamps | None:
    """Size and mtime of every file a build of ``site`` may read; None if that cannot be
    known from stamps alone."""
    stamps: Stamps = {}
    try:
        for name in ("content", "templates", "static"):
            _walk(site / name, f"{name}/", stamps)
        for name in ("templates", "static"):
            _walk(theme / name, f"theme:{name}/", stamps)
        _walk(Path(__file__).parents[1], "rgsite:", stamps)  # the whole package
    except _Unprovable:
        return None
    for package in PACKAGES:
        # A package's __init__ is rewritten by every install of a new version.
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            _stamp(Path(spec.origin), f"{package}:", stamps)
    return stamps


def outputs(out: Path, leave_out: Collection[str] = ()) -> Stamps | None:
    """Size and mtime of every file in ``out`` but those in its folders ``leave_out``."""
    stamps: Stamps = {}
    try:
        _walk(out, "", stamps, leave_out)
    except _Unprovable:
        return None
    return stamps


def add_outputs(stamps: Stamps | None, out: Path, folder: str) -> Stamps | None:
    """``stamps`` with those of the files in ``out``'s ``folder`` (one left out before)."""
    if stamps is None:
        return None
    try:
        _walk(out / folder, f"{folder}/", stamps)
    except _Unprovable:
        return None
    return stamps


def save(
    cache: Path,
    key: dict[str, Any],
    read: Stamps | None,
    wrote: Stamps | None,
    valid_until: float | None,
    summary: Summary,
) -> None:
    """Record a successful build; a failure to record only costs the next build time."""
    if read is None or wrote is None:
        forget(cache)
        return
    record = {
        "format": FORMAT,
        "version": __version__,
        "key": key,
        "inputs": read,
        "outputs": wrote,
        "valid_until": valid_until,
        "pages": summary.pages,
        "files": summary.files,
        "warnings": [
            [p.location.path, p.location.line, p.message, p.severity] for p in summary.warnings
        ],
    }
    data = json.dumps(record, separators=(",", ":")).encode("utf-8")
    try:
        # Not synced: a record lost in a power cut costs one real build.
        write_atomic(cache / NAME, data, durable=False)
    except OSError:
        forget(cache)


def forget(cache: Path) -> None:
    """Drop the record: the next build is a real one."""
    with contextlib.suppress(OSError):
        (cache / NAME).unlink()


def unchanged(
    cache: Path, key: dict[str, Any], site: Path, theme: Path, out: Path
) -> Summary | None:
    """The recorded build's summary if building now would write exactly what is there."""
    try:
        record = json.loads((cache / NAME).read_text(encoding="utf-8"))
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            return None
        if record.get("version") != __version__ or record.get("key") != key:
            return None
        until = record.get("valid_until")
        if until is not None and time.time() >= until:
            return None
        # The inputs first: an edit changes them, and they are fewer files than the
        # output's. (Neither is ever None in a saved record.)
        if record.get("inputs") != inputs(site, theme) or record.get("outputs") != outputs(out):
            return None
        warnings = [
            Problem(Location(str(path), line), str(message), severity)
            for path, line, message, severity in record["warnings"]
            if severity in ("warning", "error") and (line is None or isinstance(line, int))
        ]
        return Summary(int(record["pages"]), int(record["files"]), warnings)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _walk(folder: Path, prefix: str, stamps: Stamps, leave_out: Collection[str] = ()) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = prefix + entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__" and name not in leave_out:
                    _walk(Path(entry.path), name + "/", stamps)
                continue
            if entry.is_symlink() and entry.is_dir():
                raise _Unprovable(entry.path)
            info = entry.stat()
        except OSError:
            continue
        stamps[name] = [info.st_size, info.st_mtime_ns]


def _stamp(path: Path, name: str, stamps: Stamps) -> None:
    try:
        info = path.stat()
    except OSError:
        return
    stamps[name] = [info.st_size, info.st_mtime_ns]
