"""„Kreisziele“: each goal of the Kreis's concept with the chosen town's goals that serve it
(stated in a document or curated, marked as such) and the measures that serve those goals, and
the Kreis goals nothing serves. For the Kreis itself: the goals of each of its towns.

Also what the start page counts (``summary``) and what the goals contribute to in a context
concept such as the Strategiekonzept 2020 (``contributions``). Queries: ``cockpit-kreisziele``,
``cockpit-kreisziele-bedient`` (the counts), ``cockpit-beitraege``, ``cockpit-ziel-vorhaben`` (the
measures per goal).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from . import gebiet as gb
from .cockpit_base import Tabelle, natural, page, run, text

__all__ = ["router", "kreisziele", "summary", "contributions", "BEZIEHUNG"]

router = APIRouter()

#: How a town's goal relates to the Kreis goal, read from the town's goal.
BEZIEHUNG = {"closeMatch": "entspricht", "broadMatch": "ist Teil davon", "narrowMatch": "umfasst es",
             "relatedMatch": "verwandt", "dient": "dient"}


def _kreis_of(request: Request, g: gb.Gebiet | None) -> tuple[gb.Gebiet | None, list[str]]:
    """The Kreis whose goals count for ``g`` and the towns whose goals are compared."""
    if g is None:
        return None, []
    if g.ist_kreis:
        return g, [iri for iri, _ in g.staedte]
    opts = {x.iri: x for x in gb.choices(request.app).values()}
    kreis = opts.get(g.liegt_in or "")
    return kreis, [g.iri]


def kreisziele(request: Request, g: gb.Gebiet | None, details: bool = True) -> dict | None:
    """The Kreis goals with what serves them from the towns of ``g``; ``None`` without a Kreis concept.
    Without ``details`` no measures and no kinds of goal (enough for counting)."""
    from .cockpit_data import goal_kinds

    kreis, towns = _kreis_of(request, g)
    if kreis is None:
        return None
    counted = g.konzept_iris
    df = run(request, "cockpit-kreisziele", {"kreis": kreis.iri})
    names = dict(kreis.staedte)
    measures = goal_measures(request, g) if details else {}
    kinds = goal_kinds(request) if details else {}
    goals: dict[str, dict] = {}
    for r in df.itertuples(index=False):
        kz = goals.get(r.kreisziel)
        if kz is None:
            kz = goals[r.kreisziel] = {"iri": r.kreisziel, "label": text(r.kreiszielname) or "(ohne Bezeichnung)",
                                       "nummer": text(r.kreisnummer), "art": kinds.get(r.kreisziel, "ziel"),
                                       "treffer": {}, "vorhaben": {}}
        if not isinstance(r.ziel, str) or r.stadt not in towns:
            continue
        if r.konzept not in counted and r.beziehung != "dient":
            continue
        key = (r.ziel, r.beziehung)
        t = kz["treffer"].get(key)
        if t is None:
            t = kz["treffer"][key] = {"ziel": r.ziel, "label": text(r.zielname) or "(ohne Bezeichnung)",
                                      "nummer": text(r.zielnummer), "stadt": names.get(r.stadt, g.name),
                                      "beziehung": BEZIEHUNG.get(r.beziehung, r.beziehung), "belegt": text(r.belegt),
                                      "begruendung": text(r.begruendung),
                                      "vorhaben": sorted(measures.get(r.ziel, {}).items(), key=lambda kv: natural(kv[1]))}
        if r.belegt == "Dokument":
            t["belegt"] = "Dokument"
        for v, name in t["vorhaben"]:
            kz["vorhaben"][v] = name
    rows = sorted(goals.values(), key=lambda z: (z["art"] != "leitthema", natural(z["nummer"]), natural(z["label"])))
    for z in rows:
        z["treffer"] = sorted(z["treffer"].values(), key=lambda t: (natural(t["stadt"]), natural(t["nummer"]),
                                                                   natural(t["label"])))
    for i, z in enumerate(rows, start=1):
        z["anker"] = f"kreisziel-{i}"
        z["anzahl_ziele"] = len({t["ziel"] for t in z["treffer"]})
        z["anzahl_kuratiert"] = len({t["ziel"] for t in z["treffer"] if t["belegt"] == "kuratiert"})
    served = [z for z in rows if z["treffer"]]
    return {"kreis": kreis, "staedte": [names.get(t, g.name) for t in towns], "ziele": rows,
            "bedient": len(served), "offen": [z for z in rows if not z["treffer"]]}


def goal_measures(request: Request, g: gb.Gebiet) -> dict[str, dict[str, str]]:
    """Goal -> {undertaking: name} for the concepts of ``g``: the goals and undertakings of the
    table „Wer dient welchem Ziel“, from ``cockpit-ziel-vorhaben`` (a fifth of that table's query
    at 10^5 triples, without its actors, groups and fields)."""
    cache = request.app.state.cache
    key = ("cockpit-ziel-vorhaben", g.slug)
    if key in cache:
        return cache[key]
    out: dict[str, dict[str, str]] = {}
    for k in sorted(g.konzept_iris):
        df = run(request, "cockpit-ziel-vorhaben", {"konzept": k})
        for ziel, v, name in zip(df["ziel"].tolist(), df["vorhaben"].tolist(), df["vorhabenname"].tolist()):
            out.setdefault(ziel, {})[v] = text(name) or "(ohne Bezeichnung)"
    cache[key] = out
    return out


def summary(request: Request, g: gb.Gebiet | None) -> dict | None:
    """For the start page: how many Kreis goals the town's goals serve and how many nothing serves.

    Counted as ``kreisziele`` counts (a goal of a town of ``g`` in a counted concept, or one that
    ``dient``), from ``cockpit-kreisziele-bedient``: the same links without labels, graphs and
    reasons, a tenth of the time of ``cockpit-kreisziele`` at 10^5 triples."""
    kreis, towns = _kreis_of(request, g)
    if kreis is None:
        return None
    df = run(request, "cockpit-kreisziele-bedient", {"kreis": kreis.iri})
    goals: set[str] = set()
    served: set[str] = set()
    for kz, ziel, konzept, stadt, beziehung in zip(df["kreisziel"].tolist(), df["ziel"].tolist(),
                                                   df["konzept"].tolist(), df["stadt"].tolist(),
                                                   df["beziehung"].tolist()):
        goals.add(kz)
        if isinstance(ziel, str) and stadt in towns and (konzept in g.konzept_iris or beziehung == "dient"):
            served.add(kz)
    return {"kreis": kreis.name, "gesamt": len(goals), "bedient": len(served), "offen": len(goals - served)}


def contributions(request: Request, g: gb.Gebiet) -> dict[str, list[dict]]:
    """Goal of a context concept -> the goals of ``g``'s counted concepts linked to it."""
    names: dict[str, str] = {}
    df_goals = run(request, "cockpit-ziele")
    for r in df_goals.itertuples(index=False):
        names.setdefault(r.ziel, (text(r.notation) + " " if text(r.notation) else "") + (text(r.label) or ""))
    out: dict[str, list[dict]] = {}
    for konzept, _ in g.kontext:
        for r in run(request, "cockpit-beitraege", {"konzept": konzept}).itertuples(index=False):
            if r.zielkonzept in g.konzept_iris:
                lst = out.setdefault(r.rahmenziel, [])
                if not any(x["ziel"] == r.ziel for x in lst):
                    lst.append({"ziel": r.ziel, "label": names.get(r.ziel, ""), "belegt": r.belegt,
                                "beziehung": BEZIEHUNG.get(r.beziehung, r.beziehung)})
    return out


@router.get("/kreisziele", include_in_schema=False)
def kreisziele_page(request: Request):
    g = gb.chosen(request)
    k = kreisziele(request, g)
    tabs = []
    if k:
        rows = []
        for z in k["ziele"]:
            if not z["treffer"]:
                rows.append([z["nummer"], z["label"], "", "", "", "", "nichts dient diesem Kreisziel", ""])
            for t in z["treffer"]:
                rows.append([z["nummer"], z["label"], t["stadt"], (t["nummer"] + " " if t["nummer"] else "") + t["label"],
                             t["beziehung"], "kuratiert" if t["belegt"] == "kuratiert" else "im Dokument",
                             t["begruendung"], [n for _, n in t["vorhaben"]]])
        tabs.append(Tabelle("kreisziele", "Kreisziele", ["Nummer", "Kreisziel", "Stadt", "Ziel der Stadt", "Beziehung",
                                                          "Zuordnung", "Begründung", "Maßnahmen dazu"], rows))
        tabs.append(Tabelle("uebersicht", "Kreisziele (Übersicht)",
                            ["Nummer", "Kreisziel", "Ziele, die ihm dienen", "davon kuratiert", "Maßnahmen dazu"],
                            [[z["nummer"], z["label"], z["anzahl_ziele"], z["anzahl_kuratiert"], len(z["vorhaben"])]
                             for z in k["ziele"]]))
    # The details per Kreis goal are folded (``<details>``, no script needed); ``?aufgeklappt=1`` opens all.
    return page(request, "cockpit_kreisziele.html.j2", "Kreisziele", tabellen=tabs, k=k,
                aufgeklappt=request.query_params.get("aufgeklappt") == "1")
