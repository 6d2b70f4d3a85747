"""Answers to repeated queries, bounded in bytes, least recently used out first.

The data change only through writes and builds; the server empties this cache (with all its other
caches) when the store's generation changes, so an answer from here is never stale.
"""

from __future__ import annotations

from collections import OrderedDict

__all__ = ["AnswerCache"]


class AnswerCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict = OrderedDict()
        self._size = 0
        self.hits = 0

    @staticmethod
    def _cost(key, reply) -> int:
        return len(key[0]) + len(reply[3]) + 200

    def get(self, key):
        reply = self._items.get(key)
        if reply is not None:
            self._items.move_to_end(key)
            self.hits += 1
        return reply

    def put(self, key, reply: tuple) -> None:
        """Keep a successful reply ``("ok", kind, fmt, body, rows, truncated)`` unless it is too big."""
        if self.max_bytes <= 0 or reply[0] != "ok":
            return
        cost = self._cost(key, reply)
        if cost > self.max_bytes // 8 or key in self._items:
            return
        self._items[key] = reply
        self._size += cost
        while self._size > self.max_bytes and self._items:
            old_key, old = self._items.popitem(last=False)
            self._size -= self._cost(old_key, old)

    def __len__(self) -> int:
        return len(self._items)
