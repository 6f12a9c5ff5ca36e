"""Terminal output: colour only on a terminal and never with NO_COLOR; quiet and verbose.

Progress bars (:mod:`rgsite.progress`) are drawn only when stderr is a terminal and the
command is not ``--quiet``; elsewhere a command prints a few plain lines.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from typing import TextIO

from rgsite.errors import Problem
from rgsite.progress import Progress

_RED, _YELLOW, _DIM, _RESET = "\033[31m", "\033[33m", "\033[2m", "\033[0m"


class Console:
    def __init__(
        self,
        *,
        quiet: bool = False,
        verbose: bool = False,
        out: TextIO | None = None,
        err: TextIO | None = None,
    ) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.quiet, self.verbose = quiet, verbose
        self.colour = terminal(self.err) and "NO_COLOR" not in os.environ
        self.out_colour = terminal(self.out) and "NO_COLOR" not in os.environ

    def _paint(self, text: str, colour: str, *, out: bool = False) -> str:
        return f"{colour}{text}{_RESET}" if (self.out_colour if out else self.colour) else text

    def info(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.out, flush=True)

    def detail(self, text: str) -> None:
        if self.verbose and not self.quiet:
            print(self._paint(text, _DIM, out=True), file=self.out, flush=True)

    def timings(self, stages: Mapping[str, float]) -> None:
        """With ``--verbose``, one line per stage: ``  read      0.12 s``."""
        for stage, seconds in stages.items():
            self.detail(f"  {stage:<10}{seconds:7.2f} s")

    def progress(self, label: str, total: int) -> Progress:
        """A progress bar on stderr if it is a terminal and not ``--quiet``; else silent."""
        return Progress(self.err, label, total, enabled=terminal(self.err) and not self.quiet)

    def error(self, text: str) -> None:
        print(self._paint(text, _RED), file=self.err, flush=True)

    def problems(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            colour = _RED if problem.severity == "error" else _YELLOW
            print(self._paint(str(problem), colour), file=self.err, flush=True)


def terminal(stream: TextIO) -> bool:
    """True for an interactive terminal that understands escape codes."""
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False
