"""The folders a build makes beside its output folder, and removing them.

A build stages its tree in ``.{name}.rgsite-tmp-<pid>-<random>`` beside the output
folder ``name``, and a swap without ``renameat2`` moves the previous tree to
``.{name}.rgsite-old-<pid>-<random>``. rgsite deletes nothing but folders with those two
names: its own, once a build is done with them, and leftovers of crashed builds whose
process is gone. The previous tree can be deleted now, on a thread, or by a detached
process, so that a command-line build need not wait for it.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import sys
import threading
from pathlib import Path

from rgsite.options import Cleanup

log = logging.getLogger(__name__)

# Stage and old-tree folder names this process is still using, so that cleaning up after
# crashed builds never removes a folder of a build running in this same process.
_ACTIVE: set[str] = set()
_ACTIVE_LOCK = threading.Lock()

_CLEANUP = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def new_name(out: Path, kind: str) -> Path:
    """A fresh ``.{name}.rgsite-{kind}-<pid>-<random>`` path beside ``out``, marked in use."""
    name = f".{out.name}.rgsite-{kind}-{os.getpid()}-{secrets.token_hex(4)}"
    with _ACTIVE_LOCK:
        _ACTIVE.add(name)
    return out.parent / name


def new_folder(out: Path, kind: str) -> Path:
    """Create a folder named by :func:`new_name`."""
    path = new_name(out, kind)
    try:
        path.mkdir()
    except OSError:
        forget(path)
        raise
    return path


def forget(path: Path) -> None:
    """This process no longer uses ``path``: a later clean-up may remove it."""
    with _ACTIVE_LOCK:
        _ACTIVE.discard(path.name)


def remove_stale(out: Path) -> None:
    """Remove stage and old-tree folders beside ``out`` left by builds that crashed."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.rgsite-(?:tmp|old)-([1-9][0-9]*)-[0-9a-f]+")
    try:
        entries = list(os.scandir(out.parent))
    except OSError as exc:
        log.debug("cannot list %s to clean up old builds: %s", out.parent, exc)
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or not entry.is_dir(follow_symlinks=False):
            continue
        pid = int(match[1])
        with _ACTIVE_LOCK:
            in_use = entry.name in _ACTIVE if pid == os.getpid() else _pid_alive(pid)
        if not in_use:
            log.info("removing %s left by an interrupted build", entry.path)
            remove_tree(Path(entry.path))


def remove_later(path: Path, how: Cleanup) -> None:
    """Delete the previous tree after the swap: now, in a thread, or by a detached process.

    Deleting thousands of files costs seconds on some disks; the new output is already
    in place, so a command-line build hands the old tree to a process of its own and
    returns. Should that process die, the next build removes the tree as stale.
    """
    if how == "thread":
        threading.Thread(target=remove_tree, args=(path,), daemon=False).start()
        return
    if how == "detach":
        spawn = getattr(os, "posix_spawn", None)
        if spawn is not None:
            quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
            try:
                spawn(
                    sys.executable,
                    [sys.executable, "-c", _CLEANUP, str(path)],
                    os.environ,
                    file_actions=quiet,
                    setsid=True,
                )
            except OSError:
                pass
            else:
                forget(path)
                return
    remove_tree(path)


def remove_tree(path: Path) -> None:
    """Delete the folder ``path``; one that will not go is left for the next build."""
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError as exc:  # left for the next build's clean-up
        log.warning("could not remove %s: %s", path, exc)
    forget(path)


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) is not a probe on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, but someone else's
        return True
    return True
