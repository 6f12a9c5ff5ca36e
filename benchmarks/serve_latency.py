"""How long from saving a session's Markdown to the browser showing it, with ``rgsite serve``.

For generated archives (benchmarks/generate.py) of 100, 1,000 and 10,000 sessions: start
the real preview (watcher, server, one long-lived Builder, default jobs and cache), open
a session page in Debian's Chromium through Playwright, then ``--edits`` times append a
line to that session's file and time from the write until the page's ``load`` event after
the reload it makes. Prints p50 and p95 of that and of the build alone. ``--edit title``
changes the session's title instead, a front-matter edit the preview cannot patch in.

    python -m benchmarks.serve_latency                 # 100, 1000, 10000 sessions
    python -m benchmarks.serve_latency --sizes 1000 --edits 30
    python -m benchmarks.serve_latency --edit title

Not a test: it prints figures. Sites are generated under a temporary folder (or --keep
DIR, to reuse them between runs).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate

from rgsite.options import Options
from rgsite.preview.serve import Preview

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def edited(text: str, n: int, kind: str) -> tuple[str, str]:
    """The file's text after edit ``n``, and words the page must then show."""
    if kind == "title":  # front matter: the whole graph is read again
        head, sep, rest = text.partition("\ntitle: ")
        title = f"Retitled {n} for the benchmark"
        return head + sep + title + "\n" + rest.partition("\n")[2], title
    line = f"Edit number {n} for the benchmark."
    return text + f"\n{line}\n", line


def measure(
    root: Path, sessions: int, edits: int, browser: object, kind: str = "text"
) -> dict[str, float]:
    site = root / f"site-{sessions}"
    if not (site / "content").is_dir():
        started = time.perf_counter()
        generate(site, sessions)
        print(f"  generated {sessions} sessions in {time.perf_counter() - started:.1f} s")
    options = Options(site=site, out=root / f"out-{sessions}", drafts=True)
    started = time.perf_counter()
    preview = Preview(options, port=0)
    preview.start()
    print(f"  first build and start: {time.perf_counter() - started:.1f} s")
    try:
        files = sorted((site / "content/sessions").glob("*.md"))
        target = files[len(files) // 2]
        url = preview.url + f"sessions/{target.stem}/"
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(url)
        page.wait_for_timeout(500)
        totals: list[float] = []
        builds: list[float] = []
        stages: dict[str, list[float]] = {}
        for n in range(edits):
            text = target.read_text()
            epoch = preview.state.epoch
            try:
                with page.expect_event("load", timeout=600_000):
                    started = time.perf_counter()
                    new, shown = edited(text, n, kind)
                    target.write_text(new)
            except Exception:
                raise SystemExit(
                    f"edit {n}: no reload; builds since: {preview.state.epoch - epoch}, "
                    f"errors: {preview.state.errors}"
                ) from None
            totals.append(time.perf_counter() - started)
            assert preview.last is not None
            builds.append(preview.last.seconds)
            for stage, seconds in preview.last.timings.items():
                stages.setdefault(stage, []).append(seconds)
            if shown not in page.inner_text("main"):
                raise SystemExit(f"edit {n} did not show in the page")
            page.wait_for_timeout(150)
        page.close()
    finally:
        preview.stop()
    figures = {
        "p50": statistics.median(totals) * 1000,
        "p95": percentile(totals, 0.95) * 1000,
        "build p50": statistics.median(builds) * 1000,
        "build p95": percentile(builds, 0.95) * 1000,
    }
    for stage, values in stages.items():
        figures[f"{stage} p50"] = statistics.median(values) * 1000
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="generate sites here and reuse them")
    parser.add_argument(
        "--edit",
        choices=("text", "title"),
        default="text",
        help="append to the recap (default), or change the title in the front matter",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    from playwright.sync_api import sync_playwright

    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as temp, sync_playwright() as pw:
        root = args.keep or Path(temp)
        root.mkdir(parents=True, exist_ok=True)
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for size in args.sizes:
            print(f"{size} sessions:")
            results[size] = measure(root, size, args.edits, browser, args.edit)
            print("  " + ", ".join(f"{k} {v:.0f} ms" for k, v in results[size].items()))
        browser.close()
    print(f"\nwrite -> reload finished ({args.edits} {args.edit} edits each)")
    print(f"{'sessions':>9} {'p50 ms':>8} {'p95 ms':>8} {'build p50':>10} {'build p95':>10}")
    for size, r in results.items():
        print(
            f"{size:>9} {r['p50']:>8.0f} {r['p95']:>8.0f} {r['build p50']:>10.0f} "
            f"{r['build p95']:>10.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
