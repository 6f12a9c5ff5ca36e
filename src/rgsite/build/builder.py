"""One build, top to bottom: read, plan, render, write.

Nothing reaches the output folder until every page has rendered: the new output is
staged beside the old one and swapped in at the end, and a site with errors raises
:class:`~rgsite.errors.SiteError` carrying all of them and leaves the output as it was.
A :class:`Builder` remembers what it wrote, so the next build renders only pages whose
inputs changed and rewrites only files whose bytes changed.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from rgsite.build import lastbuild, memory, patch
from rgsite.build.cache import FOLDER, Cache, PageRecord
from rgsite.build.deps import digest_bytes
from rgsite.build.parallel import default_jobs
from rgsite.build.patch import Snapshot
from rgsite.errors import Location, Problem, Problems, SiteError
from rgsite.model import Session, Site
from rgsite.options import Options
from rgsite.output.inplace import InPlace
from rgsite.output.safety import check_output_folder
from rgsite.output.stage import Stage
from rgsite.progress import ProgressFactory, silent
from rgsite.read.archive import Reader, read_graph, render_one
from rgsite.read.decode import Record
from rgsite.read.discover import Sources, is_site, not_a_site, theme_dir
from rgsite.read.loaded import Context, Loading
from rgsite.read.memo import Memo
from rgsite.read.session import load_session
from rgsite.render.files import Artifact, start_index
from rgsite.render.formats.search import Index
from rgsite.render.pages import Plan, make_files, plan, render_pages
from rgsite.render.templates import CompiledTemplates
from rgsite.routes import Route

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Result:
    pages: int
    files: int
    written: int
    unchanged: int
    removed: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    site: Site | None = None
    rendered: int = 0
    """Pages rendered by this build; the others were kept from the last build."""
    changed: set[str] = field(default_factory=set)
    """Output paths whose content differs from the previous build of the same Builder."""
    assets: dict[str, str] = field(default_factory=dict)
    """Static file -> its fingerprinted name (``css/site.css`` -> ``css/site.1a2b.css``)."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage (read, render, write), shown by ``--verbose``."""
    patched: bool = False
    """The last build's graph was patched for a text edit, or an edit of what a session
    says of itself, not read again (see :mod:`rgsite.build.patch`)."""


def build(options: Options, progress: ProgressFactory = silent) -> Result:
    builder = Builder(options, progress, remember=False)
    try:
        return builder.build()
    finally:
        builder.close()


class Builder:
    """Builds a site again and again; ``serve`` keeps one for its whole run."""

    def __init__(
        self, options: Options, progress: ProgressFactory = silent, *, remember: bool = True
    ) -> None:
        """``remember``: keep what each build read for the next (the preview's Builder);
        a single build lets it go as soon as the graph is linked, for a smaller peak."""
        self.options = options
        self.remember = remember
        self.progress = progress  # a bar over the pages being rendered, on a terminal
        self.jobs = options.jobs or default_jobs()
        self.cache = Cache(options.site / FOLDER if options.cache else None)
        self.memo = Memo()
        self.records: dict[str, PageRecord] = {}
        self.records_loaded = False
        self.digests: dict[str, str] = {}
        self.compiled = CompiledTemplates(disk=options.cache)
        self.snapshot: Snapshot | None = None
        if not remember:
            memory.map_large_blocks()

    def close(self) -> None:
        self.cache.close()

    def _kept(self, stage: Stage | InPlace, rel: str, sig: str, digests: dict[str, str]) -> bool:
        """Keep the file written for ``rel`` last time if its signature is the same."""
        record = self.records.get(rel)
        if record and record[0] == sig and stage.keep(rel, *record[1:]):
            digests[rel] = self.digests.get(rel, sig)
            return True
        return False

    def build(self, changes: frozenset[str] | None = None) -> Result:
        """Build the site; ``changes`` (site-relative paths a watcher saw change since
        the last build) lets a preview's build patch the last one instead of starting over.
        """
        last = self.snapshot
        if changes and last is not None and self.options.in_place and self.digests:
            try:
                result = self._patch(changes, last)
            except BaseException:
                self.snapshot = None  # patched half-way: the next build starts over
                raise
            if result is not None:
                return result
        self.snapshot = None
        sources = last.loaded.sources if last is not None and changes else None
        return self._build(sources if sources and sources.unchanged_by(changes or ()) else None)

    def _build(self, sources: Sources | None = None) -> Result:
        """A whole build; ``sources``: the last build's walk of the files, still true."""
        started = time.perf_counter()
        options, root = self.options, self.options.site
        if not is_site(root):  # the preview's folder may lose content/ while it runs
            raise SiteError([Problem(Location(str(root)), not_a_site(str(root)))])
        check_output_folder(root, options.output)
        out = options.output.resolve()
        if not self.records_loaded:
            self.records = self.cache.pages(out)
            self.records_loaded = True
        recording = options.cache and options.search == "fresh" and not options.in_place
        if recording:
            read_before = lastbuild.inputs(root, theme_dir())
            lastbuild.forget(root / FOLDER)
        in_place = options.in_place and bool(self.digests) and out.is_dir()
        stage: Stage | InPlace = (
            InPlace(out, set(self.digests)) if in_place else Stage(options.output)
        )
        if isinstance(stage, Stage) and not stage.link_previous(Index.folders):
            # The new tree's folders are made while the site is read and planned.
            stage.prepare(self.records)
        try:
            problems = Problems()
            if self.remember:
                site, loaded = read_graph(
                    root, problems, options, self.memo, self.cache, self.jobs, sources
                )
            else:
                site = read_graph(root, problems, options, cache=self.cache, jobs=self.jobs)[0]
                memory.hand_back()
            problems.raise_if_errors()
            read_at = time.perf_counter()
            planned = plan(root, site, problems, self.compiled)
            problems.raise_if_errors()
        except BaseException:
            if isinstance(stage, Stage):
                stage.abort()
            raise
        if not self.remember:  # the fingerprints' texts are gone: before workers fork
            memory.hand_back()
        self.cache.keep_images(a.cache_key for a, _ in planned.files if a.cache_key)
        digests: dict[str, str] = {}
        wrote: lastbuild.Stamps | None = None  # the files of the new output, as recorded
        with stage:
            for rel, data in planned.outputs.data.items():
                stage.write(rel, data)
                digests[rel] = digest_bytes(data)
            for rel, path in planned.outputs.copies.items():
                stage.copy(rel, path)
                digests[rel] = _stat_digest(path)
            index = None
            try:
                if not in_place:  # in place, the search index stays as it was
                    index = start_index(stage.path, site, options, planned.searchable(), self.jobs)
                written, rendered = self._write(
                    stage, planned, planned.files, planned.pages, digests, problems, index
                )
                render_at = time.perf_counter()
                self.cache.flush()  # while the search index is being made
                if isinstance(stage, Stage):
                    stage.settle()
                    if recording:
                        wrote = lastbuild.outputs(stage.path, index.folders if index else ())
                if index is not None:
                    index.finish()
                    if recording:
                        wrote = lastbuild.add_outputs(wrote, stage.path, index.folders[0])
            except OSError as exc:  # the stage reports its own writes' errors as it goes
                if index is None:
                    raise
                stage.fail(exc, f"write the search index into {options.output}")
            finally:
                if index is not None:
                    index.close()
            stats = stage.commit(options.cleanup)
        write_at = time.perf_counter()
        signatures = {route.output: sig for route, sig in planned.pages}
        signatures |= {artifact.output: sig for artifact, sig in planned.files}
        self.records = {rel: record for rel, record in self.records.items() if rel in signatures}
        self._record(out, written, signatures, every=True)
        self.cache.prune()
        if recording:
            summary = lastbuild.Summary(len(planned.pages), len(digests), problems.warnings)
            lastbuild.save(
                root / FOLDER,
                lastbuild.key(
                    out,
                    drafts=options.drafts,
                    base_url=options.base_url,
                    now=options.now,
                    papers=options.papers,
                ),
                read_before,
                wrote,
                _valid_until(site, options),
                summary,
            )
        changed = {rel for rel, d in digests.items() if self.digests.get(rel) != d}
        changed |= set(self.digests) - set(digests)
        self.digests = digests
        if self.remember:
            self.snapshot = Snapshot(loaded, site, planned, problems.warnings, _stable_until(site))
        return Result(
            pages=len(planned.pages),
            files=len(digests),
            written=stats.written,
            unchanged=stats.unchanged,
            removed=stats.removed,
            seconds=time.perf_counter() - started,
            warnings=problems.warnings,
            site=site,
            rendered=rendered,
            changed=changed,
            assets=planned.assets,
            timings={
                "read": read_at - started,
                "render": render_at - read_at,
                "write": write_at - render_at,
            },
        )

    def _patch(self, changes: frozenset[str], snapshot: Snapshot) -> Result | None:
        """The preview's build after a text or front-matter edit it can patch in (see
        :mod:`rgsite.build.patch`), or None."""
        started = time.perf_counter()
        options = self.options
        out = options.output.resolve()
        if not out.is_dir():
            return None
        problems = Problems()
        parses, renderings = self.memo.parses, self.memo.renderings
        macros = snapshot.loaded.config.math_macros
        reader = Reader(options.site, problems, parses, parses)
        before = {rel: parses[rel][1] for rel in changes if rel in parses}
        patched = patch.apply(
            snapshot,
            changes,
            before.get,
            lambda rel: reader.read(rel, yaml=False),
            lambda key: render_one(key, renderings, self.cache, macros),
            options.now or datetime.now(UTC),
            partial(_load_session, replace(snapshot.loaded.context(), renderings=renderings)),
        )
        if patched is None:
            return None
        for key in patched.dropped:
            renderings.pop(key, None)
        renderings.update(patched.renderings)
        read_at = time.perf_counter()
        planned = snapshot.planned
        files = [planned.files[index] for index in patched.files]
        pages = [planned.pages[index] for index in patched.pages]
        digests: dict[str, str] = {}
        stage = InPlace(out, set())  # what is not written here stays as it is
        with stage:
            written, rendered = self._write(stage, planned, files, pages, digests, problems)
            stats = stage.commit(options.cleanup)
        render_at = time.perf_counter()
        signatures = {route.output: sig for route, sig in pages}
        signatures |= {artifact.output: sig for artifact, sig in files}
        self._record(out, written, signatures, every=False)
        changed = {rel for rel, d in digests.items() if self.digests.get(rel) != d}
        self.digests.update(digests)
        return Result(
            pages=len(planned.pages),
            files=len(self.digests),
            written=stats.written,
            unchanged=len(self.digests) - stats.written,
            removed=0,
            seconds=time.perf_counter() - started,
            warnings=snapshot.warnings,
            site=snapshot.site,
            rendered=rendered,
            changed=changed,
            assets=planned.assets,
            timings={"read": read_at - started, "render": render_at - read_at, "write": 0.0},
            patched=True,
        )

    def _write(
        self,
        stage: Stage | InPlace,
        planned: Plan,
        files: list[tuple[Artifact, str]],
        pages: list[tuple[Route, str]],
        digests: dict[str, str],
        problems: Problems,
        index: Index | None = None,
    ) -> tuple[list[str], int]:
        """Render the ``pages`` and make the ``files`` whose signatures changed; the
        output paths written, and how many pages were rendered. ``index`` is told of each
        page in the stage, and pages are rendered in its order, so it indexes them as
        they come."""
        written: list[str] = []
        # The pages whose signatures changed are rendered first, and the others kept after,
        # those in the same search shards first: the index of an edited page starts as
        # soon as its shard is whole.
        todo = [route for route, sig in pages if self.records.get(route.output, ("",))[0] != sig]
        same = [
            (route, sig) for route, sig in pages if self.records.get(route.output, ("",))[0] == sig
        ]
        if index is not None:
            todo.sort(key=lambda route: index.order(route.output))
            dirty = {index.order(route.output) for route in todo}
            same.sort(
                key=lambda item: (
                    index.order(item[0].output) not in dirty,
                    index.order(item[0].output),
                )
            )
        rendered = self._render(stage, planned, todo, digests, written, problems, index)
        again = []  # kept no longer: the file written last time is gone or was edited
        for route, sig in same:
            if not self._kept(stage, route.output, sig, digests):
                again.append(route)
            elif index is not None:
                index.written(route.output)
        rendered += self._render(stage, planned, again, digests, written, problems, index)
        problems.raise_if_errors()
        # After the pages, so the search index of an edited page starts as soon as it can
        # and runs while these are made.
        todo_files = [a for a, sig in files if not self._kept(stage, a.output, sig, digests)]
        if not self.remember and todo_files and rendered:  # the pages' bytes, freed: before
            memory.hand_back()  # the workers that make the files fork
        for artifact, made in make_files(todo_files, self.jobs, self.cache):
            stage.write(artifact.output, made)
            digests[artifact.output] = digest_bytes(made)
            written.append(artifact.output)
        return written, rendered

    def _render(
        self,
        stage: Stage | InPlace,
        planned: Plan,
        todo: list[Route],
        digests: dict[str, str],
        written: list[str],
        problems: Problems,
        index: Index | None,
    ) -> int:
        """Render ``todo`` into the stage, telling ``index``; how many were rendered."""
        if not todo:
            return 0
        with self.progress("rendering pages", len(todo)) as bar:
            for route, page, found in render_pages(planned, todo, self.jobs):
                problems.extend(found)
                if page is not None and not problems.errors:
                    stage.write(route.output, page)
                    digests[route.output] = digest_bytes(page)
                    written.append(route.output)
                    if index is not None:
                        index.written(route.output)
                bar.advance()
        return len(todo)

    def _record(
        self, out: Path, written: list[str], signatures: dict[str, str], *, every: bool
    ) -> None:
        """Remember each written file's signature, size and mtime, here and in the cache."""
        fresh = {}
        for rel in written:
            info = os.stat(out / rel)
            fresh[rel] = (signatures[rel], info.st_size, info.st_mtime_ns)
        self.records.update(fresh)
        self.cache.save_pages(out, self.records if every else fresh, every=every)


def _load_session(context: Context, record: Record, session: Session) -> Loading:
    """A session's file loaded as a whole build loads it, with the files of its bundle."""
    return load_session(record, context, list(session.attachments))


def _valid_until(site: Site, options: Options) -> float | None:
    """When the clock will first change a page: the next session to end becomes past."""
    if options.now is not None:
        return None
    # Every session counts: a cancelled one or a break moves from Upcoming to Past too.
    ends = [s.end for s in site.sessions.values() if s.end > site.now]
    return min(ends).timestamp() if ends else None


def _stable_until(site: Site) -> datetime | None:
    """When the next session ends: the first moment a page's "upcoming" may change."""
    return min((s.end for s in site.sessions.values() if s.end > site.now), default=None)


def _stat_digest(path: Path) -> str:
    info = path.stat()
    return f"{path}:{info.st_size}:{info.st_mtime_ns}"
