"""The cockpit: German pages for a Steuerungsgruppe, rendered on the server, for one Gebiet.

``/`` overview, ``/wer-dient`` who serves which goal (``serves``), ``/ziele`` goal trees,
``/luecken`` gaps, ``/kreisziele`` the Kreis goals (``cockpit_kreis``), ``/ueberschneidungen``
overlaps, ``/matrix`` Handlungsfeld × Lebensphase, ``/massnahmen`` the list behind a cell,
``/akteure`` actors, ``/netzwerk`` the network views, ``/aenderungen`` and ``/bericht``
(``cockpit_berichte``). The Gebiet (``?gebiet=hattingen``, remembered in a cookie; see
``gebiet``) decides what each page counts; every table downloads as CSV and Excel
(``?format=csv|xlsx``, see ``cockpit_export``). The data comes from named queries; the pages
only arrange it (``cockpit_data``).
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from fastapi import APIRouter, Request

from . import cockpit_berichte, cockpit_kennzahlen, cockpit_kreis, serves
from . import gebiet as gb
from .cockpit_base import Tabelle, catalogue, local, natural, page, run, text
from .cockpit_data import actors, gaps, goal_kinds, goal_trees, matrix, overlaps, overview
from .cockpit_einheiten import einheiten, nest_actors, with_parents

__all__ = ["router", "setup", "goal_trees", "gaps", "matrix", "overview", "overlaps", "actors", "scoped"]

router = APIRouter()
router.include_router(serves.router)
router.include_router(cockpit_kreis.router)
router.include_router(cockpit_berichte.router)
router.include_router(cockpit_kennzahlen.router)


def _query_with(params, **changes) -> str:
    """The query string of ``params`` with ``changes`` (``None`` removes a key)."""
    q = {k: v for k, v in params.multi_items() if k not in changes and k != "format" and k != "tabelle"}
    q.update({k: v for k, v in changes.items() if v is not None and v != ""})
    return urlencode(q)


def setup(app) -> None:
    from ..views import VIZ_DIR

    app.state.cockpit_css = VIZ_DIR / "cockpit.css"
    app.state.templates.globals["query_with"] = _query_with


@router.get("/viz/cockpit.css", include_in_schema=False)
def _style(request: Request):
    from starlette.responses import FileResponse

    return FileResponse(request.app.state.cockpit_css, media_type="text/css; charset=utf-8")


@router.get("/favicon.ico", include_in_schema=False)
def _favicon():
    from starlette.responses import Response

    # No icon: an empty answer instead of a 404 that every browser would report.
    return Response(status_code=204)


def _context_concepts(request: Request) -> set[str]:
    return {k for g in gb.choices(request.app).values() for k, _ in g.kontext}


def scoped(request: Request, name: str, g: gb.Gebiet | None, column: str = "konzept", param: str | None = "gebiet"):
    """The rows of a named query for the concepts of ``g`` (one run per Gebiet of the scope when
    the query takes ``param``); without a Gebiet all rows but those of context concepts."""
    import pandas as pd

    if g is None:
        df = run(request, name)
        return df[~df[column].isin(_context_concepts(request))] if len(df) else df
    if param:
        parts = [run(request, name, {param: iri}) for iri in g.gebiet_iris]
        df = pd.concat(parts, ignore_index=True) if parts else run(request, name).iloc[0:0]
    else:
        df = run(request, name)
    return df[df[column].isin(g.konzept_iris)] if len(df) else df


# -- overview -----------------------------------------------------------------------------------

def _concepts(request: Request, g: gb.Gebiet) -> list[dict]:
    import pandas as pd

    df = pd.concat([run(request, "konzepte", {"gebiet": iri}) for iri in g.gebiet_iris], ignore_index=True)
    role = {k: "zählt" for k, _ in g.konzepte}
    role.update({k: "Rahmen" for k, _ in g.kontext})
    rows = {}
    for r in df.itertuples(index=False):
        if r.konzept in role and r.konzept not in rows:
            rows[r.konzept] = {"iri": r.konzept, "name": text(r.konzeptname) or local(r.konzept),
                               "gebiet": text(r.gebietname), "rolle": role[r.konzept], "ziele": int(r.ziele),
                               "handlungsfelder": int(r.handlungsfelder), "vorhaben": int(r.vorhaben)}
    return sorted(rows.values(), key=lambda r: (r["rolle"] != "zählt", r["gebiet"] != g.name, -r["ziele"],
                                                natural(r["name"])))


@router.get("/", include_in_schema=False)
def start(request: Request):
    g = gb.chosen(request)
    gaps_n = scoped(request, "ziele-ohne-massnahme", g)["ziel"].nunique()
    over = len(scoped(request, "mehrere-akteure-gleiches-ziel", g))
    kreis = cockpit_kreis.summary(request, g)
    # The tile names the years that /aenderungen compares by default (the newest against the one before).
    jahre, _ = cockpit_berichte._submission_years(request, g)
    tabellen, konzepte, uebersicht = [], None, None
    if g is None:
        from .resource_page import graph_names

        uebersicht = overview(run(request, "statistik-graphen"),
                              {iri: n["name"] for iri, n in graph_names(request).items()})
        tabellen.append(Tabelle("umfang", "Umfang je Quelle", ["Quelle"] + uebersicht["spalten"],
                                [[z["name"]] + z["zahlen"] for z in uebersicht["zeilen"]]))
    else:
        konzepte = _concepts(request, g)
        tabellen.append(Tabelle("konzepte", "Konzepte", ["Konzept", "Gebiet", "Rolle", "Ziele", "Handlungsfelder",
                                                         "Maßnahmen und Aktivitäten"],
                                [[k["name"], k["gebiet"], k["rolle"], k["ziele"], k["handlungsfelder"], k["vorhaben"]]
                                 for k in konzepte]))
    return page(request, "cockpit_start.html.j2", "Übersicht", tabellen=tabellen, uebersicht=uebersicht,
                konzepte=konzepte, luecken=gaps_n, ueberschneidungen=over, kreis=kreis,
                raster_jahre=jahre)


# -- goals --------------------------------------------------------------------------------------

@router.get("/ziele", include_in_schema=False)
def ziele(request: Request):
    g = gb.chosen(request)
    df = run(request, "cockpit-ziele")
    kontext = {k for k, _ in g.kontext} if g else _context_concepts(request)
    own = df[df["konzept"].isin(g.konzept_iris)] if g else df[~df["konzept"].isin(kontext)]
    trees = goal_trees(own)
    rahmen = goal_trees(df[df["konzept"].isin(kontext)]) if g else []
    contrib = cockpit_kreis.contributions(request, g) if g else {}
    for t in rahmen:
        t["rahmen"] = True
    rows = []

    def walk(t, nodes, depth=0):
        for z in nodes:
            rows.append([t["name"], z["artname"], z["notation"], z["label"], z["vorhaben"], z["vorhaben_gesamt"]])
            walk(t, z["kinder"], depth + 1)
    for t in trees:
        walk(t, t["ziele"])
    tab = Tabelle("ziele", "Ziele", ["Konzept", "Art", "Nummer", "Ziel", "Maßnahmen und Aktivitäten", "mit Unterzielen"], rows)
    return page(request, "cockpit_ziele.html.j2", "Ziele", tabellen=[tab], baeume=trees, rahmen=rahmen,
                beitraege=contrib)


@router.get("/luecken", include_in_schema=False)
def luecken(request: Request):
    g = gb.chosen(request)
    groups = gaps(scoped(request, "ziele-ohne-massnahme", g), goal_kinds(request))
    tab = Tabelle("luecken", "Lücken", ["Konzept", "Nummer", "Ziel", "Art"],
                  [[grp["name"], z["notation"], z["label"], z["artname"]] for grp in groups for z in grp["ziele"]])
    return page(request, "cockpit_luecken.html.j2", "Lücken", tabellen=[tab], gruppen=groups,
                anzahl=sum(len(grp["ziele"]) for grp in groups))


# -- overlaps -----------------------------------------------------------------------------------

@router.get("/ueberschneidungen", include_in_schema=False)
def ueberschneidungen(request: Request):
    import pandas as pd

    g = gb.chosen(request)
    # The details only for the Gebiet's goals: one run per Gebiet of the scope, led by its IRI.
    details = run(request, "cockpit-ueberschneidungen") if g is None else pd.concat(
        [run(request, "cockpit-ueberschneidungen", {"gebiet": iri}) for iri in g.gebiet_iris], ignore_index=True)
    items = overlaps(scoped(request, "mehrere-akteure-gleiches-ziel", g), details)
    tab = Tabelle("ueberschneidungen", "Überschneidungen", ["Ziel", "Konzept", "Lebensphase", "Akteure", "wer", "womit"],
                  [[i["label"], i["konzeptname"], i["lebensphasename"], i["anzahl"], [n for _, n in i["akteure"]],
                    [n for _, n in i["vorhaben"]]] for i in items])
    return page(request, "cockpit_ueberschneidungen.html.j2", "Überschneidungen", tabellen=[tab], eintraege=items)


# -- matrix -------------------------------------------------------------------------------------

@router.get("/matrix", include_in_schema=False)
def matrix_page(request: Request):
    g = gb.chosen(request)
    tables = matrix(scoped(request, "vorhaben-je-handlungsfeld-lebensphase", g),
                    scoped(request, "vorhaben-ohne-handlungsfeld", g))
    # A document that names fields but no measure for them would be all red: it is listed, not drawn.
    leer = [t for t in tables if not any(n for z in t["zeilen"] for n in z["zellen"] + [z["ohne"]])]
    tables = [t for t in tables if t not in leer]
    tabs = [Tabelle(f"matrix-{i}", t["name"][:60], ["Handlungsfeld"] + [c["label"] for c in t["spalten"]] + ["ohne Lebensphase"],
                    [[z["label"]] + z["zellen"] + [z["ohne"]] for z in t["zeilen"]]) for i, t in enumerate(tables, 1)]
    return page(request, "cockpit_matrix.html.j2", "Matrix Handlungsfeld × Lebensphase", tabellen=tabs,
                matrizen=tables, ohne_vorhaben=leer)


def _label_of(request: Request, iri: str) -> str:
    from .views import bestand

    b = bestand(request.app)
    return b.node(iri)["label"] if iri in b.graph else local(iri)


@router.get("/massnahmen", include_in_schema=False)
def massnahmen(request: Request, handlungsfeld: str = "", lebensphase: str = ""):
    from ..query.catalogue import coerce_param
    from .cockpit_data import _art_rank

    q = catalogue(request.app).get("cockpit-massnahmen")
    params = {"handlungsfeld": handlungsfeld, "lebensphase": lebensphase}
    df = run(request, "cockpit-massnahmen", params)
    art_of_class, art, _ = _art_rank()
    items: dict[str, dict] = {}
    for r in df.itertuples(index=False):
        it = items.setdefault(r.vorhaben, {"iri": r.vorhaben, "label": text(r.label) or local(r.vorhaben),
                                           "art": art[art_of_class[r.art]].name, "quelle": text(r.quellname),
                                           "akteure": {}, "lebensphasen": set()})
        if isinstance(r.akteur, str):
            it["akteure"][r.akteur] = text(r.akteurname) or local(r.akteur)
        if isinstance(r.lebensphase, str):
            it["lebensphasen"].add(r.lebensphase)
    rows = sorted(items.values(), key=lambda i: natural(i["label"]))
    for it in rows:
        it["akteure"] = sorted(it["akteure"].items(), key=lambda kv: natural(kv[1]))
        it["lebensphasen"] = sorted(_label_of(request, p) for p in it["lebensphasen"])
    filters = []
    for name, raw in params.items():
        if raw:
            iri = coerce_param(q, name, raw).value
            filters.append({"was": "Handlungsfeld" if name == "handlungsfeld" else "Lebensphase",
                            "iri": iri, "label": _label_of(request, iri)})
    title = "Maßnahmen und Aktivitäten" + ("" if not filters else ": " + " · ".join(f["label"] for f in filters))
    tab = Tabelle("massnahmen", "Maßnahmen", ["Maßnahme oder Aktivität", "Art", "Akteure", "Lebensphasen", "Quelle"],
                  [[i["label"], i["art"], [n for _, n in i["akteure"]], i["lebensphasen"], i["quelle"]] for i in rows])
    return page(request, "cockpit_massnahmen.html.j2", title, tabellen=[tab], eintraege=rows, filter=filters)


# -- actors -------------------------------------------------------------------------------------

@router.get("/akteure", include_in_schema=False)
def akteure(request: Request):
    import pandas as pd

    g = gb.chosen(request)
    if g is None:
        rows = actors(run(request, "cockpit-akteure"))
    else:
        rows = actors(pd.concat([run(request, "cockpit-akteure", {"gebiet": iri}) for iri in g.gebiet_iris],
                                ignore_index=True))
        rows = with_parents(rows, actors(run(request, "cockpit-akteure")), einheiten(request))
    rows = nest_actors(rows, einheiten(request))
    tab = Tabelle("akteure", "Akteure", ["Name", "Art", "Ort", "Aktivitäten", "Maßnahmen", "Untereinheiten"],
                  [[a["label"] + (f" (auch: {', '.join(a['auch'])})" if a["auch"] else ""),
                    a["artname"] + (f": {a['akteursart']}" if a["akteursart"] and a["akteursart"] != a["artname"] else ""),
                    a["gebietnamen"], a["aktivitaeten"], a["massnahmen"], [u["label"] for u in a["untereinheiten"]]]
                   for a in rows])
    return page(request, "cockpit_akteure.html.j2", "Akteure", tabellen=[tab], akteure=rows)


# -- network views ------------------------------------------------------------------------------

@router.get("/netzwerk", include_in_schema=False)
def netzwerk(request: Request):
    from .. import views
    from .views import menu_bestand

    g = gb.chosen(request)
    b = menu_bestand(request.app, g)
    area = set(g.gebiet_iris) if g else None

    def options(kinds):
        items = [(n, b.node(n)) for n in b.of_kind(kinds)]
        if area is not None:
            items = [(n, d) for n, d in items if area & set(d.get("gebiete") or ())] or items
        groups: dict[str, list] = defaultdict(list)
        labels = views.menu_labels(b, [n for n, _ in items])
        for n, d in items:
            groups[(d["quellnamen"] or ["ohne Quelle"])[0]].append((n, labels[n]))
        return [(grp, sorted(v, key=lambda t: natural(t[1])))
                for grp, v in sorted(groups.items(), key=lambda kv: natural(kv[0]))]

    towns = sorted(b.gebietnamen.items(), key=lambda t: natural(t[1]))
    towns = [(iri, name) for iri, name in towns if any(iri in b.node(n)["gebiete"] for n in b.of_kind({"konzept"}))]
    if area is not None:
        towns = [(iri, name) for iri, name in towns if iri in area]
    return page(request, "cockpit_netzwerk.html.j2", "Netzwerkansichten",
                ziele=options({"leitziel", "leitthema", "teilziel", "ziel", "jahresziel"}),
                akteure=options(views.AKTEURE), felder=options({"handlungsfeld"}),
                phasen=sorted(((n, b.node(n)["label"]) for n in b.of_kind({"lebensphase"})),
                              key=lambda t: natural(b.node(t[0]).get("notation") or "") + natural(t[1])),
                netz_gebiete=towns, knoten=b.graph.number_of_nodes())
