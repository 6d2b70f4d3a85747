"""The network views as pages: ``/netzwerk/<view>?iri=…`` and ``/netzwerk/ressource?iri=…``.

Served pages link vis-network and the page script from ``/viz`` instead of inlining them, and the
data of the view travels as JSON in a ``<script type="application/json">`` element (no inline script).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from ..errors import InputError
from .cockpit_base import current_store

__all__ = ["router", "setup", "bestand", "menu_bestand", "im_netz"]

router = APIRouter()
_lock = threading.Lock()
#: Built views per state of the store (at most this many): the layout of a large view takes a
#: moment, and is the same every time (its random start is seeded).
_CACHE_SIZE = 32


def setup(app) -> None:
    from jinja2 import ChoiceLoader, FileSystemLoader
    from starlette.staticfiles import StaticFiles

    from ..views import VIZ_DIR

    # Only the vendored library and the page's own script and style are served from viz/.
    app.mount("/viz/vendor", StaticFiles(directory=str(VIZ_DIR / "vendor")), name="viz-vendor")
    env = app.state.templates
    env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(VIZ_DIR))])
    app.state.startup.append(_warm_up)


async def _warm_up(app) -> None:
    """Read the views' data in the background once the server is up: goal and actor pages need it
    (whether a view can show the resource), and reading it costs seconds on the first request."""
    import asyncio

    loop = asyncio.get_running_loop()
    app.state.views_warm_up = loop.run_in_executor(None, _warm, app)


def _warm(app):
    import pyvis.network  # noqa: F401  (the views' pages hand their data through it)

    return bestand(app)


@router.get("/viz/netzwerk.js", include_in_schema=False)
def _script():
    from starlette.responses import FileResponse

    from ..views import VIZ_DIR

    return FileResponse(VIZ_DIR / "netzwerk.js", media_type="text/javascript; charset=utf-8")


@router.get("/viz/netzwerk.css", include_in_schema=False)
def _style():
    from starlette.responses import FileResponse

    from ..views import VIZ_DIR

    return FileResponse(VIZ_DIR / "netzwerk.css", media_type="text/css; charset=utf-8")


def bestand(app):
    """The data of all views, read once per state of the store (its write generation tells a change;
    counting the store would cost a query on every call)."""
    from ..query.catalogue import Catalogue
    from ..views import load

    store = app.state.store
    gen = getattr(store, "generation", None)
    key = (id(store), gen if gen is not None else len(store))
    with _lock:
        cached = getattr(app.state, "views_bestand", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        catalogue = getattr(app.state, "catalogue", None) or Catalogue(app.state.settings.queries_dir)
        b = load(current_store(app), catalogue)
        app.state.views_bestand = (key, b)
        return b


def menu_bestand(app, gebiet=None):
    """The nodes of the views with only the links to their concepts, for the menu of ``/netzwerk``:
    for a chosen Gebiet (``server.gebiet.Gebiet``) its nodes and those of its towns; else every node,
    from all the views' data when it is read for the current state of the store, or read without
    the other links (a third of the time at 10^5 triples). Once per state of the data."""
    store = current_store(app)
    if gebiet is not None:
        cache = app.state.cache  # emptied when the data change
        got = cache.get("views-menu:" + gebiet.slug)
        if got is None:
            from ..views import menue
            from .named_queries import catalogue

            got = cache["views-menu:" + gebiet.slug] = menue(store, catalogue(app), gebiet.gebiet_iris)
        return got
    gen = getattr(app.state.store, "generation", None)
    cached = getattr(app.state, "views_bestand", None)
    if cached is not None and gen is not None and cached[0] == (id(app.state.store), gen):
        return cached[1]
    cache = app.state.cache  # emptied when the data change
    got = cache.get("views-menu")
    if got is None:
        from ..views import load
        from .named_queries import catalogue

        got = cache["views-menu"] = load(store, catalogue(app), eigenschaft="inScheme")
    return got


def im_netz(app, iri: str) -> bool:
    """Whether a network view can show ``iri``: from the views' data when it is read for the current
    state of the store, else from its query for this one resource (reading all costs a second at
    10^5 triples, and a resource page needs no more than this answer)."""
    store = current_store(app)
    gen = getattr(app.state.store, "generation", None)
    cached = getattr(app.state, "views_bestand", None)
    if cached is not None and gen is not None and cached[0] == (id(app.state.store), gen):
        return iri in cached[1].graph
    from ..query.catalogue import run
    from .named_queries import catalogue

    return not run(store, catalogue(app).get("view-knoten"), {"knoten": iri}).empty


def _not_found(request: Request, exc: InputError):
    from .http_errors import error_response

    return error_response(request, 404, str(exc))


def _radius(raw: str | None) -> int:
    if raw in (None, ""):
        return 1
    if raw not in ("1", "2"):
        raise InputError(f"Der Umkreis muss 1 oder 2 sein, nicht {raw!r}.")
    return int(raw)


def _max(raw: str | None) -> int:
    from ..views import GESAMT_MAX

    if raw in (None, ""):
        return GESAMT_MAX
    if not raw.isdigit():
        raise InputError(f"max muss eine ganze Zahl sein, nicht {raw!r}.")
    return int(raw)


@router.get("/netzwerk/ressource", include_in_schema=False)
def ressource(request: Request, iri: str = ""):
    """The view that suits the kind of the resource."""
    from ..views import Links, UnknownNode, umfeld, view_for
    from .named_queries import catalogue

    if not iri:
        raise InputError("Bitte eine IRI angeben: /netzwerk/ressource?iri=…")
    try:
        name, params = view_for(umfeld(current_store(request.app), catalogue(request.app), [iri]), iri)
    except UnknownNode as e:
        return _not_found(request, e)
    links = Links.for_server(request.app.state.settings.base_iri)
    return RedirectResponse(links.ansicht(name, params), status_code=303)


def _is_iri(text: str | None) -> bool:
    """An IRI or a prefixed name (``id:…``): a view around it reads only its surroundings; a label
    is looked for among all nodes."""
    from ..namespaces import PREFIXES

    t = (text or "").strip().strip("<>")
    prefix, sep, local = t.partition(":")
    return t.startswith(("http://", "https://")) or bool(sep and prefix in PREFIXES and not local.startswith("//"))


def _data_for(request: Request, view: str, params: dict):
    """What the view reads: the goal's or actor's surroundings, the chosen town's nodes, or (for the
    other views, and a label to look for) everything."""
    from .. import views
    from .named_queries import catalogue

    store = current_store(request.app)
    if view in ("ziel", "akteur") and _is_iri(params["iri"]):
        return views.umfeld(store, catalogue(request.app))
    if view == "gesamt" and params["town"]:
        b = views.umfeld(store, catalogue(request.app), mit_gebieten=True)
        return views.fuer_gebiet(store, catalogue(request.app), views.resolve_town(b, params["town"]), b)
    return bestand(request.app)


@router.get("/netzwerk/{view}", include_in_schema=False)
def view_page(request: Request, view: str, iri: str | None = None, umkreis: str | None = None,
              radius: str | None = None, gebiet: str | None = None, handlungsfeld: str | None = None,
              lebensphase: str | None = None, max: str | None = None, offen: str | None = None):
    from .. import views
    from . import gebiet as gb
    from .templating import render

    if view not in views.ANSICHTEN:
        from .http_errors import error_response

        return error_response(request, 404, f"Unbekannte Ansicht {view!r}. Möglich: {', '.join(views.ANSICHTEN)}.")
    if view == "gesamt":
        gebiet = _town(request, gebiet)
    params = dict(iri=iri, radius=_radius(umkreis or radius), town=gebiet, handlungsfeld=handlungsfeld,
                  lebensphase=lebensphase, max_nodes=_max(max))
    opened = tuple(sorted(set(request.query_params.getlist("offen"))))
    key = (_state(request.app), view, tuple(sorted(params.items())), opened)
    cache = _view_cache(request.app)
    with _lock:
        ctx = cache.get(key)
        if ctx is not None:
            cache.move_to_end(key)
    if ctx is None:
        try:
            with views.without_gc():
                a = views.build(_data_for(request, view, params), view, **params)
                ctx = views.page_context(a, views.Links.for_server(request.app.state.settings.base_iri),
                                         geoeffnet=set(opened), hier=_here(request))
        except views.UnknownNode as e:
            return _not_found(request, e)
        with _lock:
            cache[key] = ctx
            while len(cache) > _CACHE_SIZE:
                cache.popitem(last=False)
    # The Gebiet chooser of the cockpit, keeping the view's focus (its other parameters).
    keep = [(k, v) for k, v in request.query_params.multi_items() if k != "gebiet"]
    resp = render(request, "view.html.j2", title=ctx["ansicht"].titel, cockpit_gebiet=gb.chosen(request),
                  cockpit_gebiete=list(gb.choices(request.app).values()), gebietswahl_felder=keep, **ctx)
    gb.remember(request, resp)
    return resp


def _here(request: Request) -> str:
    """The page's own path and parameters without ``offen``: the links that open a Gremium add it."""
    from urllib.parse import urlencode

    q = [(k, v) for k, v in request.query_params.multi_items() if k != "offen"]
    return request.url.path + ("?" + urlencode(q) if q else "")


def _state(app):
    store = app.state.store
    gen = getattr(store, "generation", None)
    return (id(store), gen if gen is not None else len(store))


def _town(request: Request, gebiet: str | None) -> str | None:
    """The town of the whole picture: the one named (``alle`` for everything), else the one chosen
    in the cockpit (its cookie), as every network of the cockpit is for the chosen town."""
    from . import gebiet as gb

    if gebiet is not None:
        return None if gebiet.strip().lower() in ("", gb.ALLE) else gebiet
    chosen = gb.chosen(request)
    return chosen.iri if chosen else None


def _view_cache(app) -> OrderedDict:
    """Built views, kept with the figures that are emptied when the data change (``app.state.cache``)."""
    with _lock:
        return app.state.cache.setdefault("views-seiten", OrderedDict())
