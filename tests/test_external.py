"""``rgsite check --external`` against a real HTTP server on 127.0.0.1, started by the test.

The server answers 200, 301, 302, 404, 500, a 500 that recovers, a HEAD it refuses, and
one that hangs past the timeout. Nothing leaves the loopback interface.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rgsite.check import external
from rgsite.check.external import ExternalChecker, skip_reason
from rgsite.cli import main
from sitekit import SITE_YAML, write_site

TIMEOUT = 0.5


@dataclass
class Server:
    url: str
    hits: Counter[str] = field(default_factory=Counter)
    times: list[tuple[float, float]] = field(default_factory=list)
    """(request received, answer sent) of every request."""
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)


def _handler(state: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self.answer(body=False)

        def do_GET(self) -> None:
            self.answer(body=True)

        def answer(self, *, body: bool) -> None:
            path = self.path
            with state.lock:
                state.hits[f"{self.command} {path}"] += 1
                self._received = time.monotonic()
                self._done = False
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
                count = state.hits[f"{self.command} {path}"]
            try:
                if path.startswith("/slow/"):
                    time.sleep(0.15)
                    self.send(200, body)
                elif path == "/ok":
                    self.send(200, body)
                elif path == "/moved":
                    self.send(301, body, location="/ok")
                elif path == "/elsewhere":
                    self.send(302, body, location="/ok")
                elif path == "/loop":
                    self.send(301, body, location="/loop")
                elif path == "/gone":
                    self.send(404, body)
                elif path == "/broken":
                    self.send(500, body)
                elif path == "/flaky":
                    self.send(500 if count == 1 else 200, body)
                elif path == "/no-head":
                    self.send(405 if self.command == "HEAD" else 200, body)
                elif path == "/private":
                    self.send(403, body)
                elif path == "/hang":
                    state.stop.wait(TIMEOUT * 6)
                    self.send(200, body)
                else:
                    self.send(404, body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                self.done()

        def done(self) -> None:
            # Called before the answer goes out: once the client has it, it may send its
            # next request, which must not find this one still counted as in flight.
            if self._done:
                return
            self._done = True
            with state.lock:
                state.in_flight -= 1
                state.times.append((self._received, time.monotonic()))

        def send(self, code: int, body: bool, location: str | None = None) -> None:
            self.done()
            self.send_response(code)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "2" if body else "0")
            self.end_headers()
            if body:
                self.wfile.write(b"ok")

    return Handler


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up on /hang


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """Up to three loopback servers: three different hosts as far as politeness goes."""
    running: list[tuple[ThreadingHTTPServer, threading.Thread, Server]] = []
    for _ in range(3):
        state = Server("")
        httpd = _Quiet(("127.0.0.1", 0), _handler(state))
        state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
        thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        running.append((httpd, thread, state))
    yield [state for _, _, state in running]
    for httpd, thread, state in running:
        state.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(autouse=True)
def quick_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(external, "RETRY_WAIT", 0.05)


def checker(tmp_path: Path | None = None, **kwargs: object) -> ExternalChecker:
    options: dict[str, object] = {"timeout": TIMEOUT, "host_delay": 0.0, "workers": 4}
    options.update(kwargs)
    cache = tmp_path / "links.json" if tmp_path is not None else None
    return ExternalChecker(cache=cache, **options)  # type: ignore[arg-type]


@pytest.mark.slow
def test_every_kind_of_answer(servers: list[Server]) -> None:
    base = servers[0].url
    paths = [
        "/ok",
        "/moved",
        "/elsewhere",
        "/gone",
        "/broken",
        "/flaky",
        "/no-head",
        "/private",
        "/hang",
        "/loop",
    ]
    urls = [f"{base}{p}" for p in paths]
    started = time.monotonic()
    verdicts = checker().check(urls)
    took = time.monotonic() - started
    state = {url.removeprefix(base): (v.state, v.code) for url, v in verdicts.items()}
    assert state == {
        "/ok": ("ok", 200),
        "/moved": ("redirect", 200),
        "/elsewhere": ("ok", 200),
        "/gone": ("dead", 404),
        "/broken": ("transient", 500),
        "/flaky": ("ok", 200),
        "/no-head": ("ok", 200),
        "/private": ("blocked", 403),
        "/hang": ("transient", None),
        "/loop": ("dead", 301),
    }
    assert verdicts[f"{base}/moved"].target == f"{base}/ok"
    assert "no answer within 0.5 s" in verdicts[f"{base}/hang"].reason
    hits = servers[0].hits
    assert hits["HEAD /broken"] == 2 and hits["GET /broken"] == 2  # one retry, HEAD then GET
    assert hits["HEAD /hang"] == 2  # timed out twice: tried, then retried once
    assert hits["HEAD /gone"] == 1 and hits["GET /gone"] == 1
    assert "GET /ok" not in hits  # HEAD is enough
    # The hanging URL costs two timeouts, not the server's full sleep.
    assert took < TIMEOUT * 6


@pytest.mark.slow
def test_one_request_at_a_time_per_host_with_a_delay(servers: list[Server]) -> None:
    base = servers[0].url
    urls = [f"{base}/slow/{i}" for i in range(4)]
    checker(host_delay=0.2, workers=8).check(urls)
    assert servers[0].max_in_flight == 1
    times = sorted(servers[0].times)
    # Each request arrives at least 0.2 s after the previous answer was sent.
    gaps = [nxt[0] - prev[1] for prev, nxt in itertools.pairwise(times)]
    assert len(gaps) == 3 and min(gaps) >= 0.2


@pytest.mark.slow
def test_hosts_are_checked_concurrently_within_the_bound(servers: list[Server]) -> None:
    urls = [f"{s.url}/slow/{i}" for s in servers for i in range(3)]
    started = time.monotonic()
    checker(workers=3).check(urls)
    parallel = time.monotonic() - started
    assert all(s.max_in_flight == 1 for s in servers)
    assert parallel < 9 * 0.15  # three hosts at once, not nine requests in a row
    for s in servers:
        s.times.clear()
        s.max_in_flight = 0
    started = time.monotonic()
    checker(workers=1).check([u + "?again" for u in urls])
    assert time.monotonic() - started >= 9 * 0.15 * 0.9  # one worker: one host at a time


def test_the_cache_remembers_answers_until_they_expire(
    tmp_path: Path, servers: list[Server]
) -> None:
    base = servers[0].url
    urls = [f"{base}/ok", f"{base}/gone", f"{base}/broken"]
    now = [1_000_000.0]
    first = checker(tmp_path, clock=lambda: now[0])
    first.check(urls)
    stored = json.loads((tmp_path / "links.json").read_text())["urls"]
    assert set(stored) == {f"{base}/ok", f"{base}/gone"}  # a transient failure is not cached

    now[0] += 3600
    again = checker(tmp_path, clock=lambda: now[0])
    verdicts = again.check(urls)
    assert verdicts[f"{base}/ok"].cached and verdicts[f"{base}/gone"].cached
    assert not verdicts[f"{base}/broken"].cached
    assert again.requests == 4  # only /broken: HEAD+GET, twice

    now[0] += 2 * 86400  # dead answers expire after a day, working ones after a week
    later = checker(tmp_path, clock=lambda: now[0])
    verdicts = later.check(urls[:2])
    assert verdicts[f"{base}/ok"].cached and not verdicts[f"{base}/gone"].cached

    now[0] += 8 * 86400
    assert not checker(tmp_path, clock=lambda: now[0]).check(urls[:1])[f"{base}/ok"].cached


def test_a_damaged_cache_is_ignored(tmp_path: Path, servers: list[Server]) -> None:
    (tmp_path / "links.json").write_text("{not json")
    verdicts = checker(tmp_path).check([f"{servers[0].url}/ok"])
    assert verdicts[f"{servers[0].url}/ok"].state == "ok"
    assert json.loads((tmp_path / "links.json").read_text())["version"] == 1


@pytest.mark.parametrize(
    ("url", "skipped"),
    [
        ("https://example.org/join", True),
        ("https://meet.example.com/x", True),
        ("http://site.test/", True),
        ("http://localhost:8000/", True),
        ("https://examples.org/", False),
        ("http://127.0.0.1:9/", False),
    ],
)
def test_reserved_example_addresses_are_not_fetched(url: str, skipped: bool) -> None:
    assert bool(skip_reason(url)) is skipped


@pytest.mark.slow
def test_check_external_reports_dead_links_and_redirects(
    tmp_path: Path, servers: list[Server], capsys: pytest.CaptureFixture[str]
) -> None:
    base = servers[0].url
    page = f"""\
---
title: Links
---
- [fine]({base}/ok)
- [moved]({base}/moved)
- [gone]({base}/gone)
- [down]({base}/broken)
- [hangs]({base}/hang)
- [placeholder](https://example.org/nothing-here)
"""
    # No papers or speakers: the only links out are to the loopback server (and a
    # reserved example address, never fetched).
    site = write_site(
        tmp_path / "site", {"content/site.yaml": SITE_YAML, "content/pages/links.md": page}
    )
    args = ["check", str(site), "--external", "--timeout", str(TIMEOUT), "--host-delay", "0"]
    code = main(args)
    out = capsys.readouterr()
    text = out.err + out.out
    assert code == 1, text
    assert f"content/pages/links.md:6: dead link {base}/gone: 404" in text
    assert (
        f"content/pages/links.md:5: warning: {base}/moved has moved permanently to {base}/ok"
        in text
    )
    assert f"content/pages/links.md:7: warning: {base}/broken could not be reached: 500" in text
    assert f"content/pages/links.md:8: warning: {base}/hang could not be reached: no answer" in text
    assert "example.org/nothing-here" not in text
    assert f"{base}/ok" not in text.replace(f"to {base}/ok", "")
    assert "1 error(s)" in text and "1 dead" in text
    assert (site / ".rgsite-cache/links.json").is_file()
    assert not (site / "_site").exists()

    # Fixed the dead link: transient failures alone do not fail the check...
    fixed = page.replace(f"({base}/gone)", f"({base}/ok)")
    (site / "content/pages/links.md").write_text(fixed)
    assert main(args) == 0
    capsys.readouterr()
    # ...unless --strict.
    assert main([*args, "--strict"]) == 1
    text = capsys.readouterr().err
    assert f"content/pages/links.md:7: {base}/broken could not be reached" in text
