"""The cockpit's tables arranged from the rows of named queries (pure functions, no requests):
the overview per source, goal trees, gaps, overlaps, the matrix and the actors; and the kind of
each goal (``goal_kinds``, read once per state of the data), which the goal pages and the Kreis
goals share."""

from __future__ import annotations

import re
from collections import defaultdict

from fastapi import Request

from ..views.akteursliste import actors
from .cockpit_base import count as _count, local as _local, natural as _natural, run, text as _text

__all__ = ["overview", "goal_trees", "gaps", "overlaps", "matrix", "actors", "goal_kinds"]


def _art_rank():
    from ..views import ARTEN, _ART_OF_CLASS, ART

    rank = {a.key: i for i, a in enumerate(ARTEN)}
    return _ART_OF_CLASS, ART, rank



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


def overview(stats, names: dict[str, str] | None = None) -> dict:
    """Counts per graph (one per source document, curation, Raster submission) and kind; ``names``:
    a graph -> its name as the resource pages give it (the title on the cover, "Raster-Meldung
    vhs Hattingen 2014"), else the graph's label without its "Aussagen des …"."""
    by_graph: dict[str, dict] = {}
    for r in stats.itertuples(index=False):
        for i, (_, classes) in enumerate(_OVERVIEW_COLUMNS):
            if r.art in classes:
                name = (names or {}).get(r.graph) or re.sub(
                    r"^Aussagen (des|der|aus dem|aus der) ", "", _text(r.graphname)) or _local(r.graph)
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


_ALLE = "https://w3id.org/inko/id/vokabular/lebensphase/alle-lebensphasen"


OHNE_FELD = "ohne Handlungsfeld"


def matrix(counts, feldlos=None) -> list[dict]:
    """Per concept its Handlungsfelder as rows and the Lebensphasen as columns, each cell the number
    of measures and activities there (query ``vorhaben-je-handlungsfeld-lebensphase``: a measure
    belongs to a field through itself or through a goal it serves, or that goal's higher goals).
    ``feldlos`` (query ``vorhaben-ohne-handlungsfeld``) adds a row "ohne Handlungsfeld" for what
    serves a goal of the concept but reaches none of its fields, as the Kreis comparison counts it:
    so every measure of the concept stands somewhere."""
    cols: dict[str, dict] = {}
    concepts: dict[str, dict] = {}
    rows_in = list(counts.itertuples(index=False))
    rows_in += list(feldlos.itertuples(index=False)) if feldlos is not None else []
    for r in rows_in:
        k = _text(r.konzept)
        c = concepts.setdefault(k, {"konzept": k, "name": _text(r.konzeptname) or "ohne Konzept", "zeilen": {}})
        if hasattr(r, "handlungsfeld"):
            row = c["zeilen"].setdefault(r.handlungsfeld, {
                "iri": r.handlungsfeld, "label": _text(r.handlungsfeldname) or _local(r.handlungsfeld),
                "notation": _text(r.hfnotation), "werte": {}, "ohne": 0})
        else:  # what serves a goal of the concept outside its fields
            row = c["zeilen"].setdefault("", {"iri": "", "label": OHNE_FELD, "notation": "", "werte": {}, "ohne": 0})
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
        # The row without a field comes last: it is no field, so its empty cells are no gaps.
        rows = sorted(c["zeilen"].values(), key=lambda z: (z["iri"] == "", _natural(z["notation"]), _natural(z["label"])))
        for z in rows:
            z["zellen"] = [z["werte"].get(col["iri"], 0) for col in columns]
            # An undertaking for all Lebensphasen covers every phase of its field: no gap there.
            z["alle_gedeckt"] = z["werte"].get(_ALLE, 0) > 0
        out.append({"konzept": c["konzept"], "name": c["name"], "zeilen": rows, "spalten": columns,
                    "leer": sum(1 for z in rows if z["iri"] for n in z["zellen"] if n == 0 and not z["alle_gedeckt"])})
    out.sort(key=lambda c: (c["konzept"] == "", _natural(c["name"])))
    return out


def goal_kinds(request: Request) -> dict[str, str]:
    """Goal IRI -> kind key (leitziel, teilziel, …), the most specific of its classes."""
    cache = request.app.state.cache
    kinds = cache.get("cockpit-zielarten")
    if kinds is None:
        art_of_class, _, rank = _art_rank()
        kinds = {}
        for r in run(request, "cockpit-ziele").itertuples(index=False):
            k = art_of_class.get(r.art, "ziel")
            if r.ziel not in kinds or rank[k] < rank[kinds[r.ziel]]:
                kinds[r.ziel] = k
        cache["cockpit-zielarten"] = kinds
    return kinds
