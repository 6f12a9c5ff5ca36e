"""What rgsite.net owns: User-Agent, Retry-After, loopback hosts, redirect policy, failures.

The openers are tried against a real HTTP server on 127.0.0.1; nothing leaves loopback.
"""

from __future__ import annotations

import email.utils
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rgsite import __version__
from rgsite.net import BadAnswer, failure, is_loopback, opener, retry_after, user_agent

NOW = 1_700_000_000.0


def test_user_agent_without_and_with_a_contact() -> None:
    assert user_agent() == f"rgsite/{__version__} (+https://pypi.org/project/rgsite/)"
    assert user_agent("org@example.org") == (
        f"rgsite/{__version__} (+https://pypi.org/project/rgsite/; mailto:org@example.org)"
    )
    assert user_agent("") == user_agent()


def test_user_agent_of_the_link_checker() -> None:
    assert user_agent(tool="linkcheck") == (
        f"rgsite-linkcheck/{__version__} (+https://pypi.org/project/rgsite/)"
    )


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        (email.utils.formatdate(NOW + 30, usegmt=True), 30.0),
        (email.utils.formatdate(NOW - 30, usegmt=True), 0.0),
        ("Tue, 14 Nov 2023 22:14:20 +0100", 0.0),
        (email.utils.formatdate(NOW + 90, localtime=True), 90.0),
        ("soon", None),
        ("1.5", None),  # delta-seconds are whole seconds
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_as_seconds_or_a_date(value: str | None, seconds: float | None) -> None:
    assert retry_after(value, NOW) == seconds


def test_retry_after_dates_without_a_zone_are_gmt() -> None:
    gmt = email.utils.formatdate(NOW + 60, usegmt=True)
    assert retry_after(gmt.replace("GMT", "-0000"), NOW) == 60.0


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LocalHost", True),
        ("127.0.0.1", True),
        ("127.0.0.5", True),
        ("127.255.255.254", True),
        ("::1", True),
        ("[::1]", True),
        ("0:0:0:0:0:0:0:1", True),
        ("preview.localhost", False),
        ("localhost.example.org", False),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("128.0.0.1", False),
        ("example.org", False),
        ("", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


class _Redirecting(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/ok":
            self.send_response(200)
        else:
            self.send_response(302)
            self.send_header("Location", "/ok" if self.path == "/moved" else "ftp://files/x")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirecting)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_an_opener_that_follows_redirects_to_http_only(base: str) -> None:
    follows = opener(follow_redirects=True, host="127.0.0.1")
    with follows.open(f"{base}/moved", timeout=5) as response:
        assert response.status == 200 and response.url == f"{base}/ok"
    with pytest.raises(BadAnswer, match="redirected to ftp://files/x"):
        follows.open(f"{base}/to-ftp", timeout=5)


def test_an_opener_that_follows_no_redirect(base: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as raised:
        opener(follow_redirects=False, host="127.0.0.1").open(f"{base}/moved", timeout=5)
    with raised.value as answer:
        assert answer.code == 302 and answer.headers["Location"] == "/ok"


def test_a_loopback_host_is_reached_without_the_proxy(
    base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy that does not exist: only a request that bypasses it gets an answer.
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with opener(follow_redirects=True, host="127.0.0.1").open(f"{base}/ok", timeout=5) as reply:
        assert reply.status == 200
    with pytest.raises(urllib.error.URLError):
        opener(follow_redirects=True).open(f"{base}/ok", timeout=5)


def test_a_refused_connection_is_a_failure_while_connecting() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    request = urllib.request.Request(f"http://127.0.0.1:{closed}/")
    with pytest.raises(urllib.error.URLError) as raised:
        opener(follow_redirects=True, host="127.0.0.1").open(request, timeout=5)
    went = failure(raised.value)
    assert went.connecting and not went.timed_out
    assert isinstance(went.error, ConnectionRefusedError)
    assert went.reason == "connection refused"


def test_a_timeout_is_a_failure_however_urllib_reports_it() -> None:
    assert failure(TimeoutError("timed out")).timed_out
    assert failure(urllib.error.URLError(TimeoutError("timed out"))).timed_out
    went = failure(urllib.error.URLError("no host given"))
    assert went.connecting and went.reason == "no host given"
    assert not failure(ConnectionResetError(104, "Connection reset by peer")).connecting
