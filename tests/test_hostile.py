"""Hostile requests against the real preview server on port 0: nothing leaks, nothing stalls.

A secret file lies right beside the output folder; every request tries to reach it (or
/etc/passwd) some other way, or to tie the server up, or to talk to it under another
name. The same server must answer a normal request correctly after every one of them.
:mod:`test_serve` has the basic cases; these are the variants an attacker would try next.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from rgsite.options import Options
from rgsite.preview.serve import Preview
from sitekit import write_site

SECRET = b"TOP-SECRET-beside-the-output"
NOW = datetime(2023, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    root = tmp_path_factory.mktemp("hostile")
    site = write_site(
        root / "site", changes={"static/big.bin": "x" * 4_000_000, "static/a.txt": "ok\n"}
    )
    (root / "secret.txt").write_bytes(SECRET)
    (root / "out-secret").mkdir()
    (root / "out-secret" / "index.html").write_bytes(SECRET)
    options = Options(site=site, out=root / "out", now=NOW, jobs=1, cache=False)
    with Preview(options, port=0, watch=False) as running:
        yield running


def port(preview: Preview) -> int:
    assert preview.server is not None
    return preview.server.port


def exchange(preview: Preview, data: bytes, timeout: float = 10, *, done: bool = False) -> bytes:
    """Send raw bytes; everything the server answers until it closes the connection.

    With ``done``, say that nothing more will come (shut down the sending side), so a
    request the server cannot finish reading is answered at once, not at its timeout.
    """
    chunks = []
    with socket.create_connection(("127.0.0.1", port(preview)), timeout=timeout) as sock:
        # The server may refuse a request before it has all of it, answer and close:
        # then sending the rest, or saying it is done, fails, and the answer is what counts.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        if done:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_WR)
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    if not answer.startswith(b"HTTP/"):
        # http.server answers a request line it cannot parse as HTTP/0.9 would: no status
        # line, only its (escaped) error page, which names the code.
        code = answer.split(b"Error code: ", 1)[1][:3]
        return int(code)
    return int(answer.split(b" ", 2)[1])


def get(preview: Preview, target: str, host: str | None = None) -> bytes:
    host = host if host is not None else f"127.0.0.1:{port(preview)}"
    return exchange(
        preview, f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    )


def healthy(preview: Preview) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port(preview), timeout=5)
    try:
        conn.request("GET", "/club/a.txt")
        response = conn.getresponse()
        assert (response.status, response.read()) == (200, b"ok\n")
    finally:
        conn.close()


# -- reaching outside the output folder -----------------------------------------------------

TRAVERSALS = [
    "/club/../secret.txt",
    "/club/../../secret.txt",
    "/club/%2e%2e/secret.txt",
    "/club/%2e%2e%2fsecret.txt",
    "/club/.%2e/secret.txt",
    "/club/%2e./secret.txt",
    "/club/%252e%252e/secret.txt",
    "/club/%25252e%25252e/secret.txt",
    "/club/..%252fsecret.txt",
    "/club/%c0%ae%c0%ae/secret.txt",
    "/club/%c0%ae%c0%ae%c0%afsecret.txt",
    "/club/%e0%80%ae%e0%80%ae/secret.txt",
    "/club/%ef%bc%8e%ef%bc%8e/secret.txt",
    "/club/..;/secret.txt",
    "/club/..%00/secret.txt",
    "/club/..%0d%0a/secret.txt",
    "/club/..%5csecret.txt",
    "/club/..\\secret.txt",
    "/club/sessions/../../secret.txt",
    "/club/sessions/%2e%2e/%2e%2e/secret.txt",
    "/club/..//..//secret.txt",
    "/club/....//secret.txt",
    "/club/../out-secret/",
    "/club/%2e%2e/out-secret/index.html",
    "/club/?/../../secret.txt",
    "/club/#/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/../secret.txt",
    "../secret.txt",
    "secret.txt",
    "//127.0.0.1/secret.txt",
    "http://127.0.0.1/club/../secret.txt",
    "/club/%2fetc%2fpasswd",
    "/club/%2F..%2F..%2Fetc%2Fpasswd",
    "/club/~/secret.txt",
    "/club/%7e/../secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_variants_never_reach_the_secret(preview: Preview, target: str) -> None:
    answer = get(preview, target)
    refused = (301, 302, 400, 403, 404)
    # After '?' or '#' the dots are a query or fragment: /club/ itself may be served.
    allowed = (200, *refused) if "?" in target or "#" in target else refused
    assert status_of(answer) in allowed, answer[:300]
    assert SECRET not in answer and b"root:" not in answer
    if status_of(answer) in (301, 302):  # a redirect must stay on this server
        location = next(
            line for line in answer.split(b"\r\n") if line.lower().startswith(b"location:")
        )
        assert location.split(b":", 1)[1].strip().startswith(b"/"), location
        assert not location.split(b":", 1)[1].strip().startswith(b"//"), location
    healthy(preview)


def test_the_event_stream_does_not_read_outside_either(preview: Preview) -> None:
    with socket.create_connection(("127.0.0.1", port(preview)), timeout=10) as sock:
        sock.sendall(
            f"GET /__rgsite/events?path=/club/../secret.txt&digest=x HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port(preview)}\r\n\r\n".encode()
        )
        data = b""
        while b"event: build" not in data or not data.endswith(b"\n\n"):
            data += sock.recv(4096)
    assert SECRET not in data
    healthy(preview)


# -- oversized and malformed requests ----------------------------------------------------------


@pytest.mark.parametrize(
    ("request_bytes", "allowed"),
    [
        (b"GET /club/" + b"a" * 100_000 + b" HTTP/1.1\r\n\r\n", (400, 414)),
        (b"GET /club/?" + b"q=1&" * 30_000 + b" HTTP/1.1\r\n\r\n", (400, 414)),
        (b"GET /club/ HTTP/1.1\r\nHost: " + b"h" * 100_000 + b"\r\n\r\n", (400, 431)),
        (
            b"GET /club/ HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(500)) + b"\r\n",
            (400, 431),
        ),
        (b"GET /club/ HTTP/1.1\r\nX: " + b"v" * 65_000 + b"\r\n" * 3, (400, 403, 431)),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 200, (400,)),
        (b"\xff\xfe\xfd garbage\r\n\r\n", (400,)),
        (b"GET\r\n\r\n", (400,)),
        (b"GET /club/ HTTP/9.9\r\n\r\n", (400, 505)),
        (b"GET /club/ SPDY/3\r\n\r\n", (400,)),
    ],
    ids=[
        "100 KB path",
        "120 KB query",
        "100 KB Host",
        "500 headers",
        "65 KB header",
        "a TLS hello",
        "binary junk",
        "no target",
        "HTTP/9.9",
        "not HTTP",
    ],
)
def test_oversized_and_malformed_requests_are_refused(
    preview: Preview, request_bytes: bytes, allowed: tuple[int, ...]
) -> None:
    answer = exchange(preview, request_bytes, done=True)
    assert answer == b"" or status_of(answer) in allowed, answer[:200]
    assert b"<script" not in answer.lower()
    healthy(preview)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_methods_that_would_change_or_echo_are_refused(preview: Preview, method: str) -> None:
    out = preview.options.output
    before = sorted(p.name for p in out.iterdir())
    body = b"<script>alert(1)</script>"
    answer = exchange(
        preview,
        f"{method} /club/a.txt HTTP/1.1\r\nHost: 127.0.0.1:{port(preview)}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body,
    )
    assert status_of(answer) in (405, 501), answer[:200]
    assert body not in answer
    assert sorted(p.name for p in out.iterdir()) == before
    assert (out / "a.txt").read_bytes() == b"ok\n"
    healthy(preview)


def test_a_body_on_a_get_is_not_taken_for_a_second_request(preview: Preview) -> None:
    """Smuggling: a GET carrying a body that looks like a request for another host."""
    smuggled = b"GET /club/a.txt HTTP/1.1\r\nHost: evil.example\r\n\r\n"
    answer = exchange(
        preview,
        f"GET /club/a.txt HTTP/1.1\r\nHost: 127.0.0.1:{port(preview)}\r\n"
        f"Content-Length: {len(smuggled)}\r\n\r\n".encode()
        + smuggled,
        done=True,
    )
    replies = answer.count(b"HTTP/1.1 ")
    assert status_of(answer) == 200
    # Whatever happens to the body, it is never answered as a request for evil.example.
    assert replies == 1 or b"403" in answer.split(b"HTTP/1.1 ", 2)[2][:4], answer[:400]


# -- who may ask: Host headers of other names (DNS rebinding) --------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "localhost.evil.example:{port}",
        "127.0.0.1.nip.io:{port}",
        "127.0.0.1@evil.example:{port}",
        "evil.example#127.0.0.1:{port}",
        "127.0.0.1:{port}.evil.example",
        "127.0.0.1 evil.example:{port}",
        "0x7f.1:{port}",
        "[::ffff:evil]:{port}",
        "[::1]evil:{port}",
        "localhost:{port}:{port}",
        "127.0.0.2.evil:{port}",
        "",
    ],
)
def test_other_host_names_are_refused(preview: Preview, host: str) -> None:
    answer = get(preview, "/club/", host=host.format(port=port(preview)))
    assert status_of(answer) in (400, 403), answer[:200]
    assert b"<html" not in answer.lower()


def test_a_missing_host_header_is_refused(preview: Preview) -> None:
    answer = exchange(preview, b"GET /club/ HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert status_of(answer) in (400, 403)


def test_two_host_headers_are_not_a_way_in(preview: Preview) -> None:
    answer = exchange(
        preview,
        f"GET /club/ HTTP/1.1\r\nHost: evil.example\r\nHost: 127.0.0.1:{port(preview)}\r\n"
        "Connection: close\r\n\r\n".encode(),
    )
    assert status_of(answer) in (400, 403)


# -- slow and greedy clients ------------------------------------------------------------------


@pytest.mark.slow
def test_clients_sending_one_byte_a_second_do_not_block_others(preview: Preview) -> None:
    """Twenty trickling connections (slowloris) while others are served at once."""
    request = f"GET /club/ HTTP/1.1\r\nHost: 127.0.0.1:{port(preview)}\r\n\r\n".encode()
    stop = threading.Event()
    slow = [socket.create_connection(("127.0.0.1", port(preview))) for _ in range(20)]

    def trickle(sock: socket.socket) -> None:
        for byte in request[:-2]:  # never the final blank line
            if stop.wait(1.0):
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return

    threads = [threading.Thread(target=trickle, args=(s,), daemon=True) for s in slow]
    for thread in threads:
        thread.start()
    try:
        times = []
        for _ in range(10):
            started = time.monotonic()
            healthy(preview)
            times.append(time.monotonic() - started)
            time.sleep(0.3)
        assert max(times) < 1.0, times
    finally:
        stop.set()
        for sock in slow:
            sock.close()
        for thread in threads:
            thread.join()


def test_a_client_that_never_reads_does_not_block_others(preview: Preview) -> None:
    """Ten connections ask for a 4 MB file and never read the answer."""
    greedy = []
    for _ in range(10):
        sock = socket.create_connection(("127.0.0.1", port(preview)))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(
            f"GET /club/big.bin HTTP/1.1\r\nHost: 127.0.0.1:{port(preview)}\r\n\r\n".encode()
        )
        greedy.append(sock)
    try:
        started = time.monotonic()
        healthy(preview)
        assert time.monotonic() - started < 1.0
    finally:
        for sock in greedy:
            sock.close()


def test_connections_reset_mid_request_leave_the_server_serving(preview: Preview) -> None:
    for _ in range(50):
        sock = socket.create_connection(("127.0.0.1", port(preview)))
        sock.sendall(b"GET /club/big.bin HTTP/1.1\r\nHost: 127.0.0.1:")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()  # RST
    healthy(preview)
