"""Reading one file of an old site: a document with front matter, or a data file.

Front matter may be YAML between ``---`` lines (Jekyll, Hugo) or TOML between ``+++``
lines (Hugo); YAML is read by rgsite's own decoder, so every value keeps its line, and
TOML keys are found on their lines by name. :func:`finder` looks up the files an old
site links to (``/assets/slides.pdf``), never outside its folder.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from rgsite.errors import Location
from rgsite.importing.entry import FileFinder, Value
from rgsite.read.decode import ParseError, Record, decode, load_yaml, split_front_matter

DOCUMENT_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".html", ".htm")
_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+|\"[^\"]+\")\s*=", re.MULTILINE)
_TOML_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)", re.MULTILINE)


class Unread(Exception):
    """A file that cannot be read; its message says why, its location where."""

    def __init__(self, where: Location, why: str) -> None:
        super().__init__(why)
        self.where, self.why = where, why


@dataclass(slots=True)
class Document:
    values: list[Value]
    data: dict[str, Any]
    body: str
    body_line: int


def read_text(path: Path, shown: str) -> str:
    try:
        return decode(shown, path.read_bytes())
    except OSError as exc:
        raise Unread(Location(shown), f"cannot be read: {exc.strerror}") from None
    except ParseError as exc:
        raise Unread(exc.problem.location, exc.problem.message) from None


def read_document(path: Path, shown: str) -> Document | None:
    """A document's front matter and body; None for a file without front matter."""
    text = read_text(path, shown)
    if text.startswith("+++"):
        return _toml(text, shown)
    if not text.startswith("---"):
        return None
    try:
        record = split_front_matter(shown, text)
    except ParseError as exc:
        raise Unread(exc.problem.location, exc.problem.message) from None
    return Document(values_of(record), record.data, record.body, record.body_line)


def read_data(path: Path, shown: str) -> Record:
    """A YAML (or JSON) data file, with the line of every value."""
    try:
        return load_yaml(shown, read_text(path, shown))
    except ParseError as exc:
        raise Unread(exc.problem.location, exc.problem.message) from None


def values_of(record: Record, *at: str | int) -> list[Value]:
    """The values of the mapping at ``at`` in ``record``, each at its line."""
    data = record.data
    for key in at:
        data = data[key]
    return [Value(str(key), value, record.at(*at, key)) for key, value in data.items()]


def _toml(text: str, shown: str) -> Document:
    closing = _TOML_FENCE.search(text, 3)
    if closing is None:
        raise Unread(Location(shown, 1), "front matter opened with '+++' is never closed")
    front = text[text.index("\n") + 1 : closing.start()]
    try:
        data = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        raise Unread(Location(shown, 1), f"invalid TOML front matter: {exc}") from None
    lines: dict[str, int] = {}
    table_start = len(front)
    table = _TOML_TABLE.search(front)
    if table:
        table_start = table.start()
    for match in _TOML_TABLE.finditer(front):
        lines.setdefault(match[1].split(".")[0], front.count("\n", 0, match.start()) + 2)
    for match in _TOML_KEY.finditer(front[:table_start]):
        lines.setdefault(match[1].strip('"'), front.count("\n", 0, match.start()) + 2)
    values = [Value(k, v, Location(shown, lines.get(k, 1))) for k, v in data.items()]
    body_start = closing.end() + 1
    return Document(values, data, text[body_start:], text.count("\n", 0, body_start) + 1)


def walk(root: Path) -> list[Path]:
    """Every file under ``root``, in order, never following a symbolic link: an old site
    may link outside itself, or in a loop."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not Path(folder, d).is_symlink())
        found += [Path(folder, f) for f in sorted(files) if not Path(folder, f).is_symlink()]
    return found


def finder(root: Path, site_dirs: tuple[str, ...], here: Path | None) -> FileFinder:
    """Finds what a link names: ``/x`` under each of ``site_dirs`` of ``root``, anything
    else beside the document (``here``) first. Only regular files inside ``root``."""
    top = root.resolve()

    def find(link: str) -> Path | None:
        path = link.split("#", 1)[0].split("?", 1)[0]
        if not path or "://" in path or path.startswith(("mailto:", "//")):
            return None
        path = unquote(path)
        bases = [root / d for d in site_dirs] if path.startswith("/") else []
        if not path.startswith("/"):
            bases = ([here] if here is not None else []) + [root / d for d in site_dirs]
        for base in bases:
            candidate = (base / path.lstrip("/")).resolve()
            if candidate.is_relative_to(top) and candidate.is_file():
                return candidate
        return None

    return find
