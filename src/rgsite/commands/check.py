"""``rgsite check``: every validation of a build, plus every link of every page; writes nothing.

The site is read and rendered in memory exactly as ``rgsite build`` would, then
:mod:`rgsite.linkcheck` checks each internal link, anchor and asset of the rendered
pages, and with ``--external`` :mod:`rgsite.external` checks links to other sites.
Only the link cache (``.rgsite-cache/links.json``) is ever written.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rgsite.commands.common import add_output_options, now_option, site_folder
from rgsite.console import Console

if TYPE_CHECKING:
    from rgsite.check.external import Verdict
    from rgsite.check.links import Place
    from rgsite.errors import Location, Problem
    from rgsite.routes import Route

STATE_WORDS = {
    "ok": "working",
    "redirect": "moved",
    "dead": "dead",
    "blocked": "blocked",
    "transient": "unreachable",
    "skipped": "skipped",
}

EXAMPLES = """\
examples:
  rgsite check                      check the site in this folder
  rgsite check --external           also check links to other sites (cached for a week)
  rgsite check --external --strict  fail on links that could not be reached, too (for CI)
  rgsite check --archive            also list recaps, slides and affiliations still missing
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "check",
        help="check the site and its links without writing anything",
        description="Run every check of a build, render every page in memory and check "
        "every internal link, #anchor and asset; with --external, links to other sites "
        "too. Problems are listed as path:line: message; exit 1 if there is an error.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("site", nargs="?", default=".", help="the site folder (default: .)")
    parser.add_argument("--drafts", action="store_true", help="include sessions marked draft")
    parser.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    parser.add_argument("--now", metavar="ISO", help="pin 'now' (an ISO date-time)")
    parser.add_argument("--external", action="store_true", help="also check links to other sites")
    parser.add_argument(
        "--archive",
        action="store_true",
        help="also list what a complete archive would have: recaps, slides or recordings, "
        "affiliations; open slots left in the past; one person under two ids",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="with --external: links that could not be reached (timeouts, 5xx) are errors; "
        "with --archive: what the archive lacks is an error",
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="S", help="seconds per request (10)"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="processes for rendering (default: all cores)",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=8,
        metavar="N",
        help="with --external: sites checked at once (8)",
    )
    parser.add_argument(
        "--host-delay",
        type=float,
        default=0.5,
        metavar="S",
        help="seconds between two requests to one host (0.5)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="ignore and do not update .rgsite-cache/links.json"
    )
    add_output_options(parser)


def run(args: argparse.Namespace, console: Console) -> int:
    from rgsite.build.parallel import default_jobs
    from rgsite.check.links import LinkChecker
    from rgsite.errors import Problems, UsageError
    from rgsite.options import Options
    from rgsite.read.archive import read_site
    from rgsite.render.pages import render_site
    from rgsite.sections import notes

    root = site_folder(args.site)
    if args.timeout <= 0 or args.connections < 1 or args.host_delay < 0 or args.jobs < 0:
        raise UsageError(
            "--timeout must be above 0, --connections at least 1, --host-delay and --jobs 0 or more"
        )
    jobs = args.jobs or default_jobs()
    options = Options(
        site=root, drafts=args.drafts, base_url=args.base_url, now=now_option(args.now)
    )
    problems = Problems()
    timings: dict[str, float] = {}
    started = mark = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        timings[stage], mark = now - mark, now

    site = read_site(root, problems, options, jobs=jobs)
    lap("read")
    if problems.errors:
        return _finish(console, problems.items, timings, "fix these to check the links")
    outputs, pages = render_site(root, site, problems, jobs, console.progress)
    lap("render")
    if problems.errors:
        return _finish(console, problems.items, timings, "fix these to check the links")

    output_label = _label(root, options.output)
    checker = LinkChecker(
        base_url=site.config.base_url,
        base_path=site.config.base_path,
        data=outputs.data,
        copies=outputs.copies,
        extra=outputs.unmade,
        sources=_sources(root, pages, outputs.claims),
        read=lambda rel: _read_text(root / rel),
        shown=lambda rel: f"{output_label}/{rel}",
        read_copy=lambda rel: _read_bytes(outputs.copies[rel]),
        later=_made_when_written(),
    )
    with console.progress("checking pages", len(pages)) as bar:
        report = checker.run(bar.advance)
    problems.extend(report.problems)
    lap("links")
    summary = f"{report.pages} pages, {report.links} links"

    if args.external:
        external = _check_external(args, root, console, report.external)
        problems.extend(external[0])
        summary += f", {len(report.external)} external ({external[1]})"
        lap("external")
    elif report.external:
        summary += f" ({len(report.external)} to other sites not checked; add --external)"
    from rgsite.i18n.coverage import missing_strings

    untranslated = missing_strings(root, site.config)
    problems.extend(untranslated)
    if untranslated:
        summary += f", {len(untranslated)} string(s) not translated into {site.config.language}"
    if args.archive:
        from rgsite.check.archive import archive_problems

        gaps = archive_problems(site, strict=args.strict)
        problems.extend(gaps)
        summary += f", {len(gaps)} gap(s) in the archive"
    timings["total"] = time.perf_counter() - started
    for note in notes(site):  # advice for the organiser, never shown on the pages
        console.info(note)
    return _finish(console, problems.items, timings, f"checked {summary}")


def _check_external(
    args: argparse.Namespace,
    root: Path,
    console: Console,
    places: dict[str, list[Place]],
) -> tuple[list[Problem], str]:
    from rgsite.check.external import ExternalChecker

    cache = None if args.no_cache else root / ".rgsite-cache" / "links.json"
    checker = ExternalChecker(
        cache=cache, timeout=args.timeout, workers=args.connections, host_delay=args.host_delay
    )
    with console.progress("checking links to other sites", len(places)) as bar:
        verdicts = checker.check(places, bar.advance)
    problems = [
        p
        for url, verdict in sorted(verdicts.items())
        if (p := _verdict_problem(verdict, places[url], strict=args.strict)) is not None
    ]
    counts: dict[str, int] = {}
    for verdict in verdicts.values():
        counts[verdict.state] = counts.get(verdict.state, 0) + 1
    cached = sum(1 for v in verdicts.values() if v.cached)
    parts = [f"{counts[state]} {word}" for state, word in STATE_WORDS.items() if state in counts]
    if cached:
        parts.append(f"{cached} from the cache")
    return problems, ", ".join(parts) or "none"


def _verdict_problem(verdict: Verdict, places: list[Place], *, strict: bool) -> Problem | None:
    from rgsite.errors import Problem

    url, why = verdict.url, verdict.reason or (str(verdict.code) if verdict.code else "")
    where = min(places, key=lambda p: (not p.in_content, p.location)).location
    others = f" (and {len(places) - 1} more places)" if len(places) > 1 else ""
    if verdict.state == "dead":
        via = f" (after redirecting to {verdict.target})" if verdict.target else ""
        return Problem(where, f"dead link {url}: {why}{via}{others}")
    if verdict.state == "redirect":
        return Problem(
            where,
            f"{url} has moved permanently to {verdict.target}; update the link{others}",
            "warning",
        )
    if verdict.state == "blocked":
        return Problem(
            where,
            f"{url} answers {why} to a link checker; check it in a browser{others}",
            "warning",
        )
    if verdict.state == "transient":
        hint = "" if strict else " (not an error without --strict)"
        return Problem(
            where,
            f"{url} could not be reached: {why}; it may work later{hint}{others}",
            "error" if strict else "warning",
        )
    return None


def _finish(console: Console, items: list[Problem], timings: dict[str, float], summary: str) -> int:
    from rgsite.errors import sorted_problems

    problems = sorted_problems(items)
    console.problems(problems)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    console.timings(timings)
    counts = f"{errors} error(s), {warnings} warning(s)"
    if errors:
        console.error(f"rgsite check: {counts}; {summary}")
        return 1
    console.info(f"rgsite check: {summary}: " + (counts if problems else "all good"))
    return 0


def _sources(
    root: Path, pages: list[tuple[Route, str]], claims: dict[str, list[Location]]
) -> dict[str, tuple[Location, ...]]:
    """The site files each output is made from: a page's content files, a copy's original."""
    sources = {
        rel: tuple(loc for loc in found if (root / loc.path).is_file())
        for rel, found in claims.items()
        if not rel.endswith(".html")
    }
    sources.update({route.output: route.sources for route, _ in pages})
    return sources


def _made_when_written() -> tuple[str, ...]:
    """Output folders made only while the output is staged (the search index)."""
    from rgsite.render.formats import search

    return (f"{search.OUTPUT}/",)


def _label(root: Path, output: Path) -> str:
    try:
        return output.relative_to(root).as_posix()
    except ValueError:
        return output.as_posix()


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
