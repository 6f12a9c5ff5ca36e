"""The Crossref REST API: the URL of a DOI's work record, and that record as an entry.

Crossref's text may hold JATS or HTML tags, which become plain text; a record that names
an arXiv preprint (``relation.has-preprint``) gives the entry its arXiv id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import unescape
from urllib.parse import quote

from rgsite.net import BadAnswer
from rgsite.papers.arxiv import ABS_URL
from rgsite.papers.ids import check_paper_ref
from rgsite.papers.store import Entry, arxiv_of_doi

DEFAULT_API = "https://api.crossref.org"

_TAG = re.compile(r"<[^>]+>")


def crossref_url(api: str, doi: str) -> str:
    return f"{api.rstrip('/')}/works/{quote(doi, safe='/:;()')}"


def _year(message: Mapping[str, object]) -> int | None:
    for key in ("issued", "published", "published-print", "published-online", "created"):
        value = message.get(key)
        if not isinstance(value, dict):
            continue
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = parts[0][0]
            if isinstance(year, int) and not isinstance(year, bool) and year > 0:
                return year
    return None


def _plain(value: object) -> str:
    """Crossref text (titles may hold JATS or HTML tags) as plain text."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    if not isinstance(value, str):
        return ""
    return " ".join(unescape(_TAG.sub("", value)).split())


def _preprint(message: Mapping[str, object]) -> str | None:
    """The arXiv id of the preprint Crossref's ``relation`` names, if any."""
    relation = message.get("relation")
    if not isinstance(relation, dict):
        return None
    for item in relation.get("has-preprint") or []:
        if not isinstance(item, dict):
            continue
        kind, ident = str(item.get("id-type", "")).lower(), str(item.get("id", "")).strip()
        candidate: str | None = None
        if kind == "arxiv":
            candidate = re.sub(r"^arxiv:", "", ident, flags=re.IGNORECASE)
        elif kind == "doi":
            candidate = arxiv_of_doi(ident)
        elif kind == "uri":
            match = ABS_URL.search(ident)
            candidate = match.group(1) if match else None
        if candidate:
            candidate = re.sub(r"v\d+$", "", candidate)
            if check_paper_ref(f"arxiv:{candidate}") is None:
                return candidate
    return None


def parse_crossref(body: bytes) -> Entry:
    """A Crossref ``/works/<doi>`` answer as an entry keyed by its DOI."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadAnswer(f"Crossref answered with malformed JSON ({exc})") from None
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict) or not isinstance(message.get("DOI"), str):
        raise BadAnswer("Crossref answered without a work record")
    authors = []
    for person in message.get("author") or []:
        if not isinstance(person, dict):
            continue
        name = " ".join(
            part for part in (_plain(person.get("given")), _plain(person.get("family"))) if part
        ) or _plain(person.get("name"))
        if name:
            authors.append(name)
    doi = message["DOI"]
    return Entry(
        key=f"doi:{doi.lower()}",
        title=_plain(message.get("title")),
        authors=tuple(authors),
        year=_year(message),
        arxiv=_preprint(message),
        doi=doi,
    )
