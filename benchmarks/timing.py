"""One command run as a user runs it, with its wall time, CPU time and peak memory.

CPU time and peak memory come from ``os.wait4``: Linux counts in them every descendant
the command waited for (rgsite's worker processes and Pagefind), so a build that uses
both cores shows more CPU than wall time. Peak memory is the largest single process.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    peak_kib: int


class Failed(Exception):
    """A command exited with an error; the message holds its last lines of output."""


# An installed package has its bytecode compiled; with this set, a checkout would compile
# rgsite's modules again on every run and time that too.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str], cwd: Path | None = None) -> Sample:
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=_ENV)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            tail = log.read().decode(errors="replace").strip().splitlines()[-15:]
            raise Failed(
                f"{' '.join(command)} exited with {process.returncode}:\n" + "\n".join(tail)
            )
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def median_wall(samples: list[Sample]) -> float:
    return statistics.median(s.wall for s in samples)


def median_cpu(samples: list[Sample]) -> float:
    return statistics.median(s.cpu for s in samples)


def peak_mb(samples: list[Sample]) -> str:
    return f"{max(s.peak_kib for s in samples) / 1024:.0f} MB"


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def wall_cell(samples: list[Sample]) -> str:
    """The median wall time, with the range when there was more than one run."""
    walls = [s.wall for s in samples]
    if len(walls) == 1:
        return seconds(walls[0])
    return f"{seconds(statistics.median(walls))} ({seconds(min(walls))}–{seconds(max(walls))})"
