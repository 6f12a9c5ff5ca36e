"""``rgsite build``: the whole site into its output folder."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rgsite.commands.common import add_output_options, now_option, site_folder
from rgsite.console import Console
from rgsite.errors import UsageError

EXAMPLES = """\
examples:
  rgsite build                      build the site in this folder into _site/
  rgsite build mygroup -o public    build ./mygroup into ./public
  rgsite build --now 2023-01-20T12:00-07:00
                                    build as if it were that moment (upcoming/past)
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "build",
        help="build the site",
        description="Build the site into its output folder, replacing it atomically. "
        "Every problem is listed as path:line: message and nothing is written.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("site", nargs="?", default=".", help="the site folder (default: .)")
    parser.add_argument("-o", "--output", metavar="OUT", help="output folder (default: SITE/_site)")
    parser.add_argument("--drafts", action="store_true", help="include sessions marked draft")
    parser.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    parser.add_argument(
        "--now",
        metavar="ISO",
        help="pin 'now' (an ISO date-time) for upcoming/past, for reproducible builds",
    )
    parser.add_argument(
        "--jobs", type=int, metavar="N", help="processes to use (default: one per core)"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="ignore and do not update .rgsite-cache/"
    )
    add_output_options(parser)


def run(args: argparse.Namespace, console: Console) -> int:
    site = site_folder(args.site)
    if args.output is not None and not args.output.strip():
        raise UsageError("-o needs a folder name")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    if not args.no_cache and _nothing_to_do(args, site, console):
        return 0

    from rgsite.build.builder import build
    from rgsite.options import Options

    options = Options(
        site=site,
        out=Path(args.output) if args.output else None,
        drafts=args.drafts,
        base_url=args.base_url,
        now=now_option(args.now),
        jobs=args.jobs,
        cache=not args.no_cache,
        cleanup="detach",
    )
    result = build(options, console.progress)
    console.problems(result.warnings)
    console.info(
        f"built {result.pages} pages ({result.files} files: {result.written} written, "
        f"{result.unchanged} unchanged, {result.removed} removed) in {result.seconds:.2f} s "
        f"-> {options.output}"
    )
    console.timings(result.timings)
    if result.site is not None:
        from rgsite.sections import notes

        for note in notes(result.site):
            console.detail(note)
    return 0


def _nothing_to_do(args: argparse.Namespace, site: Path, console: Console) -> bool:
    """Report the last build again if nothing it read or wrote has changed since.

    Uses the standard library only (see :mod:`rgsite.lastbuild`), so an unchanged site
    is done before the engine is even imported.
    """
    from rgsite.build import lastbuild
    from rgsite.read.discover import theme_dir

    started = time.perf_counter()
    out = Path(args.output) if args.output else site / "_site"
    key = lastbuild.key(
        out, drafts=args.drafts, base_url=args.base_url, now=now_option(args.now), papers=True
    )
    summary = lastbuild.unchanged(site / ".rgsite-cache", key, site, theme_dir(), out)
    if summary is None:
        return False
    from rgsite.output.cleanup import remove_stale

    remove_stale(out.resolve())  # what crashed builds left, as a real build would
    seconds = time.perf_counter() - started
    console.problems(summary.warnings)
    console.info(
        f"built {summary.pages} pages ({summary.files} files: 0 written, {summary.files} "
        f"unchanged, 0 removed) in {seconds:.2f} s -> {out}; nothing changed since the last build"
    )
    console.timings({"check": seconds})
    return True
