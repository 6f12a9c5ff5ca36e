"""Problems a site can have, and the exceptions that carry them.

Every user-facing problem names its place: ``path:line: message`` where ``path`` is
relative to the site folder. The exception tree::

    RgsiteError                 anything rgsite reports without a traceback
    ├── SiteError               the site's content has problems (exit 1); carries every Problem
    ├── OutputError             the output folder is unsafe or cannot be written (exit 1)
    └── UsageError              the command line is wrong (exit 2)

This module must not import anything heavier than the standard library.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in the site: a path relative to the site folder, and a 1-based line."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, slots=True)
class Problem:
    location: Location
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.location}: {prefix}{self.message}"


@dataclass(slots=True)
class Problems:
    """Collects every problem of a stage so a build can report them all at once."""

    items: list[Problem] = field(default_factory=list)

    def error(self, location: Location, message: str) -> None:
        self.items.append(Problem(location, message, "error"))

    def warning(self, location: Location, message: str) -> None:
        self.items.append(Problem(location, message, "warning"))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise SiteError(sorted_problems(self.items))


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by file and line so reports are stable from build to build."""
    unique = dict.fromkeys(problems)
    return sorted(unique, key=lambda p: (p.location.path, p.location.line or 0, p.message))


class RgsiteError(Exception):
    """Base of every error rgsite reports to the user without a traceback."""


class SiteError(RgsiteError):
    """The site has one or more problems; ``problems`` holds all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} problem(s) in the site")

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class OutputError(RgsiteError):
    """The output folder is unsafe to write, or writing it failed."""


class UsageError(RgsiteError):
    """The command line asks for something rgsite cannot do."""


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or an empty string."""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    if not matches:
        lowered = {o.lower(): o for o in options}
        if word.lower() in lowered:
            matches = [lowered[word.lower()]]
    return f" (did you mean '{matches[0]}'?)" if matches else ""
