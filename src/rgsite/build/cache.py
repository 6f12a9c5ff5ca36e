"""The persistent cache in ``.rgsite-cache/``: Markdown renderings, page signatures and
images.

A Markdown rendering is stored under a digest of its text, its place and everything
that shapes the HTML: rgsite's version, the source of the modules that render, and the
versions of Python-Markdown, Pygments and latex2mathml. The site's math macros are not
in the key: a rendering records the digest of the macros it was made with (none when it
has no math), and the reader takes one made with other macros as a miss, so changing a
macro renders again only the texts with math. Page signatures are stored per
output folder with each file's size and mtime, so a page is kept only while the file
rgsite wrote is still there untouched.

Entries are JSON in SQLite, never pickles: a cache from another machine, another
version or a broken disk is read as a miss, never trusted and never executed. Any
database error switches the cache off for the build; the build stays correct.

Images keep two tables: ``image_facts``, what reading an image found (its digest by the
file's size and mtime, its pixel size by its digest and Pillow's version), and
``images``, each resized copy's bytes by its :attr:`~rgsite.images.sizes.Rendition.key`,
so a build after the first decodes and encodes no image it has seen.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rgsite import __version__
from rgsite.errors import Location, Problem
from rgsite.markdown.refs import Ref
from rgsite.markdown.render import Heading, Rendered

log = logging.getLogger(__name__)

FOLDER = ".rgsite-cache"
SCHEMA = 1
PageRecord = tuple[str, int, int]
"""A page's signature, and the size and mtime (ns) of the file written for it."""


def _renderer_digest() -> str:
    parts = [__version__, str(SCHEMA)]
    here = Path(__file__).parents[1] / "markdown"
    for name in sorted(p.name for p in here.glob("*.py")):
        try:
            parts.append(hashlib.blake2b((here / name).read_bytes(), digest_size=16).hexdigest())
        except OSError:
            parts.append(name)
    for package in ("markdown", "pygments", "latex2mathml"):
        # The modules' own versions: they are imported to render anyway, and
        # importlib.metadata costs a build 20 ms to import.
        try:
            parts.append(f"{package}={importlib.import_module(package).__version__}")
        except (ImportError, AttributeError):
            parts.append(package)
    return "|".join(parts)


def markdown_key(salt: str, text: str, path: str, line: int) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in (salt, path, str(line), text):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def encode(rendered: Rendered) -> str:
    return json.dumps(
        [
            rendered.html,
            [[r.kind, r.target, r.line, r.fragment, r.index] for r in rendered.refs],
            [[p.location.path, p.location.line, p.message, p.severity] for p in rendered.problems],
            [[h.level, h.id, h.text] for h in rendered.headings],
            rendered.summary,
            rendered.has_math,
            rendered.macros,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(text: str) -> Rendered | None:
    """A rendering from its JSON, or None for anything malformed."""
    try:
        html, refs, problems, headings, summary, has_math, macros = json.loads(text)
        rendered = Rendered(
            html=_str(html),
            refs=tuple(
                Ref(kind=_str(k), target=_str(t), line=_int(n), fragment=_str(f), index=_int(i))
                for k, t, n, f, i in refs
            ),
            problems=tuple(
                Problem(
                    Location(_str(path), None if line is None else _int(line)),
                    _str(message),
                    "warning" if severity == "warning" else "error",
                )
                for path, line, message, severity in problems
            ),
            headings=tuple(
                Heading(level=_int(level), id=_str(ident), text=_str(text))
                for level, ident, text in headings
            ),
            summary=_str(summary),
            has_math=bool(has_math),
            macros=_str(macros),
        )
    except (ValueError, TypeError):
        return None
    return rendered


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected a number")
    return value


class Cache:
    """The cache of one site; does nothing when ``folder`` is None or unusable."""

    def __init__(self, folder: Path | None) -> None:
        self.salt = _renderer_digest()
        self.db: sqlite3.Connection | None = None
        self.used: set[str] = set()
        self.used_images: set[str] = set()
        self.used_facts: set[str] = set()
        self.pending: list[Callable[[], None]] = []
        if folder is None:
            return
        try:
            folder.mkdir(exist_ok=True)
            gitignore = folder / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n")
            self.db = sqlite3.connect(folder / "cache.sqlite", timeout=5)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None or row[0] != str(SCHEMA):
                self.db.executescript(
                    "DROP TABLE IF EXISTS markdown; DROP TABLE IF EXISTS pages;"
                    "DROP TABLE IF EXISTS image_facts; DROP TABLE IF EXISTS images;"
                    "DROP TABLE IF EXISTS records; DROP TABLE IF EXISTS resolved;"
                    f"INSERT OR REPLACE INTO meta VALUES ('schema', '{SCHEMA}');"
                )
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS markdown (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS pages (out TEXT, rel TEXT, sig TEXT, size INTEGER,"
                " mtime INTEGER, PRIMARY KEY (out, rel))"
            )
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS image_facts (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS images (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
            )
            for table in ("records", "resolved"):
                self.db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table}"
                    " (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
            self.db.commit()
        except (OSError, sqlite3.Error) as exc:
            log.warning("the cache in %s is unusable (%s); building without it", folder, exc)
            self._drop()

    def _drop(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
        self.db = None

    def get_markdown(self, keys: Iterable[str]) -> dict[str, Rendered]:
        found: dict[str, Rendered] = {}
        if self.db is None:
            return found
        wanted = list(keys)
        self.used.update(wanted)
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(
                    f"SELECT key, value FROM markdown WHERE key IN ({marks})", chunk
                )
                for key, value in rows:
                    rendered = decode(value) if isinstance(value, str) else None
                    if rendered is not None:
                        found[key] = rendered
        except sqlite3.Error as exc:
            log.warning("the cache could not be read (%s); building without it", exc)
            self._drop()
        return found

    def put_markdown(self, entries: dict[str, Rendered]) -> None:
        if self.db is None or not entries:
            return
        self.used.update(entries)
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO markdown VALUES (?, ?)",
                    ((key, encode(r)) for key, r in entries.items()),
                )
        except sqlite3.Error as exc:
            log.warning("the cache could not be written (%s); building without it", exc)
            self._drop()

    def get_records(self) -> dict[str, str]:
        """Every parsed file stored (see :mod:`rgsite.read.stored`), by path."""
        return self._all("records")

    def put_records(self, entries: dict[str, str], gone: Iterable[str] = ()) -> None:
        """Store parsed files by path, and forget those of the files ``gone``."""
        self._replace("records", entries.items(), gone)

    def get_resolved(self) -> dict[str, str]:
        """Every resolved rendering stored (see :mod:`rgsite.build.resolved`), by digest."""
        return self._all("resolved")

    def put_resolved(self, entries: Iterable[tuple[str, str]], gone: Iterable[str] = ()) -> None:
        self._replace("resolved", entries, gone)

    def _all(self, table: str) -> dict[str, str]:
        if self.db is None:
            return {}
        try:
            rows = self.db.execute(f"SELECT key, value FROM {table}").fetchall()
        except sqlite3.Error as exc:
            log.warning("the cache could not be read (%s); building without it", exc)
            self._drop()
            return {}
        return {k: v for k, v in rows if isinstance(k, str) and isinstance(v, str)}

    def _replace(self, table: str, entries: Iterable[tuple[str, str]], gone: Iterable[str]) -> None:
        if self.db is None:
            return
        try:
            with self.db:
                self.db.executemany(f"DELETE FROM {table} WHERE key = ?", ((k,) for k in gone))
                self.db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", entries)
        except sqlite3.Error as exc:
            log.warning("the cache could not be written (%s); building without it", exc)
            self._drop()

    def get_image_facts(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = list(keys)
        self.used_facts.update(wanted)
        return {k: v for k, v in self._get("image_facts", wanted).items() if isinstance(v, str)}

    def put_image_facts(self, entries: dict[str, str]) -> None:
        self.used_facts.update(entries)
        self._put("image_facts", entries)

    def get_images(self, keys: Iterable[str]) -> dict[str, bytes]:
        """Resized copies by key; every key asked for counts as used (see :meth:`prune`)."""
        wanted = list(keys)
        self.used_images.update(wanted)
        return {k: v for k, v in self._get("images", wanted).items() if isinstance(v, bytes)}

    def put_images(self, entries: dict[str, bytes]) -> None:
        self.used_images.update(entries)
        self._put("images", entries)

    def keep_images(self, keys: Iterable[str]) -> None:
        """Count these copies as used though this build did not read them (it kept the
        files it wrote last time), so :meth:`prune` leaves them for the next output."""
        self.used_images.update(keys)

    def _get(self, table: str, keys: Iterable[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.db is None:
            return found
        wanted = list(keys)
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, value FROM {table} WHERE key IN ({marks})"
                found.update(self.db.execute(query, chunk))
        except sqlite3.Error as exc:
            log.warning("the cache could not be read (%s); building without it", exc)
            self._drop()
        return found

    def _put(self, table: str, entries: dict[str, Any]) -> None:
        if self.db is None or not entries:
            return
        try:
            with self.db:
                self.db.executemany(
                    f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", list(entries.items())
                )
        except sqlite3.Error as exc:
            log.warning("the cache could not be written (%s); building without it", exc)
            self._drop()

    def prune(self) -> None:
        """Forget renderings and resized images this build did not use, once they
        outnumber the used ones."""
        if self.db is None:
            return
        try:
            for table, used, slack in (
                ("markdown", self.used, 1000),
                ("images", self.used_images, 100),
                ("image_facts", self.used_facts, 1000),
            ):
                (total,) = self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
                if total > 2 * len(used) + slack:
                    with self.db:
                        self.db.execute(
                            "CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)"
                        )
                        self.db.execute("DELETE FROM keep")
                        self.db.executemany("INSERT INTO keep VALUES (?)", ((k,) for k in used))
                        self.db.execute(
                            f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM keep)"
                        )
        except sqlite3.Error as exc:
            log.warning("the cache could not be pruned (%s)", exc)
            self._drop()

    def pages(self, out: Path) -> dict[str, PageRecord]:
        if self.db is None:
            return {}
        try:
            rows = self.db.execute(
                "SELECT rel, sig, size, mtime FROM pages WHERE out = ?", (str(out),)
            ).fetchall()
        except sqlite3.Error as exc:
            log.warning("the cache could not be read (%s); building without it", exc)
            self._drop()
            return {}
        return {
            rel: (sig, size, mtime)
            for rel, sig, size, mtime in rows
            if isinstance(rel, str)
            and isinstance(sig, str)
            and isinstance(size, int)
            and isinstance(mtime, int)
        }

    def save_pages(self, out: Path, pages: dict[str, PageRecord], *, every: bool = True) -> None:
        """Record the files written in ``out``: ``every`` one of them, or (False) just
        ``pages``, keeping the other records."""
        if self.db is None:
            return
        try:
            with self.db:
                if every:
                    self.db.execute("DELETE FROM pages WHERE out = ?", (str(out),))
                self.db.executemany(
                    "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
                    ((str(out), rel, *record) for rel, record in pages.items()),
                )
        except sqlite3.Error as exc:
            log.warning("the cache could not be written (%s)", exc)
            self._drop()

    def later(self, save: Callable[[], None]) -> None:
        """Run ``save`` at :meth:`flush`: writes the build does not wait for, made while it
        waits for something else (the search index)."""
        self.pending.append(save)

    def flush(self) -> None:
        while self.pending:
            self.pending.pop(0)()

    def close(self) -> None:
        self.flush()
        self._drop()
