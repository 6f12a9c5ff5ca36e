"""When the next meeting is: the group's cadence, in the group's time zone.

:func:`next_meeting` continues ``meeting.weekday`` every ``every_weeks`` weeks from the
last regular session, and never lands before now. Dates are the group's local dates and
"now" is compared with a meeting's local start, so a 14:00 meeting stays at 14:00 on the
wall clock across a daylight-saving change, and "today" is the group's today.

Pure functions of their arguments: no files, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rgsite.errors import UsageError
from rgsite.model import WEEKDAYS
from rgsite.settings import Meeting

_WHEN = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?$")


def next_meeting(meeting: Meeting, tz: ZoneInfo, sessions: Sequence[date], now: datetime) -> date:
    """The date of the next meeting by the cadence, after every session and not before now.

    With a ``weekday``, the cadence continues from the last session held on that weekday
    (a one-off session on another day does not shift it); without one, from the last
    session. Dates are the group's local dates and ``now`` is compared with the meeting's
    local start, so "today" and "already over" follow the group's clock.
    """
    step = timedelta(weeks=meeting.every_weeks)
    clock = clock_of(meeting.time)
    last = max(sessions) if sessions else None
    today = now.astimezone(tz).date()
    if meeting.weekday is None:
        day = last + step if last is not None else today
        stride = step if last is not None else timedelta(days=1)
    else:
        weekday = WEEKDAYS.index(meeting.weekday)
        regular = [d for d in sessions if d.weekday() == weekday]
        if regular:
            day = max(regular)
        else:
            start = last + timedelta(days=1) if last is not None else today
            day = start + timedelta(days=(weekday - start.weekday()) % 7)
        stride = step
    if day < today - stride:  # a long pause: jump close to today, keeping the phase
        day += stride * ((today - day) // stride)
    while (last is not None and day <= last) or local_start(day, clock, tz)[0] < now:
        day += stride
    return day


def local_start(day: date, clock: time, tz: ZoneInfo) -> tuple[datetime, bool]:
    """``day`` at ``clock`` in ``tz``, and whether that wall time was skipped (moved on).

    A time inside a spring-forward gap does not exist; it becomes the time the clocks
    show then (02:30 becomes 03:30), as a calendar would.
    """
    wall = datetime.combine(day, clock, tzinfo=tz)
    real = wall.astimezone(ZoneInfo("UTC")).astimezone(tz)
    return real, real.replace(tzinfo=None) != wall.replace(tzinfo=None)


def clock_of(text: str) -> time:
    """``"14:00"`` (already checked by the config) as a time."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def parse_when(value: str, default_time: str) -> tuple[date, time]:
    """``--date``: ``YYYY-MM-DD`` (at the meeting time) or ``"YYYY-MM-DD HH:MM"``."""
    match = _WHEN.match(value.strip())
    try:
        if match is None:
            raise ValueError(value)
        day = date.fromisoformat(match[1])
        clock = time(int(match[2]), int(match[3])) if match[2] else clock_of(default_time)
    except ValueError:
        raise UsageError(
            f"--date '{value}' is not a date like 2024-05-02 or \"2024-05-02 17:00\""
        ) from None
    return day, clock
