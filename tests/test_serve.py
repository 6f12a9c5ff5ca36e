"""The preview server, for real: port 0, real sockets, the real watcher; no mocks."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rgsite.options import Options
from rgsite.preview.content import page_digest
from rgsite.preview.files import resolve
from rgsite.preview.hosts import host_allowed
from rgsite.preview.serve import Preview
from sitekit import write_site

NOW = datetime(2023, 1, 1, tzinfo=UTC)
SESSION = "content/sessions/2023-01-21-tickets.md"
PAGE = "/club/sessions/2023-01-21-tickets/"


def options(site: Path, out: Path, **kw: object) -> Options:
    return Options(site=site, out=out, drafts=True, now=NOW, jobs=1, cache=False, **kw)  # type: ignore[arg-type]


STATIC = {
    "static/data/info.json": '{"a": 1}\n',
    "static/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "static/site.webmanifest": '{"name": "club"}\n',
    "static/refs.bib": "@article{a, title={A}}\n",
    "static/cal.ics": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    "static/extra.xml": "<x/>\n",
    "static/notes.txt": "hello\n",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", changes=STATIC)


@pytest.fixture
def preview(site: Path, tmp_path: Path) -> Iterator[Preview]:
    with Preview(options(site, tmp_path / "out"), port=0, quiet=0.05) as running:
        yield running


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One preview for every test that only sends requests and changes no file: starting
    and stopping a server for each of them took most of this file's time."""
    root = tmp_path_factory.mktemp("served")
    site = write_site(root / "site", changes=STATIC)
    with Preview(options(site, root / "out"), port=0, quiet=0.05) as running:
        yield running


def request(
    preview: Preview, path: str, *, method: str = "GET", host: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    assert preview.server is not None
    conn = http.client.HTTPConnection("127.0.0.1", preview.server.port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host if host is not None else f"127.0.0.1:{preview.server.port}")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def raw(preview: Preview, data: bytes) -> bytes:
    """Send raw bytes; return everything the server answers until it closes."""
    assert preview.server is not None
    with socket.create_connection(("127.0.0.1", preview.server.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def wait_epoch(preview: Preview, epoch: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while preview.state.epoch < epoch and time.monotonic() < deadline:
        time.sleep(0.02)
    assert preview.state.epoch >= epoch, "no rebuild happened"


# -- serving files --------------------------------------------------------------------


def test_serves_pages_under_the_base_path_and_redirects_the_root(served: Preview) -> None:
    status, headers, body = request(served, "/")
    assert (status, headers["Location"]) == (302, "/club/")
    status, headers, _ = request(served, "/club")
    assert (status, headers["Location"]) == (302, "/club/")
    status, headers, body = request(served, "/club/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    assert b"Theory Club" in body
    assert served.url.endswith("/club/")


def test_pretty_urls_redirect_to_their_folder(served: Preview) -> None:
    status, headers, _ = request(served, PAGE.rstrip("/") + "?x=1")
    assert (status, headers["Location"]) == (301, PAGE + "?x=1")
    assert request(served, PAGE + "index.html")[0] == 200


def test_the_live_script_is_injected_into_html_only(served: Preview) -> None:
    _, _, page = request(served, PAGE)
    assert page.count(b'<script id="rgsite-live">') == 1
    assert page.index(b'<script id="rgsite-live">') < page.rindex(b"</body>")
    _, headers, css = request(served, "/club/" + served.state.styles["/club/css/site.css"][6:])
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    assert b"rgsite-live" not in css
    for path in served.options.output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"rgsite-live" not in data and b"__rgsite" not in data, path


def test_404_serves_404_html_with_status_404(served: Preview) -> None:
    status, headers, body = request(served, "/club/no/such/page/")
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.startswith((served.options.output / "404.html").read_bytes()[:50])
    assert b"rgsite-live" in body
    assert request(served, "/elsewhere/")[0] == 404


def test_folders_without_index_are_404_not_listings(served: Preview) -> None:
    status, _, body = request(served, "/club/css/")
    assert status == 404
    assert b"site." not in body.split(b"<script")[0] or b"Index of" not in body
    assert request(served, "/club/css")[0] == 404


def test_hidden_files_are_not_served(served: Preview) -> None:
    assert request(served, "/club/.rgsite-output")[0] == 404


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/club/data/info.json", "application/json"),
        ("/club/logo.svg", "image/svg+xml"),
        ("/club/site.webmanifest", "application/manifest+json"),
        ("/club/refs.bib", "application/x-bibtex; charset=utf-8"),
        ("/club/cal.ics", "text/calendar; charset=utf-8"),
        ("/club/extra.xml", "application/xml; charset=utf-8"),
        ("/club/notes.txt", "text/plain; charset=utf-8"),
    ],
)
def test_content_types(served: Preview, path: str, kind: str) -> None:
    status, headers, body = request(served, path)
    assert (status, headers["Content-Type"]) == (200, kind)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert b"rgsite-live" not in body


def test_head_sends_headers_only(served: Preview) -> None:
    _, get_headers, body = request(served, PAGE)
    status, headers, head_body = request(served, PAGE, method="HEAD")
    assert status == 200 and head_body == b""
    assert headers["Content-Length"] == get_headers["Content-Length"] == str(len(body))
    assert request(served, "/club/nope", method="HEAD")[0] == 404


def test_keep_alive_serves_several_requests_on_one_connection(served: Preview) -> None:
    assert served.server is not None
    conn = http.client.HTTPConnection("127.0.0.1", served.server.port, timeout=10)
    for path in ("/club/", PAGE, "/club/nope"):
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        assert response.status in (200, 404)
    conn.close()


# -- never a file outside the output ----------------------------------------------------


TRAVERSALS = [
    "/club/../../../../etc/passwd",
    "/club/sessions/../../../etc/passwd",
    "/club/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/club/%2E%2E/%2E%2E/etc/passwd",
    "/club/..%2f..%2f..%2fetc%2fpasswd",
    "/club/%252e%252e/%252e%252e/etc/passwd",
    "/club/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "/club/..\\..\\..\\etc\\passwd",
    "/club/%5c..%5c..%5cetc%5cpasswd",
    "/club/%255c..%255cetc",
    "//etc/passwd",
    "/club//etc/passwd",
    "/club/%2fetc%2fpasswd",
    "/club/%2F%2Fetc/passwd",
    "/club/index.html%00.css",
    "/club/%2500",
    "/club/./index.html",
    "/club/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/etc/passwd",
    "http://127.0.0.1/etc/passwd",
    "*",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_is_refused(served: Preview, path: str) -> None:
    assert served.server is not None
    answer = raw(
        served,
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{served.server.port}\r\n"
        "Connection: close\r\n\r\n".encode(),
    )
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 403, 404), answer[:200]
    assert b"root:" not in answer


def test_a_raw_nul_byte_is_refused(served: Preview) -> None:
    assert served.server is not None
    answer = raw(
        served,
        b"GET /club/index.html\x00/../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1:"
        + str(served.server.port).encode()
        + b"\r\nConnection: close\r\n\r\n",
    )
    assert int(answer.split(b" ", 2)[1]) in (400, 403, 404)
    assert b"root:" not in answer


def test_symlinks_leading_out_are_refused(preview: Preview, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    out = tmp_path / "out"
    os.symlink(secret, out / "leak.txt")
    os.symlink(tmp_path, out / "leakdir")
    os.symlink(out / "index.html", out / "inside.html")
    assert request(preview, "/club/leak.txt")[0] == 403
    assert request(preview, "/club/leakdir/secret.txt")[0] == 403
    assert request(preview, "/club/leakdir/")[0] in (403, 404)
    assert request(preview, "/club/inside.html")[0] == 200


def test_resolve_never_leaves_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a/index.html").write_text("a")
    assert resolve(out, "/", "/a/").file == (out / "a/index.html").resolve()
    assert resolve(out, "/", "/a").status == 301
    for path in TRAVERSALS:
        found = resolve(out, "/", path)
        assert found.file is None or found.file.is_relative_to(out.resolve()), path


# -- who may ask --------------------------------------------------------------------------


def test_host_header_is_checked(served: Preview) -> None:
    assert served.server is not None
    port = served.server.port
    for good in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        assert request(served, "/club/", host=good)[0] == 200, good
    for bad in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", "", "[::1]"):
        status, _, body = request(served, "/club/", host=bad)
        assert status == 403, bad
        assert b"DNS-rebinding" in body
    status, _, _ = request(served, "/__rgsite/events?path=/club/", host="evil.example")
    assert status == 403


def test_host_allowed_rules() -> None:
    assert host_allowed("127.0.0.1:8000", "127.0.0.1", 8000)
    assert host_allowed("preview.localhost:8000", "127.0.0.1", 8000)
    assert not host_allowed("192.168.1.5:8000", "127.0.0.1", 8000)
    assert host_allowed("192.168.1.5:8000", "0.0.0.0", 8000)
    assert host_allowed("192.168.1.5:8000", "192.168.1.5", 8000)
    assert not host_allowed("attacker.example:8000", "0.0.0.0", 8000)
    assert host_allowed("mybox:8000", "0.0.0.0", 8000, frozenset({"mybox"}))
    assert not host_allowed("mybox:8000", "127.0.0.1", 8000, frozenset({"mybox"}))
    assert host_allowed("localhost", "127.0.0.1", 80)
    assert not host_allowed("localhost:80:80", "127.0.0.1", 80)
    assert host_allowed("[::1]:8000", "127.0.0.1", 8000)
    assert host_allowed("LOCALHOST:8000", "127.0.0.1", 8000)
    # Only the usual loopback names: another loopback address is not how a browser
    # reaches a server bound to 127.0.0.1.
    assert not host_allowed("127.0.0.5:8000", "127.0.0.1", 8000)
    assert host_allowed("127.0.0.5:8000", "127.0.0.5", 8000)


# -- many clients, slow clients, bad clients ---------------------------------------------


def test_oversized_headers_are_refused(served: Preview) -> None:
    assert served.server is not None
    port = str(served.server.port).encode()
    big = b"GET /club/ HTTP/1.1\r\nHost: 127.0.0.1:" + port + b"\r\nX-Big: " + b"a" * 70000
    answer = raw(served, big + b"\r\n\r\n")
    assert int(answer.split(b" ", 2)[1]) in (400, 431)
    many = b"".join(b"X-%d: 1\r\n" % i for i in range(150))
    answer = raw(
        served, b"GET /club/ HTTP/1.1\r\nHost: 127.0.0.1:" + port + b"\r\n" + many + b"\r\n"
    )
    assert int(answer.split(b" ", 2)[1]) in (400, 431)
    answer = raw(served, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")
    assert int(answer.split(b" ", 2)[1]) in (400, 414)


def test_a_slow_client_does_not_block_others(served: Preview) -> None:
    assert served.server is not None
    slow = socket.create_connection(("127.0.0.1", served.server.port))
    slow.sendall(b"GET /club/ HTTP/1.1\r\nHost: 127.0.0.1")  # and never finishes
    try:
        started = time.monotonic()
        assert request(served, "/club/")[0] == 200
        assert time.monotonic() - started < 1.0
    finally:
        slow.close()


def test_many_clients_at_once(served: Preview) -> None:
    """The standard listen queue of 5 gave a 1.4 s tail at 50 clients."""
    statuses: list[int] = []
    times: list[float] = []
    barrier = threading.Barrier(60)

    def client() -> None:
        barrier.wait()
        started = time.monotonic()
        statuses.append(request(served, PAGE)[0])
        times.append(time.monotonic() - started)

    threads = [threading.Thread(target=client) for _ in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 60
    assert max(times) < 1.0


def test_event_streams_do_not_stop_other_requests(served: Preview) -> None:
    assert served.server is not None
    streams = []
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", served.server.port), timeout=10)
        sock.sendall(
            f"GET /__rgsite/events?path={PAGE}&digest=x HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{served.server.port}\r\n\r\n".encode()
        )
        streams.append(sock)
    try:
        assert b"text/event-stream" in streams[-1].recv(4096)
        assert request(served, "/club/")[0] == 200
    finally:
        for sock in streams:
            sock.close()


# -- events, rebuilds, errors -----------------------------------------------------------


def read_event(stream: http.client.HTTPResponse) -> dict[str, object]:
    while True:
        line = stream.readline()
        assert line, "the stream closed"
        if line.startswith(b"data: "):
            data: dict[str, object] = json.loads(line[6:])
            return data


def open_stream(preview: Preview, path: str, digest: str) -> http.client.HTTPResponse:
    assert preview.server is not None
    conn = http.client.HTTPConnection("127.0.0.1", preview.server.port, timeout=10)
    conn.request("GET", f"/__rgsite/events?path={path}&digest={digest}")
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
    return response


def test_event_stream_says_whether_the_page_changed(preview: Preview, site: Path) -> None:
    _, _, body = request(preview, PAGE)
    shown = json.loads(
        body.split(
            b"(",
        )[-1].split(b");</script>")[0]
    )["digest"]
    current = page_digest((preview.options.output / PAGE[6:] / "index.html").read_bytes())
    assert shown == current
    stream = open_stream(preview, PAGE, current)
    first = read_event(stream)
    assert first["reload"] is False and first["errors"] == []
    epoch = preview.state.epoch
    other = site / "content/pages/about.md"
    other.write_text(other.read_text() + "\nMore about us.\n")
    event = read_event(stream)
    assert event["epoch"] == epoch + 1 and event["reload"] is False
    path = site / SESSION
    path.write_text(path.read_text() + "\nA new paragraph.\n")
    event = read_event(stream)
    assert event["reload"] is True
    stream.close()


def test_css_change_is_announced_without_reload(preview: Preview, site: Path) -> None:
    _, _, body = request(preview, PAGE)
    digest = page_digest((preview.options.output / PAGE[6:] / "index.html").read_bytes())
    stream = open_stream(preview, PAGE, digest)
    read_event(stream)
    old = preview.state.styles["/club/css/site.css"]
    assert old.encode() in body
    (site / "static/css").mkdir(parents=True, exist_ok=True)
    (site / "static/css/site.css").write_text("body { background: rgb(1, 2, 3); }\n")
    event = read_event(stream)
    assert event["reload"] is False
    assets = event["assets"]
    assert isinstance(assets, dict)
    assert assets["/club/css/site.css"] != old
    assert request(preview, assets["/club/css/site.css"])[0] == 200
    stream.close()


def test_errors_reach_the_page_and_the_last_good_site_stays(preview: Preview, site: Path) -> None:
    _, _, good = request(preview, PAGE)
    epoch = preview.state.epoch
    (site / "content/speakers.yaml").write_text("ada:\n  name: [unclosed\n")
    wait_epoch(preview, epoch + 1)
    assert preview.state.errors
    assert any(e["where"].startswith("content/speakers.yaml:") for e in preview.state.errors)
    status, _, broken = request(preview, PAGE)
    assert status == 200
    assert broken.split(b"<script")[0] == good.split(b"<script")[0]
    assert b"content/speakers.yaml:" in broken
    write_site(site)
    wait_epoch(preview, epoch + 2)
    assert preview.state.errors == []
    assert b'"errors":[]' in request(preview, PAGE)[2]


def test_error_messages_are_escaped_in_the_page(preview: Preview, site: Path) -> None:
    epoch = preview.state.epoch
    path = site / SESSION
    path.write_text(path.read_text().replace("speakers: [ada]", "speakers: ['</script><b>x']"))
    wait_epoch(preview, epoch + 1)
    _, _, body = request(preview, PAGE)
    assert b"</script><b>" not in body
    assert preview.state.errors


def test_new_and_deleted_sessions_appear_and_disappear(preview: Preview, site: Path) -> None:
    epoch = preview.state.epoch
    (site / "content/sessions/2023-03-04-new.md").write_text("---\ntitle: Brand new\n---\nHi.\n")
    wait_epoch(preview, epoch + 1)
    status, _, body = request(preview, "/club/sessions/2023-03-04-new/")
    assert status == 200 and b"Brand new" in body
    (site / "content/sessions/2023-03-04-new.md").unlink()
    wait_epoch(preview, epoch + 2)
    assert request(preview, "/club/sessions/2023-03-04-new/")[0] == 404


@pytest.mark.slow
def test_drafts_are_served_and_marked(site: Path, tmp_path: Path) -> None:
    draft = site / "content/sessions/2023-03-04-draft.md"
    draft.write_text("---\ntitle: Secret plans\ndraft: true\n---\nNot yet.\n")
    with Preview(options(site, tmp_path / "out"), port=0, watch=False) as running:
        status, _, body = request(running, "/club/sessions/2023-03-04-draft/")
        assert status == 200
        assert b"badge-draft" in body and b"Draft" in body
    hidden = Options(site=site, out=tmp_path / "out2", drafts=False, now=NOW, jobs=1, cache=False)
    with Preview(hidden, port=0, watch=False) as running:
        assert request(running, "/club/sessions/2023-03-04-draft/")[0] == 404


def test_a_site_broken_from_the_start_is_served_with_its_errors(site: Path, tmp_path: Path) -> None:
    (site / "content/speakers.yaml").write_text("ada: [\n")
    with Preview(options(site, tmp_path / "out"), port=0, quiet=0.05) as running:
        status, _, body = request(running, "/")
        assert status == 404
        assert b"content/speakers.yaml:" in body
        epoch = running.state.epoch
        write_site(site)
        wait_epoch(running, epoch + 1)
        assert request(running, "/club/")[0] == 200


# -- the command ------------------------------------------------------------------------


def start_command(site: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "rgsite", "serve", str(site), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if "serving" in line:
            return process, line
    process.kill()
    raise AssertionError("".join(lines) + process.stderr.read())  # type: ignore[union-attr]


@pytest.mark.slow
def test_the_command_prints_the_url_and_stops_on_ctrl_c(site: Path) -> None:
    process, line = start_command(site)
    try:
        url = line.split(" at ", 1)[1].split()[0]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/club/")
        port = int(url.split(":")[2].split("/")[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/club/")
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert not (site / "_site").exists(), "serve must not build into _site/"
    assert (site / ".rgsite-serve/index.html").is_file()


@pytest.mark.slow
def test_the_command_warns_when_not_on_loopback(site: Path) -> None:
    process, _ = start_command(site, "--host", "0.0.0.0")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert "warning: listening on 0.0.0.0" in err
    assert process.returncode == 0 and "Traceback" not in err
