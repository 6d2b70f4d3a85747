"""Every request first looks whether the data changed: a write through the store, or a rebuild
(``inko-graph build`` switched the store's ``current`` to a new database). Then the caches are
emptied and the query workers restarted (``sparql.ensure_fresh``) before the request is answered,
so no page answers from the data before the rebuild. Cheap when nothing changed: one ``readlink``.
"""

from __future__ import annotations

__all__ = ["FreshData"]


class FreshData:
    """Pure ASGI middleware around the whole application."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            app = scope.get("app")
            state = getattr(app, "state", None)
            if state is not None and hasattr(state, "query_pool"):
                if state.data_generation != getattr(state.store, "generation", 0):
                    from .sparql import ensure_fresh

                    ensure_fresh(app)
        return await self.app(scope, receive, send)
