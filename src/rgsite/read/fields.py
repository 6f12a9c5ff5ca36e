"""Checked reading of one YAML mapping: types, enums, URLs, dates and unknown keys.

A :class:`Fields` wraps a mapping inside a :class:`~rgsite.parse.Record` and hands out
typed values; each wrong value becomes a located problem and a fallback, so one pass
over a file reports everything wrong with it. It knows no content kinds.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from rgsite.errors import Location, Problems, did_you_mean
from rgsite.read.decode import Path_, Record

SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty"
    return "text"


class Fields:
    """Typed, located access to the mapping at ``at`` in ``record``."""

    def __init__(
        self,
        record: Record,
        problems: Problems,
        at: Path_ = (),
        data: dict[str, Any] | None = None,
        what: str = "",
    ) -> None:
        self.record, self.problems, self.at = record, problems, at
        self.data: dict[str, Any] = data if data is not None else record.data
        self.what = what

    def error(self, key: str | int | None, message: str) -> None:
        at = self.at if key is None else (*self.at, key)
        self.problems.error(self.record.at(*at), message)

    def warning(self, key: str | int | None, message: str) -> None:
        at = self.at if key is None else (*self.at, key)
        self.problems.warning(self.record.at(*at), message)

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for key in self.data:
            if key not in allowed:
                line = self.record.key_line(*self.at, key)
                where = f" in {self.what}" if self.what else ""
                hint = did_you_mean(key, allowed) or f"; known keys: {', '.join(allowed)}"
                self.problems.error(
                    Location(self.record.path, line), f"unknown key '{key}'{where}{hint}"
                )

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def text(self, key: str, default: str = "", *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(None, f"'{key}' is required")
            return default
        if isinstance(value, bool | list | dict):
            self.error(key, f"'{key}' must be text, not {_type_name(value)}")
            return default
        text = str(value).strip()
        if required and not text:
            self.error(key, f"'{key}' must not be empty")
        return text

    def integer(
        self, key: str, default: int | None, *, minimum: int = 0, maximum: int = 10**9
    ) -> int | None:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"'{key}' must be a whole number, not {_type_name(value)}")
            return default
        if value < minimum:
            self.error(key, f"'{key}' must be at least {minimum}")
            return default
        if value > maximum:
            self.error(key, f"'{key}' must be at most {maximum}")
            return default
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, not '{value}'")
            return default
        return value

    def choice(self, key: str, options: Sequence[str], default: str) -> str:
        value = self.text(key, default)
        if value not in options:
            self.error(
                key,
                f"'{key}' is '{value}'{did_you_mean(value, options)}; use one of: "
                + ", ".join(options),
            )
            return default
        return value

    def text_list(self, key: str) -> list[tuple[str, int]]:
        """A list of text items (a single text is accepted as a list of one), with lines."""
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return [(str(value).strip(), self.record.line(*self.at, key))]
        if not isinstance(value, list):
            self.error(key, f"'{key}' must be a list, not {_type_name(value)}")
            return []
        items: list[tuple[str, int]] = []
        for index, item in enumerate(value):
            line = self.record.line(*self.at, key, index)
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                self.problems.error(
                    self.record.at(*self.at, key, index),
                    f"item {index + 1} of '{key}' must be text",
                )
                continue
            text = str(item).strip()
            if not text:
                self.problems.error(
                    self.record.at(*self.at, key, index), f"item {index + 1} of '{key}' is empty"
                )
                continue
            items.append((text, line))
        return items

    def mapping(self, key: str) -> Fields | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(key, f"'{key}' must be a mapping of 'name: value' lines")
            return None
        return Fields(self.record, self.problems, (*self.at, key), value, what=f"'{key}'")

    def mappings(self, key: str) -> list[Fields]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(key, f"'{key}' must be a list")
            return []
        result = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.problems.error(
                    self.record.at(*self.at, key, index),
                    f"item {index + 1} of '{key}' must be a mapping like "
                    "'{title: ..., url: ...}'",
                )
                continue
            result.append(
                Fields(self.record, self.problems, (*self.at, key, index), item, what=f"'{key}'")
            )
        return result

    def url(self, key: str, *, relative_ok: bool = False) -> str | None:
        value = self.text(key)
        if not value:
            return None
        problem = url_problem(value, relative_ok=relative_ok)
        if problem:
            self.error(key, f"'{key}' {problem}")
            return None
        return value

    def date(self, key: str, *, required: bool = False) -> date | None:
        value = self.text(key, required=required)
        if not value:
            return None
        return parse_date(self, key, value)


def url_problem(value: str, *, relative_ok: bool = False) -> str | None:
    """Why ``value`` is not a URL rgsite will link to, or None."""
    if any(ch.isspace() for ch in value):
        return f"'{value}' contains spaces; encode them as %20"
    match = _SCHEME.match(value)
    if match:
        scheme = match.group(1).lower()
        if scheme not in SAFE_SCHEMES:
            return f"uses the scheme '{scheme}:', which is not allowed; use http, https or mailto"
        if scheme in ("http", "https") and not value.split(":", 1)[1].startswith("//"):
            return f"'{value}' is not a full URL; write it as {scheme}://host/path"
        return None
    if value.startswith("//"):
        return f"'{value}' has no scheme; start it with https://"
    if not relative_ok:
        return f"'{value}' is not an absolute URL; start it with https://"
    return None


def parse_date(fields: Fields, key: str, value: str) -> date | None:
    match = _DATE.match(value)
    if not match:
        fields.error(key, f"'{key}' is '{value}', not a date; write it as YYYY-MM-DD")
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        fields.error(key, f"'{key}' is '{value}', which is not a real date ({exc})")
        return None


def valid_id(value: str) -> bool:
    return bool(_ID.match(value))


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A URL slug: lowercase ASCII letters, digits and hyphens. Remembered: pages ask for
    the same few topics' and papers' slugs thousands of times."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug or "item"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


WEEKDAYS_HINT = "use a day name like 'saturday'"
