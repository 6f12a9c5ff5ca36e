"""Who spoke, as archives write it: "A and B", "A, B & C", "Dr. A (MIT)", an id, a mapping.

:func:`named` splits one field's value into :class:`Named` speakers; :func:`people_file`
recognises a people file (``_data/people.yml``: id → name, affiliation, links) and reads
it into :class:`~rgsite.importing.entry.Person` objects. Neither decides which speaker of
the site someone is; :mod:`.roster` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rgsite.errors import Location
from rgsite.importing.entry import Person
from rgsite.importing.report import Report
from rgsite.importing.values.dates import tba
from rgsite.model import ROLES
from rgsite.read.decode import Record
from rgsite.read.fields import url_problem

_HONORIFIC = re.compile(r"^(?:dr|prof|professor|mr|mrs|ms|mx|sir|dame)\.?\s+", re.IGNORECASE)
_DEGREE = re.compile(r"^(?:ph\.?\s?d|m\.?d|m\.?sc?|b\.?sc?|m\.?a|mba)\.?$", re.IGNORECASE)
_SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv)\.?$", re.IGNORECASE)
_LOOKS_LIKE_ID = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
_SEPARATOR = re.compile(r"\s*(?:;|,\s*(?:and|&)\s+|,|\s+(?:and|&)\s+|\s+/\s+)\s*", re.IGNORECASE)
_AFFILIATION = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
NAME_KEYS = ("name", "full_name", "fullname", "display_name")
ID_KEYS = ("id", "key", "slug", "handle", "username", "user")
AFFILIATION_KEYS = (
    "affiliation",
    "institution",
    "organization",
    "organisation",
    "org",
    "company",
    "university",
    "lab",
)
LINK_KEYS = {
    "url": "homepage",
    "homepage": "homepage",
    "website": "homepage",
    "web": "homepage",
    "page": "homepage",
    "twitter": "twitter",
    "github": "github",
    "scholar": "scholar",
    "google_scholar": "scholar",
    "linkedin": "linkedin",
    "mastodon": "mastodon",
    "orcid": "orcid",
    "email": "email",
}
_HANDLE_SITES = {
    "twitter": "https://twitter.com/",
    "github": "https://github.com/",
    "orcid": "https://orcid.org/",
}


@dataclass(frozen=True, slots=True)
class Named:
    """One speaker as a talk names them: by ``key`` (an id) or by ``name``."""

    text: str
    where: Location
    key: str = ""
    name: str = ""
    affiliation: str = ""
    links: tuple[tuple[str, str], ...] = ()


def named(value: object, where: Location, report: Report, key: str) -> list[Named]:
    """The speakers a field names; what cannot be read goes to the report."""
    if value is None:
        return []
    if isinstance(value, list):
        found: list[Named] = []
        for item in value:
            if isinstance(item, str):
                one = _one(item, where, report, key)
                found += [one] if one else []
            else:
                found += named(item, where, report, key)
        return found
    if isinstance(value, dict):
        person = _mapping(value, where, report, key)
        return [person] if person else []
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        report.cannot_use(key, value, where, "is not a name or a list of names")
        return []
    text = " ".join(str(value).split())
    if not text or tba(text):
        return []
    parts = _split(text)
    if len(parts) == 2 and all(" " not in p for p in parts) and "," in text and " " in text:
        report.cannot_use(
            key,
            text,
            where,
            "could be one person written 'Last, First' or two people; write the name as "
            "'First Last', or two names joined by 'and'",
        )
        return []
    result = []
    for part in parts:
        one = _one(part, where, report, key)
        if one:
            result.append(one)
    return result


def _split(text: str) -> list[str]:
    """Split at commas, semicolons, 'and' and '&' outside parentheses; keep 'Jr.' and
    drop degrees such as 'PhD' that follow a name after a comma."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            match = _SEPARATOR.match(text, index)
            if match and match.end() > index and index >= start:
                pieces.append(text[start:index])
                start = match.end()
    pieces.append(text[start:])
    result: list[str] = []
    for piece in (p.strip() for p in pieces):
        if not piece or _DEGREE.match(piece):
            continue
        if _SUFFIX.match(piece) and result:
            result[-1] += f", {piece}"
            continue
        result.append(piece)
    return result


def _one(text: str, where: Location, report: Report, key: str) -> Named | None:
    text = " ".join(text.split())
    if not text or tba(text):
        return None
    affiliation = ""
    match = _AFFILIATION.match(text)
    if match and match[1]:
        text, affiliation = match[1], match[2].strip()
    text = _HONORIFIC.sub("", text).strip()
    if _LOOKS_LIKE_ID.match(text) and (not text.isalpha() or text.islower()):
        return Named(text, where, key=text, affiliation=affiliation)
    if not any(c.isalpha() for c in text):
        report.cannot_use(key, text, where, "is not a name")
        return None
    return Named(text, where, name=text, affiliation=affiliation)


def _mapping(data: dict[str, Any], where: Location, report: Report, key: str) -> Named | None:
    lower = {str(k).lower(): v for k, v in data.items()}
    name = _first_text(lower, NAME_KEYS) or _joined_name(lower)
    ident = _first_text(lower, ID_KEYS)
    if not name and not ident:
        report.cannot_use(key, data, where, "names no one: give a 'name' (or an 'id')")
        return None
    links = _links(lower, where, report, key)
    affiliation = _first_text(lower, AFFILIATION_KEYS)
    if ident and not name:
        return Named(ident, where, key=ident, affiliation=affiliation, links=links)
    return Named(name, where, key=ident, name=name, affiliation=affiliation, links=links)


def _first_text(data: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return " ".join(str(value).split())
    return ""


def _joined_name(data: dict[str, Any]) -> str:
    first = _first_text(data, ("first_name", "firstname", "given", "given_name", "first"))
    last = _first_text(data, ("last_name", "lastname", "family", "family_name", "last"))
    return f"{first} {last}".strip()


def _links(
    data: dict[str, Any], where: Location, report: Report, key: str
) -> tuple[tuple[str, str], ...]:
    links: list[tuple[str, str]] = []
    for their, label in LINK_KEYS.items():
        value = data.get(their)
        if not isinstance(value, str) or not value.strip():
            continue
        url = value.strip()
        if label == "email":
            url = url if url.startswith("mailto:") else f"mailto:{url}"
        elif label in _HANDLE_SITES and "://" not in url:
            url = _HANDLE_SITES[label] + url.lstrip("@")
        problem = url_problem(url)
        if problem:
            report.cannot_use(f"{key}.{their}", value, where, problem)
            continue
        if label not in dict(links):
            links.append((label, url))
    return tuple(links)


# -- people files ---------------------------------------------------------------------

PERSON_KEYS = frozenset(
    (
        *NAME_KEYS,
        *ID_KEYS,
        *AFFILIATION_KEYS,
        *LINK_KEYS,
        "first_name",
        "firstname",
        "given",
        "given_name",
        "first",
        "last_name",
        "lastname",
        "family",
        "family_name",
        "last",
        "bio",
        "about",
        "description",
        "position",
        "role",
    )
)


PHOTO_KEYS = frozenset(("image", "photo", "avatar", "picture", "headshot"))


def is_people_file(data: object) -> bool:
    """A mapping of id → person, or a list of people with ids and names but no dates."""
    if isinstance(data, dict) and data:
        values = list(data.values())
        return all(isinstance(v, dict) for v in values) and all(
            _first_text({str(k).lower(): x for k, x in v.items()}, NAME_KEYS)
            or _joined_name({str(k).lower(): x for k, x in v.items()})
            for v in values
        )
    if isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        lowered = [{str(k).lower(): x for k, x in v.items()} for v in data]
        return all(
            _first_text(v, ID_KEYS) and (_first_text(v, NAME_KEYS) or _joined_name(v))
            for v in lowered
        ) and not any("date" in v or "title" in v for v in lowered)
    return False


def people_file(record: Record, report: Report) -> dict[str, Person]:
    """The people of a file :func:`is_people_file` recognised, by their key."""
    items: list[tuple[str, dict[str, Any], tuple[str | int, ...]]] = []
    if isinstance(record.data, dict):
        items = [(str(k), v, (k,)) for k, v in record.data.items()]
    else:
        for index, value in enumerate(record.data):
            lower = {str(k).lower(): x for k, x in value.items()}
            items.append((_first_text(lower, ID_KEYS), value, (index,)))
    people = {}
    for key, value, at in items:
        where = record.at(*at)
        lower = {str(k).lower(): x for k, x in value.items()}
        for their in value:
            if str(their).lower() in PHOTO_KEYS:
                report.cannot_use(
                    str(their),
                    value[their],
                    record.at(*at, their),
                    "a photo is not copied; put it in static/speakers/ and name it with "
                    "avatar: in content/speakers.yaml",
                )
            elif str(their).lower() not in PERSON_KEYS:
                report.cannot_use(
                    str(their),
                    value[their],
                    record.at(*at, their),
                    "is not part of a speaker rgsite keeps (name, affiliation, position, "
                    "role, bio, links)",
                )
        bio = next(
            (
                str(lower[k]).strip()
                for k in ("bio", "about", "description")
                if isinstance(lower.get(k), str)
            ),
            "",
        )
        role = _first_text(lower, ("role",)).lower()
        if role and role not in ROLES:
            report.cannot_use(
                "role",
                role,
                record.at(*at, "role"),
                "is not a role rgsite knows: " + ", ".join(ROLES),
            )
            role = ""
        people[key] = Person(
            key=key,
            name=_first_text(lower, NAME_KEYS) or _joined_name(lower),
            where=where,
            affiliation=_first_text(lower, AFFILIATION_KEYS),
            bio=bio,
            links=_links(lower, where, report, "people"),
            position=_first_text(lower, ("position",)),
            role=role,
        )
    return people
