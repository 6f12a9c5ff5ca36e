"""Check links to other sites: politely, concurrently, with a cache — standard library only.

:class:`ExternalChecker` takes a set of ``http(s)`` URLs and returns a :class:`Verdict` for
each. How it behaves:

* **Bounded concurrency, one request per host at a time.** URLs are grouped by host;
  a pool of at most ``workers`` threads works through the hosts, each host's URLs one
  after another with at least ``host_delay`` seconds between one answer and the next
  request, so no site sees more than one request in flight from rgsite.
* **Timeouts and one retry.** Each request has a ``timeout``; a transient failure
  (timeout, connection error, 429 or 5xx) is tried once more after ``retry_wait`` (or
  the server's ``Retry-After``, capped).
* **HEAD, then GET.** A HEAD that fails (many servers refuse it) is repeated as a GET
  that reads no body.
* **Redirects are followed by hand** (up to :data:`MAX_REDIRECTS`), so a permanent
  one (301/308) is reported with its new address; temporary ones (302/303/307, as every
  ``doi.org`` link does) are followed silently.
* **A cache** in ``.rgsite-cache/links.json`` remembers answers: working links for
  ``ok_days``, dead ones for ``dead_days``; transient failures are never cached. It is
  written atomically and a damaged cache is ignored.
* Reserved example domains (``example.org``, ``*.test``, ...) are never fetched.

States: ``ok``; ``redirect`` (works, moved permanently); ``dead`` (404, 410, other 4xx,
bad certificate); ``blocked`` (401/403: may be a bot wall); ``transient`` (timeout,
connection failure, 429, 5xx); ``skipped``. The command decides what is an error.

This module knows nothing of pages or sites.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlsplit

from rgsite import net
from rgsite.output.files import write_atomic

log = logging.getLogger(__name__)

State = Literal["ok", "redirect", "dead", "blocked", "transient", "skipped"]
USER_AGENT = net.user_agent(tool="linkcheck")
MAX_REDIRECTS = 8
PERMANENT = (301, 308)
RETRY_WAIT = 1.0
"""Seconds before the one retry of a transient failure (unless the server says)."""
RETRY_AFTER_CAP = 10.0
CACHE_VERSION = 1
RESERVED_SUFFIXES = (".example", ".test", ".invalid", ".localhost")
RESERVED_HOSTS = ("example.com", "example.net", "example.org", "localhost")


@dataclass(frozen=True, slots=True)
class Verdict:
    url: str
    state: State
    code: int | None = None
    reason: str = ""
    target: str | None = None
    """Where a redirect leads (for ``redirect``, the final address)."""
    checked: float = 0.0
    cached: bool = False


@dataclass(frozen=True, slots=True)
class _Answer:
    code: int | None
    location: str | None = None
    error: str = ""
    transient: bool = False
    retry_after: float | None = None


class ExternalChecker:
    def __init__(
        self,
        *,
        cache: Path | None = None,
        timeout: float = 10.0,
        workers: int = 8,
        host_delay: float = 0.5,
        retry_wait: float | None = None,
        ok_days: float = 7.0,
        dead_days: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.cache_path = cache
        self.timeout, self.workers = timeout, max(1, workers)
        self.host_delay = host_delay
        self.retry_wait = RETRY_WAIT if retry_wait is None else retry_wait
        self.ok_seconds, self.dead_seconds = ok_days * 86400, dead_days * 86400
        self.clock = clock
        self.cache: dict[str, Verdict] = self._load_cache()
        self.requests = 0
        self._lock = threading.Lock()

    # -- the whole check --------------------------------------------------------------

    def check(
        self, urls: Iterable[str], progress: Callable[[int], None] | None = None
    ) -> dict[str, Verdict]:
        results: dict[str, Verdict] = {}
        by_host: dict[str, list[str]] = defaultdict(list)
        for url in sorted(set(urls)):
            skip = skip_reason(url)
            fresh = self._fresh(url)
            if skip:
                results[url] = Verdict(url, "skipped", reason=skip)
            elif fresh is not None:
                results[url] = fresh
            else:
                by_host[urlsplit(url).netloc.lower()].append(url)
                continue
            if progress is not None:
                progress(1)
        if by_host:
            with ThreadPoolExecutor(self.workers, thread_name_prefix="rgsite-links") as pool:
                futures = [
                    pool.submit(self._check_host, host_urls, progress)
                    for host_urls in by_host.values()
                ]
                for future in as_completed(futures):
                    for verdict in future.result():
                        results[verdict.url] = verdict
        self._save_cache(results)
        return results

    def _check_host(self, urls: list[str], progress: Callable[[int], None] | None) -> list[Verdict]:
        verdicts = []
        last = 0.0
        for url in urls:
            verdict, last = self._check_url(url, last)
            verdicts.append(verdict)
            if progress is not None:
                progress(1)
        return verdicts

    # -- one URL ------------------------------------------------------------------------

    def _check_url(self, url: str, last: float) -> tuple[Verdict, float]:
        """Follow ``url`` to its end; retry once if the failure looks transient."""
        verdict, last, retry_after = self._follow(url, last)
        if verdict.state == "transient":
            wait = self.retry_wait if retry_after is None else min(retry_after, RETRY_AFTER_CAP)
            time.sleep(max(0.0, wait))
            verdict, last, _ = self._follow(url, last)
        return verdict, last

    def _follow(self, url: str, last: float) -> tuple[Verdict, float, float | None]:
        current, permanent = url, False
        seen = {url}
        for _ in range(MAX_REDIRECTS + 1):
            if urlsplit(current).netloc.lower() == urlsplit(url).netloc.lower():
                self._polite(last)
            answer = self._request(current)
            last = time.monotonic()  # the delay counts from the end of the last answer
            now = self.clock()
            if answer.code is not None and 300 <= answer.code < 400 and answer.location:
                permanent = permanent or answer.code in PERMANENT
                following = urljoin(current, answer.location)
                if following in seen:
                    return (
                        Verdict(url, "dead", answer.code, "redirects in a loop", following, now),
                        last,
                        None,
                    )
                seen.add(following)
                current = following
                continue
            if answer.transient:
                return (
                    Verdict(url, "transient", answer.code, answer.error, None, now),
                    last,
                    answer.retry_after,
                )
            code = answer.code
            if code is not None and 200 <= code < 300:
                if permanent:
                    return (
                        Verdict(url, "redirect", code, "moved permanently", current, now),
                        last,
                        None,
                    )
                return (
                    Verdict(url, "ok", code, "", current if current != url else None, now),
                    last,
                    None,
                )
            if code in (401, 403):
                return Verdict(url, "blocked", code, answer.error, None, now), last, None
            target = current if current != url else None
            return Verdict(url, "dead", code, answer.error, target, now), last, None
        return (
            Verdict(
                url, "dead", None, f"more than {MAX_REDIRECTS} redirects", current, self.clock()
            ),
            last,
            None,
        )

    def _polite(self, last: float) -> None:
        wait = last + self.host_delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def _request(self, url: str) -> _Answer:
        answer = self._once(url, "HEAD")
        if answer.code is not None and answer.code >= 400 and answer.code not in (429,):
            # Many servers refuse or mishandle HEAD; ask again as a browser would.
            answer = self._once(url, "GET")
        return answer

    def _once(self, url: str, method: str) -> _Answer:
        with self._lock:
            self.requests += 1
        # Redirects come back as answers: _follow tells a permanent one from the rest.
        opener = net.opener(follow_redirects=False, host=urlsplit(url).hostname or "")
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
        )
        try:
            with opener.open(request, timeout=self.timeout) as response:
                if method == "GET":
                    response.read(1)
                return _Answer(response.status)
        except urllib.error.HTTPError as exc:
            with contextlib.suppress(Exception):
                exc.close()
            code = exc.code
            transient = code == 429 or code >= 500
            return _Answer(
                code,
                exc.headers.get("Location") if exc.headers else None,
                f"{code} {exc.reason}".strip(),
                transient,
                net.retry_after(
                    exc.headers.get("Retry-After") if exc.headers else None, time.time()
                ),
            )
        except (OSError, http.client.HTTPException) as exc:
            return self._no_answer(net.failure(exc))
        except ValueError as exc:
            return _Answer(None, error=f"not a valid URL: {exc}")

    def _no_answer(self, went: net.Failure) -> _Answer:
        """A request that got no answer; only a bad certificate is not worth a retry."""
        error = went.error
        if went.timed_out:
            return _Answer(None, error=f"no answer within {self.timeout:g} s", transient=True)
        if not went.connecting:
            return _Answer(None, error=f"connection failed: {error}", transient=True)
        if isinstance(error, ssl.SSLCertVerificationError):
            return _Answer(None, error=f"certificate problem: {error.verify_message}")
        if isinstance(error, socket.gaierror):
            return _Answer(None, error="the host name does not resolve", transient=True)
        return _Answer(None, error=f"cannot connect: {error}", transient=True)

    # -- cache --------------------------------------------------------------------------

    def _fresh(self, url: str) -> Verdict | None:
        cached = self.cache.get(url)
        if cached is None:
            return None
        age = self.clock() - cached.checked
        limit = self.dead_seconds if cached.state == "dead" else self.ok_seconds
        if 0 <= age < limit:
            return Verdict(
                cached.url,
                cached.state,
                cached.code,
                cached.reason,
                cached.target,
                cached.checked,
                cached=True,
            )
        return None

    def _load_cache(self) -> dict[str, Verdict]:
        if self.cache_path is None:
            return {}
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
            if data.get("version") != CACHE_VERSION:
                return {}
            entries: dict[str, Verdict] = {}
            for url, item in data["urls"].items():
                entries[url] = Verdict(
                    url,
                    item["state"],
                    item.get("code"),
                    item.get("reason", ""),
                    item.get("target"),
                    float(item["checked"]),
                )
            return entries
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("ignoring the link cache %s: %s", self.cache_path, exc)
            return {}

    def _save_cache(self, results: dict[str, Verdict]) -> None:
        if self.cache_path is None:
            return
        keep = {url: v for url, v in self.cache.items() if self._fresh(url) is not None}
        for url, verdict in results.items():
            if verdict.state in ("ok", "redirect", "dead", "blocked") and not verdict.cached:
                keep[url] = verdict
        payload = {
            "version": CACHE_VERSION,
            "urls": {
                url: {k: v for k, v in asdict(verdict).items() if k not in ("url", "cached")}
                for url, verdict in sorted(keep.items())
            },
        }
        data = json.dumps(payload, indent=1).encode("utf-8")
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            # Not synced: a cache lost in a power cut only means checking links again.
            write_atomic(self.cache_path, data, durable=False)
        except OSError as exc:
            log.warning("cannot write the link cache %s: %s", self.cache_path, exc)
        self.cache = keep


def skip_reason(url: str) -> str:
    """Why ``url`` is not fetched at all, or an empty string."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"not an http(s) address ({parts.scheme}:)"
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return "no host name"
    if (
        host in RESERVED_HOSTS
        or host.endswith(RESERVED_SUFFIXES)
        or any(host.endswith("." + reserved) for reserved in RESERVED_HOSTS)
    ):
        return "a reserved example address"
    return ""
