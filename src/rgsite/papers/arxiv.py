"""The arXiv API: the query URL for a batch of ids, and its Atom answer as records.

arXiv ids are asked for in batches (``id_list=a,b,c``) so a reading list costs few
requests. An answer that declares a DTD is refused rather than parsed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from rgsite.net import BadAnswer
from rgsite.papers.ids import arxiv_id

DEFAULT_API = "https://export.arxiv.org/api/query"
ABS_URL = re.compile(r"arxiv\.org/abs/(.+?)(?:v\d+)?/?$")
"""An arXiv abstract page's address; the group is the id, without its version."""

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"


def arxiv_url(api: str, ids: Sequence[str]) -> str:
    query = urlencode(
        {"id_list": ",".join(ids), "start": 0, "max_results": len(ids)},
        safe=",/",
        quote_via=quote,
    )
    return f"{api}{'&' if '?' in api else '?'}{query}"


def _text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _parse_xml(body: bytes, what: str) -> ET.Element:
    head = body[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in body.lower():
        raise BadAnswer(f"{what} answered with XML that declares a DTD, which rgsite refuses")
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        raise BadAnswer(f"{what} answered with malformed XML ({exc})") from None


@dataclass(frozen=True, slots=True)
class ArxivRecord:
    ident: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    doi: str | None


def parse_arxiv(body: bytes) -> dict[str, ArxivRecord]:
    """The entries of an arXiv API answer, by :func:`arxiv_id`.

    Raises :class:`BadAnswer` for anything but an Atom feed, or an error entry (arXiv
    reports a bad query as a feed with one entry titled "Error").
    """
    root = _parse_xml(body, "arXiv")
    if root.tag != f"{_ATOM}feed":
        raise BadAnswer(f"arXiv answered with <{root.tag}>, not an Atom feed")
    found: dict[str, ArxivRecord] = {}
    for entry in root.findall(f"{_ATOM}entry"):
        entry_id = _text(entry.find(f"{_ATOM}id"))
        if "/api/errors" in entry_id:
            message = _text(entry.find(f"{_ATOM}summary")) or "an error"
            raise BadAnswer(f"arXiv reported: {message}")
        match = ABS_URL.search(entry_id)
        title = _text(entry.find(f"{_ATOM}title"))
        if match is None or not title:
            continue  # arXiv's way of saying an id in id_list does not exist
        published = _text(entry.find(f"{_ATOM}published"))
        doi = _text(entry.find(f"{_ARXIV}doi")).split(" ")[0] or None
        authors = tuple(
            name
            for author in entry.findall(f"{_ATOM}author")
            if (name := _text(author.find(f"{_ATOM}name")))
        )
        ident = arxiv_id(match.group(1))
        found[ident] = ArxivRecord(
            ident=ident,
            title=title,
            authors=authors,
            year=int(published[:4]) if published[:4].isdigit() else None,
            doi=doi if doi and doi.startswith("10.") else None,
        )
    return found
