"""What every cockpit page shares: running named queries, the chosen Gebiet, the page itself with
its downloads (CSV, Excel), paging and sorting of long tables, and small text helpers."""

from __future__ import annotations

import math

from fastapi import Request

from ..views.akteursliste import count, local, natural, text  # small text helpers the lists share
from . import gebiet as gb
from .cockpit_export import Tabelle, download
from .named_queries import catalogue

__all__ = ["catalogue", "run", "gestrichen", "struck_for", "current_store", "text", "count", "natural", "local", "page", "Tabelle", "paged", "sort_rows"]

PAGE_SIZE = 50


def run(request: Request, name: str, params: dict | None = None):
    """A named query's rows (DataFrame), cached per state of the data (the cache is emptied when
    the data change), from what the current version of each concept states (``query.gestrichen``)
    and in its wording (``query.wortlaut``)."""
    from ..query.catalogue import run as run_query
    from ..query.gestrichen import without_struck
    from ..query.wortlaut import current_rows

    params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    key = ("cockpit-abfrage", name, tuple(sorted(params.items())))
    cache = request.app.state.cache
    df = cache.get(key)
    if df is None:
        g = gestrichen(request)
        df = run_query(g.store or request.app.state.store, catalogue(request.app).get(name), params)
        if g.store is None:
            df = without_struck(df, g)
        df = cache[key] = current_rows(df, wortlaut(request))
    return df


def gestrichen(request: Request):
    """What the uploaded concepts no longer contain, and the store of the current statements, made
    once per state of the data."""
    return struck_for(request.app)


def struck_for(app):
    """``gestrichen`` for the application (pages that are not cockpit pages: the network views)."""
    from ..query.gestrichen import struck

    cache = app.state.cache
    g = cache.get("konzept-gestrichen")
    if g is None:
        g = cache["konzept-gestrichen"] = struck(app.state.store, catalogue(app))
    return g


def current_store(app):
    """The store of what the current version of each concept states (a copy without what uploaded
    concepts leave out, ``query.gestrichen``), or the store itself without uploads or on a server."""
    return struck_for(app).store or app.state.store


def wortlaut(request: Request):
    """The wording the uploaded concepts replace, read once per state of the data."""
    from ..query.wortlaut import replaced

    cache = request.app.state.cache
    w = cache.get("konzept-wortlaut")
    if w is None:
        w = cache["konzept-wortlaut"] = replaced(request.app.state.store, catalogue(request.app))
    return w


def page(request: Request, template: str, title: str, *, tabellen: list[Tabelle] | None = None,
         dateiname: str | None = None, **context):
    """The page, or one of its tables as a download (``?format=csv|xlsx&tabelle=id``).

    Adds the chosen Gebiet and the choices to the context and keeps a choice made in the URL in
    the cookie."""
    from .templating import render

    g = gb.chosen(request)
    fmt = request.query_params.get("format")
    if fmt:
        name = (dateiname or title) + (f" {g.name}" if g else "")
        resp = download(request, tabellen or [], fmt, request.query_params.get("tabelle"), name)
        if resp is not None:
            gb.remember(request, resp)
            return resp
    context.setdefault("gebiet", g)
    context["cockpit_gebiet"] = g
    context["cockpit_gebiete"] = list(gb.choices(request.app).values())
    context.setdefault("tabellen", {t.id: t for t in tabellen or []})
    resp = render(request, template, title=title, **context)
    gb.remember(request, resp)
    return resp


def paged(rows: list, request: Request, size: int = PAGE_SIZE) -> tuple[list, dict]:
    """One page of ``rows`` (``?seite=N``, from 1) and what the pager shows."""
    try:
        n = max(1, int(request.query_params.get("seite", "1")))
    except ValueError:
        n = 1
    pages = max(1, math.ceil(len(rows) / size))
    n = min(n, pages)
    return rows[(n - 1) * size:n * size], {"seite": n, "seiten": pages, "anzahl": len(rows),
                                           "von": (n - 1) * size + 1 if rows else 0,
                                           "bis": min(n * size, len(rows))}


def sort_rows(rows: list[dict], key: str | None, allowed: dict[str, str], default: str) -> tuple[list, str, bool]:
    """Rows sorted by ``?sortierung=spalte`` or ``-spalte`` (descending); ``allowed`` maps the
    column keys to the row fields."""
    raw = key or default
    desc = raw.startswith("-")
    col = raw.lstrip("-")
    if col not in allowed:
        col, desc = default.lstrip("-"), default.startswith("-")
    field = allowed[col]
    return sorted(rows, key=lambda r: natural(str(r.get(field) or "")), reverse=desc), col, desc
