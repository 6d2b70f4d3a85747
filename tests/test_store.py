"""The store: atomic replacement of graphs, and an on-disk store that a failed build leaves intact."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from inko_graph import journal
from inko_graph.build import build
from inko_graph.errors import InputError, NotConformant
from inko_graph.store import OxigraphStore, open_store

EX = "http://example.org/"


def _t(s, p, o):
    return ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + p), ox.Literal(o))


def test_replace_graphs_replaces_only_the_given_graphs():
    st = OxigraphStore.memory()
    st.replace_graphs({EX + "g1": [_t("a", "p", "1")], EX + "g2": [_t("b", "p", "2")]})
    st.replace_graphs({EX + "g1": [_t("a", "p", "neu"), _t("c", "p", "3")]})
    assert len(st) == 3
    rows = list(st.query("SELECT ?o WHERE { GRAPH <http://example.org/g1> { ?s ?p ?o } } ORDER BY ?o", union=False))
    assert [r["o"].value for r in rows] == ["3", "neu"]


def test_replace_graphs_is_all_or_nothing():
    st = OxigraphStore.memory()
    st.replace_graphs({EX + "g1": [_t("a", "p", "1")]})
    bad = ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("x"))
    # A blank-node predicate cannot be written; the whole update must fail and leave g1 as it was.
    with pytest.raises((SyntaxError, ValueError, OSError)):
        st.inner.update("DROP SILENT GRAPH <http://example.org/g1> ; INSERT DATA { GRAPH <http://example.org/g1> { <x:a> <x:b> } }")
    assert len(st) == 1
    st.replace_graphs({EX + "g1": [bad]})
    assert len(st) == 1


def test_bindings_are_bound_not_formatted():
    st = OxigraphStore.memory()
    st.replace_graphs({EX + "g": [_t("a", "name", 'x" } ; DROP ALL ; #')]})
    q = "SELECT ?s ?n WHERE { ?s <http://example.org/name> ?n }"
    rows = list(st.query(q, {"n": ox.Literal('x" } ; DROP ALL ; #')}))
    assert len(rows) == 1 and len(st) == 1


def test_on_disk_build_and_failed_rebuild_keeps_old_store(settings, tmp_path):
    s = settings.with_(store_path=tmp_path / "store")
    first = build(s)
    n = first.triples
    del first
    assert n > 0
    # A broken file: the rebuild fails and the store stays as it was.
    data = tmp_path / "graph_data"
    shutil.copytree(settings.data_dir, data)
    (data / "vokabular" / "kaputt.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b", encoding="utf-8")
    with pytest.raises(InputError):
        build(s.with_(data_dir=data))
    (data / "vokabular" / "kaputt.ttl").write_text(
        "@prefix inko: <https://w3id.org/inko/def#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/inko/id/x> a inko:Leitziel .\n", encoding="utf-8")
    with pytest.raises(NotConformant):
        build(s.with_(data_dir=data))
    assert len(open_store(s.store_path)) == n
    assert len(list((tmp_path / "store").glob("db-*"))) == 1


def test_rebuild_keeps_imported_graphs(settings, tmp_path):
    from inko_graph.namespaces import GRAPH

    s = settings.with_(store_path=tmp_path / "store")
    store = build(s).store
    imported = GRAPH + "statistik/test-2026"
    journal.commit(s, store, replace={imported: [_t("a", "p", "1")]}, kind="monitoring")
    n = len(store)
    del store
    rebuilt = build(s).store
    assert imported in rebuilt.graph_names()
    assert len(rebuilt) == n
