"""The HTTP server: a FastAPI application made by a factory, nothing heavy at import.

Routers live in modules of this package, each with a ``router`` (an ``APIRouter``); the order
of ``ROUTER_MODULES`` is the order of matching, so the catch-all linked-data routes come last.
"""

from __future__ import annotations

import importlib

from fastapi import FastAPI

from ..settings import Settings

__all__ = ["create_app", "ROUTER_MODULES"]

ROUTER_MODULES: list[str] = []


def create_app(settings: Settings | None = None, store=None) -> FastAPI:
    """The application for ``settings``; ``store`` defaults to the built store of the settings."""
    settings = settings or Settings.from_env()
    if store is None:
        from ..build import ensure_built

        store = ensure_built(settings)
    app = FastAPI(title="inko-graph", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.settings = settings
    app.state.store = store
    for name in ROUTER_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        app.include_router(module.router)
        if hasattr(module, "setup"):
            module.setup(app)
    return app
