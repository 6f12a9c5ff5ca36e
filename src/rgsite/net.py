"""Asking other sites over HTTP: what ``rgsite papers fetch`` and ``check --external`` share.

Who rgsite says it is (:func:`user_agent`); how long a busy server asks it to wait
(:func:`retry_after`); which hosts are this computer (:func:`is_loopback`); openers with
a redirect policy that reach a loopback host directly, never through a proxy
(:func:`opener`); what went wrong when no HTTP answer came (:func:`failure`); and the
polite :class:`Client` that looks papers up.

The client asks one request at a time and at least ``delay`` seconds apart (from the end
of one request to the start of the next); every request has a timeout, from connecting
to the last byte; 429, 503 and other passing failures are retried, honouring
``Retry-After`` (seconds or an HTTP date) and otherwise backing off.

Standard library only. This module knows nothing of papers, links or sites.
"""

from __future__ import annotations

import email.utils
import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from http.client import HTTPMessage
from typing import IO, Protocol

from rgsite import __version__

PROJECT_URL = "https://pypi.org/project/rgsite/"
MAX_BYTES = 10 * 1024 * 1024
"""The largest answer a :class:`Client` reads."""
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
"""How this computer is usually named: what a browser pointed at it sends as ``Host``."""


def user_agent(mailto: str | None = None, *, tool: str = "") -> str:
    """``rgsite/0.1.0 (+https://pypi.org/project/rgsite/; mailto:you@example.org)``.

    ``tool`` names the part of rgsite that asks (``rgsite-linkcheck/0.1.0 (...)``), so a
    site's operator can tell a link check from a metadata lookup.
    """
    product = f"rgsite-{tool}" if tool else "rgsite"
    contact = f"; mailto:{mailto}" if mailto else ""
    return f"{product}/{__version__} (+{PROJECT_URL}{contact})"


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date).

    ``now`` is the wall-clock time (:func:`time.time`) a date is counted from. A value
    that is neither form is None: the caller waits as it would without the header.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": HTTP dates are in GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name, an address, or ``[v6]`` as in a URL) is this computer.

    ``localhost`` and every loopback address (``127.0.0.0/8``, ``::1``). Names under
    ``.localhost`` are not: binding to one or fetching one goes through the resolver.
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# -- openers -------------------------------------------------------------------------------


class FetchError(Exception):
    """A request that failed for good; the message says why, for a person."""


class NotFound(FetchError):
    """The server answered 404: it has no such record."""


class Unreachable(FetchError):
    """The server cannot be reached at all; later requests to it would fail too."""


class BadAnswer(FetchError):
    """The server answered, but not with what its API promises."""


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not newurl.lower().startswith(("http://", "https://")):
            raise BadAnswer(f"the server redirected to {newurl}, which rgsite does not follow")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: each 3xx reaches the caller as an :class:`HTTPError`."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> None:
        return None


def opener(*, follow_redirects: bool, host: str | None = None) -> urllib.request.OpenerDirector:
    """An opener that follows redirects to http(s) addresses, or that follows none.

    A link checker follows none, to see each redirect and tell a permanent one from a
    temporary one; :class:`BadAnswer` stops a redirect to anything but http(s). With
    ``host`` (where every request will go), a loopback host is reached directly: a proxy
    the environment names would not reach this computer's servers.
    """
    policy = _SafeRedirects() if follow_redirects else _NoRedirects()
    handlers: list[urllib.request.BaseHandler] = [policy]
    if host is not None and is_loopback(host):
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


# -- requests that got no answer -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Failure:
    """A request that got no HTTP answer, unwrapped from urllib's :class:`URLError`."""

    error: BaseException
    """What went wrong underneath."""
    connecting: bool
    """Whether it went wrong before the request was sent (urllib wraps only those)."""

    @property
    def timed_out(self) -> bool:
        return isinstance(self.error, TimeoutError)

    @property
    def reason(self) -> str:
        """The error in a few plain words: ``connection refused``, ``unknown host ...``."""
        error = self.error
        if error.args and isinstance(error.args[0], BaseException):
            error = error.args[0]
        if isinstance(error, ConnectionRefusedError):
            return "connection refused"
        if isinstance(error, socket.gaierror):
            return "unknown host (are you online?)"
        text = getattr(error, "strerror", None) or str(error)
        return text or type(error).__name__


def failure(exc: OSError | http.client.HTTPException) -> Failure:
    """What a request that raised ``exc`` (not an :class:`HTTPError`) ran into."""
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        error = reason if isinstance(reason, BaseException) else OSError(reason)
        return Failure(error, connecting=True)
    return Failure(exc, connecting=False)


# -- the polite client ---------------------------------------------------------------------


class Manners(Protocol):
    """How a :class:`Client` asks: how often, how patiently and in whose name."""

    @property
    def delay(self) -> float:
        """Least seconds between the end of one request and the start of the next."""
        ...

    @property
    def timeout(self) -> float:
        """Seconds a request may take, from connecting to the last byte."""
        ...

    @property
    def retries(self) -> int:
        """Further attempts after a 429, a 5xx, a timeout or a dropped connection."""
        ...

    @property
    def max_wait(self) -> float:
        """The longest ``Retry-After`` honoured; a server asking for more is reported."""
        ...

    @property
    def user_agent(self) -> str: ...


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value >= 10 else f"{value:.1f} s".replace(".0 s", " s")


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0]


@dataclass(slots=True)
class Client:
    """One request at a time, ``options.delay`` apart, with timeouts and retries."""

    options: Manners
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    wallclock: Callable[[], float] = time.time
    requests: int = 0
    """Requests sent, retries included."""
    _last: float | None = None
    _not_before: float = 0.0
    _opener: urllib.request.OpenerDirector = field(
        default_factory=lambda: opener(follow_redirects=True)
    )

    def _wait_turn(self) -> None:
        ready = self._not_before
        if self._last is not None:
            ready = max(ready, self._last + self.options.delay)
        pause = ready - self.clock()
        if pause > 0:
            self.sleep(pause)

    def get(self, url: str, accept: str) -> bytes:
        """The body of a 200 answer to GET ``url``; raises a :class:`FetchError` otherwise."""
        attempts = self.options.retries + 1
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        for attempt in range(attempts):
            last = attempt == attempts - 1
            self._wait_turn()
            self.requests += 1
            try:
                status, wait_header, body = self._once(url, accept)
            except (OSError, http.client.HTTPException) as exc:
                went = failure(exc)
                if last and went.timed_out:
                    raise FetchError(
                        f"no answer within {_seconds(self.options.timeout)} after {tries}; "
                        "try again later"
                    ) from None
                if last:
                    raise Unreachable(f"cannot reach {_host(url)}: {went.reason}") from None
                self._back_off(attempt, None)
                continue
            finally:
                self._last = self.clock()
            if status == 200:
                return body
            if status == 404:
                raise NotFound("not found (HTTP 404)")
            if status in RETRY_STATUSES:
                asked = retry_after(wait_header, self.wallclock())
                if asked is not None and asked > self.options.max_wait:
                    raise FetchError(
                        f"the server is busy (HTTP {status}) and asks to wait "
                        f"{_seconds(asked)}; try again later"
                    )
                if last:
                    raise FetchError(
                        f"the server is busy or failing (HTTP {status}) after {tries}; "
                        "try again later"
                    )
                self._back_off(attempt, asked)
                continue
            raise FetchError(f"the server refused the request (HTTP {status})")
        raise AssertionError("unreachable")  # pragma: no cover

    def _back_off(self, attempt: int, asked: float | None) -> None:
        wait = asked if asked is not None else self.options.delay * 2**attempt
        wait = max(wait, self.options.delay, 0.05)
        self._not_before = self.clock() + wait

    def _once(self, url: str, accept: str) -> tuple[int, str | None, bytes]:
        """One GET: the status, the ``Retry-After`` header and the body (of a 200 only)."""
        request = urllib.request.Request(
            url, headers={"User-Agent": self.options.user_agent, "Accept": accept}
        )
        started = self.clock()
        try:
            response = self._opener.open(request, timeout=self.options.timeout)
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.headers.get("Retry-After") if exc.headers else None, b""
        except ValueError as exc:  # http.client.InvalidURL and its kin
            raise FetchError(f"'{url}' is not a URL rgsite can ask ({exc})") from None
        with response:
            chunks = []
            size = 0
            while True:
                chunk = response.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_BYTES:
                    raise BadAnswer(f"the answer is larger than {MAX_BYTES // 1024 // 1024} MB")
                # The socket's timeout bounds each read; this bounds the whole answer.
                if self.clock() - started > self.options.timeout:
                    raise TimeoutError
                chunks.append(chunk)
            return response.status, response.headers.get("Retry-After"), b"".join(chunks)
