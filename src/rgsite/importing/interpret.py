"""One entry's values read into a :class:`~rgsite.importing.talk.Talk`.

Every value either lands in a field of the talk or is reported with its ``file:line``
and why it could not be used; a key rgsite does not know is reported once per entry with
how to map it. The body is handled by :mod:`.recap`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rgsite.importing.entry import Entry, Value
from rgsite.importing.fields import Mapping, hint
from rgsite.importing.report import Report
from rgsite.importing.roster import Roster
from rgsite.importing.talk import Resource, Talk
from rgsite.importing.values.dates import (
    TBA,
    Clock,
    Unreadable,
    When,
    read_clock,
    read_minutes,
    read_when,
    tba,
)
from rgsite.importing.values.htmltext import looks_like_html, to_markdown
from rgsite.importing.values.links import TITLES, kind_of, paper_ref
from rgsite.importing.values.people import named
from rgsite.importing.values.recap import read_body
from rgsite.read.aliases import alias_url
from rgsite.read.fields import slugify, url_problem

TLDR_LENGTH = 200
"""A second summary this short, on one line, becomes the TL;DR instead of being dropped."""
STATUS_WORDS = {
    "tba": "tba",
    "tbd": "tba",
    "tbc": "tba",
    "open": "tba",
    "open slot": "tba",
    "available": "tba",
    "break": "break",
    "no meeting": "break",
    "holiday": "break",
    "recess": "break",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "postponed": "cancelled",
    "confirmed": "",
    "scheduled": "",
    "done": "",
    "past": "",
    "upcoming": "",
    "presented": "",
}
_BREAK_TITLE = re.compile(r"^(?:no (?:meeting|session|talk|reading group)|break)\b", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPLIT = re.compile(r"\s*[,;]\s*")


@dataclass(frozen=True, slots=True)
class Setting:
    """What reading an entry needs to know of the import and the site."""

    fmt: str
    tz: ZoneInfo
    mapping: Mapping
    report: Report
    roster: Roster
    kinds: dict[str, str]
    """The site's kinds of event: id → name."""
    location: str
    """The site's usual meeting place, which a session need not repeat."""
    pages: dict[str, str]


def interpret(entry: Entry, setting: Setting) -> Talk | None:
    """The talk an entry describes; None (reported) when it has no day."""
    report = setting.report
    talk = Talk(entry.where, fmt=setting.fmt)
    by_key: dict[str, list[Value]] = defaultdict(list)
    for value in entry.values:
        ours = setting.mapping.our_key(value.key, setting.fmt)
        if ours is None:
            if value.value not in (None, "", [], {}):
                report.cannot_use(value.key, value.value, value.where, hint(value.key))
        elif ours == "left-out":
            report.left_out[value.key] += 1
        elif ours != "ignore" and value.value not in (None, "", [], {}):
            by_key[ours].append(value)
    for key, values in by_key.items():
        talk.wheres[key] = values[0].where
    if "time" in by_key:
        talk.wheres["start"] = by_key["time"][0].where
    _when(talk, by_key, entry, setting)
    if talk.day is None:
        return None
    _texts(talk, by_key, setting)
    if entry.old_url:
        _alias(talk, entry.old_url, Value("address", entry.old_url, entry.where), report)
    _people(talk, by_key, setting)
    for value in by_key["papers"]:
        for item in _items(value.value, urls=True):
            ref = paper_ref(item)
            if isinstance(ref, Unreadable):
                report.cannot_use(value.key, item, value.where, ref.why)
            else:
                talk.add_paper(ref)
    for kind in ("slides", "video", "code"):
        for value in by_key[kind]:
            for item in _items(value.value, urls=True):
                _resource(talk, kind, item, value, entry, setting)
    for value in by_key["links"]:
        _links(talk, value, entry, setting)
    read_body(talk, entry, by_key["body"], setting.report, setting.pages)
    return talk


def _when(talk: Talk, by_key: dict[str, list[Value]], entry: Entry, setting: Setting) -> None:
    report, clock = setting.report, None
    for value in by_key["date"][:1]:
        when = read_when(value.value, setting.tz)
        if isinstance(when, Unreadable):
            why = f"{when.why}; the talk is left out until its date is fixed"
            report.cannot_use(value.key, value.value, value.where, why)
            continue
        talk.day, clock = when.day, when.clock
        talk.wheres["date"] = value.where
        if when.converted:
            report.note(
                value.where,
                f"'{value.value}' is written with the offset {when.converted}; the session "
                f"is at {when.clock.start if when.clock else ''} in {setting.tz.key}",
            )
    for value in by_key["date"][1:]:
        report.cannot_use(value.key, value.value, value.where, "a second date; the first is used")
    if talk.day is None and entry.file_day is not None and not by_key["date"]:
        talk.day = entry.file_day
    if talk.day is None:
        if not by_key["date"]:
            report.cannot_use("date", None, entry.where, "this talk has no date; it is left out")
        return
    for value in by_key["time"][:1]:
        read = read_clock(value.value)
        if isinstance(read, Unreadable):
            report.cannot_use(value.key, value.value, value.where, read.why)
        elif read == TBA:
            talk.time_tba, clock = True, None
        else:
            assert isinstance(read, Clock)
            clock = read
    if clock is not None and clock.zone:
        report.note(
            talk.wheres.get("date", entry.where),
            f"the time zone '{clock.zone}' is left out: the session is at {clock.start} in "
            f"{setting.tz.key}, the zone of content/site.yaml; correct it if that is wrong",
        )
    if clock is not None:
        talk.start = clock.start
        talk.duration = clock.minutes()
    for value in by_key["end"][:1]:
        end = read_clock(value.value)
        if end == TBA:
            continue
        if not isinstance(end, Clock):  # an end written as a date and time (Hugo's date_end)
            when = read_when(value.value, setting.tz)
            if isinstance(when, When) and when.clock is not None:
                end = when.clock
        if isinstance(end, Clock) and talk.start:
            talk.duration = Clock(talk.start, end.start).minutes()
        else:
            why = end.why if isinstance(end, Unreadable) else "gives an end but no start time"
            report.cannot_use(value.key, value.value, value.where, why)
    for value in by_key["duration"][:1]:
        minutes = read_minutes(value.value)
        if isinstance(minutes, Unreadable):
            report.cannot_use(value.key, value.value, value.where, minutes.why)
        else:
            talk.duration = minutes


def _texts(talk: Talk, by_key: dict[str, list[Value]], setting: Setting) -> None:
    report = setting.report
    title = _first(by_key["title"])
    talk.title = " ".join(_TAG.sub("", title).split()) if title else ""
    if talk.title and tba(talk.title.replace("Speaker", "").replace("Title", "").strip(" :-")):
        talk.status, talk.title = "tba", ""
    elif _BREAK_TITLE.match(talk.title):
        talk.status = "break"
    for value in by_key["status"][:1]:
        word = " ".join(str(value.value).lower().split())
        if word in STATUS_WORDS:
            talk.status = STATUS_WORDS[word] or talk.status
        else:
            report.cannot_use(
                value.key,
                value.value,
                value.where,
                "is not a status rgsite knows: tba (an open slot), break (no meeting) or cancelled",
            )
    if not talk.title and not talk.status:  # a dated row with no title yet: an open slot
        talk.status = "tba"
    for value in by_key["kind"][:1]:
        _kind(talk, value, setting)
    abstracts = [(v, _markdown(v, report)) for v in by_key["abstract"]]
    abstracts = [(v, text) for v, text in abstracts if text]
    abstracts.sort(key=lambda pair: -len(pair[1]))
    if abstracts:
        talk.abstract = abstracts[0][1]
    for value, text in abstracts[1:]:
        if not talk.tldr and "\n" not in text and len(text) <= TLDR_LENGTH:
            talk.tldr = text
        else:
            report.cannot_use(
                value.key, text, value.where, f"a second abstract; '{abstracts[0][0].key}' is used"
            )
    talk.tldr = talk.tldr or " ".join((_first(by_key["tldr"]) or "").split())
    talk.series = _first(by_key["series"]) or ""
    location = _first(by_key["location"]) or ""
    talk.location = "" if location.lower() == setting.location.lower() else location
    for key in ("register", "join_url"):
        for value in by_key[key][:1]:
            url = str(value.value).strip()
            problem = url_problem(url)
            if problem:
                report.cannot_use(value.key, value.value, value.where, problem)
            else:
                setattr(talk, key, url)
    for value in by_key["topics"]:
        for topic in _items(value.value):
            if topic not in talk.topics:
                talk.topics.append(topic)
    for value in by_key["aliases"]:
        for alias in _items(value.value, urls=True):
            _alias(talk, alias, value, report)
    for value in by_key["draft"][:1]:
        talk.draft = value.value is True or str(value.value).lower() in ("true", "yes")
    for value in by_key["published"][:1]:
        talk.draft = talk.draft or value.value is False or str(value.value).lower() == "false"


def _people(talk: Talk, by_key: dict[str, list[Value]], setting: Setting) -> None:
    found = []
    for value in by_key["speakers"]:
        found += [
            (who, value.key) for who in named(value.value, value.where, setting.report, value.key)
        ]
    affiliation = _first(by_key["affiliation"]) or ""
    if affiliation and len(found) > 1:
        value = by_key["affiliation"][0]
        setting.report.cannot_use(
            value.key,
            affiliation,
            value.where,
            "is one affiliation for several speakers; write each after the name, "
            "'Ada Lovelace (Cambridge) and Alan Turing (Manchester)'",
        )
        affiliation = ""
    for who, key in found:
        ident = setting.roster.resolve(who, key, affiliation)
        if ident and ident not in talk.speakers:
            talk.speakers.append(ident)
    if talk.status == "break":
        talk.speakers = []


def _kind(talk: Talk, value: Value, setting: Setting) -> None:
    text = " ".join(str(value.value).split())
    mapped = setting.mapping.kind(text)
    by_name = {name.lower(): ident for ident, name in setting.kinds.items()}
    ident = mapped or (slugify(text) if slugify(text) in setting.kinds else None)
    ident = ident or by_name.get(text.lower())
    if ident and ident in setting.kinds:
        talk.kind = ident
        return
    if STATUS_WORDS.get(text.lower()) == "break":
        talk.status = "break"
        return
    if not setting.kinds:
        why = (
            f"is a kind of event, but content/site.yaml defines none; define them there, "
            f"e.g. kinds: {{{slugify(text)}: {{name: {text}}}}}, before importing (or write "
            "kind: in the session afterwards)"
        )
    else:
        why = (
            f"is not a kind in content/site.yaml ({', '.join(setting.kinds)}); map it with "
            f"--map (kinds: {{{text}: {next(iter(setting.kinds))}}}) or add it to kinds:"
        )
    setting.report.cannot_use(value.key, text, value.where, why)


def _alias(talk: Talk, alias: str, value: Value, report: Report) -> None:
    """An old address: a full one keeps its path (the site has moved host), and a
    relative one is read from the site's root, as Jekyll and Hugo read them."""
    path = alias
    if "://" in alias:
        path = "/" + alias.split("://", 1)[1].partition("/")[2]
    elif not alias.startswith("/"):
        path = "/" + alias
    _, problem = alias_url(path)
    if problem is not None:
        report.cannot_use(value.key, alias, value.where, problem)
    elif path not in talk.aliases:
        talk.aliases.append(path)


def _resource(
    talk: Talk,
    kind: str,
    item: str,
    value: Value,
    entry: Entry,
    setting: Setting,
    title: str = "",
) -> None:
    title = title or TITLES.get(kind, "Link")
    if "://" in item:
        problem = url_problem(item)
        if problem:
            setting.report.cannot_use(value.key, item, value.where, problem)
        else:
            talk.add_resource(Resource(title, kind, item))
        return
    found = entry.find(item)
    if found is None:
        setting.report.cannot_use(
            value.key,
            item,
            value.where,
            "is neither an address (https://...) nor a file of the old site",
        )
        return
    talk.add_resource(Resource(title, kind, talk.attach(found)))


def _links(talk: Talk, value: Value, entry: Entry, setting: Setting) -> None:
    items = value.value if isinstance(value.value, list) else [value.value]
    for item in items:
        if not isinstance(item, dict):
            setting.report.cannot_use(value.key, item, value.where, "is not {name: ..., url: ...}")
            continue
        lower = {str(k).lower(): v for k, v in item.items()}
        url = next((str(lower[k]).strip() for k in ("url", "link", "href") if lower.get(k)), "")
        name = next((str(lower[k]).strip() for k in ("name", "title", "label") if lower.get(k)), "")
        if not url:
            setting.report.cannot_use(value.key, item, value.where, "has no url")
            continue
        kind = kind_of(url, name) or "link"
        ref = paper_ref(url)
        if kind == "paper" and not isinstance(ref, Unreadable):
            talk.add_paper(ref)
            continue
        _resource(talk, kind, url, value, entry, setting, title=name)


def _markdown(value: Value, report: Report) -> str:
    text = str(value.value).strip() if not isinstance(value.value, list | dict) else ""
    if not text:
        report.cannot_use(value.key, value.value, value.where, "is not text")
        return ""
    if looks_like_html(text):
        converted = to_markdown(text)
        for tag in converted.dropped:
            report.cannot_use(value.key, tag, value.where, "HTML left out of the abstract")
        text = converted.markdown
    return "\n".join(line.replace("\t", "    ").rstrip() for line in text.split("\n"))


def _first(values: list[Value]) -> str | None:
    for value in values:
        if isinstance(value.value, str | int | float) and not isinstance(value.value, bool):
            text = str(value.value).strip()
            if text:
                return text
    return None


def _items(value: object, *, urls: bool = False) -> list[str]:
    """A field's items: a list's, or a text split at commas (or, for addresses, spaces)."""
    if isinstance(value, list):
        items = []
        for item in value:
            if isinstance(item, dict) and urls:
                lower = {str(k).lower(): v for k, v in item.items()}
                item = next((lower[k] for k in ("url", "link", "href") if lower.get(k)), None)
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                items += [str(item).strip()] if str(item).strip() else []
        return items
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return []
    text = str(value).strip()
    if urls:
        return [part for part in re.split(r"[\s,;]+", text) if part]
    return [part for part in _SPLIT.split(text) if part]
