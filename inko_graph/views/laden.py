"""Reading the views' nodes and links from the store: all at once (``load``), or only around what a
view shows (``Umfeld``, ``umfeld``, ``fuer_gebiet``, ``menue``).

Both build the same node data and links (``_Aufbau``), so a view cut from an ``Umfeld`` equals
the one cut from everything. An ``Umfeld`` reads a list of resources at a time (queries
``view-umfeld-*``, the list written as RDF terms serialised by pyoxigraph into the query's
``#@liste`` line): at 10^5 triples a goal's or an actor's surroundings cost tens of ms, all nodes
and links a second.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import re
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from .bestand import _ART_OF_CLASS, _KANTEN, _RANK, Bestand, _local_name

__all__ = ["load", "Umfeld", "umfeld", "fuer_gebiet", "menue", "gebiete", "without_gc", "tuples"]

_KANTE_OF_IRI = {iri: key for key, (iri, _) in _KANTEN.items()}
#: A gap needs one of the goal classes of ziele-ohne-massnahme, an overlap something that serves.
_GAP_KINDS = {"ziel", "leitziel", "teilziel", "jahresziel", "leitthema"}
_LISTE = re.compile(r"^([ \t]*)#@liste[ \t]+knoten[ \t]*:[ \t]*(\?\w+)[ \t]*$", re.M)
#: IRIs per query: a longer VALUES list costs the engine more than a second query.
_CHUNK = 2000


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


def _first(values) -> str:
    # Of several values the same one whatever the order of the rows: shortest, then alphabetical.
    return min(values, key=lambda v: (len(v), v))


class _Aufbau:
    """Turns rows of the node and link queries into the nodes and links of a ``Bestand``."""

    def __init__(self, b: Bestand):
        self.b = b
        self.schemes: dict[str, set[str]] = defaultdict(set)
        self.served: set[str] = set()
        self.kinds: dict[str, set[str]] = {}

    def nodes(self, rows) -> None:
        """Add the nodes of rows of ``view-knoten`` (or ``view-umfeld-knoten``): every row of a node at once."""
        kinds: dict[str, set[str]] = defaultdict(set)
        labels: dict[str, list[str]] = defaultdict(list)
        quellen: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        gebiete: dict[str, set[str]] = defaultdict(set)
        akteursart: dict[str, list[str]] = defaultdict(list)
        notation: dict[str, list[str]] = defaultdict(list)
        gebietnamen = self.b.gebietnamen
        for iri, art, label, quelle, quellname, gebiet, gebietname, artname, nummer in _columns(
                rows, "knoten", "art", "label", "quelle", "quellname", "gebiet", "gebietname", "akteursartname",
                "notation"):
            kinds[iri].add(_ART_OF_CLASS[art])
            if isinstance(label, str):
                labels[iri].append(label)
            if isinstance(quelle, str):
                names = quellen[iri][quelle]
                if isinstance(quellname, str):
                    names.append(quellname)
            if isinstance(gebiet, str):
                gebiete[iri].add(gebiet)
                if gebiet not in gebietnamen or isinstance(gebietname, str):
                    gebietnamen[gebiet] = gebietname if isinstance(gebietname, str) else _local_name(gebiet)
            if isinstance(artname, str):
                akteursart[iri].append(artname)
            if isinstance(nummer, str):
                notation[iri].append(nummer)
        g = self.b.graph
        for iri, ks in kinds.items():
            if iri in g:
                continue
            q = quellen.get(iri, {})
            keys = sorted(q)
            art = min(ks, key=_RANK.__getitem__)
            g.add_node(iri, iri=iri, art=art, label=_first(labels[iri]) if labels.get(iri) else _local_name(iri),
                       quellen=keys, quellnamen=[_first(q[k]) if q[k] else _local_name(k) for k in keys],
                       gebiete=sorted(gebiete.get(iri, ())),
                       akteursart=_first(akteursart[iri]) if akteursart.get(iri) else "",
                       notation=_first(notation[iri]) if notation.get(iri) else "")
            self.kinds[iri] = ks
            if self.b.markable is not None and ks & _GAP_KINDS:
                self.b.markable.add(iri)
            if art == "konzept":
                for q_ in keys:
                    self.b.quellgebiete.setdefault(q_, set()).update(gebiete.get(iri, ()))

    def links(self, rows: Iterable[tuple[str, str, str, bool]]) -> None:
        """Add links (from, property, to, curated) whose both ends are nodes; a link counts as
        curated only if no document states it. Concepts and what is served are kept for every
        link, also to resources that are no node."""
        g = self.b.graph
        seen: dict[tuple[str, str, str], bool] = {}
        kante = _KANTE_OF_IRI.get
        for von, prop, nach, kuratiert in rows:
            key = kante(prop)
            if key == "inScheme":
                self.schemes[von].add(nach)
            elif key == "dient":
                self.served.add(nach)
                if self.b.markable is not None:
                    self.b.markable.add(nach)
            if key is None or von == nach or von not in g or nach not in g:
                continue
            k = (von, nach, key)
            seen[k] = seen.get(k, True) and kuratiert
        for (u, v, key), kuratiert in seen.items():
            if g.has_edge(u, v, key):
                g.edges[u, v, key]["kuratiert"] = g.edges[u, v, key]["kuratiert"] and kuratiert
            else:
                g.add_edge(u, v, key, kuratiert=kuratiert)
        self.b.schemes = self.schemes


def _marks(b: Bestand, store, catalogue) -> None:
    """Gaps and overlaps as the analysis queries define them, so that views and cockpit agree;
    both require the goal's skos:inScheme, so a goal's rows are those of its concepts."""
    from ..query.catalogue import run

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
        return z in b.graph and not (b.schemes.get(z) and b.schemes[z] <= rahmen())

    def marks(konzept: str | None = None):
        if konzept and konzept in rahmen():
            return set(), {}
        params = {"konzept": konzept} if konzept else None
        luecken = set(run(store, catalogue.get("ziele-ohne-massnahme"), params)["ziel"])
        over: dict[str, list[tuple[str, int]]] = {}
        for r in tuples(run(store, catalogue.get("mehrere-akteure-gleiches-ziel"), params)):
            name = r.lebensphasename if isinstance(r.lebensphasename, str) else _local_name(r.lebensphase)
            over.setdefault(r.ziel, []).append((name, int(r.anzahl_akteure)))
        for v in over.values():
            v.sort()
        return luecken, over

    b.marks, b.marks_of, b.counted = marks, marks, counted


def load(store, catalogue, *, eigenschaft: str | None = None) -> Bestand:
    """Read the nodes and links of all views from ``store`` with the named queries of ``catalogue``;
    with ``eigenschaft`` (a link's key, e.g. ``inScheme``) only the links of that kind: the menu of
    ``/netzwerk`` needs every node but of the links only which concept a goal stands in."""
    from ..query.catalogue import curated_graphs, run

    with without_gc():
        b = Bestand(graph=nx.MultiDiGraph(), markable=None if eigenschaft else set())
        aufbau = _Aufbau(b)
        aufbau.nodes(run(store, catalogue.get("view-knoten")))
        curated = curated_graphs(store)
        links = run(store, catalogue.get("view-kanten"), {"eigenschaft": _KANTEN[eigenschaft][0]} if eigenschaft else None)
        aufbau.links((von, prop, nach, graph in curated)
                     for von, prop, nach, graph in _columns(links, "von", "eigenschaft", "nach", "graph"))
        if b.markable is not None:
            b.markable |= aufbau.served
        _marks(b, store, catalogue)
        return b


# -- around a focus -------------------------------------------------------------------------------

def _listed(q, iris: list[str]):
    """The query with its ``#@liste knoten: ?VAR`` line(s) as ``VALUES ?VAR { … }`` of these IRIs,
    each written by pyoxigraph (``str(NamedNode)``), never formatted from text."""
    import pyoxigraph as ox

    values = " ".join(str(ox.NamedNode(i)) for i in iris)
    return dataclasses.replace(q, text=_LISTE.sub(lambda m: f"{m.group(1)}VALUES {m.group(2)} {{ {values} }}", q.text))


def _valid(iri: str) -> bool:
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return bool(re.match(r"^https?://", iri))


@dataclasses.dataclass
class Umfeld(Bestand):
    """The nodes and links read so far around a focus; the views ask for more through the hooks
    (``lade``, ``ausgehend``, ``eingehend``), each answered by one query for a whole list."""

    store: object = None
    catalogue: object = None
    _aufbau: _Aufbau | None = dataclasses.field(default=None, repr=False)
    _gelesen: set = dataclasses.field(default_factory=set, repr=False)
    _aus: set = dataclasses.field(default_factory=set, repr=False)
    _ein: set = dataclasses.field(default_factory=set, repr=False)

    def _run(self, name: str, iris: list[str], curated: bool = True):
        from ..query.catalogue import run

        q = self.catalogue.get(name)
        for i in range(0, len(iris), _CHUNK):
            yield run(self.store, _listed(q, iris[i:i + _CHUNK]), include_curated=curated)

    def lade(self, iris: Iterable[str]) -> None:
        new = sorted({i for i in iris if i not in self._gelesen and i not in self.graph and _valid(i)})
        if not new:
            return
        self._gelesen.update(new)
        for df in self._run("view-umfeld-knoten", new):
            self._aufbau.nodes(df)

    def _links(self, name: str, nodes: list[str], done: set) -> None:
        done.update(nodes)
        rows: dict[tuple[str, str, str], bool] = {}
        for df in self._run(name, nodes):
            for k in _columns(df, "von", "eigenschaft", "nach"):
                rows[k] = True
        for df in self._run(name, nodes, curated=False):
            for k in _columns(df, "von", "eigenschaft", "nach"):
                if k in rows:
                    rows[k] = False  # stated in a document
        if not rows:
            return
        self.lade({v for v, _, _ in rows} | {n for _, _, n in rows})
        self._aufbau.links((v, p, n, kuratiert) for (v, p, n), kuratiert in rows.items())

    def ausgehend(self, nodes: Iterable[str]) -> None:
        new = sorted({n for n in nodes if n not in self._aus and n in self.graph})
        if new:
            self._links("view-umfeld-von", new, self._aus)

    def eingehend(self, nodes: Iterable[str]) -> None:
        new = sorted({n for n in nodes if n not in self._ein and n in self.graph})
        if new:
            self._links("view-umfeld-nach", new, self._ein)


def gebiete(store, catalogue) -> dict[str, str]:
    """Every area a node of the views lies in, with its name (as ``load`` finds them)."""
    from ..query.catalogue import run

    out: dict[str, str] = {}
    for gebiet, name in _columns(run(store, catalogue.get("view-gebiete")), "gebiet", "gebietname"):
        if gebiet not in out or isinstance(name, str):
            out[gebiet] = name if isinstance(name, str) else _local_name(gebiet)
    return out


def umfeld(store, catalogue, iris: Iterable[str] = (), *, mit_gebieten: bool = False) -> Umfeld:
    """An ``Umfeld`` that has read the resources given (the focus of a view); ``mit_gebieten``: and
    every area's name (what the overall view of a town is looked up by)."""
    b = Umfeld(graph=nx.MultiDiGraph(), markable=None, store=store, catalogue=catalogue)
    b._aufbau = _Aufbau(b)
    if mit_gebieten:
        b.gebietnamen.update(gebiete(store, catalogue))
    _marks(b, store, catalogue)
    with without_gc():
        b.lade(iris)
    return b


def _of_area(store, catalogue, gebiet: str) -> list[str]:
    from ..query.catalogue import run

    return sorted(set(run(store, catalogue.get("view-gebiet"), {"gebiet": gebiet})["knoten"]))


def fuer_gebiet(store, catalogue, gebiet: str, b: Umfeld | None = None) -> Umfeld:
    """An ``Umfeld`` (``b`` or a new one) holding every node of one area (as the overall view of a
    town counts them: its own, and those of the documents its concepts come from) with their links."""
    b = b if b is not None else umfeld(store, catalogue, mit_gebieten=True)
    with without_gc():
        b.lade(_of_area(store, catalogue, gebiet))
        b.ausgehend(list(b.graph))
    return b


def menue(store, catalogue, gebiete_: Iterable[str]) -> Bestand:
    """The nodes of these areas (and every Lebensphase) with only the links to their concepts: the
    menu of ``/netzwerk`` for a chosen town or Kreis."""
    from ..query.catalogue import run

    wanted = sorted({n for g in gebiete_ for n in _of_area(store, catalogue, g)})
    b = Bestand(graph=nx.MultiDiGraph())
    aufbau = _Aufbau(b)
    with without_gc():
        b.gebietnamen.update(gebiete(store, catalogue))
        q = catalogue.get("view-umfeld-knoten")
        for i in range(0, len(wanted), _CHUNK):
            aufbau.nodes(run(store, _listed(q, wanted[i:i + _CHUNK])))
        q = catalogue.get("view-umfeld-von")
        scheme = _KANTEN["inScheme"][0]
        for i in range(0, len(wanted), _CHUNK):
            df = run(store, _listed(q, wanted[i:i + _CHUNK]))
            aufbau.links((v, p, n, False) for v, p, n in _columns(df, "von", "eigenschaft", "nach") if p == scheme)
    return b
