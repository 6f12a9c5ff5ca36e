"""Dates, times and durations as real archives write them, read without guessing.

Each parser returns what it could read, or a :class:`Unreadable` saying why not and how
to write it. A value that could mean two things (``09/04/2019``: April or September?) is
never resolved by a rule of thumb: it is unreadable, and the organiser writes it plainly.

Forms read: ISO dates with or without a time and offset (``2019-09-04``,
``2019-09-04 16:00:00 -0600``, ``2019-09-04T16:00:00Z``); English month names
(``Sept. 4, 2019``, ``4 September 2019``, ``Wednesday, Sep 4th 2019``); numeric dates whose
order is plain (``25/09/2019``, ``2019/09/04``); times such as ``16:00``, ``16h``,
``16h30``, ``3:30pm``, ``4 p.m.``, ``noon`` and ranges (``4:00-5:15 pm``, ``16:00–17:30``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TBA_WORDS = frozenset({"tba", "tbd", "tbc", "to be announced", "to be decided", "to be confirmed"})
"""What a cell says when the value is not known yet."""


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Why a value could not be read, said so that the organiser can fix it."""

    why: str


@dataclass(frozen=True, slots=True)
class Clock:
    """A start time ``HH:MM``, and an end time when a range was given."""

    start: str
    end: str | None = None
    zone: str = ""
    """A time zone written after the time (``EST``, ``UTC+1``), which is not used."""

    def minutes(self) -> int | None:
        """The length of a range in minutes (over midnight counts into the next day)."""
        if self.end is None:
            return None
        length = _minutes(self.end) - _minutes(self.start)
        return length if length > 0 else length + 24 * 60


@dataclass(frozen=True, slots=True)
class When:
    """A day, and the time on it when one was given with the date."""

    day: date
    clock: Clock | None = None
    converted: str = ""
    """The offset a date-time was written with, when it was moved into the group's zone."""


TBA = "tba"


def tba(text: str) -> bool:
    return text.strip().strip("?!.").lower() in TBA_WORDS or text.strip() in ("?", "??", "-")


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


# -- dates ----------------------------------------------------------------------------

_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")
_WEEKDAY = re.compile(r"^(?:(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)", re.IGNORECASE)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"([A-Za-z]{3,9})\.?"
_MONTH_FIRST = re.compile(rf"^{_MONTH}\s+{_DAY},?\s+(\d{{4}})\b,?\s*(.*)$")
_DAY_FIRST = re.compile(rf"^{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b,?\s*(.*)$")
_NO_YEAR = re.compile(rf"^(?:{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH})$")
_DATE_THEN_TIME = re.compile(r"^(\S+?),?\s+(.+)$")
_ISO_THEN = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2}),?\s+(.+)$")


def read_when(value: object, tz: ZoneInfo) -> When | Unreadable:
    """A date, possibly with a time, from a field's value."""
    if isinstance(value, datetime):  # TOML front matter gives these
        return _from_datetime(value, tz)
    if isinstance(value, date):
        return When(value)
    if isinstance(value, bool) or value is None:
        return Unreadable("is not a date; write it as YYYY-MM-DD")
    if isinstance(value, int | float):
        if 20000 < value < 80000:
            return Unreadable(
                "is a spreadsheet's day number, not a date; format the column as a date "
                "(YYYY-MM-DD) before exporting"
            )
        return Unreadable("is a number, not a date; write it as YYYY-MM-DD")
    text = " ".join(str(value).split())
    if not text:
        return Unreadable("is empty")
    if tba(text):
        return Unreadable("is not known yet (TBA); a session needs its day")
    iso = _ISO.match(text)
    if iso:
        return _iso(iso, tz)
    iso_then = _ISO_THEN.match(text)
    if iso_then:
        found_day = _iso(_ISO.match(iso_then[1]), tz)  # type: ignore[arg-type]
        if isinstance(found_day, Unreadable):
            return found_day
        return _with_clock(found_day.day, iso_then[2], None)
    weekday = _WEEKDAY.match(text)
    rest = text[weekday.end() :] if weekday else text
    found = _named_month(rest)
    if isinstance(found, Unreadable):
        return found
    if found is None:
        found = _numeric(rest)
    if isinstance(found, Unreadable):
        return found
    if found is None:
        if _NO_YEAR.match(rest.rstrip(".")):
            return Unreadable("has no year; write it as YYYY-MM-DD")
        split = _DATE_THEN_TIME.match(rest)
        if split and _NUMERIC.match(split[1]):
            found = _numeric(split[1])
            if isinstance(found, Unreadable):
                return found
            found = (found[0], split[2]) if found else None
    if found is None:
        return Unreadable("is not a date rgsite can read; write it as YYYY-MM-DD")
    day, rest_text = found
    return _with_clock(day, rest_text, weekday)


def _with_clock(day: date, rest: str, weekday: re.Match[str] | None) -> When | Unreadable:
    if weekday and WEEKDAYS[day.weekday()] != weekday[1].lower():
        return Unreadable(
            f"says {weekday[0].strip(' ,.')}, but {day.isoformat()} is a "
            f"{day:%A}; correct the day or the date"
        )
    rest = rest.strip(" ,")
    if rest.lower().startswith(("at ", "@")):
        rest = rest.lstrip("@").removeprefix("at ").removeprefix("At ").strip()
    if not rest:
        return When(day)
    clock = read_clock(rest)
    if isinstance(clock, Unreadable):
        return Unreadable(f"has a time '{rest}' that {clock.why}")
    if clock == TBA:
        return When(day)
    assert isinstance(clock, Clock)
    return When(day, clock)


def _iso(match: re.Match[str], tz: ZoneInfo) -> When | Unreadable:
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        return Unreadable(f"is not a real date ({exc})")
    if match[4] is None:
        return When(day)
    hours, minutes = int(match[4]), int(match[5])
    if hours > 23 or minutes > 59:
        return Unreadable(f"has the time {match[4]}:{match[5]}, which is not a time of day")
    if match[7] is None:
        if hours == minutes == 0 and not int(match[6] or 0):
            return When(day)  # midnight is how a bare date is written with a time
        return When(day, Clock(f"{hours:02d}:{minutes:02d}"))
    offset = match[7]
    sign = 1
    if offset == "Z":
        zone = UTC
    else:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    moment = datetime(day.year, day.month, day.day, hours, minutes, tzinfo=zone)
    return _from_datetime(moment, tz, written=offset)


def _from_datetime(moment: datetime, tz: ZoneInfo, written: str = "") -> When:
    if moment.tzinfo is None:
        if moment.hour == moment.minute == 0:
            return When(moment.date())
        return When(moment.date(), Clock(f"{moment:%H:%M}"))
    local = moment.astimezone(tz)
    converted = written or (moment.strftime("%z") or "UTC")
    if local.utcoffset() == moment.utcoffset():
        converted = ""
    return When(local.date(), Clock(f"{local:%H:%M}"), converted)


def _named_month(text: str) -> tuple[date, str] | Unreadable | None:
    for pattern, order in ((_MONTH_FIRST, "md"), (_DAY_FIRST, "dm")):
        match = pattern.match(text)
        if match is None:
            continue
        month_word, day_text = (match[1], match[2]) if order == "md" else (match[2], match[1])
        month = _month(month_word)
        if month is None:
            return Unreadable(f"has '{month_word}', which is not a month name")
        try:
            return date(int(match[3]), month, int(day_text)), match[4].strip()
        except ValueError as exc:
            return Unreadable(f"is not a real date ({exc})")
    return None


def _month(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if word in MONTHS:
        return MONTHS[word]
    for name, number in MONTHS.items():
        full = date(2000, number, 1).strftime("%B").lower()
        if word == full or (len(word) >= 3 and full.startswith(word) and name == word[:3]):
            return number
    return None


def _numeric(text: str) -> tuple[date, str] | Unreadable | None:
    match = _NUMERIC.match(text)
    if match is None:
        return None
    first, second, year = int(match[1]), int(match[3]), int(match[4])
    if len(match[4]) == 2:
        year += 2000
    if first > 12 and second > 12:
        return Unreadable("is not a date: neither of its first two numbers is a month")
    if first > 12:
        day, month = first, second
    elif second > 12:
        day, month = second, first
    elif first == second:
        day = month = first
    else:
        return Unreadable(
            f"could be {_spelled(year, first, second)} or {_spelled(year, second, first)}; "
            "write it as YYYY-MM-DD"
        )
    try:
        return date(year, month, day), ""
    except ValueError as exc:
        return Unreadable(f"is not a real date ({exc})")


def _spelled(year: int, month: int, day: int) -> str:
    try:
        return f"{day} {date(year, month, day):%B}"
    except ValueError:
        return f"month {month}, day {day}"


# -- times ----------------------------------------------------------------------------

_MERIDIEM = r"(?:\s*([ap])\.?\s*m\b\.?)"
_ONE = rf"(\d{{1,2}})(?:(?:[:.]|h)(\d{{2}})|h)?(?::\d{{2}})?{_MERIDIEM}?"
_RANGE = re.compile(rf"^{_ONE}\s*(?:-|–|—|to|until|till)\s*{_ONE}$", re.IGNORECASE)
_SINGLE = re.compile(rf"^{_ONE}$", re.IGNORECASE)
_MILITARY = re.compile(r"^([01]\d|2[0-3])([0-5]\d)$")
_ZONE = re.compile(
    r"\s*\(?\b((?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?|UTC|GMT|[ECMP][SD]T|CES?T|BST|AES?T|"
    r"IST|JST|KST)\)?\.?$",
    re.IGNORECASE,
)
_WORDS = {"noon": "12:00", "midday": "12:00", "12 noon": "12:00", "midnight": "00:00"}
EARLIEST = 7
"""An hour before this, written without am/pm on a 12-hour clock, is not read as a
morning: a group that meets at 4:00 means the afternoon, but that is a guess."""


def read_clock(value: object) -> Clock | str | Unreadable:
    """A time or a range of times; ``TBA`` when the cell says it is not known."""
    if isinstance(value, bool) or value is None:
        return Unreadable("is not a time; write it as 16:00")
    if isinstance(value, float):
        return Unreadable(
            "is a spreadsheet's fraction of a day, not a time; format the column as a time "
            "(16:00) before exporting"
        )
    if isinstance(value, int) and 0 <= value <= 2359:
        value = f"{value:04d}" if value >= 100 else str(value)
    text = " ".join(str(value).split()).strip(" .")
    if tba(text):
        return TBA
    zone = ""
    found = _ZONE.search(text)
    if found and found.start() > 0:
        zone, text = " ".join(found[1].upper().split()), text[: found.start()].strip(" ,")
    if text.lower() in _WORDS:
        return Clock(_WORDS[text.lower()], zone=zone)
    military = _MILITARY.match(text)
    if military:
        return Clock(f"{military[1]}:{military[2]}", zone=zone)
    ranged = _RANGE.match(text)
    if ranged:
        return _range(ranged.groups(), zone)
    single = _SINGLE.match(text)
    if single is None:
        return Unreadable("is not a time rgsite can read; write it as 16:00 or 16:00-17:30")
    hours, minutes, meridiem = single.groups()
    start = _hhmm(hours, minutes, meridiem, "h" in text.lower())
    return start if isinstance(start, Unreadable) else Clock(start, zone=zone)


def _range(groups: tuple[str | None, ...], zone: str) -> Clock | Unreadable:
    h1, m1, p1, h2, m2, p2 = groups
    if (p1 is None) != (p2 is None):
        # "4:00-5:15 pm": the half of the day written once holds for both, unless that
        # puts the start after the end ("11-12:30 pm" starts at 11 in the morning).
        half = (p1 or p2 or "").lower()
        other = "a" if half == "p" else "p"
        start, end = _hhmm(h1, m1, p1 or half), _hhmm(h2, m2, p2 or half)
        if isinstance(start, str) and isinstance(end, str) and _minutes(start) > _minutes(end):
            if p1 is None:
                start = _hhmm(h1, m1, other)
            else:
                end = _hhmm(h2, m2, other)
    else:
        start, end = _hhmm(h1, m1, p1), _hhmm(h2, m2, p2)
    for part in (start, end):
        if isinstance(part, Unreadable):
            return part
    assert isinstance(start, str) and isinstance(end, str)
    return Clock(start, end, zone)


def _hhmm(
    hours_text: str | None, minutes_text: str | None, meridiem: str | None, h: bool = False
) -> str | Unreadable:
    hours, minutes = int(hours_text or 0), int(minutes_text or 0)
    if minutes > 59:
        return Unreadable(f"has {minutes} minutes; an hour has 60")
    if meridiem:
        if not 1 <= hours <= 12:
            return Unreadable(f"says {hours} {meridiem.lower()}m, which is not a time of day")
        hours = hours % 12 + (12 if meridiem.lower() == "p" else 0)
    elif hours > 23:
        return Unreadable(f"has the hour {hours}, which is not a time of day")
    elif 0 < hours < EARLIEST and not h:
        return Unreadable(
            f"could be {hours}:{minutes:02d} in the morning or the afternoon; write it with "
            f"am or pm, or as {hours + 12}:{minutes:02d}"
        )
    return f"{hours:02d}:{minutes:02d}"


_DURATION = re.compile(
    r"^(?:(\d+(?:\.\d+)?)(?:h|hrs?|hours?))?(?:(\d+)(?:m|mins?|minutes?)?)?$", re.IGNORECASE
)


def read_minutes(value: object) -> int | Unreadable:
    """A duration: ``90``, ``"90 min"``, ``"1.5h"``, ``"1h30"``, ``"2 hours"``."""
    if isinstance(value, bool) or value is None:
        return Unreadable("is not a duration; write the minutes, e.g. 90")
    if isinstance(value, int):
        minutes = value
    elif isinstance(value, float) and value.is_integer():
        minutes = int(value)
    else:
        text = str(value).strip().replace(" ", "")
        match = _DURATION.match(text) if text else None
        if match is None or not (match[1] or match[2]):
            return Unreadable("is not a duration rgsite can read; write the minutes, e.g. 90")
        minutes = round(float(match[1] or 0) * 60) + int(match[2] or 0)
    if not 1 <= minutes <= 7 * 24 * 60:
        return Unreadable("is not a session's length in minutes (1 to a week)")
    return minutes
