"""A session file to a :class:`~rgsite.model.Session`: its time, bundle and resources.

Times are wall-clock times in the group's zone. A time that does not exist there (the
hour skipped when clocks go forward) is an error; an ambiguous one takes the first.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rgsite.errors import Location
from rgsite.model import RESOURCE_KINDS, Kind, Resource, Session
from rgsite.papers.addresses import check_address
from rgsite.papers.ids import check_paper_ref
from rgsite.read.aliases import read_aliases
from rgsite.read.decode import Record
from rgsite.read.discover import session_slug
from rgsite.read.fields import Fields, url_problem
from rgsite.read.loaded import Context, Loading, body_fields
from rgsite.read.session_state import check_break, check_kind, state_of, time_known, title_of
from rgsite.read.site_yaml.config import check_time

SESSION_KEYS = (
    "title",
    "date",
    "duration",
    "speakers",
    "hosts",
    "topics",
    "series",
    "papers",
    "resources",
    "proposal",
    "status",
    "draft",
    "tldr",
    "location",
    "join_url",
    "aliases",
    "abstract",
    "kind",
    "register",
    "time",
    "date_approximate",
)
RESOURCE_KEYS = ("title", "url", "kind")
WEEK = 7 * 24 * 60
"""The longest session, in minutes."""
YEARS = (1000, 9000)
"""Years a session may fall in; beyond them dates overflow, and they are typos."""
_WHEN = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2})(?::00)?)?$")


def load_session(record: Record, context: Context, attachments: list[str]) -> Loading:
    """A session file: its time, speakers, papers, resources and recap."""
    slug = session_slug(record.path)
    loading = Loading(record.path, defines=(Kind.SESSION, slug))
    problems = loading.problems
    fields = Fields(record, problems, what="the session's front matter")
    fields.check_keys(SESSION_KEYS)
    config = context.config
    approximate = fields.boolean("date_approximate")
    # A day that is itself a guess has no hour to vouch for: it is shown as the day alone.
    known = time_known(fields) and not approximate
    start = _start(
        fields, slug, config.meeting.time, config.tz, known=known, approximate=approximate
    )
    duration = fields.integer("duration", config.meeting.duration, minimum=1, maximum=WEEK)
    if approximate and fields.has("duration"):
        fields.warning(
            "duration",
            "'duration' is not used while 'date_approximate: true' says the day is a guess; "
            "remove it, or remove 'date_approximate' once the date is certain",
        )
    elif not known and fields.has("duration"):
        fields.warning(
            "duration",
            "'duration' is not used while the time is to be announced (time: tba); "
            "it counts again once 'date' has a time",
        )
    for kind, key in (
        (Kind.SPEAKER, "speakers"),
        (Kind.SPEAKER, "hosts"),
        (Kind.PROPOSAL, "proposal"),
    ):
        for target, line in fields.text_list(key):
            loading.refer(kind, target, Location(record.path, line), key)
    if len(fields.text_list("proposal")) > 1:
        fields.error(
            "proposal",
            "'proposal' names the one proposal this session came from, not a list; keep one",
        )
    papers = []
    for ref, line in fields.text_list("papers"):
        bad = check_paper_ref(ref) or check_address(ref)
        if bad:
            problems.error(Location(record.path, line), bad)
            continue
        papers.append(ref)
        loading.refer(Kind.PAPER, ref, Location(record.path, line), "papers")
    state = state_of(fields)
    check_break(fields, state)
    body = loading.render(context, (Kind.SESSION, slug), record.body, record.body_line)
    proposal = fields.text_list("proposal")
    series = fields.text("series") or None
    abstract = fields.text("abstract")
    written = (
        loading.render_value(context, (Kind.ABSTRACT, slug), abstract, record, "abstract")
        if abstract
        else None
    )
    loading.model = Session(
        slug=slug,
        title=title_of(fields, state, slug),
        start=start,
        end=start + timedelta(minutes=duration or 60) if known else _next_day(start),
        speakers=tuple(s for s, _ in fields.text_list("speakers")),
        hosts=tuple(h for h, _ in fields.text_list("hosts")),
        topics=tuple(t for t, _ in fields.text_list("topics")),
        series=series,
        papers=tuple(papers),
        resources=_resources(fields, slug, attachments, config.base_path),
        proposal=proposal[0][0] if proposal else None,
        state=state,
        draft=fields.boolean("draft"),
        tldr=fields.text("tldr"),
        location=fields.text("location") or None,
        join_url=fields.url("join_url"),
        time_known=known,
        date_approximate=approximate,
        abstract_html=written.html if written else "",
        abstract_summary=written.summary if written else "",
        kind=check_kind(fields, config),
        register=fields.url("register"),
        **body_fields(Kind.SESSION, body),
        attachments=tuple(attachments),
        aliases=read_aliases(fields),
        source=Location(record.path, 1),
    )
    return loading


def _start(
    fields: Fields,
    slug: str,
    default_time: str,
    tz: ZoneInfo,
    *,
    known: bool = True,
    approximate: bool = False,
) -> datetime:
    """The session's start; without a ``known`` time, the first moment of its day."""
    from_name = date.fromisoformat(slug[:10]) if _valid_day(slug[:10]) else None
    raw = fields.text("date")
    day, clock = from_name, default_time if known else "00:00"
    if raw:
        match = _WHEN.match(raw)
        if not match:
            fields.error(
                "date", f"'date' is '{raw}'; write it as YYYY-MM-DD or \"YYYY-MM-DD HH:MM\""
            )
        else:
            if _valid_day(match[1]):
                day = date.fromisoformat(match[1])
            else:
                fields.error("date", f"'date' is '{raw}', which is not a real date")
            if match[2] and approximate:
                fields.error(
                    "date",
                    f"'date' gives the time {match[2]}, but 'date_approximate: true' says the "
                    "day itself is a guess, so no hour can be vouched for; write the date "
                    "alone, or remove 'date_approximate' if the date and time are known",
                )
            elif match[2] and not known:
                fields.error(
                    "date",
                    f"'date' gives the time {match[2]}, but 'time: tba' says it is not known; "
                    "keep the time and remove 'time: tba', or write the date alone",
                )
            elif match[2]:
                clock = check_time(fields, "date", match[2], default_time)
            if from_name and day and day != from_name:
                fields.warning(
                    "date",
                    f"the file name says {from_name} but 'date' says {day}; rename the file "
                    "to match",
                )
    elif from_name is None:
        fields.error(None, "'date' is required when the file name does not start with a date")
    day = day or date(1970, 1, 1)
    if not YEARS[0] <= day.year <= YEARS[1]:
        fields.error(
            "date" if raw else None,
            f"the year {day.year} is out of range; a session's year is between {YEARS[0]} "
            f"and {YEARS[1]}",
        )
        day = date(1970, 1, 1)
    hours, minutes = (int(part) for part in clock.split(":"))
    local = datetime.combine(day, time(hours, minutes), tzinfo=tz)
    if not known:
        return _first_moment(local)
    if _skipped(local):
        fields.error(
            "date",
            f"{day} {clock} does not exist in {tz.key}: the clocks go forward then; "
            "pick a time outside the skipped hour",
        )
    return local


def _first_moment(midnight: datetime) -> datetime:
    """The day's first moment: midnight, or the hour the clocks show if they skip it."""
    return midnight.astimezone(ZoneInfo("UTC")).astimezone(midnight.tzinfo)


def _next_day(start: datetime) -> datetime:
    """Where a day of unknown hours ends: the next day's first moment."""
    day = start.date() + timedelta(days=1)
    return _first_moment(datetime.combine(day, time(0, 0), tzinfo=start.tzinfo))


def _valid_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.match(r"^\d{4}-\d{2}-\d{2}$", text))


def _skipped(local: datetime) -> bool:
    """True for a wall-clock time that the zone skips (a daylight-saving gap)."""
    utc = local.astimezone(ZoneInfo("UTC"))
    back = utc.astimezone(local.tzinfo)
    return back.replace(tzinfo=None) != local.replace(tzinfo=None)


def _resources(
    fields: Fields, slug: str, attachments: list[str], base_path: str
) -> tuple[Resource, ...]:
    names = {path.split("/", 3)[3]: path for path in attachments}
    resources = []
    for item in fields.mappings("resources"):
        item.check_keys(RESOURCE_KEYS)
        title = item.text("title", required=True)
        kind = item.choice("kind", RESOURCE_KINDS, "link")
        url = item.text("url") or None
        if url is not None:
            problem = url_problem(url, relative_ok=True)
            if problem:
                item.error("url", f"'url' {problem}")
                url = None
            elif "://" not in url and not url.startswith("mailto:"):
                name = url.removeprefix("./")
                if name not in names:
                    hint = (
                        f"put the file in content/sessions/{slug}/ beside index.md"
                        if not attachments
                        else "check the file name; the bundle has: " + ", ".join(sorted(names))
                    )
                    item.error("url", f"'{url}' is not a file in this session's folder; {hint}")
                    url = None
                else:
                    url = f"{base_path}sessions/{slug}/{name}"
        resources.append(Resource(title=title or "Resource", kind=kind, url=url))
    return tuple(resources)
