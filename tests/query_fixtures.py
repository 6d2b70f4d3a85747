"""The small graph of the query tests (tests/data/queries_fixture.trig), with the ontology as the
build puts it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from inko_graph.load.sources import parse_rdf_file
from inko_graph.namespaces import GRAPH
from inko_graph.settings import PROJECT_ROOT
from inko_graph.store import OxigraphStore

DATA = Path(__file__).parent / "data"


def load_fixture() -> OxigraphStore:
    store = OxigraphStore.memory()
    store.inner.load(path=str(DATA / "queries_fixture.trig"), format=ox.RdfFormat.TRIG)
    onto = ox.NamedNode(GRAPH + "ontologie")
    store.load_quads(ox.Quad(t.subject, t.predicate, t.object, onto)
                     for t in parse_rdf_file(PROJECT_ROOT / "ontology" / "inko.ttl"))
    return store
