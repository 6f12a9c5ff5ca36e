"""Time rgsite on generated archives: cold, warm, one edit, peak memory, start-up.

For each size it reports the median (min–max) of ``--runs`` runs of:

- cold: no cache, no output folder;
- warm: a second build with nothing changed;
- edit: one session's recap edited, then a full ``rgsite build``;
- peak memory of the cold builds (the largest process);
- ``rgsite --help`` start-up time.

    python benchmarks/run.py --sizes 100 1000 10000 --runs 3 [--jobs N] [--markdown OUT.md]

Every build runs as a separate process, as a user would run it. The archives are those of
``benchmarks/generate.py``, under ``benchmarks/sites/`` (git-ignored), reused while the
recipe is unchanged. ``benchmarks/peers.py`` compares the same builds with Hugo, Pelican
and MkDocs building the same archive.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import prepare  # noqa: E402
from benchmarks.timing import Failed, Sample, measure, peak_mb, wall_cell  # noqa: E402


def rgsite(*args: str) -> list[str]:
    return [sys.executable, "-m", "rgsite", *args]


def run(command: list[str]) -> Sample:
    try:
        return measure(command)
    except Failed as error:
        raise SystemExit(str(error)) from None


def bench_size(size: int, runs: int, jobs: int | None) -> dict[str, str]:
    site = prepare(HERE / "sites" / f"archive-{size}", size)
    out = site.parent / f"{site.name}-out"
    build = rgsite(
        "build", str(site), "-o", str(out), "-q", *(["--jobs", str(jobs)] if jobs else [])
    )
    cold, warm, edit = [], [], []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / ".rgsite-cache", ignore_errors=True)
        cold.append(run(build))
        warm.append(run(build))
        target = sorted((site / "content" / "sessions").glob("*.md"))[size // 2]
        original = target.read_text()
        try:
            target.write_text(original + f"\nAn edit made at {time.time()}.\n")
            edit.append(run(build))
        finally:
            target.write_text(original)
        run(build)
    return {
        "sessions": f"{size:,}",
        "cold": wall_cell(cold),
        "warm": wall_cell(warm),
        "one edit": wall_cell(edit),
        "peak memory": peak_mb(cold),
    }


def help_time(runs: int) -> str:
    return wall_cell([run(rgsite("--help")) for _ in range(max(runs, 5))])


def main() -> None:
    parser = argparse.ArgumentParser(description="Time rgsite builds.")
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
