"""The preview's HTTP server: files from the output folder, and build news for pages.

Build epochs go out over server-sent events (``/__rgsite/events``). Each stream carries
the page's path and a digest of what the page showed when it was served; after every
build the server digests the file that path now serves and tells that page whether to
reload. Digests ignore the fingerprints of stylesheet names, so a CSS-only change does
not reload: the event carries the new stylesheet names and the page swaps them in place.

Serving is strict, because the preview may be reachable from a browser that also visits
hostile pages: only files inside the output folder, resolved at every request (builds
replace files under us), never ``..`` in any encoding, backslashes, NUL bytes, empty
segments, hidden files or symbolic links that lead out; requests whose ``Host`` is not
this server are refused (DNS rebinding); folders without ``index.html`` are 404, never a
listing. The live-reload script is added to HTML responses only (:mod:`rgsite.livereload`).

This module must not know how pages are built.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import mimetypes
import os
import re
import socket
import socketserver
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from rgsite.errors import Problem
from rgsite.net import LOOPBACK_NAMES
from rgsite.preview import livereload

if TYPE_CHECKING:
    from rgsite.build.builder import Result

log = logging.getLogger(__name__)

PREFIX = "/__rgsite/"
HEADER_TIMEOUT = 10.0
"""Seconds a client has to send its request; an idle keep-alive connection closes too."""
PING = 15.0
IMMUTABLE = "public, max-age=31536000, immutable"
"""Seconds between keep-alive comments on an event stream, to notice closed tabs."""
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


WILDCARDS = ("", "0.0.0.0", "::")


def host_allowed(
    header: str | None, bound: str, port: int, own_names: frozenset[str] = frozenset()
) -> bool:
    """Whether a request's ``Host`` names this server, not some other name (DNS rebinding).

    Loopback names and addresses, ``*.localhost``, the host the server was bound to, and
    — when bound to every interface — any IP address and this machine's own name.
    """
    if not header:
        return False
    header = header.strip().lower()
    if header.startswith("["):
        name, sep, rest = header[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            return False
        given = rest[1:]
    else:
        name, _, given = header.partition(":") if header.count(":") == 1 else (header, "", "")
    if given != str(port) and not (given == "" and port == 80):
        return False
    bound = bound.strip("[]").lower()
    # Not every loopback address: a browser that reached this server names it as
    # localhost, by the usual addresses or by the address it was bound to.
    if name in LOOPBACK_NAMES or name.endswith(".localhost") or name == bound:
        return True
    if bound in WILDCARDS:
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return name in own_names
    return False


# -- resolving a request to a file ------------------------------------------------------


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


# -- what the browser is told -----------------------------------------------------------


class LiveState:
    """The last build's outcome, numbered by epoch; event streams wait on it."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.epoch = 0
        self.base_path = "/"
        self.errors: list[dict[str, str]] = []
        self.styles: dict[str, str] = {}
        self.fingerprinted: frozenset[str] = frozenset()
        """Output paths whose names carry a digest of their bytes: cached for good."""
        self.stopping = False
        self._cond = threading.Condition()

    def succeeded(self, result: Result) -> None:
        base = result.site.config.base_path if result.site is not None else "/"
        styles = {
            base + rel: base + name for rel, name in result.assets.items() if rel.endswith(".css")
        }
        fingerprinted = frozenset(result.assets.values())
        with self._cond:
            self.base_path, self.styles, self.errors = base, styles, []
            self.fingerprinted = fingerprinted
            self.epoch += 1
            self._cond.notify_all()

    def failed(self, problems: Iterable[Problem]) -> None:
        errors = [
            {"where": str(p.location), "message": p.message}
            for p in problems
            if p.severity == "error"
        ]
        with self._cond:
            self.errors = errors
            self.epoch += 1
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self.stopping = True
            self._cond.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """The epoch after ``seen``, or ``seen`` again after ``timeout`` seconds."""
        with self._cond:
            self._cond.wait_for(lambda: self.epoch != seen or self.stopping, timeout)
            return self.epoch

    def page(self, path: str) -> tuple[int, bytes | None]:
        """The status and bytes the page at ``path`` would be served with now."""
        found = resolve(self.out, self.base_path, path)
        file = found.file if found.status == 200 else not_found_page(self.out)
        status = 200 if found.status == 200 else 404
        if file is None:
            return status, None
        try:
            return status, file.read_bytes()
        except OSError:
            return 404, None

    def message(self, path: str, digest: str) -> dict[str, Any]:
        """What the page at ``path``, served with ``digest``, must do after this build."""
        with self._cond:
            epoch, errors, styles = self.epoch, list(self.errors), dict(self.styles)
        _, data = self.page(path)
        current = page_digest(data) if data is not None else "none"
        return {"epoch": epoch, "reload": current != digest, "errors": errors, "assets": styles}

    def config(self, data: bytes | None) -> dict[str, Any]:
        """The live script's settings for a page served with ``data``."""
        with self._cond:
            errors = list(self.errors)
        digest = page_digest(data) if data is not None else "none"
        return {"events": livereload.EVENTS, "digest": digest, "errors": errors}


# -- the HTTP server --------------------------------------------------------------------


class PreviewServer(ThreadingHTTPServer):
    """A threaded server with a listen queue for many tabs, whose threads never block exit."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], state: LiveState) -> None:
        self.state = state
        self.host = address[0]
        self.own_names: frozenset[str] = frozenset()
        if self.host.strip("[]") in WILDCARDS:
            self.own_names = frozenset({socket.gethostname().lower(), socket.getfqdn().lower()})
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host up in DNS (getfqdn), which can stall.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.host), self.port

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that goes away mid-request is normal; anything else is logged."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            log.debug("connection from %s ended: %s", client_address, error)
        else:
            log.error("error while answering %s", client_address, exc_info=error)


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = HEADER_TIMEOUT
    server_version = "rgsite"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; with Nagle's algorithm the second waits
        # for the browser's delayed ACK of the first, 40 ms per file on every reload.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, *, head: bool) -> None:
        try:
            self._dispatch(head)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
        except Exception:
            log.exception("error while answering %s", self.path)
            self.close_connection = True

    def _dispatch(self, head: bool) -> None:
        state, port = self.server.state, self.server.port
        if not host_allowed(
            self.headers.get("Host"), self.server.host, port, self.server.own_names
        ):
            self._text(
                403,
                f"rgsite serve refuses requests for host {self.headers.get('Host')!r}: open "
                f"http://127.0.0.1:{port}/ or http://localhost:{port}/ instead. (Requests "
                "naming another host are refused to stop DNS-rebinding attacks.)",
                head,
            )
            return
        if self.path.split("?", 1)[0] == livereload.EVENTS:
            self._events(head)
            return
        if self.path.startswith(PREFIX):
            self._text(404, "not found", head)
            return
        found = resolve(state.out, state.base_path, self.path)
        if found.status in (301, 302):
            self.send_response(found.status)
            self.send_header("Location", found.location or "/")
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
        elif found.status == 403:
            self._text(403, f"refused: {found.reason}", head)
        elif found.status == 200 and found.file is not None:
            self._file(200, found.file, head)
        else:
            page = not_found_page(state.out)
            if page is None:
                self._html(404, b"<!doctype html><title>Not found</title><h1>Not found</h1>", head)
            else:
                self._file(404, page, head)

    def _file(self, status: int, file: Path, head: bool) -> None:
        try:
            data = file.read_bytes()
        except OSError:  # swapped away or unreadable since it was resolved
            if status == 404:
                self._text(404, "not found", head)
                return
            page = not_found_page(self.server.state.out)
            if page is None:
                self._text(404, "not found", head)
            else:
                self._file(404, page, head)
            return
        kind = content_type(file)
        if kind.startswith("text/html"):
            self._html(status, data, head)
            return
        self._send(status, kind, data, head, cache=self._caching(file))

    def _caching(self, file: Path) -> str:
        """Fingerprinted assets never change under their name, so a reload need not ask."""
        state = self.server.state
        try:
            rel = file.relative_to(os.path.realpath(state.out)).as_posix()
        except ValueError:
            return "no-cache"
        return IMMUTABLE if rel in state.fingerprinted else "no-cache"

    def _html(self, status: int, data: bytes, head: bool) -> None:
        body = livereload.inject(data, self.server.state.config(data))
        self._send(status, CONTENT_TYPES[".html"], body, head, cache="no-store")

    def _text(self, status: int, text: str, head: bool) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode() + b"\n", head, "no-store")

    def _send(self, status: int, kind: str, data: bytes, head: bool, cache: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _events(self, head: bool) -> None:
        query = parse_qs(urlsplit(self.path).query)
        path = query.get("path", ["/"])[0]
        digest = query.get("digest", [""])[0]
        state = self.server.state
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.send_header("X-Accel-Buffering", "no")
        self.end_headers()
        if head:
            return
        self.wfile.write(b"retry: 1000\n\n")
        seen = -1
        while not state.stopping:
            epoch = state.wait(seen, PING) if seen >= 0 else state.epoch
            if state.stopping:
                return
            if epoch == seen:
                self.wfile.write(b": ping\n\n")
                self.wfile.flush()
                continue
            seen = epoch
            message = state.message(path, digest)
            data = json.dumps(message, separators=(",", ":"))
            self.wfile.write(f"id: {epoch}\nevent: build\ndata: {data}\n\n".encode())
            self.wfile.flush()
