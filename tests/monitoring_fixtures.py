"""A small store for the monitoring tests: the real ontology and vocabularies plus a fixture TriG."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from inko_graph.load.sources import parse_rdf_file
from inko_graph.namespaces import GRAPH
from inko_graph.settings import PROJECT_ROOT
from inko_graph.store import OxigraphStore

DATA = Path(__file__).parent / "data" / "monitoring"
EX = "https://w3id.org/inko/id/test/"
G = "https://w3id.org/inko/id/gebiet/"


def fixture_store(trig: str = "beispiel.trig") -> OxigraphStore:
    """Ontology, vocabularies (with the data structure) and the fixture graphs, in memory."""
    st = OxigraphStore.memory()
    quads = []
    for path, graph in [(PROJECT_ROOT / "ontology" / "inko.ttl", "ontologie")] + [
            (p, "vokabular") for p in sorted((PROJECT_ROOT / "graph_data" / "vokabular").glob("*.ttl"))]:
        gn = ox.NamedNode(GRAPH + graph)
        quads += [ox.Quad(t.subject, t.predicate, t.object, gn) for t in parse_rdf_file(path)]
    quads += list(ox.parse((DATA / trig).read_bytes(), format=ox.RdfFormat.TRIG))
    st.load_quads(quads)
    return st


def snapshot(store) -> set:
    """Every quad of the store, to compare before and after."""
    return {str(q) for q in store.quads()}
