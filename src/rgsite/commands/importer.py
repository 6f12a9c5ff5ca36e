"""``rgsite import FORMAT SOURCE...``: bring an existing archive into the site.

The module is ``importer`` because ``import`` is a Python keyword; :mod:`rgsite.cli`
maps the command's name to it.
"""

from __future__ import annotations

import argparse

from rgsite.commands.common import add_output_options, site_folder
from rgsite.console import Console

NAME = "import"
FORMATS = ("jekyll", "hugo", "yaml", "csv")

EXAMPLES = """\
examples:
  rgsite import jekyll ../old-site --dry-run
                        what a Jekyll site's posts, collections and _data talk lists
                        would become, and every value that cannot be used
  rgsite import hugo ../hugo-site
  rgsite import yaml talks.yaml people.yaml
                        a talk list, and the people file its speaker ids come from
  rgsite import csv schedule.csv --map map.yaml
                        a spreadsheet; run it again each week to add the new rows

The map names what rgsite does not understand by itself:
  fields: {their_key: our_key}           # our_key 'ignore' drops a key
  kinds: {their_value: our_kind}
  speakers: {their_name_or_id: our_id}
fields (our_key): title, date, time, end, duration, speakers, affiliation, abstract,
  tldr, body, papers, slides, video, code, links, location, register, join_url, topics,
  series, kind, status, aliases, draft, published, ignore

Nothing is ever overwritten; a session already in the site is left as it is.
exit codes: 0 imported (or already in the site), 1 nothing could be imported,
2 the command line is wrong
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        NAME,
        help="import an existing archive: Jekyll, Hugo, a YAML talk list or a CSV",
        description="Write the talks of an existing archive into the site as sessions, "
        "adding the speakers they name. Common field names are understood; --map names "
        "the rest. A report lists what was written and every value that could not be "
        "used, with its file and line.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("format", choices=FORMATS, metavar="FORMAT", help=", ".join(FORMATS))
    parser.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="the old site's folder (jekyll, hugo), or files or folders of them (yaml, csv)",
    )
    parser.add_argument("--site", default=".", help="the site to import into (default: .)")
    parser.add_argument(
        "--map",
        dest="map_file",
        metavar="MAP.yaml",
        help="what their fields, kinds and speakers are",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be written; write nothing"
    )
    add_output_options(parser)


def run(args: argparse.Namespace, console: Console) -> int:
    from rgsite.importing.pipeline import Request, run_import

    root = site_folder(args.site)
    outcome = run_import(
        Request(
            fmt=args.format,
            sources=tuple(args.sources),
            site=root,
            map_file=args.map_file,
            dry_run=args.dry_run,
        )
    )
    report, planned = outcome.report, outcome.plan
    if args.dry_run:
        for session in planned.sessions:
            console.info(f"would write {session.rel}")
            for name in session.attachments:
                console.info(f"would copy {session.rel.rsplit('/', 1)[0]}/{name}")
            if args.verbose:
                console.info(_indented(session.text))
        if planned.speakers is not None:
            console.info("would add to content/speakers.yaml:")
            if args.verbose:
                console.info(_indented(planned.speakers_added.strip("\n")))
    else:
        for session in planned.sessions:
            console.detail(f"wrote {session.rel}")
    console.out.write(report.text(dry_run=args.dry_run))
    if outcome.other_errors:
        console.info(
            f"the site has {outcome.other_errors} other error(s) that rgsite check lists; "
            "they were there before the import"
        )
    console.out.flush()
    if not report.imported:
        console.error("rgsite import: nothing could be imported")
        return 1
    return 0


def _indented(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.rstrip("\n").split("\n"))
