"""The store: atomic replacement of graphs, and an on-disk store that a failed build leaves intact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from inko_graph.errors import InputError, NotConformant
from inko_graph.load.build import build, ensure_built
from inko_graph.store import journal
from inko_graph.store import OxigraphStore, open_store

from built_store import copy_built

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


class _FailingGraphs(dict):
    """Graphs whose second graph's triples cannot be produced: the write must fail as a whole."""

    def items(self):
        for n, (name, triples) in enumerate(super().items()):
            if n == 1:
                def broken():
                    yield _t("b", "p", "teil")
                    raise RuntimeError("Lesefehler mitten im zweiten Graphen")
                yield name, broken()
            else:
                yield name, triples


def test_replace_graphs_is_all_or_nothing():
    st = OxigraphStore.memory()
    st.replace_graphs({EX + "g1": [_t("a", "p", "1")], EX + "g2": [_t("b", "p", "2")]})
    before = sorted(str(q) for q in st.quads())
    with pytest.raises(RuntimeError):
        st.replace_graphs(_FailingGraphs({EX + "g1": [_t("a", "p", "neu")], EX + "g2": [_t("b", "p", "neu")]}))
    assert sorted(str(q) for q in st.quads()) == before  # g1 untouched although it came first


def test_replace_graphs_engine_failure_changes_nothing(monkeypatch):
    """The engine refuses the second half of the write: the first half must not stay either."""
    st = OxigraphStore.memory()
    st.replace_graphs({EX + "g1": [_t("a", "p", "1")], EX + "g2": [_t("b", "p", "2")]})
    before = sorted(str(q) for q in st.quads())
    real_update = st.inner.update
    calls = []

    class Inner:
        def __getattr__(self, name):
            return getattr(st.inner_real, name)

        def update(self, text, **kw):
            calls.append(text)
            if EX + "g2" in text and "neu" in text:
                # A store that applied g1 in an earlier call would keep it: refuse the call with g2.
                raise OSError("Schreibfehler")
            return real_update(text, **kw)

    st.inner_real = st.inner
    st.inner = Inner()
    with pytest.raises(OSError):
        st.replace_graphs({EX + "g1": [_t("a", "p", "neu")], EX + "g2": [_t("b", "p", "neu")]})
    st.inner = st.inner_real
    assert sorted(str(q) for q in st.quads()) == before
    assert len(calls) == 1  # one request, one transaction


def test_bindings_are_bound_not_formatted():
    st = OxigraphStore.memory()
    st.replace_graphs({EX + "g": [_t("a", "name", 'x" } ; DROP ALL ; #')]})
    q = "SELECT ?s ?n WHERE { ?s <http://example.org/name> ?n }"
    rows = list(st.query(q, {"n": ox.Literal('x" } ; DROP ALL ; #')}))
    assert len(rows) == 1 and len(st) == 1


def _copy_of(built_on_disk, tmp_path) -> int:
    """The store built once for the session (conftest), copied here: as if just built; its size."""
    copy_built(built_on_disk, tmp_path / "store")
    n = len(open_store(tmp_path / "store", read_only=True))
    return n


def test_on_disk_build_and_failed_rebuild_keeps_old_store(settings, built_on_disk, tmp_path):
    s = settings.with_(store_path=tmp_path / "store")
    n = _copy_of(built_on_disk, tmp_path)
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


def test_rebuild_keeps_imported_graphs(settings, built_on_disk, tmp_path):
    from inko_graph.namespaces import GRAPH

    s = settings.with_(store_path=tmp_path / "store")
    _copy_of(built_on_disk, tmp_path)
    store = ensure_built(s)
    imported = GRAPH + "statistik/test-2026"
    journal.commit(s, store, replace={imported: [_t("a", "p", "1")]}, kind="monitoring")
    n = len(store)
    del store
    rebuilt = build(s).store
    assert imported in rebuilt.graph_names()
    assert len(rebuilt) == n


def test_build_never_writes_into_the_database_in_use(settings, built_on_disk, tmp_path):
    """The store open (and locked) by this process while a rebuild runs: the build fills a new
    database and switches to it; the open one keeps its content."""
    s = settings.with_(store_path=tmp_path / "store")
    _copy_of(built_on_disk, tmp_path)
    held = ensure_built(s)
    n = len(held)
    held.replace_graphs({EX + "nur-hier": [_t("a", "p", "1")]})  # not in graph_data, not in the journal
    rebuilt = build(s).store
    assert rebuilt.path != held.path
    assert len(held) == n + 1 and len(rebuilt) == n


def test_switch_of_current_is_one_rename(tmp_path, monkeypatch):
    """``current`` is never missing or half-made: the switch is a rename of a finished link onto it
    (audit events of this process), never an unlink followed by a new link."""
    import sys

    from inko_graph import store as store_mod

    root = tmp_path / "store"
    first = store_mod.new_store_dir(root)
    store_mod.commit_store_dir(root, first)
    second = store_mod.new_store_dir(root)
    seen: list[tuple] = []
    active = [True]

    def hook(event, args):
        if active[0] and event in ("os.rename", "os.remove", "os.symlink", "os.unlink", "shutil.rmtree"):
            seen.append((event, tuple(str(a) for a in args[:2])))

    sys.addaudithook(hook)
    try:
        store_mod.commit_store_dir(root, second)
    finally:
        active[0] = False
    cur = str(root / "current")
    assert not any(e in ("os.remove", "os.unlink") and a[0] == cur for e, a in seen), seen
    assert not any(e == "os.symlink" and a[1] == cur for e, a in seen), seen
    renames = [a for e, a in seen if e == "os.rename" and a[1] == cur]
    assert len(renames) == 1 and Path(renames[0][0]).is_symlink() is False  # the temporary link was moved
    assert (root / "current").resolve() == second
    assert not first.exists()  # the old database is removed once nobody holds it


@pytest.mark.parametrize("name", ["urn:x-inko:vereinigung", "urn:x-inko:vereinigung-ohne-kuratiert"])
def test_the_union_graphs_are_written_by_the_store_alone(name):
    from inko_graph.errors import InputError
    from inko_graph.store import OxigraphStore

    store = OxigraphStore.memory()
    t = ox.Triple(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("1"))
    store.replace_graphs({"http://example.org/g": [t]})
    before = sorted(map(str, store.inner))
    with pytest.raises(InputError, match="selbst geführt"):
        store.replace_graphs({name: [t]})
    with pytest.raises(InputError, match="selbst geführt"):
        store.drop_graphs([name])
    assert sorted(map(str, store.inner)) == before
