"""The command line: parse arguments, run one command, report, return an exit code.

Exit codes: 0 success, 1 the site has problems (or the output cannot be written),
2 the command line is wrong. No pipeline logic lives here; each command is a module
of :mod:`rgsite.commands` that imports the pipeline only when it runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from rgsite import __version__
from rgsite.commands import COMMANDS, module_of
from rgsite.console import Console
from rgsite.errors import RgsiteError, SiteError, UsageError

EPILOG = """\
examples:
  rgsite build                      build the site in this folder into _site/
  rgsite build mygroup -o public    build ./mygroup into ./public

Run 'rgsite COMMAND --help' for a command's options.
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
    for name in COMMANDS:
        importlib.import_module(f"rgsite.commands.{name}").register(commands)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args_parser = parser()
    try:
        args = args_parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    if args.command is None:
        args_parser.print_help()
        return 2
    console = Console(quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False))
    command = importlib.import_module(f"rgsite.commands.{module_of(args.command)}")
    try:
        return int(command.run(args, console))
    except UsageError as exc:
        console.error(f"rgsite {args.command}: {exc}")
        return 2
    except SiteError as exc:
        console.problems(exc.problems)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        console.error(f"rgsite {args.command}: {errors} error(s); nothing was written")
        return 1
    except RgsiteError as exc:
        console.error(f"rgsite {args.command}: {exc}")
        return 1
    except KeyboardInterrupt:
        console.error("interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
