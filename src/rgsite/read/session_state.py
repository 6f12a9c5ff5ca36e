"""What a session's front matter says about its place in the schedule.

``status`` (an open slot, a week off, a cancellation), ``time: tba`` (the day is known,
the hour is not) and ``kind`` (an id of ``kinds:`` in site.yaml), each checked where it
is written. :mod:`rgsite.read.session` builds the session from them.
"""

from __future__ import annotations

from rgsite.errors import did_you_mean
from rgsite.model import SESSION_STATES
from rgsite.read.fields import Fields
from rgsite.settings import SiteConfig

SPELLINGS = {"canceled": "cancelled", "scheduled": "scheduled"}
"""Other ways of writing a state that mean it."""
DEFAULT_TITLES = {"tba": "Open slot", "break": "No meeting"}
"""The title of an open slot or a break that does not give one."""
UNUSED_BY_BREAKS = (
    "speakers",
    "topics",
    "series",
    "papers",
    "resources",
    "proposal",
    "abstract",
    "kind",
    "register",
    "join_url",
)
"""What a break, having no meeting and no page, never shows."""


def state_of(fields: Fields) -> str:
    """The session's ``status``: ``scheduled`` unless it says otherwise."""
    written = fields.text("status")
    if not written:
        return "scheduled"
    state = SPELLINGS.get(written.lower(), written.lower())
    if state not in SESSION_STATES:
        fields.error(
            "status",
            f"'status' is '{written}'{did_you_mean(written.lower(), SESSION_STATES)}; write "
            "'tba' for an open slot, 'break' for a week with no meeting or 'cancelled' "
            "(upcoming and past follow from the date)",
        )
        return "scheduled"
    return state


def check_break(fields: Fields, state: str) -> None:
    """A break shows its date and title only: say so of anything else it gives."""
    if state != "break":
        return
    for key in UNUSED_BY_BREAKS:
        if fields.has(key):
            fields.warning(
                key,
                f"a break has no meeting and no page, so '{key}' is left out; remove it, "
                "or change 'status' if the session takes place",
            )


def title_of(fields: Fields, state: str, slug: str) -> str:
    """An open slot or a break may leave out its title; any other session needs one."""
    if state in DEFAULT_TITLES and not fields.has("title"):
        return DEFAULT_TITLES[state]
    return fields.text("title", slug, required=True)


def time_known(fields: Fields) -> bool:
    """False when ``time: tba`` says the hour is not known yet."""
    if not fields.has("time"):
        return True
    value = fields.data["time"]
    if isinstance(value, str) and value.strip().lower() == "tba":
        return False
    shown = f"'{value.strip()}'" if isinstance(value, str) else "not text"
    fields.error(
        "time",
        f"'time' is {shown}; write the hour in 'date' (date: 2024-10-09 16:00), or write "
        "'time: tba' with a bare date when it is not known yet",
    )
    return True


def check_kind(fields: Fields, config: SiteConfig) -> str | None:
    """The id of the session's ``kind``, if site.yaml defines it."""
    ident = fields.text("kind")
    if not ident:
        return None
    if not config.kinds:
        fields.warning(
            "kind",
            f"'kind' is '{ident}', but content/site.yaml defines no kinds, so it is not "
            f"shown; define them there, e.g. kinds: {{{ident}: {{name: {ident.title()}}}}}",
        )
        return None
    known = [k.id for k in config.kinds]
    if ident not in known:
        fields.error(
            "kind",
            f"unknown kind '{ident}'{did_you_mean(ident, known)}; kinds are defined under "
            "'kinds:' in content/site.yaml: " + ", ".join(known),
        )
        return None
    return ident
