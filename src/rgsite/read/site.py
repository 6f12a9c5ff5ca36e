"""Read a site: every content file parsed, checked, rendered to HTML and linked.

Markdown is the costly part, so the bodies of sessions, proposals and pages are
gathered first and rendered in one batch: from the in-memory cache of a long-lived
build, then the persistent cache, then on every core for the rest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rgsite.build import parallel
from rgsite.build.cache import Cache, markdown_key
from rgsite.errors import Location, Problems
from rgsite.link import ResolvedMemo, link
from rgsite.markdown.render import Rendered, render_markdown
from rgsite.model import Session, Site
from rgsite.papers.store import load_papers
from rgsite.read.config import load_config
from rgsite.read.decode import ParseError, Record, decode, load_yaml, split_front_matter
from rgsite.read.discover import Kind, Sources, discover, session_slug
from rgsite.read.load import Loaded, load_page, load_proposal, load_reading_list, load_speakers
from rgsite.read.session import SessionMemo, load_session, load_session_again

if TYPE_CHECKING:
    from rgsite.options import Options

MarkdownMemo = dict[tuple[str, str, int], Rendered]
ParsedMemo = dict[str, tuple[tuple[int, int, int], Record]]
"""A long-lived build's parsed files: path -> ((mtime, size, inode), record)."""


def read_site(
    root: Path,
    problems: Problems,
    options: Options,
    memo: MarkdownMemo | None = None,
    cache: Cache | None = None,
    jobs: int = 1,
    parsed: ParsedMemo | None = None,
    resolved: ResolvedMemo | None = None,
) -> Site:
    """Every content file read, checked and linked into one graph."""
    return read_graph(root, problems, options, memo, cache, jobs, parsed, resolved)[0]


def read_graph(
    root: Path,
    problems: Problems,
    options: Options,
    memo: MarkdownMemo | None = None,
    cache: Cache | None = None,
    jobs: int = 1,
    parsed: ParsedMemo | None = None,
    resolved: ResolvedMemo | None = None,
    sources: Sources | None = None,
    loads: SessionMemo | None = None,
) -> tuple[Site, Loaded]:
    """The linked graph, and what was read to make it (which :mod:`.patch` amends).

    ``memo`` (kept by a long-lived build) is replaced in place by the renderings this
    build used, so it holds one entry per Markdown text of the site; ``parsed`` likewise
    keeps each file's parse while the file is unchanged, so a save parses one file, and
    ``resolved`` each rendering with its links filled in, and ``loads`` each session
    loaded from an unchanged parse. ``sources``: the walk of the site's files, when the
    caller knows it still holds.
    """
    if sources is None:
        sources = discover(root, problems)
    else:
        problems.extend(sources.reported)
    before = parsed.copy() if parsed is not None else {}
    if parsed is not None:
        parsed.clear()
    reader = Reader(root, problems, before, parsed)
    read = reader.read
    config_record = read("content/site.yaml", yaml=True)
    if config_record is None:
        config_record = Record("content/site.yaml", {"title": root.name})
        if not (root / "content/site.yaml").exists():
            problems.error(
                Location("content/site.yaml"), "missing; every site needs a site.yaml with a title"
            )
    loaded = Loaded(config=load_config(config_record, problems, options.base_url), sources=sources)
    loaded.assets = set(sources.of(Kind.ATTACHMENT)) | set(sources.of(Kind.STATIC))
    documents: dict[str, Record] = {}
    for kind in (Kind.PROPOSAL, Kind.PAGE, Kind.SESSION):
        for rel in sources.of(kind):
            record = read(rel, yaml=False, failed=loaded.unreadable)
            if record is not None:
                documents[rel] = record
    bodies = [(r.body, r.path, r.body_line) for r in documents.values()]
    known: set[tuple[str, str, int]] = set()
    loaded.markdown_cache = _render_all(bodies, memo or {}, cache, jobs, known)
    for rel in sources.of(Kind.SPEAKERS):
        record = read(rel, yaml=True, failed=loaded.unreadable)
        if record is not None:
            load_speakers(record, loaded, problems)
    for rel in sources.of(Kind.READING_LIST):
        record = read(rel, yaml=True, failed=loaded.unreadable)
        if record is not None:
            load_reading_list(record, loaded, problems)
    for rel in sources.of(Kind.PAPERS) if options.papers else ():
        record = read(rel, yaml=True, failed=loaded.unreadable)
        if record is not None:
            loaded.fetched = load_papers(record, problems)
    for rel in sources.of(Kind.PROPOSAL):
        if rel in documents:
            load_proposal(documents[rel], loaded, problems)
    for rel in sources.of(Kind.PAGE):
        if rel in documents:
            load_page(documents[rel], loaded, problems)
    sessions = _read_sessions(sources, documents, loaded, problems, loads)
    if cache is not None:
        fresh = {
            markdown_key(cache.salt, *key): rendered
            for key, rendered in loaded.markdown_cache.items()
            if key not in known
        }
        cache.put_markdown(fresh)
    if memo is not None:
        used = {key: loaded.markdown_cache[key] for key in loaded.markdown_used}
        memo.clear()
        memo.update(used)
    now = options.now or datetime.now(UTC)
    site = link(loaded, sessions, problems, now=now, drafts=options.drafts, resolved=resolved)
    return site, loaded


def _render_all(
    bodies: list[tuple[str, str, int]],
    memo: MarkdownMemo,
    cache: Cache | None,
    jobs: int,
    known: set[tuple[str, str, int]],
) -> MarkdownMemo:
    """Renderings of ``bodies``: remembered, cached, or rendered on every core.

    Every rendering of ``memo`` (the Markdown of the whole site, from a long-lived
    build) is kept for the loaders; ``known`` collects the keys that need no saving.
    """
    found: MarkdownMemo = dict(memo)
    missing = [key for key in bodies if key not in found]
    if cache is not None and missing:
        keys = {markdown_key(cache.salt, *key): key for key in missing}
        for digest, rendered in cache.get_markdown(keys).items():
            found[keys[digest]] = rendered
            known.add(keys[digest])
        missing = [key for key in missing if key not in found]
    known.update(memo)
    renderings: list[Rendered] = parallel.map_items(_render, missing, jobs)
    found.update(zip(missing, renderings, strict=True))
    return found


def render_one(key: tuple[str, str, int], memo: MarkdownMemo, cache: Cache | None) -> Rendered:
    """One text's rendering: remembered, cached, or rendered now (and cached)."""
    found = memo.get(key)
    if found is not None:
        return found
    if cache is not None:
        digest = markdown_key(cache.salt, *key)
        stored = cache.get_markdown([digest]).get(digest)
        if stored is not None:
            return stored
        rendered = _render(key)
        cache.put_markdown({digest: rendered})
        return rendered
    return _render(key)


def _render(key: tuple[str, str, int]) -> Rendered:
    text, path, line = key
    return render_markdown(text, path=path, first_line=line)


def _read_sessions(
    sources: Sources,
    documents: dict[str, Record],
    loaded: Loaded,
    problems: Problems,
    loads: SessionMemo | None,
) -> list[Session]:
    attachments: dict[str, list[str]] = {}
    for rel in sources.of(Kind.ATTACHMENT):
        attachments.setdefault(rel.split("/")[2], []).append(rel)
    sessions = []
    seen: dict[str, str] = {}
    for rel in sources.of(Kind.SESSION):
        slug = session_slug(rel)
        if slug in seen:
            problems.error(
                Location(rel),
                f"session '{slug}' is also defined by {seen[slug]}; keep the file or the folder",
            )
            continue
        seen[slug] = rel
        if rel not in documents:
            continue
        bundled = attachments.get(slug, []) if rel.endswith("/index.md") else []
        if loads is None:
            session = load_session(documents[rel], loaded, problems, bundled)
        else:
            session = load_session_again(documents[rel], loaded, problems, bundled, loads)
        if session is not None:
            sessions.append(session)
    if loads is not None:
        for gone in loads.keys() - documents.keys():
            del loads[gone]
    for slug, files in attachments.items():
        if slug not in seen or not seen[slug].endswith("/index.md"):
            problems.error(
                Location(files[0]),
                f"content/sessions/{slug}/ has files but no index.md; add index.md with the "
                "session's front matter",
            )
    return sessions


class Reader:
    """Reads files into records, reusing a long-lived build's parse of unchanged files."""

    def __init__(
        self, root: Path, problems: Problems, before: ParsedMemo, after: ParsedMemo | None
    ) -> None:
        self.root, self.problems, self.before, self.after = root, problems, before, after

    def read(self, rel: str, *, yaml: bool, failed: set[str] | None = None) -> Record | None:
        """The file's record, or None with its problem reported (and ``rel`` added to
        ``failed``)."""
        path = self.root / rel
        try:
            info = path.stat()
            stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
            known = self.before.get(rel)
            if known is not None and known[0] == stamp:
                if self.after is not None:
                    self.after[rel] = known
                return known[1]
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.problems.error(
                Location(rel), f"cannot read this file: {exc.strerror}; check its permissions"
            )
            if failed is not None:
                failed.add(rel)
            return None
        try:
            text = decode(rel, raw)
            record = load_yaml(rel, text) if yaml else split_front_matter(rel, text)
        except ParseError as exc:
            self.problems.extend([exc.problem])
            if failed is not None:
                failed.add(rel)
            return None
        if self.after is not None and len(raw) == info.st_size:
            self.after[rel] = (stamp, record)
        return record
