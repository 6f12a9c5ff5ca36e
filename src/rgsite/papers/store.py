"""``content/papers.yaml``: the metadata ``rgsite papers fetch`` found for cited papers.

A site cites a paper by identifier (``arxiv:2206.11124``, ``doi:10.5555/x``) anywhere a
paper id is allowed; ``rgsite papers fetch`` asks arXiv and Crossref for its title,
authors and year once and stores them here, so every build stays offline and
reproducible. The file maps a canonical reference to its fields::

    "arxiv:2206.11124":
      title: "A view of mini-batch SGD via generating functions"
      authors:
        - "Maksim Velikanov"
      year: 2022
      doi: "10.5555/sgd"        # the published version: doi:10.5555/sgd is this paper too

The build uses an entry for a paper cited only by identifier, and fills in what a
reading list's hand-written item leaves out (authors, year, the other identifier); a
hand-written field always wins. One entry that carries both ``arxiv`` and ``doi``
makes the preprint and the published paper one paper.

The file is written deterministically (entries sorted by key, fields in a fixed
order, every text quoted) and atomically (:func:`rgsite.output.files.write_atomic`): a
temporary file beside it, then a rename, so a failure at any moment leaves the previous
file as it was.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rgsite.errors import Location, Problems
from rgsite.model import Paper
from rgsite.output.files import write_atomic
from rgsite.papers.ids import check_paper_ref, paper_key
from rgsite.read.decode import ParseError, Record, decode, load_yaml
from rgsite.read.fields import Fields

PATH = "content/papers.yaml"
"""Where the store lives, relative to the site folder."""

ENTRY_KEYS = ("title", "authors", "year", "arxiv", "doi")

HEADER = """\
# Paper metadata fetched from arXiv and Crossref by `rgsite papers fetch`.
# Builds read this file and never go online; commit it with the site.
# Fields written in a reading list win over these: to correct a paper, describe it
# there. `rgsite papers fetch --refresh` fetches every paper here again.
"""

_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)


def arxiv_of_doi(doi: str) -> str | None:
    """The arXiv id of an arXiv-issued DOI (``10.48550/arXiv.2206.11124``), or None."""
    match = _ARXIV_DOI.match(doi.strip())
    if match is None:
        return None
    ident = match.group(1)
    return ident if check_paper_ref(f"arxiv:{ident}") is None else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """What is known of one paper; ``key`` is a canonical reference (see ``paper_key``)."""

    key: str
    title: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    arxiv: str | None = None
    """Versionless arXiv id."""
    doi: str | None = None
    """The DOI as its registry spells it (DOIs compare case-insensitively)."""

    def names(self) -> list[str]:
        """Every reference that names this paper: its key, its arXiv id and its DOI."""
        keys = [self.key]
        if self.arxiv:
            keys.append(paper_key(f"arxiv:{self.arxiv}"))
        if self.doi:
            keys.append(paper_key(f"doi:{self.doi}"))
            ident = arxiv_of_doi(self.doi)
            if ident:
                keys.append(paper_key(f"arxiv:{ident}"))
        return list(dict.fromkeys(keys))

    @property
    def complete(self) -> bool:
        return bool(self.title and self.authors and self.year is not None)


def _is_published_doi(key: str) -> bool:
    return key.startswith("doi:") and arxiv_of_doi(key[4:]) is None


def merge(first: Entry, second: Entry) -> Entry:
    """One entry for one paper known by two; a published DOI's fields win over a preprint's.

    Between two entries of the same standing, ``first``'s fields win.
    """
    if _is_published_doi(second.key) and not _is_published_doi(first.key):
        first, second = second, first
    return Entry(
        key=first.key,
        title=first.title or second.title,
        authors=first.authors or second.authors,
        year=first.year if first.year is not None else second.year,
        arxiv=first.arxiv or second.arxiv,
        doi=first.doi or second.doi,
    )


class PaperDB:
    """The entries of ``papers.yaml``, findable by any reference that names them.

    Entries that share a reference (a preprint's ``doi`` is another entry's key, or the
    other way round) are merged into one as they are added.
    """

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._entries: dict[str, Entry] = {}
        self._index: dict[str, str] = {}
        for entry in entries:
            self.add(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(sorted(self._entries.values(), key=lambda e: e.key))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and paper_key(key) in self._index

    def get(self, ref: str) -> Entry | None:
        """The entry any reference to a paper names (versions and DOI case ignored)."""
        found = self._index.get(paper_key(ref))
        return self._entries[found] if found is not None else None

    def add(self, entry: Entry) -> Entry:
        """Add ``entry``; merged with every entry it shares a reference with (its fields win)."""
        for key in entry.names():
            owner = self._index.get(key)
            if owner is not None and owner in self._entries:
                entry = merge(entry, self._remove(owner))
        self._entries[entry.key] = entry
        for key in entry.names():
            self._index[key] = entry.key
        return entry

    def discard(self, ref: str) -> Entry | None:
        """Remove the entry ``ref`` names, if any, and return it."""
        found = self._index.get(paper_key(ref))
        return self._remove(found) if found is not None else None

    def _remove(self, key: str) -> Entry:
        entry = self._entries.pop(key)
        for alias in entry.names():
            if self._index.get(alias) == key:
                del self._index[alias]
        return entry


# -- the build's side: stored metadata into the site's papers ---------------------------


def completed(paper: Paper, entry: Entry) -> Paper:
    """``paper`` with the fields it lacks taken from ``entry``; its own fields win."""
    changes: dict[str, object] = {}
    if not (paper.described and paper.titled) and entry.title:
        changes["title"] = entry.title
        changes["titled"] = True
    if not paper.authors and entry.authors:
        changes["authors"] = entry.authors
    if paper.year is None and entry.year is not None:
        changes["year"] = entry.year
    if paper.arxiv is None and entry.arxiv:
        changes["arxiv"] = entry.arxiv
    if paper.doi is None and entry.doi:
        changes["doi"] = entry.doi
    return dataclasses.replace(paper, **changes) if changes else paper  # type: ignore[arg-type]


def paper_refs(paper: Paper) -> list[str]:
    """The canonical ``arxiv:``/``doi:`` references of a paper."""
    refs = []
    if paper.arxiv:
        refs.append(paper_key(f"arxiv:{paper.arxiv}"))
    if paper.doi:
        refs.append(paper_key(f"doi:{paper.doi}"))
    return refs


def fill_described(papers: dict[str, Paper], aliases: dict[str, str], db: PaperDB | None) -> None:
    """Complete the papers reading lists describe from the store, in place.

    A stored identifier the paper did not have (the DOI of its published version, say)
    becomes another name for it, unless another paper already has that name.
    """
    if not db:
        return
    for paper_id, paper in list(papers.items()):
        entry = next((e for e in map(db.get, paper_refs(paper)) if e is not None), None)
        if entry is None:
            continue
        papers[paper_id] = completed(paper, entry)
        for key in entry.names():
            aliases.setdefault(key, paper_id)


def paper_for(
    key: str,
    where: Location,
    papers: dict[str, Paper],
    aliases: dict[str, str],
    db: PaperDB | None,
) -> str | None:
    """The id of the paper the store knows ``key`` as, adding it to ``papers`` if new.

    None when the store has no entry for ``key``. When another reference to the same
    paper is already known (the preprint of a cited DOI, say), ``key`` becomes its alias.
    """
    entry = db.get(key) if db else None
    if entry is None:
        return None
    for other in entry.names():
        if other in aliases:
            aliases[key] = aliases[other]
            return aliases[other]
    scheme, ident = entry.key.split(":", 1)
    placeholder = f"arXiv:{ident}" if scheme == "arxiv" else f"doi:{ident}"
    papers[entry.key] = Paper(
        id=entry.key,
        title=entry.title or placeholder,
        authors=entry.authors,
        year=entry.year,
        arxiv=entry.arxiv,
        doi=entry.doi,
        source=where,
        described=bool(entry.title),  # known by its title now, like a paper a list describes
        titled=bool(entry.title),
    )
    for other in (*entry.names(), key):
        aliases.setdefault(other, entry.key)
    return entry.key


# -- reading -----------------------------------------------------------------------------


def load_papers(record: Record, problems: Problems) -> PaperDB:
    """A parsed ``papers.yaml`` to a store; every mistake is a located problem."""
    db = PaperDB()
    if record.data is None:
        return db
    if not isinstance(record.data, dict):
        problems.error(
            record.at(),
            "papers.yaml must map each reference to its fields, e.g. '\"arxiv:2206.11124\":'; "
            "delete the file and run 'rgsite papers fetch' to make it again",
        )
        return db
    for ref, value in record.data.items():
        where = Location(record.path, record.key_line(ref))
        if not ref.startswith(("arxiv:", "doi:")):
            problems.error(
                where,
                f"'{ref}' is not a paper reference; keys of papers.yaml are arxiv:ID or doi:ID",
            )
            continue
        bad = check_paper_ref(ref)
        if bad:
            problems.error(where, bad)
            continue
        if value is None:
            value = {}
        if not isinstance(value, dict):
            problems.error(where, f"'{ref}' must be a mapping with 'title:', 'authors:', 'year:'")
            continue
        fields = Fields(record, problems, (ref,), value, what=f"paper '{ref}'")
        fields.check_keys(ENTRY_KEYS)
        arxiv = fields.text("arxiv") or None
        if arxiv and check_paper_ref(f"arxiv:{arxiv}"):
            fields.error("arxiv", check_paper_ref(f"arxiv:{arxiv}") or "")
            arxiv = None
        doi = fields.text("doi") or None
        if doi and check_paper_ref(f"doi:{doi}"):
            fields.error("doi", check_paper_ref(f"doi:{doi}") or "")
            doi = None
        key = paper_key(ref)
        existing = db.get(key)
        if existing is not None and existing.key == key:
            problems.error(where, f"'{ref}' is stored twice; keep one entry per paper")
            continue
        db.add(
            Entry(
                key=key,
                title=fields.text("title"),
                authors=tuple(name for name, _ in fields.text_list("authors")),
                year=fields.integer("year", None, minimum=1000),
                arxiv=re.sub(r"v\d+$", "", arxiv) if arxiv else None,
                doi=doi,
            )
        )
    return db


def read(root: Path, problems: Problems) -> PaperDB:
    """The store of the site at ``root``; an empty one when it has no ``papers.yaml``."""
    try:
        raw = (root / PATH).read_bytes()
    except FileNotFoundError:
        return PaperDB()
    except OSError as exc:
        problems.error(Location(PATH), f"cannot read this file: {exc.strerror}")
        return PaperDB()
    try:
        record = load_yaml(PATH, decode(PATH, raw))
    except ParseError as exc:
        problems.extend([exc.problem])
        return PaperDB()
    return load_papers(record, problems)


# -- writing -----------------------------------------------------------------------------

# YAML forbids these in any scalar or treats them as line breaks; JSON leaves them raw.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back exactly."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def dumps(db: PaperDB) -> str:
    """The text of ``papers.yaml``: the same store always gives the same bytes."""
    lines = [HEADER.rstrip("\n")]
    for entry in db:
        body = []
        if entry.title:
            body.append(f"  title: {quote(entry.title)}")
        if entry.authors:
            body.append("  authors:")
            body.extend(f"    - {quote(name)}" for name in entry.authors)
        if entry.year is not None:
            body.append(f"  year: {entry.year}")
        if entry.arxiv:
            body.append(f"  arxiv: {quote(entry.arxiv)}")
        if entry.doi:
            body.append(f"  doi: {quote(entry.doi)}")
        lines.append(f"{quote(entry.key)}:" + ("" if body else " {}"))
        lines.extend(body)
    return "\n".join(lines) + "\n"


def save(root: Path, db: PaperDB) -> bool:
    """Write the store atomically; False (and nothing touched) when the file is unchanged."""
    path = root / PATH
    data = dumps(db).encode()
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data, durable=True)  # a file the user commits with the site
    return True
