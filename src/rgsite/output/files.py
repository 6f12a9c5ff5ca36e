"""Files in the output: comparing them with what is there, and linking or copying them.

A file whose bytes equal the previous output's file is hard-linked or left alone, never
written again, so it keeps its inode and mtime and rsync or a static host sees it
unchanged. These helpers take plain string paths as well as ``Path``: they run for every
file of the site, and pathlib costs more than the system calls.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

_CHUNK = 1 << 20


def is_file_of(path: str | Path, size: int, mtime_ns: int | None = None) -> bool:
    """Whether ``path`` is a regular file (not a link) of ``size`` bytes and that mtime."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_ISREG(st.st_mode)
        and st.st_size == size
        and (mtime_ns is None or st.st_mtime_ns == mtime_ns)
    )


def link_or_copy(old: str | Path, dest: str | Path) -> None:
    """Hard-link the unchanged ``old`` at ``dest``, so it keeps its inode and mtime; where
    links fail (another device, a file system without them), copy its bytes and mtime."""
    try:
        os.link(old, dest)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.EOPNOTSUPP):
            raise
        shutil.copyfile(old, dest)
        st = os.stat(old)
        os.utime(dest, ns=(st.st_atime_ns, st.st_mtime_ns))


def same_bytes(path: str | Path, data: bytes) -> bool:
    view = memoryview(data)
    with open(path, "rb") as f:
        for start in range(0, len(data), _CHUNK):
            if f.read(_CHUNK) != view[start : start + _CHUNK]:
                return False
        return not f.read(1)


def same_file(a: str | Path, b: str | Path) -> bool:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            chunk = fa.read(_CHUNK)
            if chunk != fb.read(_CHUNK):
                return False
            if not chunk:
                return True
