"""Lighthouse scores of the example site: the home page, a session page and the search page.

    npm install lighthouse@12.2.3            # once, in a folder outside the repository
    python benchmarks/lighthouse.py --lighthouse <that folder>/node_modules/.bin/lighthouse

Builds the example archive in ``content/`` as of now, as a site is published, serves it
on 127.0.0.1 the way a static host does (gzip for text, long caching for fingerprinted
files), runs Lighthouse's default mobile profile with Debian's Chromium (``CHROME_PATH``,
``/usr/bin/chromium`` by default) on each page, and prints the four scores and any audit
under 0.9. Exit 1 when a score is under ``--min`` (95). Without ``--lighthouse``, it runs
``npx lighthouse@12.2.3``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PAGES = {
    "home": "",
    "session": "sessions/2023-02-18-generating-functions/",
    "search": "search/?q=lottery",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class StaticHost(SimpleHTTPRequestHandler):
    """Serves files as a static host does: text gzipped, fingerprinted files cached long."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        gzips = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (gzips and path.is_file() and path.suffix in TEXT):
            return super().send_head()
        if not self.path.split("?")[0].endswith("/") and path.name == "index.html":
            return super().send_head()  # the redirect to the folder's address
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", self.caching(path))
        self.end_headers()
        return _Body(body)

    def end_headers(self) -> None:
        if not any(h.lower().startswith(b"cache-control") for h in self._headers_buffer):
            path = Path(self.translate_path(self.path))
            self.send_header("Cache-Control", self.caching(path))
        super().end_headers()

    @staticmethod
    def caching(path: Path) -> str:
        parts = path.name.split(".")
        fingerprinted = len(parts) >= 3 and len(parts[-2]) == 10
        if fingerprinted or "fonts" in path.parts:
            return "public, max-age=31536000, immutable"
        return "public, max-age=600"


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: Any) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def build(out: Path, base_url: str) -> None:
    command = [sys.executable, "-m", "rgsite", "build", str(REPO), "-o", str(out)]
    command += ["--base-url", base_url, "--no-cache", "-q"]
    subprocess.run(command, check=True)


def lighthouse(command: list[str], url: str, chrome: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        args = [
            *command,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--chrome-flags=--headless=new --no-sandbox",
        ]
        subprocess.run(args, check=True, env={**os.environ, "CHROME_PATH": chrome})
        data = json.loads(report.read_text(encoding="utf-8"))
    failing = [
        f"    {audit['id']}: {audit['title']}"
        for audit in data["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    ]
    if failing:
        print("\n".join(failing), file=sys.stderr)
    return {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--lighthouse", help="the lighthouse command (default: npx)")
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument("--min", type=int, default=95, help="the lowest score that passes")
    args = parser.parse_args()
    command = shlex.split(args.lighthouse) if args.lighthouse else ["npx", "lighthouse@12.2.3"]
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        handler = functools.partial(StaticHost, directory=str(site))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        build(site, base)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        low = False
        print(f"{'page':10}" + "".join(f"{c:>16}" for c in CATEGORIES))
        try:
            for name, path in PAGES.items():
                scores = lighthouse(command, base + path, args.chrome)
                low = low or min(scores.values()) < args.min
                print(f"{name:10}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES), flush=True)
        finally:
            server.shutdown()
            server.server_close()
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
