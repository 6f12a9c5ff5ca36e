"""Which speaker of the site each named speaker is, adding those the site lacks.

In order: ``--map speakers:``; an id of ``speakers.yaml``; a key of a people file
among the sources; a name that ``speakers.yaml`` (or this import) already has, compared
without case, accents or titles; else a new speaker, its id made from the name. An
id-like value that nothing knows is reported, never made into a person called "jdoe".
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from rgsite.errors import Location
from rgsite.importing.entry import Person
from rgsite.importing.fields import Mapping
from rgsite.importing.report import Report
from rgsite.importing.values.people import Named
from rgsite.read.fields import slugify, valid_id


@dataclass(slots=True)
class NewSpeaker:
    id: str
    name: str
    where: Location
    affiliation: str = ""
    bio: str = ""
    links: tuple[tuple[str, str], ...] = ()
    position: str = ""
    role: str = ""


def speaker_id(name: str) -> str:
    """An id from a name: ``Ada Lovelace`` is ``ada-lovelace``; a name in a script with no
    Latin letters gets ``speaker-`` and a digest of it."""
    slug = slugify(name)
    if slug != "item" or "item" in name.lower():
        return slug
    return "speaker-" + hashlib.blake2b(name.encode(), digest_size=3).hexdigest()


def same_name(name: str) -> str:
    """A name as compared: no accents, case, titles or punctuation."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in ascii_name.lower()).split())


class Roster:
    def __init__(
        self,
        site: dict[str, str],
        people: dict[str, Person],
        mapping: Mapping,
        report: Report,
    ) -> None:
        self.site, self.people, self.mapping, self.report = site, people, mapping, report
        self.by_name = {same_name(name): ident for ident, name in site.items() if name}
        self.new: dict[str, NewSpeaker] = {}

    def resolve(self, who: Named, key: str, affiliation: str = "") -> str | None:
        """Our id for ``who`` (adding a speaker if needed), or None, reported."""
        mapped = self.mapping.speaker(who.text) or (
            self.mapping.speaker(who.key) if who.key else None
        )
        if mapped:
            return self._known_or_new(mapped, who, affiliation)
        if who.key and who.key in self.people:
            person = self.people[who.key]
            ident = who.key if valid_id(who.key) else speaker_id(person.name)
            return self._person(ident, person, who, affiliation)
        if who.key and not who.name:
            if who.key in self.site or who.key in self.new:
                return who.key
            self.report.cannot_use(
                key,
                who.text,
                who.where,
                "looks like an id, but neither content/speakers.yaml nor a people file "
                "among the sources has it; add the people file (e.g. _data/people.yml) as a "
                f"SOURCE, or map it: --map with speakers: {{{who.text}: their-id}}",
            )
            return None
        name = who.name or who.text
        known = self.by_name.get(same_name(name))
        if known:
            return known
        for person in self.people.values():
            if person.name and same_name(person.name) == same_name(name):
                ident = person.key if valid_id(person.key) else speaker_id(person.name)
                return self._person(ident, person, who, affiliation)
        return self._add(speaker_id(name), name, who, affiliation)

    def _known_or_new(self, ident: str, who: Named, affiliation: str) -> str:
        if ident in self.site or ident in self.new:
            return ident
        person = self.people.get(who.key) if who.key else None
        if person is not None:
            return self._person(ident, person, who, affiliation)
        name = who.name
        if not name:  # only an id was written: name them from the id we are told to use
            name = " ".join(part.capitalize() for part in re.split(r"[-_.]+", ident) if part)
            self.report.note(
                who.where,
                f"'{who.text}' is a new speaker, '{ident}', named '{name}' from the id; "
                "correct the name in content/speakers.yaml",
            )
        return self._add(ident, name, who, affiliation, exact=True)

    def _person(self, ident: str, person: Person, who: Named, affiliation: str) -> str:
        if ident in self.site:
            return ident
        if ident in self.new:
            return ident
        known = self.by_name.get(same_name(person.name))
        if known:
            return known
        speaker = NewSpeaker(
            ident,
            person.name or who.text,
            person.where,
            person.affiliation or who.affiliation or affiliation,
            person.bio,
            person.links or who.links,
            person.position,
            person.role,
        )
        return self._keep(speaker)

    def _add(
        self, ident: str, name: str, who: Named, affiliation: str, *, exact: bool = False
    ) -> str:
        base, number = ident, 1
        while not exact and (ident in self.site or ident in self.new):
            holder = self.site.get(ident) or self.new[ident].name
            if same_name(holder) == same_name(name):
                return ident
            number += 1
            ident = f"{base}-{number}"
        if exact and ident in self.new:
            return ident
        if number > 1:
            self.report.note(
                who.where,
                f"'{name}' is a new speaker, '{ident}', since '{base}' is already "
                f"{self.site.get(base) or self.new[base].name}; if they are one person, "
                f"map it: speakers: {{{name}: {base}}}",
            )
        speaker = NewSpeaker(ident, name, who.where, who.affiliation or affiliation, "", who.links)
        return self._keep(speaker)

    def _keep(self, speaker: NewSpeaker) -> str:
        self.new[speaker.id] = speaker
        self.by_name.setdefault(same_name(speaker.name), speaker.id)
        return speaker.id
