"""Pages drawn once per state of the data, and a bounded queue for the pages that must be drawn.

The cockpit pages, the network views and the dataset description are drawn from the data alone
(given the address, ``Accept``, the Gebiet cookie and the day). Drawing one costs 30–230 ms of
the server's single interpreter; under 50 clients they were drawn again and again, in up to 40
threads contending for the interpreter lock, and every other answer (also those from the answer
cache) waited behind them: p99 1.8 s on a quiet machine.

``PageCache`` (pure ASGI, inside ``ReadCORS``):

- keeps a drawn page (status 200, no cookie set, no ``Authorization`` sent) in an ``AnswerCache``
  in ``app.state.cache``, which the server empties whenever the data change (``ensure_fresh``),
  so a kept page is never stale; a page drawn while the data changed is not kept;
- draws a page asked for by several clients at once only once: the others wait for its answer;
- draws at most ``DRAWING`` pages at once, the others wait in order of arrival (``Gate``). When
  ``WAITING`` requests already wait, or one has waited ``WAIT_SECONDS``, it is answered 503 with
  ``Retry-After`` at once, in German, instead of queueing for tens of seconds.
"""

from __future__ import annotations

import asyncio
import datetime
from collections import deque

from ..errors import QueryTimeout

__all__ = ["PageCache", "Gate", "Overloaded", "PAGES", "PAGE_PREFIXES", "DRAWING", "WAITING", "WAIT_SECONDS",
           "RETRY_SECONDS"]

#: Pages whose answer depends only on the data, the address, Accept, the cookie and the day.
PAGES = frozenset({"/", "/wer-dient", "/ziele", "/luecken", "/kreisziele", "/ueberschneidungen", "/matrix",
                   "/massnahmen", "/akteure", "/netzwerk", "/kreisvergleich", "/monitoring", "/monitoring/indikator",
                   "/monitoring/luecken", "/monitoring/widersprueche", "/downloads", "/.well-known/void",
                   "/bericht", "/aenderungen", "/aenderungen/konzept", "/abfragen"})
#: The catalogue's pages run named queries in the server process: gated like the cockpit.
PAGE_PREFIXES = ("/netzwerk/", "/abfragen/")
#: Pages drawn at once (two cores; a page mostly holds the interpreter lock).
DRAWING = 2
#: Requests that may wait for a free place before the next is refused at once.
WAITING = 64
#: Longest wait for a free place before the answer is 503.
WAIT_SECONDS = 10.0
#: ``Retry-After`` of an answer 503.
RETRY_SECONDS = 5

_HIT_TIMING = (b"server-timing", b"cache;desc=zwischengespeichert")


class Overloaded(QueryTimeout):
    """Too many requests wait already (answered 503 with ``Retry-After``)."""


class Gate:
    """At most ``slots`` holders at once; the others wait in order of arrival, at most ``waiting``
    of them and each at most ``wait_seconds``."""

    def __init__(self, slots: int = DRAWING, waiting: int = WAITING, wait_seconds: float = WAIT_SECONDS):
        self.slots, self.max_waiting, self.wait_seconds = max(1, slots), max(0, waiting), wait_seconds
        self.busy = 0
        self.refused = 0
        self._queue: deque[asyncio.Future] = deque()

    @property
    def waiting(self) -> int:
        return sum(1 for f in self._queue if not f.done())

    async def acquire(self) -> None:
        if self.busy < self.slots and not self.waiting:
            self.busy += 1
            return
        if self.waiting >= self.max_waiting:
            self.refused += 1
            raise Overloaded(f"Der Server ist gerade ausgelastet ({self.waiting} Anfragen warten schon). "
                             f"Bitte in {RETRY_SECONDS} Sekunden noch einmal versuchen.")
        fut = asyncio.get_running_loop().create_future()
        self._queue.append(fut)
        try:
            await asyncio.wait_for(asyncio.shield(fut), self.wait_seconds)
        except (TimeoutError, asyncio.CancelledError) as e:
            if fut.done() and not fut.cancelled():
                self.release()  # the place was handed over just as the wait ended: pass it on
            else:
                fut.cancel()
            if isinstance(e, asyncio.CancelledError):
                raise
            self.refused += 1
            raise Overloaded(f"Der Server ist gerade ausgelastet: die Anfrage wartete {self.wait_seconds:g} s "
                             f"vergeblich. Bitte in {RETRY_SECONDS} Sekunden noch einmal versuchen.") from None

    def release(self) -> None:
        """Hand the place to the longest waiting request, or free it."""
        while self._queue:
            fut = self._queue.popleft()
            if not fut.done():
                fut.set_result(None)  # busy stays the same: the place changes hands
                return
        self.busy -= 1


def _is_page(path: str) -> bool:
    return path in PAGES or path.startswith(PAGE_PREFIXES)


def _state_parts(app):
    state = app.state
    cache = state.cache.get("seiten")
    if cache is None and state.settings.query_cache_bytes > 0:
        from .answer_cache import AnswerCache

        cache = state.cache["seiten"] = AnswerCache(state.settings.query_cache_bytes)
    gate = getattr(state, "page_gate", None)
    if gate is None:
        gate = state.page_gate = Gate()
    return cache, gate


async def _refuse(scope, receive, send, exc: Overloaded) -> None:
    from starlette.requests import Request

    from .http_errors import error_response

    request = Request(scope, receive)
    response = error_response(request, 503, str(exc), {"Retry-After": str(RETRY_SECONDS)})
    await response(scope, receive, send)


class PageCache:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or not _is_page(scope["path"]):
            return await self.app(scope, receive, send)
        app = scope["app"]
        cache, gate = _state_parts(app)
        headers = dict(scope["headers"])
        if cache is None or b"authorization" in headers:
            return await self._gated(scope, receive, send, gate, self.app)
        key = ("seite", scope["path"], scope["query_string"], headers.get(b"accept", b""),
               headers.get(b"cookie", b""), datetime.date.today().toordinal())
        hit = await cache.lookup(key)  # kept, or being drawn for another client right now
        if hit is not None:
            await send({"type": "http.response.start", "status": hit[0], "headers": hit[1]})
            await send({"type": "http.response.body", "body": hit[2]})
            return
        start, chunks = {}, []
        generation = app.state.data_generation

        async def keep(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        flight, answer = cache.begin(key), None
        try:
            await self._gated(scope, receive, keep, gate, self.app)
            kept = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"server-timing"]
            if (start.get("status") == 200 and generation == app.state.data_generation
                    and not any(k.lower() == b"set-cookie" for k, _ in kept)):
                answer = (200, kept + [_HIT_TIMING], b"".join(chunks))
                cache.put(key, answer[1], answer[2])
        finally:
            cache.end(key, flight, answer)

    @staticmethod
    async def _gated(scope, receive, send, gate: Gate, app) -> None:
        try:
            await gate.acquire()
        except Overloaded as e:
            return await _refuse(scope, receive, send, e)
        try:
            await app(scope, receive, send)
        finally:
            gate.release()
