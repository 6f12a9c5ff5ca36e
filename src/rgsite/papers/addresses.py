"""Papers cited by a plain address (``https://openreview.net/forum?id=x``).

Such a paper has no identifier a service could look up, so it is known by its address:
its key is the address as written, its id a readable slug of it, and until a reading
list describes it, it is shown by a short form of the address, never a made-up title.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from rgsite.read.fields import slugify, url_problem

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
IDENTIFIER_SCHEMES = ("arxiv", "doi")
LONGEST_ID = 60
"""Characters of an address's slug kept in its id; a longer one ends in a digest."""


def is_address(ref: str) -> bool:
    return ref[:8].lower().startswith(("http://", "https://"))


def check_address(ref: str) -> str | None:
    """Why ``ref``, a paper reference with a scheme, cannot be cited; None if it can (or
    has no scheme: then it is a paper's id)."""
    match = _SCHEME.match(ref)
    if match is None or match.group(1).lower() in IDENTIFIER_SCHEMES:
        return None
    if match.group(1).lower() not in ("http", "https"):
        return (
            f"'{ref}' is not a paper reference; cite a paper by its reading-list id, "
            "arxiv:ID, doi:ID or an http(s) address"
        )
    problem = url_problem(ref)
    return f"the paper address {problem}" if problem else None


_HOST_KINDS = {
    "video": ("youtube.com", "youtu.be", "vimeo.com", "videolectures.net", "slideslive.com"),
    "code": ("github.com", "gitlab.com", "colab.research.google.com", "huggingface.co"),
    "post": ("medium.com", "substack.com", "ghost.io", "wordpress.com", "blogspot.com"),
}


def address_kind(url: str) -> str:
    """What an address most likely is, by its host: a video, code, a blog post, else a
    paper (an address cited as a session's paper usually is one)."""
    host = urlsplit(url).netloc.lower().split(":")[0].removeprefix("www.")
    for kind, hosts in _HOST_KINDS.items():
        if any(host == known or host.endswith("." + known) for known in hosts):
            return kind
    return "paper"


def short_address(url: str) -> str:
    """What a reader is shown for an address: host and path, ``openreview.net/forum?id=x``."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return host + path + (f"?{parts.query}" if parts.query else "")


def address_id(url: str) -> str:
    """A paper id for an address: its short form as a slug (``openreview-net-forum-id-x``),
    ending in a digest of the address when long."""
    slug = slugify(short_address(url))
    if len(slug) <= LONGEST_ID:
        return slug
    return slug[:LONGEST_ID].rstrip("-") + "-" + address_digest(url)


def address_digest(url: str) -> str:
    """Six characters that tell two addresses with one slug apart."""
    return hashlib.blake2b(url.encode(), digest_size=3).hexdigest()
