"""Paper identifiers: ``arxiv:ID`` and ``doi:ID`` references, checked and made canonical.

A leaf: it imports nothing of rgsite, so reading, linking, the store and the lookup
all agree on what one paper's key is.
"""

from __future__ import annotations

import functools
import re

_ARXIV = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_OLD_STYLE_CLASS = re.compile(r"^([a-z-]+)\.[A-Za-z]{2}/")


_VERSION = re.compile(r"v\d+$")


@functools.lru_cache(maxsize=65536)
def paper_key(ref: str) -> str:
    """The canonical key of a paper reference: versionless arXiv, lowercase DOI.
    Remembered: linking asks it of every reference of every session."""
    if ref.startswith("arxiv:"):
        return "arxiv:" + _VERSION.sub("", ref[6:])
    if ref.startswith("doi:"):
        return "doi:" + ref[4:].lower()
    return ref


def check_paper_ref(ref: str) -> str | None:
    """Why an ``arxiv:``/``doi:`` reference is malformed, or None."""
    if ref.startswith("arxiv:") and not _ARXIV.match(ref[6:]):
        return f"'{ref}' is not an arXiv id like arxiv:2206.11124 or arxiv:math/0211159"
    if ref.startswith("doi:") and not _DOI.match(ref[4:]):
        return f"'{ref}' is not a DOI like doi:10.1000/xyz123"
    return None


def arxiv_id(ident: str) -> str:
    """The id arXiv answers with: no version, and no subject class in old-style ids."""
    ident = re.sub(r"v\d+$", "", ident.strip())
    return _OLD_STYLE_CLASS.sub(r"\1/", ident)
