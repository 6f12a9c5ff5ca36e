"""Find a site's files and say what each one is.

Shared by the build (what to read) and the watcher (what a changed path means), so
both agree on which files matter. Editor droppings are ignored here, once.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from rgsite.errors import Location, Problem, Problems

THEME = Path(__file__).parents[1] / "theme"


def theme_dir() -> Path:
    """The default theme: inside the installed package, or the checkout's top level."""
    if (THEME / "templates").is_dir():
        return THEME
    return Path(__file__).resolve().parents[3]


CONTENT, TEMPLATES, STATIC = "content", "templates", "static"
LOCALES = "locales"
"""A site's own translations: ``locales/<lang>.po``."""


def is_site(root: Path) -> bool:
    """Whether ``root`` holds a site: every command asks this one question."""
    return (root / CONTENT).is_dir()


def not_a_site(shown: str) -> str:
    """What every command says of a folder that is not a site."""
    return (
        f"'{shown}' has no content/ folder, so it is not an rgsite site; run this in a "
        "site, or start one with 'rgsite init DIR'"
    )


class FileKind(Enum):
    CONFIG = "config"
    SPEAKERS = "speakers"
    PAPERS = "papers"
    READING_LIST = "reading-list"
    SESSION = "session"
    ATTACHMENT = "attachment"
    PROPOSAL = "proposal"
    PAGE = "page"
    TEMPLATE = "template"
    STATIC = "static"
    CATALOG = "catalog"
    UNKNOWN = "unknown"


_IGNORED = re.compile(
    r"""(^\.|~$|\.sw[a-p]$|\.swx$|^\#.*\#$|\.tmp$|\.bak$|\.orig$|^4913$|\.crdownload$|
        ^Thumbs\.db$|^desktop\.ini$)""",
    re.VERBOSE,
)
_SESSION_STEM = re.compile(r"^\d{4}-\d{2}-\d{2}-.+$")
_FILE_KINDS = frozenset(
    {
        FileKind.CONFIG,
        FileKind.SPEAKERS,
        FileKind.PAPERS,
        FileKind.READING_LIST,
        FileKind.SESSION,
        FileKind.PROPOSAL,
        FileKind.PAGE,
    }
)


def ignored(name: str) -> bool:
    """Editor swap, backup and lock files, and hidden files: never content."""
    return bool(_IGNORED.search(name))


def classify(rel: str) -> FileKind:
    """What the site-relative POSIX path ``rel`` is, judged by its place alone."""
    parts = rel.split("/")
    if any(ignored(part) for part in parts):
        return FileKind.UNKNOWN
    top = parts[0]
    if top == TEMPLATES and len(parts) > 1:
        return FileKind.TEMPLATE
    if top == STATIC and len(parts) > 1:
        return FileKind.STATIC
    if top == LOCALES and len(parts) == 2 and parts[1].endswith(".po"):
        return FileKind.CATALOG
    if top != CONTENT or len(parts) < 2:
        return FileKind.UNKNOWN
    if len(parts) == 2:
        return {
            "site.yaml": FileKind.CONFIG,
            "speakers.yaml": FileKind.SPEAKERS,
            "papers.yaml": FileKind.PAPERS,
        }.get(parts[1], FileKind.UNKNOWN)
    folder, name = parts[1], parts[-1]
    if folder == "reading-lists" and len(parts) == 3 and name.endswith(".yaml"):
        return FileKind.READING_LIST
    if folder == "proposals" and len(parts) == 3 and name.endswith(".md"):
        return FileKind.PROPOSAL
    if folder == "pages" and len(parts) == 3 and name.endswith(".md"):
        return FileKind.PAGE
    if folder == "sessions":
        if len(parts) == 3 and name.endswith(".md"):
            return FileKind.SESSION
        if len(parts) >= 4:
            return (
                FileKind.SESSION if len(parts) == 4 and name == "index.md" else FileKind.ATTACHMENT
            )
    return FileKind.UNKNOWN


@dataclass(slots=True)
class Sources:
    """Every file of a site that matters, by kind, as site-relative POSIX paths."""

    root: Path
    by_kind: dict[FileKind, list[str]] = field(default_factory=dict)
    reported: list[Problem] = field(default_factory=list)
    """What the walk found wrong (misnamed files, files rgsite does not know)."""

    def of(self, kind: FileKind) -> list[str]:
        return self.by_kind.get(kind, [])

    def unchanged_by(self, changes: Iterable[str]) -> bool:
        """Whether the paths in ``changes`` (what a watcher saw change) leave this walk as
        it was: each one a plain file the walk found, and still there."""
        listed = {rel for files in self.by_kind.values() for rel in files}
        for rel in changes:
            if rel not in listed:
                return False
            try:
                if not stat.S_ISREG(os.lstat(self.root / rel).st_mode):
                    return False
            except OSError:
                return False
        return True

    def path(self, rel: str) -> Path:
        return self.root / rel


def discover(root: Path, problems: Problems) -> Sources:
    """Walk ``content/``, ``templates/``, ``static/`` and ``locales/``; refuse links that
    leave the site."""
    sources = Sources(root)
    found = Problems()
    _discover(sources, found)
    sources.reported = found.items
    problems.extend(found.items)
    return sources


def _discover(sources: Sources, problems: Problems) -> None:
    root = sources.root
    real_root = root.resolve()
    for top in (CONTENT, TEMPLATES, STATIC, LOCALES):
        base = root / top
        if not base.is_dir():
            continue
        for rel in _walk(root, base, real_root, problems):
            kind = classify(rel)
            if kind is FileKind.UNKNOWN:
                if top == CONTENT and not ignored(rel.rsplit("/", 1)[-1]):
                    problems.warning(
                        Location(rel),
                        "rgsite does not know what this file is and leaves it out; sessions go in "
                        "content/sessions/, pages in content/pages/, files to copy in static/",
                    )
                continue
            if kind is FileKind.STATIC and rel.endswith((".md", ".markdown")):
                problems.error(
                    Location(rel),
                    "a Markdown file in static/ would be published as raw text; move it to "
                    "content/pages/ to make it a page",
                )
                continue
            sources.by_kind.setdefault(kind, []).append(rel)
    for files in sources.by_kind.values():
        files.sort()
    _check_session_names(sources, problems)


def _walk(root: Path, base: Path, real_root: Path, problems: Problems) -> list[str]:
    found: list[str] = []
    seen: set[str] = set()

    def onerror(exc: OSError) -> None:
        rel = Path(exc.filename).relative_to(root).as_posix() if exc.filename else base.name
        problems.error(Location(rel), f"cannot read this folder: {exc.strerror}")

    for folder, dirs, files in os.walk(base, onerror=onerror, followlinks=True):
        real = os.path.realpath(folder)
        # A link to the folder holding it, or to any folder above, is a loop even when the
        # walk has not been there yet (static/up -> .. would walk the whole site again).
        inside_itself = folder != os.fspath(base) and Path(
            os.path.realpath(os.path.dirname(folder))
        ).is_relative_to(real)
        if real in seen or inside_itself:
            rel = Path(folder).relative_to(root).as_posix()
            problems.error(Location(rel), "this folder is a symbolic link loop; remove the link")
            dirs[:] = []
            continue
        seen.add(real)
        if not Path(real).is_relative_to(real_root):
            rel = Path(folder).relative_to(root).as_posix()
            problems.error(
                Location(rel),
                "this is a symbolic link to a folder outside the site; copy the files in instead",
            )
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not ignored(d))
        for name in dirs:
            rel = (Path(folder) / name).relative_to(root).as_posix()
            if classify(rel) in _FILE_KINDS:
                problems.error(
                    Location(rel),
                    "this is a folder, but rgsite reads a file of this name; remove or rename "
                    "the folder",
                )
        for name in sorted(files):
            if ignored(name):
                continue
            full = Path(folder) / name
            rel = full.relative_to(root).as_posix()
            if full.is_symlink():
                try:
                    target = full.resolve(strict=True)
                except (OSError, RuntimeError):
                    problems.error(
                        Location(rel), "this symbolic link is broken or loops; fix or remove it"
                    )
                    continue
                if not target.is_relative_to(real_root):
                    problems.error(
                        Location(rel),
                        "this is a symbolic link to a file outside the site; copy the file in "
                        "instead",
                    )
                    continue
            if not full.is_file():
                # A named pipe would block the build forever; a socket or device is no text.
                problems.error(
                    Location(rel),
                    "this is not a regular file (a named pipe, socket or device); remove it",
                )
                continue
            found.append(rel)
    return found


def _check_session_names(sources: Sources, problems: Problems) -> None:
    for rel in sources.of(FileKind.SESSION):
        stem = session_slug(rel)
        if not _SESSION_STEM.match(stem):
            problems.error(
                Location(rel),
                f"a session file is named YYYY-MM-DD-slug (e.g. 2023-01-21-{stem or 'topic'}); "
                "rename it",
            )
    for kind in (FileKind.SESSION, FileKind.PROPOSAL, FileKind.PAGE, FileKind.READING_LIST):
        for rel in sources.of(kind):
            _check_url_name(rel, kind, problems)


_URL_UNSAFE = re.compile(r"[\s?#%\"<>\\^`{|}\[\]]+")


def _check_url_name(rel: str, kind: FileKind, problems: Problems) -> None:
    """A file name becomes a URL and an id: no spaces or characters URLs reserve."""
    stem = session_slug(rel) if kind is FileKind.SESSION else page_slug(rel)
    found = _URL_UNSAFE.search(stem)
    if found is None:
        return
    bad = "a space" if found[0][0].isspace() else f"'{found[0][0]}'"
    better = re.sub(r"-{2,}", "-", _URL_UNSAFE.sub("-", stem)).strip("-") or "name"
    folder = kind is FileKind.SESSION and rel.endswith("/index.md")
    renamed = better if folder else better + "." + rel.rsplit(".", 1)[-1]
    problems.error(
        Location(rel),
        f"the name '{stem}' becomes the page's URL and its id, and {bad} does not work in "
        f"a URL; rename the {'folder' if folder else 'file'} to {renamed}",
    )


def session_slug(rel: str) -> str:
    parts = rel.split("/")
    return parts[2] if len(parts) == 4 else parts[2].removesuffix(".md")


def page_slug(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].removesuffix(".md").removesuffix(".yaml")
