"""Terminal output: colour only on a terminal and never with NO_COLOR; quiet and verbose."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TextIO

from .errors import Problem

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
        self.colour = self.err.isatty() and "NO_COLOR" not in os.environ

    def _paint(self, text: str, colour: str) -> str:
        return f"{colour}{text}{_RESET}" if self.colour else text

    def info(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.out, flush=True)

    def detail(self, text: str) -> None:
        if self.verbose and not self.quiet:
            print(self._paint(text, _DIM), file=self.out, flush=True)

    def error(self, text: str) -> None:
        print(self._paint(text, _RED), file=self.err, flush=True)

    def problems(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            colour = _RED if problem.severity == "error" else _YELLOW
            print(self._paint(str(problem), colour), file=self.err, flush=True)
