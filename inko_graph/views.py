"""Network views of the graph: built as networkx graphs, drawn by vis-network through pyvis.

``load(store, catalogue)`` reads the nodes and links of every view once (queries ``view-knoten``,
``view-kanten``, ``ziele-ohne-massnahme``, ``mehrere-akteure-gleiches-ziel``) into a ``Bestand``; each view
function cuts its part out of it as an ``nx.DiGraph``; ``render`` turns a view into one HTML page.

Positions are computed in Python (``layout``) and the browser's physics stays off, so that a
large view is drawn at once instead of never settling. Labels and tooltips are plain text: vis
draws labels on a canvas and sets string tooltips with ``innerText``; the page's own script uses
``textContent`` only.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import networkx as nx

from . import layout
from .errors import InputError
from .namespaces import PREFIXES
from .settings import PROJECT_ROOT

__all__ = [
    "ARTEN", "ANSICHTEN", "Art", "Bestand", "Ansicht", "Links", "UnknownNode", "load",
    "ziel", "akteur", "feld", "abgleich", "gesamt", "build", "view_for", "resolve", "resolve_town",
    "render", "vis_data", "json_for_script", "VIZ_DIR",
]

VIZ_DIR = PROJECT_ROOT / "viz"

_INKO = PREFIXES["inko"]
_SKOS = PREFIXES["skos"]
_ORG = PREFIXES["org"]


@dataclass(frozen=True)
class Art:
    """A kind of node: its German names, how it is drawn, and the classes it stands for."""

    key: str
    name: str
    plural: str
    shape: str
    color: str
    classes: tuple[str, ...]
    #: type size of the label; the main kinds larger, so they stay legible when zoomed out
    font: int = 17


#: Kinds in order of precedence: a resource of several classes takes the first that fits.
#: Colours after Okabe and Ito, told apart also by people with colour vision deficiency.
ARTEN: tuple[Art, ...] = (
    Art("konzept", "Konzept", "Konzepte", "box", "#333333", (_INKO + "Konzept",), 30),
    Art("leitthema", "Leitthema", "Leitthemen", "dot", "#003F73", (_INKO + "Leitthema",), 22),
    Art("leitziel", "Leitziel", "Leitziele", "dot", "#0072B2", (_INKO + "Leitziel",), 22),
    Art("teilziel", "Teilziel", "Teilziele", "dot", "#56B4E9", (_INKO + "Teilziel",)),
    Art("jahresziel", "Jahresziel", "Jahresziele", "dot", "#9AD0EF", (_INKO + "Jahresziel",)),
    Art("monitoringziel", "Monitoringziel", "Monitoringziele", "dot", "#9AD0EF", (_INKO + "Monitoringziel",)),
    Art("ziel", "Ziel", "Ziele", "dot", "#56B4E9", (_INKO + "Ziel",)),
    Art("handlungsfeld", "Handlungsfeld", "Handlungsfelder", "triangleDown", "#8C6D1F", (_INKO + "Handlungsfeld",), 20),
    Art("massnahme", "Maßnahme", "Maßnahmen", "square", "#E69F00", (_INKO + "Massnahme",)),
    Art("aktivitaet", "Aktivität", "Aktivitäten", "triangle", "#CC79A7", (_INKO + "Aktivitaet",)),
    Art("gremium", "Gremium", "Gremien", "hexagon", "#00573F", (_INKO + "Gremium",)),
    Art("akteur", "Akteur", "Akteure", "diamond", "#009E73",
        (_ORG + "Organization", _ORG + "FormalOrganization", PREFIXES["cv"] + "PublicOrganisation")),
    Art("lebensphase", "Lebensphase", "Lebensphasen", "star", "#6A3D9A", (_INKO + "Lebensphase",), 20),
)
ART = {a.key: a for a in ARTEN}
_ART_OF_CLASS = {}
for _a in ARTEN:
    for _c in _a.classes:
        _ART_OF_CLASS.setdefault(_c, _a.key)
_RANK = {a.key: i for i, a in enumerate(ARTEN)}

ZIELARTEN = frozenset({"leitthema", "leitziel", "teilziel", "jahresziel", "monitoringziel", "ziel"})
VORHABEN = frozenset({"massnahme", "aktivitaet"})
AKTEURE = frozenset({"akteur", "gremium"})

#: Links: key, property IRI, German wording for tooltips.
_KANTEN = {
    "dient": (_INKO + "dient", "dient dem Ziel"),
    "broader": (_SKOS + "broader", "ist Unterziel von"),
    "zustaendig": (_INKO + "zustaendig", "zuständig"),
    "traeger": (_INKO + "traeger", "Träger"),
    "beteiligt": (_INKO + "beteiligt", "beteiligt"),
    "lebensphase": (_INKO + "lebensphase", "für die Lebensphase"),
    "handlungsfeld": (_INKO + "handlungsfeld", "im Handlungsfeld"),
    "hasMember": (_ORG + "hasMember", "hat als Mitglied"),
    "subOrganizationOf": (_ORG + "subOrganizationOf", "gehört zu"),
    "gleicherWortlaut": (_INKO + "gleicherWortlaut", "gleicher Wortlaut wie"),
    "inScheme": (_SKOS + "inScheme", "Ziel des Konzepts"),
    "exactMatch": (_SKOS + "exactMatch", "entspricht genau"),
    "closeMatch": (_SKOS + "closeMatch", "entspricht weitgehend"),
    "broadMatch": (_SKOS + "broadMatch", "entspricht dem allgemeineren Ziel"),
    "narrowMatch": (_SKOS + "narrowMatch", "entspricht dem spezielleren Ziel"),
    "relatedMatch": (_SKOS + "relatedMatch", "ist verwandt mit"),
}
_KANTE_OF_IRI = {iri: key for key, (iri, _) in _KANTEN.items()}
ABGLEICH = frozenset({"exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"})
ZUSTAENDIG = frozenset({"zustaendig", "traeger"})
PARTNER = frozenset({"zustaendig", "traeger", "beteiligt"})

#: The views that ``build`` knows, with their German names.
ANSICHTEN = {
    "ziel": "Zielansicht",
    "akteur": "Akteursansicht",
    "feld": "Handlungsfeld und Lebensphase",
    "abgleich": "Abgleich der Dokumente",
    "gesamt": "Gesamtbild",
}

#: The whole-graph view is reduced above this many nodes.
GESAMT_MAX = 700


class UnknownNode(InputError):
    """No node of the views has this IRI or label (or not of the kind the view needs)."""


# -- the data of all views ----------------------------------------------------------------------

@dataclass
class Bestand:
    """Every node and link the views draw on, read once from the store."""

    graph: nx.MultiDiGraph
    luecken: set[str] = field(default_factory=set)
    #: goal -> [(Lebensphase label, number of actors)]
    ueberschneidungen: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: source document -> its areas (from the Konzepte it holds)
    quellgebiete: dict[str, set[str]] = field(default_factory=dict)
    gebietnamen: dict[str, str] = field(default_factory=dict)

    def node(self, iri: str) -> dict:
        return self.graph.nodes[iri]

    def out(self, node: str, keys: Iterable[str]) -> list[str]:
        keys = set(keys)
        return [v for _, v, k in self.graph.out_edges(node, keys=True) if k in keys]

    def into(self, node: str, keys: Iterable[str]) -> list[str]:
        keys = set(keys)
        return [u for u, _, k in self.graph.in_edges(node, keys=True) if k in keys]

    def both(self, node: str, keys: Iterable[str]) -> list[str]:
        return self.out(node, keys) + self.into(node, keys)

    def of_kind(self, kinds: Iterable[str]) -> list[str]:
        kinds = set(kinds)
        return [n for n, d in self.graph.nodes(data=True) if d["art"] in kinds]


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1] or iri


def load(store, catalogue) -> Bestand:
    """Read the nodes and links of all views from ``store`` with the named queries of ``catalogue``."""
    from .queries import curated_graphs, run

    g = nx.MultiDiGraph()
    rows = run(store, catalogue.get("view-knoten"))
    kinds: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    quellen: dict[str, dict[str, str]] = defaultdict(dict)
    gebiete: dict[str, set[str]] = defaultdict(set)
    akteursart: dict[str, str] = {}
    notation: dict[str, str] = {}
    gebietnamen: dict[str, str] = {}
    for r in rows.itertuples(index=False):
        iri = r.knoten
        kinds[iri].add(_ART_OF_CLASS[r.art])
        if isinstance(r.label, str) and (iri not in labels or len(r.label) < len(labels[iri])):
            labels[iri] = r.label
        if isinstance(r.quelle, str):
            quellen[iri][r.quelle] = r.quellname if isinstance(r.quellname, str) else _local_name(r.quelle)
        if isinstance(r.gebiet, str):
            gebiete[iri].add(r.gebiet)
            gebietnamen[r.gebiet] = r.gebietname if isinstance(r.gebietname, str) else _local_name(r.gebiet)
        if isinstance(r.akteursartname, str):
            akteursart[iri] = r.akteursartname
        if isinstance(r.notation, str):
            notation[iri] = r.notation
    for iri, ks in kinds.items():
        art = min(ks, key=_RANK.__getitem__)
        q = quellen.get(iri, {})
        g.add_node(iri, iri=iri, art=art, label=labels.get(iri) or _local_name(iri),
                   quellen=sorted(q), quellnamen=[q[k] for k in sorted(q)],
                   gebiete=sorted(gebiete.get(iri, ())), akteursart=akteursart.get(iri, ""),
                   notation=notation.get(iri, ""))
    curated = curated_graphs(store)
    seen: dict[tuple[str, str, str], bool] = {}
    for r in run(store, catalogue.get("view-kanten")).itertuples(index=False):
        key = _KANTE_OF_IRI.get(r.eigenschaft)
        if key is None or r.von not in g or r.nach not in g or r.von == r.nach:
            continue
        # A link counts as curated only if no document states it.
        k = (r.von, r.nach, key)
        seen[k] = seen.get(k, True) and (r.graph in curated)
    for (u, v, key), kuratiert in seen.items():
        g.add_edge(u, v, key=key, kuratiert=kuratiert)

    b = Bestand(graph=g, gebietnamen=gebietnamen)
    # Gaps and overlaps as the analysis queries define them, so that views and cockpit agree.
    for r in run(store, catalogue.get("ziele-ohne-massnahme")).itertuples(index=False):
        if r.ziel in g:
            b.luecken.add(r.ziel)
    for r in run(store, catalogue.get("mehrere-akteure-gleiches-ziel")).itertuples(index=False):
        if r.ziel in g:
            name = r.lebensphasename if isinstance(r.lebensphasename, str) else _local_name(r.lebensphase)
            b.ueberschneidungen.setdefault(r.ziel, []).append((name, int(r.anzahl_akteure)))
    for v in b.ueberschneidungen.values():
        v.sort()
    for iri in b.of_kind({"konzept"}):
        for q in g.nodes[iri]["quellen"]:
            b.quellgebiete.setdefault(q, set()).update(g.nodes[iri]["gebiete"])
    return b


# -- views --------------------------------------------------------------------------------------

@dataclass
class Ansicht:
    """One view: what it shows (a graph with positions) and the words around it."""

    key: str
    titel: str
    erklaerung: str
    graph: nx.DiGraph
    fokus: str | None = None
    positionen: dict = field(default_factory=dict)
    hinweise: list[str] = field(default_factory=list)
    #: the parameters that make this view (for links and the command line)
    parameter: dict = field(default_factory=dict)
    #: abgleich: goals drawn as boxes with their text inside
    kaesten: bool = False
    #: where the page starts: "alles" (fit everything) or "oben" (the top, at a readable size)
    start: str = "alles"

    @property
    def knoten(self) -> int:
        return self.graph.number_of_nodes()

    @property
    def kanten(self) -> int:
        return self.graph.number_of_edges()


def _view_graph(b: Bestand, nodes: Iterable[str], *, leave_out: Iterable[str] = ("inScheme",)) -> nx.DiGraph:
    """The nodes given and every link among them; parallel links merge into one with several kinds."""
    nodes = set(nodes)
    leave_out = set(leave_out)
    g = nx.DiGraph()
    for n in sorted(nodes):
        g.add_node(n, **b.graph.nodes[n])
        g.nodes[n]["luecke"] = n in b.luecken
        g.nodes[n]["ueberschneidung"] = b.ueberschneidungen.get(n, [])
    for u, v, key, data in b.graph.subgraph(nodes).edges(keys=True, data=True):
        if key in leave_out:
            continue
        if g.has_edge(u, v):
            e = g.edges[u, v]
            e["arten"] = sorted(set(e["arten"]) | {key})
            e["kuratiert"] = e["kuratiert"] and data["kuratiert"]
        else:
            g.add_edge(u, v, arten=[key], kuratiert=data["kuratiert"])
    return g


def _require(b: Bestand, iri: str, kinds: Iterable[str] | None, what: str) -> dict:
    if iri not in b.graph:
        raise UnknownNode(f"Keine Ressource mit der IRI {iri!r} in den Netzwerkansichten.", source=iri)
    data = b.graph.nodes[iri]
    if kinds is not None and data["art"] not in set(kinds):
        raise UnknownNode(f"{data['label']!r} ist ein(e) {ART[data['art']].name}, kein(e) {what}.", source=iri)
    return data


def _descendants(b: Bestand, goal: str) -> set[str]:
    out, todo = set(), [goal]
    while todo:
        for child in b.into(todo.pop(), {"broader"}):
            if child not in out and child != goal:
                out.add(child)
                todo.append(child)
    return out


def _ancestors(b: Bestand, goal: str) -> list[str]:
    out, todo = [], [goal]
    while todo:
        for parent in b.out(todo.pop(), {"broader"}):
            if parent not in out and parent != goal:
                out.append(parent)
                todo.append(parent)
    return out


def ziel(b: Bestand, iri: str) -> Ansicht:
    """A goal, its sub-goals and higher goals, the measures serving them with their actors and
    Lebensphasen, and the goals of other documents aligned with them."""
    data = _require(b, iri, ZIELARTEN, "Ziel")
    goals = {iri} | _descendants(b, iri)
    vorhaben = {v for z in goals for v in b.into(z, {"dient"}) if b.node(v)["art"] in VORHABEN}
    akteure = {a for v in vorhaben for a in b.out(v, ZUSTAENDIG)}
    phasen = {p for v in vorhaben for p in b.out(v, {"lebensphase"})}
    aligned = {m for z in goals for m in b.both(z, ABGLEICH | {"gleicherWortlaut"})}
    nodes = goals | set(_ancestors(b, iri)) | vorhaben | akteure | phasen | aligned
    g = _view_graph(b, nodes)
    return _finish(Ansicht(
        "ziel", f"Zielansicht: {data['label']}",
        "Das Ziel mit seinen Unterzielen, den Maßnahmen und Aktivitäten, die ihm dienen, den "
        "zuständigen Akteuren, den Lebensphasen und den passenden Zielen der anderen Dokumente.",
        g, fokus=iri, parameter={"iri": iri}))


def _actor_ring(b: Bestand, actor: str) -> tuple[set[str], set[str]]:
    """Nodes around one actor, and the partners among them (actors one step away)."""
    bodies = set(b.into(actor, {"hasMember"})) | set(b.out(actor, {"hasMember"}))
    orgs = set(b.both(actor, {"subOrganizationOf"}))
    vorhaben = {v for v in b.into(actor, PARTNER) if b.node(v)["art"] in VORHABEN}
    goals = {z for v in vorhaben for z in b.out(v, {"dient"})}
    partners = {a for v in vorhaben for a in b.out(v, PARTNER)} | orgs
    partners |= {m for body in bodies for m in b.out(body, {"hasMember"})}
    partners |= {body for body in bodies}
    partners.discard(actor)
    return {actor} | bodies | orgs | vorhaben | goals | partners, partners


def akteur(b: Bestand, iri: str, radius: int = 1) -> Ansicht:
    """An actor with its bodies, activities and measures, the goals these serve and its partners;
    with radius 2 the same again for each partner. Any other node gets its plain neighbourhood."""
    if radius not in (1, 2):
        raise InputError(f"Der Umkreis muss 1 oder 2 sein, nicht {radius!r}.")
    data = _require(b, iri, None, "Akteur")
    if data["art"] in AKTEURE:
        nodes, partners = _actor_ring(b, iri)
        if radius == 2:
            for p in list(partners):
                if b.node(p)["art"] in AKTEURE:
                    nodes |= _actor_ring(b, p)[0]
        titel = f"Akteursansicht: {data['label']}"
        text = ("Der Akteur mit seinen Gremien, Aktivitäten und Maßnahmen, den Zielen, denen sie dienen, "
                "und seinen Partnern" + (" – und deren Umfeld." if radius == 2 else "."))
    else:
        undirected = nx.Graph()
        undirected.add_edges_from((u, v) for u, v, k in b.graph.edges(keys=True) if k != "inScheme")
        undirected.add_node(iri)
        nodes = set(nx.ego_graph(undirected, iri, radius=radius))
        titel = f"Umfeld: {data['label']}"
        text = f"{ART[data['art']].name} mit allem, was {'direkt' if radius == 1 else 'bis zu zwei Schritte weit'} mit ihr verbunden ist."
    g = _view_graph(b, nodes)
    return _finish(Ansicht("akteur", titel, text, g, fokus=iri, parameter={"iri": iri, "umkreis": radius}))


def feld(b: Bestand, handlungsfeld: str | None = None, lebensphase: str | None = None) -> Ansicht:
    """One Handlungsfeld (with the matching fields of the other documents) and/or one Lebensphase:
    the goals, measures, activities and actors in it."""
    if not handlungsfeld and not lebensphase:
        raise InputError("Bitte ein Handlungsfeld oder eine Lebensphase angeben.")
    nodes: set[str] = set()
    teile = []
    vorhaben: set[str] | None = None
    if handlungsfeld:
        hf = _require(b, handlungsfeld, {"handlungsfeld"}, "Handlungsfeld")
        fields = {handlungsfeld} | {m for m in b.both(handlungsfeld, ABGLEICH) if b.node(m)["art"] == "handlungsfeld"}
        goals = {z for f in fields for z in b.into(f, {"handlungsfeld"}) if b.node(z)["art"] in ZIELARTEN}
        goals |= {s for z in list(goals) for s in _descendants(b, z)}
        vorhaben = {v for f in fields for v in b.into(f, {"handlungsfeld"}) if b.node(v)["art"] in VORHABEN}
        vorhaben |= {v for z in goals for v in b.into(z, {"dient"}) if b.node(v)["art"] in VORHABEN}
        nodes |= fields | goals
        teile.append(hf["label"])
    if lebensphase:
        lp = _require(b, lebensphase, {"lebensphase"}, "Lebensphase")
        in_phase = {v for v in b.into(lebensphase, {"lebensphase"}) if b.node(v)["art"] in VORHABEN}
        vorhaben = in_phase if vorhaben is None else vorhaben & in_phase
        nodes.add(lebensphase)
        if not handlungsfeld:
            nodes |= {z for v in vorhaben for z in b.out(v, {"dient"})}
            nodes |= {f for v in vorhaben for f in b.out(v, {"handlungsfeld"})}
        teile.append(lp["label"])
    assert vorhaben is not None
    nodes |= vorhaben
    nodes |= {a for v in vorhaben for a in b.out(v, PARTNER)}
    nodes |= {p for v in vorhaben for p in b.out(v, {"lebensphase"})}
    g = _view_graph(b, nodes)
    return _finish(Ansicht(
        "feld", "Feldansicht: " + " · ".join(teile),
        "Ziele, Maßnahmen, Aktivitäten und Akteure " + (
            "im Handlungsfeld und den passenden Handlungsfeldern der anderen Dokumente"
            if handlungsfeld else "aller Dokumente") + (" für diese Lebensphase." if lebensphase else "."),
        g, fokus=handlungsfeld or lebensphase,
        parameter={k: v for k, v in (("handlungsfeld", handlungsfeld), ("lebensphase", lebensphase)) if v}))


def _natural(text: str) -> list:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text or "")]


def _box_height(label: str, chars_per_line: int = 31) -> float:
    """Height in pixels of a goal box (300 px wide, 17 px type), wrapping words as vis-network does."""
    lines = 0
    for part in label.split("\n"):
        width = 0
        lines += 1
        for word in part.split():
            if width and width + 1 + len(word) > chars_per_line:
                lines += 1
                width = len(word)
            else:
                width += (1 if width else 0) + len(word)
    return 36 + 17 * lines


def abgleich(b: Bestand) -> Ansicht:
    """The goals of every concept side by side, one column each, with the links between them."""
    konzepte = {}
    for z in b.of_kind(ZIELARTEN):
        for k in b.out(z, {"inScheme"}):
            if b.node(k)["art"] == "konzept":
                konzepte.setdefault(k, []).append(z)
                break
    order = sorted(konzepte, key=lambda k: (b.node(k)["quellen"][:1], _natural(b.node(k)["label"])))
    columns = []
    for k in order:
        members = set(konzepte[k])
        children = defaultdict(list)
        roots = []
        for z in members:
            parents = [p for p in b.out(z, {"broader"}) if p in members]
            (children[parents[0]] if parents else roots).append(z)

        def key(z):
            d = b.node(z)
            return (_RANK[d["art"]], _natural(d.get("notation", "") or ""), _natural(d["label"]))

        entries = [(k, 0, _box_height(b.node(k)["label"]) + 10)]
        seen = set()

        def walk(z, depth):
            if z in seen:
                return
            seen.add(z)
            entries.append((z, min(depth, 2), _box_height(b.node(z)["label"])))
            for c in sorted(children.get(z, []), key=key):
                walk(c, depth + 1)

        for r in sorted(roots, key=key):
            walk(r, 0)
        for z in sorted(members - seen, key=key):  # cycles in broader: still shown
            walk(z, 0)
        columns.append((k, entries))
    nodes = set(order) | {z for zs in konzepte.values() for z in zs}
    g = _view_graph(b, nodes, leave_out=("inScheme", "broader", "handlungsfeld"))
    a = Ansicht("abgleich", "Abgleich der Dokumente",
                "Die Ziele jedes Konzepts in einer Spalte, eingerückt unter ihrem übergeordneten Ziel; "
                "Linien verbinden Ziele verschiedener Dokumente, die einander entsprechen.",
                g, kaesten=True)
    a.positionen = layout.columns(columns, width=340, gap=50)
    a.start = "oben"
    links = sum(1 for _, _, d in g.edges(data=True) if set(d["arten"]) & ABGLEICH)
    if not links:
        a.hinweise.append("Zwischen den Zielen der Dokumente sind noch keine Entsprechungen erfasst.")
    return _finish(a)


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


def _doc_key(d: dict) -> str:
    return d["quellen"][0] if d["quellen"] else ""


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


# -- choosing and finding -------------------------------------------------------------------------

def view_for(b: Bestand, iri: str) -> tuple[str, dict]:
    """The view that suits a resource of this kind, and its parameters."""
    return _view_params(_require(b, iri, None, ""))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ß", "ss")
    return re.sub(r"[\s\-_]+", " ", text).strip()


def resolve(b: Bestand, text: str, kinds: Iterable[str] | None = None) -> str:
    """An IRI from an IRI, a prefixed name (``id:hattingen/leitziel/1``) or a label (exact, else part)."""
    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        t = t[1:-1]
    prefix, sep, local = t.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        t = PREFIXES[prefix] + local
    kinds = set(kinds) if kinds else None
    if t in b.graph:
        return t
    if re.match(r"^https?://", t):
        raise UnknownNode(f"Keine Ressource mit der IRI {t!r} in den Netzwerkansichten.", source=t)
    wanted = _fold(t)
    candidates = [(n, d) for n, d in b.graph.nodes(data=True) if kinds is None or d["art"] in kinds]
    exact = [n for n, d in candidates if _fold(d["label"]) == wanted]
    hits = exact or [n for n, d in candidates if wanted and wanted in _fold(d["label"])]
    if len(hits) == 1:
        return hits[0]
    what = "/".join(ART[k].name for k in sorted(kinds, key=_RANK.__getitem__)) if kinds else "Ressource"
    if not hits:
        raise UnknownNode(f"Keine {what} mit der Bezeichnung {text!r} gefunden.")
    shown = "; ".join(f"{b.node(n)['label']} <{n}>" for n in sorted(hits)[:8])
    raise UnknownNode(f"{len(hits)} Ressourcen passen zu {text!r}; bitte genauer oder mit IRI angeben: {shown}"
                      + (" …" if len(hits) > 8 else ""))


def build(b: Bestand, view: str, *, iri: str | None = None, radius: int = 1, town: str | None = None,
          handlungsfeld: str | None = None, lebensphase: str | None = None,
          max_nodes: int = GESAMT_MAX) -> Ansicht:
    """The view called ``view`` (``ziel``, ``akteur``, ``feld``, ``abgleich``, ``gesamt``)."""
    if view == "ziel":
        if not iri:
            raise InputError("Die Zielansicht braucht ein Ziel (IRI oder Bezeichnung).")
        return ziel(b, resolve(b, iri, ZIELARTEN))
    if view == "akteur":
        if not iri:
            raise InputError("Die Akteursansicht braucht einen Akteur (IRI oder Bezeichnung).")
        return akteur(b, resolve(b, iri), radius)
    if view == "feld":
        if iri and not (handlungsfeld or lebensphase):
            found = resolve(b, iri, {"handlungsfeld", "lebensphase"})
            if b.node(found)["art"] == "handlungsfeld":
                handlungsfeld = found
            else:
                lebensphase = found
        return feld(b, handlungsfeld and resolve(b, handlungsfeld, {"handlungsfeld"}),
                    lebensphase and resolve(b, lebensphase, {"lebensphase"}))
    if view == "abgleich":
        return abgleich(b)
    if view == "gesamt":
        return gesamt(b, town, max_nodes)
    raise InputError(f"Unbekannte Ansicht {view!r}. Möglich: {', '.join(ANSICHTEN)}.")


# -- drawing ------------------------------------------------------------------------------------

def _finish(a: Ansicht) -> Ansicht:
    """Positions for views that have none yet: linked nodes force-directed (grouped by document, so
    documents stay apart), nodes without links in rows underneath, ordered by kind and label."""
    if not a.positionen:
        g = a.graph.to_undirected(as_view=True)
        alone = sorted((n for n in g if g.degree(n) == 0),
                       key=lambda n: (_RANK[g.nodes[n]["art"]], _natural(g.nodes[n]["label"])))
        if len(alone) == 1 and g.number_of_nodes() == 1:
            alone = []
        linked = g.subgraph([n for n in g if n not in set(alone)])
        pos = layout.force_directed(linked, group=lambda n: _doc_key(a.graph.nodes[n]),
                                    spacing=190 if linked.number_of_nodes() < 150 else 130)
        a.positionen = layout.grid_below(pos, alone)
    return a


@dataclass(frozen=True)
class Links:
    """Where a click leads: the linked-data page of a resource, and a view for a resource."""

    ressource: Callable[[str], str | None]
    ansicht: Callable[[str, dict], str | None]

    @classmethod
    def for_server(cls, base_iri: str, prefix: str = "") -> "Links":
        def page(iri: str) -> str | None:
            if not iri.startswith(base_iri):
                return None
            return prefix + "/" + quote(iri[len(base_iri):], safe="/:@!$&'()*+,;=-._~%")

        def view(name: str, params: dict) -> str:
            q = urlencode({k: v for k, v in params.items() if v not in (None, "")})
            return f"{prefix}/netzwerk/{name}" + (f"?{q}" if q else "")

        return cls(page, view)


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _safe_href(url: str | None) -> str | None:
    # Only our own paths and web addresses; never javascript: or data: from an odd IRI.
    if url and (url.startswith("/") and not url.startswith("//") or re.match(r"^https?://", url)):
        return url
    return None


def _centrality(g: nx.DiGraph) -> dict[str, float]:
    if g.number_of_nodes() < 2:
        return {n: 1.0 for n in g}
    c = nx.degree_centrality(g)
    top = max(c.values()) or 1.0
    return {n: v / top for n, v in c.items()}


def _tooltip(d: dict) -> str:
    lines = [d["label"], f"Art: {ART[d['art']].name}" + (" (Gruppe)" if d.get("gruppe") else "")]
    if d.get("kontext"):
        lines.append(d["kontext"])
    if d.get("quellnamen"):
        lines.append("Quelle: " + "; ".join(d["quellnamen"]))
    if d.get("akteursart") and not d.get("gruppe"):
        lines.append(f"Art des Akteurs: {d['akteursart']}")
    if d.get("luecke"):
        lines.append("Lücke: Diesem Ziel dient keine Maßnahme und keine Aktivität.")
    for phase, n in d.get("ueberschneidung") or []:
        lines.append(f"Überschneidung: {n} Akteure für die Lebensphase {phase}")
    return "\n".join(lines)


_LUECKE = "#C00000"
_UEBER = "#111111"


def _group_style(art: Art, boxes: bool) -> dict:
    """How vis-network draws a kind: set once per kind (a vis group), not once per node."""
    style = {"shape": "box" if boxes else art.shape,
             "color": {"background": "#FFFFFF" if boxes and art.key != "konzept" else art.color,
                       "border": art.color,
                       "highlight": {"background": art.color, "border": "#000000"},
                       "hover": {"background": art.color, "border": "#000000"}},
             "borderWidth": 2, "borderWidthSelected": 4}
    if boxes:
        style["widthConstraint"] = {"minimum": 300, "maximum": 300}
        style["font"] = {"size": 17, "color": "#FFFFFF" if art.key == "konzept" else "#111111",
                         "align": "left", "strokeWidth": 0}
        style["margin"] = 10
    elif art.shape == "box":
        style["font"] = {"size": art.font, "color": "#FFFFFF", "strokeWidth": 0}
        style["margin"] = 12
        style["widthConstraint"] = {"maximum": 320}
    else:
        style["font"] = {"size": art.font}
        style["widthConstraint"] = {"maximum": 200}
    return style


def vis_data(a: Ansicht, links: Links) -> dict:
    """Nodes, links and options for vis-network, held in a pyvis ``Network``."""
    from pyvis.network import Network

    g = a.graph
    n = g.number_of_nodes()
    big = n > 400
    cent = _centrality(g)
    used: set[str] = set()
    nodes = []
    # In a large picture the documents and Lebensphasen keep labels legible at the first zoom.
    anchor_font = {}
    if n > 150 and a.positionen and not a.kaesten:
        xs = [x for x, _ in a.positionen.values()]
        zoom = 1150 / max(1.0, max(xs) - min(xs))
        anchor_font = {"konzept": min(140, max(30, round(18 / zoom))),
                       "lebensphase": min(90, max(20, round(15 / zoom)))}
    for node, d in g.nodes(data=True):
        art = ART[d["art"]]
        used.add(art.key)
        x, y = a.positionen.get(node, (0.0, 0.0))
        if d.get("gruppe"):
            size = 14 + 10 * math.log2(1 + d["gruppe"])
        else:
            size = 12 + 26 * math.sqrt(cent.get(node, 0.0))
        iri = d.get("iri")
        href = _safe_href(links.ressource(iri)) if iri else None
        if d.get("gruppe") and d.get("feld"):
            view_href = _safe_href(links.ansicht("feld", {"handlungsfeld": d["feld"]}))
        else:
            view_href = _safe_href(links.ansicht(*_view_params(d))) if iri else None
        item = {
            "id": node, "group": art.key, "label": d["label"] if a.kaesten else _short(d["label"]),
            "title": _tooltip(d), "x": x, "y": y, "size": round(size, 1),
            "art": art.name, "volltext": d["label"], "quelle": "; ".join(d.get("quellnamen") or []),
            "iri": iri, "href": href, "ansicht": view_href,
            "luecke": bool(d.get("luecke")), "ueberschneidung": bool(d.get("ueberschneidung")),
        }
        # A colour of its own replaces the kind's whole colour object: state hover and selection too.
        same = {"background": art.color, "border": "#000000"}
        if d.get("luecke"):
            item["color"] = {"border": _LUECKE, "background": "#FDECEC" if a.kaesten else art.color,
                             "highlight": same, "hover": same}
            item["borderWidth"] = 4
            item["shapeProperties"] = {"borderDashes": [6, 4]}
        elif d.get("ueberschneidung"):
            item["color"] = {"border": _UEBER, "background": "#FFFFFF" if a.kaesten else art.color,
                             "highlight": same, "hover": same}
            item["borderWidth"] = 6
        if art.key in anchor_font and g.degree(node):
            item["font"] = {"size": anchor_font[art.key]}
            item["widthConstraint"] = {"maximum": anchor_font[art.key] * 11}
        if node == a.fokus and not a.kaesten and art.shape != "box":
            item["size"] = max(size, 34)
            item["font"] = {"size": 26}
        nodes.append(item)
    edges = []
    for u, v, d in g.edges(data=True):
        arten = d["arten"]
        match = bool(set(arten) & ABGLEICH)
        words = ", ".join(_KANTEN[k][1] for k in arten)
        title = f"{g.nodes[u]['label']}\n{words}\n{g.nodes[v]['label']}"
        if d.get("anzahl", 1) > 1:
            title += f"\n({d['anzahl']} Verbindungen)"
        if d["kuratiert"]:
            title += "\nkuratiert: durch Auslegung ergänzt, nicht wörtlich im Dokument"
        edge = {"from": u, "to": v, "title": title}
        if match:
            edge["color"] = {"color": "#7B3294", "highlight": "#000000", "hover": "#000000"}
            edge["width"] = 3
            if a.kaesten:
                edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15}
        elif not big:
            edge["arrows"] = "to"
        if d.get("anzahl", 1) > 1:
            edge["width"] = edge.get("width", 1.5) + math.log2(d["anzahl"])
        if d["kuratiert"]:
            edge["dashes"] = [8, 6]
        edges.append(edge)
    options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "groups": {key: _group_style(ART[key], a.kaesten) for key in sorted(used)},
        "interaction": {"hover": not big, "tooltipDelay": 120, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False},
                        "hideEdgesOnDrag": big, "hideEdgesOnZoom": n > 2000, "multiselect": False},
        "nodes": {"font": {"size": 17, "face": "Arial, Helvetica, sans-serif", "color": "#111111",
                           "strokeWidth": 4, "strokeColor": "#FFFFFF"},
                  "scaling": {"label": {"drawThreshold": 8}}},
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1, "width": 1.5,
                  "color": {"color": "#8A8A8A", "highlight": "#000000", "hover": "#000000", "inherit": False},
                  "arrows": {"to": {"enabled": False, "scaleFactor": 0.6}}},
    }
    # vis draws in list order: the anchors (documents, main goals) last, on top of the rest.
    nodes.sort(key=lambda item: -_RANK[g.nodes[item["id"]]["art"]])
    net = Network(directed=True, cdn_resources="local", heading=a.titel)
    # Whole lists at once: pyvis' add_node checks a list for every node (quadratic).
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [item["id"] for item in nodes]
    net.options = options
    nodes_out, edges_out, heading, _h, _w, options_json = net.get_network_data()
    return {"titel": heading, "knoten": nodes_out, "kanten": edges_out, "optionen": json.loads(options_json),
            "fokus": a.fokus, "start": a.start}


def _view_params(d: dict) -> tuple[str, dict]:
    art = d["art"]
    iri = d["iri"]
    if art in ZIELARTEN:
        return "ziel", {"iri": iri}
    if art == "handlungsfeld":
        return "feld", {"handlungsfeld": iri}
    if art == "lebensphase":
        return "feld", {"lebensphase": iri}
    if art == "konzept":
        return "abgleich", {}
    return "akteur", {"iri": iri}


def json_for_script(data) -> str:
    """JSON that can stand inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def legend(a: Ansicht) -> list[dict]:
    """The kinds present in the view, with how many of each."""
    counts = Counter(d["art"] for _, d in a.graph.nodes(data=True))
    return [{"name": art.name, "plural": art.plural, "shape": art.shape, "color": art.color,
             "anzahl": counts[art.key]} for art in ARTEN if counts[art.key]]


def _environment():
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

    return Environment(loader=ChoiceLoader([FileSystemLoader(str(PROJECT_ROOT / "inko_graph" / "templates")),
                                            FileSystemLoader(str(VIZ_DIR))]),
                       autoescape=select_autoescape(default=True, default_for_string=True))


def page_context(a: Ansicht, links: Links) -> dict:
    """What the network part of a page (``netzwerk_teil.html.j2``) needs."""
    data = vis_data(a, links)
    focus = a.graph.nodes[a.fokus] if a.fokus in a.graph else None
    return {
        "ansicht": a,
        "daten_json": json_for_script(data),
        "legende": legend(a),
        "luecken": sum(1 for _, d in a.graph.nodes(data=True) if d.get("luecke")),
        "ueberschneidungen": sum(1 for _, d in a.graph.nodes(data=True) if d.get("ueberschneidung")),
        "fokus": focus,
        "fokus_href": _safe_href(links.ressource(a.fokus)) if focus is not None else None,
        "farbe_luecke": _LUECKE,
        "farbe_ueberschneidung": _UEBER,
    }


def render(a: Ansicht, links: Links) -> str:
    """One HTML file that works from disk without network: vis-network and the page's own script
    and style are written into it."""
    env = _environment()
    vendor = VIZ_DIR / "vendor" / "vis-network"
    ctx = page_context(a, links)
    ctx.update(
        css=_read(vendor / "vis-network.min.css") + "\n" + _read(VIZ_DIR / "netzwerk.css"),
        js_vendor=_read(vendor / "vis-network.min.js"),
        js=_read(VIZ_DIR / "netzwerk.js"),
    )
    return env.get_template("netzwerk.html.j2").render(ctx)


def _read(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    # Inlined into <script>/<style>: a closing tag inside would end the element early.
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise InputError("Die Datei enthält ein schließendes script/style-Tag und kann nicht eingebettet werden.",
                         source=str(path))
    return text
