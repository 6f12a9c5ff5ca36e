"""Check the links of rendered pages: every internal link, anchor and asset must land.

Works on what a build *would* write — the bytes of :class:`~rgsite.build.Outputs` —
so ``rgsite check`` finds broken links without writing anything. For each page:

* every ``href``/``src``/``srcset`` (and ``og:image``) under the site's base path must name
  an output file, or a folder with an ``index.html`` (a full ``https://`` address under
  ``base_url`` that names nothing is a warning: something else may serve it);
* every ``#fragment`` must be an ``id`` (or ``<a name>``) in the target page, or in the
  same page for ``#fragment`` alone;
* a root-relative link (``/x/``) that leaves the base path breaks once the site is
  published under a subpath, and is reported too;
* ``url(...)`` and ``@import`` in stylesheets must name published files;
* no link or asset may have an empty address (``href=""``), which goes nowhere.

A problem that comes from content is reported at the content file and line where the
link is written (found by searching the page's source files for it); one that comes from
a template is reported at the page, and once for all pages when many share it. Links to
other sites are collected for :mod:`rgsite.external`, not checked here.

This module must not render, write or fetch anything.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

from rgsite.errors import Location, Problem, Severity, did_you_mean

LINK_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
}
NAVIGATION = {("a", "href"), ("area", "href")}
META_URLS = {"og:image", "og:url", "twitter:image", "og:audio", "og:video"}
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "sms:", "geo:", "webcal:")
PARSED_TARGETS = (".html", ".htm", ".svg")
GROUP_AFTER = 3
"""A template problem on more pages than this is reported once, naming a few pages."""
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+?)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


@dataclass(frozen=True, slots=True)
class Found:
    """One link in one output file: the line it is on, its tag and attribute, its value."""

    line: int
    tag: str
    attr: str
    url: str


@dataclass(slots=True)
class Scan:
    """What a page holds: its ids (with lines) and its links."""

    ids: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    links: list[Found] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {k: v or "" for k, v in attrs}  # <a href> is an empty address
        for key in ("id",) + (("name",) if tag == "a" else ()):
            ident = values.get(key)
            if ident:
                if key == "id" and ident in self.scan.ids:
                    self.scan.duplicates.append((ident, line))
                self.scan.ids.setdefault(ident, line)
        for attr in LINK_ATTRS.get(tag, ()):
            value = values.get(attr)
            if value is None:
                continue
            if attr == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.scan.links.append(Found(line, tag, attr, url))
            else:
                self.scan.links.append(Found(line, tag, attr, value.strip()))
        if tag == "meta" and values.get("property", values.get("name")) in META_URLS:
            content = values.get("content")
            if content:
                self.scan.links.append(Found(line, tag, "content", content.strip()))

    handle_startendtag = handle_starttag


def scan_html(text: str) -> Scan:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.scan


def scan_css(text: str) -> list[Found]:
    found = []
    for match in _CSS_URL.finditer(text):
        url = (match.group(2) or match.group(4) or "").strip()
        if url:
            found.append(Found(text.count("\n", 0, match.start()) + 1, "css", "url", url))
    return found


@dataclass(frozen=True, slots=True)
class Place:
    """Where a link to another site appears: the page, and the best location to report."""

    page: str
    location: Location
    in_content: bool
    """True when ``location`` is the content file the link is written in."""


@dataclass(slots=True)
class Report:
    problems: list[Problem] = field(default_factory=list)
    external: dict[str, list[Place]] = field(default_factory=dict)
    pages: int = 0
    links: int = 0
    later: int = 0
    """Links into folders made only when the output is written (the search index)."""


class LinkChecker:
    """Checks the outputs of one site.

    ``data`` holds the bytes of generated outputs and ``copies`` the files copied as they
    are, both by output path; ``sources`` names, for an output path, the content files
    it is made from; ``read`` returns a site file's text (or None); ``shown`` is how an
    output path is named in a report (e.g. ``_site/sessions/x/index.html``). Links into
    the folders ``later`` (made only while the output is written, such as a search
    index) are counted but cannot be checked in memory.
    """

    def __init__(
        self,
        *,
        base_url: str,
        base_path: str,
        data: Mapping[str, bytes],
        copies: Iterable[str] = (),
        extra: Iterable[str] = (),
        later: Iterable[str] = (),
        sources: Mapping[str, tuple[Location, ...]] | None = None,
        read: Callable[[str], str | None] = lambda rel: None,
        shown: Callable[[str], str] = lambda rel: rel,
        read_copy: Callable[[str], bytes | None] = lambda rel: None,
    ) -> None:
        self.base_url, self.base_path = base_url, base_path
        self.data, self.copies = data, set(copies)
        self.files = set(data) | self.copies | set(extra)
        self.sources = sources or {}
        self.later = tuple(later)
        self.read, self.shown, self.read_copy = read, shown, read_copy
        self._scans: dict[str, Scan | None] = {}
        self._texts: dict[str, list[str] | None] = {}
        self._hints: dict[str, str] = {}
        self._urls: list[str] | None = None
        self.report = Report()
        self._template_problems: dict[tuple[Severity, str], list[tuple[str, Found]]] = defaultdict(
            list
        )

    # -- entry point ------------------------------------------------------------------

    def run(self, progress: Callable[[int], None] | None = None) -> Report:
        pages = sorted(rel for rel in self.data if rel.endswith(".html"))
        for rel in pages:
            scan = self._scan(rel)
            if scan is not None:
                self.report.pages += 1
                self._check_page(rel, scan)
            if progress is not None:
                progress(1)
        for rel in sorted(f for f in self.files if f.endswith(".css")):
            raw = self.data.get(rel)
            if raw is None and rel in self.copies:
                raw = self.read_copy(rel)
            if raw is not None:
                for found in scan_css(raw.decode("utf-8", "replace")):
                    self._check_link(rel, found, css=True)
        self._flush_template_problems()
        return self.report

    # -- one page ---------------------------------------------------------------------

    def _scan(self, rel: str) -> Scan | None:
        if rel not in self._scans:
            raw = self.data.get(rel)
            if raw is None and rel in self.copies:
                raw = self.read_copy(rel)
            self._scans[rel] = None if raw is None else scan_html(raw.decode("utf-8", "replace"))
        return self._scans[rel]

    def _check_page(self, rel: str, scan: Scan) -> None:
        for ident, line in scan.duplicates:
            self._problem(
                rel,
                Found(line, "", "id", "#" + ident),
                f"the id '{ident}' is used more than once on /{_url_of(rel)}; links to "
                f"#{ident} can only reach the first",
                severity="warning",
            )
        for found in scan.links:
            self._check_link(rel, found)

    def _check_link(self, rel: str, found: Found, *, css: bool = False) -> None:
        url = found.url
        lowered = url.lower()
        if not url and found.attr in ("href", "src", "data"):
            self._problem(
                rel,
                found,
                f'<{found.tag} {found.attr}=""> has an empty address, so it goes nowhere; '
                "give it one, or leave the element out when there is none",
            )
            return
        if not url or lowered.startswith(SKIPPED_SCHEMES) or url.startswith("{"):
            return
        self.report.links += 1
        here = self.base_path + _url_of(rel)
        if css:
            here = self.base_path + rel
        if lowered.startswith("//"):
            url = "https:" + url
            lowered = url.lower()
        parts = urlsplit(url)
        if parts.scheme:
            if parts.scheme not in ("http", "https"):
                return
            if self.base_url.startswith(("http://", "https://")) and (
                url.startswith(self.base_url) or url + "/" == self.base_url
            ):
                path = self.base_path + url[len(self.base_url) :]
                self._check_internal(rel, found, urlsplit(path), absolute=True)
            else:  # another site, or this host outside the site: fine wherever it is published
                self._external(rel, found)
            return
        self._check_internal(rel, found, urlsplit(urljoin(here, url)))

    def _check_internal(
        self, rel: str, found: Found, parts: SplitResult, *, absolute: bool = False
    ) -> None:
        path = unquote(parts.path)
        fragment = unquote(parts.fragment)
        if not path.startswith(self.base_path):
            self._outside(rel, found)
            return
        target_rel = path[len(self.base_path) :]
        if target_rel.startswith(self.later):
            self.report.later += 1
            return
        target = self._resolve(target_rel)
        if target is None:
            what = "missing file" if (found.tag, found.attr) not in NAVIGATION else "broken link"
            hint = self._hint(target_rel)
            message = f"{what} '{found.url}': nothing is published at {self.base_path}{target_rel}"
            if absolute:  # a full address on the site's host may be served by something else
                message += f"{hint} by this site; fine if something else serves it there"
                self._problem(rel, found, message, severity="warning")
            else:
                self._problem(rel, found, message + hint)
            return
        if not fragment or fragment == "top" or fragment.startswith(":~:"):
            return
        if not target.endswith(PARSED_TARGETS):
            return
        scan = self._scan(target) if target in self.data or target in self.copies else None
        if scan is None or fragment in scan.ids:
            return
        page = "this page" if target == rel else f"{self.base_path}{_url_of(target)}"
        hint = did_you_mean(fragment, list(scan.ids))
        self._problem(
            rel,
            found,
            f"broken anchor '{found.url}': {page} has no element with id '{fragment}'{hint}",
        )

    def _hint(self, target_rel: str) -> str:
        """A did-you-mean among published URLs, once per missing target."""
        if target_rel not in self._hints:
            if self._urls is None:
                self._urls = sorted({_url_of(f) for f in self.files})
            self._hints[target_rel] = did_you_mean(target_rel, self._urls)
        return self._hints[target_rel]

    def _resolve(self, target_rel: str) -> str | None:
        if target_rel == "" or target_rel.endswith("/"):
            candidate = target_rel + "index.html"
            return candidate if candidate in self.files else None
        if target_rel in self.files:
            return target_rel
        if target_rel + "/index.html" in self.files:
            return target_rel + "/index.html"
        return None

    def _outside(self, rel: str, found: Found) -> None:
        self._problem(
            rel,
            found,
            f"link '{found.url}' leaves the site's base path {self.base_path}, so it breaks "
            f"when the site is published there; link within {self.base_path} or write the "
            "link relative to the page",
        )

    def _external(self, rel: str, found: Found) -> None:
        where = self._content_location(rel, [found.url])
        place = Place(rel, where or Location(self.shown(rel), found.line), where is not None)
        self.report.external.setdefault(found.url, []).append(place)

    # -- where to report ----------------------------------------------------------------

    def _problem(
        self, rel: str, found: Found, message: str, *, severity: Severity = "error"
    ) -> None:
        needles = [found.url]
        if found.url.startswith(self.base_path) and len(found.url) > len(self.base_path):
            needles.append(found.url[len(self.base_path) :])
        if "#" in found.url and not found.url.endswith("#"):
            needles.append("#" + found.url.split("#", 1)[1])
        location = self._content_location(rel, needles)
        if location is not None:
            self._add(Problem(location, f"{message} (on {self.base_path}{_url_of(rel)})", severity))
            return
        self._template_problems[(severity, message)].append((rel, found))

    def _add(self, problem: Problem) -> None:
        self.report.problems.append(problem)

    def _flush_template_problems(self) -> None:
        for (severity, message), hits in self._template_problems.items():
            made_from = self._made_from(hits[0][0])
            if len(hits) <= GROUP_AFTER:
                for rel, found in hits:
                    self._add(
                        Problem(
                            Location(self.shown(rel), found.line),
                            message + self._made_from(rel),
                            severity,
                        )
                    )
                continue
            rel, found = hits[0]
            others = sorted({f"/{_url_of(r)}" for r, _ in hits[1:]})
            listed = ", ".join(others[:3]) + (
                f" and {len(others) - 3} more" if len(others) > 3 else ""
            )
            self._add(
                Problem(
                    Location(self.shown(rel), found.line),
                    f"{message}{made_from}; the same link is on {len(hits) - 1} other pages "
                    f"({listed}), so it probably comes from a template",
                    severity,
                )
            )

    def _made_from(self, rel: str) -> str:
        files = [
            s.path for s in self.sources.get(rel, ()) if not s.path.startswith(("(", "theme:"))
        ]
        return f" (this page is made from {', '.join(files)})" if files else ""

    def _content_location(self, rel: str, needles: list[str]) -> Location | None:
        """The content file and line where a page's link is written, if it is written there."""
        for source in self.sources.get(rel, ()):
            lines = self._lines(source.path)
            if lines is None:
                continue
            start = (source.line or 1) - 1
            order = list(range(start, len(lines))) + list(range(0, start))
            for index in order:
                if any(needle and needle in lines[index] for needle in needles):
                    return Location(source.path, index + 1)
        return None

    def _lines(self, path: str) -> list[str] | None:
        if path.startswith(("(", "theme:")):
            return None
        if path not in self._texts:
            text = self.read(path)
            self._texts[path] = None if text is None else text.split("\n")
        return self._texts[path]


def _url_of(rel: str) -> str:
    """The URL path (under the base path) of an output file: ``a/index.html`` -> ``a/``."""
    if rel == "index.html":
        return ""
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel
