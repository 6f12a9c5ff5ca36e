"""The preview's HTTP server: its threads and lifecycle, and how it answers a request.

Files come from the output folder (:mod:`rgsite.preview.files` says which), build news
goes out over server-sent events (``/__rgsite/events``, from
:class:`~rgsite.preview.state.LiveState`). Serving is strict, because the preview may be
reachable from a browser that also visits hostile pages: requests whose ``Host`` is not
this server are refused (:mod:`rgsite.preview.hosts`), and the live-reload script is
added to HTML responses only (:mod:`rgsite.preview.livereload`).

This module must not know how pages are built.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import socketserver
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from rgsite.preview import livereload
from rgsite.preview.content import CONTENT_TYPES, content_type
from rgsite.preview.files import not_found_page, resolve
from rgsite.preview.hosts import WILDCARDS, host_allowed
from rgsite.preview.state import LiveState

log = logging.getLogger(__name__)

PREFIX = "/__rgsite/"
HEADER_TIMEOUT = 10.0
"""Seconds a client has to send its request; an idle keep-alive connection closes too."""
PING = 15.0
"""Seconds between keep-alive comments on an event stream, to notice closed tabs."""
IMMUTABLE = "public, max-age=31536000, immutable"
"""How fingerprinted assets are cached: their bytes never change under their name."""


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
