"""The store on a real SPARQL server (Oxigraph, Virtuoso) against the embedded store: build, the
named queries, a Raster import, the endpoint's answers and limits, the union as a set, failed
writes that change nothing, and German messages for an unreachable server or a wrong password."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import time

import httpx
import pyoxigraph as ox
import pytest

from inko_graph.errors import InkoError, QueryError, QueryRefused
from inko_graph.load.build import build
from inko_graph.namespaces import GRAPH
from inko_graph.query.catalogue import run
from inko_graph.raster.vocab import catalogue
from inko_graph.settings import PROJECT_ROOT, Settings, SparqlServer
from inko_graph.store.remote import UNION_GRAPH, RemoteStore, RemoteStoreError
from live_server import LiveServer
from remote_fixtures import server_env

EX = "http://example.org/"
_env = server_env


_BUILD_TIME = ox.NamedNode("http://www.w3.org/ns/prov#generatedAtTime")


def _triples(quads) -> set:
    """Without the time stamps, which each build sets anew."""
    return {(q.subject, q.predicate, q.object) for q in quads if q.predicate != _BUILD_TIME}


# -- without a server -------------------------------------------------------------------------------

def test_settings_from_env_and_password_kept_out_of_repr():
    s = Settings.from_env(env={"INKO_SPARQL_QUERY_URL": "http://h:1/q", "INKO_SPARQL_USER": "u",
                               "INKO_SPARQL_PASSWORD": "geheim-123"})
    assert s.sparql_server.update_url == "http://h:1/q"  # the query URL by default
    assert s.sparql_server.graph_store_url is None
    assert s.store_path is None
    assert "geheim-123" not in repr(s) and "geheim-123" not in repr(RemoteStore(s.sparql_server))
    assert Settings.from_env(env={}).sparql_server is None
    with pytest.raises(InkoError, match="INKO_SPARQL_QUERY_URL"):
        Settings.from_env(env={"INKO_SPARQL_QUERY_URL": "ftp://h/q"})


def test_unreachable_server_gives_a_german_message_without_password():
    port = _closed_port()
    store = RemoteStore(SparqlServer(f"http://127.0.0.1:{port}/sparql", f"http://127.0.0.1:{port}/sparql",
                                     None, "nutzer", "GeheimesPasswort"), timeout=5)
    with pytest.raises(RemoteStoreError) as e:
        store.graph_names()
    msg = str(e.value)
    assert f"http://127.0.0.1:{port}/sparql" in msg and "nicht erreichbar" in msg
    assert "GeheimesPasswort" not in msg


def test_cli_with_unreachable_server_prints_no_traceback():
    port = _closed_port()
    env = {**os.environ, "INKO_SPARQL_QUERY_URL": f"http://127.0.0.1:{port}/query", "INKO_SPARQL_USER": "u",
           "INKO_SPARQL_PASSWORD": "GeheimesPasswort"}
    done = subprocess.run([sys.executable, "-c", "import sys; from inko_graph.cli import main; sys.exit(main())", "stats"],
                          env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "nicht erreichbar" in done.stderr and f"127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr and "GeheimesPasswort" not in done.stderr + done.stdout


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- on each server ---------------------------------------------------------------------------------

def test_build_puts_each_source_in_its_named_graph(remote, store):
    assert remote.graph_names() == store.graph_names()
    assert len(remote) == len(store)
    for g in store.graph_names():
        assert _triples(remote.quads(g)) == _triples(store.quads(g)), g
    # The union graph and no staging graph is left besides inko-graph's graphs.
    assert UNION_GRAPH not in remote.graph_names()


def _rows(df, loose: bool) -> set[tuple]:
    """Distinct rows as text. The order inside GROUP_CONCAT lists is left open by SPARQL, so their
    words are sorted; with ``loose`` (queries with SAMPLE, which may pick any value) only the first column counts."""
    def cell(v):
        if v is None or v == "" or (isinstance(v, float) and math.isnan(v)):
            return ""  # GROUP_CONCAT of nothing: "" on some servers, unbound on others
        if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", str(v)):
            return "Zeitpunkt"  # when a build read the example submissions: each build its own
        words = re.findall(r"[\w:/#.-]+", str(v))
        return " ".join(sorted(set(words)))

    rows = {tuple(cell(v) for v in row) for row in df.values.tolist()}
    return {r[:1] for r in rows} if loose else rows


#: A value for each required parameter (real graph_data/); each must give the embedded store an answer.
I = "https://w3id.org/inko/id/"
REQUIRED = {"akteur": I + "akteur/freiwilligenagentur-hattingen", "ressource": I + "hattingen/leitziel/1",
            "s": I + "hattingen/leitziel/1", "graph": GRAPH + "kuratiert", "gebiet": I + "gebiet/ennepe-ruhr-kreis",
            "vergleich": I + "gebiet/nrw", "schema": I + "vokabular/lebensphasen",
            "indikator": I + "hattingen/indikator/anteil-zuwanderungsgeschichte-0-35-jahre-obergrenze"}

def _answer(store, q, loose: bool):
    """Rows (SELECT), the truth value (ASK) or the triples (CONSTRUCT), comparable across stores."""
    from inko_graph.query.catalogue import bind_params

    params = {p.name: REQUIRED[p.name] for p in q.params if p.required}
    try:
        df = run(store, q, params)
        return list(df.columns), _rows(df, loose)
    except QueryError as e:
        if "keine SELECT-Abfrage" not in str(e):
            raise
    result = store.query(q.text, bind_params(q, params))
    if isinstance(result, (bool, ox.QueryBoolean)):
        return bool(result)
    return {tuple("_" if isinstance(x, ox.BlankNode) else str(x) for x in (t.subject, t.predicate, t.object))
            for t in result if t.predicate != _BUILD_TIME}


_EMBEDDED: dict = {}


def test_named_queries_answer_as_on_the_embedded_store(running, remote, store, settings):
    """Every named query (required parameters bound): the same answer (rows as a set) on the server
    as on the embedded store."""
    equal, differ = [], []
    for q in catalogue(settings.queries_dir):
        loose = "SAMPLE(" in q.text.upper()
        if q.name not in _EMBEDDED:  # the embedded answers once for both servers
            _EMBEDDED[q.name] = _answer(store, q, loose)
            if any(p.required for p in q.params):  # the sample values must find something
                got = _EMBEDDED[q.name]
                assert got if not isinstance(got, tuple) else got[1], q.name
        try:
            same = _answer(remote, q, loose) == _EMBEDDED[q.name]
        except InkoError as e:
            assert "Traceback" not in str(e) and running.server.query_url in str(e)
            same = False
        (equal if same else differ).append(q.name)
    assert differ == []
    assert len(equal) >= 70


def test_query_with_parameter_binds_like_the_embedded_store(remote, store, settings):
    q = catalogue(settings.queries_dir).get("lod-aussagen")
    node = next(iter(store.query("SELECT ?s WHERE { ?s a org:Organization } ORDER BY ?s LIMIT 1")))["s"]
    expected = sorted(str(tuple(r)) for r in store.query(q.text, {"ressource": node}))
    got = sorted(str(tuple(r)) for r in remote.query(q.text, {"ressource": node}))
    assert got == expected and got


def test_a_thousand_named_graphs_in_one_query(remote):
    """At 10^6 triples a query names 1 625 graphs; Virtuoso repeats each named graph of the protocol
    as a response header, more than an HTTP client reads (it gets them in the query text instead)."""
    names = [GRAPH + f"test/viele/{i:04d}" for i in range(2500)]
    assert list(remote.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=names)) == []
    rows = list(remote.query("SELECT ?g WHERE { GRAPH ?g { ?s a org:Organization } } LIMIT 1",
                             named_graphs=names + [GRAPH + "kuratiert"] + remote.graph_names()))
    assert len(rows) == 1


def test_default_graph_is_the_union_as_a_set(remote_settings):
    s = RemoteStore.from_settings(remote_settings)
    a, b = GRAPH + "test/union-a", GRAPH + "test/union-b"
    t = ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("doppelt"))
    q = f"SELECT ?o WHERE {{ <{EX}s> <{EX}p> ?o }}"
    try:
        s.replace_graphs({a: [t], b: [t]})
        assert [r["o"].value for r in s.query(q)] == ["doppelt"]  # once, though two graphs hold it
        assert {a, b} <= set(s.graph_names())
        s.replace_graphs({a: []})
        assert [r["o"].value for r in s.query(q)] == ["doppelt"]  # still in b
        assert a not in s.graph_names() and b in s.graph_names()
        s.drop_graphs([b])
        assert list(s.query(q)) == [] and b not in s.graph_names()
        # A SPARQL update as written (the write endpoint): union and list of graphs follow it.
        s.update(f"INSERT DATA {{ GRAPH <{a}> {{ <{EX}s> <{EX}p> \"neu\" }} }}")
        assert [r["o"].value for r in s.query(q)] == ["neu"] and a in s.graph_names()
    finally:
        s.drop_graphs([a, b])


def test_writes_of_another_process_change_the_generation(remote_settings, monkeypatch):
    """A running server sees a build or an import of another process (its caches follow the generation)."""
    import inko_graph.store.remote as rs

    monkeypatch.setattr(rs, "_STAMP_TTL", 0.0)
    reader, writer = RemoteStore.from_settings(remote_settings), RemoteStore.from_settings(remote_settings)
    g = GRAPH + "test/stand"
    before = reader.generation
    assert reader.generation == before  # nothing written: no change
    try:
        writer.replace_graphs({g: [ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("x"))]})
        assert reader.generation == before + 1
    finally:
        writer.drop_graphs([g])


def test_failed_write_changes_nothing(remote_settings, monkeypatch):
    s = RemoteStore.from_settings(remote_settings)
    before = (s.graph_names(), len(s))
    g = GRAPH + "test/halb"
    calls = []
    real_put = RemoteStore._put

    def failing_put(self, graph, triples):
        calls.append(graph)
        if len(calls) == 2:
            raise RemoteStoreError("Verbindung abgebrochen (Test)")
        return real_put(self, graph, triples)

    monkeypatch.setattr(RemoteStore, "_put", failing_put)
    t = ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("x"))
    with pytest.raises(RemoteStoreError):
        s.replace_graphs({g: [t], GRAPH + "kuratiert": [t]})
    monkeypatch.undo()
    assert (s.graph_names(), len(s)) == before
    leftover = s._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"urn:x-inko:neu:\")) }", "t")
    assert leftover == []


def test_failed_build_leaves_the_server_graphs(remote, remote_settings, monkeypatch):
    before = {g: _triples(remote.quads(g)) for g in remote.graph_names()}

    def failing_swap(self, operations, staged, what):
        self._drop_quietly([t for t in staged.values() if t])
        raise RemoteStoreError("Server weg (Test)")

    monkeypatch.setattr(RemoteStore, "_swap", failing_swap)
    with pytest.raises(RemoteStoreError):
        build(remote_settings)
    monkeypatch.undo()
    after = {g: _triples(remote.quads(g)) for g in remote.graph_names()}
    assert after == before


def test_bulk_quads_are_what_a_build_leaves(remote, store):
    """The quads for a server's own bulk loader (large loads, bench/bench_backends.py): the graphs,
    their union as a set and the list of graphs, as a build leaves them on the server."""
    from inko_graph.store.remote import REGISTRY_GRAPH, bulk_quads

    graphs = {g: [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(g)] for g in store.graph_names()}
    graphs[GRAPH + "test/leer"] = []  # an empty graph is not listed
    found: dict[str, list] = {}
    for q in bulk_quads(graphs, journal_seq=7):
        found.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    assert set(found) == set(store.graph_names()) | {UNION_GRAPH, REGISTRY_GRAPH}
    assert len(found[UNION_GRAPH]) == len(set(found[UNION_GRAPH])) < sum(len(ts) for ts in graphs.values())
    for name in [*store.graph_names(), UNION_GRAPH]:
        assert _triples(found[name]) == _triples(remote._graph_triples(name)), name
    stamp, journal = ox.NamedNode("urn:x-inko:stand"), ox.NamedNode("urn:x-inko:journal")
    listed = [t for t in found[REGISTRY_GRAPH] if t.predicate not in (stamp, journal)]
    assert set(listed) == {t for t in remote._graph_triples(REGISTRY_GRAPH) if t.predicate not in (stamp, journal)}
    assert [t.object.value for t in found[REGISTRY_GRAPH] if t.predicate == journal] == ["7"]
    assert [t.predicate for t in found[REGISTRY_GRAPH]].count(stamp) == 1


def test_writes_only_inko_graphs(remote):
    with pytest.raises(QueryRefused):
        remote.replace_graphs({EX + "fremd": []})


_restore_later: list[str] = []


@pytest.fixture()
def restore(remote, store):
    """Put graphs a test replaced back as built, for the tests after it."""
    yield
    while _restore_later:
        g = _restore_later.pop()
        remote.replace_graphs({g: [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(g)]})


def test_raster_import_on_the_server(running, remote, remote_settings, restore):
    """A submission of graph_data/raster imported again: its graph replaced, the union kept right."""
    from inko_graph.raster.importer import import_raster
    from inko_graph.raster.problems import RasterError

    path = PROJECT_ROOT / "graph_data" / "raster" / "2014-vhs.csv"
    before = len(remote)
    names = remote.graph_names()
    try:
        result = import_raster(path.read_bytes(), path.name, remote, remote_settings, year=2014)
    except RasterError:
        assert (remote.graph_names(), len(remote)) == (names, before)  # refused: nothing written
        raise
    _restore_later.append(result.mapped.graph)
    graph = result.mapped.graph
    assert graph in remote.graph_names() and len(remote) == before
    assert _triples(remote.quads(graph)) == {(t.subject, t.predicate, t.object) for t in result.mapped.triples
                                              if t.predicate != _BUILD_TIME}
    activity = ox.NamedNode(result.mapped.activities[0])
    assert bool(remote.query("ASK { ?a ?p ?o }", {"a": activity}))


def test_wrong_password_is_named_without_the_password(running):
    if not running.server.user:
        pytest.skip("Dieser Testserver verlangt keine Anmeldung.")
    wrong = SparqlServer(running.server.query_url, running.server.update_url, running.server.graph_store_url,
                         running.server.user, "falsch-" + running.server.password)
    with pytest.raises(RemoteStoreError) as e:
        RemoteStore(wrong).graph_names()
    assert "Anmeldung abgelehnt" in str(e.value) and running.server.query_url in str(e.value)
    assert running.server.password not in str(e.value)


# -- the endpoint -----------------------------------------------------------------------------------

class _Live(LiveServer):
    def start(self, timeout: float = 20.0):
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("Der Testserver ist nicht gestartet.")
            time.sleep(0.02)
        return self


@pytest.fixture(scope="session")
def endpoints(remote, remote_settings, store):
    from inko_graph.server import create_app

    embedded = _Live(create_app(Settings.from_env(env={}, store_path=None, max_result_rows=500), store)).start()
    served = _Live(create_app(remote_settings.with_(max_result_rows=500), remote)).start()
    yield embedded.url + "/sparql", served.url + "/sparql"
    embedded.stop()
    served.stop()


ENDPOINT_QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "SELECT ?s ?o WHERE { ?s skos:prefLabel ?o } ORDER BY ?s ?o LIMIT 50",
    "ASK { ?s a org:Organization }",
    "CONSTRUCT { ?s skos:prefLabel ?o } WHERE { ?s a skos:Concept ; skos:prefLabel ?o } ",
]


@pytest.mark.parametrize("query", ENDPOINT_QUERIES)
def test_endpoint_answers_equal(endpoints, query):
    answers = []
    for url in endpoints:
        r = httpx.post(url, data={"query": query}, headers={"Accept": "application/sparql-results+json, application/n-triples"},
                       timeout=30)
        assert r.status_code == 200, r.text
        if r.headers["content-type"].startswith("application/n-triples"):
            answers.append(sorted(r.text.splitlines()))
        else:
            data = r.json()
            answers.append(data.get("boolean", sorted(map(str, data.get("results", {}).get("bindings", [])))))
    assert answers[0] == answers[1]


def test_resource_pages_equal(endpoints, store):
    """A linked-data page (/id/…) as Turtle: the same triples from the embedded store and the server."""
    node = next(iter(store.query("SELECT ?s WHERE { ?s a org:Organization } ORDER BY ?s LIMIT 1")))["s"].value
    path = "/" + node.removeprefix("https://w3id.org/inko/")
    answers = []
    for url in endpoints:
        r = httpx.get(url.removesuffix("/sparql") + path, headers={"Accept": "text/turtle"}, timeout=30)
        assert r.status_code == 200, r.text
        answers.append({(q.subject, q.predicate, q.object) for q in ox.parse(r.content, ox.RdfFormat.TURTLE)})
    assert answers[0] == answers[1] and answers[0]


def test_endpoint_keeps_its_limits_in_front_of_the_server(endpoints):
    url = endpoints[1]
    r = httpx.post(url, data={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"},
                   timeout=60)
    assert r.status_code == 422 and "INKO_MAX_RESULT_ROWS" in r.text
    r = httpx.post(url, data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 500"},
                   headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 500
    for q in ("INSERT DATA { <http://a> <http://b> <http://c> }",
              "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"):
        r = httpx.post(url, data={"query": q}, timeout=60)
        assert r.status_code in (400, 403), q
        assert "Traceback" not in r.text


def test_endpoint_time_limit_is_the_wait_for_the_server(remote):
    """Without worker processes the time limit is the HTTP timeout of the request to the server."""
    import asyncio

    from inko_graph.errors import QueryTimeout
    from inko_graph.server.query_pool import QueryPool

    pool = QueryPool(remote, 1, 0.05)
    job = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d rdfs:label ?f FILTER(STR(?c) = STR(?f)) }",
           "base_iri": None, "union": True,
           "default_graphs": None, "named_graphs": None, "max_rows": 10,
           "formats": {"solutions": "json", "boolean": "json", "graph": "ntriples"}}

    async def ask():
        pool.start()
        return await pool.run(job)

    t0 = time.monotonic()
    with pytest.raises(QueryTimeout, match="INKO_QUERY_TIMEOUT"):
        asyncio.run(ask())
    assert time.monotonic() - t0 < 5


# -- the journal of accepted writes -------------------------------------------------------------------

def _cli(env: dict, *args: str, **extra_env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import sys; from inko_graph.cli import main; sys.exit(main())", *args],
                          env={**os.environ, **env, **extra_env}, cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=180)


def test_accepted_writes_are_journaled_and_a_rebuild_replays_them(running, remote, remote_settings, restore, tmp_path):
    """Raster import, ``inko-graph load --graph`` and a SPARQL Update on the server each become a
    journal entry; a server that lost them (restored from an older backup) gets them back from
    ``inko-graph build``, and the server's mark says which entries it holds."""
    from inko_graph.store import journal
    from inko_graph.raster.importer import import_raster

    env = {**_env(running.server), "INKO_JOURNAL": str(journal.journal_dir(remote_settings))}
    before = len(journal.entries(remote_settings))
    loaded, changed = GRAPH + "test/geladen", GRAPH + "test/geaendert"
    ttl = tmp_path / "zusatz.ttl"
    ttl.write_text(f'<{EX}s> <{EX}p> "geladen" .\n<{EX}s> <{EX}q> <{EX}o> .\n')
    done = _cli(env, "load", str(ttl), "--graph", loaded)
    assert done.returncode == 0, done.stderr
    journal.commit(remote_settings, remote, kind="sparql-update",
                   update=f'INSERT DATA {{ GRAPH <{changed}> {{ <{EX}s> <{EX}p> "geändert" }} }}')
    path = PROJECT_ROOT / "graph_data" / "raster" / "2014-vhs.csv"
    result = import_raster(path.read_bytes(), path.name, remote, remote_settings, year=2014)
    _restore_later.append(result.mapped.graph)
    new = journal.entries(remote_settings)[before:]
    assert [e.kind for e in new] == ["laden", "sparql-update", "raster"]
    assert journal.applied_seq(remote) == new[-1].seq
    expected = {g: _triples(remote.quads(g)) for g in (loaded, changed)}
    assert all(expected.values())
    try:
        remote.drop_graphs([loaded, changed])  # behind the journal's back: as if restored from a backup
        assert loaded not in remote.graph_names()
        rebuilt = build(remote_settings).store
        assert {g: _triples(rebuilt.quads(g)) for g in (loaded, changed)} == expected
        assert journal.applied_seq(rebuilt) == new[-1].seq
    finally:
        journal.commit(remote_settings, remote, drop=[loaded, changed], kind="test")
    assert loaded not in remote.graph_names() and journal.applied_seq(remote) == new[-1].seq + 1


def test_entry_of_a_killed_writer_is_applied_at_the_next_opening(running, remote, remote_settings, tmp_path):
    """``inko-graph load`` killed after its entry was on disk and before the server had it: the
    next program that opens the store applies it (and only once)."""
    from inko_graph.store import journal
    from inko_graph.load.build import ensure_built

    folder = journal.journal_dir(remote_settings)
    env = {**_env(running.server), "INKO_JOURNAL": str(folder)}
    graph = GRAPH + "test/abgebrochen"
    ttl = tmp_path / "abgebrochen.ttl"
    ttl.write_text(f'<{EX}s> <{EX}p> "abgebrochen" .\n')
    seq = journal.applied_seq(remote)
    done = _cli(env, "load", str(ttl), "--graph", graph, INKO_TEST_KILL_AT="journal.nach-umbenennen")
    assert done.returncode != 0
    assert journal.entries(remote_settings)[-1].seq == seq + 1
    assert graph not in remote.graph_names() and journal.applied_seq(remote) == seq
    try:
        store = ensure_built(remote_settings)
        assert graph in store.graph_names() and journal.applied_seq(store) == seq + 1
        assert journal.catch_up(remote_settings, store) == 0
    finally:
        journal.commit(remote_settings, remote, drop=[graph], kind="test")
