"""The command line: parse arguments, call the pipeline, report, return an exit code.

Exit codes: 0 success, 1 the site has problems (or the output cannot be written),
2 the command line is wrong. No pipeline logic lives here, and heavy modules are
imported only by the command that needs them so ``rgsite --help`` starts fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from . import __version__
from .console import Console
from .errors import RgsiteError, SiteError, UsageError

EPILOG = """\
examples:
  rgsite build                      build the site in this folder into _site/
  rgsite build mygroup -o public    build ./mygroup into ./public
  rgsite build --now 2023-01-20T12:00-07:00
                                    build as if it were that moment (upcoming/past)

exit codes: 0 success, 1 the site has problems, 2 the command line is wrong
"""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="rgsite",
        description="Publish a reading group's archive: sessions, speakers, papers, proposals.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"rgsite {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser(
        "build",
        help="build the site",
        description="Build the site into its output folder, replacing it atomically.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("site", nargs="?", default=".", help="the site folder (default: .)")
    build.add_argument("-o", "--output", metavar="OUT", help="output folder (default: SITE/_site)")
    build.add_argument("--drafts", action="store_true", help="include sessions marked draft")
    build.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    build.add_argument(
        "--now", metavar="ISO", help="pin 'now' (ISO date-time) for upcoming/past, for reproducible builds"
    )
    _common(build)
    return top


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    command.add_argument("-v", "--verbose", action="store_true", help="print more detail")


def _now(value: str | None, config_tz: str | None = None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--now '{value}' is not an ISO date-time like 2023-01-20T12:00-07:00"
        ) from None
    if moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return moment


def main(argv: Sequence[str] | None = None) -> int:
    args_parser = parser()
    try:
        args = args_parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    console = Console(quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False))
    if args.command is None:
        args_parser.print_help()
        return 2
    try:
        if args.command == "build":
            return _build(args, console)
    except UsageError as exc:
        console.error(f"rgsite: {exc}")
        return 2
    except SiteError as exc:
        console.problems(exc.problems)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        console.error(f"build failed: {errors} error(s); nothing was written")
        return 1
    except RgsiteError as exc:
        console.error(f"rgsite: {exc}")
        return 1
    except KeyboardInterrupt:
        console.error("interrupted")
        return 130
    return 2


def _build(args: argparse.Namespace, console: Console) -> int:
    from .build import Options, build

    site = Path(args.site)
    if not site.is_dir():
        raise UsageError(f"'{args.site}' is not a folder")
    options = Options(
        site=site,
        out=Path(args.output) if args.output else None,
        drafts=args.drafts,
        base_url=args.base_url,
        now=_now(args.now),
    )
    result = build(options)
    console.problems(result.warnings)
    console.info(
        f"built {result.pages} pages ({result.files} files: {result.written} written, "
        f"{result.unchanged} unchanged, {result.removed} removed) in {result.seconds:.2f} s "
        f"-> {options.output}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
