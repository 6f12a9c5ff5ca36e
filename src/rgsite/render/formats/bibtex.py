"""BibTeX for reading lists (``reading/<slug>.bib``) and single papers (``papers/<id>.bib``).

Entry types. The reading-list format records no journal or venue, and BibTeX's
``@article`` requires one, so every item is ``@misc`` — the form arXiv itself exports:

* a paper with an arXiv id: ``eprint``, ``archivePrefix = {arXiv}``, its abs ``url``
  (and ``doi`` when it has one too);
* a paper with a DOI: ``doi`` and its ``https://doi.org/`` url;
* posts, notes, videos, slides, code, datasets and links: ``howpublished`` with the url
  when there is one, and a ``note`` naming the kind (``Blog post``, ``Lecture notes``).

A paper known only by its address, with no title yet, has no entry and no file: there
is nothing to cite but a link.

Keys are ``<first author's surname><year><first title word>`` in ASCII, made unique
over the whole site (``…a``, ``…b``), so a paper has the same key in every file.

Text is escaped for LaTeX: ``& % $ # _ { } ~ ^ \\`` become their commands, accented
Latin letters become accent commands (``Husz{\\'a}r``), dashes and double curly quotes their
TeX ligatures; other non-ASCII text stays UTF-8 (the files are UTF-8). In titles, words
with capitals after their first letter (``SGD``, ``ImageNet``) are braced so styles
that lowercase titles keep them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from rgsite.read.fields import slugify

if TYPE_CHECKING:
    from rgsite.model import Paper, ReadingList, Site
    from rgsite.render.views import View

NOTES = {
    "notes": "Lecture notes",
    "post": "Blog post",
    "video": "Video",
    "slides": "Slides",
    "code": "Software",
    "dataset": "Dataset",
}
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\u2013": "--",
    "\u2014": "---",
    "\u201c": "``",
    "\u201d": "''",
    "\u00a0": "~",
    "ß": r"{\ss}",
    "æ": r"{\ae}",
    "Æ": r"{\AE}",
    "œ": r"{\oe}",
    "Œ": r"{\OE}",
    "ø": r"{\o}",
    "Ø": r"{\O}",
    "ł": r"{\l}",
    "Ł": r"{\L}",
    "ı": r"{\i}",
}
_ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0327": "c",
    "\u0328": "k",
}
_STOP = frozenset(
    {"a", "an", "the", "on", "of", "in", "for", "to", "and", "is", "are", "some", "why"}
)


def escape(text: str) -> str:
    """``text`` as LaTeX: special characters and accented Latin letters as commands."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in _SPECIAL:
            out.append(_SPECIAL[char])
            continue
        if char.isascii():
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        if base.isascii() and base.isalpha() and marks and all(m in _ACCENTS for m in marks):
            letter = r"\i" if base == "i" else base
            for mark in marks:
                command = _ACCENTS[mark]
                sep = " " if command.isalpha() else ""
                letter = f"\\{command}{sep}{letter}"
            out.append("{" + letter + "}")
        else:
            out.append(char)
    return "".join(out)


def _title(text: str) -> str:
    words = re.split(r"(\s+)", text)
    return "".join(
        "{" + escape(w) + "}" if any(c.isupper() for c in w[1:]) else escape(w) for w in words
    )


def cite_keys(site: Site) -> dict[str, str]:
    """A key per paper id, unique across the site and the same in every file."""
    keys: dict[str, str] = {}
    used: set[str] = set()
    for paper_id in sorted(site.papers):
        base = _key(site.papers[paper_id])
        key, n = base, 0
        while key in used:
            key = base + _suffix(n)
            n += 1
        used.add(key)
        keys[paper_id] = key
    return keys


def _suffix(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _ascii(text: str) -> str:
    return re.sub(
        r"[^a-z0-9]",
        "",
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower(),
    )


def _key(paper: Paper) -> str:
    surname = (
        _ascii(paper.authors[0].split()[-1]) if paper.authors and paper.authors[0].split() else ""
    )
    words = [_ascii(w) for w in paper.title.split()]
    word = next((w for w in words if w and w not in _STOP), "")
    if paper.described and (surname or word):
        return f"{surname}{paper.year or ''}{word}" or slugify(paper.id).replace("-", "")
    return slugify(paper.id).replace("-", "")


def entry(paper: Paper, key: str) -> str:
    """One ``@misc`` entry (see the module doc for the fields)."""
    fields: list[tuple[str, str]] = [("title", "{" + _title(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", "{" + " and ".join(escape(a) for a in paper.authors) + "}"))
    if paper.year:
        fields.append(("year", "{" + str(paper.year) + "}"))
    if paper.arxiv:
        fields += [("eprint", "{" + paper.arxiv + "}"), ("archivePrefix", "{arXiv}")]
    if paper.doi:
        fields.append(("doi", "{" + escape(paper.doi) + "}"))
    link = paper.link
    if link:
        fields.append(("url", "{" + _url(link) + "}"))
        if not paper.arxiv and not paper.doi:
            fields.append(("howpublished", "{\\url{" + _url(link) + "}}"))
    if paper.kind in NOTES:
        fields.append(("note", "{" + NOTES[paper.kind] + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def _url(link: str) -> str:
    """A URL inside ``{...}``: braces balanced and ``%``, ``#`` escaped for LaTeX."""
    return (
        link.replace("\\", "%5C")
        .replace("{", "%7B")
        .replace("}", "%7D")
        .replace("%", r"\%")
        .replace("#", r"\#")
    )


def _header(view: View, what: str) -> str:
    config = view.site.config
    return f"% {what}\n% {config.title} — {view.absolute()}\n% Encoding: UTF-8\n\n"


def list_bib(site: Site, view: View, reading: ReadingList, keys: dict[str, str]) -> bytes:
    """Every paper of a reading list, in the list's order, once each."""
    ids = dict.fromkeys(
        p
        for section in reading.sections
        for p in section.papers
        if p in site.papers and site.papers[p].citable
    )
    text = _header(
        view, view.gettext("BibTeX for the reading list '%(title)s'") % {"title": reading.title}
    )
    text += "\n".join(entry(site.papers[p], keys[p]) for p in ids)
    return text.encode()


def paper_bib(site: Site, view: View, paper: Paper, keys: dict[str, str]) -> bytes:
    what = view.gettext("BibTeX for '%(title)s'") % {"title": paper.title}
    return (_header(view, what) + entry(paper, keys[paper.id])).encode()
