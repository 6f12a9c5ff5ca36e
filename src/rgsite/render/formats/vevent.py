"""One VEVENT written as text, the bytes icalendar's ``Event.to_ical()`` would give.

A long archive has a calendar event per session in ``calendar.ics``, in its own
``event.ics``, and in each topic's, speaker's and series' calendar. Building an icalendar
``Event`` and folding its lines character by character was most of the cost of the
calendars, so the few value types an event uses are written here directly: TEXT
(escaped with icalendar's own rules), INTEGER, URI, DATE, and DATE-TIME in UTC or with a
``TZID``. Properties come in icalendar's order (its canonical order for events, then
the rest by name), and lines are folded as it folds them, so the output does not change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from icalendar.prop import vDDDTypes, vText

FIRST = ("SUMMARY", "DTSTART", "DTEND", "DURATION", "DTSTAMP", "UID", "RECURRENCE-ID", "SEQUENCE")
"""icalendar's canonical order of an event's first properties; the others follow by name."""
_RANK = {name: n for n, name in enumerate(FIRST)}
LIMIT = 75
"""Octets at which a line is folded (RFC 5545 §3.1), counted as icalendar counts them."""


def vevent(fields: tuple[tuple[str, Any], ...]) -> bytes:
    """``BEGIN:VEVENT`` to ``END:VEVENT`` with CRLF line ends, from (name, value) pairs:
    ``str`` (TEXT; URI for ``url``), ``int``, ``date``, ``datetime`` (UTC, or aware in
    an IANA zone) and ``tuple`` of ``str`` (a list of TEXT, for ``categories``)."""
    named = sorted(
        ((name.upper(), value) for name, value in fields),
        key=lambda item: (_RANK.get(item[0], len(FIRST)), item[0]),
    )
    lines = ["BEGIN:VEVENT"]
    lines += (fold(name + _value(name, value)) for name, value in named)
    lines.append("END:VEVENT\r\n")
    return "\r\n".join(lines).encode()


def _value(name: str, value: Any) -> str:
    """The part of a content line after its name: parameters, ":" and the value."""
    if isinstance(value, date):  # icalendar's own types: zone names, UTC and "Z" as it has them
        typed = vDDDTypes(value)
        params = typed.params.to_ical().decode()
        return f"{';' if params else ''}{params}:{typed.to_ical().decode()}"
    if isinstance(value, bool):  # pragma: no cover - no event field is a boolean
        raise TypeError(f"{name}: a boolean has no iCalendar form here")
    if isinstance(value, int):
        return f":{value}"
    if isinstance(value, tuple):
        return ":" + ",".join(_text(item) for item in value)
    if name == "URL":
        return f":{value}"
    return ":" + _text(value)


def _text(value: str) -> str:
    return vText(value).to_ical().decode()


def fold(line: str) -> str:
    """``line`` folded as icalendar folds: a new line (CRLF and a space) before the
    character that would bring it to 75 octets, never just after a backslash or caret."""
    if len(line) < LIMIT // 4 or len(line.encode()) < LIMIT:
        return line
    folded: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = 1 if char < "\x80" else len(char.encode())
        if current and count + size >= LIMIT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                folded.append("".join(current))
                current = [carried]
                count = len(carried.encode())
            else:
                folded.append("".join(current))
                current = []
                count = 0
        current.append(char)
        count += size
    if current:
        folded.append("".join(current))
    return "\r\n ".join(folded)
