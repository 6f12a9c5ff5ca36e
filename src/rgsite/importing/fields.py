"""Which of a source's keys means which of rgsite's: common names, and ``--map``.

Keys are compared case-insensitively and with punctuation ignored, so ``Speaker``,
``speaker_name`` and ``Speaker Name`` are one key. A ``--map`` file names the rest::

    fields: {their_key: our_key}          # our_key 'ignore' drops a key without a word
    kinds: {their_value: our_kind}        # a kind id of kinds: in site.yaml
    speakers: {their_name_or_id: our_id}  # an id of speakers.yaml, or a new one

A bad map is a located error, with did-you-mean for our keys.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from rgsite.errors import Location, Problem, Problems, SiteError, did_you_mean
from rgsite.read.decode import ParseError, decode, load_yaml
from rgsite.read.fields import Fields, slugify, valid_id

OUR_KEYS = (
    "title",
    "date",
    "time",
    "end",
    "duration",
    "speakers",
    "affiliation",
    "abstract",
    "tldr",
    "body",
    "papers",
    "slides",
    "video",
    "code",
    "links",
    "location",
    "register",
    "join_url",
    "topics",
    "series",
    "kind",
    "status",
    "aliases",
    "draft",
    "published",
    "ignore",
)
"""What a source's key can be mapped to; ``ignore`` drops it."""

_COMMON: dict[str, tuple[str, ...]] = {
    "title": ("title", "talk_title", "talk", "session_title", "name_of_talk"),
    "date": ("date", "day", "when", "session_date", "talk_date", "start", "start_date"),
    "time": ("time", "start_time", "hour", "times", "time_slot"),
    "end": ("end", "end_time", "date_end", "end_date", "ends"),
    "duration": ("duration", "length", "minutes"),
    "speakers": (
        "speaker",
        "speakers",
        "presenter",
        "presenters",
        "speaker_name",
        "speaker_names",
        "presented_by",
        "speaker_id",
        "speaker_ids",
    ),
    "affiliation": (
        "affiliation",
        "speaker_affiliation",
        "institution",
        "institute",
        "organization",
        "organisation",
        "university",
    ),
    "abstract": ("abstract", "description", "summary", "excerpt"),
    "tldr": ("tldr", "tl_dr", "teaser"),
    "body": ("body", "content", "recap", "notes_after"),
    "papers": (
        "paper",
        "papers",
        "paper_url",
        "paper_link",
        "paper_urls",
        "arxiv",
        "doi",
        "reading",
        "readings",
        "url_pdf",
    ),
    "slides": ("slides", "slide", "slides_url", "slides_link", "url_slides", "deck"),
    "video": (
        "video",
        "videos",
        "recording",
        "recordings",
        "video_url",
        "recording_url",
        "url_video",
        "youtube",
    ),
    "code": ("code", "url_code", "code_url", "repo", "repository"),
    "location": ("location", "room", "venue", "place", "where", "address"),
    "register": (
        "register",
        "registration",
        "rsvp",
        "signup",
        "sign_up",
        "registration_url",
        "registration_link",
        "rsvp_url",
    ),
    "join_url": ("join_url", "zoom", "zoom_link", "zoom_url", "meeting_link", "join_link"),
    "topics": ("tags", "tag", "categories", "category", "topics", "keywords"),
    "series": ("series",),
    "kind": ("type", "kind", "format", "event_type", "session_type"),
    "status": ("status",),
    "aliases": ("permalink", "redirect_from", "legacy_urls", "aliases", "old_urls"),
    "draft": ("draft",),
    "published": ("published",),
}
COMMON: dict[str, str] = {name: ours for ours, names in _COMMON.items() for name in names}

BY_FORMAT: dict[str, dict[str, str]] = {
    # Hugo's own front matter: a page's 'url' is its address, 'authors' are a talk's
    # speakers in the Academic (Wowchemy) theme that many research groups use.
    "hugo": {"url": "aliases", "authors": "speakers", "links": "links", "event_url": "ignore"},
    "jekyll": {"links": "links"},
}

LEFT_OUT = frozenset(
    {
        "layout",
        "comments",
        "share",
        "sitemap",
        "excerpt_separator",
        "weight",
        "menu",
        "toc",
        "toc_label",
        "math",
        "mathjax",
        "katex",
        "image",
        "header",
        "featured",
        "featured_image",
        "thumbnail",
        "last_modified_at",
        "lastmod",
        "publishdate",
        "expirydate",
        "slug",
        "id",
        "author_profile",
        "read_time",
        "classes",
        "sidebar",
        "show_date",
        "projects",
        "all_day",
        "timestamp",
    }
)
"""Keys that steer how the old site was built; they mean nothing in an archive."""


def normal(key: str) -> str:
    """``Speaker Name (first, last)`` → ``speaker_name``."""
    key = re.sub(r"\(.*?\)", "", key.strip().lower())
    return re.sub(r"[^a-z0-9]+", "_", key).strip("_")


@dataclass(frozen=True, slots=True)
class Mapping:
    """What ``--map`` says, keys already in their :func:`normal` form."""

    fields: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    speakers: dict[str, str] = field(default_factory=dict)
    where: dict[tuple[str, str], Location] = field(default_factory=dict)
    """Where each kind and speaker entry is written, to report an unknown id there."""

    def our_key(self, key: str, fmt: str) -> str | None:
        """Our key for a source's key; ``left-out`` for old machinery; None if unknown."""
        name = normal(key)
        if name in self.fields:
            return self.fields[name]
        extra = BY_FORMAT.get(fmt, {})
        if name in extra:
            return extra[name]
        if name in COMMON:
            return COMMON[name]
        if name in LEFT_OUT:
            return "left-out"
        return None

    def kind(self, value: str) -> str | None:
        return self.kinds.get(value.strip().lower())

    def speaker(self, value: str) -> str | None:
        return self.speakers.get(value.strip().lower())


def hint(key: str) -> str:
    """What to do with a key nobody knows."""
    close = difflib.get_close_matches(normal(key), [*COMMON, *OUR_KEYS], n=1, cutoff=0.6)
    ours = (COMMON.get(close[0], close[0]) if close else "") or "ignore"
    shown = key if re.match(r"^[A-Za-z_][\w-]*$", key) else f'"{key}"'
    return (
        f"not a field rgsite knows; name it in a --map file, e.g. fields: {{{shown}: {ours}}} "
        "('rgsite import --help' lists the fields)"
    )


def load_mapping(path: Path, shown: str) -> Mapping:
    """Read a ``--map`` file; every problem in it is a located error."""
    problems = Problems()
    try:
        record = load_yaml(shown, decode(shown, path.read_bytes()))
    except OSError as exc:
        raise SiteError([_problem(shown, f"cannot read the map: {exc.strerror}")]) from None
    except ParseError as exc:
        raise SiteError([exc.problem]) from None
    if record.data is None:
        return Mapping()
    if not isinstance(record.data, dict):
        raise SiteError(
            [_problem(shown, "the map must be a mapping with fields:, kinds: and speakers:")]
        )
    top = Fields(record, problems, what="the map")
    top.check_keys(("fields", "kinds", "speakers"))
    result = Mapping()
    for section in ("fields", "kinds", "speakers"):
        found = top.mapping(section)
        if found is None:
            continue
        for their, ours in found.data.items():
            at = Location(record.path, record.line(section, their))
            if not isinstance(ours, str) or not ours.strip():
                problems.error(at, f"'{their}' must be mapped to a name, e.g. {their}: title")
                continue
            ours = ours.strip()
            if section == "fields":
                if ours not in OUR_KEYS:
                    problems.error(
                        at,
                        f"'{ours}' is not a field rgsite imports{did_you_mean(ours, OUR_KEYS)}; "
                        "use one of " + ", ".join(OUR_KEYS),
                    )
                    continue
                result.fields[normal(str(their))] = ours
            else:
                if not valid_id(ours):
                    problems.error(
                        at,
                        f"'{ours}' is not an id; ids are lowercase letters, digits and "
                        f"hyphens, e.g. '{slugify(ours)}'",
                    )
                    continue
                table = result.kinds if section == "kinds" else result.speakers
                table[str(their).strip().lower()] = ours
                result.where[(section, ours)] = at
    problems.raise_if_errors()
    return result


def _problem(shown: str, message: str) -> Problem:
    return Problem(Location(shown, 1), message)
