"""The small graph of the network views' tests (tests/data/views/netz.trig): its IRIs and the store
with the ontology, as the build puts it (the queries use its classes)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from inko_graph.store import OxigraphStore

DATA = Path(__file__).parent / "data" / "views"
I = "https://w3id.org/inko/id/"
L1, L2 = I + "test-a/leitziel/1", I + "test-a/leitziel/2"
T11, T12 = I + "test-a/teilziel/1-1", I + "test-a/teilziel/1-2"
LT1 = I + "test-b/leitthema/1"
HF_A, HF_B = I + "test-a/handlungsfeld/bildung", I + "test-b/handlungsfeld/bildung"
M1, M2, AKT1 = I + "test-a/massnahme/1", I + "test-a/massnahme/2", I + "test-a/aktivitaet/1"
X, Y, Z, G = I + "akteur/verein-x", I + "akteur/amt-y", I + "akteur/partner-z", I + "akteur/runder-tisch"
SCHULALTER, ALTER = I + "vokabular/lebensphase/schulalter", I + "vokabular/lebensphase/alter"
KA, KB = I + "konzept/test-a", I + "konzept/test-b"
XSS = "<img src=x onerror=alert(1)>"


ONTOLOGY = Path(__file__).parent.parent / "ontology" / "inko.ttl"


def fixture_store() -> OxigraphStore:
    """The test graph, with the ontology in its graph as the build puts it (queries use its classes)."""
    store = OxigraphStore.memory()
    store.inner.load(path=str(DATA / "netz.trig"), format=ox.RdfFormat.TRIG)
    store.inner.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE,
                     to_graph=ox.NamedNode("https://w3id.org/inko/graph/ontologie"))
    return store
