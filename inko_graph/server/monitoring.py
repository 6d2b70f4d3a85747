"""The monitoring pages of the cockpit under ``/monitoring``, for the Gebiet chosen in the cockpit.

Every page follows the cockpit's choice (``?gebiet=hattingen`` or the cookie, see ``server.gebiet``):
the indicators of the town's concepts and those with a value for it, its values, who has reported;
a Kreis with its towns; „alle“ everything.
``/monitoring`` the indicators, who has reported values for a year and where the area stands
against the areas it lies in; ``/monitoring/indikator?iri=…``
one indicator: its goals, time series, comparison across areas and the table of values;
``/monitoring/luecken`` goals without indicator and indicators without a current value;
``/monitoring/widersprueche`` conflicting values; ``/monitoring/bild/<art>.svg`` the charts.
Charts are images served from here (the pages run no script); they are cached per state of the
store in ``app.state.cache``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response

from ..errors import InputError
from . import openapi_docs as docs

__all__ = ["router", "setup"]

router = APIRouter()
_CSS = Path(__file__).resolve().parent.parent / "monitoring" / "monitoring.css"
_KINDS = ("zeitreihe", "vergleich", "paar")


def setup(app) -> None:
    from ..monitoring.model import format_number, format_period

    app.state.cache.setdefault("monitoring", {})
    # German numbers and periods in the monitoring templates.
    app.state.templates.filters.setdefault("zahl", format_number)
    app.state.templates.filters.setdefault("zeitraum", format_period)


def _store(request: Request):
    return request.app.state.store


def _qdir(request: Request):
    return request.app.state.settings.queries_dir


def _cache(request: Request) -> dict:
    """The cache of this state of the store: emptied when the store changes (an import). The
    store's count of writes tells that; its size only where it keeps no count (counting the quads
    costs about 0.1 s at 10^5 triples, on every use)."""
    store = _store(request)
    root = request.app.state.cache.setdefault("monitoring", {})
    generation = getattr(store, "generation", None)
    key = (id(store), generation if generation is not None else len(store))
    if root.get("_key") != key:
        root.clear()
        root["_key"] = key
    return root


def _gebiet(request: Request, raw: str | None):
    """The area a page is for (IRI, ``None`` for all) and the cockpit's Gebiet (header, links).

    The cockpit's choice decides (``?gebiet=hattingen`` or the cookie, see ``server.gebiet``); the
    address may also name another area by name, prefixed name or IRI (``?gebiet=Breckerfeld``);
    an empty ``gebiet`` or ``alle`` is the choice „alle Gebiete“."""
    from . import gebiet as gb

    g = gb.chosen(request)
    if g is not None:
        return g.iri, g
    if raw is None or raw.strip().lower() in ("", gb.ALLE):
        return None, None
    iri = _area(request, raw)
    return iri, next((c for c in gb.choices(request.app).values() if c.iri == iri), None)


def _area(request: Request, raw: str | None) -> str | None:
    from ..monitoring.bericht import resolve_town

    if not raw:
        return None
    return resolve_town(_store(request), raw, _areas(request))


def _areas(request: Request):
    from ..monitoring.model import areas

    cache = _cache(request)
    if "areas" not in cache:
        cache["areas"] = areas(_store(request), _qdir(request))
    return cache["areas"]


def _indicators(request: Request):
    from ..monitoring.model import indicators

    cache = _cache(request)
    if "indicators" not in cache:
        cache["indicators"] = indicators(_store(request), _qdir(request))
    return cache["indicators"]


def _indicator(request: Request, iri: str | None) -> str:
    from ..monitoring.model import Names

    if not iri:
        raise InputError("Bitte einen Indikator angeben (?iri=…).", source="iri")
    inds = _indicators(request)
    found, why = Names(inds, "Indikator").find(iri)
    if found is None:
        raise HTTPException(status_code=404, detail=why + ".")
    return found


def _render(request: Request, template: str, **context):
    from .templating import render

    return render(request, template, **context)


def _page(request: Request, template: str, town: str | None, g, **context):
    """A monitoring page with the cockpit's choice of Gebiet in the header; the menu and the links
    of the page carry it. A choice made in the address is remembered like on every cockpit page
    (not an area outside the cockpit's choices: that one only shows this page)."""
    from . import gebiet as gb

    raw = request.query_params.get("gebiet")
    link = g.slug if g is not None else town
    resp = _render(request, template, town=_areas(request).get(town) if town else None,
                   cockpit_gebiet=g, cockpit_gebiete=list(gb.choices(request.app).values()),
                   link_gebiet=link, **context)
    if raw is None or g is not None or raw.strip().lower() in ("", gb.ALLE):
        gb.remember(request, resp)
    return resp


@router.get("/monitoring/monitoring.css", include_in_schema=False)
def stylesheet():
    return FileResponse(_CSS, media_type="text/css; charset=utf-8")


@router.get("/monitoring", response_class=Response, responses=docs.answers(docs.HTML, 400, 404))
def index(request: Request, gebiet: str | None = None, jahr: int | None = None):
    """The indicators of the chosen Gebiet (its concepts' and those with a value for it), how it
    stands against the areas it lies in, and who has reported values for a year."""
    import pyoxigraph as ox

    from ..monitoring.bericht import pair_views
    from ..monitoring.meldungen import reporting
    from ..monitoring.model import catalogue, records
    from ..query.catalogue import run

    town, g = _gebiet(request, gebiet)
    if jahr is not None and not 1900 <= jahr <= 2200:
        raise InputError(f"Das Jahr muss zwischen 1900 und 2200 liegen, nicht {jahr}.", source="jahr")
    params = {"gebiet": ox.NamedNode(town)} if town else None
    df = run(_store(request), catalogue(_qdir(request)).get("monitoring-indikatoren"), params)
    groups: dict[str, list] = {}
    for r in records(df):
        groups.setdefault(r["artname"] or "ohne Art", []).append(r)
    pairs = pair_views(_store(request), town, queries_dir=_qdir(request))
    meldungen = reporting(_store(request), jahr, town, queries_dir=_qdir(request))
    return _page(request, "monitoring_index.html.j2", town, g, title="Monitoring", groups=groups, pairs=pairs,
                 anzahl=len(df), meldungen=meldungen)


@router.get("/monitoring/indikator", response_class=Response, responses=docs.answers(docs.HTML, 400, 404))
def indicator_page(request: Request, iri: str | None = None, gebiet: str | None = None):
    import pyoxigraph as ox

    from ..monitoring.bericht import conflict_rows, indicator_view
    from ..monitoring.conflicts import find_conflicts
    from ..monitoring.model import catalogue, records
    from ..monitoring.series import comparison_period
    from ..query.catalogue import run

    ind = _indicator(request, iri)
    town, g = _gebiet(request, gebiet)
    store = _store(request)
    view = indicator_view(store, ind, town, gebiete=_areas(request), inds=_indicators(request),
                          queries_dir=_qdir(request))
    q = catalogue(_qdir(request))
    goals = records(run(store, q.get("monitoring-indikator-ziele"), {"indikator": ox.NamedNode(ind)}))
    base = records(run(store, q.get("monitoring-indikator-grundzahlen"), {"indikator": ox.NamedNode(ind)}))
    about = records(run(store, q.get("monitoring-indikatoren"), {"indikator": ox.NamedNode(ind)}))
    table = [r for r in view.series.value_table()] if view.has_values else []
    if town:
        table = [r for r in table if r["gebiet"] in view.shown]
    return _page(request, "monitoring_indikator.html.j2", town, g, title=view.name, view=view, goals=goals,
                 grundzahlen=base, about=about[0] if about else {}, table=table,
                 periode=comparison_period(view.series) if view.has_values else None,
                 conflicts=conflict_rows(find_conflicts(store, ind, gebiet=town, gebiete=_areas(request),
                                                         queries_dir=_qdir(request))))


@router.get("/monitoring/luecken", response_class=Response, responses=docs.answers(docs.HTML, 400, 404))
def gaps_page(request: Request, jahre: int | None = None, gebiet: str | None = None):
    from ..monitoring.gaps import default_years, goals_without_indicator, indicators_without_current_value
    from ..monitoring.model import records

    town, g = _gebiet(request, gebiet)
    n = default_years() if jahre is None else jahre
    if n < 1 or n > 100:
        raise InputError(f"Die Anzahl der Jahre muss zwischen 1 und 100 liegen, nicht {n}.", source="jahre")
    goals = records(goals_without_indicator(_store(request), town, queries_dir=_qdir(request)))
    values = records(indicators_without_current_value(_store(request), n, town, queries_dir=_qdir(request)))
    newest = next((v["neuestes_jahr"] for v in values if v["neuestes_jahr"] is not None), None)
    return _page(request, "monitoring_luecken.html.j2", town, g, title="Lücken im Monitoring", goals=goals,
                 values=values, jahre=n, neuestes_jahr=newest)


@router.get("/monitoring/widersprueche", response_class=Response, responses=docs.answers(docs.HTML, 400, 404))
def conflicts_page(request: Request, gebiet: str | None = None):
    from ..monitoring.bericht import conflict_rows
    from ..monitoring.conflicts import find_conflicts

    town, g = _gebiet(request, gebiet)
    rows = conflict_rows(find_conflicts(_store(request), gebiet=town, gebiete=_areas(request),
                                        queries_dir=_qdir(request)))
    return _page(request, "monitoring_widersprueche.html.j2", town, g, title="Widersprüchliche Werte",
                 conflicts=rows)


@router.get("/monitoring/bild/{name}", response_class=Response, responses=docs.answers(docs.IMAGES, 400, 404))
def chart(request: Request, name: str, iri: str | None = None, gebiet: str | None = None,
          zeitraum: str | None = None, vergleich: str | None = None):
    """``zeitreihe.svg``, ``vergleich.svg`` (one indicator) or ``paar.svg`` (two areas)."""
    from ..monitoring.charts import MEDIA_TYPES

    kind, _, fmt = name.partition(".")
    if kind not in _KINDS or fmt not in MEDIA_TYPES:
        raise HTTPException(status_code=404, detail="Dieses Bild gibt es nicht. Möglich: "
                            + ", ".join(f"{k}.svg" for k in _KINDS) + ".")
    cache = _cache(request)
    key = ("bild", kind, fmt, iri, gebiet, zeitraum, vergleich)
    data = cache.get(key)
    if data is None:
        data = _draw(request, kind, fmt, iri, gebiet, zeitraum, vergleich)
        cache[key] = data
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={"Cache-Control": "no-cache",
                                                                "X-Content-Type-Options": "nosniff"})


def _draw(request: Request, kind: str, fmt: str, iri, gebiet, zeitraum, vergleich) -> bytes:
    from ..monitoring.bericht import indicator_view, pair_views
    from ..monitoring.charts import comparison_chart, pair_chart, time_series_chart
    from ..monitoring.model import format_period, period_sort_key
    from ..monitoring.series import comparison_period

    town = _area(request, gebiet)
    if kind == "paar":
        other = _area(request, vergleich)
        pairs = [p for p in pair_views(_store(request), town, queries_dir=_qdir(request))
                 if (town is None or p.gebiet.iri == town) and (other is None or p.vergleich.iri == other)]
        if not pairs or not pairs[0].percent_items():
            raise HTTPException(status_code=404, detail="Für diese Gebiete gibt es keine gemeinsamen Anteilswerte.")
        p = pairs[0]
        period = max((r["zeitraum"] for r in p.rows if r["prozent"]), key=period_sort_key)
        return pair_chart(p.percent_items(), (p.gebiet.name, p.vergleich.name), unit="Prozent", fmt=fmt,
                          title=f"{p.gebiet.name} und {p.vergleich.name}, {format_period(period)}")
    ind = _indicator(request, iri)
    view = indicator_view(_store(request), ind, town, gebiete=_areas(request), inds=_indicators(request),
                          queries_dir=_qdir(request))
    if kind == "zeitreihe":
        return time_series_chart(view.series, gebiete=view.shown or None, fmt=fmt)
    period = comparison_period(view.series, zeitraum)
    if period is None:
        raise HTTPException(status_code=404, detail="Für diesen Indikator gibt es noch keine Werte.")
    return comparison_chart(view.series, period, gebiete=view.shown if town else None, focus=town, fmt=fmt)
