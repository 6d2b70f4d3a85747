"""Every request first looks whether the data changed, and then empties the caches and restarts
the query workers (``ensure_fresh``) before it is answered:

- a write through the store, or a rebuild (``inko-graph build`` switched the store's ``current``
  to a new database: the store reopens itself, see ``OxigraphStore.refresh``);
- a journal entry written by another process (e.g. ``inko-graph raster import`` while this server
  holds the store): it is applied here (``journal.catch_up``).

Cheap when nothing changed: one ``readlink`` and one ``stat`` of the journal folder.
"""

from __future__ import annotations

import os

__all__ = ["FreshData", "data_changed", "ensure_fresh"]


class FreshData:
    """Pure ASGI middleware around the whole application."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            app = scope.get("app")
            state = getattr(app, "state", None)
            if state is not None and hasattr(state, "query_pool"):
                await _journal(state)
                if state.data_generation != getattr(state.store, "generation", 0):
                    ensure_fresh(app)
        return await self.app(scope, receive, send)


async def _journal(state) -> None:
    """Apply entries other processes added to the journal since the last look."""
    from ..store import journal

    folder = journal.journal_dir(state.settings)
    if folder is None or getattr(state.store, "path", None) is None:
        return
    try:
        mark = os.stat(folder).st_mtime_ns
    except OSError:
        return
    if mark == getattr(state, "journal_mark", None):
        return
    import asyncio

    state.journal_mark = mark
    try:
        await asyncio.to_thread(journal.catch_up, state.settings, state.store)
    except Exception as e:  # a damaged entry or a full disk must not turn every answer into an error
        import sys

        state.journal_mark = None  # look again at the next request, not only after the next entry

        print(f"Journal-Einträge anderer Programme konnten nicht übernommen werden: {e}", file=sys.stderr, flush=True)


def data_changed(app) -> None:
    """After a write that bypassed the store's own methods (e.g. a SPARQL update on ``store.inner``)."""
    store = app.state.store
    store.generation = getattr(store, "generation", 0) + 1
    if getattr(store, "path", None) is not None:
        store.flush()
    ensure_fresh(app)


def ensure_fresh(app) -> None:
    """If the store was written to since the last look: forget cached pages, figures and dumps,
    and restart the query workers on the new data. Cheap when nothing changed."""
    generation = getattr(app.state.store, "generation", 0)
    if generation != app.state.data_generation:
        app.state.data_generation = generation
        app.state.cache.clear()
        app.state.query_pool.reload()
