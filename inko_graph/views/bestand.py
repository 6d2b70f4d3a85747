"""The data of all network views: the kinds of node and link, and ``load``, which reads every node
and link once from the store into a ``Bestand``; helpers the views share (finding nodes around a
goal, the positions of a view)."""

from __future__ import annotations

import contextlib
import functools
import gc
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx

from ..errors import InputError
from ..namespaces import PREFIXES
from ..settings import DATA_ROOT
from . import layout

VIZ_DIR = DATA_ROOT / "viz"

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
    """Every node and link the views draw on, read once from the store.

    The gaps and overlaps (``luecken``, ``ueberschneidungen``) are read on first use: drawing a
    view needs them, the menu of ``/netzwerk`` does not, and their queries cost as much as all
    nodes and links together."""

    graph: nx.MultiDiGraph
    #: source document -> its areas (from the Konzepte it holds)
    quellgebiete: dict[str, set[str]] = field(default_factory=dict)
    gebietnamen: dict[str, str] = field(default_factory=dict)
    #: reads (gaps, overlaps) from the store; run once, on first use
    marks: Callable[[], tuple[set[str], dict[str, list[tuple[str, int]]]]] | None = None
    #: the same for the goals of one concept (the queries' parameter ``konzept``)
    marks_of: Callable[[str], tuple[set[str], dict[str, list[tuple[str, int]]]]] | None = None
    #: node -> every concept it stands in (skos:inScheme), also those that are no node
    schemes: dict[str, set[str]] = field(default_factory=dict)
    #: the nodes that can be marked: goals of the kinds a gap is counted for, and what something
    #: serves (inko:dient); None: every node
    markable: set[str] | None = None
    _marks: tuple | None = field(default=None, repr=False)
    _marks_of: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _marked(self) -> tuple:
        with self._lock:
            if self._marks is None:
                self._marks = self.marks() if self.marks else (set(), {})
            return self._marks

    #: Above this many concepts not yet read, the gaps and overlaps of all are read at once.
    MARKS_ONE_BY_ONE = 8

    def read_marks(self, nodes: Iterable[str]) -> None:
        """Read the gaps and overlaps that ``luecke`` and ``ueberschneidung`` will be asked for
        ``nodes``: concept by concept when they stand in few (a goal's or an actor's view: tens
        of ms at 10^5 triples instead of half a second for all), else all at once."""
        if self._marks is not None or self.marks_of is None:
            return
        wanted = set()
        for n in nodes:
            if self.markable is None or n in self.markable:
                wanted |= self.schemes.get(n, set())
        with self._lock:
            wanted -= set(self._marks_of)
        if len(wanted) > self.MARKS_ONE_BY_ONE:
            self._marked()
            return
        for k in sorted(wanted):
            got = self.marks_of(k)
            with self._lock:
                self._marks_of[k] = got

    def _marks_for(self, node: str) -> list[tuple]:
        if self._marks is not None or self.marks_of is None:
            return [self._marked()]
        if self.markable is not None and node not in self.markable:
            return []
        self.read_marks([node])
        if self._marks is not None:
            return [self._marks]
        with self._lock:
            return [self._marks_of[k] for k in self.schemes.get(node, ())]

    def luecke(self, node: str) -> bool:
        """Whether ``node`` is in ``luecken``, read for its concepts only (see ``read_marks``)."""
        return any(node in m[0] for m in self._marks_for(node))

    def ueberschneidung(self, node: str) -> list[tuple[str, int]]:
        """``ueberschneidungen.get(node, [])``, read for its concepts only (see ``read_marks``)."""
        out = [x for m in self._marks_for(node) for x in m[1].get(node, ())]
        return sorted(out)

    @property
    def luecken(self) -> set[str]:
        """Goals without a measure (as ``ziele-ohne-massnahme`` defines them)."""
        return self._marked()[0]

    @property
    def ueberschneidungen(self) -> dict[str, list[tuple[str, int]]]:
        """goal -> [(Lebensphase label, number of actors)] (``mehrere-akteure-gleiches-ziel``)."""
        return self._marked()[1]

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


@functools.lru_cache(maxsize=65536)
def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1] or iri


def tuples(df):
    """The rows of ``df`` as named tuples, read column by column: three times faster than
    ``itertuples`` on string columns, which matters for the tens of thousands of links."""
    from collections import namedtuple

    row = namedtuple("Zeile", list(df.columns))
    return map(row._make, zip(*(df[c].tolist() for c in df.columns)))


def _columns(df, *names: str):
    """The rows of ``df`` as plain tuples of the columns named (no tuple class: the loops below
    run over tens of thousands of rows on the first visit after a change of the data)."""
    return zip(*(df[c].tolist() for c in names))


@contextlib.contextmanager
def without_gc():
    """Pause Python's cycle collector while tens of thousands of small dicts are made: it would
    otherwise run over every live object again and again (a fifth of the time of ``load`` at
    10^5 triples). Nothing made here forms cycles that need it; it runs again right after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load(store, catalogue, *, eigenschaft: str | None = None) -> Bestand:
    """Read the nodes and links of all views from ``store`` with the named queries of ``catalogue``;
    with ``eigenschaft`` (a link's key, e.g. ``inScheme``) only the links of that kind: the menu of
    ``/netzwerk`` needs every node but of the links only which concept a goal stands in."""
    with without_gc():
        return _load(store, catalogue, eigenschaft)


def _load(store, catalogue, eigenschaft: str | None) -> Bestand:
    from ..query.catalogue import curated_graphs, run

    g = nx.MultiDiGraph()
    rows = run(store, catalogue.get("view-knoten"))
    kinds: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    quellen: dict[str, dict[str, str]] = defaultdict(dict)
    gebiete: dict[str, set[str]] = defaultdict(set)
    akteursart: dict[str, str] = {}
    notation: dict[str, str] = {}
    gebietnamen: dict[str, str] = {}
    for iri, art, label, quelle, quellname, gebiet, gebietname, artname, nummer in _columns(
            rows, "knoten", "art", "label", "quelle", "quellname", "gebiet", "gebietname", "akteursartname", "notation"):
        kinds[iri].add(_ART_OF_CLASS[art])
        if isinstance(label, str) and (iri not in labels or len(label) < len(labels[iri])):
            labels[iri] = label
        if isinstance(quelle, str):
            quellen[iri][quelle] = quellname if isinstance(quellname, str) else _local_name(quelle)
        if isinstance(gebiet, str):
            gebiete[iri].add(gebiet)
            gebietnamen[gebiet] = gebietname if isinstance(gebietname, str) else _local_name(gebiet)
        if isinstance(artname, str):
            akteursart[iri] = artname
        if isinstance(nummer, str):
            notation[iri] = nummer
    nodes = []
    for iri, ks in kinds.items():
        q = quellen.get(iri, {})
        keys = sorted(q)
        nodes.append((iri, {"iri": iri, "art": min(ks, key=_RANK.__getitem__),
                            "label": labels.get(iri) or _local_name(iri), "quellen": keys,
                            "quellnamen": [q[k] for k in keys], "gebiete": sorted(gebiete.get(iri, ())),
                            "akteursart": akteursart.get(iri, ""), "notation": notation.get(iri, "")}))
    g.add_nodes_from(nodes)
    curated = curated_graphs(store)
    seen: dict[tuple[str, str, str], bool] = {}
    schemes: dict[str, set[str]] = defaultdict(set)
    served: set[str] = set()
    kante = _KANTE_OF_IRI.get
    links = run(store, catalogue.get("view-kanten"), {"eigenschaft": _KANTEN[eigenschaft][0]} if eigenschaft else None)
    for von, prop, nach, graph in _columns(links, "von", "eigenschaft", "nach", "graph"):
        key = kante(prop)
        if key == "inScheme":
            schemes[von].add(nach)
        elif key == "dient":
            served.add(nach)
        if key is None or von == nach or von not in kinds or nach not in kinds:
            continue
        # A link counts as curated only if no document states it.
        k = (von, nach, key)
        seen[k] = seen.get(k, True) and (graph in curated)
    g.add_edges_from((u, v, key, {"kuratiert": kuratiert}) for (u, v, key), kuratiert in seen.items())

    rahmen_read: list[set[str]] = []

    def rahmen() -> set[str]:
        # Concepts that are context by the cockpit's rule (cockpit-gebiete: another concept of the
        # same area builds on them, like the Strategiekonzept Hattingen 2020): their goals are what
        # the integration goals contribute to, neither gaps nor overlaps.
        if not rahmen_read:
            df = run(store, catalogue.get("cockpit-gebiete"))
            rahmen_read.append({k for k, f in _columns(df, "konzept", "kontext") if f is True or f == "true"})
        return rahmen_read[0]

    def counted(z: str) -> bool:
        return z in g and not (schemes.get(z) and schemes[z] <= rahmen())

    def marks(konzept: str | None = None):
        # Gaps and overlaps as the analysis queries define them, so that views and cockpit agree;
        # both require the goal's skos:inScheme, so a goal's rows are those of its concepts.
        if konzept and konzept in rahmen():
            return set(), {}
        params = {"konzept": konzept} if konzept else None
        luecken = {z for z in run(store, catalogue.get("ziele-ohne-massnahme"), params)["ziel"] if counted(z)}
        over: dict[str, list[tuple[str, int]]] = {}
        for r in tuples(run(store, catalogue.get("mehrere-akteure-gleiches-ziel"), params)):
            if counted(r.ziel):
                name = r.lebensphasename if isinstance(r.lebensphasename, str) else _local_name(r.lebensphase)
                over.setdefault(r.ziel, []).append((name, int(r.anzahl_akteure)))
        for v in over.values():
            v.sort()
        return luecken, over

    # A gap needs one of the goal classes of ziele-ohne-massnahme, an overlap something that serves.
    gap_kinds = {"ziel", "leitziel", "teilziel", "jahresziel", "leitthema"}
    markable = None if eigenschaft else {n for n, ks in kinds.items() if ks & gap_kinds} | served
    b = Bestand(graph=g, gebietnamen=gebietnamen, marks=marks, marks_of=marks, schemes=dict(schemes),
                markable=markable)
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
    #: where the page starts: "alles" (fit everything), "oben" (the top, at a readable size) or
    #: "fokus" (the focus and its neighbours)
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
    b.read_marks(nodes)
    for n in sorted(nodes):
        g.add_node(n, **b.graph.nodes[n])
        g.nodes[n]["luecke"] = b.luecke(n)
        g.nodes[n]["ueberschneidung"] = b.ueberschneidung(n)
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


def _natural(text: str) -> list:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text or "")]


def _doc_key(d: dict) -> str:
    return d["quellen"][0] if d["quellen"] else ""


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ß", "ss")
    return re.sub(r"[\s\-_]+", " ", text).strip()



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



def menu_labels(b: Bestand, nodes: Iterable[str]) -> dict[str, str]:
    """Labels for a menu: where a label repeats, the concept (for goals and fields) or the town is
    named after it, so that two "Bildung und Kultur" read apart."""
    nodes = list(nodes)
    seen: dict[str, int] = defaultdict(int)
    for n in nodes:
        seen[b.node(n)["label"]] += 1
    out = {}
    for n in nodes:
        d = b.node(n)
        label = d["label"]
        if seen[label] > 1:
            # The concepts by name: the same whether all links are read or only these.
            konzepte = sorted((b.node(k)["label"] for k in b.out(n, {"inScheme"}) if b.node(k)["art"] == "konzept"),
                              key=_natural)
            orte = [b.gebietnamen.get(g, "") for g in d["gebiete"]]
            extra = konzepte[:1] or [o for o in orte if o][:1] or d["quellnamen"][:1]
            if extra:
                label = f"{label} ({extra[0]})"
        out[n] = label
    # Still the same (two goals of one concept with one wording): their numbers tell them apart.
    again: dict[str, int] = defaultdict(int)
    for label in out.values():
        again[label] += 1
    for n, label in out.items():
        if again[label] > 1 and b.node(n).get("notation"):
            out[n] = f"{label}, Nr. {b.node(n)['notation']}"
    return out
