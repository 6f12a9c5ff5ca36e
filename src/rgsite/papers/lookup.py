"""Paper metadata from the arXiv API (Atom) and the Crossref REST API (JSON).

Every request goes through one polite :class:`~rgsite.net.Client`: one at a time and at
least ``delay`` seconds (3, as arXiv asks) apart, with timeouts and retries. arXiv ids
are asked for in batches (``id_list=a,b,c``) so a reading list costs few requests.

The API addresses are options (``RGSITE_ARXIV_API`` and ``RGSITE_CROSSREF_API`` in
the environment) so a mirror or a test server can stand in. Nothing here writes
files: :func:`fetch_papers` returns the entries it found and, for every reference it
could not resolve, the reason.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import quote, urlencode

from rgsite.net import BadAnswer, Client, FetchError, NotFound, Unreachable, user_agent
from rgsite.papers.ids import arxiv_id, check_paper_ref
from rgsite.papers.store import Entry, PaperDB, arxiv_of_doi

DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_CROSSREF_API = "https://api.crossref.org"
ENV_ARXIV_API = "RGSITE_ARXIV_API"
ENV_CROSSREF_API = "RGSITE_CROSSREF_API"
ENV_DELAY = "RGSITE_FETCH_DELAY"
ENV_MAILTO = "RGSITE_MAILTO"

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_ABS = re.compile(r"arxiv\.org/abs/(.+?)(?:v\d+)?/?$")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchOptions:
    arxiv_api: str = DEFAULT_ARXIV_API
    """The arXiv query endpoint; ``?id_list=...`` is appended."""
    crossref_api: str = DEFAULT_CROSSREF_API
    """The Crossref REST API root; ``/works/<doi>`` is appended."""
    delay: float = 3.0
    """Least seconds between the end of one request and the start of the next."""
    timeout: float = 20.0
    """Seconds a request may take, from connecting to the last byte."""
    retries: int = 3
    """Further attempts after a 429, a 5xx, a timeout or a dropped connection."""
    max_wait: float = 120.0
    """The longest ``Retry-After`` honoured; a server asking for more is reported."""
    batch: int = 20
    """arXiv ids per request."""
    mailto: str | None = None
    """A contact address for the User-Agent (Crossref's polite pool asks for one)."""

    @property
    def user_agent(self) -> str:
        return user_agent(self.mailto)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: object
    ) -> FetchOptions:
        """Defaults, then the environment, then ``overrides`` that are not None."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if env.get(ENV_ARXIV_API):
            values["arxiv_api"] = env[ENV_ARXIV_API]
        if env.get(ENV_CROSSREF_API):
            values["crossref_api"] = env[ENV_CROSSREF_API]
        if env.get(ENV_MAILTO):
            values["mailto"] = env[ENV_MAILTO]
        if env.get(ENV_DELAY):
            try:
                values["delay"] = max(0.0, float(env[ENV_DELAY]))
            except ValueError:
                raise ValueError(
                    f"{ENV_DELAY}={env[ENV_DELAY]!r} is not a number of seconds"
                ) from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


# -- arXiv ---------------------------------------------------------------------------------


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
        match = _ABS.search(entry_id)
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


# -- Crossref ------------------------------------------------------------------------------


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
            match = _ABS.search(ident)
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


# -- both ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Failure:
    key: str
    reason: str


@dataclass(slots=True)
class Outcome:
    db: PaperDB = field(default_factory=PaperDB)
    """What was found, preprints and their published versions merged."""
    found: dict[str, Entry] = field(default_factory=dict)
    """The entry each reference that was looked up resolved to."""
    failures: list[Failure] = field(default_factory=list)
    requests: int = 0
    interrupted: bool = False


def fetch_papers(
    refs: Iterable[str],
    options: FetchOptions,
    *,
    client: Client | None = None,
    progress: Callable[[str], None] | None = None,
) -> Outcome:
    """Look up canonical ``arxiv:``/``doi:`` references; arXiv first, in batches.

    An arXiv DOI (``doi:10.48550/arXiv.X``) is asked of arXiv. A Ctrl-C stops the
    lookups and returns what was found so far, with ``interrupted`` set.
    """
    client = client or Client(options)
    say = progress or (lambda _text: None)
    outcome = Outcome()
    on_arxiv: dict[str, list[str]] = {}
    at_crossref: list[str] = []
    for ref in dict.fromkeys(refs):
        scheme, ident = ref.split(":", 1)
        if scheme == "arxiv":
            on_arxiv.setdefault(arxiv_id(ident), []).append(ref)
        elif (preprint := arxiv_of_doi(ident)) is not None:
            on_arxiv.setdefault(arxiv_id(preprint), []).append(ref)
        else:
            at_crossref.append(ref)
    found: list[tuple[str, Entry]] = []
    try:
        _fetch_arxiv(on_arxiv, options, client, outcome, found, say)
        _fetch_crossref(at_crossref, options, client, outcome, found, say)
    except KeyboardInterrupt:
        outcome.interrupted = True
    for _ref, entry in found:
        outcome.db.add(entry)
    for ref, _entry in found:
        merged = outcome.db.get(ref)
        if merged is not None:
            outcome.found[ref] = merged
    outcome.requests = client.requests
    return outcome


def _fetch_arxiv(
    on_arxiv: dict[str, list[str]],
    options: FetchOptions,
    client: Client,
    outcome: Outcome,
    found: list[tuple[str, Entry]],
    say: Callable[[str], None],
) -> None:
    ids = list(on_arxiv)
    size = max(1, options.batch)
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        try:
            records = parse_arxiv(
                client.get(arxiv_url(options.arxiv_api, chunk), "application/atom+xml")
            )
        except Unreachable as exc:
            for ident in ids[start:]:
                for ref in on_arxiv[ident]:
                    outcome.failures.append(Failure(ref, f"arXiv: {exc}"))
            return
        except FetchError as exc:
            for ident in chunk:
                for ref in on_arxiv[ident]:
                    outcome.failures.append(Failure(ref, f"arXiv: {exc}"))
            continue
        for ident in chunk:
            record = records.get(ident)
            for ref in on_arxiv[ident]:
                if record is None:
                    outcome.failures.append(
                        Failure(ref, "arXiv has no paper with this id; check it")
                    )
                    continue
                doi = ref[4:] if ref.startswith("doi:") else None
                entry = Entry(
                    key=ref,
                    title=record.title,
                    authors=record.authors,
                    year=record.year,
                    arxiv=ident if ref.startswith("doi:") else ref.split(":", 1)[1],
                    doi=record.doi or doi,
                )
                found.append((ref, entry))
                say(f"{ref}: {_summary(entry)}")


def _fetch_crossref(
    refs: list[str],
    options: FetchOptions,
    client: Client,
    outcome: Outcome,
    found: list[tuple[str, Entry]],
    say: Callable[[str], None],
) -> None:
    for number, ref in enumerate(refs):
        doi = ref[4:]
        try:
            entry = parse_crossref(
                client.get(crossref_url(options.crossref_api, doi), "application/json")
            )
        except NotFound:
            outcome.failures.append(
                Failure(ref, "Crossref has no record of this DOI (HTTP 404); check it")
            )
            continue
        except Unreachable as exc:
            for rest in refs[number:]:
                outcome.failures.append(Failure(rest, f"Crossref: {exc}"))
            return
        except FetchError as exc:
            outcome.failures.append(Failure(ref, f"Crossref: {exc}"))
            continue
        entry = Entry(
            key=ref,
            title=entry.title,
            authors=entry.authors,
            year=entry.year,
            arxiv=entry.arxiv,
            doi=entry.doi,
        )
        found.append((ref, entry))
        say(f"{ref}: {_summary(entry)}")


def _summary(entry: Entry) -> str:
    title = entry.title or "(no title)"
    year = f" ({entry.year})" if entry.year is not None else ""
    others = []
    if entry.arxiv and not entry.key.startswith("arxiv:"):
        others.append(f"preprint arXiv:{entry.arxiv}")
    if entry.doi and entry.key.startswith("arxiv:"):
        others.append(f"published as doi:{entry.doi}")
    extra = f" [{'; '.join(others)}]" if others else ""
    return f"{title}{year}{extra}"
