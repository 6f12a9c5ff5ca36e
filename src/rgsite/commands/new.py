"""``rgsite new session|proposal|speaker``: a new content file, never overwriting one."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from rgsite.commands.common import add_output_options, now_option, site_folder
from rgsite.console import Console
from rgsite.errors import Location, Problem

EXAMPLES = """\
examples:
  rgsite new session "Neural tangent kernels" --speaker harsha --topic "learning theory"
                        the next meeting by the cadence in site.yaml
  rgsite new session "Extra: reading club" --date "2024-05-08 17:30"
  rgsite new proposal "Understanding Adam" --by bhavnick --topic optimization
  rgsite new speaker grace-hopper --name "Grace Hopper" --affiliation "US Navy"
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "new",
        help="add a session, proposal or speaker",
        description="Create a new content file with its front matter filled in. "
        "Nothing is ever overwritten.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)

    session = kinds.add_parser(
        "session",
        help="a session at the next meeting date",
        description="content/sessions/<date>-<slug>.md, dated at the next meeting after the "
        "last session by meeting.weekday and every_weeks, in the group's time zone.",
    )
    session.add_argument("title", help="the session's title")
    session.add_argument(
        "--date", metavar="D", help='YYYY-MM-DD or "YYYY-MM-DD HH:MM" instead of the cadence'
    )
    session.add_argument(
        "--speaker", metavar="ID", action="append", default=[], help="a speaker id (repeatable)"
    )
    session.add_argument(
        "--topic", metavar="T", action="append", default=[], help="a topic (repeatable)"
    )

    proposal = kinds.add_parser(
        "proposal", help="an open proposal", description="content/proposals/<slug>.md, open."
    )
    proposal.add_argument("title", help="the proposal's title")
    proposal.add_argument(
        "--by", metavar="ID", action="append", default=[], help="who proposes it (repeatable)"
    )
    proposal.add_argument(
        "--topic", metavar="T", action="append", default=[], help="a topic (repeatable)"
    )

    speaker = kinds.add_parser(
        "speaker",
        help="a speaker in speakers.yaml",
        description="Append a speaker to content/speakers.yaml, keeping its comments and order.",
    )
    speaker.add_argument("id", metavar="ID", help="lowercase letters, digits and hyphens")
    speaker.add_argument("--name", help="the full name (default: from the id)")
    speaker.add_argument("--affiliation", default="", help="university, lab or company")

    for sub in (session, proposal, speaker):
        sub.add_argument("--site", default=".", help="the site folder (default: .)")
        sub.add_argument("--now", metavar="ISO", help=argparse.SUPPRESS)
        add_output_options(sub)


def run(args: argparse.Namespace, console: Console) -> int:
    from rgsite.authoring import new as scaffold

    root = site_folder(args.site)
    now = now_option(args.now) or datetime.now(UTC)
    if args.kind == "session":
        created = scaffold.new_session(
            root, args.title, when=args.date, speakers=args.speaker, topics=args.topic, now=now
        )
    elif args.kind == "proposal":
        created = scaffold.new_proposal(root, args.title, by=args.by, topics=args.topic, now=now)
    else:
        created = scaffold.new_speaker(root, args.id, args.name, args.affiliation)
    shown = Location(created.path.as_posix())
    console.problems(Problem(shown, note, "warning") for note in created.notes)
    verb = "added " + args.id + " to" if args.kind == "speaker" else "created"
    console.info(f"{verb} {created.path}")
    return 0
