"""Render a linked site: static files, artifacts and every page, with their signatures.

:func:`plan` decides every output and checks that no two claim one URL; pages are
then rendered by :func:`render_pages`, on every core when there are many. A page's
signature (see :mod:`rgsite.deps`) lets a build keep the page it wrote last time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rgsite import routes
from rgsite.build import parallel
from rgsite.build.deps import fingerprints, signature, urls_print
from rgsite.errors import Location, Problem, Problems, SiteError
from rgsite.images.publish import SourceChanged, image_files
from rgsite.markdown.highlight import pygments_stylesheet
from rgsite.model import Site
from rgsite.progress import ProgressFactory, silent
from rgsite.read.discover import theme_dir
from rgsite.render.files import Artifact, artifacts
from rgsite.render.formats import search, search_pagefind
from rgsite.render.names import template_filters, template_names
from rgsite.render.templates import CompiledTemplates, Templates
from rgsite.render.views import View

if TYPE_CHECKING:
    from rgsite.build.cache import Cache

FINGERPRINTED = (".css", ".js")
STABLE = frozenset({"embed.js"})
"""Static files other sites link to (the schedule embed): they keep their names."""


@dataclass(slots=True)
class Outputs:
    """Everything a build writes besides pages: bytes and files to copy, by output path."""

    data: dict[str, bytes] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)
    claims: dict[str, list[Location]] = field(default_factory=dict)
    unmade: set[str] = field(default_factory=set)
    """Files a build writes that a check does not make: resized images, which no link
    checker reads."""

    def claim(self, rel: str, source: Location) -> None:
        self.claims.setdefault(rel, []).append(source)


@dataclass(slots=True)
class Plan:
    outputs: Outputs
    templates: Templates
    pages: list[tuple[routes.Route, str]]
    """Every page route with its signature."""
    assets: dict[str, str]
    files: list[tuple[Artifact, str]] = field(default_factory=list)
    """Every artifact (feeds, calendars, citations) with its signature."""
    prints: dict[str, str] = field(default_factory=dict)
    """The fingerprint of every input key the signatures were made from."""
    extra: str = ""
    """What every signature also covers: the fingerprinted asset names pages link to."""
    view: View | None = None
    """The view pages and files are made through, with what it remembers of each session
    (see :meth:`View.kept`)."""

    def page_signature(self, route: routes.Route, prints: dict[str, str]) -> str:
        digests = [self.templates.digest(name) for name in route.templates]
        where = f"{route.url}|{route.template}|{self.extra}"
        return signature(route.inputs, prints, digests, where)

    def file_signature(self, artifact: Artifact, prints: dict[str, str]) -> str:
        where = f"{artifact.output}|{self.extra}"
        if artifact.cache_key:  # what the bytes follow from, Pillow's version included
            where += f"|{artifact.cache_key}"
        return signature(artifact.inputs, prints, [], where)

    def searchable(self) -> list[str]:
        """The output path of each page whose templates mark content for search."""
        return [
            route.output
            for route, _ in self.pages
            if self.templates.mention(route.templates, search.BODY)
        ]


def plan(
    root: Path, site: Site, problems: Problems, compiled: CompiledTemplates | None = None
) -> Plan:
    outputs = Outputs()
    assets = _static_files(root, site, outputs)
    view = View(site, assets)
    templates = Templates(
        root, template_names(view), template_filters(view), compiled, translations=view.t
    )
    aliases = routes.alias_routes(site)
    site_pages = routes.site_routes(site)
    page_routes = site_pages + aliases
    for route in page_routes:
        for source in route.sources or (Location(f"the built-in page {route.template}"),):
            outputs.claim(route.output, source)
    # A file made for one page (sessions/x/event.ics, reading/x.bib) is claimed by that
    # page's sources, so two files that clash there are named, and reported once.
    owners = {route.url: route.sources for route in site_pages if route.sources and route.url}
    files = artifacts(site, view, [route.url for route in site_pages]) + image_files(root, site)
    for artifact in files:
        rel = artifact.output
        folder = rel.rpartition("/")[0]
        sources = owners.get(f"{folder}/") or owners.get(f"{rel.rpartition('.')[0]}/")
        if artifact.source is not None:
            sources = (artifact.source,)
        for source in sources or (Location(f"the built-in file {rel}"),):
            outputs.claim(rel, source)
    alias_places = frozenset(place for route in aliases for place in route.sources)
    problems.extend(routes.collisions(outputs.claims, alias_places))
    _alias_folders(aliases, outputs.claims, problems)
    prints = fingerprints(site)
    prints["urls:*"] = urls_print(route.url for route in site_pages)
    planned = Plan(outputs, templates, [], assets, extra=repr(sorted(assets.items())))
    planned.view = view
    for route in page_routes:
        route.templates = templates.reads(route.template)
        planned.pages.append((route, planned.page_signature(route, prints)))
    planned.files = [(artifact, planned.file_signature(artifact, prints)) for artifact in files]
    planned.prints = prints
    return planned


def _alias_folders(
    aliases: list[routes.Route], claims: dict[str, list[Location]], problems: Problems
) -> None:
    """An alias cannot make a folder where a file is published, nor be a file where a
    folder is, nor land where the search index is written."""
    if not aliases:
        return
    folders = {_above(rel, n) for rel in claims for n in range(1, rel.count("/") + 1)}
    for route in aliases:
        rel = route.output
        above = (_above(rel, n) for n in range(1, rel.count("/") + 1))
        top = rel.split("/", 1)[0]
        why = None
        if top in (search.OUTPUT, search_pagefind.RECORDS):
            why = f"/{top}/ holds the search index"
        elif (clash := next((p for p in above if p in claims), None)) is not None:
            why = f"/{clash} is a file of the site, not a folder"
        elif rel in folders:
            why = f"/{rel} is a folder of the site"
        if why is not None:
            for place in route.sources:
                problems.error(place, f"{why}, so an alias cannot be at /{route.url}")


def _above(rel: str, depth: int) -> str:
    """The first ``depth`` parts of an output path: one of the folders it is in."""
    return "/".join(rel.split("/")[:depth])


def make_files(
    todo: list[Artifact], jobs: int, cache: Cache | None = None
) -> Iterator[tuple[Artifact, bytes]]:
    """Each artifact of ``todo`` made: first those the cache holds, then the rest of
    those it keeps (resized images, a process each on every core), then the others in
    order."""
    keyed = [a for a in todo if a.cache_key]
    slow: list[Artifact] = []
    for start in range(0, len(keyed), 64):  # a few MB of images at a time
        chunk = keyed[start : start + 64]
        stored = cache.get_images(a.cache_key for a in chunk) if cache is not None else {}
        for artifact in chunk:
            if artifact.cache_key in stored:
                yield artifact, stored[artifact.cache_key]
            else:
                slow.append(artifact)
    made: dict[str, bytes] = {}
    try:
        for artifact, data in zip(
            slow, parallel.run(lambda i: slow[i].make(), len(slow), jobs, heavy=True), strict=True
        ):
            made[artifact.cache_key] = data
            yield artifact, data
    except SourceChanged as exc:
        message = f"could not be resized: {exc.reason}; build again"
        raise SiteError([Problem(Location(exc.source), message)]) from None
    finally:
        if cache is not None:
            cache.put_images(made)
    rest = [a for a in todo if not a.cache_key]
    yield from zip(rest, parallel.run(lambda i: rest[i].make(), len(rest), jobs), strict=True)


def render_pages(
    planned: Plan, todo: list[routes.Route], jobs: int
) -> Iterator[tuple[routes.Route, bytes | None, list[Problem]]]:
    """Each route of ``todo`` rendered, in order: its bytes, or the problems it hit."""

    def render(index: int) -> tuple[bytes | None, list[Problem]]:
        route = todo[index]
        context = {**route.context, "page_url": route.url}
        try:
            html = planned.templates.render(route.template, context, page=route.url)
        except SiteError as exc:
            return None, exc.problems
        return html.encode(), []

    if jobs > 1 and len(todo) >= parallel.MIN_ITEMS:
        planned.templates.load({name for route in todo for name in route.templates})
    for route, (data, found) in zip(todo, parallel.run(render, len(todo), jobs), strict=True):
        yield route, data, found


def render_site(
    root: Path, site: Site, problems: Problems, jobs: int = 1, progress: ProgressFactory = silent
) -> tuple[Outputs, list[tuple[routes.Route, str]]]:
    """Every output in memory, pages included, for checks that must write nothing.

    Returns the outputs and every page route with its signature.
    """
    planned = plan(root, site, problems)
    outputs = planned.outputs
    if problems.errors:
        return outputs, planned.pages
    for artifact, made in make_files([a for a, _ in planned.files if not a.cache_key], jobs):
        outputs.data[artifact.output] = made
    outputs.unmade = {a.output for a, _ in planned.files if a.cache_key}
    todo = [route for route, _ in planned.pages]
    with progress("rendering pages", len(todo)) as bar:
        for route, data, found in render_pages(planned, todo, jobs):
            problems.extend(found)
            if data is not None:
                outputs.data[route.output] = data
            bar.advance()
    return outputs, planned.pages


def _static_files(root: Path, site: Site, outputs: Outputs) -> dict[str, str]:
    """Copy theme static, then the site's own over it; fingerprint CSS and JS names."""
    files: dict[str, Path] = {}
    for base in (theme_dir() / "static", root / "static"):
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                parts = path.relative_to(base).parts
                if path.is_file() and not any(p.startswith(".") for p in parts):
                    files[path.relative_to(base).as_posix()] = path
    generated = {"css/pygments.css": pygments_stylesheet().encode()}
    assets: dict[str, str] = {}
    for rel, data in generated.items():
        name = fingerprint(rel, data)
        assets[rel] = name
        outputs.data[name] = data
        outputs.claim(name, Location("the built-in code highlighting styles"))
    for rel, path in files.items():
        if rel.endswith(FINGERPRINTED) and rel not in STABLE:
            name = fingerprint(rel, path.read_bytes())
            assets[rel] = name
        else:
            name = rel
        outputs.copies[name] = path
        outputs.claim(name, Location(_site_rel(root, path)))
    for session in site.sessions.values():
        for attachment in session.attachments:
            name = "sessions/" + attachment.split("/", 2)[2]
            outputs.copies[name] = root / attachment
            outputs.claim(name, Location(attachment))
    return assets


def fingerprint(rel: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, dot, ext = rel.rpartition(".")
    return f"{stem}.{digest}{dot}{ext}"


def _site_rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return "theme:" + path.relative_to(theme_dir()).as_posix()
