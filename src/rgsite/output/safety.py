"""Which folders are safe to build into, and which paths are safe to write in them.

A build replaces its output folder completely, so rgsite refuses an output folder that
is the site, contains it, or lies inside ``content/``, ``templates/`` or ``static/``
(spec §4). Paths are compared by resolved components (``Path.resolve``,
``is_relative_to``), never by string prefix, so ``site-out`` beside ``site`` is fine.
``/`` and the home folder are refused, and so is any non-empty folder rgsite cannot
prove it wrote: every output root carries a ``.rgsite-output`` marker. Inside the
output, a path that would leave it (``..``, an absolute path) is refused too.

This module also words the errors of writing the output, so that each says what to do.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from rgsite.errors import OutputError

MARKER = ".rgsite-output"
MARKER_TEXT = b"This folder is written by rgsite. Every build replaces all of it.\n"
PROTECTED = ("content", "templates", "static")


def check_output_folder(site_root: Path, out: Path) -> None:
    """Raise OutputError if building into ``out`` could overwrite the site or other files."""
    site = site_root.resolve()
    target = out.resolve()  # a symlinked output folder is judged by where it points
    refuse_system_folder(out, target)
    if site.is_relative_to(target):
        what = "is the site folder" if site == target else f"contains the site folder {site}"
        raise OutputError(
            f"output folder {out} {what}; a build replaces its output folder completely. "
            f"Choose a folder of its own, such as {site / '_site'}"
        )
    for name in PROTECTED:
        guarded = (site / name).resolve()
        if target.is_relative_to(guarded) or guarded.is_relative_to(target):
            where = "lies inside" if target.is_relative_to(guarded) else "contains"
            raise OutputError(
                f"output folder {out} {where} the site's {name}/ folder; a build would "
                f"overwrite the site's own files. Choose a folder such as {site / '_site'}"
            )
    if target.exists() and not target.is_dir():
        raise OutputError(f"output folder {out} is a file, not a folder; choose another path")


def refuse_system_folder(shown: Path, target: Path) -> None:
    """Raise OutputError if ``target`` (shown as ``shown``) is ``/`` or holds the home folder."""
    if target == Path(target.anchor):
        raise OutputError(f"output folder {shown} is the root of the file system; choose another")
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError):
        return
    if home.is_relative_to(target):
        what = "is your home folder" if home == target else f"contains your home folder {home}"
        raise OutputError(f"output folder {shown} {what}; choose a folder of its own")


def previous_output(shown: Path, out: Path) -> Path | None:
    """``out`` if it exists (empty or with the marker); refuse anything else there."""
    try:
        st = os.stat(out)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"cannot read output folder {shown}: {hint(exc)}") from exc
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(f"output folder {shown} is a file, not a folder; choose another path")
    try:
        with os.scandir(out) as entries:
            foreign = not (out / MARKER).is_file() and any(entries)
    except OSError as exc:
        raise OutputError(f"cannot read output folder {shown}: {hint(exc)}") from exc
    if foreign:
        raise OutputError(
            f"output folder {shown} is not empty and was not written by rgsite; "
            "choose another folder or empty it"
        )
    return out


def output_parts(rel: str, shown: Path) -> list[str]:
    """The parts of ``rel``, an output path; OutputError unless it stays inside the output."""
    parts = rel.split("/")
    if rel == MARKER or any(p in ("", ".", "..") for p in parts) or "\\" in rel or "\0" in rel:
        raise OutputError(
            f"refusing to write {rel!r} into {shown}: output paths must be "
            "relative POSIX paths without '..', '.', empty parts or backslashes"
        )
    return parts


def hint(exc: OSError) -> str:
    """What went wrong, in words that say what to do."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied; fix the folder's permissions or choose another with -o"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full; free some space and build again"
    if exc.errno == errno.EROFS:
        return "the file system is read-only; choose an output folder on a writable disk (-o)"
    if exc.errno in (errno.EEXIST, errno.EISDIR, errno.ENOTDIR):
        return "a file and a folder would have the same name in the output"
    if exc.errno == errno.EXDEV:
        return "the output folder is a mount point; choose a folder inside it with -o"
    return exc.strerror or str(exc)
