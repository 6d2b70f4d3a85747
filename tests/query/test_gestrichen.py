"""Which items an uploaded concept leaves out (query ``konzept-gestrichen``) and the store of the
current statements, on a small dataset written for it: a concept K with a document graph and an
upload, a second concept K2 without upload."""

from __future__ import annotations

import pandas as pd
import pyoxigraph as ox
import pytest

from inko_graph.query.catalogue import Catalogue, run
from inko_graph.query.gestrichen import Eintrag, Gestrichen, current_store, struck, without_struck
from inko_graph.store import OxigraphStore

I = "https://w3id.org/inko/def#"
ID = "https://w3id.org/inko/id/test/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SOURCE = "http://purl.org/dc/terms/source"
DOC = "https://w3id.org/inko/graph/test-dokument"
UPLOAD = "https://w3id.org/inko/graph/konzept/test-k"
K, K2 = ID + "k", ID + "k2"


def _quads(graph: str, triples) -> list[ox.Quad]:
    def term(x):
        return ox.NamedNode(x) if x.startswith("http") else ox.Literal(x, language="de")
    return [ox.Quad(ox.NamedNode(s), ox.NamedNode(p), term(o), ox.NamedNode(graph)) for s, p, o in triples]


def _store(with_upload: bool = True) -> OxigraphStore:
    sub = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
    doc = [(K, RDF_TYPE, I + "Konzept"), (K2, RDF_TYPE, I + "Konzept"), (I + "Leitziel", sub, I + "Ziel"),
           (I + "Massnahme", sub, I + "Vorhaben"), (I + "Aktivitaet", sub, I + "Vorhaben")]
    for z, k in (("z1", K), ("z2", K), ("z3", K2)):
        doc += [(ID + z, RDF_TYPE, I + "Leitziel"), (ID + z, SKOS + "inScheme", k), (ID + z, SKOS + "prefLabel", z)]
    doc += [(ID + "hf", RDF_TYPE, I + "Handlungsfeld"), (ID + "hf", SKOS + "inScheme", K)]
    for m, goals in (("m1", ["z1"]), ("m2", ["z2"]), ("m3", ["z2", "z3"])):
        doc += [(ID + m, RDF_TYPE, I + "Massnahme")] + [(ID + m, I + "dient", ID + z) for z in goals]
    doc += [(ID + "ind", RDF_TYPE, I + "Indikator"), (ID + "ind", I + "misst", ID + "z2")]
    doc += [(ID + "akt", RDF_TYPE, I + "Aktivitaet"), (ID + "akt", I + "dient", ID + "z2")]
    quads = _quads(DOC, doc)
    if with_upload:
        quads += _quads(UPLOAD, [(K, RDF_TYPE, I + "Konzept"), (K, SOURCE, UPLOAD),
                                 (ID + "z1", RDF_TYPE, I + "Leitziel"), (ID + "z1", SKOS + "inScheme", K),
                                 (ID + "m1", RDF_TYPE, I + "Massnahme"), (ID + "m1", I + "dient", ID + "z1")])
    store = OxigraphStore.memory()
    store.load_quads(quads)
    return store


@pytest.fixture(scope="module")
def cat(settings):
    return Catalogue(settings.queries_dir)


def test_struck_are_the_items_of_the_concept_the_upload_no_longer_has(cat):
    g = struck(_store(), cat)
    assert set(g.eintraege) == {ID + "z2", ID + "hf", ID + "m2", ID + "ind"}
    assert g.eintraege[ID + "m2"] == Eintrag(I + "Massnahme", K, UPLOAD)
    # m3 serves a goal of K2 too and stays; the Aktivität is no item of a workbook
    assert ID + "m3" not in g and ID + "akt" not in g
    # the bound concept leads the query (focus) and changes no row; unbound, the same rows
    q = cat.get("konzept-gestrichen")
    focused = run(_store(), q, {"konzept": K})
    assert focused.equals(run(_store(), q, {"konzept": K}, focus=False)) and focused.equals(run(_store(), q))


class _Counting:
    """A store that counts the queries asked of it."""

    def __init__(self, store):
        self.store, self.queries = store, 0

    def graph_names(self):
        return self.store.graph_names()

    def query(self, *a, **kw):
        self.queries += 1
        return self.store.query(*a, **kw)


def test_without_an_upload_nothing_is_asked(cat):
    s = _Counting(_store(with_upload=False))
    g = struck(s, cat)
    assert not g and g.store is None and s.queries == 0


def test_the_current_statements_leave_out_what_names_a_struck_item(cat):
    store = _store()
    g = struck(store, cat)
    now = g.store
    assert now is not None and now is not store
    ask = "ASK {{ {} }}"
    assert not now.query(ask.format(f"<{ID}z2> ?p ?o")) and not now.query(ask.format(f"?s ?p <{ID}z2>"))
    assert now.query(ask.format(f"<{ID}m3> <{I}dient> <{ID}z3>"))       # kept, and no longer serving z2
    assert now.query(ask.format(f"<{ID}akt> a <{I}Aktivitaet>"))
    assert now.query(ask.format(f"GRAPH <{DOC}> {{ <{ID}z1> ?p ?o }}"))
    assert store.query(ask.format(f"<{ID}z2> ?p ?o"))                    # the store itself is unchanged
    # counts follow: K has one goal now, and the goal z2's Aktivität counts for no goal of K
    df = run(now, cat.get("konzepte"))
    row = df[df["konzept"] == K].iloc[0]
    assert (row["ziele"], row["handlungsfelder"], row["vorhaben"]) == (1, 0, 1)
    before = run(store, cat.get("konzepte"))
    assert tuple(before[before["konzept"] == K].iloc[0][["ziele", "handlungsfelder", "vorhaben"]]) == (2, 1, 4)


def test_the_union_keeps_a_statement_that_the_upload_makes_itself(cat):
    store = _store()
    # the upload states a triple that names z2 (say as the object of a link of K)
    store.replace_graphs({UPLOAD: [q.triple for q in store.quads(UPLOAD)]
                          + [ox.Triple(ox.NamedNode(K), ox.NamedNode(SKOS + "hasTopConcept"), ox.NamedNode(ID + "z2"))]})
    now = current_store(store, {ID + "z2"})
    assert now.query(f"ASK {{ <{K}> <{SKOS}hasTopConcept> <{ID}z2> }}")
    assert not now.query(f"ASK {{ <{ID}z2> a ?k }}")


def test_rows_naming_a_struck_item_go_where_the_store_is_not_copied():
    g = Gestrichen({ID + "z2": Eintrag(I + "Leitziel", K, UPLOAD)})
    df = pd.DataFrame([[ID + "z1", "a", 1], [ID + "z2", "b", 2], [ID + "z3", ID + "z2", 3]], columns=["ziel", "x", "n"])
    assert without_struck(df, g).values.tolist() == [[ID + "z1", "a", 1]]
    assert without_struck(df, Gestrichen()) is df


def test_a_store_on_disk_is_copied_as_a_checkpoint_beside_it_that_goes_with_the_copy(cat, tmp_path):
    import gc

    root = tmp_path / "store"
    (root / "db").parent.mkdir()
    inner = ox.Store(str(root / "db"))
    inner.extend(_store().inner)        # with its union graphs, as a build leaves it
    disk = OxigraphStore(inner, root / "db", root=root)
    g = struck(disk, cat)
    beside = [p for p in tmp_path.iterdir() if p.name.startswith("store-aktuell-")]
    assert len(beside) == 1 and (beside[0] / "db").is_dir()
    assert not g.store.query(f"ASK {{ <{ID}z2> ?p ?o }}") and disk.query(f"ASK {{ <{ID}z2> ?p ?o }}")
    assert run(g.store, cat.get("konzepte")).set_index("konzept").loc[K, "ziele"] == 1
    del g
    gc.collect()
    assert not beside[0].exists()
