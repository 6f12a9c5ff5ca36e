"""What the preview sends a file as: its content type, and a digest of a page.

A page's digest ignores the fingerprints in its stylesheets' names, so a CSS-only change
leaves it alone: the page is told the new stylesheet names and swaps them in place
instead of reloading.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from pathlib import Path

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".bib": "application/x-bibtex; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".pdf": "application/pdf",
}
_CSS_FINGERPRINT = re.compile(rb"\.[0-9a-f]{8,64}(\.css)\b")


def content_type(path: Path | str) -> str:
    name = str(path).lower()
    suffix = name[name.rfind(".") :] if "." in name.rsplit("/", 1)[-1] else ""
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name)
    if guessed is None:
        return "application/octet-stream"
    return guessed + ("; charset=utf-8" if guessed.startswith("text/") else "")


def page_digest(html: bytes) -> str:
    """A digest of a page that ignores the fingerprints in its stylesheets' names."""
    return hashlib.blake2b(_CSS_FINGERPRINT.sub(rb"\1", html), digest_size=12).hexdigest()
