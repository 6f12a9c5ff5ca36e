"""``rgsite papers fetch`` against a real HTTP server on 127.0.0.1 serving recorded answers.

The server stands in for both APIs: arXiv at ``/arxiv/query`` and Crossref at
``/crossref/works/<doi>``. Its answers are hand-written in the APIs' real formats
(``tests/data/arxiv/*.xml``, ``tests/data/crossref/*.json``). Nothing leaves loopback.
"""

from __future__ import annotations

import email.utils
import itertools
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from rgsite import __version__
from rgsite.cli import main
from rgsite.errors import Problems
from rgsite.model import Site
from rgsite.net import BadAnswer, retry_after, user_agent
from rgsite.options import Options
from rgsite.papers.arxiv import arxiv_url, parse_arxiv
from rgsite.papers.crossref import crossref_url, parse_crossref
from rgsite.papers.ids import arxiv_id
from rgsite.papers.lookup import FetchOptions, fetch_papers
from rgsite.read.archive import read_site
from sitekit import write_site

DATA = Path(__file__).parent / "data"
DELAY = 0.2
"""The politeness delay the tests ask for (arXiv's own is 3 s)."""


def arxiv_xml(name: str) -> bytes:
    return (DATA / "arxiv" / f"{name}.xml").read_bytes()


def crossref_json(name: str) -> bytes:
    return (DATA / "crossref" / f"{name}.json").read_bytes()


def feed(*names: str) -> bytes:
    """One arXiv answer holding the entries of several recorded ones, as a batch gets."""
    entries = [
        match
        for name in names
        for match in re.findall(r"<entry>.*?</entry>", arxiv_xml(name).decode(), re.S)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        '  <title type="html">ArXiv Query: batch</title>\n'
        "  <id>http://arxiv.org/api/batch</id>\n" + "\n".join(entries) + "\n</feed>\n"
    ).encode()


# -- the stand-in APIs -----------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Arrival:
    at: float
    key: str
    path: str
    headers: dict[str, str]


class FakeApis:
    """Replies by reference: ``arxiv:<id_list>`` or ``doi:<doi>``; the last reply repeats."""

    def __init__(self) -> None:
        self.replies: dict[str, list[Reply]] = {}
        self.arrivals: list[Arrival] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.base = ""

    @property
    def arxiv(self) -> str:
        return f"{self.base}/arxiv/query"

    @property
    def crossref(self) -> str:
        return f"{self.base}/crossref"

    def on(self, key: str, *replies: Reply) -> None:
        with self.lock:
            self.replies[key] = list(replies)

    def reply_for(self, key: str, path: str, headers: dict[str, str]) -> Reply:
        with self.lock:
            self.arrivals.append(Arrival(time.monotonic(), key, path, headers))
            queue = self.replies.get(key)
            if not queue:
                return Reply(404, b"Resource not found.", {"Content-Type": "text/plain"})
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def keys(self) -> list[str]:
        return [a.key for a in self.arrivals]

    def gaps(self) -> list[float]:
        times = [a.at for a in self.arrivals]
        return [b - a for a, b in itertools.pairwise(times)]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        apis = self.server.apis
        url = urlsplit(self.path)
        if url.path == "/arxiv/query":
            key = "arxiv:" + parse_qs(url.query).get("id_list", [""])[0]
        elif url.path.startswith("/crossref/works/"):
            key = "doi:" + unquote(url.path.removeprefix("/crossref/works/"))
        else:
            key = ""
        reply = apis.reply_for(key, self.path, dict(self.headers.items()))
        if reply.delay:
            apis.stop.wait(reply.delay)
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:
            pass  # the client gave up waiting (the slow answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    apis: FakeApis

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@pytest.fixture
def apis(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApis]:
    for name in ("RGSITE_ARXIV_API", "RGSITE_CROSSREF_API", "RGSITE_FETCH_DELAY", "RGSITE_MAILTO"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    fake = FakeApis()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.apis = fake
    host, port = server.server_address[:2]
    fake.base = f"http://{host!s}:{port}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake APIs", daemon=True
    )
    thread.start()
    try:
        yield fake
    finally:
        fake.stop.set()
        server.shutdown()
        server.server_close()
        thread.join()


def fetch_cli(site: Path, apis: FakeApis, *extra: str) -> int:
    return main(
        [
            "papers",
            "fetch",
            str(site),
            "--arxiv-api",
            apis.arxiv,
            "--crossref-api",
            apis.crossref,
            "--delay",
            str(DELAY),
            "--timeout",
            "2",
            *extra,
        ]
    )


def options(apis: FakeApis, **changes: Any) -> FetchOptions:
    values: dict[str, Any] = {
        "arxiv_api": apis.arxiv,
        "crossref_api": apis.crossref,
        "delay": DELAY,
        "timeout": 2.0,
        "retries": 1,
        "batch": 1,
    }
    values.update(changes)
    return FetchOptions(**values)


def read(site: Path) -> Site:
    problems = Problems()
    result = read_site(site, problems, Options(site=site, cache=False))
    assert not problems.errors, problems.errors
    return result


def session(slug: str, papers: str) -> dict[str, str]:
    return {f"content/sessions/{slug}.md": f"---\ntitle: {slug}\npapers: {papers}\n---\nNotes.\n"}


def assert_polite(apis: FakeApis, delay: float = DELAY) -> None:
    for gap in apis.gaps():
        assert gap >= delay - 0.01, apis.gaps()


# -- end to end through the command line ---------------------------------------------------


def test_fetch_fills_title_authors_year_and_the_build_shows_them(
    tmp_path: Path, apis: FakeApis, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(
        tmp_path,
        changes={
            # a versioned id, an old-style id, and the DOI of a paper a list describes
            "content/sessions/2023-02-04-engines.md": (
                "---\ntitle: Engines\nspeakers: [alan]\npapers: [arxiv:2206.11124v2]\n---\nNotes.\n"
            ),
            **session("2023-02-18-ricci", "[arxiv:math/0211159, doi:10.5555/LOTTERY.2019]"),
        },
    )
    apis.on("arxiv:2206.11124,math/0211159", Reply(body=feed("2206.11124", "math-0211159")))
    apis.on("doi:10.5555/lottery.2019", Reply(body=crossref_json("10.5555-lottery.2019")))

    assert fetch_cli(site, apis) == 0
    out = capsys.readouterr().out
    assert "looking up 3 papers (2 on arXiv, 1 at Crossref)" in out
    assert "stored 3 papers in content/papers.yaml (3 new" in out

    # one batch for arXiv, then Crossref; one at a time, DELAY apart, named rgsite
    assert apis.keys() == ["arxiv:2206.11124,math/0211159", "doi:10.5555/lottery.2019"]
    assert_polite(apis)
    for arrival in apis.arrivals:
        agent = arrival.headers["User-Agent"]
        assert agent.startswith(f"rgsite/{__version__} (") and "https://" in agent
    assert apis.arrivals[0].headers["Accept"] == "application/atom+xml"
    assert apis.arrivals[1].headers["Accept"] == "application/json"

    stored = (site / "content/papers.yaml").read_text()
    assert stored.startswith("# Paper metadata fetched")
    assert (
        '"arxiv:2206.11124":\n  title: "A view of mini-batch SGD via generating functions:'
        in stored
    )
    assert '    - "Maksim Velikanov"\n' in stored
    assert '"arxiv:math/0211159":' in stored and "  year: 2002\n" in stored

    built = read(site)
    sgd = built.papers["arxiv:2206.11124"]
    assert sgd.title.startswith("A view of mini-batch SGD via generating functions: conditions of ")
    assert "\n" not in sgd.title and "  " not in sgd.title
    assert sgd.authors == ("Maksim Velikanov", "Denis Kuznedelev", "Dmitry Yarotsky")
    assert sgd.year == 2022
    assert sgd.doi == "10.5555/SGD.2023.042"
    ricci = built.papers["arxiv:math/0211159"]
    assert ricci.authors == ("Grisha Perelman",) and ricci.year == 2002
    # Crossref says the DOI's preprint is arXiv 1803.03635, which the list describes:
    # the session's DOI resolves to that paper, whose hand-written fields stay.
    assert built.sessions["2023-02-18-ricci"].papers == ("arxiv:math/0211159", "lottery-ticket")
    lottery = built.papers["lottery-ticket"]
    assert lottery.title == "The lottery ticket hypothesis"
    assert lottery.doi == "10.5555/LOTTERY.2019"
    assert "doi:10.5555/lottery.2019" not in built.papers

    assert main(["build", str(site), "--now", "2023-01-01T00:00Z"]) == 0
    page = (site / "_site/sessions/2023-02-04-engines/index.html").read_text()
    assert "A view of mini-batch SGD via generating functions" in page
    assert "Velikanov" in page and "2022" in page
    bibtex = "".join(path.read_text() for path in (site / "_site").rglob("*.bib"))
    assert "author = {Maksim Velikanov and Denis Kuznedelev and Dmitry Yarotsky}" in bibtex


def test_without_papers_yaml_the_build_shows_the_identifier(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    paper = read(site).papers["arxiv:2206.11124"]
    assert paper.title == "arXiv:2206.11124" and paper.authors == () and paper.year is None
    assert main(["build", str(site), "--now", "2023-01-01T00:00Z"]) == 0
    page = (site / "_site/sessions/2023-02-04-engines/index.html").read_text()
    assert "arXiv:2206.11124" in page


def test_hand_written_fields_win_over_fetched_ones(tmp_path: Path, apis: FakeApis) -> None:
    site = write_site(
        tmp_path,
        changes={
            "content/reading-lists/ours.yaml": (
                "title: Ours\nsections:\n  - title: Papers\n    items:\n"
                '      - {title: "Our own title", arxiv: "2206.11124v2", year: 2030}\n'
            )
        },
    )
    apis.on("arxiv:2206.11124", Reply(body=arxiv_xml("2206.11124")))
    assert fetch_cli(site, apis) == 0
    assert apis.keys() == ["arxiv:2206.11124"]  # the list lacks authors: looked up
    assert '  title: "A view of mini-batch SGD' in (site / "content/papers.yaml").read_text()

    built = read(site)
    paper = built.papers["arxiv:2206.11124"]
    assert paper.described
    assert paper.title == "Our own title" and paper.year == 2030  # written by hand
    assert paper.authors == ("Maksim Velikanov", "Denis Kuznedelev", "Dmitry Yarotsky")
    assert built.sessions["2023-02-04-engines"].papers == ("arxiv:2206.11124",)


def test_a_doi_and_its_arxiv_preprint_become_one_paper(tmp_path: Path, apis: FakeApis) -> None:
    site = write_site(
        tmp_path, changes=session("2023-02-18-published", "[doi:10.5555/SGD.2023.042]")
    )
    apis.on("arxiv:2206.11124", Reply(body=arxiv_xml("2206.11124")))
    apis.on("doi:10.5555/sgd.2023.042", Reply(body=crossref_json("10.5555-sgd.2023.042")))
    assert fetch_cli(site, apis) == 0

    stored = (site / "content/papers.yaml").read_text()
    assert stored.count("title:") == 1
    assert '"doi:10.5555/sgd.2023.042":' in stored and '  arxiv: "2206.11124"' in stored
    built = read(site)
    one = built.papers["doi:10.5555/sgd.2023.042"]
    assert one.arxiv == "2206.11124" and one.doi == "10.5555/SGD.2023.042"
    assert one.year == 2023  # the published version's metadata wins over the preprint's
    assert built.sessions["2023-02-04-engines"].papers == ("doi:10.5555/sgd.2023.042",)
    assert built.sessions["2023-02-18-published"].papers == ("doi:10.5555/sgd.2023.042",)
    assert not [p for p in built.papers if "2206.11124" in p]

    # Fetching again asks nothing: both references are known.
    apis.arrivals.clear()
    assert fetch_cli(site, apis) == 0
    assert apis.arrivals == []


def test_refresh_fetches_again(
    tmp_path: Path, apis: FakeApis, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path)
    apis.on("arxiv:2206.11124", Reply(body=arxiv_xml("2206.11124")))
    assert fetch_cli(site, apis) == 0
    first = (site / "content/papers.yaml").read_bytes()

    apis.arrivals.clear()
    capsys.readouterr()
    assert fetch_cli(site, apis) == 0
    assert apis.arrivals == []
    assert "nothing to fetch" in capsys.readouterr().out
    assert (site / "content/papers.yaml").read_bytes() == first

    renamed = arxiv_xml("2206.11124").replace(b"A view of mini-batch SGD", b"A new view of SGD")
    apis.on("arxiv:2206.11124", Reply(body=renamed))
    assert fetch_cli(site, apis, "--refresh") == 0
    assert apis.keys() == ["arxiv:2206.11124"]
    assert "fetched again" in capsys.readouterr().out
    assert read(site).papers["arxiv:2206.11124"].title.startswith("A new view of SGD")


def test_failures_are_reported_and_the_stored_file_is_kept(
    tmp_path: Path, apis: FakeApis, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = (
        "# kept as written\n"
        '"arxiv:2206.11124": {title: "Stored title", authors: [A. Author], year: 2021}\n'
        '"arxiv:1706.03762": {title: "Not cited any more", year: 2017}\n'
    )
    site = write_site(
        tmp_path,
        changes={
            "content/papers.yaml": stored,
            **session("2023-02-18-missing", "[doi:10.5555/missing, arxiv:2301.00001]"),
        },
    )
    apis.on("arxiv:2301.00001", Reply(body=arxiv_xml("malformed")))
    before = (site / "content/papers.yaml").stat()

    assert fetch_cli(site, apis) == 1
    err = capsys.readouterr().err
    where = "content/sessions/2023-02-18-missing.md:3: "
    assert f"{where}doi:10.5555/missing: Crossref has no record of this DOI (HTTP 404)" in err
    assert f"{where}arxiv:2301.00001: arXiv: arXiv answered with malformed XML" in err
    assert "2 papers could not be fetched" in err
    # nothing found: the file is untouched, byte for byte
    assert (site / "content/papers.yaml").read_text() == stored
    assert (site / "content/papers.yaml").stat().st_mtime_ns == before.st_mtime_ns
    assert read(site).papers["arxiv:2206.11124"].title == "Stored title"

    # Now one is found: it is added, every stored entry is kept, the failure reported.
    apis.on(
        "arxiv:2301.00001",
        Reply(body=arxiv_xml("2206.11124").replace(b"2206.11124", b"2301.00001")),
    )
    assert fetch_cli(site, apis) == 1
    text = (site / "content/papers.yaml").read_text()
    assert '"arxiv:2301.00001":' in text
    assert '"arxiv:2206.11124":\n  title: "Stored title"' in text
    assert '"arxiv:1706.03762":\n  title: "Not cited any more"' in text
    assert "doi:10.5555/missing" in capsys.readouterr().err


@pytest.mark.parametrize("broken", ["replace", "fsync"])
def test_a_failed_write_leaves_the_old_file_byte_identical(
    tmp_path: Path,
    apis: FakeApis,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broken: str,
) -> None:
    old = b'# hand-kept\n"doi:10.5555/other": {title: "Other", year: 1999}\n'
    site = write_site(tmp_path)
    (site / "content/papers.yaml").write_bytes(old)
    apis.on("arxiv:2206.11124", Reply(body=arxiv_xml("2206.11124")))

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(f"rgsite.output.files.os.{broken}", fail)
    assert fetch_cli(site, apis) == 1
    assert "cannot write content/papers.yaml: No space left on device" in capsys.readouterr().err
    assert (site / "content/papers.yaml").read_bytes() == old
    assert sorted(p.name for p in (site / "content").iterdir() if p.is_file()) == [
        "papers.yaml",
        "site.yaml",
        "speakers.yaml",
    ]


def test_a_broken_papers_yaml_is_reported_and_nothing_is_fetched(
    tmp_path: Path, apis: FakeApis, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(
        tmp_path, changes={"content/papers.yaml": '"arxiv:2206.11124":\n  titel: Oops\n'}
    )
    assert fetch_cli(site, apis) == 1
    err = capsys.readouterr().err
    assert "content/papers.yaml:2: unknown key 'titel' in paper 'arxiv:2206.11124'" in err
    assert apis.arrivals == []


# -- the client: retries, Retry-After, timeouts, bad answers --------------------------------


@pytest.mark.slow
def test_429_with_retry_after_seconds_is_retried_after_the_wait(apis: FakeApis) -> None:
    apis.on(
        "arxiv:2206.11124",
        Reply(429, b"Rate exceeded.", {"retry-after": "1"}),
        Reply(body=arxiv_xml("2206.11124")),
    )
    outcome = fetch_papers(["arxiv:2206.11124"], options(apis))
    assert not outcome.failures
    assert outcome.found["arxiv:2206.11124"].authors[0] == "Maksim Velikanov"
    assert apis.keys() == ["arxiv:2206.11124", "arxiv:2206.11124"]
    assert apis.gaps()[0] >= 1.0
    assert outcome.requests == 2


@pytest.mark.slow
def test_503_with_retry_after_as_an_http_date(apis: FakeApis) -> None:
    when = email.utils.formatdate(time.time() + 3, usegmt=True)
    apis.on(
        "doi:10.5555/sgd.2023.042",
        Reply(503, b"Service Unavailable", {"Retry-After": when}),
        Reply(body=crossref_json("10.5555-sgd.2023.042")),
    )
    outcome = fetch_papers(["doi:10.5555/sgd.2023.042"], options(apis))
    assert not outcome.failures
    assert apis.gaps()[0] >= 1.0  # at least 2 s asked (whole seconds), less the latency


def test_a_server_asking_to_wait_too_long_is_reported_at_once(apis: FakeApis) -> None:
    apis.on("arxiv:2206.11124", Reply(503, b"", {"Retry-After": "3600"}))
    started = time.monotonic()
    outcome = fetch_papers(["arxiv:2206.11124"], options(apis, max_wait=10))
    assert time.monotonic() - started < 2
    assert outcome.failures[0].reason == (
        "arXiv: the server is busy (HTTP 503) and asks to wait 3600 s; try again later"
    )


@pytest.mark.slow
def test_errors_of_every_kind_are_reported_and_the_rest_is_found(apis: FakeApis) -> None:
    apis.on("arxiv:2206.11124", Reply(body=arxiv_xml("2206.11124")))
    apis.on("arxiv:2301.00001", Reply(body=arxiv_xml("malformed")))
    apis.on("arxiv:2302.00002", Reply(body=arxiv_xml("2206.11124"), delay=2.0))
    apis.on("arxiv:2401.99999", Reply(body=arxiv_xml("missing")))
    apis.on("arxiv:1234.12345", Reply(body=arxiv_xml("error")))
    apis.on("arxiv:math/0211159", Reply(500, b"oops"))
    apis.on("doi:10.5555/lottery.2019", Reply(body=crossref_json("10.5555-lottery.2019")))
    refs = [
        "arxiv:2206.11124",
        "arxiv:2301.00001",
        "arxiv:2302.00002",
        "arxiv:2401.99999",
        "arxiv:1234.12345",
        "arxiv:math/0211159",
        "doi:10.5555/missing",
        "doi:10.5555/lottery.2019",
    ]
    outcome = fetch_papers(refs, options(apis, timeout=0.5, retries=1))
    reasons = {f.key: f.reason for f in outcome.failures}
    assert reasons == {
        "arxiv:2301.00001": reasons["arxiv:2301.00001"],
        "arxiv:2302.00002": "arXiv: no answer within 0.5 s after 2 attempts; try again later",
        "arxiv:2401.99999": "arXiv has no paper with this id; check it",
        "arxiv:1234.12345": "arXiv: arXiv reported: incorrect id format for 1234.1234v",
        "arxiv:math/0211159": (
            "arXiv: the server is busy or failing (HTTP 500) after 2 attempts; try again later"
        ),
        "doi:10.5555/missing": "Crossref has no record of this DOI (HTTP 404); check it",
    }
    assert reasons["arxiv:2301.00001"].startswith("arXiv: arXiv answered with malformed XML (")
    assert set(outcome.found) == {"arxiv:2206.11124", "doi:10.5555/lottery.2019"}
    # the slow answer and the 500 were retried once; the 404 was not
    assert apis.keys().count("arxiv:2302.00002") == 2
    assert apis.keys().count("arxiv:math/0211159") == 2
    assert apis.keys().count("doi:10.5555/missing") == 1
    assert_polite(apis)


def test_an_unreachable_api_is_reported_without_trying_every_paper(apis: FakeApis) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    started = time.monotonic()
    outcome = fetch_papers(
        ["doi:10.5555/a", "doi:10.5555/b", "doi:10.5555/c"],
        options(apis, crossref_api=f"http://127.0.0.1:{closed}", retries=1),
    )
    assert time.monotonic() - started < 3
    assert [f.key for f in outcome.failures] == ["doi:10.5555/a", "doi:10.5555/b", "doi:10.5555/c"]
    assert all(
        f.reason == f"Crossref: cannot reach 127.0.0.1:{closed}: connection refused"
        for f in outcome.failures
    )
    assert outcome.requests == 2  # the first DOI, retried once; the others not tried


def test_arxiv_ids_are_asked_in_batches_and_matched_without_versions(apis: FakeApis) -> None:
    apis.on("arxiv:1803.03635,2206.11124,2401.99999", Reply(body=arxiv_xml("batch")))
    outcome = fetch_papers(
        ["arxiv:1803.03635", "arxiv:2206.11124", "arxiv:2401.99999"], options(apis, batch=5)
    )
    assert apis.keys() == ["arxiv:1803.03635,2206.11124,2401.99999"]
    assert set(outcome.found) == {"arxiv:1803.03635", "arxiv:2206.11124"}
    assert [f.key for f in outcome.failures] == ["arxiv:2401.99999"]


def test_an_arxiv_doi_is_asked_of_arxiv(apis: FakeApis) -> None:
    apis.on("arxiv:2206.11124", Reply(body=arxiv_xml("2206.11124")))
    outcome = fetch_papers(["doi:10.48550/arxiv.2206.11124"], options(apis))
    assert apis.keys() == ["arxiv:2206.11124"]
    entry = outcome.found["doi:10.48550/arxiv.2206.11124"]
    assert entry.arxiv == "2206.11124" and entry.year == 2022


def test_old_style_ids_with_a_subject_class(apis: FakeApis) -> None:
    apis.on("arxiv:math/0211159", Reply(body=arxiv_xml("math-0211159")))
    outcome = fetch_papers(["arxiv:math.DG/0211159"], options(apis))
    entry = outcome.found["arxiv:math.DG/0211159"]
    assert entry.title == "The entropy formula for the Ricci flow and its geometric applications"
    assert entry.arxiv == "math.DG/0211159"


# -- parsing and small parts ----------------------------------------------------------------


def test_retry_after_forms() -> None:
    now = 1_700_000_000.0
    assert retry_after("120", now) == 120
    assert retry_after(" 7 ", now) == 7
    assert retry_after(email.utils.formatdate(now + 30, usegmt=True), now) == 30
    assert retry_after(email.utils.formatdate(now - 30, usegmt=True), now) == 0
    assert retry_after("soon", now) is None
    assert retry_after(None, now) is None


def test_arxiv_ids_and_urls() -> None:
    assert arxiv_id("2206.11124v2") == "2206.11124"
    assert arxiv_id("math.GT/0309136v1") == "math/0309136"
    assert arxiv_id("hep-th/9901001") == "hep-th/9901001"
    assert arxiv_url("https://export.arxiv.org/api/query", ["math/0211159", "2206.11124"]) == (
        "https://export.arxiv.org/api/query?id_list=math/0211159,2206.11124&start=0&max_results=2"
    )
    assert crossref_url("https://api.crossref.org/", "10.1002/(SICI)1097-0258<x>") == (
        "https://api.crossref.org/works/10.1002/(SICI)1097-0258%3Cx%3E"
    )


def test_user_agent_names_rgsite_its_version_and_a_contact() -> None:
    assert user_agent() == f"rgsite/{__version__} (+https://pypi.org/project/rgsite/)"
    assert user_agent("org@example.org").endswith("; mailto:org@example.org)")
    env = {"RGSITE_ARXIV_API": "http://mirror/api", "RGSITE_FETCH_DELAY": "0.5"}
    got = FetchOptions.from_env(env, delay=None, timeout=3.0)
    assert (got.arxiv_api, got.delay, got.timeout) == ("http://mirror/api", 0.5, 3.0)
    assert FetchOptions.from_env({}).delay == 3.0  # what arXiv asks


def test_parse_arxiv_records() -> None:
    records = parse_arxiv(arxiv_xml("batch"))
    assert set(records) == {"1803.03635", "2206.11124"}
    assert records["1803.03635"].authors == ("Jonathan Frankle", "Michael Carbin")
    assert records["1803.03635"].year == 2018 and records["1803.03635"].doi is None
    assert parse_arxiv(arxiv_xml("missing")) == {}
    with pytest.raises(BadAnswer, match="malformed XML"):
        parse_arxiv(arxiv_xml("malformed"))
    with pytest.raises(BadAnswer, match="DTD"):
        parse_arxiv(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><feed/>')
    with pytest.raises(BadAnswer, match="not an Atom feed"):
        parse_arxiv(b"<html><body>Service down</body></html>")


def test_parse_crossref_records() -> None:
    lottery = parse_crossref(crossref_json("10.5555-lottery.2019"))
    assert lottery.key == "doi:10.5555/lottery.2019" and lottery.doi == "10.5555/LOTTERY.2019"
    assert lottery.title == (
        "The lottery ticket hypothesis: finding sparse, trainable neural networks & more"
    )
    assert lottery.authors == ("Jonathan Frankle", "Michael Carbin", "The Test Consortium")
    assert lottery.year == 2019 and lottery.arxiv == "1803.03635"
    sgd = parse_crossref(crossref_json("10.5555-sgd.2023.042"))
    assert sgd.arxiv == "2206.11124" and sgd.year == 2023
    bare = parse_crossref(crossref_json("10.5555-noyear"))
    assert (bare.title, bare.authors, bare.year, bare.arxiv) == ("", (), None, None)
    with pytest.raises(BadAnswer, match="malformed JSON"):
        parse_crossref(b"{nope")
    with pytest.raises(BadAnswer, match="without a work record"):
        parse_crossref(b'{"status": "ok", "message": {"items": []}}')
