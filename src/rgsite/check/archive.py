"""``rgsite check --archive``: what a complete archive would have and this one lacks.

None of it stops a build — an archive is finished a little at a time, often long after
the talk — so each is a warning at the file and line to edit (an error with
``--strict``, for a group that wants its CI to insist):

* a past session with no recap, or with no slides or recording among its resources
  with an address (a cancelled session needs neither);
* a session whose day is only approximate (``date_approximate: true``);
* an open slot (``status: tba``) whose day has passed;
* a speaker named on a session who has no affiliation;
* two speakers who look like one person: the same name once case, accents and spaces
  are set aside, under two ids.

This module reads the linked :class:`~rgsite.model.Site` only; it renders nothing.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from rgsite.errors import Problem

if TYPE_CHECKING:
    from rgsite.errors import Severity
    from rgsite.model import Session, Site, Speaker

RECORDED = frozenset({"slides", "video"})
"""Resource kinds that keep a talk: its slides or its recording."""


def archive_problems(site: Site, *, strict: bool = False) -> list[Problem]:
    severity: Severity = "error" if strict else "warning"
    found = [
        Problem(session.source, message, severity)
        for session in site.sessions.values()
        for message in _session_gaps(site, session)
    ]
    found += [
        Problem(speaker.source, message, severity) for speaker, message in _speaker_gaps(site)
    ]
    return found


def _session_gaps(site: Site, session: Session) -> list[str]:
    status = site.status(session)
    if status == "tba" and session.end <= site.now:
        return [
            "this open slot's day has passed and it is still 'status: tba'; give it its "
            "speaker and title and remove the status, or make it 'status: break' or "
            "'status: cancelled'"
        ]
    gaps = []
    if session.date_approximate:
        gaps.append(
            "this session's date is approximate; once the real day is found, write it in "
            "'date' and remove 'date_approximate'"
        )
    if status != "past":
        return gaps
    if not session.body_html.strip():
        gaps.append(
            "this past session has no recap; write what was discussed below the front matter"
        )
    # One listed without an address is not shown, so it keeps nothing for a reader.
    if not any(r.kind in RECORDED and r.url for r in session.resources):
        gaps.append(
            "this past session lists no slides or recording with an address; add them to "
            "'resources:' (e.g. '- {title: Slides, kind: slides, url: ...}' or 'kind: video')"
        )
    return gaps


def _speaker_gaps(site: Site) -> list[tuple[Speaker, str]]:
    gaps = [
        (speaker, f"speaker '{speaker.id}' has no affiliation; add 'affiliation:' to their entry")
        for ident, speaker in site.speakers.items()
        if not speaker.affiliation.strip() and site.by_speaker.get(ident)
    ]
    first: dict[str, Speaker] = {}
    for speaker in site.speakers.values():
        key = same_name(speaker.name)
        earlier = first.setdefault(key, speaker)
        if earlier is not speaker:
            gaps.append(
                (
                    speaker,
                    f"speaker '{speaker.id}' ({speaker.name}) has the name of "
                    f"'{earlier.id}' ({earlier.name}, {earlier.source}); if they are one "
                    "person, keep one id and name "
                    "it in the sessions that use the other",
                )
            )
    return gaps


def same_name(name: str) -> str:
    """A name as a person would read it: no accents, case or extra spaces."""
    letters = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in letters if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())
