"""``rgsite init``: the starter site, from the ``skeleton/`` folder shipped in the wheel.

The skeleton's files are copied with a few tokens filled in — the title, the time zone,
today, and the first session's date (the next meeting by the skeleton's cadence) — and
checked by parsing them back before anything is written. Existing files are kept:
every file is opened with mode ``"x"``.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rgsite.authoring.cadence import next_meeting
from rgsite.authoring.new import write_new
from rgsite.authoring.speakers_yaml import quote
from rgsite.errors import Problems, RgsiteError, UsageError, did_you_mean
from rgsite.read.decode import ParseError, load_yaml, split_front_matter
from rgsite.read.site_yaml.config import load_config

RENAMED = {"gitignore": ".gitignore"}
"""Skeleton files stored under another name, so packaging tools do not treat them as their own."""


@dataclass(slots=True)
class InitResult:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def skeleton() -> Traversable:
    return resources.files("rgsite.authoring") / "skeleton"


def init_site(
    dest: Path,
    *,
    title: str | None = None,
    timezone: str | None = None,
    force: bool = False,
    now: datetime,
) -> InitResult:
    """Write the skeleton into ``dest``; existing files are kept, never overwritten."""
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"'{dest}' is a file; give a folder for the new site")
    if dest.is_dir() and not force:
        present = sorted(p.name for p in dest.iterdir() if p.name != ".git")
        if present:
            shown = ", ".join(present[:5]) + (", ..." if len(present) > 5 else "")
            raise UsageError(
                f"'{dest}' is not empty ({shown}); pick a new folder, or pass --force to add "
                "the skeleton's missing files (existing files are never overwritten)"
            )
    zone = timezone or local_timezone()
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"unknown time zone '{zone}'{did_you_mean(zone, available_timezones())}; use an "
            "IANA name like 'Europe/London' or 'America/Edmonton'"
        ) from None
    name = dest.resolve().name
    title = " ".join((title or default_title(name)).split()) or "Reading group"
    files = dict(_skeleton_files(skeleton(), ""))
    site_yaml = files["content/site.yaml"].replace("__TITLE__", quote(title))
    site_yaml = site_yaml.replace("__TIMEZONE__", tz.key)
    problems = Problems()
    config = load_config(load_yaml("content/site.yaml", site_yaml), problems)
    problems.raise_if_errors()
    first = next_meeting(config.meeting, tz, (), now)
    tokens = {
        "__TITLE__": quote(title),
        "__TITLE_TEXT__": title,
        "__TIMEZONE__": tz.key,
        "__SESSION_DATE__": first.isoformat(),
        "__TODAY__": now.astimezone(tz).date().isoformat(),
    }
    planned: dict[str, str] = {}
    for rel, text in files.items():
        for token, value in tokens.items():
            rel, text = rel.replace(token, value), text.replace(token, value)
        if rel.endswith(".md") and rel.startswith("content/"):
            try:
                split_front_matter(rel, text)
            except ParseError as exc:  # pragma: no cover - the skeleton is tested
                raise RgsiteError(f"the skeleton is broken: {exc.problem}") from None
        planned[rel] = text
    dest.mkdir(parents=True, exist_ok=True)
    result = InitResult()
    for rel, text in sorted(planned.items()):
        path = dest / rel
        try:
            write_new(dest, path, text)
        except RgsiteError:
            result.kept.append(path)
            continue
        result.written.append(path)
    return result


def _skeleton_files(folder: Traversable, prefix: str) -> Iterable[tuple[str, str]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__" or entry.name.endswith((".pyc", ".py")):
            continue
        name = RENAMED.get(entry.name, entry.name) if not prefix else entry.name
        rel = f"{prefix}{name}"
        if entry.is_dir():
            yield from _skeleton_files(entry, rel + "/")
        else:
            yield rel, entry.read_text(encoding="utf-8")


def default_title(folder_name: str) -> str:
    """``ml-theory`` -> ``Ml Theory reading group``; a name with "group" stays as is."""
    words = [w for w in re.split(r"[-_\s.]+", folder_name) if w]
    title = " ".join(w[:1].upper() + w[1:] for w in words) or "Our"
    return title if "group" in title.lower() else f"{title} reading group"


def local_timezone() -> str:
    """This machine's IANA zone name (from ``TZ`` or ``/etc/localtime``), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    target = os.path.realpath("/etc/localtime")
    if "zoneinfo/" in target:
        candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    for name in candidates:
        if name and "/" in name and not name.startswith("/"):
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
            return name
    return "UTC"
