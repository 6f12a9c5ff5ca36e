"""``rgsite serve``: build, serve on 127.0.0.1, watch, rebuild, reload the browser.

The preview is built into ``SITE/.rgsite-serve/`` unless ``-o`` says otherwise: never
into ``_site/``, because the preview includes drafts and a later deploy of ``_site/``
must not publish them. The folder is kept between runs, so a restart reuses unchanged
files and the build cache.
"""

from __future__ import annotations

import argparse
import threading
import webbrowser
from pathlib import Path

from rgsite.commands.common import add_output_options, now_option, site_folder
from rgsite.console import Console
from rgsite.errors import UsageError

OUTPUT = ".rgsite-serve"
EXAMPLES = """\
examples:
  rgsite serve                      preview the site in this folder at http://127.0.0.1:8000/
  rgsite serve mygroup --port 0     any free port; the address is printed
  rgsite serve --open --no-drafts   open the browser; leave drafts out as a build does
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve",
        help="preview the site, rebuilding and reloading the browser as files change",
        description="Build the site, serve it on this computer and watch its files: every "
        "save rebuilds what changed and open pages reload themselves (a CSS change swaps "
        "the stylesheet in place). A build error shows in the page and here, and the last "
        "good build stays served. Drafts are shown, marked, unless --no-drafts.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("site", nargs="?", default=".", help="the site folder (default: .)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port to listen on; 0 picks a free one"
    )
    parser.add_argument("--open", action="store_true", help="open the site in a browser")
    parser.add_argument("--no-drafts", action="store_true", help="leave out sessions marked draft")
    parser.add_argument(
        "--now", metavar="ISO", help="pin 'now' (an ISO date-time) for upcoming/past"
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help=f"where the preview is built (default: SITE/{OUTPUT}; never SITE/_site)",
    )
    add_output_options(parser)


def run(args: argparse.Namespace, console: Console) -> int:
    from rgsite.net import is_loopback
    from rgsite.options import Options
    from rgsite.preview.serve import Preview

    site = site_folder(args.site)
    if args.output is not None and not args.output.strip():
        raise UsageError("-o needs a folder name")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number (0 to 65535)")
    options = Options(
        site=site,
        out=Path(args.output) if args.output else site / OUTPUT,
        drafts=not args.no_drafts,
        now=now_option(args.now),
    )
    if not is_loopback(args.host):
        console.error(
            f"warning: listening on {args.host}: other computers that can reach it can read "
            "the preview, drafts included. Use the default 127.0.0.1 to keep it private."
        )
    preview = Preview(options, host=args.host, port=args.port, console=console)
    stopped = threading.Event()
    try:
        preview.start()
        console.info(f"serving {site} at {preview.url} (Ctrl-C to stop)")
        if args.open:
            webbrowser.open(preview.url)
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        console.info("stopping")
    finally:
        preview.stop()
    return 0
