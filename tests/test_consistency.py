"""One question, one answer: the Python API, the report, the cockpit, the command line and the
endpoint (its query workers reading a dump in memory and reading the disk store) give the same rows.

The real graph states some triples in two graphs (the presentation graph repeats type and label of
the Hattingen Leitziele): a SPARQL default graph is a set, so every count must equal the count of
distinct triples, whichever way the question comes in.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from inko_graph.namespaces import PREFIXES
from inko_graph.query.catalogue import parse_query_file, run
from inko_graph.store import UNION_GRAPH, OxigraphStore, bulk_load_new, open_store
from live_server import LiveServer

INKO = PREFIXES["inko"]

QUERIES = {
    "zaehlen": "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?d) WHERE { ?s a inko:Leitziel }",
    "alle": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "distinct": "SELECT DISTINCT ?p WHERE { ?s ?p ?o } ORDER BY ?p",
    "graphen": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a inko:Leitziel } } GROUP BY ?g ORDER BY ?g",
    "graphzahl": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "zeilen": "SELECT ?s ?l WHERE { ?s a inko:Leitziel ; skos:prefLabel ?l } ORDER BY ?s ?l",
    # the duplicated triples of this test's own graph (below), in two graphs
    "doppelt": "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/doppelt/p> ?o }",
}


def _norm(rows: list[dict]) -> list[dict]:
    return [{k: str(v) for k, v in r.items() if v is not None} for r in rows]


@pytest.fixture(scope="module")
def data(store, tmp_path_factory):
    """A copy of the real graph plus a triple stated in two graphs, in memory and on disk."""
    mem = OxigraphStore.memory()
    mem.load_quads(store.quads())
    t = (ox.NamedNode("http://example.org/doppelt/s"), ox.NamedNode("http://example.org/doppelt/p"), ox.Literal("x"))
    mem.replace_graphs({"http://example.org/doppelt/a": [ox.Triple(*t)], "http://example.org/doppelt/b": [ox.Triple(*t)]})
    root = tmp_path_factory.mktemp("konsistenz")
    dump = root / "alles.nq"
    dump.write_bytes(mem.dump("nquads"))
    bulk_load_new(root / "store", dump, ox.RdfFormat.N_QUADS)
    qdir = root / "abfragen"
    qdir.mkdir()
    for name, text in QUERIES.items():
        (qdir / f"{name}.rq").write_text(f"# title: {name}\n{text}\n", encoding="utf-8")
    return mem, root / "store", qdir


def _expected_counts(mem: OxigraphStore) -> dict:
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in mem.quads()}
    leitziele = {t for t in triples if t.predicate.value.endswith("22-rdf-syntax-ns#type") and t.object.value == INKO + "Leitziel"}
    return {"alle": len(triples), "zaehlen": len(leitziele), "graphen": len(mem.graph_names())}


def _api(store, qdir: Path) -> dict:
    return {name: _norm(run(store, parse_query_file(qdir / f"{name}.rq")).to_dict("records")) for name in QUERIES}


def _report_and_cockpit(store, settings, qdir: Path) -> dict:
    """The same questions through the report's and the cockpit's way of running named queries."""
    import datetime
    from types import SimpleNamespace

    from inko_graph.report import ReportContext
    from inko_graph.server import cockpit_base

    s = settings.with_(queries_dir=qdir)
    ctx = ReportContext(store=store, settings=s, town=None, gebiet=None, konzepte=[], kontext=[],
                        include_curated=True, date=datetime.date.today())
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(store=store, settings=s, cache={})))
    report = {name: _norm(ctx.run(name).to_dict("records")) for name in QUERIES}
    cockpit = {name: _norm(cockpit_base.run(request, name).to_dict("records")) for name in QUERIES}
    assert report == cockpit
    return report


def _cli(store_dir: Path, qdir: Path, capsys, monkeypatch) -> dict:
    """The command ``inko-graph query`` (its entry point ``main``), in this process: a new process
    per call would test Python's start, not the answer."""
    from inko_graph.cli import main

    monkeypatch.setenv("INKO_STORE", str(store_dir))
    monkeypatch.setenv("INKO_LANG", "de")
    out = {}
    capsys.readouterr()
    for name in ("zaehlen", "graphen", "doppelt"):
        code = main(["query", "--file", str(qdir / f"{name}.rq"), "--format", "json"])
        printed = capsys.readouterr()
        assert code == 0, printed.err
        out[name] = _norm(json.loads(printed.out))
    monkeypatch.delenv("INKO_STORE")
    return out


def _value(b: dict):
    if b.get("datatype", "").endswith("#integer"):
        return int(b["value"])
    return b["value"]


def _endpoint(store, settings) -> dict:
    from inko_graph.server import create_app

    srv = LiveServer(create_app(settings, store)).start(timeout=60)
    try:
        out = {}
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            for name, text in QUERIES.items():
                r = c.post("/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"})
                assert r.status_code == 200, r.text
                res = r.json()
                rows = [{v: _value(b[v]) if v in b else None for v in res["head"]["vars"]} for b in res["results"]["bindings"]]
                out[name] = _norm(rows)
        return out
    finally:
        srv.stop()


def test_every_entry_point_gives_the_same_rows(data, settings, monkeypatch, capsys):
    mem, store_dir, qdir = data
    expected = _expected_counts(mem)
    api = _api(mem, qdir)
    # The set semantics of the default graph, checked against Python's own set of triples.
    assert int(api["alle"][0]["n"]) == expected["alle"]
    assert api["zaehlen"] == [{"n": str(expected["zaehlen"]), "d": str(expected["zaehlen"])}]
    assert api["doppelt"] == [{"n": "1"}]
    assert UNION_GRAPH not in {r["g"] for r in api["graphen"]}
    assert int(api["graphzahl"][0]["n"]) == expected["graphen"]

    assert _report_and_cockpit(mem, settings, qdir) == api, "Bericht und Cockpit"
    disk = open_store(store_dir, read_only=True)
    assert _api(disk, qdir) == api, "Speicher auf der Platte"
    del disk
    assert _cli(store_dir, qdir, capsys, monkeypatch) == {k: api[k] for k in ("zaehlen", "graphen", "doppelt")}, "Kommandozeile"
    assert _endpoint(mem, settings) == api, "Endpunkt, Daten im Arbeitsspeicher der Arbeitsprozesse"
    from inko_graph.server import query_pool

    monkeypatch.setattr(query_pool, "MATERIALIZE_MAX_QUADS", 0)  # as above 1 million quads: the workers read the disk
    on_disk = open_store(store_dir)
    assert _endpoint(on_disk, settings) == api, "Endpunkt, Arbeitsprozesse lesen den Speicher auf der Platte"


def test_union_follows_every_write():
    """Replacing, dropping and SPARQL updates keep the union graph equal to the set of all triples."""
    st = OxigraphStore.memory()
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    t1, t2 = ox.Triple(s, p, ox.Literal("1")), ox.Triple(s, p, ox.Literal("2"))

    def count() -> int:
        return int(next(iter(st.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)

    st.replace_graphs({"http://example.org/a": [t1, t2], "http://example.org/b": [t1]})
    assert count() == 2 and len(st) == 3
    st.replace_graphs({"http://example.org/a": [t2]})  # t1 still in b
    assert count() == 2
    st.drop_graphs(["http://example.org/b"])  # t1 nowhere now
    assert count() == 1
    st.update("INSERT DATA { GRAPH <http://example.org/c> { <http://example.org/s> <http://example.org/p> '2', '3' } }")
    assert count() == 2
    st.update("DROP GRAPH <http://example.org/a> ;")
    assert count() == 2  # '2' still in c
    st.update("CLEAR ALL")
    assert count() == 0 and len(st) == 0
    st.update("DROP ALL")
    assert st.graph_names() == [] and count() == 0
    assert st.dump("nquads") == b""


def test_without_curated_graphs_each_triple_once_too(store):
    """``--ohne-kuratiert`` (``include_curated=False``): the union of the other graphs, also a set,
    following a graph that becomes curated or stops being curated."""
    from inko_graph.query.catalogue import NamedQuery, curated_graphs

    q = NamedQuery("z", "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?d) WHERE { ?s a inko:Leitziel }", Path("z.rq"))
    row = run(store, q, include_curated=False).to_dict("records")[0]
    assert row["n"] == row["d"] > 0

    st = OxigraphStore.memory()
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    t1, t2 = ox.Triple(s, p, ox.Literal("1")), ox.Triple(s, p, ox.Literal("2"))
    meta = "http://example.org/meta"
    cur = ox.Triple(ox.NamedNode("http://example.org/k"), ox.NamedNode(PREFIXES["inko"] + "graphart"),
                    ox.NamedNode(PREFIXES["id"] + "vokabular/graphart/kuratiert"))

    def counts():
        text = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }"
        return tuple(int(next(iter(st.query(text, curated=c)))["n"].value) for c in (True, False))

    st.replace_graphs({"http://example.org/a": [t1], "http://example.org/b": [t1], "http://example.org/k": [t1, t2]})
    assert counts() == (2, 2)
    st.replace_graphs({meta: [cur]})  # k becomes curated: t2 only there
    assert curated_graphs(st) == {"http://example.org/k"}
    assert counts() == (2, 1)
    st.drop_graphs(["http://example.org/a", "http://example.org/b"])
    assert counts() == (2, 0)
    st.replace_graphs({meta: []})  # no longer curated
    assert counts() == (2, 2)
