"""Which file in the output folder a request names, refusing anything that reaches out.

Files are resolved at every request, never remembered, because builds replace them
under the server. Refused: ``..`` and ``.`` in any encoding, backslashes, NUL bytes,
empty segments and symbolic links that lead outside the folder; hidden files and
folders without ``index.html`` are 404, never a listing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a request path names: a file, a redirect, or a refusal."""

    status: int
    file: Path | None = None
    location: str | None = None
    reason: str = ""


def _traversal(path: str) -> str | None:
    if "\\" in path:
        return "backslashes are not allowed in paths"
    if "\0" in path:
        return "NUL bytes are not allowed in paths"
    if any(part in ("..", ".") for part in path.split("/")):
        return "'..' and '.' are not allowed in paths"
    return None


def resolve(out: Path, base_path: str, target: str) -> Resolved:
    """The file in ``out`` that the request target ``target`` names, under ``base_path``.

    Files are looked up now, not remembered: the output folder is swapped by every build.
    """
    raw = target.split("#", 1)[0]
    path, _, query = raw.partition("?")
    if not path.startswith("/") or path.startswith("//"):
        return Resolved(403, reason="only paths that start with a single / are served")
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return Resolved(404)
    for form in (path, decoded, unquote(decoded)):
        why = _traversal(form)
        if why:
            return Resolved(403, reason=why)
    if not decoded.startswith(base_path):
        if decoded in ("/", base_path.rstrip("/")):
            return Resolved(302, location=base_path)
        return Resolved(404)
    rest = decoded[len(base_path) :]
    parts = rest.split("/")
    if any(part == "" for part in parts[:-1]):
        return Resolved(403, reason="empty path segments (absolute paths) are not allowed")
    if any(part.startswith(".") for part in parts):
        return Resolved(404)
    root = Path(os.path.realpath(out))
    candidate = root.joinpath(*parts) if rest else root
    if candidate.is_dir():
        if rest and not rest.endswith("/"):
            if (candidate / "index.html").is_file():
                return Resolved(301, location=path + "/" + (f"?{query}" if query else ""))
            return Resolved(404)
        candidate = candidate / "index.html"
    real = Path(os.path.realpath(candidate))
    if not real.is_relative_to(root):
        return Resolved(403, reason="this file is a link to outside the site")
    if not real.is_file():
        return Resolved(404)
    return Resolved(200, file=real)


def not_found_page(out: Path) -> Path | None:
    page = Path(os.path.realpath(out / "404.html"))
    return page if page.is_file() and page.is_relative_to(os.path.realpath(out)) else None
