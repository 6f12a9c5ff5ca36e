"""Dates, times and durations as the site's language writes them, from Babel's CLDR data.

Babel is imported on the first date a build writes, never by commands that write none.
Every time is shown one way: a range (``2:00 – 3:30 PM``, ``14:00–15:30``) in the
clock the site chose (``time_format``) or, without a choice, its language's clock.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rgsite.i18n.translations import Translations

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from babel import Locale

TIME_FORMATS = ("24h", "12h")

DATE_STYLES = {
    "day": "full",  # Saturday, January 21, 2023
    "date": "yMMMEd",  # Sat, Jan 21, 2023
    "short": "yMMMd",  # Jan 21, 2023
    "long": "long",  # January 21, 2023
}
"""How each kind of place writes a date: a CLDR date format or skeleton."""
HOUSE_STYLE = {
    "day": "EEEE d MMMM y",  # Saturday 21 January 2023
    "date": "EEE d MMM y",  # Sat 21 Jan 2023
    "short": "d MMM y",  # 21 Jan 2023
    "long": "d MMMM y",  # 21 January 2023
}
"""English without a region writes dates as the theme always has, day first; a region
(``en-US``, ``en-GB``) takes that region's CLDR conventions like any other language."""


@functools.cache
def locale_of(language: str) -> Locale:
    """Babel's locale for a language tag (``pt-BR``); raises ``ValueError`` if unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"no date and time data for '{language}': {exc}") from None


def knows(language: str) -> bool:
    """Whether Babel has date and time data for ``language``."""
    try:
        locale_of(language)
    except ValueError:
        return False
    return True


def default_time_format(language: str) -> str:
    """The clock the language writes times in: ``12h`` when its CLDR short time pattern
    counts hours with ``h`` (1-12) or ``K``, else ``24h``."""
    pattern = locale_of(language).time_formats["short"].pattern
    return "12h" if "h" in pattern or "K" in pattern else "24h"


class Clock:
    """Writes the dates and times of one site: its language, zone and clock."""

    def __init__(self, language: str, time_format: str, tz: ZoneInfo, t: Translations) -> None:
        self.language = language
        self.tz = tz
        self.t = t
        self._time_format = time_format
        # What each call wrote: the same dates are written on many pages (a session's
        # time on its page, every listing and feed it is in), and Babel is slow.
        self._written: dict[tuple[Any, ...], str] = {}

    @functools.cached_property
    def locale(self) -> Locale:
        return locale_of(self.language)

    @functools.cached_property
    def time_format(self) -> str:
        return self._time_format or default_time_format(self.language)

    @property
    def hour12(self) -> bool:
        return self.time_format == "12h"

    @property
    def _skeleton(self) -> str:
        return "hm" if self.hour12 else "Hm"

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def _remember(self, key: tuple[Any, ...], make: Callable[[], str]) -> str:
        """What ``make`` writes, once per key for this clock."""
        found = self._written.get(key)
        if found is None:
            found = self._written[key] = make()
        return found

    def date(self, value: date | datetime, style: str = "day") -> str:
        """A day, in one of :data:`DATE_STYLES`."""
        return self._remember(("date", type(value), value, style), lambda: self._date(value, style))

    def _date(self, value: date | datetime, style: str) -> str:
        from babel.dates import format_date, format_skeleton

        if isinstance(value, datetime):
            value = self.local(value).date()
        if self.language == "en":
            return format_date(value, HOUSE_STYLE[style], locale=self.locale)
        form = DATE_STYLES[style]
        if form in ("full", "long", "medium", "short"):
            return format_date(value, form, locale=self.locale)
        moment = datetime(value.year, value.month, value.day)
        return format_skeleton(form, moment, locale=self.locale)

    def time(self, moment: datetime) -> str:
        """The time of day alone, in the site's clock: ``2:00 PM``, ``14:00``."""
        from babel.dates import format_skeleton

        return format_skeleton(self._skeleton, self.local(moment), locale=self.locale)

    def zone(self, moment: datetime) -> str:
        """The zone's abbreviation at ``moment`` (``MST``, ``CEST``) from the tz database."""
        return self.local(moment).tzname() or ""

    def moment(self, moment: datetime, style: str = "day") -> str:
        """A day and a time: ``Saturday, January 21, 2023, 2:00 PM``."""
        return self.t.gettext("%(day)s, %(time)s") % {
            "day": self.date(moment, style),
            "time": self.time(moment),
        }

    def times(self, start: datetime, end: datetime, *, zone: bool = False) -> str:
        """From start to end on one day (``2:00 – 3:30 PM``), with the days when they
        differ; ``zone``: followed by the zone's abbreviation."""
        return self._remember(
            ("times", start, end, zone), lambda: self._times(start, end, zone=zone)
        )

    def _times(self, start: datetime, end: datetime, *, zone: bool) -> str:
        start, end = self.local(start), self.local(end)
        suffix = f" {self.zone(start)}" if zone and self.zone(start) else ""
        if start.date() != end.date():
            return (
                self.t.gettext("%(start)s – %(end)s")
                % {"start": self.moment(start), "end": self.moment(end)}
                + suffix
            )
        from babel.dates import format_interval

        found = format_interval(start, end, self._skeleton, tzinfo=self.tz, locale=self.locale)
        return str(found) + suffix

    def span(self, start: datetime, end: datetime, *, zone: bool = True) -> str:
        """A session's time: its day and its times, ``Saturday, January 21, 2023, 2:00 –
        3:30 PM MST``; over several days, each end with its day."""
        return self._remember(("span", start, end, zone), lambda: self._span(start, end, zone=zone))

    def _span(self, start: datetime, end: datetime, *, zone: bool) -> str:
        start, end = self.local(start), self.local(end)
        if start.date() != end.date():
            return self.times(start, end, zone=zone)
        return self.t.gettext("%(day)s, %(time)s") % {
            "day": self.date(start, "day"),
            "time": self.times(start, end, zone=zone),
        }

    def duration(self, minutes: int) -> str:
        """``45 min``, ``1 h``, ``8 h 30 min``: hours and minutes, never ``510 minutes``."""
        hours, rest = divmod(minutes, 60)
        numbers: dict[str, Any] = {"hours": hours, "minutes": rest}
        if hours and rest:
            return self.t.gettext("%(hours)s h %(minutes)s min") % numbers
        if hours:
            return self.t.gettext("%(hours)s h") % numbers
        return self.t.gettext("%(minutes)s min") % numbers
