"""The subjects a reader may follow apart from the whole site: each topic, speaker, kind
of session and series has a calendar and an Atom feed beside its page.

This module says which sessions each subject holds and which input keys its files read;
:mod:`rgsite.render.files` makes them with the site calendar's and feed's own code, so a
session is the same event (same UID) and the same entry in every file that carries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rgsite.model import Kind
from rgsite.routes import url_of

if TYPE_CHECKING:
    from rgsite.model import Session, Site


@dataclass(frozen=True, slots=True)
class Subject:
    kind: str
    ident: str
    name: str
    sessions: tuple[Session, ...]
    """Its sessions, oldest first, breaks left out: nobody meets."""
    named_by: str
    """The input key its name is read from."""

    @property
    def page(self) -> str:
        return url_of(self.kind, self.ident)

    def calendar_inputs(self) -> frozenset[str]:
        """What its events show: each session's listing and its speakers' and hosts' names."""
        keys = {self.named_by} | {f"listed:{s.slug}" for s in self.sessions}
        people = {i for s in self.sessions for i in s.speakers + s.hosts}
        return frozenset(keys | {f"speaker:{i}" for i in people})

    def feed_inputs(self, recaps: list[Session]) -> frozenset[str]:
        """Its listings (which sessions are recaps follows from them) and each recap whole."""
        return self.calendar_inputs() | {f"session:{s.slug}" for s in recaps}


def subjects(site: Site) -> list[Subject]:
    """Every topic, speaker, kind (when site.yaml has kinds) and series, in that order."""

    def held(sessions: list[Session]) -> tuple[Session, ...]:
        return tuple(s for s in sessions if not s.is_break)

    found = [
        Subject(Kind.TOPIC, t.slug, t.name, held(site.by_topic.get(t.slug, [])), "topics:*")
        for t in site.topics.values()
    ]
    found += [
        Subject(Kind.SPEAKER, p.id, p.name, held(site.by_speaker.get(p.id, [])), f"speaker:{p.id}")
        for p in site.speakers.values()
    ]
    found += [
        Subject(Kind.EVENT_KIND, k.id, k.name, held(site.by_kind.get(k.id, [])), "config")
        for k in site.config.kinds
    ]
    found += [
        Subject(Kind.SERIES, t.slug, t.name, held(site.by_series.get(t.slug, [])), "series:*")
        for t in site.series.values()
    ]
    return found
