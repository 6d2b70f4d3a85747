"""Answers to repeated read requests, bounded in bytes, least recently used out first.

Used by ``middleware.ReadCORS`` for the SPARQL endpoint and the linked-data pages. The data
change only through writes and builds; the server empties this cache (with its other caches)
whenever the store's generation changes, so an answer from here is never stale.
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
    def _cost(key: tuple, body: bytes) -> int:
        return sum(len(k) for k in key if isinstance(k, (bytes, str))) + len(body) + 300

    def get(self, key: tuple):
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
            self.hits += 1
        return item

    def put(self, key: tuple, headers: list, body: bytes) -> None:
        """Keep a successful answer unless it is larger than an eighth of the whole cache."""
        cost = self._cost(key, body)
        if self.max_bytes <= 0 or cost > self.max_bytes // 8 or key in self._items:
            return
        self._items[key] = (headers, body)
        self._size += cost
        while self._size > self.max_bytes and self._items:
            old_key, (_, old_body) = self._items.popitem(last=False)
            self._size -= self._cost(old_key, old_body)

    def __len__(self) -> int:
        return len(self._items)
