"""One build, top to bottom: discover, parse, link, route, render, write.

Nothing is written until every page has rendered; a site with errors raises
:class:`~rgsite.errors.SiteError` carrying all of them and leaves the output as it was.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import routes
from .config import load_config
from .context import View, template_filters, template_names
from .artifacts import finish_output, render_artifacts
from .deps import digest_bytes, fingerprints, signature
from .errors import Location, Problem, Problems, SiteError
from .graph import Site, link
from .load import Loaded, load_page, load_proposal, load_reading_list, load_speakers
from .markup import Rendered, pygments_css
from .models import Session
from .output import Stage, check_output_folder
from .parse import ParseError, Record, decode, load_yaml, split_front_matter
from .sessions import load_session
from .sources import Kind, Sources, discover
from .templates import Templates, theme_dir

log = logging.getLogger(__name__)

FINGERPRINTED = (".css", ".js")


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    site: Path
    out: Path | None = None
    drafts: bool = False
    base_url: str | None = None
    now: datetime | None = None

    @property
    def output(self) -> Path:
        return self.out if self.out is not None else self.site / "_site"


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
    """Pages rendered by this build; the others were unchanged since the last."""
    changed: set[str] = field(default_factory=set)
    """Output paths whose content differs from the previous build of the same Builder."""


@dataclass(slots=True)
class Outputs:
    """Everything a build would write: rendered bytes and files to copy, by output path."""

    data: dict[str, bytes] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)
    claims: dict[str, list[Location]] = field(default_factory=dict)

    def claim(self, rel: str, source: Location) -> None:
        self.claims.setdefault(rel, []).append(source)


def build(options: Options) -> Result:
    return Builder(options).build()


class Builder:
    """Builds a site again and again, re-rendering only the pages whose inputs changed.

    It remembers, between builds, each page's signature and bytes and each Markdown
    text's rendering; ``serve`` keeps one for its whole run.
    """

    def __init__(self, options: Options) -> None:
        self.options = options
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.markdown: dict[tuple[str, str, int], Rendered] = {}
        self.digests: dict[str, str] = {}

    def build(self) -> Result:
        started = time.perf_counter()
        options, root = self.options, self.options.site
        if not (root / "content").is_dir():
            raise SiteError(
                [
                    Problem(
                        Location(str(root)),
                        "no content/ folder here; is this an rgsite site? "
                        "Run 'rgsite init DIR' to start one",
                    )
                ]
            )
        check_output_folder(root, options.output)
        problems = Problems()
        site = read_site(root, problems, options, self.markdown)
        problems.raise_if_errors()
        outputs, rendered = render_site(root, site, problems, self.pages)
        problems.raise_if_errors()
        with Stage(options.output) as stage:
            for rel, data in outputs.data.items():
                stage.write(rel, data)
            for rel, path in outputs.copies.items():
                stage.copy(rel, path)
            finish_output(stage.path, site, options)
            stats = stage.commit()
        digests = {rel: digest_bytes(data) for rel, data in outputs.data.items()}
        digests |= {rel: _stat_digest(path) for rel, path in outputs.copies.items()}
        changed = {rel for rel, d in digests.items() if self.digests.get(rel) != d}
        changed |= set(self.digests) - set(digests)
        self.digests = digests
        return Result(
            pages=sum(1 for rel in outputs.data if rel.endswith(".html")),
            files=len(outputs.data) + len(outputs.copies),
            written=stats.written,
            unchanged=stats.unchanged,
            removed=stats.removed,
            seconds=time.perf_counter() - started,
            warnings=problems.warnings,
            site=site,
            rendered=rendered,
            changed=changed,
        )


def _stat_digest(path: Path) -> str:
    info = path.stat()
    return f"{path}:{info.st_size}:{info.st_mtime_ns}"


def read_site(
    root: Path,
    problems: Problems,
    options: Options,
    markdown_cache: dict[tuple[str, str, int], Rendered] | None = None,
) -> Site:
    """Every content file read, checked and linked into one graph."""
    sources = discover(root, problems)
    config_record = _read(root, "content/site.yaml", problems, yaml=True)
    if config_record is None:
        config_record = Record("content/site.yaml", {"title": root.name})
        if not (root / "content/site.yaml").exists():
            problems.error(
                Location("content/site.yaml"), "missing; every site needs a site.yaml with a title"
            )
    loaded = Loaded(config=load_config(config_record, problems, options.base_url))
    if markdown_cache is not None:
        loaded.markdown_cache = markdown_cache
    loaded.assets = set(sources.of(Kind.ATTACHMENT)) | set(sources.of(Kind.STATIC))
    for rel in sources.of(Kind.SPEAKERS):
        record = _read(root, rel, problems, yaml=True)
        if record is not None:
            load_speakers(record, loaded, problems)
    for rel in sources.of(Kind.READING_LIST):
        record = _read(root, rel, problems, yaml=True)
        if record is not None:
            load_reading_list(record, loaded, problems)
    for rel, loader in ((Kind.PROPOSAL, load_proposal), (Kind.PAGE, load_page)):
        for path in sources.of(rel):
            record = _read(root, path, problems, yaml=False)
            if record is not None:
                loader(record, loaded, problems)
    sessions = _read_sessions(root, sources, loaded, problems)
    now = options.now or datetime.now(UTC)
    return link(loaded, sessions, problems, now=now, drafts=options.drafts)


def _read_sessions(
    root: Path, sources: Sources, loaded: Loaded, problems: Problems
) -> list[Session]:
    attachments: dict[str, list[str]] = {}
    for rel in sources.of(Kind.ATTACHMENT):
        attachments.setdefault(rel.split("/")[2], []).append(rel)
    sessions = []
    seen: dict[str, str] = {}
    for rel in sources.of(Kind.SESSION):
        slug = rel.split("/")[2].removesuffix(".md")
        if slug in seen:
            problems.error(
                Location(rel),
                f"session '{slug}' is also defined by {seen[slug]}; keep the file or the folder",
            )
            continue
        seen[slug] = rel
        record = _read(root, rel, problems, yaml=False)
        if record is None:
            continue
        session = load_session(record, loaded, problems, attachments.get(slug, []) if rel.endswith("/index.md") else [])
        if session is not None:
            sessions.append(session)
    for slug, files in attachments.items():
        if slug not in seen or not seen[slug].endswith("/index.md"):
            problems.error(
                Location(files[0]),
                f"content/sessions/{slug}/ has files but no index.md; add index.md with the "
                "session's front matter",
            )
    return sessions


def _read(root: Path, rel: str, problems: Problems, *, yaml: bool) -> Record | None:
    try:
        raw = (root / rel).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        problems.error(Location(rel), f"cannot read this file: {exc.strerror}; check its permissions")
        return None
    try:
        text = decode(rel, raw)
        return load_yaml(rel, text) if yaml else split_front_matter(rel, text)
    except ParseError as exc:
        problems.extend([exc.problem])
        return None


def render_site(
    root: Path, site: Site, problems: Problems, previous: dict[str, tuple[str, bytes]]
) -> tuple[Outputs, int]:
    """Every output's bytes; a page whose signature is unchanged reuses ``previous``.

    ``previous`` is updated in place to this build's pages. Returns the outputs and the
    number of pages actually rendered.
    """
    outputs = Outputs()
    assets = _static_files(root, site, outputs)
    view = View(site, assets)
    templates = Templates(root, template_names(view), template_filters(view))
    page_routes = routes.site_routes(site)
    for route in page_routes:
        for source in route.sources or (Location(f"the built-in page {route.template}"),):
            outputs.claim(route.output, source)
    for rel, data in render_artifacts(site, view).items():
        outputs.data[rel] = data
        outputs.claim(rel, Location(f"the built-in file {rel}"))
    problems.extend(routes.collisions(outputs.claims))
    if problems.errors:
        return outputs, 0
    prints = fingerprints(site)
    extra = repr(sorted(assets.items()))
    rendered = 0
    current: dict[str, tuple[str, bytes]] = {}
    for route in page_routes:
        route.templates = templates.reads(route.template)
        template_digests = [templates.digest(name) for name in route.templates]
        sig = signature(
            route.inputs, prints, template_digests, f"{route.url}|{route.template}|{extra}"
        )
        cached = previous.get(route.output)
        if cached is not None and cached[0] == sig:
            data = cached[1]
        else:
            context = {**route.context, "page_url": route.url}
            try:
                data = templates.render(route.template, context, page=route.url).encode()
            except SiteError as exc:
                problems.extend(exc.problems)
                continue
            rendered += 1
        current[route.output] = (sig, data)
        outputs.data[route.output] = data
    if not problems.errors:
        previous.clear()
        previous.update(current)
    return outputs, rendered


def _static_files(root: Path, site: Site, outputs: Outputs) -> dict[str, str]:
    """Copy theme static, then the site's own over it; fingerprint CSS and JS names."""
    files: dict[str, Path] = {}
    for base in (theme_dir() / "static", root / "static"):
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not any(p.startswith(".") for p in path.relative_to(base).parts):
                    files[path.relative_to(base).as_posix()] = path
    light, dark = pygments_css()
    generated = {"css/pygments.css": (
        light + "\n@media (prefers-color-scheme: dark) {\n" + dark + "\n}\n"
    ).encode()}
    assets: dict[str, str] = {}
    for rel, data in generated.items():
        name = _fingerprint(rel, data)
        assets[rel] = name
        outputs.data[name] = data
        outputs.claim(name, Location("the built-in code highlighting styles"))
    for rel, path in files.items():
        if rel.endswith(FINGERPRINTED):
            name = _fingerprint(rel, path.read_bytes())
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


def _fingerprint(rel: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, dot, ext = rel.rpartition(".")
    return f"{stem}.{digest}{dot}{ext}"


def _site_rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return "theme:" + path.relative_to(theme_dir()).as_posix()
