"""The HTTP server: a FastAPI application made by a factory, nothing heavy at import.

Routers live in modules of this package, each with a ``router`` (an ``APIRouter``) and an
optional ``setup(app)``; the order of ``ROUTER_MODULES`` is the order of matching, so the
linked-data routes (``lod``, which answer for whole IRI spaces) stay last. A module that needs
work at start or stop appends coroutines to ``app.state.startup`` / ``app.state.shutdown``.

Writes through the store's own methods (``replace_graphs``, ``drop_graphs``, ``load_quads``) are
seen at the next request: caches are emptied and the query workers restarted on the new data.
After writing to ``store.inner`` directly, call ``freshness.data_changed(app)``.
"""

from __future__ import annotations

import importlib
from contextlib import asynccontextmanager

from ..settings import Settings

__all__ = ["create_app", "ROUTER_MODULES"]

#: Keep "lod" last.
ROUTER_MODULES: list[str] = ["sparql", "views", "cockpit", "monitoring", "raster", "konzept", "kreisvergleich", "abfragen", "lod"]


@asynccontextmanager
async def _lifespan(app):
    for hook in app.state.startup:
        await hook(app)
    try:
        yield
    finally:
        for hook in reversed(app.state.shutdown):
            await hook(app)


def create_app(settings: Settings | None = None, store=None):
    """The application for ``settings``; ``store`` defaults to the built store of the settings."""
    from fastapi import FastAPI
    from starlette.staticfiles import StaticFiles

    from .freshness import FreshData
    from .http_errors import install_error_handlers
    from .middleware import ReadCORS, RequestGuard
    from .page_cache import PageCache
    from .templating import STATIC_DIR, make_environment

    settings = settings or Settings.from_env()
    if store is None:
        from ..load.build import ensure_built

        store = ensure_built(settings)
    app = FastAPI(title="inko-graph", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  lifespan=_lifespan)
    app.state.settings = settings
    app.state.store = store
    app.state.startup = []
    app.state.shutdown = []
    app.state.templates = make_environment(settings)
    #: Figures and dumps computed from the data; cleared whenever the data change.
    app.state.cache = {}
    #: Hot read-only routes answered before the router (see ``middleware.add_fast_route``).
    app.state.fast_routes = {}
    app.state.fast_prefixes = []
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    install_error_handlers(app)
    for name in ROUTER_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        app.include_router(module.router)
        if hasattr(module, "setup"):
            module.setup(app)
    app.add_middleware(PageCache)  # pages drawn once per state of the data, a bounded queue for the rest
    app.add_middleware(ReadCORS)
    app.add_middleware(FreshData)  # a rebuild or a write is seen before any cache answers
    app.add_middleware(RequestGuard)  # outermost: limits on the request head, security headers
    return app
