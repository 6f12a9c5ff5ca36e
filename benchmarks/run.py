"""Time rgsite on generated archives, and Hugo on the same archive when it is installed.

For each size it reports the median (min–max) of ``--runs`` runs of:

- cold: no cache, no output folder;
- warm: a second build with nothing changed;
- edit: one session's recap edited, then a full ``rgsite build``;
- peak memory of a cold build (max RSS of the process);
- Hugo's cold build of the same sessions, and rgsite's ratio to it;
- ``rgsite --help`` start-up time.

    python benchmarks/run.py --sizes 100 1000 10000 --runs 3 [--jobs N] [--markdown OUT.md]

Every build runs as a separate process, as a user would run it. Sites are generated
under ``benchmarks/sites/`` (git-ignored) and reused when already there.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import generate  # noqa: E402


def timed(command: list[str]) -> float:
    """Wall seconds of one command, which must succeed."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def peak_rss(command: list[str]) -> int:
    """Peak RSS in KiB of one run, via GNU time when present (children's max is sticky)."""
    gnu_time = "/usr/bin/time"
    if not Path(gnu_time).exists():
        return 0
    done = subprocess.run(
        [gnu_time, "-f", "%M", *command], capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stderr.strip().splitlines() if line.strip().isdigit()]
    return int(lines[-1]) if lines else 0


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def rgsite(*args: str) -> list[str]:
    return [sys.executable, "-m", "rgsite", *args]


def site_for(size: int) -> Path:
    root = HERE / "sites" / f"archive-{size}"
    if not (root / "content" / "sessions").is_dir():
        shutil.rmtree(root, ignore_errors=True)
        generate(root, size)
    return root


def hugo_site(site: Path) -> Path:
    """The same sessions as a Hugo site: front matter kept, a minimal theme."""
    root = site.parent / f"{site.name}-hugo"
    if (root / "content").is_dir():
        return root
    (root / "content" / "sessions").mkdir(parents=True)
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (root / "config.toml").write_text(
        'baseURL = "https://example.org/bench/"\ntitle = "Benchmark"\n'
        '[taxonomies]\n  speaker = "speakers"\n  topic = "topics"\n'
        "[markup.highlight]\n  noClasses = false\n"
    )
    base = (
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body>"
        '<nav>{{ range .Site.Menus.main }}{{ .Name }}{{ end }}</nav>{{ block "main" . }}'
        "{{ end }}</body></html>"
    )
    (layouts / "baseof.html").write_text(base)
    (layouts / "single.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02 15:04" }}</p>'
        '{{ range .Params.speakers }}<a href="/speakers/{{ . | urlize }}/">{{ . }}</a>{{ end }}'
        '{{ .Content }}{{ with .PrevInSection }}<a href="{{ .Permalink }}">{{ .Title }}</a>'
        "{{ end }}{{ end }}"
    )
    (layouts / "list.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li>'
        '<a href="{{ .Permalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ end }}'
    )
    date = re.compile(r"^(\d{4}-\d{2}-\d{2})-")
    for path in sorted((site / "content" / "sessions").glob("*.md")):
        text = path.read_text()
        day = date.match(path.name)
        front_end = text.index("\n---\n", 4)
        front = text[4:front_end] + f"\ndate: {day[1] if day else '2000-01-01'}T14:00:00-07:00\n"
        # Hugo has no [[kind:id]] links; keep the text so both parse the same bytes.
        (root / "content" / "sessions" / path.name).write_text(
            f"---\n{front}---\n{text[front_end + 5 :]}"
        )
    return root


def bench_size(size: int, runs: int, jobs: int | None) -> dict[str, str]:
    site = site_for(size)
    out = site.parent / f"{site.name}-out"
    extra = ["--jobs", str(jobs)] if jobs else []
    cache = site / ".rgsite-cache"
    cold, warm, edit = [], [], []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(timed(rgsite("build", str(site), "-o", str(out), "-q", *extra)))
        warm.append(timed(rgsite("build", str(site), "-o", str(out), "-q", *extra)))
        target = sorted((site / "content" / "sessions").glob("*.md"))[size // 2]
        original = target.read_text()
        try:
            target.write_text(original + f"\nAn edit made at {time.time()}.\n")
            edit.append(timed(rgsite("build", str(site), "-o", str(out), "-q", *extra)))
        finally:
            target.write_text(original)
        timed(rgsite("build", str(site), "-o", str(out), "-q", *extra))
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    peak = peak_rss(rgsite("build", str(site), "-o", str(out), "-q", *extra))
    row = {
        "sessions": f"{size:,}",
        "cold": summary(cold),
        "warm": summary(warm),
        "one edit": summary(edit),
        "peak memory": f"{peak / 1024:.0f} MB" if peak else "n/a",
    }
    hugo = shutil.which("hugo")
    if hugo:
        hsite = hugo_site(site)
        hugo_times = []
        for _ in range(runs):
            shutil.rmtree(hsite / "public", ignore_errors=True)
            shutil.rmtree(hsite / "resources", ignore_errors=True)
            hugo_times.append(timed([hugo, "--quiet", "-s", str(hsite)]))
        hpeak = peak_rss([hugo, "--quiet", "-s", str(hsite)])
        ratio = statistics.median(cold) / statistics.median(hugo_times)
        row["hugo cold"] = summary(hugo_times) + (f", {hpeak / 1024:.0f} MB" if hpeak else "")
        row["rgsite/hugo cold"] = f"{ratio:.2f}×"
        row["warm/hugo cold"] = f"{statistics.median(warm) / statistics.median(hugo_times):.2f}×"
    return row


def help_time(runs: int) -> str:
    times = [timed(rgsite("--help")) for _ in range(max(runs, 5))]
    low, high = min(times) * 1000, max(times) * 1000
    return f"{statistics.median(times) * 1000:.0f} ms ({low:.0f}–{high:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description="Time rgsite builds (and Hugo's).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    rows = [bench_size(size, args.runs, args.jobs) for size in args.sizes]
    columns = list(dict.fromkeys(key for row in rows for key in row))
    lines = [
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
        *("| " + " | ".join(row.get(c, "") for c in columns) + " |" for row in rows),
        "",
        f"`rgsite --help`: {help_time(args.runs)}; {os.cpu_count()} cores; "
        f"median (min–max) of {args.runs} runs.",
    ]
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n")


if __name__ == "__main__":
    main()
