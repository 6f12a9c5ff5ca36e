"""schema.org ``Event`` data for a session page, as a plain dict.

Templates serialise it with Jinja's ``tojson``, which escapes ``<``, ``>``, ``&`` and
``'`` as ``\\u`` sequences: the result is still valid JSON, and a title containing
``</script>`` cannot end the ``<script type="application/ld+json">`` element early.
This module builds data only; it never writes markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rgsite.model import Kind
from rgsite.routes import url_of

if TYPE_CHECKING:
    from rgsite.model import Session
    from rgsite.render.views import View

SCHEMA = "https://schema.org/"
_ONLINE = frozenset({"online", "virtual", "remote", "zoom", "video call", "internet"})


def event_data(view: View, session: Session) -> dict[str, Any]:
    """An ``Event`` with name, dates (with offsets), location, performers, URL and status.

    An open slot is ``EventScheduled``: the meeting takes place, only its speaker is not
    known yet. A session whose time is not known gives its start as a date alone."""
    page = view.absolute(url_of(Kind.SESSION, session.slug))
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": session.title,
        "startDate": view.start_iso(session),
    }
    if session.time_known:  # a day whose hours are not known has no end to give
        data["endDate"] = view.local(session.end).isoformat()
    data["eventStatus"] = SCHEMA + ("EventCancelled" if session.cancelled else "EventScheduled")
    data["url"] = page
    if session.description:
        data["description"] = session.description
    locations, online, offline = _locations(view, session, page)
    data["eventAttendanceMode"] = SCHEMA + (
        "MixedEventAttendanceMode"
        if online and offline
        else "OfflineEventAttendanceMode"
        if offline
        else "OnlineEventAttendanceMode"
    )
    data["location"] = locations[0] if len(locations) == 1 else locations
    performers = [
        {
            "@type": "Person",
            "name": speaker.name,
            "url": view.absolute(url_of(Kind.SPEAKER, speaker.id)),
            **(
                {"affiliation": {"@type": "Organization", "name": speaker.affiliation}}
                if speaker.affiliation
                else {}
            ),
        }
        for speaker in view.speakers_of(session.speakers)
    ]
    if performers:
        data["performer"] = performers
    data["organizer"] = {
        "@type": "Organization",
        "name": view.site.config.title,
        "url": view.absolute(),
    }
    if session.topics:
        data["keywords"] = ", ".join(session.topics)
    return data


def _locations(view: View, session: Session, page: str) -> tuple[list[dict[str, Any]], bool, bool]:
    """The session's places: a ``VirtualLocation`` for a join link or an online meeting,
    a ``Place`` for a named room. Returns them and whether each kind is present."""
    where = view.location(session)
    join = view.join_url(session)
    places: list[dict[str, Any]] = []
    is_online_name = where is not None and where.strip().lower() in _ONLINE
    if join or is_online_name or not where:
        virtual: dict[str, Any] = {"@type": "VirtualLocation", "url": join or page}
        if where and is_online_name:
            virtual["name"] = where
        places.append(virtual)
    if where and not is_online_name:
        places.append({"@type": "Place", "name": where, "address": where})
    online = any(p["@type"] == "VirtualLocation" for p in places)
    offline = any(p["@type"] == "Place" for p in places)
    return places, online, offline
