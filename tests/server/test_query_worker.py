"""The query worker's answers: short ones in the reply, long ones through the spill folder row by row,
too long ones refused whole (never a silent part)."""

from __future__ import annotations

import json
import os
import tracemalloc

import pyoxigraph as ox
import pytest

from inko_graph.server import query_worker
from inko_graph.store import OxigraphStore

N = 30_000


@pytest.fixture(scope="module")
def big():
    store = OxigraphStore.memory()
    p = ox.NamedNode("http://example.org/p")
    store.load_quads(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, ox.Literal(f"Wert {i}"),
                             ox.NamedNode("http://example.org/g")) for i in range(N))
    return store.inner


def _job(query, fmt_kind, fmt, tmp_path, **kw):
    job = {"query": query, "base_iri": None, "union": True, "formats": {fmt_kind: fmt},
           "max_rows": 1_000_000, "spill_dir": None if tmp_path is None else str(tmp_path)}
    job.update(kw)
    return job


def test_a_short_answer_travels_in_the_reply(big, tmp_path):
    reply = query_worker.execute(big, _job("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10", "solutions", "json", tmp_path))
    assert reply[0] == "ok" and isinstance(reply[3], bytes) and reply[4] == 10 and reply[5] is False
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_a_long_answer_goes_whole_through_the_spill_folder(big, tmp_path, fmt):
    reply = query_worker.execute(big, _job("SELECT ?s ?o WHERE { ?s ?p ?o }", "solutions", fmt, tmp_path,
                                           spill_rows=1000))
    status, kind, got_fmt, body, rows, truncated = reply
    assert (status, kind, got_fmt, rows, truncated) == ("ok", "solutions", fmt, N, False)
    assert body[0] == "datei" and os.path.dirname(body[1]) == str(tmp_path)
    data = open(body[1], "rb").read()
    # The file is the same text as the whole answer written in memory.
    whole = query_worker.execute(big, _job("SELECT ?s ?o WHERE { ?s ?p ?o }", "solutions", fmt, tmp_path,
                                           spill_rows=N + 1))
    assert isinstance(whole[3], bytes) and data == whole[3]
    if fmt == "json":
        assert len(json.loads(data)["results"]["bindings"]) == N


def test_a_long_graph_answer_goes_through_the_spill_folder(big, tmp_path):
    reply = query_worker.execute(big, _job("CONSTRUCT WHERE { ?s ?p ?o }", "graph", "ntriples", tmp_path, spill_rows=500))
    assert reply[0] == "ok" and reply[3][0] == "datei" and reply[4] == N
    assert len(list(ox.parse(path=reply[3][1], format=ox.RdfFormat.N_TRIPLES))) == N


@pytest.mark.parametrize("query,kind,fmt", [("SELECT * WHERE { ?s ?p ?o }", "solutions", "json"),
                                            ("CONSTRUCT WHERE { ?s ?p ?o }", "graph", "turtle")])
def test_an_answer_over_the_limit_is_refused_and_leaves_no_file(big, tmp_path, query, kind, fmt):
    assert query_worker.execute(big, _job(query, kind, fmt, tmp_path, max_rows=N - 1, spill_rows=100)) == ("too_many", N - 1)
    assert os.listdir(tmp_path) == []
    # Without a spill folder the limit is the reply's own.
    assert query_worker.execute(big, _job(query, kind, fmt, None, max_rows=N - 1)) == ("too_many", N - 1)
    # Exactly at the limit: whole.
    assert query_worker.execute(big, _job(query, kind, fmt, tmp_path, max_rows=N, spill_rows=100))[4] == N


def test_the_results_page_gets_the_first_rows_and_the_cut(big, tmp_path):
    reply = query_worker.execute(big, _job("SELECT * WHERE { ?s ?p ?o }", "solutions", "json", tmp_path,
                                           max_rows=100, truncate=True))
    assert reply[0] == "ok" and reply[4] == 100 and reply[5] is True and isinstance(reply[3], bytes)


def test_memory_stays_flat_while_a_long_answer_is_written(big, tmp_path):
    """Python's own allocations while 30,000 rows are written stay far below what holding them takes
    (a list of 30,000 row tuples with their terms is several MB)."""
    job = _job("SELECT ?s ?o WHERE { ?s ?p ?o }", "solutions", "json", tmp_path, spill_rows=1000)
    tracemalloc.start()
    try:
        reply = query_worker.execute(big, job)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reply[4] == N
    assert peak < 1_500_000, peak
    # The same answer held in memory (the reply of a short answer) is far above that.
    tracemalloc.start()
    try:
        whole = query_worker.execute(big, {**job, "spill_rows": N + 1})
        _, held_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert whole[4] == N and held_peak > 4 * peak, (held_peak, peak)
