"""Answers to repeated read requests, bounded in bytes, least recently used out first.

Used by ``middleware.ReadCORS`` for the SPARQL endpoint and the linked-data pages, and by
``page_cache.PageCache`` for the pages. The data change only through writes and builds; the
server empties this cache (with its other caches) whenever the store's generation changes, so an
answer from here is never stale.

A request that arrives while the same request is being answered for another client waits for
that answer (``lookup`` between ``begin`` and ``end``) instead of computing it again: twenty
clients opening a page nobody asked for since the last change cost one drawing of it.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict

__all__ = ["AnswerCache"]


class AnswerCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict = OrderedDict()
        self._size = 0
        self._flights: dict = {}
        self.hits = 0
        self.shared = 0

    @staticmethod
    def _cost(key: tuple, body: bytes) -> int:
        return sum(len(k) for k in key if isinstance(k, (bytes, str))) + len(body) + 300

    def get(self, key: tuple):
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
            self.hits += 1
        return item

    @property
    def largest(self) -> int:
        """Bytes of the largest answer kept: a quarter of the whole (the full answer of a named query
        over all concepts is 4.3 MB and costs seconds; answers are rarely near this size)."""
        return self.max_bytes // 4

    def put(self, key: tuple, headers: list, body: bytes) -> None:
        """Keep a successful answer unless it is larger than ``largest``."""
        cost = self._cost(key, body)
        if self.max_bytes <= 0 or cost > self.largest or key in self._items:
            return
        self._items[key] = (headers, body)
        self._size += cost
        while self._size > self.max_bytes and self._items:
            old_key, (_, old_body) = self._items.popitem(last=False)
            self._size -= self._cost(old_key, old_body)

    async def lookup(self, key: tuple):
        """``(status, headers, body)``: the kept answer (200); else, if the same request is being
        answered right now, that answer (200, or 503 when it ran out of time or found no free place:
        asked at the same moment, the same question would too); else ``None``."""
        item = self.get(key)
        if item is not None:
            return (200, *item)
        flight = self._flights.get(key)
        if flight is None:
            return None
        item = await asyncio.shield(flight)
        if item is not None:
            self.shared += 1
        return item

    def begin(self, key: tuple) -> asyncio.Future:
        """Mark ``key`` as being answered; others asking for it wait in ``lookup`` until ``end``."""
        flight = asyncio.get_running_loop().create_future()
        self._flights[key] = flight
        return flight

    def end(self, key: tuple, flight: asyncio.Future, answer: tuple | None) -> None:
        """The answer ``(status, headers, body)`` for those waiting, or ``None``: they answer themselves."""
        if self._flights.get(key) is flight:
            del self._flights[key]
        if not flight.done():
            flight.set_result(answer)

    def __len__(self) -> int:
        return len(self._items)
