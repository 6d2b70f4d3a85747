"""The journal of accepted writes: recorded before applied, replayed in order by the build,
deletions stay deletions, a failed write leaves no entry, an entry that no longer validates
stops the build by name, the old Raster archive is taken over once."""

from __future__ import annotations

import threading

import pyoxigraph as ox
import pytest

from inko_graph.errors import JournalConflict
from inko_graph.load.build import build
from inko_graph.load.sources import Dataset
from inko_graph.raster import examples as raster_examples
from inko_graph.store import journal
from inko_graph.store import OxigraphStore, open_store

EX = "https://w3id.org/inko/graph/statistik/"


def _t(s: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode("urn:x:" + s), ox.NamedNode("urn:x:p"), ox.Literal(o))


@pytest.fixture
def disk(settings, tmp_path):
    # the example workbooks' cache of the user, so that builds here do not map them again
    return settings.with_(store_path=tmp_path / "store", extra={"cache_dir": str(raster_examples.cache_dir(settings))})


def test_writes_are_recorded_in_order_and_replayed_with_deletions(disk):
    st = OxigraphStore.memory()
    journal.commit(disk, st, replace={EX + "a": [_t("a", "1")]}, kind="monitoring", meta={"datei": "a.csv"})
    journal.commit(disk, st, replace={EX + "b": [_t("b", "2")]}, kind="graph-store")
    journal.commit(disk, st, drop=[EX + "a", EX + "quelle"], kind="graph-store", meta={"methode": "DELETE"})
    entries = journal.entries(disk)
    assert [(e.seq, e.kind) for e in entries] == [(1, "monitoring"), (2, "graph-store"), (3, "graph-store")]
    assert entries[0].meta == {"datei": "a.csv"} and entries[2].drop == [EX + "a", EX + "quelle"]
    assert sorted(st.graph_names()) == [EX + "b"]
    ds = Dataset()
    ds.add(EX + "quelle", [_t("q", "aus graph_data")])  # a graph of graph_data/, deleted through the server
    replayed = journal.replay(disk, ds)
    assert sorted(ds.graphs) == [EX + "b"]  # the deletions stay deletions
    assert replayed.last == 3 and replayed.origin[EX + "a"].seq == 3


def test_sparql_update_is_replayed_through_the_engine(disk):
    st = OxigraphStore.memory()
    journal.commit(disk, st, replace={EX + "a": [_t("a", "1")]}, kind="monitoring")
    journal.commit(disk, st, update=f'DELETE DATA {{ GRAPH <{EX}a> {{ <urn:x:a> <urn:x:p> "1" }} }} ; '
                                    f'INSERT DATA {{ GRAPH <{EX}c> {{ <urn:x:c> <urn:x:p> "3" }} }}',
                   kind="sparql-update")
    ds = Dataset()
    journal.replay(disk, ds)
    assert {g: [str(t.object) for t in ts] for g, ts in ds.graphs.items()} == {EX + "c": ['"3"']}
    assert sorted(str(q) for q in st.quads()) == [str(ox.Quad(ox.NamedNode("urn:x:c"), ox.NamedNode("urn:x:p"),
                                                            ox.Literal("3"), ox.NamedNode(EX + "c")))]


def test_a_write_the_store_refuses_leaves_no_entry(disk):
    st = OxigraphStore.memory()
    journal.commit(disk, st, update=f"CREATE GRAPH <{EX}neu>", kind="sparql-update")
    with pytest.raises(Exception):
        journal.commit(disk, st, update=f"CREATE GRAPH <{EX}neu>", kind="sparql-update")  # exists already
    assert [e.seq for e in journal.entries(disk)] == [1]
    assert not list(journal.journal_dir(disk).glob(".*.tmp*"))


def test_concurrent_writers_get_distinct_numbers(disk):
    st = OxigraphStore.memory()
    threads = [threading.Thread(target=journal.commit, args=(disk, st),
                                kwargs={"replace": {EX + f"t{i}": [_t(str(i), str(i))]}, "kind": "test"})
               for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [e.seq for e in journal.entries(disk)] == list(range(1, 9))
    assert len(st.graph_names()) == 8


def test_catch_up_applies_what_the_database_lacks(disk):
    journal.commit(disk, OxigraphStore.memory(), replace={EX + "a": [_t("a", "1")]}, kind="test")
    st = open_store(disk.store_path)  # a database that never saw the entry (e.g. killed before applying)
    assert journal.applied_seq(st) == 0 and len(st) == 0
    assert journal.catch_up(disk, st) == 1
    assert st.graph_names() == [EX + "a"] and journal.applied_seq(st) == 1
    assert journal.catch_up(disk, st) == 0


def test_the_old_raster_archive_is_taken_over_once(disk, tmp_path):
    archive = tmp_path / "raster"
    archive.mkdir()
    g = "https://w3id.org/inko/graph/raster/alt/2024"
    (archive / "alt--2024.nq").write_bytes(ox.serialize([ox.Quad(*_t("alt", "x"), ox.NamedNode(g))],
                                                        format=ox.RdfFormat.N_QUADS))
    ds = Dataset()
    journal.replay(disk, ds)
    assert list(ds.graphs) == [g]
    journal.commit(disk, OxigraphStore.memory(), drop=[g], kind="graph-store")
    ds = Dataset()
    journal.replay(disk, ds)
    assert ds.graphs == {}  # deleted stays deleted, although the old file is still there
    assert [e.kind for e in journal.entries(disk)] == ["raster", "graph-store"]


def test_an_entry_that_no_longer_validates_stops_the_build_by_name(disk):
    leitziel = ox.Triple(ox.NamedNode("https://w3id.org/inko/id/x"),
                         ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                         ox.NamedNode("https://w3id.org/inko/def#Leitziel"))
    journal.commit(disk, OxigraphStore.memory(), replace={EX + "kaputt": [leitziel]}, kind="graph-store",
                   meta={"methode": "PUT"})
    with pytest.raises(JournalConflict) as info:
        build(disk)
    assert any("Journal-Eintrag 000000001.nq (graph-store, methode PUT" in p and EX + "kaputt" in p
               for p in info.value.problems), info.value.problems
    assert "Journal" in str(info.value) and not (disk.store_path / "current").exists()


def test_a_damaged_entry_stops_the_build_by_name(disk):
    from inko_graph.errors import InputError

    journal.commit(disk, OxigraphStore.memory(), replace={EX + "a": [_t("a", "1"), _t("b", "2")]}, kind="test")
    (entry,) = journal.journal_dir(disk).glob("*.nq")
    raw = entry.read_bytes()
    entry.write_bytes(raw[: raw.rindex(b"\n", 0, len(raw) - 1) + 1])  # the last line lost
    with pytest.raises(InputError, match="000000001.nq.*Prüfsumme"):
        journal.replay(disk, Dataset())


def test_the_journal_command_lists_the_entries(disk, capsys):
    from inko_graph.cli import main

    journal.commit(disk, OxigraphStore.memory(), replace={EX + "a": [_t("a", "1")]}, kind="monitoring",
                   meta={"datei": "werte.csv"})
    journal.commit(disk, OxigraphStore.memory(), drop=[EX + "a"], kind="graph-store")
    assert main(["--store", str(disk.store_path), "journal"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "2 Einträge" in out[0]
    assert out[1].startswith("Journal-Eintrag 000000001.nq (monitoring, datei werte.csv") and "(1 Tripel)" in out[1]
    assert out[2].startswith("Journal-Eintrag 000000002.nq (graph-store") and f"entfernt <{EX}a>" in out[2]


def test_blank_nodes_of_two_graph_store_posts_stay_apart(disk):
    from fastapi.testclient import TestClient

    from inko_graph.server import create_app

    token = "test-token-0123456789"
    st = OxigraphStore.memory()
    with TestClient(create_app(disk.with_(write_token=token, query_workers=1), store=st)) as http:
        for value in ("eins", "zwei"):
            r = http.post("/rdf-graphs/service", params={"graph": EX + "bn"},
                          content=f'_:b0 <urn:x:p> "{value}" .'.encode(),
                          headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {token}"})
            assert r.status_code in (201, 204), r.text
    subjects = {q.subject for q in st.quads(EX + "bn")}
    assert len(subjects) == 2
    ds = Dataset()
    journal.replay(disk, ds)
    assert len({t.subject for t in ds.graphs[EX + "bn"]}) == 2


def test_the_server_tries_again_when_taking_over_entries_failed(disk, monkeypatch):
    """An entry another process wrote, which this server failed to apply once (e.g. a full disk),
    is applied at the next request, not only after yet another entry."""
    import asyncio
    from types import SimpleNamespace

    from inko_graph.server import freshness

    journal.commit(disk, OxigraphStore.memory(), replace={EX + "a": [_t("a", "1")]}, kind="test")
    st = open_store(disk.store_path)
    state = SimpleNamespace(settings=disk, store=st)
    real = journal.catch_up

    def full_disk(settings, store):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal, "catch_up", full_disk)
    asyncio.run(freshness._journal(state))
    assert st.graph_names() == []
    monkeypatch.setattr(journal, "catch_up", real)
    asyncio.run(freshness._journal(state))
    assert st.graph_names() == [EX + "a"]
