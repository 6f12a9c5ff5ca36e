"""Addresses in a talk: which are papers, which are slides, recordings or code.

:func:`paper_ref` turns what a paper field holds (an arXiv or DOI address, an id, any
other address) into a reference a session's ``papers:`` takes. :func:`body_links` finds
links in a body that say what they are — ``[Slides](...)``, ``Recording: https://...``,
a YouTube address — so they become the session's resources; a link that does not say
is left in the text alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rgsite.importing.values.dates import Unreadable
from rgsite.papers.ids import check_paper_ref
from rgsite.read.fields import url_problem

_ARXIV_URL = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/"
    r"([a-z-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_ARXIV_ID = re.compile(r"^(?:arxiv\s*:?\s*)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.IGNORECASE)
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_DOI = re.compile(r"^(?:doi\s*:?\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)

KINDS_BY_WORD = (
    ("slides", re.compile(r"\b(?:slides?|deck|presentation)\b", re.IGNORECASE)),
    ("video", re.compile(r"\b(?:video|recording|recorded|youtube|watch)\b", re.IGNORECASE)),
    ("code", re.compile(r"\b(?:code|github|repo|repository|notebook|colab)\b", re.IGNORECASE)),
    ("notes", re.compile(r"\b(?:notes|write-?up|blog post)\b", re.IGNORECASE)),
    ("paper", re.compile(r"^(?:the\s+)?(?:paper|pdf|arxiv|preprint|article)$", re.IGNORECASE)),
)
KINDS_BY_HOST = (
    ("slides", re.compile(r"//(?:www\.)?(?:speakerdeck\.com|slideshare\.net|slides\.com)/")),
    ("slides", re.compile(r"//docs\.google\.com/presentation/")),
    ("video", re.compile(r"//(?:www\.|m\.)?(?:youtube\.com/(?:watch|live|embed)|youtu\.be/)")),
    ("video", re.compile(r"//(?:www\.|player\.)?vimeo\.com/")),
    ("code", re.compile(r"//colab\.research\.google\.com/")),
)
TITLES = {
    "slides": "Slides",
    "video": "Recording",
    "code": "Code",
    "notes": "Notes",
    "paper": "Paper",
}


def paper_ref(value: str) -> str | Unreadable:
    """``arxiv:ID``, ``doi:ID`` or an ``https://`` address for what a paper field holds."""
    text = value.strip().strip("<>")
    for pattern, scheme in ((_ARXIV_URL, "arxiv:"), (_DOI_URL, "doi:")):
        match = pattern.match(text)
        if match:
            ref = scheme + match[1].rstrip("/")
            return Unreadable(bad) if (bad := check_paper_ref(ref)) else ref
    for pattern, scheme in ((_ARXIV_ID, "arxiv:"), (_DOI, "doi:")):
        match = pattern.match(text)
        if match:
            ref = scheme + match[1]
            return Unreadable(bad) if (bad := check_paper_ref(ref)) else ref
    if "://" in text:
        problem = url_problem(text)
        return Unreadable(problem) if problem else text
    return Unreadable(
        "is not an address; give the paper's arXiv or DOI address (or any link to it), "
        "or add it to a reading list and cite its id"
    )


def kind_of(url: str, text: str = "") -> str | None:
    """What a link is, from its words or, failing that, its address; None if neither says."""
    for kind, words in KINDS_BY_WORD:
        if text and words.search(text):
            return kind
    for kind, host in KINDS_BY_HOST:
        if host.search(url):
            return kind
    if text.strip() in (url, "") and (_ARXIV_URL.match(url) or _DOI_URL.match(url)):
        return "paper"
    return None


@dataclass(frozen=True, slots=True)
class BodyLink:
    kind: str
    url: str
    text: str
    line: int
    """The body's line (0 is its first) the link is on."""


_MD_LINK = re.compile(r"(?<!!)\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_LINK = re.compile(r"<a\s[^>]*?href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", re.IGNORECASE)
_LABELLED = re.compile(
    r"^\s*(?:[-*]\s+)?(?:\*\*|__)?([A-Za-z][A-Za-z ]{1,24}?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*"
    r"(?:<?(https?://[^\s>)]+)>?|\[[^\]\n]*\]\(\s*<?(https?://[^)\s>]+)>?\s*\))"
)
_TAGS = re.compile(r"<[^>]+>")


def body_links(body: str) -> list[BodyLink]:
    """Links in a body that say they are slides, a recording, code, notes or the paper."""
    found: list[BodyLink] = []
    for number, line in enumerate(body.split("\n")):
        candidates = [(m[2], m[1]) for m in _MD_LINK.finditer(line)]
        candidates += [(m[1], _TAGS.sub("", m[2])) for m in _HTML_LINK.finditer(line)]
        labelled = _LABELLED.match(line)
        if labelled:
            candidates.insert(0, (labelled[2] or labelled[3], labelled[1]))
        seen: set[str] = set()
        for url, text in candidates:
            if url in seen or (not url.startswith(("http://", "https://", "/")) and "." not in url):
                continue
            seen.add(url)
            kind = kind_of(url, text)
            if kind is not None:
                found.append(BodyLink(kind, url, " ".join(text.split()), number))
    return found
