"""``site.yaml`` to a frozen :class:`~rgsite.models.SiteConfig`; every key checked."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rgsite.errors import Location, Problems, did_you_mean
from rgsite.model import WEEKDAYS
from rgsite.read.decode import Record
from rgsite.read.fields import WEEKDAYS_HINT, Fields, slugify, valid_id
from rgsite.read.site_yaml.language import read_language, read_time_format
from rgsite.read.site_yaml.math_macros import load_math
from rgsite.read.site_yaml.terms import read_terms
from rgsite.settings import EventKind, Meeting, SiteConfig

SITE_KEYS = (
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "meeting",
    "links",
    "terms",
    "kinds",
    "math",
    "time_format",
)
MEETING_KEYS = ("weekday", "time", "duration", "every_weeks", "location", "join_url")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
KIND_KEYS = ("name", "icon")
ICON_LENGTH = 8
"""Characters an icon may have: an emoji of several code points, not a word."""


def load_config(
    record: Record,
    problems: Problems,
    base_url: str | None = None,
    catalogs: frozenset[str] = frozenset(),
) -> SiteConfig:
    """``catalogs``: the languages the site has its own catalogs for."""
    if not isinstance(record.data, dict):
        problems.error(
            Location(record.path, 1),
            "site.yaml must be a mapping of settings, starting with 'title: ...'",
        )
        return SiteConfig(title="Reading group")
    fields = Fields(record, problems, what="site.yaml")
    fields.check_keys(SITE_KEYS)
    title = fields.text("title", "Reading group", required=True)
    url = base_url if base_url is not None else fields.text("base_url", "/")
    url = _check_base_url(fields, url, from_cli=base_url is not None)
    language = read_language(fields, catalogs)
    timezone = check_timezone(fields, "timezone", fields.text("timezone", "UTC"))
    links: list[tuple[str, str]] = []
    links_fields = fields.mapping("links")
    if links_fields is not None:
        for label in links_fields.data:
            link = links_fields.url(label)
            if link:
                links.append((label, link))
    return SiteConfig(
        title=title,
        description=fields.text("description"),
        base_url=url,
        language=language,
        time_format=read_time_format(fields),
        timezone=timezone,
        meeting=_meeting(fields),
        links=tuple(links),
        terms=read_terms(fields),
        kinds=_kinds(fields),
        math_macros=load_math(fields),
    )


def _check_base_url(fields: Fields, url: str, *, from_cli: bool) -> str:
    if not url.endswith("/"):
        url += "/"
    if url.startswith("/"):
        return url
    if re.match(r"^https?://[^/\s]+/\S*$", url):
        return url
    message = (
        f"base_url '{url}' must be an absolute http(s) URL like https://example.org/group/ "
        "or a path like /"
    )
    if from_cli:
        fields.problems.error(Location("--base-url"), message)
    else:
        fields.error("base_url", message)
    return "/"


def check_timezone(fields: Fields, key: str, name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fields.error(
            key,
            f"unknown time zone '{name}'{did_you_mean(name, available_timezones())}; "
            "use an IANA name like 'Europe/London' or 'America/Edmonton'",
        )
        return "UTC"
    return name


def check_time(fields: Fields, key: str, value: str, default: str) -> str:
    if not _TIME.match(value):
        fields.error(
            key, f"'{key}' is '{value}', not a time; write it as \"HH:MM\", e.g. \"14:00\""
        )
        return default
    hours, minutes = value.split(":")
    return f"{int(hours):02d}:{minutes}"


def _meeting(site: Fields) -> Meeting:
    fields = site.mapping("meeting")
    if fields is None:
        return Meeting()
    fields.check_keys(MEETING_KEYS)
    weekday = fields.text("weekday").lower() or None
    if weekday is not None and weekday not in WEEKDAYS:
        fields.error(
            "weekday", f"'weekday' is '{weekday}'{did_you_mean(weekday, WEEKDAYS)}; {WEEKDAYS_HINT}"
        )
        weekday = None
    time_value = fields.data.get("time")
    if isinstance(time_value, int) and not isinstance(time_value, bool):
        fields.error("time", '\'time\' must be written as "HH:MM" in quotes, e.g. "14:00"')
        time = "18:00"
    else:
        time = check_time(fields, "time", fields.text("time", "18:00"), "18:00")
    return Meeting(
        weekday=weekday,
        time=time,
        duration=fields.integer("duration", 60, minimum=1, maximum=7 * 24 * 60) or 60,
        every_weeks=fields.integer("every_weeks", 1, minimum=1, maximum=52) or 1,
        location=fields.text("location") or None,
        join_url=fields.url("join_url"),
    )


def _kinds(site: Fields) -> tuple[EventKind, ...]:
    """``kinds:``: each kind of event by id, with a name and an optional icon."""
    if site.has("kinds") and not isinstance(site.data["kinds"], dict):
        site.error(
            "kinds",
            "'kinds' must map each kind's id to its name, e.g. kinds: {talk: {name: Talk}}",
        )
        return ()
    fields = site.mapping("kinds")
    if fields is None:
        return ()
    kinds = []
    for ident, value in fields.data.items():
        if not isinstance(ident, str) or not valid_id(ident):
            fields.error(
                ident,
                f"kind id '{ident}' must be lowercase letters, digits and hyphens, "
                f"e.g. '{slugify(str(ident))}'",
            )
            continue
        if isinstance(value, str):  # a name alone: "talk: Talk"
            value = {"name": value}
        if not isinstance(value, dict):
            fields.error(
                ident, f"kind '{ident}' must be a mapping like '{{name: Talk, icon: \"🎤\"}}'"
            )
            continue
        kind = Fields(
            fields.record, fields.problems, (*fields.at, ident), value, what=f"kind '{ident}'"
        )
        kind.check_keys(KIND_KEYS)
        icon = kind.text("icon")
        if len(icon) > ICON_LENGTH:
            kind.error(
                "icon",
                f"'icon' is '{icon}'; an icon is a symbol or two shown before the name, "
                f'like "☕" (at most {ICON_LENGTH} characters)',
            )
            icon = ""
        kinds.append(EventKind(id=ident, name=kind.text("name", ident, required=True), icon=icon))
    return tuple(kinds)
