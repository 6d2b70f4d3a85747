"""Benchmark of the store backends: the named queries and the SPARQL endpoint on the embedded store,
on an Oxigraph server (on disk) and on Virtuoso, each beside the server's own time for the same
request (direct HTTP to the server, the answer received but not read further).

    .venv/bin/python bench/bench_backends.py [--sizes 100000 1000000] [--repeat 5] [--budget 10]
                                            [--server oxigraph virtuoso] [--abfragen NAME ...]
                                            [--laden bulk|protokoll]

Data: bench/synthetic.py (the shape of graph_data/). ``--laden bulk`` (default): the quads a build
leaves on the server (``remote.bulk_quads``: the graphs, their union, the list of graphs) as one
N-Quads file, loaded with the server's own bulk loader before the first request (``oxigraph load``;
Virtuoso's ``ld_dir``/``rdf_loader_run``); ``--laden protokoll``: through inko-graph's own build
path (``RemoteStore.replace_all``: staging graphs, one swap request; at 10^6 triples more than 40
minutes on a loaded machine). The load time is printed too. Per query, wall-clock medians in
milliseconds:

* ``API``: ``queries.run`` on the store (parameters, request, parsing into pyoxigraph terms, DataFrame),
  wall clock and the processor time of this process (what inko-graph itself computes);
* ``Server``: the very request inko-graph sent (recorded, then sent again straight to the server:
  the query after the PREFIX lines, parameters as VALUES, ``default-graph-uri`` = the union graph,
  the graphs as ``named-graph-uri`` if the query names graphs, the same ``Accept``);
* ``Endpunkt``: POST to inko-graph's ``/sparql`` (a separate ``inko-graph serve`` process, answer
  cache off), JSON results, against the server's own time for that query.

API (or endpoint) and server run in turns, so that both meet the same load of a shared machine.
Before each measurement ``--aufwaermen`` runs (default 1) are not counted: the first request after
loading finds the server's pages and inko-graph's list of graphs cold, the replay would not.

Overhead = API / Server and Endpunkt / Server; the aim is below 1.5. Runs only what is installed
(Virtuoso: Debian's virtuoso-opensource; Oxigraph: ``pip install oxigraph``).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_queries import QUERIES, params_for  # noqa: E402

ENDPOINT_QUERIES = {
    "alle-tripel-zaehlen": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "graphen": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "bezeichnungen-1000": "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l } ORDER BY ?l LIMIT 1000",
}


def synthetic_graphs(size: int) -> dict:
    import pyoxigraph as ox
    import synthetic

    with tempfile.NamedTemporaryFile("w", suffix=".nq", delete=False, encoding="utf-8") as fh:
        synthetic.generate(fh, size)
    graphs: dict = {}
    for q in ox.parse(path=fh.name, format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    os.unlink(fh.name)
    return graphs


def bulk_file(graphs: dict, folder: str) -> Path:
    """The N-Quads file the servers' bulk loaders read (see the module docstring)."""
    import pyoxigraph as ox

    from inko_graph.store.remote import bulk_quads

    path = Path(folder, "daten.nq")
    with path.open("wb") as fh:
        ox.serialize(bulk_quads(graphs), fh, ox.RdfFormat.N_QUADS)
    return path


def timed(fn, repeat: int, budget: float) -> tuple[float, object]:
    times, out, used = [], None, 0.0
    while len(times) < repeat and (not times or used < budget):
        t0 = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t0
        times.append(dt)
        used += dt
    return statistics.median(times) * 1000, out


def paired(api, server, repeat: int, budget: float) -> tuple[float, float, float, object]:
    """Medians (ms) of ``api`` (wall clock and this process's processor time) and ``server``,
    run in turns, so that both meet the same load of a shared machine; the last ``api`` result."""
    walls, cpus, srv, out, used = [], [], [], None, 0.0
    while len(walls) < repeat and (not walls or used < budget):
        t0, c0 = time.perf_counter(), time.process_time()
        out = api()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        t1 = time.perf_counter()
        server()
        srv.append(time.perf_counter() - t1)
        used += walls[-1] + srv[-1]
    return (statistics.median(walls) * 1000, statistics.median(cpus) * 1000, statistics.median(srv) * 1000, out)


def direct(store, text: str, accept: str | None = None, timeout: float = 300.0):
    """The request inko-graph would send for ``text`` (union default graph), straight to the server."""
    from inko_graph.store.remote_protocol import _prologue, _uses_graph
    from inko_graph.store.remote import _RESULTS_ACCEPT, UNION_GRAPH

    params = [("query", _prologue(None) + text), ("default-graph-uri", UNION_GRAPH)]
    if _uses_graph(text):  # as inko-graph sends it: the named graphs only for a query with GRAPH
        params += [("named-graph-uri", g) for g in store._graph_list()]
    if store._virtuoso:  # as inko-graph sends it to Virtuoso (remote_virtuoso.with_dataset)
        from inko_graph.store.remote_virtuoso import with_dataset

        params = [("query", with_dataset(params[0][1], params[1:]))]
    body = urlencode(params)
    headers = {"Accept": accept or _RESULTS_ACCEPT, "Content-Type": "application/x-www-form-urlencoded"}

    def go():
        r = store._client.post(store.server.query_url, content=body, headers=headers, timeout=timeout)
        r.raise_for_status()
        return r.content

    return go


def _spy(store) -> dict:
    """Remember the body and Accept of the last query request the store sent (to send it again)."""
    sent: dict = {}
    real = store._send

    def send(method, url, what, **kw):
        if what == "Abfrage":
            sent.update(content=kw.get("content"), headers=dict(kw.get("headers") or {}))
        return real(method, url, what, **kw)

    store._send = send
    return sent


def replay(store, sent: dict, timeout: float = 300.0):
    """Exactly the last query request of the store, straight to the server."""
    body, headers = sent["content"], sent["headers"]

    def go():
        r = store._client.post(store.server.query_url, content=body, headers=headers, timeout=timeout)
        r.raise_for_status()
        return r.content

    return go


def start_endpoint(server, port: int):
    env = {**os.environ, "INKO_SPARQL_QUERY_URL": server.query_url, "INKO_SPARQL_UPDATE_URL": server.update_url,
           "INKO_QUERY_CACHE_BYTES": "0", "INKO_QUERY_TIMEOUT": "300", "INKO_MAX_RESULT_ROWS": "10000000"}
    if server.graph_store_url:
        env["INKO_GRAPH_STORE_URL"] = server.graph_store_url
    if server.user:
        env["INKO_SPARQL_USER"], env["INKO_SPARQL_PASSWORD"] = server.user, server.password
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from inko_graph.cli import main; sys.exit(main())",
                             "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.post(f"http://127.0.0.1:{port}/sparql", data={"query": "ASK {}"}, timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("inko-graph serve wurde nicht bereit.")


def bench_server(name: str, size: int, graphs: dict, args, rows: list, nquads: Path | None = None) -> None:
    import httpx

    from inko_graph.query.catalogue import run
    from inko_graph.raster.vocab import catalogue
    from inko_graph.store.remote import RemoteStore
    from remote_servers import free_port, start_oxigraph, start_virtuoso

    # Oxigraph on disk, as deployed; Virtuoso with a time limit that lets the build's swap finish
    # and a page cache for a million triples and their union (800 MB).
    t0 = time.perf_counter()
    running = (start_oxigraph(on_disk=True, preload=nquads) if name == "oxigraph"
               else start_virtuoso(max_seconds=3600, preload=nquads, buffers=100_000))
    try:
        store = RemoteStore(running.server, timeout=600)
        if nquads is None:
            t0 = time.perf_counter()
            store.replace_all(graphs)
            rows.append((size, name, "(laden: replace_all)", f"{(time.perf_counter() - t0) * 1000:.0f}", "", "", "", ""))
        else:
            loader = "oxigraph load" if name == "oxigraph" else "rdf_loader_run"
            rows.append((size, name, f"(laden: {loader}, mit Start)", f"{(time.perf_counter() - t0) * 1000:.0f}", "", "", "", ""))
        cat = catalogue(ROOT / "queries")
        sent = _spy(store)
        for qname in args.abfragen or QUERIES:
            q = cat.get(qname)
            params = params_for(store, qname)
            if q.meta.get("berechnet"):
                continue  # computed in Python from another query's rows: no single server request
            try:
                for _ in range(args.aufwaermen):  # caches of both (list of graphs, server's pages) warm
                    run(store, q, params)
                api_ms, cpu_ms, srv_ms, df = paired(lambda: run(store, q, params), replay(store, sent),
                                                    args.repeat, args.budget)
            except Exception as e:  # a server's own error (Virtuoso) is a result of the benchmark
                rows.append((size, name, qname, "Fehler", "", "", str(e).split("(")[0][:60], ""))
                continue
            rows.append((size, name, qname, f"{api_ms:.1f}", f"{srv_ms:.1f}", f"{api_ms / srv_ms:.2f}", str(len(df)),
                         f"{cpu_ms:.1f}"))
        port = free_port()
        proc = start_endpoint(running.server, port)
        try:
            client = httpx.Client(timeout=600)
            for qname, text in ENDPOINT_QUERIES.items():
                def via_endpoint():
                    r = client.post(f"http://127.0.0.1:{port}/sparql", data={"query": text},
                                    headers={"Accept": "application/sparql-results+json"})
                    r.raise_for_status()
                    return r.content

                for _ in range(args.aufwaermen):
                    via_endpoint()
                ep_ms, _, srv_ms, _ = paired(via_endpoint, direct(store, text, "application/sparql-results+json"),
                                             args.repeat, args.budget)
                rows.append((size, name, f"/sparql {qname}", f"{ep_ms:.1f}", f"{srv_ms:.1f}", f"{ep_ms / srv_ms:.2f}", "", ""))
        finally:
            proc.terminate()
            proc.wait(10)
        store.close()
    finally:
        running.stop()


def bench_embedded(size: int, graphs: dict, args, rows: list) -> None:
    import pyoxigraph as ox

    from inko_graph.query.catalogue import run
    from inko_graph.raster.vocab import catalogue
    from inko_graph.store import OxigraphStore

    store = OxigraphStore.memory()
    store.load_quads(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, ts in graphs.items() for t in ts)
    cat = catalogue(ROOT / "queries")
    for qname in args.abfragen or QUERIES:
        q = cat.get(qname)
        params = params_for(store, qname)
        ms, df = timed(lambda: run(store, q, params), args.repeat, args.budget)
        rows.append((size, "eingebettet", qname, f"{ms:.1f}", "", "", str(len(df)), ""))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benannte Abfragen und Endpunkt auf dem eingebetteten Speicher und auf SPARQL-Servern.")
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000], help="Größen der synthetischen Graphen")
    ap.add_argument("--server", nargs="*", default=["oxigraph", "virtuoso"], help="oxigraph, virtuoso")
    ap.add_argument("--repeat", type=int, default=5, help="Wiederholungen je Messung (Median)")
    ap.add_argument("--budget", type=float, default=10.0, help="Sekunden je Messung, nach denen nicht mehr wiederholt wird")
    ap.add_argument("--abfragen", nargs="*", help="nur diese benannten Abfragen")
    ap.add_argument("--ohne-eingebettet", dest="ohne_eingebettet", action="store_true")
    ap.add_argument("--aufwaermen", type=int, default=1, help="ungemessene Läufe vor jeder Messung")
    ap.add_argument("--laden", choices=["bulk", "protokoll"], default="bulk",
                    help="bulk: mit dem Ladeprogramm des Servers vor dem Start; protokoll: über inko-graph (replace_all)")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: the servers and temporary files go too
    os.environ.setdefault("INKO_REQUIRE_SERVERS", "1")  # a server that cannot start ends the benchmark
    print("| Tripel | Speicher | Abfrage | inko-graph ms | Server ms | Faktor | Zeilen | inko-graph Prozessor ms |")
    print("|---:|---|---|---:|---:|---:|---:|---:|", flush=True)
    rows = _Printed()
    for size in args.sizes:
        graphs = synthetic_graphs(size)
        print(f"{size}: {sum(len(t) for t in graphs.values())} Tripel in {len(graphs)} Graphen", file=sys.stderr)
        if not args.ohne_eingebettet:
            bench_embedded(size, graphs, args, rows)
        with tempfile.TemporaryDirectory(prefix="inko-bench-") as folder:
            nquads = bulk_file(graphs, folder) if args.server and args.laden == "bulk" else None
            for name in args.server:
                try:
                    bench_server(name, size, graphs, args, rows, nquads)
                except BaseException as e:  # a server's own limit or one that did not start: say so, go on
                    if isinstance(e, (KeyboardInterrupt, SystemExit)):
                        raise
                    rows.append((size, name, "abgebrochen", "", "", "", " ".join(str(e).split())[:200], ""))
    return 0


class _Printed(list):
    """Rows printed as they come, so that a long run shows its figures at once."""

    def append(self, row) -> None:
        super().append(row)
        print("| " + " | ".join(str(c) for c in row) + " |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
