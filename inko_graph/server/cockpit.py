"""The cockpit: German pages for a Steuerungsgruppe, rendered on the server.

``/`` overview, ``/ziele`` goal trees, ``/luecken`` gaps, ``/ueberschneidungen`` overlaps,
``/matrix`` Handlungsfeld × Lebensphase, ``/massnahmen`` the list behind a cell, ``/akteure``
actors, ``/netzwerk`` the network views. Every resource links to its linked-data page. The data
comes from named queries (``cockpit-*``, ``statistik-graphen`` and the analysis queries
``ziele-ohne-massnahme``, ``mehrere-akteure-gleiches-ziel``, ``vorhaben-je-handlungsfeld-lebensphase``);
the pages only arrange it.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from fastapi import APIRouter, Request

__all__ = ["router", "setup", "goal_trees", "gaps", "matrix", "overview", "overlaps", "actors"]

router = APIRouter()


def setup(app) -> None:
    from ..views import VIZ_DIR

    app.state.cockpit_css = VIZ_DIR / "cockpit.css"


@router.get("/viz/cockpit.css", include_in_schema=False)
def _style(request: Request):
    from starlette.responses import FileResponse

    return FileResponse(request.app.state.cockpit_css, media_type="text/css; charset=utf-8")


# -- helpers ------------------------------------------------------------------------------------

def _catalogue(app):
    from ..queries import Catalogue

    cat = getattr(app.state, "cockpit_catalogue", None)
    if cat is None:
        cat = app.state.cockpit_catalogue = Catalogue(app.state.settings.queries_dir)
    return cat


def _run(request: Request, name: str, params: dict | None = None):
    from ..queries import run

    return run(request.app.state.store, _catalogue(request.app).get(name), params or {})


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _count(value) -> int:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    return int(value)


def _natural(text: str) -> list:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text or "")]


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


def _art_rank():
    from ..views import ARTEN, _ART_OF_CLASS, ART

    rank = {a.key: i for i, a in enumerate(ARTEN)}
    return _ART_OF_CLASS, ART, rank


def _page(request: Request, template: str, title: str, **context):
    from .templating import render

    return render(request, template, title=title, **context)


@router.get("/favicon.ico", include_in_schema=False)
def _favicon():
    from starlette.responses import Response

    # No icon: an empty answer instead of a 404 that every browser would report.
    return Response(status_code=204)


# -- overview -----------------------------------------------------------------------------------

#: Columns of the overview: (heading, class IRIs counted there).
_OVERVIEW_COLUMNS = [
    ("Leitziele", ("https://w3id.org/inko/def#Leitziel",)),
    ("Leitthemen", ("https://w3id.org/inko/def#Leitthema",)),
    ("Teilziele", ("https://w3id.org/inko/def#Teilziel",)),
    ("Handlungsfelder", ("https://w3id.org/inko/def#Handlungsfeld",)),
    ("Maßnahmen", ("https://w3id.org/inko/def#Massnahme",)),
    ("Aktivitäten", ("https://w3id.org/inko/def#Aktivitaet",)),
    ("Organisationen", ("http://www.w3.org/ns/org#Organization",)),
    ("Gremien", ("https://w3id.org/inko/def#Gremium",)),
    ("Indikatoren", ("https://w3id.org/inko/def#Indikator",)),
    ("Kennzahlen", ("http://purl.org/linked-data/cube#Observation",)),
]


def overview(stats) -> dict:
    """Counts per graph (one per source document, curation, Raster submission) and kind."""
    by_graph: dict[str, dict] = {}
    for r in stats.itertuples(index=False):
        for i, (_, classes) in enumerate(_OVERVIEW_COLUMNS):
            if r.art in classes:
                name = re.sub(r"^Aussagen (des|der|aus dem|aus der) ", "", _text(r.graphname)) or _local(r.graph)
                row = by_graph.setdefault(r.graph, {"graph": r.graph, "name": name[:1].upper() + name[1:],
                                                    "zahlen": [0] * len(_OVERVIEW_COLUMNS)})
                row["zahlen"][i] += int(r.anzahl)
    rows = sorted(by_graph.values(), key=lambda r: _natural(r["graph"]))
    totals = [sum(r["zahlen"][i] for r in rows) for i in range(len(_OVERVIEW_COLUMNS))]
    keep = [i for i, t in enumerate(totals) if t]
    return {
        "spalten": [_OVERVIEW_COLUMNS[i][0] for i in keep],
        "zeilen": [{**r, "zahlen": [r["zahlen"][i] for i in keep]} for r in rows],
        "summe": [totals[i] for i in keep],
    }


@router.get("/", include_in_schema=False)
def start(request: Request):
    stats = _run(request, "statistik-graphen")
    gaps = _run(request, "ziele-ohne-massnahme")["ziel"].nunique()
    over = len(_run(request, "mehrere-akteure-gleiches-ziel"))
    return _page(request, "cockpit_start.html.j2", "Übersicht", uebersicht=overview(stats),
                 luecken=gaps, ueberschneidungen=over)


# -- goals --------------------------------------------------------------------------------------

def _unique_goals(df) -> dict[str, dict]:
    """One entry per goal from rows that may repeat it (several classes, concepts, parents)."""
    art_of_class, art, rank = _art_rank()
    goals: dict[str, dict] = {}
    for r in df.itertuples(index=False):
        kind = art_of_class.get(r.art, "ziel")
        g = goals.get(r.ziel)
        if g is None:
            g = goals[r.ziel] = {"iri": r.ziel, "label": _text(r.label) or _local(r.ziel), "art": kind,
                                 "artname": art[kind].name, "notation": _text(getattr(r, "notation", None)),
                                 "konzept": _text(getattr(r, "konzept", None)),
                                 "konzeptname": _text(getattr(r, "konzeptname", None)), "oberziele": set(),
                                 "vorhaben": 0, "vorhaben_gesamt": 0}
        elif rank[kind] < rank[g["art"]]:
            g["art"], g["artname"] = kind, art[kind].name
        parent = getattr(r, "oberziel", None)
        if isinstance(parent, str):
            g["oberziele"].add(parent)
        g["vorhaben"] = max(g["vorhaben"], _count(getattr(r, "vorhaben", 0)))
        g["vorhaben_gesamt"] = max(g["vorhaben_gesamt"], _count(getattr(r, "vorhaben_mit_unterzielen", 0)))
    return goals


def goal_trees(df) -> list[dict]:
    """Per concept its goals as a tree (skos:broader), in the document's order."""
    _, _, rank = _art_rank()
    goals = _unique_goals(df)
    by_concept: dict[str, list[str]] = defaultdict(list)
    for iri, g in goals.items():
        by_concept[g["konzept"]].append(iri)

    def order(iri):
        g = goals[iri]
        return (rank[g["art"]], _natural(g["notation"]), _natural(g["label"]))

    trees = []
    for konzept, members in by_concept.items():
        inside = set(members)
        children = defaultdict(list)
        roots = []
        for iri in members:
            parents = sorted(p for p in goals[iri]["oberziele"] if p in inside)
            (children[parents[0]] if parents else roots).append(iri)
        seen: set[str] = set()

        def node(iri):
            seen.add(iri)
            kids = [node(c) for c in sorted(children.get(iri, []), key=order) if c not in seen]
            return {**goals[iri], "kinder": kids}

        top = [node(r) for r in sorted(roots, key=order)]
        top += [node(r) for r in sorted(inside - seen, key=order) if r not in seen]  # cycles
        trees.append({"konzept": konzept, "name": goals[members[0]]["konzeptname"] or _local(konzept),
                      "ziele": top, "anzahl": len(members),
                      "luecken": sum(1 for m in members if goals[m]["vorhaben_gesamt"] == 0
                                     and goals[m]["art"] != "monitoringziel")})
    trees.sort(key=lambda t: _natural(t["name"]))
    return trees


@router.get("/ziele", include_in_schema=False)
def ziele(request: Request):
    trees = goal_trees(_run(request, "cockpit-ziele"))
    return _page(request, "cockpit_ziele.html.j2", "Ziele", baeume=trees)


def gaps(df, kinds: dict[str, str]) -> list[dict]:
    """Goals nobody serves (query ``ziele-ohne-massnahme``), grouped by concept in document order;
    ``kinds`` gives the kind of each goal (from the views' data, which knows every node)."""
    _, art, rank = _art_rank()
    goals: dict[str, dict] = {}
    for r in df.itertuples(index=False):
        if r.ziel in goals:
            continue
        kind = kinds.get(r.ziel, "ziel")
        goals[r.ziel] = {"iri": r.ziel, "label": _text(r.zielname) or _local(r.ziel), "art": kind,
                         "artname": art[kind].name, "notation": _text(r.notation), "konzept": _text(r.konzept),
                         "konzeptname": _text(r.konzeptname)}
    groups: dict[str, dict] = {}
    for g in goals.values():
        grp = groups.setdefault(g["konzept"], {"konzept": g["konzept"], "name": g["konzeptname"] or "ohne Konzept",
                                               "ziele": []})
        grp["ziele"].append(g)
    for grp in groups.values():
        grp["ziele"].sort(key=lambda g: (rank[g["art"]], _natural(g["notation"]), _natural(g["label"])))
    return sorted(groups.values(), key=lambda grp: _natural(grp["name"]))


@router.get("/luecken", include_in_schema=False)
def luecken(request: Request):
    from .views import bestand

    b = bestand(request.app)
    groups = gaps(_run(request, "ziele-ohne-massnahme"), {n: d["art"] for n, d in b.graph.nodes(data=True)})
    return _page(request, "cockpit_luecken.html.j2", "Lücken", gruppen=groups,
                 anzahl=sum(len(g["ziele"]) for g in groups))


# -- overlaps -----------------------------------------------------------------------------------

def overlaps(pairs, details) -> list[dict]:
    """The overlaps of ``mehrere-akteure-gleiches-ziel`` (goal and Lebensphase with several
    responsible actors), each with its actors and undertakings from ``cockpit-ueberschneidungen``."""
    items: dict[tuple[str, str], dict] = {}
    for r in pairs.itertuples(index=False):
        items[(r.ziel, r.lebensphase)] = {
            "ziel": r.ziel, "label": _text(r.zielname) or _local(r.ziel), "lebensphase": r.lebensphase,
            "lebensphasename": _text(r.lebensphasename) or _local(r.lebensphase),
            "konzeptname": _text(r.konzeptname), "anzahl": _count(r.anzahl_akteure), "akteure": {}, "vorhaben": {}}
    for r in details.itertuples(index=False):
        item = items.get((r.ziel, r.lebensphase))
        if item is not None:
            item["akteure"][r.akteur] = _text(r.akteurname) or _local(r.akteur)
            item["vorhaben"][r.vorhaben] = _text(r.vorhabenname) or _local(r.vorhaben)
    out = []
    for item in items.values():
        item["akteure"] = sorted(item["akteure"].items(), key=lambda kv: _natural(kv[1]))
        item["vorhaben"] = sorted(item["vorhaben"].items(), key=lambda kv: _natural(kv[1]))
        out.append(item)
    out.sort(key=lambda i: (-i["anzahl"], _natural(i["label"]), _natural(i["lebensphasename"])))
    return out


@router.get("/ueberschneidungen", include_in_schema=False)
def ueberschneidungen(request: Request):
    items = overlaps(_run(request, "mehrere-akteure-gleiches-ziel"), _run(request, "cockpit-ueberschneidungen"))
    return _page(request, "cockpit_ueberschneidungen.html.j2", "Überschneidungen", eintraege=items)


# -- matrix -------------------------------------------------------------------------------------

_ALLE = "https://w3id.org/inko/id/vokabular/lebensphase/alle-lebensphasen"


def matrix(counts) -> list[dict]:
    """Per concept its Handlungsfelder as rows and the Lebensphasen as columns, each cell the number
    of measures and activities there (query ``vorhaben-je-handlungsfeld-lebensphase``: a measure
    belongs to a field through itself or through a goal it serves, or that goal's higher goals)."""
    cols: dict[str, dict] = {}
    concepts: dict[str, dict] = {}
    for r in counts.itertuples(index=False):
        k = _text(r.konzept)
        c = concepts.setdefault(k, {"konzept": k, "name": _text(r.konzeptname) or "ohne Konzept", "zeilen": {}})
        row = c["zeilen"].setdefault(r.handlungsfeld, {
            "iri": r.handlungsfeld, "label": _text(r.handlungsfeldname) or _local(r.handlungsfeld),
            "notation": _text(r.hfnotation), "werte": {}, "ohne": 0})
        if isinstance(r.lebensphase, str):
            cols.setdefault(r.lebensphase, {"iri": r.lebensphase,
                                            "label": _text(r.lebensphasename) or _local(r.lebensphase),
                                            "notation": _text(r.lpnotation)})
            row["werte"][r.lebensphase] = _count(r.anzahl)
        else:
            row["ohne"] = _count(r.anzahl)
    columns = sorted(cols.values(), key=lambda c: (_natural(c["notation"]), _natural(c["label"])))
    out = []
    for c in concepts.values():
        rows = sorted(c["zeilen"].values(), key=lambda z: (_natural(z["notation"]), _natural(z["label"])))
        for z in rows:
            z["zellen"] = [z["werte"].get(col["iri"], 0) for col in columns]
            # An undertaking for all Lebensphasen covers every phase of its field: no gap there.
            z["alle_gedeckt"] = z["werte"].get(_ALLE, 0) > 0
        out.append({"konzept": c["konzept"], "name": c["name"], "zeilen": rows, "spalten": columns,
                    "leer": sum(1 for z in rows for n in z["zellen"] if n == 0 and not z["alle_gedeckt"])})
    out.sort(key=lambda c: (c["konzept"] == "", _natural(c["name"])))
    return out


@router.get("/matrix", include_in_schema=False)
def matrix_page(request: Request):
    tables = matrix(_run(request, "vorhaben-je-handlungsfeld-lebensphase"))
    return _page(request, "cockpit_matrix.html.j2", "Matrix Handlungsfeld × Lebensphase", tabellen=tables)


def _label_of(request: Request, iri: str) -> str:
    from .views import bestand

    b = bestand(request.app)
    return b.node(iri)["label"] if iri in b.graph else _local(iri)


@router.get("/massnahmen", include_in_schema=False)
def massnahmen(request: Request, handlungsfeld: str = "", lebensphase: str = ""):
    from ..queries import coerce_param

    q = _catalogue(request.app).get("cockpit-massnahmen")
    params = {"handlungsfeld": handlungsfeld, "lebensphase": lebensphase}
    df = _run(request, "cockpit-massnahmen", params)
    art_of_class, art, _ = _art_rank()
    items: dict[str, dict] = {}
    for r in df.itertuples(index=False):
        it = items.setdefault(r.vorhaben, {"iri": r.vorhaben, "label": _text(r.label) or _local(r.vorhaben),
                                           "art": art[art_of_class[r.art]].name, "quelle": _text(r.quellname),
                                           "akteure": {}, "lebensphasen": set()})
        if isinstance(r.akteur, str):
            it["akteure"][r.akteur] = _text(r.akteurname) or _local(r.akteur)
        if isinstance(r.lebensphase, str):
            it["lebensphasen"].add(r.lebensphase)
    rows = sorted(items.values(), key=lambda i: _natural(i["label"]))
    for it in rows:
        it["akteure"] = sorted(it["akteure"].items(), key=lambda kv: _natural(kv[1]))
        it["lebensphasen"] = sorted(_label_of(request, p) for p in it["lebensphasen"])
    filters = []
    for name, raw in params.items():
        if raw:
            iri = coerce_param(q, name, raw).value
            filters.append({"was": "Handlungsfeld" if name == "handlungsfeld" else "Lebensphase",
                            "iri": iri, "label": _label_of(request, iri)})
    title = "Maßnahmen und Aktivitäten" + ("" if not filters else ": " + " · ".join(f["label"] for f in filters))
    return _page(request, "cockpit_massnahmen.html.j2", title, eintraege=rows, filter=filters)


# -- actors -------------------------------------------------------------------------------------

def actors(df) -> list[dict]:
    art_of_class, art, rank = _art_rank()
    out: dict[str, dict] = {}
    for r in df.itertuples(index=False):
        kind = art_of_class.get(r.art, "akteur")
        a = out.setdefault(r.akteur, {"iri": r.akteur, "label": _text(r.label) or _local(r.akteur), "art": kind,
                                      "akteursart": set(), "gebiete": {}, "aktivitaeten": 0, "massnahmen": 0})
        if rank[kind] < rank[a["art"]]:
            a["art"] = kind
        if isinstance(r.akteursartname, str):
            a["akteursart"].add(r.akteursartname)
        if isinstance(r.gebiet, str):
            a["gebiete"][r.gebiet] = _text(r.gebietname) or _local(r.gebiet)
        a["aktivitaeten"] = max(a["aktivitaeten"], _count(r.aktivitaeten))
        a["massnahmen"] = max(a["massnahmen"], _count(r.massnahmen))
    rows = sorted(out.values(), key=lambda a: _natural(a["label"]))
    for a in rows:
        a["artname"] = art[a["art"]].name
        a["akteursart"] = ", ".join(sorted(a["akteursart"]))
        a["gebietnamen"] = ", ".join(sorted(a["gebiete"].values()))
    return rows


@router.get("/akteure", include_in_schema=False)
def akteure(request: Request, gebiet: str = ""):
    every = actors(_run(request, "cockpit-akteure"))
    towns = sorted({(iri, name) for a in every for iri, name in a["gebiete"].items()}, key=lambda t: _natural(t[1]))
    chosen = None
    rows = every
    if gebiet:
        q = _catalogue(request.app).get("cockpit-akteure")
        from ..queries import coerce_param

        chosen = coerce_param(q, "gebiet", gebiet).value
        rows = actors(_run(request, "cockpit-akteure", {"gebiet": chosen}))
    name = dict(towns).get(chosen, _local(chosen)) if chosen else None
    return _page(request, "cockpit_akteure.html.j2", "Akteure" + (f" in {name}" if name else ""),
                 akteure=rows, gebiete=towns, gebiet=chosen, gebietname=name)


# -- network views ------------------------------------------------------------------------------

@router.get("/netzwerk", include_in_schema=False)
def netzwerk(request: Request):
    from .. import views
    from .views import bestand

    b = bestand(request.app)

    def options(kinds):
        items = [(n, b.node(n)) for n in b.of_kind(kinds)]
        groups: dict[str, list] = defaultdict(list)
        for n, d in items:
            groups[(d["quellnamen"] or ["ohne Quelle"])[0]].append((n, d["label"]))
        return [(g, sorted(v, key=lambda t: _natural(t[1]))) for g, v in sorted(groups.items(), key=lambda kv: _natural(kv[0]))]

    towns = sorted(b.gebietnamen.items(), key=lambda t: _natural(t[1]))
    towns = [(iri, name) for iri, name in towns if any(iri in b.node(n)["gebiete"] for n in b.of_kind({"konzept"}))]
    return _page(request, "cockpit_netzwerk.html.j2", "Netzwerkansichten",
                 ziele=options({"leitziel", "leitthema", "teilziel", "ziel", "jahresziel"}),
                 akteure=options(views.AKTEURE), felder=options({"handlungsfeld"}),
                 phasen=sorted(((n, b.node(n)["label"]) for n in b.of_kind({"lebensphase"})),
                               key=lambda t: _natural(b.node(t[0]).get("notation") or "") + _natural(t[1])),
                 gebiete=towns, knoten=b.graph.number_of_nodes())
