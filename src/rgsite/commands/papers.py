"""``rgsite papers fetch``: titles, authors and years of papers cited by identifier."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from rgsite.commands.common import add_output_options, site_folder
from rgsite.console import Console
from rgsite.errors import Location, UsageError

if TYPE_CHECKING:
    from rgsite.model import Site
    from rgsite.papers.store import PaperDB

EXAMPLES = """\
examples:
  rgsite papers fetch               look up new arxiv:/doi: references of the site in .
  rgsite papers fetch mygroup --refresh
                                    look up every cited paper again
  RGSITE_ARXIV_API=https://mirror.example.org/api/query rgsite papers fetch
                                    use an arXiv API mirror

The metadata goes to content/papers.yaml; commit it, and builds stay offline.
Fields written in a reading list always win over fetched ones.
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "papers",
        help="fetch metadata of papers cited by arXiv id or DOI",
        description="Manage content/papers.yaml, the metadata of papers the site cites "
        "only by identifier.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    fetch = actions.add_parser(
        "fetch",
        help="look up cited papers on arXiv and Crossref",
        description="Look up every paper cited as arxiv:ID or doi:ID that lacks a title, "
        "authors or year, on the arXiv API and the Crossref API, one request at a time, and "
        "store what was found in content/papers.yaml (written atomically).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fetch.add_argument("site", nargs="?", default=".", help="the site folder (default: .)")
    fetch.add_argument(
        "--refresh", action="store_true", help="fetch papers already in papers.yaml again"
    )
    fetch.add_argument(
        "--arxiv-api",
        metavar="URL",
        help="the arXiv API query endpoint (default: $RGSITE_ARXIV_API or "
        "https://export.arxiv.org/api/query)",
    )
    fetch.add_argument(
        "--crossref-api",
        metavar="URL",
        help="the Crossref API root (default: $RGSITE_CROSSREF_API or https://api.crossref.org)",
    )
    fetch.add_argument(
        "--delay",
        type=_seconds,
        metavar="SECONDS",
        help="pause between requests (default: $RGSITE_FETCH_DELAY or 3, as arXiv asks)",
    )
    fetch.add_argument(
        "--timeout", type=_seconds, metavar="SECONDS", help="time limit per request (default: 20)"
    )
    fetch.add_argument(
        "--retries",
        type=int,
        metavar="N",
        help="retries after a busy server, a timeout or a dropped connection (default: 3)",
    )
    fetch.add_argument(
        "--mailto",
        metavar="EMAIL",
        help="a contact address sent in the User-Agent, as Crossref asks (default: $RGSITE_MAILTO)",
    )
    add_output_options(fetch)
    parser.set_defaults(papers_parser=parser)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of seconds") from None
    if seconds < 0 or seconds != seconds:
        raise argparse.ArgumentTypeError(f"'{value}' must be zero or more seconds")
    return seconds


def run(args: argparse.Namespace, console: Console) -> int:
    if args.action != "fetch":
        args.papers_parser.print_help()
        return 2
    return fetch(args, console)


def fetch(args: argparse.Namespace, console: Console) -> int:
    from rgsite.errors import Problem, Problems, SiteError
    from rgsite.options import Options
    from rgsite.papers import store as paperdb
    from rgsite.papers.lookup import FetchOptions, fetch_papers
    from rgsite.read.archive import read_site

    root = site_folder(args.site)
    if args.retries is not None and args.retries < 0:
        raise UsageError("--retries must be 0 or more")
    try:
        options = FetchOptions.from_env(
            os.environ,
            arxiv_api=args.arxiv_api,
            crossref_api=args.crossref_api,
            delay=args.delay,
            timeout=args.timeout,
            retries=args.retries,
            mailto=args.mailto,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for url in (options.arxiv_api, options.crossref_api):
        if not url.startswith(("http://", "https://")):
            raise UsageError(f"'{url}' is not an http(s) URL")

    problems = Problems()
    stored = paperdb.read(root, problems)
    if problems.errors:
        raise SiteError(
            [
                *problems.errors,
                Problem(
                    Location(paperdb.PATH),
                    "fix these lines or delete the file and run 'rgsite papers fetch' again; "
                    "nothing was fetched",
                ),
            ]
        )
    # The site as written by hand: which references it cites and what lists leave out.
    site_problems = Problems()
    site = read_site(
        root, site_problems, Options(site=root, drafts=True, papers=False, cache=False)
    )
    if site_problems.errors:
        console.error(
            f"note: the site has {_count(len(site_problems.errors), 'problem')} ('rgsite build' "
            "lists them); papers cited where they are may be missed"
        )
    wanted = wanted_refs(site, stored, refresh=args.refresh)
    if not wanted:
        if len(stored):
            console.info(
                f"nothing to fetch: every paper cited by identifier is in {paperdb.PATH}"
                + ("" if args.refresh else "; --refresh fetches them again")
            )
        else:
            console.info(
                "nothing to fetch: the site cites no paper by arxiv:ID or doi:ID that lacks "
                "a title, authors or year"
            )
        return 0
    on_arxiv = sum(1 for ref in wanted if _asks_arxiv(ref))
    console.info(
        f"looking up {_count(len(wanted), 'paper')} ({on_arxiv} on arXiv, "
        f"{len(wanted) - on_arxiv} at Crossref), one request at a time, "
        f"{options.delay:g} s apart"
    )
    outcome = fetch_papers(wanted, options, progress=lambda line: console.info(f"  {line}"))

    updated = paperdb.PaperDB(stored)
    for ref in outcome.found:
        updated.discard(ref)
    for entry in outcome.db:
        updated.add(entry)
    try:
        # Only new findings are written: a file kept as someone formatted it stays so.
        changed = bool(outcome.found) and paperdb.dumps(updated) != paperdb.dumps(stored)
        written = changed and paperdb.save(root, updated)
    except OSError as exc:
        console.error(
            f"rgsite papers fetch: cannot write {paperdb.PATH}: {exc.strerror or exc}; "
            "it was left as it was"
        )
        return 1
    fresh = sum(1 for ref in outcome.found if stored.get(ref) is None)
    if written:
        console.info(
            f"stored {_count(len(outcome.found), 'paper')} in {paperdb.PATH} "
            f"({fresh} new, {len(outcome.found) - fresh} fetched again) "
            f"with {_count(outcome.requests, 'request')}"
        )
    elif outcome.found:
        console.info(f"{paperdb.PATH} is up to date ({_count(outcome.requests, 'request')})")
    if outcome.failures:
        for failure in outcome.failures:
            where = wanted[failure.key]
            prefix = f"{where}: " if where.path else ""
            console.error(f"{prefix}{failure.key}: {failure.reason}")
        console.error(
            f"rgsite papers fetch: {_count(len(outcome.failures), 'paper')} could not be "
            f"fetched; {paperdb.PATH} keeps what it had, and the build shows a paper it "
            "has no metadata for by its identifier"
        )
    if outcome.interrupted:
        console.error("interrupted; what was found so far is stored")
        return 130
    return 1 if outcome.failures else 0


def wanted_refs(site: Site, stored: PaperDB, *, refresh: bool) -> dict[str, Location]:
    """Reference -> where it is cited, for every paper worth looking up.

    ``site`` is read without ``papers.yaml``: a paper cited only by identifier (its id is
    its canonical reference), or described in a list without a title, authors or year. A paper
    already stored is looked up again only with ``refresh``.
    """
    from rgsite.papers import store as paperdb

    wanted: dict[str, Location] = {}
    for paper in site.papers.values():
        refs = paperdb.paper_refs(paper)
        if not refs:
            continue
        if paper.described:
            if paper.titled and paper.authors and paper.year is not None:
                continue
            published = [r for r in refs if r.startswith("doi:")]
            ref = published[0] if published else refs[0]
        else:
            ref = paper.id
        known = any(stored.get(r) is not None for r in refs)
        if refresh or not known:
            wanted.setdefault(ref, paper.source)
    return dict(sorted(wanted.items()))


def _asks_arxiv(ref: str) -> bool:
    from rgsite.papers.store import arxiv_of_doi

    return ref.startswith("arxiv:") or arxiv_of_doi(ref[4:]) is not None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
