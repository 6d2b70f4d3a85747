"""The data of the network views: the kinds of node and link, the ``Bestand`` the views cut their
part from (read by ``laden``), and helpers the views share (finding nodes around a goal, the
positions of a view)."""

from __future__ import annotations

import functools
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
    """The nodes and links the views draw on: all of them (``laden.load``), or, in a ``laden.Umfeld``,
    those read so far around a focus, more being read as the views ask (the hooks ``lade``,
    ``ausgehend`` and ``eingehend`` below do nothing here: everything is read).

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
    #: whether a goal the queries name counts as gap or overlap (not one of a context concept);
    #: asked when a node's mark is, so that it holds for nodes read later too
    counted: Callable[[str], bool] | None = None
    #: node -> every concept it stands in (skos:inScheme), also those that are no node
    schemes: dict[str, set[str]] = field(default_factory=dict)
    #: the nodes that can be marked: goals of the kinds a gap is counted for, and what something
    #: serves (inko:dient); None: every node
    markable: set[str] | None = None
    _marks: tuple | None = field(default=None, repr=False)
    _marks_of: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # -- reading on demand (see laden.Umfeld) --
    def lade(self, iris: Iterable[str]) -> None:
        """Make sure these resources are read as nodes (if they are any)."""

    def ausgehend(self, nodes: Iterable[str]) -> None:
        """Make sure every link going out of these nodes is read."""

    def eingehend(self, nodes: Iterable[str]) -> None:
        """Make sure every link coming into these nodes is read."""

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
        if self.counted is not None and not self.counted(node):
            return []
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

    def _counts(self, node: str) -> bool:
        return self.counted is None or self.counted(node)

    @property
    def luecken(self) -> set[str]:
        """Goals without a measure (as ``ziele-ohne-massnahme`` defines them)."""
        return {z for z in self._marked()[0] if self._counts(z)}

    @property
    def ueberschneidungen(self) -> dict[str, list[tuple[str, int]]]:
        """goal -> [(Lebensphase label, number of actors)] (``mehrere-akteure-gleiches-ziel``)."""
        return {z: v for z, v in self._marked()[1].items() if self._counts(z)}

    def node(self, iri: str) -> dict:
        return self.graph.nodes[iri]

    def out(self, node: str, keys: Iterable[str]) -> list[str]:
        self.ausgehend((node,))
        keys = set(keys)
        return [v for _, v, k in self.graph.out_edges(node, keys=True) if k in keys]

    def into(self, node: str, keys: Iterable[str]) -> list[str]:
        self.eingehend((node,))
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
    # Every link among the nodes goes out of one of them (and their concepts are links out).
    b.ausgehend(nodes)
    b.read_marks(nodes)
    for n in sorted(nodes):
        g.add_node(n, **b.graph.nodes[n])
        g.nodes[n]["luecke"] = b.luecke(n)
        g.nodes[n]["ueberschneidung"] = b.ueberschneidung(n)
    # In a fixed order: the layout sums forces link by link, and the order the links were read in
    # (all at once, or around a focus) must not move a node.
    for u, v, key, data in sorted(b.graph.subgraph(nodes).edges(keys=True, data=True), key=lambda e: e[:3]):
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
        b.eingehend(todo)  # one level at a time: one read of the store each, not one per goal
        level = []
        for node in todo:
            for child in b.into(node, {"broader"}):
                if child not in out and child != goal:
                    out.add(child)
                    level.append(child)
        todo = level
    return out


def _ancestors(b: Bestand, goal: str) -> list[str]:
    out, todo = [], [goal]
    while todo:
        b.ausgehend(todo)
        level = []
        for node in todo:
            for parent in b.out(node, {"broader"}):
                if parent not in out and parent != goal:
                    out.append(parent)
                    level.append(parent)
        todo = level
    return out


def _natural(text: str) -> list:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text or "")]


def _doc_key(d: dict) -> str:
    return d["quellen"][0] if d["quellen"] else ""


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ß", "ss")
    return re.sub(r"[\s\-_]+", " ", text).strip()



#: A Gremium's members that link to nothing else in the view fold into one node from this many on.
FOLD_MEMBERS = 4


def folds(a: Ansicht) -> dict[str, list[str]]:
    """Gremium -> the members folded into it (until opened): those that link to nothing else in the
    view; in an actor's view also the members that reach the actor only through the Gremium, with
    their own members (the Integrationsräte of the kreisweite Steuerungsgruppe and their towns)."""
    g = a.graph
    und = g.to_undirected(as_view=True)
    focus = a.fokus if a.key == "akteur" and a.fokus in g else None
    found = []
    for n, d in g.nodes(data=True):
        if d["art"] != "gremium" or n == focus:
            continue
        direct = [m for m in g.successors(n) if "hasMember" in g.edges[n, m]["arten"]]
        members = {m for m in direct if g.degree(m) == 1}
        if focus is not None:
            rest = und.subgraph([x for x in g if x != n])
            for m in direct:
                if m in members or m == focus:
                    continue
                part = nx.node_connected_component(rest, m)
                if focus not in part and all(g.nodes[x]["art"] in AKTEURE for x in part):
                    members |= part
        if len(members) >= FOLD_MEMBERS:
            found.append((n, members))
    out: dict[str, list[str]] = {}
    taken: set[str] = set()
    # The largest first: a Gremium inside another's fold goes with it.
    for n, members in sorted(found, key=lambda t: (-len(t[1]), t[0])):
        if n in taken:
            continue
        members -= taken
        if len(members) >= FOLD_MEMBERS:
            out[n] = sorted(members, key=lambda m: (g.nodes[m]["label"].lower(), m))
            taken |= members
    return out


def _finish(a: Ansicht) -> Ansicht:
    """Positions for views that have none yet: linked nodes force-directed (grouped by document, so
    documents stay apart), nodes without links in rows underneath, ordered by kind and label. A
    Gremium's folded members take no room in the picture: opened, they stand on a ring around it."""
    if not a.positionen:
        g = a.graph.to_undirected(as_view=True)
        folded = folds(a)
        members = {m for ms in folded.values() for m in ms}
        alone = sorted((n for n in g if g.degree(n) == 0),
                       key=lambda n: (_RANK[g.nodes[n]["art"]], _natural(g.nodes[n]["label"])))
        if len(alone) == 1 and g.number_of_nodes() == 1:
            alone = []
        linked = g.subgraph([n for n in g if n not in set(alone) and n not in members])
        pos = layout.force_directed(linked, group=lambda n: _doc_key(a.graph.nodes[n]),
                                    spacing=190 if linked.number_of_nodes() < 150 else 130)
        for body, ms in folded.items():
            pos.update(layout.ring(pos.get(body, (0.0, 0.0)), ms))
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
