"""Processes that fill a new stage while the site is read and planned.

A build spends its first half reading and planning on one core; the stage's file system
work can be done on another meanwhile. :func:`make_folders` starts ``mkdir`` processes
making a tree's folders; :func:`link_tree` starts one ``cp`` hard-linking a whole previous
output in. They are processes, not threads, so that workers may still be forked.
:class:`~rgsite.output.stage.Stage` waits for them before its first write and decides
what their work means; this module must not know about routes or content.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Collection, Iterable

MKDIR_BATCH = 2000
"""Folders per ``mkdir`` command."""


def folders_of(rels: Iterable[str]) -> set[str]:
    """Every folder the files ``rels`` lie in, but any with an odd name."""
    folders: set[str] = set()
    for rel in rels:
        parts = rel.split("/")[:-1]
        if not parts or any(p in ("", ".", "..") or p.startswith("-") for p in parts):
            continue
        for i in range(1, len(parts) + 1):
            folders.add("/".join(parts[:i]))
    return folders


def make_folders(stage: str, folders: Collection[str]) -> list[subprocess.Popen[bytes]]:
    """Start making ``folders`` in ``stage``; OSError, with none left running, where there
    is no ``mkdir`` to run."""
    if sys.platform == "win32":
        raise OSError("no mkdir command")
    listed = sorted(folders)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        # In parts, to stay far below the system's limit on a command line's length.
        for start in range(0, len(listed), MKDIR_BATCH):
            processes.append(
                _start(["mkdir", "-p", "--", *listed[start : start + MKDIR_BATCH]], stage)
            )
    except OSError:
        for process in processes:
            process.wait()
        raise
    return processes


def link_tree(
    previous: str, stage: str, leave_out: Collection[str]
) -> subprocess.Popen[bytes] | None:
    """Start hard-linking every file and folder of ``previous`` into ``stage``, but the
    top-level names ``leave_out``; None where that cannot be done (not Linux, no ``cp``,
    nothing to link). Folders are made anew (``-R`` without ``-a``), as a build makes
    them; ``-P`` links a symbolic link itself, never what it points at."""
    cp = shutil.which("cp")
    if sys.platform != "linux" or cp is None:
        return None
    try:
        names = sorted(set(os.listdir(previous)) - set(leave_out))
    except OSError:
        return None
    if not names:
        return None
    try:
        return _start([cp, "-R", "-P", "-l", "--", *names, stage], previous)
    except OSError:
        return None


def unlink(stage: str, rels: Iterable[str]) -> None:
    """Unlink the files ``rels`` (if there) from ``stage``, and the folders left empty."""
    parents: set[str] = set()
    for rel in rels:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
            os.unlink(os.path.join(stage, rel))
            parents.add(rel.rpartition("/")[0])
    folders = {"/".join(p.split("/")[:i]) for p in parents if p for i in range(1, p.count("/") + 2)}
    for folder in sorted(folders, key=lambda d: d.count("/"), reverse=True):
        with contextlib.suppress(OSError):  # not empty: it holds this build's files
            os.rmdir(os.path.join(stage, folder))


def clear(path: str, written: Collection[str], prefix: str) -> None:
    """Remove the file at ``path``, or the folder, unless ``written`` (this build's files)
    has a path starting with ``prefix`` (the folder's), then writing there fails."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        if not any(rel.startswith(prefix) for rel in written):
            shutil.rmtree(path)


def clear_file(folder: str, stage: str, written: Collection[str]) -> None:
    """Unlink the file that stands where ``stage`` needs ``folder`` or a folder above it,
    unless this build wrote it (it is in ``written``)."""
    parts = folder.split("/")
    for end in range(1, len(parts) + 1):
        at = os.path.join(stage, *parts[:end])
        if os.path.islink(at) or os.path.isfile(at):
            if "/".join(parts[:end]) not in written:
                os.unlink(at)
            return


def _start(command: list[str], cwd: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
