"""Paper metadata for ``arxiv:`` and ``doi:`` references: what to ask, and what came back.

:func:`fetch_papers` asks arXiv (:mod:`rgsite.papers.arxiv`) for arXiv ids and arXiv
DOIs, in batches, then Crossref (:mod:`rgsite.papers.crossref`) for other DOIs, through
one polite :class:`~rgsite.net.Client`: one request at a time and at least ``delay``
seconds (3, as arXiv asks) apart, with timeouts and retries.

The API addresses are options (``RGSITE_ARXIV_API`` and ``RGSITE_CROSSREF_API`` in
the environment) so a mirror or a test server can stand in. Nothing here writes
files: :func:`fetch_papers` returns the entries it found and, for every reference it
could not resolve, the reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rgsite.net import Client, FetchError, NotFound, Unreachable, user_agent
from rgsite.papers import arxiv, crossref
from rgsite.papers.arxiv import arxiv_url, parse_arxiv
from rgsite.papers.crossref import crossref_url, parse_crossref
from rgsite.papers.ids import arxiv_id
from rgsite.papers.store import Entry, PaperDB, arxiv_of_doi

ENV_ARXIV_API = "RGSITE_ARXIV_API"
ENV_CROSSREF_API = "RGSITE_CROSSREF_API"
ENV_DELAY = "RGSITE_FETCH_DELAY"
ENV_MAILTO = "RGSITE_MAILTO"


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchOptions:
    arxiv_api: str = arxiv.DEFAULT_API
    """The arXiv query endpoint; ``?id_list=...`` is appended."""
    crossref_api: str = crossref.DEFAULT_API
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
