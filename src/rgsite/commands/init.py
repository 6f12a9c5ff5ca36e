"""``rgsite init DIR``: a new site skeleton that builds at once."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from rgsite.commands.common import add_output_options, now_option
from rgsite.console import Console

EXAMPLES = """\
examples:
  rgsite init mygroup                        a new site in ./mygroup
  rgsite init mygroup --title "ML Theory Reading Group" --timezone America/Edmonton
  rgsite init . --force                      add the skeleton's missing files here
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "init",
        help="start a new site",
        description="Write a small, commented site into DIR — settings with the meeting "
        "cadence, a speaker, a session, a proposal, a reading list and an about page — "
        "that builds at once. Existing files are never overwritten.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("dir", metavar="DIR", help="the folder to create (empty or new)")
    parser.add_argument("--title", help="the group's name (default: from DIR)")
    parser.add_argument(
        "--timezone", metavar="ZONE", help="IANA time zone (default: this computer's)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty DIR; files already there are kept as they are",
    )
    parser.add_argument("--now", metavar="ISO", help=argparse.SUPPRESS)
    add_output_options(parser)


def run(args: argparse.Namespace, console: Console) -> int:
    from rgsite.authoring.init import init_site

    dest = Path(args.dir)
    now = now_option(args.now) or datetime.now(UTC)
    result = init_site(dest, title=args.title, timezone=args.timezone, force=args.force, now=now)
    for path in result.written:
        console.detail(f"  wrote {path.relative_to(dest).as_posix()}")
    for path in result.kept:
        console.info(f"  kept {path.relative_to(dest).as_posix()} (already there)")
    console.info(f"created a new site in {dest} ({len(result.written)} files)")
    console.info("next:")
    if dest.resolve() != Path.cwd().resolve():
        console.info(f"  cd {_shell(str(dest))}")
    console.info("  rgsite serve          preview it at http://127.0.0.1:8000/ while you edit")
    console.info('  rgsite new session "Paper title" --speaker ada-lovelace')
    console.info("  rgsite build          publish it into _site/")
    return 0


def _shell(text: str) -> str:
    import shlex

    return shlex.quote(text)
