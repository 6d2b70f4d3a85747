"""The bulk load of ``inko-graph load --ganz`` (``store.bulk_load_new``): a new database beside the
current one, switched to only when complete; a broken source leaves the current one and no new
folder behind."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest

from inko_graph.store import bulk_load_new, open_store

G = "https://w3id.org/inko/graph/test"
NQ = "".join(f"<https://w3id.org/inko/id/test/{i}> <http://www.w3.org/2004/02/skos/core#note> \"{i}\" <{G}> .\n"
             for i in range(5))


def _dbs(path):
    return sorted(p.name for p in path.glob("db-*"))


def test_bulk_load_switches_to_a_complete_new_database(tmp_path):
    src = tmp_path / "daten.nq"
    src.write_text(NQ, encoding="utf-8")
    store_dir = tmp_path / "store"
    assert bulk_load_new(store_dir, src, ox.RdfFormat.N_QUADS) == 5
    first = os.readlink(store_dir / "current")
    assert _dbs(store_dir) == [first]
    st = open_store(store_dir)
    assert len(st) == 5 and st.graph_names() == [G]
    del st
    # From pieces of whole lines; the next load replaces the database, the old one goes.
    pieces = [NQ.encode()[: NQ.index("\n") + 1], NQ.encode()[NQ.index("\n") + 1:]]
    assert bulk_load_new(store_dir, iter(pieces), ox.RdfFormat.N_QUADS) == 5
    second = os.readlink(store_dir / "current")
    assert second != first and _dbs(store_dir) == [second]


def test_broken_source_leaves_the_current_database_and_no_new_one(tmp_path):
    src = tmp_path / "daten.nq"
    src.write_text(NQ, encoding="utf-8")
    store_dir = tmp_path / "store"
    bulk_load_new(store_dir, src, ox.RdfFormat.N_QUADS)
    before = os.readlink(store_dir / "current")
    bad = tmp_path / "kaputt.nq"
    bad.write_text(NQ + "<https://w3id.org/inko/id/test/x> <kaputt\n", encoding="utf-8")
    with pytest.raises(SyntaxError):
        bulk_load_new(store_dir, bad, ox.RdfFormat.N_QUADS)
    assert os.readlink(store_dir / "current") == before
    assert _dbs(store_dir) == [before]
    assert len(open_store(store_dir)) == 5
