"""The whole picture (of everything or one town), grouped where it gets too large to read."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from ..errors import InputError
from ..namespaces import PREFIXES
from .bestand import (ART, ARTEN, GESAMT_MAX, PARTNER, VORHABEN, _RANK, Ansicht, Bestand, _doc_key, _finish, _fold,
                      _local_name, _view_graph)

def resolve_town(b: Bestand, town: str) -> str:
    """The IRI of an area given as IRI, prefixed name (g:hattingen), key (hattingen) or name."""
    t = town.strip()
    if t.startswith("g:"):
        t = PREFIXES["g"] + t[2:]
    wanted = _fold(t)
    for iri, name in b.gebietnamen.items():
        if t == iri or wanted in (_fold(name), _fold(_local_name(iri))):
            return iri
    known = ", ".join(sorted(b.gebietnamen.values())) or "keine"
    raise InputError(f"Unbekanntes Gebiet {town!r}. Bekannte Gebiete: {known}.")


def _towns_of(b: Bestand, n: str) -> set[str]:
    d = b.node(n)
    towns = set(d["gebiete"])
    for q in d["quellen"]:
        towns |= b.quellgebiete.get(q, set())
    return towns


def gesamt(b: Bestand, town: str | None = None, max_nodes: int = GESAMT_MAX) -> Ansicht:
    """Everything (or everything of one town), grouped where it gets too large to read."""
    nodes = set(b.graph)
    hinweise = []
    titel = "Gesamtbild"
    parameter: dict = {}
    if town:
        gebiet = resolve_town(b, town)
        keep = {n for n in nodes if gebiet in _towns_of(b, n)}
        keep |= {a for v in keep if b.node(v)["art"] in VORHABEN for a in b.out(v, PARTNER)}
        keep |= {p for v in keep for p in b.out(v, {"lebensphase", "handlungsfeld"})}
        nodes = keep
        titel += f": {b.gebietnamen[gebiet]}"
        parameter["gebiet"] = gebiet
    # Here the link of a goal to its concept shows which document it belongs to.
    g = _view_graph(b, nodes, leave_out=())
    if max_nodes:
        g, hinweise = _group_unlinked(b, g)
    if max_nodes and g.number_of_nodes() > max_nodes:
        g, more = _reduce(b, g, max_nodes)
        hinweise += more
    if max_nodes != GESAMT_MAX:
        parameter["max"] = max_nodes
    return _finish(Ansicht(
        "gesamt", titel,
        "Alle Konzepte, Ziele, Handlungsfelder, Maßnahmen, Aktivitäten, Akteure und Lebensphasen "
        "mit ihren Verbindungen. Texte wie Kernaussagen und Umsetzungsschritte bleiben hier weg.",
        g, hinweise=hinweise, parameter=parameter))


def _group_unlinked(b: Bestand, g: nx.DiGraph, least: int = 5) -> tuple[nx.DiGraph, list[str]]:
    """Nodes without any link, one group node per kind (where there are at least ``least``):
    address lists name many organisations that nothing else mentions."""
    alone: dict[str, list[str]] = defaultdict(list)
    for n, d in g.nodes(data=True):
        if g.degree(n) == 0 and not d.get("gruppe"):
            alone[d["art"]].append(n)
    merged = []
    for art, ns in sorted(alone.items(), key=lambda kv: _RANK[kv[0]]):
        if len(ns) < least:
            continue
        gid = f"gruppe:ohne-verbindung-{art}"
        g.remove_nodes_from(ns)
        g.add_node(gid, iri=None, art=art, gruppe=len(ns), label=f"{len(ns)} {ART[art].plural} ohne Verbindung",
                   kontext="", quellen=[], quellnamen=[], gebiete=[], akteursart="", feld=None,
                   luecke=any(n in b.luecken for n in ns), ueberschneidung=[])
        merged.append(f"{len(ns)} {ART[art].plural}")
    hinweise = []
    if merged:
        hinweise.append("Je ein Knoten fasst zusammen, was mit nichts verbunden ist: " + ", ".join(merged)
                        + ". Die einzelnen stehen in den Listen des Cockpits.")
    return g, hinweise


def _reduce(b: Bestand, g: nx.DiGraph, max_nodes: int) -> tuple[nx.DiGraph, list[str]]:
    """Merge nodes of one kind, document and field into one group node each, stage by stage, until
    the view has at most ``max_nodes`` nodes (or nothing is left to merge)."""
    def field_of(n):
        fs = sorted(f for f in b.out(n, {"handlungsfeld"}))
        return fs[0] if fs else ""

    stages = [
        ("Maßnahmen und Aktivitäten", "je Art, Dokument und Handlungsfeld", VORHABEN,
         lambda n, d: (d["art"], _doc_key(d), field_of(n))),
        ("Teil- und Jahresziele", "je Art, Dokument und Handlungsfeld", {"teilziel", "jahresziel", "monitoringziel", "ziel"},
         lambda n, d: (d["art"], _doc_key(d), field_of(n))),
        ("Akteure", "je Art des Akteurs und Ort", {"akteur"},
         lambda n, d: (d["art"], d["akteursart"], tuple(d["gebiete"][:1]))),
        ("übrige Knoten", "je Art und Dokument", {a.key for a in ARTEN} - {"konzept", "lebensphase"},
         lambda n, d: (d["art"], _doc_key(d))),
    ]
    members: dict[str, list[str]] = {n: [n] for n in g}
    hinweise = []
    current = g
    for what, how, kinds, keyf in stages:
        if current.number_of_nodes() <= max_nodes:
            break
        groups: dict[tuple, list[str]] = defaultdict(list)
        for n, d in current.nodes(data=True):
            if d["art"] in kinds and not d.get("gruppe"):
                groups[keyf(n, d)].append(n)
        mapping = {}
        merged = 0
        for key, ns in groups.items():
            if len(ns) < 2:
                continue
            gid = "gruppe:" + str(len([m for m in members if m.startswith("gruppe:")]) + 1)
            inner = [m for n in ns for m in members.pop(n)]
            members[gid] = inner
            for n in ns:
                mapping[n] = gid
            merged += len(ns)
        if not mapping:
            continue
        nxt = nx.DiGraph()
        for n, d in current.nodes(data=True):
            if n not in mapping:
                nxt.add_node(n, **d)
        for gid in set(mapping.values()):
            first = b.node(members[gid][0])
            inner = members[gid]
            fld = field_of(members[gid][0])
            label = f"{len(inner)} {ART[first['art']].plural}"
            context = [b.node(fld)["label"]] if fld and fld in b.graph else []
            if first["art"] == "akteur":
                context = [first["akteursart"]] + [b.gebietnamen.get(x, "") for x in first["gebiete"][:1]]
            elif first["quellnamen"]:
                context.append(first["quellnamen"][0])
            nxt.add_node(gid, iri=None, art=first["art"], gruppe=len(inner), label=label,
                         kontext=" · ".join(c for c in context if c), quellen=first["quellen"],
                         quellnamen=first["quellnamen"], gebiete=first["gebiete"], akteursart=first["akteursart"],
                         feld=fld or None, luecke=any(b.node(m)["iri"] in b.luecken for m in inner),
                         ueberschneidung=[])
        for u, v, d in current.edges(data=True):
            u2, v2 = mapping.get(u, u), mapping.get(v, v)
            if u2 == v2:
                continue
            if nxt.has_edge(u2, v2):
                e = nxt.edges[u2, v2]
                e["anzahl"] = e.get("anzahl", 1) + d.get("anzahl", 1)
                e["arten"] = sorted(set(e["arten"]) | set(d["arten"]))
                e["kuratiert"] = e["kuratiert"] and d["kuratiert"]
            else:
                nxt.add_edge(u2, v2, **dict(d))
        hinweise.append(f"{merged} {what} sind zu {len(set(mapping.values()))} Gruppen zusammengefasst ({how}).")
        current = nxt
    return current, hinweise

