"""Time rgsite against Hugo, Pelican and MkDocs building the same generated archive.

    python benchmarks/peers.py                          # 1,000 sessions, 5 runs
    python benchmarks/peers.py --sizes 1000 10000:3     # 10,000 sessions with 3 runs
    python benchmarks/peers.py --sizes 100 --runs 1 --peers hugo --markdown table.md
    python benchmarks/peers.py --json samples.json      # every sample, besides the table

For each size the archive of ``benchmarks/generate.py`` is converted into a Hugo, a
Pelican and an MkDocs site doing comparable work (what each builds is in the docstrings
of ``benchmarks/peer_sites/``). Each peer is then paired run for run with rgsite: a
cold rgsite build, a cold peer build, a cold rgsite build, … (cold: output folder and
caches removed), so noise on the machine falls on both. It prints medians of wall and
CPU time (user + system of the command and every process it waited for), the peak
memory of the largest process, and rgsite's ratio to each peer. It also times rgsite's
build after one edited session, a build with nothing changed, and ``rgsite --help``.

Before the timed runs, rgsite and each peer build once untimed, so that the first timed
run does not pay for reading the files from disk or compiling Python bytecode.

A peer is found on PATH or through ``--hugo``, ``--pelican``, ``--mkdocs``; one that is
missing is reported with how to install it. Sites live in ``benchmarks/sites/``
(git-ignored) and are reused while the recipe and the converters are unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import prepare  # noqa: E402
from benchmarks.peer_sites import hugo, mkdocs, pelican  # noqa: E402
from benchmarks.peer_sites.archive import read_archive  # noqa: E402
from benchmarks.timing import (  # noqa: E402
    Failed,
    Sample,
    measure,
    median_cpu,
    median_wall,
    peak_mb,
    seconds,
    wall_cell,
)

SITES = HERE / "sites"
NAMES = {"hugo": "Hugo", "pelican": "Pelican", "mkdocs": "MkDocs"}
INSTALL = {
    "hugo": "apt-get install hugo (or a release from github.com/gohugoio/hugo), or --hugo PATH",
    "pelican": "pip install pelican markdown (in a venv of its own), or --pelican PATH",
    "mkdocs": "pip install mkdocs pymdown-extensions (in a venv of its own), or --mkdocs PATH",
}


@dataclass
class Peer:
    """A peer generator as found on this machine: its converter and how to run it."""

    key: str
    module: ModuleType
    executable: str | None = None
    label: str = ""
    missing: str = ""
    options: dict[str, bool] | None = None

    def site(self, archive: Path) -> Path:
        """The peer's copy of ``archive``, converted again when anything it came from changed."""
        root = archive.parent / f"{archive.name}-{self.key}"
        stamp = root / "converted.txt"
        recipe = (archive / "recipe.txt").read_text() + _source_digest(self.module)
        recipe += repr(sorted((self.options or {}).items()))
        if not (stamp.is_file() and stamp.read_text() == recipe):
            self.module.convert(read_archive(archive), root, **(self.options or {}))
            stamp.write_text(recipe)
        return root

    def build(self, root: Path) -> Sample:
        assert self.executable is not None
        self.module.clean(root)
        return measure(self.module.command(self.executable, root), cwd=root)


def _source_digest(module: ModuleType) -> str:
    """The converter's text, its templates' and the archive reader's."""
    paths = [Path(module.__file__ or ""), HERE / "peer_sites" / "archive.py"]
    paths += sorted(p for p in (HERE / "peer_sites" / "hugo_layouts").rglob("*") if p.is_file())
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()[:16]
    return f"converters {digest}\n"


def _output(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return ""
    return done.stdout + done.stderr if done.returncode == 0 else ""


def _interpreter(script: str) -> str | None:
    """The Python a console script runs with, from its first line."""
    try:
        with open(script, "rb") as f:
            first = f.readline().decode(errors="replace").strip()
    except OSError:
        return None
    return first[2:].split()[0] if first.startswith("#!") and "python" in first else None


def _imports(script: str, module: str) -> bool | None:
    """Whether the Python behind a console script has ``module``; None when unknown."""
    python = _interpreter(script)
    if python is None:
        return None
    try:
        done = subprocess.run([python, "-c", f"import {module}"], capture_output=True, check=False)
    except OSError:
        return None
    return done.returncode == 0


def find_peer(key: str, given: str | None) -> Peer:
    module = {"hugo": hugo, "pelican": pelican, "mkdocs": mkdocs}[key]
    peer = Peer(key, module, label=NAMES[key])
    executable = given or shutil.which(key)
    if not executable or not Path(executable).exists():
        peer.missing = f"not installed: {INSTALL[key]}"
        return peer
    version = _output([executable, "version" if key == "hugo" else "--version"])
    found = re.search(r"(\d+\.\d+[.\w]*)", version)
    if not found:
        peer.missing = f"{executable} does not run: {INSTALL[key]}"
        return peer
    peer.executable, peer.label = executable, f"{NAMES[key]} {found[1]}"
    if key == "pelican" and _imports(executable, "markdown") is False:
        peer.missing = f"Markdown not installed for Pelican: {INSTALL[key]}"
    if key == "mkdocs":
        peer.options = {"pymdownx": _imports(executable, "pymdownx") is not False}
    return peer


class Rgsite:
    """rgsite as a user runs it, from this interpreter (PYTHONPATH picks the checkout)."""

    def __init__(self, archive: Path, jobs: int | None) -> None:
        self.archive = archive
        self.out = archive.parent / f"{archive.name}-out"
        self.extra = ["--jobs", str(jobs)] if jobs else []

    def command(self) -> list[str]:
        build = ["build", str(self.archive), "-o", str(self.out), "-q", *self.extra]
        return [sys.executable, "-m", "rgsite", *build]

    def run(self) -> Sample:
        """One build; a failure of rgsite's ends the benchmark, unlike a peer's."""
        try:
            return measure(self.command())
        except Failed as error:
            raise SystemExit(f"rgsite failed, so nothing can be compared:\n{error}") from None

    def cold(self) -> Sample:
        shutil.rmtree(self.out, ignore_errors=True)
        shutil.rmtree(self.archive / ".rgsite-cache", ignore_errors=True)
        return self.run()

    def edited(self) -> Sample:
        """A full build after one session's recap was edited, the build before it warm."""
        self.run()
        sessions = sorted((self.archive / "content" / "sessions").glob("*.md"))
        target = sessions[len(sessions) // 2]
        original = target.read_text(encoding="utf-8")
        try:
            target.write_text(original + f"\nAn edit made at {time.time()}.\n", "utf-8")
            return self.run()
        finally:
            target.write_text(original, encoding="utf-8")

    def unchanged(self) -> Sample:
        self.run()
        return self.run()


def _files(folder: Path) -> str:
    """How many files a build wrote, and their size: how much each generator makes."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return f"{len(sizes):,} ({sum(sizes) / 1e6:.0f} MB)"


def _check(page: Path, who: str) -> None:
    if not page.is_file():
        raise Failed(f"{who} built no page for a session (looked for {page})")


def pair(
    rgsite: Rgsite, peer: Peer, root: Path, runs: int, log: Callable[[str], None]
) -> tuple[list[Sample], list[Sample]]:
    """``runs`` cold builds of rgsite and of the peer's site at ``root``, one after the
    other: both samples."""
    last = max((rgsite.archive / "content" / "sessions").glob("*.md")).stem
    peer.build(root)  # untimed: reads the files into the page cache, compiles bytecode
    _check(peer.module.session_page(root, last), peer.label)
    mine, theirs = [], []
    for run in range(runs):
        mine.append(rgsite.cold())
        _check(rgsite.out / "sessions" / last / "index.html", "rgsite")
        theirs.append(peer.build(root))
        _check(peer.module.session_page(root, last), peer.label)
        log(f"  run {run + 1}: rgsite {mine[-1].wall:.2f} s, {peer.label} {theirs[-1].wall:.2f} s")
    return mine, theirs


def _runs(count: int) -> str:
    return "one cold run" if count == 1 else f"all {count} cold runs"


def ratio(mine: float, theirs: float) -> str:
    return f"{mine / theirs:.2f}×"


def _raw(samples: list[Sample]) -> list[dict[str, Any]]:
    return [asdict(sample) for sample in samples]


def size_table(
    size: int, runs: int, peers: list[Peer], args: argparse.Namespace, record: dict[str, Any]
) -> str:
    """The tables for one size; every sample goes into ``record`` as well."""
    log = (lambda text: None) if args.quiet else (lambda text: print(text, file=sys.stderr))
    log(f"{size:,} sessions: generating and converting (reused when unchanged)")
    archive = prepare(SITES / f"archive-{size}", size)
    rgsite = Rgsite(archive, args.jobs)
    log(f"{size:,} sessions: a first, untimed rgsite build")
    rgsite.cold()
    rows = []
    every: list[Sample] = []
    hugo_cold: float | None = None
    for peer in peers:
        if peer.missing:
            rows.append(f"| {peer.label} | {peer.missing} | | | | | | |")
            continue
        log(f"{size:,} sessions: rgsite and {peer.label}, {runs} paired cold runs")
        try:
            root = peer.site(archive)
            mine, theirs = pair(rgsite, peer, root, runs, log)
        except Failed as error:
            log(str(error))
            summary = " ".join(str(error).splitlines()[-2:]).replace("|", "/")
            rows.append(f"| {peer.label} | failed: {summary} | | | | | | |")
            continue
        every += mine
        record[f"rgsite paired with {peer.key}"] = _raw(mine)
        record[peer.label] = _raw(theirs)
        if peer.key == "hugo":
            hugo_cold = median_wall(theirs)
        rows.append(
            f"| {peer.label} | {wall_cell(theirs)} | {seconds(median_cpu(theirs))} "
            f"| {peak_mb(theirs)} | {seconds(median_wall(mine))} "
            f"| {ratio(median_wall(mine), median_wall(theirs))} "
            f"| {ratio(median_cpu(mine), median_cpu(theirs))} "
            f"| {_files(peer.module.output(root))} |"
        )
    if not every:
        log(f"{size:,} sessions: rgsite alone, {runs} cold runs")
        every = [rgsite.cold() for _ in range(runs)]
    written = _files(rgsite.out)
    log(f"{size:,} sessions: rgsite one-edit and no-change builds")
    edits = [rgsite.edited() for _ in range(runs)]
    unchanged = [rgsite.unchanged() for _ in range(runs)]
    record["rgsite cold"] = _raw(every)
    record["rgsite one edit"] = _raw(edits)
    record["rgsite no change"] = _raw(unchanged)
    versus = f" ({ratio(median_wall(unchanged), hugo_cold)} of Hugo cold)" if hugo_cold else ""
    lines = [
        f"### {size:,} sessions: cold builds, "
        + (f"median of {runs} paired runs" if runs > 1 else "one paired run"),
        "",
        "| build | wall | CPU | peak RSS | rgsite wall, paired "
        "| rgsite / peer (wall) | rgsite / peer (CPU) | files written |",
        "|---|---|---|---|---|---|---|---|",
        f"| rgsite ({_runs(len(every))}) | {wall_cell(every)} "
        f"| {seconds(median_cpu(every))} | {peak_mb(every)} | — | — | — | {written} |",
        *rows,
        "",
        f"| rgsite, {size:,} sessions | wall | CPU | peak RSS |",
        "|---|---|---|---|",
        f"| one session edited, `rgsite build` | {wall_cell(edits)} "
        f"| {seconds(median_cpu(edits))} | {peak_mb(edits)} |",
        f"| nothing changed, `rgsite build` | {wall_cell(unchanged)}{versus} "
        f"| {seconds(median_cpu(unchanged))} | {peak_mb(unchanged)} |",
        "",
    ]
    return "\n".join(lines)


def help_samples() -> list[Sample]:
    return [measure([sys.executable, "-m", "rgsite", "--help"]) for _ in range(7)]


def machine_line() -> str:
    import rgsite

    source = Path(rgsite.__file__).resolve().parent
    commit = _output(["git", "-C", str(source), "describe", "--always", "--dirty"]).strip()
    return (
        f"rgsite {commit or 'from ' + str(source.parent.name)}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}."
    )


def parse_size(text: str) -> tuple[int, int | None]:
    size, _, runs = text.partition(":")
    try:
        return int(size), int(runs) if runs else None
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give SESSIONS or SESSIONS:RUNS") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=parse_size,
        nargs="+",
        default=[(1000, None)],
        help="sessions per archive, each optionally with its own number of runs: 10000:3",
    )
    parser.add_argument("--runs", type=int, default=5, help="paired runs per peer (5)")
    parser.add_argument(
        "--peers",
        nargs="+",
        choices=("hugo", "pelican", "mkdocs"),
        default=["hugo", "pelican", "mkdocs"],
    )
    parser.add_argument("--hugo", help="the hugo executable (else found on PATH)")
    parser.add_argument("--pelican", help="the pelican executable (else found on PATH)")
    parser.add_argument("--mkdocs", help="the mkdocs executable (else found on PATH)")
    parser.add_argument("--jobs", type=int, help="passed to rgsite build --jobs")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    parser.add_argument("--json", type=Path, help="also write every sample to this file")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    peers = [find_peer(key, getattr(args, key)) for key in args.peers]
    records: list[dict[str, Any]] = []
    parts = []
    for size, runs in args.sizes:
        records.append({"sessions": size, "runs": runs or args.runs})
        parts.append(size_table(size, runs or args.runs, peers, args, records[-1]))
    helps = help_samples()
    parts += [f"`rgsite --help`: {wall_cell(helps)}; {machine_line()}", ""]
    text = "\n".join(parts)
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    if args.json:
        every = {"machine": machine_line(), "rgsite --help": _raw(helps), "sizes": records}
        args.json.write_text(json.dumps(every, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
