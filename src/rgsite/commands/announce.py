"""``rgsite announce``: the next session's announcement, for email, Slack or Discord."""

from __future__ import annotations

import argparse
from pathlib import Path

from rgsite.commands.common import now_option, site_folder
from rgsite.console import Console
from rgsite.errors import RgsiteError
from rgsite.read.discover import is_site

FORMATS = ("text", "markdown", "html")

EXAMPLES = """\
examples:
  rgsite announce                   the next session, as plain text for an email
  rgsite announce --format markdown the same, for Slack or Discord
  rgsite announce 2023-01-21-generating-functions --format html mygroup
                                    a named session of ./mygroup, as an HTML email body
  rgsite announce --now 2023-01-20T12:00-07:00
                                    the session that was next at that moment

Links are absolute when base_url in content/site.yaml is (https://host/path/).
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "announce",
        help="print a session's announcement (text, Markdown or HTML)",
        description="Print the announcement of the next session, or of SESSION: title, "
        "time in the group's zone and in UTC, duration, how to join, speakers, abstract, "
        "papers to read, and links to the session's page and calendar file.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "session",
        nargs="?",
        help="the session's id (its file name without .md) or date; default: the next one",
    )
    parser.add_argument("site", nargs="?", help="the site folder (default: .)")
    parser.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="text",
        help="text for email (default), markdown for Slack or Discord, html for an email body",
    )
    parser.add_argument(
        "--now",
        metavar="ISO",
        help="pin 'now' (an ISO date-time) to pick the next session, for reproducible output",
    )


def run(args: argparse.Namespace, console: Console) -> int:
    from rgsite.authoring.announce import NoSession, announce, pick_session
    from rgsite.errors import Location, Problem, Problems
    from rgsite.options import Options
    from rgsite.read.archive import read_site

    session_ref, site_arg = args.session, args.site
    if site_arg is None and session_ref is not None and is_site(Path(session_ref)):
        session_ref, site_arg = None, session_ref
    root = site_folder(site_arg or ".")
    problems = Problems()
    site = read_site(root, problems, Options(site=root, now=now_option(args.now), cache=False))
    problems.raise_if_errors()
    try:
        session = pick_session(site, session_ref)
    except NoSession as exc:
        raise RgsiteError(str(exc)) from None
    if "://" not in site.config.base_url:
        console.problems(
            [
                Problem(
                    Location("content/site.yaml"),
                    "base_url is not absolute, so the links below are not either; set it to "
                    "the address the site is published at, e.g. https://example.org/group/",
                    "warning",
                )
            ]
        )
    console.out.write(announce(site, session, args.format))
    console.out.flush()
    return 0
