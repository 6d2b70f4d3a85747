"""The cockpit: German pages for a Steuerungsgruppe, rendered on the server.

``/`` overview, ``/ziele`` goal trees, ``/luecken`` gaps, ``/ueberschneidungen`` overlaps,
``/matrix`` Handlungsfeld × Lebensphase, ``/massnahmen`` the list behind a cell, ``/akteure``
actors, ``/netzwerk`` the network views. Every resource links to its linked-data page. The data
comes from the named queries ``cockpit-*`` and ``statistik-graphen``; the pages only arrange it.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from fastapi import APIRouter, Request

__all__ = ["router", "setup", "goal_trees", "matrix", "overview", "overlaps", "actors"]

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
    gaps = _unique_goals(_run(request, "cockpit-luecken"))
    over = overlaps(_run(request, "cockpit-ueberschneidungen"))
    return _page(request, "cockpit_start.html.j2", "Übersicht", uebersicht=overview(stats),
                 luecken=len(gaps), ueberschneidungen=len(over))


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


@router.get("/luecken", include_in_schema=False)
def luecken(request: Request):
    goals = _unique_goals(_run(request, "cockpit-luecken"))
    _, _, rank = _art_rank()
    groups: dict[str, dict] = {}
    for g in goals.values():
        grp = groups.setdefault(g["konzept"], {"konzept": g["konzept"], "name": g["konzeptname"] or "ohne Konzept",
                                               "ziele": []})
        grp["ziele"].append(g)
    for grp in groups.values():
        grp["ziele"].sort(key=lambda g: (rank[g["art"]], _natural(g["notation"]), _natural(g["label"])))
    ordered = sorted(groups.values(), key=lambda grp: _natural(grp["name"]))
    return _page(request, "cockpit_luecken.html.j2", "Lücken", gruppen=ordered, anzahl=len(goals))


# -- overlaps -----------------------------------------------------------------------------------

def overlaps(df) -> list[dict]:
    """Per goal and Lebensphase the actors and the measures or activities through which they serve it."""
    items: dict[tuple[str, str], dict] = {}
    for r in df.itertuples(index=False):
        key = (r.ziel, r.lebensphase)
        item = items.setdefault(key, {"ziel": r.ziel, "label": _text(r.label) or _local(r.ziel),
                                      "lebensphase": r.lebensphase,
                                      "lebensphasename": _text(r.lebensphasename) or _local(r.lebensphase),
                                      "akteure": {}, "vorhaben": {}, "anzahl": _count(r.anzahl)})
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
    items = overlaps(_run(request, "cockpit-ueberschneidungen"))
    return _page(request, "cockpit_ueberschneidungen.html.j2", "Überschneidungen", eintraege=items)


# -- matrix -------------------------------------------------------------------------------------

def matrix(fields, phases, measures) -> list[dict]:
    """Per concept: its Handlungsfelder as rows, the Lebensphasen as columns, and in each cell the
    number of measures and activities of that field (their own or their goal's) for that phase."""
    cols = []
    for r in phases.itertuples(index=False):
        if r.lebensphase not in [c["iri"] for c in cols]:
            cols.append({"iri": r.lebensphase, "label": _text(r.label) or _local(r.lebensphase),
                         "notation": _text(r.notation)})
    cols.sort(key=lambda c: (_natural(c["notation"]), _natural(c["label"])))
    cell: dict[tuple[str, str], set[str]] = defaultdict(set)
    in_field: dict[str, set[str]] = defaultdict(set)
    with_phase: dict[str, set[str]] = defaultdict(set)
    for r in measures.itertuples(index=False):
        if not isinstance(r.handlungsfeld, str):
            continue
        in_field[r.handlungsfeld].add(r.vorhaben)
        if isinstance(r.lebensphase, str):
            cell[(r.handlungsfeld, r.lebensphase)].add(r.vorhaben)
            with_phase[r.handlungsfeld].add(r.vorhaben)
    concepts: dict[str, dict] = {}
    seen = set()
    for r in fields.itertuples(index=False):
        if r.handlungsfeld in seen:
            continue
        seen.add(r.handlungsfeld)
        k = _text(r.konzept)
        c = concepts.setdefault(k, {"konzept": k, "name": _text(r.konzeptname) or "ohne Konzept", "zeilen": []})
        c["zeilen"].append({
            "iri": r.handlungsfeld, "label": _text(r.label) or _local(r.handlungsfeld), "notation": _text(r.notation),
            "zellen": [len(cell[(r.handlungsfeld, col["iri"])]) for col in cols],
            "ohne": len(in_field[r.handlungsfeld] - with_phase[r.handlungsfeld]),
            "gesamt": len(in_field[r.handlungsfeld]),
        })
    out = []
    for c in concepts.values():
        c["zeilen"].sort(key=lambda z: (_natural(z["notation"]), _natural(z["label"])))
        c["spalten"] = cols
        c["leer"] = sum(1 for z in c["zeilen"] for n in z["zellen"] if n == 0)
        out.append(c)
    out.sort(key=lambda c: (c["konzept"] == "", _natural(c["name"])))
    return out


@router.get("/matrix", include_in_schema=False)
def matrix_page(request: Request):
    tables = matrix(_run(request, "cockpit-handlungsfelder"), _run(request, "cockpit-lebensphasen"),
                    _run(request, "cockpit-massnahmen"))
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
