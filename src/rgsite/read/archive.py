"""Read a site: every content file parsed, checked, rendered to HTML and linked.

Markdown is the costly part, so the bodies of sessions, proposals and pages are
gathered first and rendered in one batch: from the in-memory cache of a long-lived
build, then the persistent cache, then on every core for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rgsite.build import parallel
from rgsite.build.cache import Cache, markdown_key
from rgsite.build.resolved import StoredResolutions
from rgsite.errors import Location, Problems
from rgsite.images.shown import attach
from rgsite.link import ResolvedMemo, link
from rgsite.markdown.macros import Macros
from rgsite.markdown.render import Rendered, render_markdown
from rgsite.model import Site
from rgsite.papers.store import load_papers
from rgsite.read.decode import ParseError, Record, decode, load_yaml, split_front_matter
from rgsite.read.discover import FileKind, Sources, discover, session_slug
from rgsite.read.documents import load_page, load_proposal
from rgsite.read.loaded import Context, Loaded, Loading, MarkdownKey
from rgsite.read.memo import LoadMemo, MarkdownMemo, Memo, ParsedMemo, Remembered
from rgsite.read.reading_list import load_reading_list
from rgsite.read.session import load_session
from rgsite.read.site_yaml.config import load_config
from rgsite.read.site_yaml.language import read_site_catalog, site_catalogs
from rgsite.read.speakers import load_speakers
from rgsite.read.stored import StoredRecords, stamp_of

if TYPE_CHECKING:
    from rgsite.options import Options


def read_site(
    root: Path,
    problems: Problems,
    options: Options,
    memo: Memo | None = None,
    cache: Cache | None = None,
    jobs: int = 1,
) -> Site:
    """Every content file read, checked and linked into one graph."""
    return read_graph(root, problems, options, memo, cache, jobs)[0]


def read_graph(
    root: Path,
    problems: Problems,
    options: Options,
    memo: Memo | None = None,
    cache: Cache | None = None,
    jobs: int = 1,
    sources: Sources | None = None,
) -> tuple[Site, Loaded]:
    """The linked graph, and what was read to make it (which :mod:`rgsite.build.patch`
    amends).

    ``memo``, a long-lived build's, is brought up to date in place: it keeps what this
    build used and drops the rest (see :class:`~rgsite.read.memo.Memo`). ``sources``:
    the walk of the site's files, when the caller knows it still holds.
    """
    if sources is None:
        sources = discover(root, problems)
    else:
        problems.extend(sources.reported)
    parsed_before = memo.parses.copy() if memo is not None else {}
    if memo is not None:
        memo.parses.clear()
    stored = None
    if cache is not None and cache.db is not None and not parsed_before:
        stored = StoredRecords(cache)  # a long-lived build's parses are at hand after its first
    reader = Reader(
        root, problems, parsed_before, memo.parses if memo is not None else None, stored
    )
    read = reader.read
    config_record = read("content/site.yaml", yaml=True)
    if config_record is None:
        config_record = Record("content/site.yaml", {"title": root.name})
        if not (root / "content/site.yaml").exists():
            problems.error(
                Location("content/site.yaml"), "missing; every site needs a site.yaml with a title"
            )
    catalogs = sources.of(FileKind.CATALOG)
    config = load_config(config_record, problems, options.base_url, site_catalogs(catalogs))
    own = read_site_catalog(root, catalogs, config.language, problems)
    if own is not None:
        config = replace(config, catalog=own)
    loaded = Loaded(config=config, sources=sources)
    loaded.assets = set(sources.of(FileKind.ATTACHMENT)) | set(sources.of(FileKind.STATIC))
    documents: dict[str, Record] = {}
    for kind in (FileKind.PROPOSAL, FileKind.PAGE, FileKind.SESSION):
        for rel in sources.of(kind):
            record = read(rel, yaml=False, failed=loaded.unreadable)
            if record is not None:
                documents[rel] = record
    bodies = [(r.body, r.path, r.body_line) for r in documents.values()]
    known: set[MarkdownKey] = set()
    remembered = memo.renderings if memo is not None else {}
    macros = loaded.config.math_macros
    loaded.markdown_cache = _render_all(bodies, remembered, cache, jobs, known, macros)
    for rel in sources.of(FileKind.SPEAKERS):
        record = read(rel, yaml=True, failed=loaded.unreadable)
        if record is not None:
            context = _with_cache(loaded, cache, known)
            loaded.add(load_speakers(record, context), problems)
    for rel in sources.of(FileKind.READING_LIST):
        record = read(rel, yaml=True, failed=loaded.unreadable)
        if record is not None:
            context = _with_cache(loaded, cache, known)
            loaded.add(load_reading_list(record, context), problems)
    for rel in sources.of(FileKind.PAPERS) if options.papers else ():
        record = read(rel, yaml=True, failed=loaded.unreadable)
        if record is not None:
            loaded.fetched = load_papers(record, problems)
    loads = memo.loads if memo is not None else None
    for rel in sources.of(FileKind.PROPOSAL):
        if rel in documents:
            loaded.add(_load(documents[rel], loaded, load_proposal, loads), problems)
    for rel in sources.of(FileKind.PAGE):
        if rel in documents:
            loaded.add(_load(documents[rel], loaded, load_page, loads), problems)
    _read_sessions(sources, documents, loaded, problems, loads)
    if loads is not None:
        for gone in loads.keys() - documents.keys():
            del loads[gone]
    if stored is not None:
        stored.save(reader.paths)  # now, so the records it keeps can go
    if cache is not None:
        fresh = {
            markdown_key(cache.salt, *key): rendered
            for key, rendered in loaded.markdown_cache.items()
            if key not in known
        }
        cache.put_markdown(fresh)
    if memo is not None:
        used = {key: loaded.markdown_cache[key] for key in loaded.markdown_used}
        memo.renderings.clear()
        memo.renderings.update(used)
    now = options.now or datetime.now(UTC)
    resolved: ResolvedMemo | None = None
    if memo is not None:
        resolved = memo.resolved
    elif cache is not None and cache.db is not None:
        resolved = StoredResolutions(cache)
    images = partial(
        attach, root=root, assets=loaded.assets, problems=problems, cache=cache, jobs=jobs
    )
    site = link(loaded, problems, now=now, drafts=options.drafts, resolved=resolved, images=images)
    if isinstance(resolved, StoredResolutions) and not problems.errors:
        resolved.cache.later(resolved.save)
    return site, loaded


def _with_cache(loaded: Loaded, cache: Cache | None, known: set[MarkdownKey]) -> Context:
    """The context for loading a YAML file, whose Markdown values (a speaker's bio, a
    reading list's notes) are found in the cache too: their keys are only known as the
    file is loaded, so they cannot be fetched with the documents' bodies."""
    context = loaded.context()
    if cache is None:
        return context
    stored = _Stored(loaded.markdown_cache, cache, known, loaded.config.math_macros)
    return replace(context, renderings=stored)


class _Stored(Mapping[MarkdownKey, Rendered]):
    """The renderings at hand, then the cache's; one found in the cache is marked
    ``known``, so it is not saved again."""

    def __init__(
        self,
        found: dict[MarkdownKey, Rendered],
        cache: Cache,
        known: set[MarkdownKey],
        macros: Macros,
    ) -> None:
        self.found, self.cache, self.known, self.macros = found, cache, known, macros

    def __getitem__(self, key: MarkdownKey) -> Rendered:
        rendered = self.found.get(key)
        if rendered is not None:
            return rendered
        digest = markdown_key(self.cache.salt, *key)
        stored = self.cache.get_markdown([digest]).get(digest)
        if stored is None or not stored.fits(self.macros):
            raise KeyError(key)
        self.known.add(key)
        return stored

    def __iter__(self) -> Iterator[MarkdownKey]:
        return iter(self.found)

    def __len__(self) -> int:
        return len(self.found)


def _load(
    record: Record,
    loaded: Loaded,
    loader: Callable[[Record, Context], Loading],
    loads: LoadMemo | None,
    attachments: tuple[str, ...] = (),
) -> Loading:
    """``loader``'s loading of a session, proposal or page, or the one it gave last time
    for this same parse of the file, the same attachments and the same site settings."""
    known = loads.get(record.path) if loads is not None else None
    if known is not None and known.fits(record, attachments, loaded.config):
        return known.loading
    loading = loader(record, loaded.context())
    if loads is not None:
        loads[record.path] = Remembered(record, attachments, loaded.config, loading)
    return loading


def _render_all(
    bodies: list[tuple[str, str, int]],
    memo: MarkdownMemo,
    cache: Cache | None,
    jobs: int,
    known: set[tuple[str, str, int]],
    macros: Macros,
) -> MarkdownMemo:
    """Renderings of ``bodies``: remembered, cached, or rendered on every core.

    Every rendering of ``memo`` (the Markdown of the whole site, from a long-lived
    build) still good with the site's ``macros`` is kept for the loaders; ``known``
    collects the keys that need no saving.
    """
    found: MarkdownMemo = {key: r for key, r in memo.items() if r.fits(macros)}
    missing = [key for key in bodies if key not in found]
    if cache is not None and missing:
        keys = {markdown_key(cache.salt, *key): key for key in missing}
        for digest, rendered in cache.get_markdown(keys).items():
            if rendered.fits(macros):
                found[keys[digest]] = rendered
                known.add(keys[digest])
        missing = [key for key in missing if key not in found]
    known.update(key for key in memo if key in found)
    render = partial(_render, macros=macros)
    renderings: list[Rendered] = parallel.map_items(render, missing, jobs)
    found.update(zip(missing, renderings, strict=True))
    return found


def render_one(
    key: MarkdownKey, memo: MarkdownMemo, cache: Cache | None, macros: Macros
) -> Rendered:
    """One text's rendering: remembered, cached, or rendered now (and cached)."""
    found = memo.get(key)
    if found is not None and found.fits(macros):
        return found
    if cache is not None:
        digest = markdown_key(cache.salt, *key)
        stored = cache.get_markdown([digest]).get(digest)
        if stored is not None and stored.fits(macros):
            return stored
        rendered = _render(key, macros)
        cache.put_markdown({digest: rendered})
        return rendered
    return _render(key, macros)


def _render(key: tuple[str, str, int], macros: Macros) -> Rendered:
    text, path, line = key
    return render_markdown(text, path=path, first_line=line, macros=macros)


def _read_sessions(
    sources: Sources,
    documents: dict[str, Record],
    loaded: Loaded,
    problems: Problems,
    loads: LoadMemo | None,
) -> None:
    attachments: dict[str, list[str]] = {}
    for rel in sources.of(FileKind.ATTACHMENT):
        attachments.setdefault(rel.split("/")[2], []).append(rel)
    seen: dict[str, str] = {}
    for rel in sources.of(FileKind.SESSION):
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
        session = partial(load_session, attachments=bundled)
        loading = _load(documents[rel], loaded, session, loads, tuple(bundled))
        loaded.add(loading, problems)
    for slug, files in attachments.items():
        if slug not in seen or not seen[slug].endswith("/index.md"):
            problems.error(
                Location(files[0]),
                f"content/sessions/{slug}/ has files but no index.md; add index.md with the "
                "session's front matter",
            )


class Reader:
    """Reads files into records, reusing a long-lived build's parse of unchanged files."""

    def __init__(
        self,
        root: Path,
        problems: Problems,
        before: ParsedMemo,
        after: ParsedMemo | None,
        stored: StoredRecords | None = None,
    ) -> None:
        self.root, self.problems, self.before, self.after = root, problems, before, after
        self.stored = stored
        self.paths: set[str] = set()
        """Every file asked for."""

    def read(self, rel: str, *, yaml: bool, failed: set[str] | None = None) -> Record | None:
        """The file's record, or None with its problem reported (and ``rel`` added to
        ``failed``)."""
        path = self.root / rel
        self.paths.add(rel)
        try:
            info = path.stat()
            stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
            known = self.before.get(rel)
            if known is not None and known[0] == stamp:
                if self.after is not None:
                    self.after[rel] = known
                return known[1]
            if self.stored is not None:
                record = self.stored.get(rel, stamp_of(info), yaml)
                if record is not None:
                    if self.after is not None:
                        self.after[rel] = (stamp, record)
                    return record
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
        if len(raw) == info.st_size:
            if self.after is not None:
                self.after[rel] = (stamp, record)
            if self.stored is not None:
                self.stored.put(record, stamp_of(info), yaml)
        return record
