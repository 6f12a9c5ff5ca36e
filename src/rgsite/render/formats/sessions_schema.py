"""The JSON Schema (2020-12) of ``sessions.json``, published as ``sessions.schema.json``.

It is the documentation of the data: every field says what it holds. Its ``$id`` is
its own address under the site's base URL, so a validator can name it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rgsite.render.formats.sessions_json import SCHEMA, VERSION

if TYPE_CHECKING:
    from rgsite.render.views import View

_URL = {"type": "string", "format": "uri-reference"}
_MAYBE_URL = {"type": ["string", "null"], "format": "uri-reference"}


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _maybe_text(description: str) -> dict[str, Any]:
    return {"type": ["string", "null"], "description": description}


def _object(description: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
    }


def _named(description: str, url: str) -> dict[str, Any]:
    return _object(
        description, {"name": _text("As written."), "url": {**_MAYBE_URL, "description": url}}
    )


_SPEAKER = _object(
    "A speaker, as speakers.yaml has them.",
    {
        "id": _text("The key in speakers.yaml."),
        "name": _text("The name to show."),
        "affiliation": _maybe_text("Their institution, or null when none is given."),
        "url": {**_URL, "description": "Their page on the site."},
    },
)
_PAPER = _object(
    "A paper the session discusses.",
    {
        "id": _text("The paper's id (a reading-list id, arxiv:…, doi:… or an address)."),
        "title": _text("Its title, or its identifier while its title is not known."),
        "url": {**_MAYBE_URL, "description": "Where to read it (arXiv, DOI or its url), or null."},
        "page": {**_URL, "description": "Its entry on the site's papers page."},
    },
)
_RESOURCE = _object(
    "Slides, a recording, notes, code: what the session lists under resources.",
    {
        "title": _text("As written."),
        "kind": _text("paper, notes, post, video, slides, code, dataset or link."),
        "url": {**_MAYBE_URL, "description": "Its address, or null when none is given."},
    },
)
_MOMENT = {
    "type": "string",
    "anyOf": [{"format": "date-time"}, {"format": "date"}],
}
_SESSION = _object(
    "One session, a break or an open slot.",
    {
        "id": _text("The session's slug: its file name, which stays when its title changes."),
        "title": _text("Its title; for a break, why there is no meeting."),
        "start": {
            **_MOMENT,
            "description": "When it starts, ISO 8601 with the group's UTC offset; "
            "the day alone (YYYY-MM-DD) when time_known is false.",
        },
        "end": {
            **_MOMENT,
            "description": "When it ends, as start; the same day as start when "
            "time_known is false.",
        },
        "time_known": {
            "type": "boolean",
            "description": "False while the time is to be announced (time: tba).",
        },
        "date_approximate": {
            "type": "boolean",
            "description": "True when the day was inferred, not recorded "
            "(date_approximate: true); start is then the day alone and time_known false.",
        },
        "status": {
            "enum": ["upcoming", "past", "cancelled", "tba", "break"],
            "description": "upcoming or past (as of the build); cancelled; tba, an open "
            "slot whose speaker or title is not known yet; break, no meeting.",
        },
        "draft": {
            "type": "boolean",
            "description": "True only for a draft in a build made with --drafts.",
        },
        "kind": {
            "description": "The kind of event (kinds: in site.yaml), or null.",
            "oneOf": [
                {"type": "null"},
                _object(
                    "An event kind.",
                    {"id": _text("Its id in site.yaml."), "name": _text("Its name.")},
                ),
            ],
        },
        "speakers": {"type": "array", "description": "In the order given.", "items": _SPEAKER},
        "topics": {
            "type": "array",
            "description": "Its topics.",
            "items": _named("A topic.", "The topic's page; null when only a break names it."),
        },
        "series": {
            "description": "The series it belongs to, or null.",
            "oneOf": [
                {"type": "null"},
                _named("A series.", "The series' page; null when only a break names it."),
            ],
        },
        "papers": {"type": "array", "description": "Papers it discusses.", "items": _PAPER},
        "resources": {
            "type": "array",
            "description": "Slides, recordings and other material, as listed.",
            "items": _RESOURCE,
        },
        "location": _maybe_text("Where it meets (its own or the group's usual place)."),
        "join_url": {
            **_MAYBE_URL,
            "description": "The address to join online, while it is still to come; else null.",
        },
        "register_url": {
            **_MAYBE_URL,
            "description": "Where to register, while it is still to come; else null.",
        },
        "url": {
            **_MAYBE_URL,
            "description": "Its page (absolute when the site's base_url is); null for a break.",
        },
        "description": _maybe_text(
            "Plain text: its TL;DR, else the opening of its recap, else of its abstract."
        ),
        "abstract": _maybe_text("Plain text of the abstract written before the talk, or null."),
    },
)


def schema(view: View) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": view.absolute(SCHEMA),
        "title": f"The sessions of {view.site.config.title}",
        "description": "Every published session, oldest first. Fields may be added "
        "within a version; a field that changes meaning or goes away bumps it.",
        "type": "object",
        "properties": {
            "$schema": {**_URL, "description": "The address of this schema."},
            "version": {"const": VERSION, "description": "The format's version."},
            "site": _object(
                "The group.",
                {
                    "title": _text("The site's title."),
                    "url": {**_URL, "description": "The site's home page."},
                    "timezone": _text("The group's IANA time zone; times carry its offset."),
                    "language": _text("The site's language tag (en, de, pt-BR)."),
                    "hour12": {
                        "type": "boolean",
                        "description": "Whether the site writes times in the 12-hour clock.",
                    },
                    "labels": {
                        "type": "object",
                        "description": "What the embed says around the sessions, in the "
                        "site's language; %(group)s and %(day)s are filled in by the embed.",
                        "additionalProperties": {"type": "string"},
                    },
                },
            ),
            "sessions": {"type": "array", "description": "Oldest first.", "items": _SESSION},
        },
        "required": ["version", "site", "sessions"],
    }


def schema_json(view: View) -> bytes:
    return (json.dumps(schema(view), ensure_ascii=False, indent=1) + "\n").encode()
