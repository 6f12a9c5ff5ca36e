"""The preview server under load while its site is being edited, on loopback only.

Starts the real ``rgsite serve`` (a separate process, bound to 127.0.0.1, port 0) on a
generated archive, then for ``--seconds`` (30) runs ``--clients`` (100) threads that each
keep one connection and request pages, stylesheets and feeds back to back, while another
thread saves a session's Markdown ``--saves`` (20) times a second. Then it stops the saves,
waits for the last rebuild, and checks that the served site equals a clean ``rgsite build``
of the same files (the on-disk output, and every page as served minus the live-reload
script the server adds).

Reports requests, failed requests (any status but 200, any error or timeout), latency,
rebuilds, and the server's memory: peak RSS (VmHWM) and RSS early and late in the run,
to show whether it stays flat. Exits 1 if a request failed, the server died, or the
final site differs. Bounded: every request has a timeout, the run a deadline, and the
server is stopped (SIGINT, then SIGKILL) whatever happens.

    python -m benchmarks.serve_load                       # 100 clients, 30 s, 20 saves/s
    python -m benchmarks.serve_load --seconds 10 --clients 20 --sessions 50
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import generate  # noqa: E402

from rgsite.preview import livereload  # noqa: E402
from rgsite.preview.content import page_digest  # noqa: E402

NOW = "2023-06-01T12:00-06:00"
REQUEST_TIMEOUT = 10.0


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    failures: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    def record(self, seconds: float, failure: str | None) -> None:
        with self.lock:
            self.requests += 1
            self.latencies.append(seconds)
            if failure is not None:
                self.failures += 1
                self.reasons[failure] = self.reasons.get(failure, 0) + 1


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process in KiB, from /proc; empty where unavailable."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    found = {}
    for key in ("VmRSS", "VmHWM"):
        match = re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE)
        if match:
            found[key] = int(match[1])
    return found


def start_server(site: Path, out: Path) -> tuple[subprocess.Popen[str], int, str]:
    """``rgsite serve`` on 127.0.0.1 and a free port; its process, port and base path."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "rgsite", "serve", str(site), "--host", "127.0.0.1"]
    command += ["--port", "0", "-o", str(out), "--now", NOW]
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    assert server.stdout is not None
    deadline = time.monotonic() + 300
    for line in server.stdout:
        if "serving" in line:
            url = line.split(" at ", 1)[1].split()[0]
            match = re.match(r"http://127\.0\.0\.1:(\d+)(/.*)$", url)
            if not match:
                break
            return server, int(match[1]), match[2]
        if time.monotonic() > deadline:
            break
    server.kill()
    raise SystemExit("rgsite serve did not start")


def pages_of(out: Path, base: str) -> list[str]:
    """URL paths worth requesting: every page, the stylesheets, the feeds."""
    paths = []
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if rel.startswith(("pagefind/", ".")) or not path.is_file():
            continue
        if rel.endswith("index.html"):
            paths.append(base + rel[: -len("index.html")])
        elif rel.endswith((".css", ".xml", ".ics")):
            paths.append(base + rel)
    return paths


def client(port: int, paths: list[str], stop: threading.Event, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    conn: http.client.HTTPConnection | None = None
    while not stop.is_set():
        path = rng.choice(paths)
        started = time.perf_counter()
        failure: str | None = None
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failure = f"HTTP {response.status} for {path}"
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as exc:
            failure = f"{type(exc).__name__} ({path})"
            if conn is not None:
                conn.close()
            conn = None
        tally.record(time.perf_counter() - started, failure)
    if conn is not None:
        conn.close()


def saver(files: list[Path], per_second: float, stop: threading.Event, saved: list[int]) -> None:
    """Save one of ``files`` every 1/per_second s, the way an editor does (a new body)."""
    originals = {path: path.read_text(encoding="utf-8") for path in files}
    interval = 1.0 / per_second
    next_at = time.monotonic()
    count = 0
    while not stop.is_set():
        path = files[count % len(files)]
        path.write_text(originals[path] + f"\nSaved {count} times.\n", encoding="utf-8")
        count += 1
        saved[0] = count
        next_at += interval
        stop.wait(max(0.0, next_at - time.monotonic()))


def sampler(pid: int, stop: threading.Event, samples: list[tuple[float, int]]) -> None:
    started = time.monotonic()
    while not stop.wait(0.5):
        rss = memory(pid).get("VmRSS")
        if rss is not None:
            samples.append((time.monotonic() - started, rss))


def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_for_last_build(port: int, path: str, marker: bytes, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, body = fetch(port, path)
        if status == 200 and marker in body:
            time.sleep(1.0)  # a batch already queued may still rebuild once
            return True
        time.sleep(0.2)
    return False


def compare(port: int, base: str, served: Path, clean: Path) -> list[str]:
    """Differences between the served site and a clean build (Pagefind's index aside)."""

    def files(folder: Path) -> dict[str, bytes]:
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")
        }

    on_disk, expected = files(served), files(clean)
    problems = [f"on disk, differs: {rel}" for rel in expected if on_disk.get(rel) != expected[rel]]
    problems += [f"on disk, extra: {rel}" for rel in on_disk if rel not in expected]
    for rel, data in expected.items():
        if not rel.endswith("index.html"):
            continue
        config = {"events": livereload.EVENTS, "digest": page_digest(data), "errors": []}
        status, body = fetch(port, base + rel[: -len("index.html")])
        if status != 200 or body != livereload.inject(data, config):
            problems.append(f"as served, differs: {rel}")
    return problems


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def run(args: argparse.Namespace, root: Path) -> int:
    site = root / "site"
    generate(site, args.sessions, seed=3)
    out = root / "served"
    server, port, base = start_server(site, out)
    log: list[str] = []
    reader = threading.Thread(
        target=lambda: log.extend(server.stdout or []), name="server-log", daemon=True
    )
    reader.start()
    stop, stop_saves, stop_sampling = threading.Event(), threading.Event(), threading.Event()
    tally, saved, samples = Tally(), [0], []
    try:
        paths = pages_of(out, base)
        sessions = sorted((site / "content/sessions").glob("*.md"))
        edited = sessions[:: max(1, len(sessions) // 5)][:5]
        threads = [
            threading.Thread(target=client, args=(port, paths, stop, tally, i), daemon=True)
            for i in range(args.clients)
        ]
        threads.append(threading.Thread(target=saver, args=(edited, args.saves, stop_saves, saved)))
        threads.append(threading.Thread(target=sampler, args=(server.pid, stop_sampling, samples)))
        print(
            f"{args.clients} clients, {args.seconds:.0f} s, {args.saves:g} saves/s, "
            f"{len(paths)} URLs of {args.sessions} sessions on 127.0.0.1:{port}"
        )
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while time.monotonic() - started < args.seconds and server.poll() is None:
            time.sleep(0.2)
        stop.set()
        stop_saves.set()
        for thread in threads[:-1]:
            thread.join(REQUEST_TIMEOUT + 5)
        elapsed = time.monotonic() - started
        alive = server.poll() is None
        last = edited[(saved[0] - 1) % len(edited)]
        settled = alive and wait_for_last_build(
            port, f"{base}sessions/{last.stem}/", f"Saved {saved[0] - 1} times.".encode()
        )
        peak = memory(server.pid).get("VmHWM", 0)
        stop_sampling.set()
        threads[-1].join()
        clean = root / "clean"
        built = subprocess.run(
            [
                sys.executable,
                "-m",
                "rgsite",
                "build",
                str(site),
                "-o",
                str(clean),
                "--now",
                NOW,
                "--drafts",
                "--no-cache",
                "-q",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        differences = (
            compare(port, base, out, clean) if settled and built.returncode == 0 else ["no check"]
        )
    finally:
        stop.set()
        stop_saves.set()
        stop_sampling.set()
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    rebuilds = sum(1 for line in log if line.startswith("rebuilt"))
    failed_builds = sum(1 for line in log if "build failed" in line)
    early = [rss for at, rss in samples if 3.0 <= at <= 8.0] or [s for _, s in samples[:5]]
    late = [rss for _, rss in samples[-10:]]
    mib = 1024.0
    print(
        f"requests {tally.requests} ({tally.requests / elapsed:.0f}/s), failures {tally.failures}"
    )
    for reason, count in sorted(tally.reasons.items(), key=lambda item: -item[1])[:10]:
        print(f"  {count} x {reason}")
    if tally.latencies:
        print(
            f"latency p50 {percentile(tally.latencies, 0.5) * 1000:.1f} ms, "
            f"p95 {percentile(tally.latencies, 0.95) * 1000:.1f} ms, "
            f"max {max(tally.latencies) * 1000:.0f} ms"
        )
    print(f"saves {saved[0]}, rebuilds {rebuilds}, failed builds {failed_builds}")
    if early and late:
        print(
            f"server memory: peak RSS {peak / mib:.0f} MiB; RSS "
            f"{statistics.median(early) / mib:.0f} MiB early, "
            f"{statistics.median(late) / mib:.0f} MiB at the end"
        )
        marks = [samples[min(len(samples) - 1, len(samples) * q // 4)] for q in range(1, 5)]
        print(
            "  RSS over the run: "
            + ", ".join(f"{rss / mib:.0f} MiB at {at:.0f} s" for at, rss in marks)
        )
    print(f"server alive to the end: {alive}; settled after the last save: {settled}")
    print(
        "final served site equals a clean build: "
        + ("yes" if not differences else f"NO ({len(differences)}: {differences[:5]})")
    )
    ok = alive and tally.failures == 0 and not differences
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--saves", type=float, default=20.0, help="saves per second")
    parser.add_argument("--sessions", type=int, default=100)
    args = parser.parse_args()
    if not (1 <= args.clients <= 500 and 1 <= args.seconds <= 600 and 0 < args.saves <= 100):
        parser.error("--clients 1-500, --seconds 1-600, --saves up to 100 a second")
    with tempfile.TemporaryDirectory(prefix="rgsite-serve-load-") as folder:
        sys.exit(run(args, Path(folder)))


if __name__ == "__main__":
    main()
