"""Shared fixtures.

Browser tests drive the system Chromium (``/usr/bin/chromium``) through Playwright's sync
API. Without Chromium they are skipped on a developer machine, but fail in CI (``CI=true``)
so a broken CI image can never pass by skipping.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if in_ci():
            pytest.fail(f"{CHROMIUM} is missing; CI must install the chromium package")
        pytest.skip(f"{CHROMIUM} is missing; install the chromium package to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve_dir() -> Iterator[Callable[[Path], str]]:
    """``serve_dir(folder)`` serves ``folder`` over real HTTP and returns its base URL."""
    servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def serve(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=os.fspath(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
        thread.start()
        servers.append((server, thread))
        host, port = server.server_address[:2]
        return f"http://{host!s}:{port}/"

    yield serve
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join()


REPO = Path(__file__).resolve().parents[1]
EXAMPLE_NOW = "2023-02-10T00:00-07:00"
"""The example archive is built as of this moment: recaps in the past, a session ahead."""
EXAMPLE_SUBPATH = "ml-theory"


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own example site, built once per test session by the real CLI.

    The pages land in ``<root>/ml-theory/``, so serving ``<root>`` with ``serve_dir`` keeps
    the site's ``/ml-theory/`` subpath working; returns ``<root>``.
    """
    root = tmp_path_factory.mktemp("example")
    command = [sys.executable, "-m", "rgsite", "build", os.fspath(REPO)]
    command += ["-o", os.fspath(root / EXAMPLE_SUBPATH), "--now", EXAMPLE_NOW, "--no-cache"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example archive built once, in this process, by ``rgsite build`` as of
    ``EXAMPLE_NOW``, for the tests that only read its output; returns the output folder."""
    from rgsite.cli import main

    out = tmp_path_factory.mktemp("example-site") / "site"
    assert main(["build", os.fspath(REPO), "-o", os.fspath(out), "--now", EXAMPLE_NOW]) == 0
    return out


@pytest.fixture(scope="session")
def example_url(example_build: Path, serve_dir: Callable[[Path], str]) -> str:
    """The served example build's home page URL, ``http://127.0.0.1:PORT/ml-theory/``."""
    return serve_dir(example_build) + EXAMPLE_SUBPATH + "/"
