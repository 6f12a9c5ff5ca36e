"""Parsed files kept in the persistent cache, so a build parses only the files that changed.

Parsing the front matter and YAML of a thousand sessions is a tenth of a second of a
build after a one-line edit. Each file's :class:`~rgsite.read.decode.Record` is stored
in ``.rgsite-cache/`` as JSON under its site-relative path, with what it was parsed
from: the file's stamp (mtime, ctime, size, inode, device) and a digest of the parser
(rgsite's version, ``decode.py`` and PyYAML's version). A stored record is used only
while all of these are the same, so any doubt means the file is read and parsed again:

- an edit changes the mtime, and always the ctime, which no tool can set back, so even
  an edit that keeps the size and puts the old mtime back is seen;
- a file replaced by another (an editor's save by rename, a ``git checkout``) has a new
  inode;
- a file written in the same clock tick as the build read it could keep every stamp
  (the "racily clean" case Git knows), so a file changed less than :data:`SETTLED_NS`
  before it is read is not stored.

Only plain data is stored (text keys; text, numbers, booleans, null, lists and
mappings): a record with anything else is simply not kept. This module must not
validate content or know what a session is.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from rgsite import __version__
from rgsite.read.decode import Record

if TYPE_CHECKING:
    from rgsite.build.cache import Cache

SETTLED_NS = 2_000_000_000
"""A file changed this recently (ns) when it is read is parsed again next time."""

Stamp = tuple[int, int, int, int, int]


def stamp_of(info: os.stat_result) -> Stamp:
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev)


def _parser_digest() -> str:
    source = Path(__file__).with_name("decode.py")
    try:
        code = hashlib.blake2b(source.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        code = "unknown"
    return f"{__version__}|{code}|{yaml.__version__}|{yaml.__with_libyaml__}"


class StoredRecords:
    """The records a cache holds for one site: looked up by path, file stamp and parser."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.salt = _parser_digest()
        self.rows = cache.get_records()
        self.stored = set(self.rows)
        self.fresh: dict[str, tuple[Record, Stamp, bool]] = {}

    def get(self, rel: str, stamp: Stamp, yaml_file: bool) -> Record | None:
        """The stored record of ``rel`` if it was parsed, the same way, from this very file."""
        row = self.rows.pop(rel, None)  # decoded once: its text need not stay in memory
        if row is None:
            return None
        try:
            salt, was_yaml, was_stamp, data, lines, body, body_line = json.loads(row)
            if salt != self.salt or was_yaml is not yaml_file or tuple(was_stamp) != stamp:
                return None
            if not isinstance(body, str) or not isinstance(body_line, int):
                return None
            return Record(rel, data, {tuple(at): line for at, line in lines}, body, body_line)
        except (ValueError, TypeError):
            return None

    def put(self, record: Record, stamp: Stamp, yaml_file: bool) -> None:
        """Keep ``record`` for the next build, unless its file is too fresh to trust its
        stamp or its data is not plain."""
        settled = time.time_ns() - SETTLED_NS
        if stamp[0] < settled and stamp[1] < settled:
            self.fresh[record.path] = (record, stamp, yaml_file)

    def save(self, paths: set[str]) -> None:
        """Store the records parsed this build; forget those of files no longer in ``paths``."""
        gone = [rel for rel in self.stored if rel not in paths and rel not in self.fresh]
        rows = {
            rel: self._encode(*parsed)
            for rel, parsed in self.fresh.items()
            if _plain(parsed[0].data)
        }
        self.cache.put_records(rows, gone)
        self.fresh = {}

    def _encode(self, record: Record, stamp: Stamp, yaml_file: bool) -> str:
        return json.dumps(
            [
                self.salt,
                yaml_file,
                stamp,
                record.data,
                [[at, line] for at, line in record.lines.items()],
                record.body,
                record.body_line,
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )


def _plain(value: Any) -> bool:
    """Whether JSON gives ``value`` back as it is."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, list):
        return all(map(_plain, value))
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False
