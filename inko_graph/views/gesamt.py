"""The whole picture (of everything or one town), grouped where it gets too large to read."""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from ..errors import InputError
from ..namespaces import PREFIXES
from .bestand import (ART, ARTEN, GESAMT_MAX, PARTNER, VORHABEN, ZIELARTEN, _RANK, Ansicht, Bestand, _doc_key,
                      _finish, _fold, _local_name, _natural, _view_graph)


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


def main_concept(b: Bestand, gebiet: str) -> str | None:
    """The concept a town's overview opens on: its integration concept (a concept of the town with
    goals whose name says so; else the one with the most goals). General strategies stay context."""
    def goals(k):
        return sum(1 for z in b.into(k, {"inScheme"}) if b.node(z)["art"] in ZIELARTEN)

    own = [k for k in b.of_kind({"konzept"}) if gebiet in b.node(k)["gebiete"]]
    b.eingehend(own)
    ks = [k for k in own if goals(k)]
    if not ks:
        return None
    return max(ks, key=lambda k: ("integrationskonzept" in _fold(b.node(k)["label"]), goals(k), k))


def gesamt(b: Bestand, town: str | None = None, max_nodes: int = GESAMT_MAX) -> Ansicht:
    """Everything (or everything of one town), grouped where it gets too large to read."""
    nodes = set(b.graph)
    hinweise = []
    titel = "Gesamtbild"
    parameter: dict = {}
    fokus = None
    if town:
        gebiet = resolve_town(b, town)
        keep = {n for n in nodes if gebiet in _towns_of(b, n)}
        b.ausgehend(keep)
        keep |= {a for v in keep if b.node(v)["art"] in VORHABEN for a in b.out(v, PARTNER)}
        keep |= {p for v in keep for p in b.out(v, {"lebensphase", "handlungsfeld"})}
        nodes = keep
        titel += f": {b.gebietnamen[gebiet]}"
        parameter["gebiet"] = gebiet
        fokus = main_concept(b, gebiet)
    # Here the link of a goal to its concept shows which document it belongs to.
    g = _view_graph(b, nodes, leave_out=())
    if max_nodes:
        g, hinweise = _group_unlinked(b, g)
    if max_nodes and g.number_of_nodes() > max_nodes:
        g, more = _reduce(b, g, max_nodes)
        hinweise += more
    if max_nodes != GESAMT_MAX:
        parameter["max"] = max_nodes
    a = _finish(Ansicht(
        "gesamt", titel,
        "Alle Konzepte, Ziele, Handlungsfelder, Maßnahmen, Aktivitäten, Akteure und Lebensphasen "
        "mit ihren Verbindungen. Texte wie Kernaussagen und Umsetzungsschritte bleiben hier weg."
        + (" Das Bild öffnet beim Konzept der Stadt und seinen Zielen." if fokus in g else ""),
        g, fokus=fokus if fokus in g else None, hinweise=hinweise, parameter=parameter,
        start="fokus" if fokus in g else "alles"))
    if a.fokus:
        _ring(a, a.fokus)
    return a


def _ring(a: Ansicht, centre: str, gap: float = 230.0) -> None:
    """The concept's goals and fields on a ring around it, in the order of their numbers, so that
    the labels the overview opens with stand apart."""
    g = a.graph
    around = sorted(set(g.predecessors(centre)) | set(g.successors(centre)),
                    key=lambda n: (_RANK[g.nodes[n]["art"]], _natural(g.nodes[n].get("notation") or ""),
                                   _natural(g.nodes[n]["label"])))
    if not around:
        return
    cx, cy = a.positionen.get(centre, (0.0, 0.0))
    radius = max(260.0, gap * len(around) / (2 * math.pi))
    for i, n in enumerate(around):
        angle = 2 * math.pi * i / len(around) - math.pi / 2
        a.positionen[n] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))


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
                   luecke=any(b.luecke(n) for n in ns), ueberschneidung=[])
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
                         feld=fld or None, luecke=any(b.luecke(b.node(m)["iri"]) for m in inner),
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

