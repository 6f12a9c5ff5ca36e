"""Events written directly are the bytes icalendar writes, so calendars do not change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event

from rgsite.render.formats.vevent import vevent

LONDON = ZoneInfo("Europe/London")


def by_icalendar(fields: tuple[tuple[str, Any], ...]) -> bytes:
    event = Event()
    for name, value in fields:
        event.add(name, list(value) if isinstance(value, tuple) else value)
    return bytes(event.to_ical())


def fields_of(
    summary: str, description: str, place: str, topics: tuple[str, ...], start: Any, end: Any
) -> tuple[tuple[str, Any], ...]:
    stamp = datetime(2023, 3, 2, 18, 30, tzinfo=UTC)
    found: list[tuple[str, Any]] = [
        ("uid", "2023-03-02-a-talk.group@example.org"),
        ("dtstamp", stamp),
        ("last-modified", stamp),
        ("sequence", 55_555_555),
        ("dtstart", start),
        ("dtend", end),
        ("summary", summary),
    ]
    if description:
        found.append(("description", description))
    if place:
        found.append(("location", place))
    found.append(("url", "https://example.org/group/sessions/2023-03-02-a-talk/?a=1,b;c"))
    if topics:
        found.append(("categories", topics))
    found += [("status", "CONFIRMED"), ("transp", "OPAQUE")]
    return tuple(found)


SPANS = [
    (datetime(2023, 3, 2, 18, 30, tzinfo=LONDON), datetime(2023, 3, 2, 20, 0, tzinfo=LONDON)),
    (datetime(2023, 7, 2, 18, 30, tzinfo=UTC), datetime(2023, 7, 2, 20, 0, tzinfo=UTC)),
    (date(2023, 3, 2), date(2023, 3, 3)),
]


@pytest.mark.parametrize("start,end", SPANS)
def test_tricky_text_folds_and_escapes_as_icalendar_does(start: Any, end: Any) -> None:
    long = "Gradient descent, stochastic; noise\\averages — out " * 6
    fields = fields_of(
        "Cancelled: Attention é tout ce qu’il faut — Ada, Grace and Ana",
        long + "\n\nJoin: https://meet.example/abc\r\nDetails: x" + "é" * 80 + "^" * 80,
        "Room 1, Building; 2",
        ("learning theory", "a,b", "c;d"),
        start,
        end,
    )
    assert vevent(fields) == by_icalendar(fields)
    parsed = Calendar.from_ical(b"BEGIN:VCALENDAR\r\n" + vevent(fields) + b"END:VCALENDAR\r\n")
    assert parsed.walk("VEVENT")[0]["LOCATION"] == "Room 1, Building; 2"


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    summary=st.text(min_size=1, max_size=120),
    description=st.text(max_size=400),
    place=st.text(max_size=80),
    topics=st.lists(st.text(min_size=1, max_size=20), max_size=3).map(tuple),
    hours=st.integers(min_value=-10_000, max_value=10_000),
    span=st.sampled_from(SPANS),
)
def test_any_text_gives_icalendar_bytes(
    summary: str,
    description: str,
    place: str,
    topics: tuple[str, ...],
    hours: int,
    span: tuple[Any, Any],
) -> None:
    start, end = (moment + timedelta(hours=hours) for moment in span)
    fields = fields_of(summary, description, place, topics, start, end)
    assert vevent(fields) == by_icalendar(fields)
