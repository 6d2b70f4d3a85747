"""Benchmark of the HTTP server against rdflib-endpoint and the Oxigraph server, on the same data.

    .venv/bin/python bench/bench_server.py [--tripel 100000] [--sekunden 8] [--anfragen 3000]
                                             [--verbindungen 4] [--ohne rdflib] [--echt DATEI.nq]

Workloads, each on the real graph and on a synthetic graph of ``--tripel`` triples:
  (a) "Wer dient welchem Ziel?" (queries/wer-dient-welchem-ziel.rq) for the actor with the most
      rows, sent as SPARQL over HTTP (the actor bound by a VALUES block at the start of WHERE);
  (b) one resource, the goal that actor serves most often: on inko-graph its HTML page (/id/…),
      elsewhere DESCRIBE of the same IRI (inko-graph's own DESCRIBE is measured too).
Every server runs alone on 127.0.0.1 in its own process, with its defaults; inko-graph with all
its checks and limits on (time limit, row limit, SERVICE/LOAD refusal, two query workers). The
client keeps ``--verbindungen`` connections busy and stops after ``--anfragen`` requests or
``--sekunden`` seconds, whichever comes first. Only loopback traffic. Needs the optional
dependencies ``pip install rdflib-endpoint oxigraph`` (``.[bench]``); a missing one is skipped.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BIN = Path(sys.executable).parent


# -- data -----------------------------------------------------------------------------------------

def real_quads_file(tmp: Path) -> Path:
    """The real graph as N-Quads: the built store of var/store if there is one, else a fresh build."""
    from inko_graph.load.build import ensure_built
    from inko_graph.settings import Settings

    store = ensure_built(Settings.from_env())
    path = tmp / "echt.nq"
    path.write_bytes(store.dump("nquads"))
    return path


def synthetic_quads_file(tmp: Path, real: Path, triples: int) -> Path:
    """``triples`` quads of the same shape: bench/synthetic.py if present, else copies of the real
    graph with the resources (not the vocabularies and the ontology) renamed per copy."""
    path = tmp / f"synthetisch-{triples}.nq"
    try:
        import synthetic  # bench/synthetic.py

        with contextlib.redirect_stdout(sys.stderr):
            synthetic.main(["--triples", str(triples), "-o", str(path)])
        return path
    except ImportError:
        pass
    import pyoxigraph as ox

    quads = list(ox.parse(path=str(real), format=ox.RdfFormat.N_QUADS))
    keep = ("https://w3id.org/inko/id/vokabular/", "https://w3id.org/inko/id/gebiet/")
    ids = "https://w3id.org/inko/id/"
    graphs = "https://w3id.org/inko/graph/quelle"

    def rename(term, k):
        if isinstance(term, ox.NamedNode) and term.value.startswith(ids) and not term.value.startswith(keep):
            return ox.NamedNode(ids + f"kopie-{k}/" + term.value[len(ids):])
        return term

    out = list(quads)
    k = 1
    while len(out) < triples:
        for q in quads:
            g = q.graph_name
            if isinstance(g, ox.NamedNode) and g.value.startswith(graphs):
                g = ox.NamedNode(f"{g.value}-kopie-{k}")
            elif isinstance(g, ox.NamedNode):
                continue  # vocabularies, ontology, meta: once
            out.append(ox.Quad(rename(q.subject, k), q.predicate, rename(q.object, k), g))
            if len(out) >= triples:
                break
        k += 1
    path.write_bytes(ox.serialize(out, format=ox.RdfFormat.N_QUADS))
    return path


def prefixes() -> str:
    from inko_graph.namespaces import PREFIXES

    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def workload(data: Path) -> tuple[str, str, str]:
    """(query for one actor, IRI of a resource, the actor) for the data in ``data``."""
    import pyoxigraph as ox

    from inko_graph.namespaces import PREFIXES
    from inko_graph.query.catalogue import parse_query_file

    store = ox.Store()
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    q = parse_query_file(ROOT / "queries" / "wer-dient-welchem-ziel.rq")
    counts: dict[str, int] = {}
    goals: dict[str, dict[str, int]] = {}
    for sol in store.query(q.text, prefixes=PREFIXES, use_default_graph_as_union=True):
        if sol["akteur"] is not None:
            a = sol["akteur"].value
            counts[a] = counts.get(a, 0) + 1
            per = goals.setdefault(a, {})
            per[sol["ziel"].value] = per.get(sol["ziel"].value, 0) + 1
    if not counts:
        raise SystemExit("Die Daten haben keine Zeilen für 'Wer dient welchem Ziel?'.")
    actor = max(counts, key=counts.get)
    # The page of the goal this actor serves most often.
    resource = max(goals[actor], key=goals[actor].get)
    # Bind the actor for every server alike: a VALUES block as the first part of the WHERE group.
    text = q.text
    where = text.index("WHERE {") + len("WHERE {")
    bound = text[:where] + f"\n  VALUES ?akteur {{ {ox.NamedNode(actor)} }}" + text[where:]
    return prefixes() + bound, resource, actor


# -- servers --------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, cmd: list[str], port: int, sparql_path: str, env=None):
        self.name, self.cmd, self.port, self.sparql_path = name, cmd, port, sparql_path
        self.env = env
        self.proc = None

    def start(self, ready_timeout: float = 300) -> None:
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=self.env)
        deadline = time.monotonic() + ready_timeout
        import urllib.request

        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} endete beim Start: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                url = f"http://127.0.0.1:{self.port}{self.sparql_path}?query=" + quote("ASK {}")
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} wurde nicht bereit.")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def inko_server(data: Path, cache: bool = True) -> Server:
    port = free_port()
    name = "inko-graph" if cache else "inko-graph ohne Zwischenspeicher"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--serve-inko", str(data), str(port)]
    return Server(name, cmd + ([] if cache else ["--ohne-zwischenspeicher"]), port, "/sparql")


def oxigraph_server(data: Path) -> Server | None:
    exe = shutil.which("oxigraph", path=str(BIN) + os.pathsep + os.environ.get("PATH", ""))
    if not exe:
        return None
    port = free_port()
    srv = Server("Oxigraph-Server (im Arbeitsspeicher)",
                 [exe, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"], port, "/query")
    srv.data = data
    return srv


def rdflib_server(data: Path) -> Server | None:
    exe = shutil.which("rdflib-endpoint", path=str(BIN) + os.pathsep + os.environ.get("PATH", ""))
    if not exe:
        return None
    port = free_port()
    return Server("rdflib-endpoint", [exe, "serve", str(data), "--host", "127.0.0.1", "--port", str(port)],
                  port, "/")


def load_oxigraph(srv: Server) -> None:
    import urllib.request

    req = urllib.request.Request(f"http://127.0.0.1:{srv.port}/store", data=srv.data.read_bytes(), method="POST",
                                 headers={"Content-Type": "application/n-quads"})
    with urllib.request.urlopen(req, timeout=600) as r:
        assert r.status in (200, 201, 204), r.status


def serve_inko(data: str, port: int, cache: bool) -> None:
    """Run inko-graph's server on ``data`` (N-Quads), in memory, with its default settings."""
    import pyoxigraph as ox
    import uvicorn

    from inko_graph.server import create_app
    from inko_graph.settings import Settings
    from inko_graph.store import OxigraphStore

    store = OxigraphStore.memory()
    store.inner.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
    env = {} if cache else {"INKO_QUERY_CACHE_BYTES": "0"}
    app = create_app(Settings.from_env(env=env, store_path=None), store)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", proxy_headers=False)  # as `inko-graph serve`


# -- the client -----------------------------------------------------------------------------------

async def _read_response(reader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = bytearray()
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return status, bytes(body)
            body += await reader.readexactly(size)
            await reader.readexactly(2)
    raise RuntimeError("Antwort ohne Länge")


async def _run(port: int, request: bytes, n_max: int, seconds: float, connections: int, timeout: float):
    latencies: list[float] = []
    failures = 0
    issued = 0
    deadline = time.perf_counter() + seconds

    async def worker():
        nonlocal issued, failures
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while issued < n_max and time.perf_counter() < deadline:
                issued += 1
                t0 = time.perf_counter()
                writer.write(request)
                try:
                    status, _ = await asyncio.wait_for(_read_response(reader), timeout=timeout)
                except TimeoutError:
                    failures += 1
                    return  # this connection is stuck; the measurement ends for it
                if status == 200:
                    latencies.append(time.perf_counter() - t0)
                else:
                    failures += 1
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return latencies, failures, time.perf_counter() - t0


def http_request(port: int, path: str, accept: str, query: str | None) -> bytes:
    """A GET for a page, or a POST of a query as application/sparql-query (fits every server's limits)."""
    if query is None:
        return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: {accept}\r\n"
                "Connection: keep-alive\r\n\r\n").encode()
    body = query.encode("utf-8")
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: {accept}\r\n"
            f"Content-Type: application/sparql-query\r\nContent-Length: {len(body)}\r\n"
            "Connection: keep-alive\r\n\r\n").encode() + body


REQUEST_TIMEOUT = 120.0


def measure(port: int, path: str, accept: str, query: str | None, n_max: int, seconds: float,
            connections: int, warm_up: bool = True, timeout: float = REQUEST_TIMEOUT) -> dict:
    request = http_request(port, path, accept, query)
    if warm_up:
        asyncio.run(_run(port, request, max(8, n_max // 20), min(2.0, seconds / 4), connections, timeout))
    latencies, failures, wall = asyncio.run(_run(port, request, n_max, seconds, connections, timeout))
    latencies.sort()
    if not latencies:
        return {"n": 0, "failures": failures}
    return {"n": len(latencies), "failures": failures, "p50": statistics.median(latencies) * 1000,
            "p95": latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] * 1000,
            "rps": len(latencies) / wall}


def first_answer(port: int, path: str, accept: str, query: str) -> bytes:
    import urllib.request

    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=query.encode("utf-8"), method="POST",
                                 headers={"Accept": accept, "Content-Type": "application/sparql-query"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return r.read()


# -- main -----------------------------------------------------------------------------------------

def bench_dataset(label: str, data: Path, args, rows: list) -> None:
    query, resource, actor = workload(data)
    describe = prefixes() + f"DESCRIBE <{resource}>"
    servers = [inko_server(data), inko_server(data, cache=False)]
    if "oxigraph" not in args.ohne:
        servers.append(oxigraph_server(data))
    if "rdflib" not in args.ohne:
        servers.append(rdflib_server(data))
    for srv in servers:
        if srv is None:
            continue
        t0 = time.perf_counter()
        srv.start()
        if srv.sparql_path == "/query":
            load_oxigraph(srv)
        start_s = time.perf_counter() - t0
        try:
            t1 = time.perf_counter()
            answer = json.loads(first_answer(srv.port, srv.sparql_path, "application/sparql-results+json", query))
            first_s = time.perf_counter() - t1
            n_rows = len(answer["results"]["bindings"])
            print(f"  {srv.name}: bereit nach {start_s:.1f} s; {n_rows} Zeilen in {first_s:.2f} s",
                  file=sys.stderr, flush=True)
            # A server that needs seconds per answer: no warm-up, one connection (its answers would only
            # queue behind each other), and time enough for a few answers.
            slow = first_s > 2.5
            jobs = [("(a) Wer dient welchem Ziel?, ein Akteur", srv.sparql_path, "application/sparql-results+json",
                     query, n_rows)]
            if srv.name.startswith("inko-graph"):
                jobs.append(("(b) Ressource als HTML-Seite", "/" + resource.split("/inko/", 1)[1], "text/html",
                             None, None))
            jobs.append(("(b) Ressource als DESCRIBE (Turtle)", srv.sparql_path, "text/turtle", describe, None))
            for name, path, accept, body, n in jobs:
                m = measure(srv.port, path, accept, body, args.anfragen, args.sekunden,
                            1 if slow else args.verbindungen, warm_up=not slow,
                            timeout=max(REQUEST_TIMEOUT, 3 * first_s) if slow else REQUEST_TIMEOUT)
                rows.append({"daten": label, "aufgabe": name, "server": srv.name + (" (1 Verbindung)" if slow else ""),
                             "zeilen": n, "start": start_s, **m})
                print(f"  {label} | {name} | {srv.name}: {m}", file=sys.stderr, flush=True)
        finally:
            srv.stop()


def table(rows: list) -> str:
    inko = ("inko-graph", "inko-graph ohne Zwischenspeicher")
    out = ["| Daten | Aufgabe | Server | p50 (ms) | p95 (ms) | Anfragen/s | inko-graph ÷ dieser | "
           "ohne Zwischenspeicher ÷ dieser |",
           "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        if r["n"] == 0:
            out.append(f"| {r['daten']} | {r['aufgabe']} | {r['server']} | – | – | 0 (keine Antwort) | | |")
            continue
        ratios = []
        for name in inko:
            # Like for like: the same task on inko-graph (its DESCRIBE for the others' DESCRIBE).
            ref = next((x for x in rows if x["daten"] == r["daten"] and x["server"] == name
                        and x["aufgabe"] == r["aufgabe"] and x.get("rps")), None)
            ratio = ref["rps"] / r["rps"] if ref and r["server"] not in inko else None
            ratios.append("" if ratio is None else (f"{ratio:.2f}" if ratio < 100 else f"{ratio:.0f}"))
        rps = f"{r['rps']:.0f}" if r["rps"] >= 10 else f"{r['rps']:.2f}"
        out.append(f"| {r['daten']} | {r['aufgabe']} | {r['server']} | {r['p50']:.1f} | {r['p95']:.1f} | "
                   f"{rps} | {ratios[0]} | {ratios[1]} |")
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tripel", type=int, default=100_000, help="Größe der synthetischen Daten (0: keine)")
    p.add_argument("--sekunden", type=float, default=8.0, help="höchstens so lange je Messung")
    p.add_argument("--anfragen", type=int, default=3000, help="höchstens so viele Anfragen je Messung")
    p.add_argument("--verbindungen", type=int, default=4, help="gleichzeitige Verbindungen des Clients")
    p.add_argument("--echt", type=Path, metavar="NQ",
                   help="die echten Daten aus dieser N-Quads-Datei statt aus dem gebauten Speicher")
    p.add_argument("--ohne", nargs="*", default=[], choices=["rdflib", "oxigraph"], help="diese Server auslassen")
    p.add_argument("--serve-inko", nargs=2, metavar=("DATEN", "PORT"), help=argparse.SUPPRESS)
    p.add_argument("--ohne-zwischenspeicher", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve_inko:
        serve_inko(args.serve_inko[0], int(args.serve_inko[1]), not args.ohne_zwischenspeicher)
        return 0
    rows: list = []
    with tempfile.TemporaryDirectory(prefix="inko-bench-") as tmp:
        tmp = Path(tmp)
        real = args.echt or real_quads_file(tmp)
        import pyoxigraph as ox

        n_real = sum(1 for _ in ox.parse(path=str(real), format=ox.RdfFormat.N_QUADS))
        bench_dataset(f"echt ({n_real} Quads)", real, args, rows)
        if args.tripel:
            synth = synthetic_quads_file(tmp, real, args.tripel)
            bench_dataset(f"synthetisch ({args.tripel} Quads)", synth, args, rows)
    print(table(rows))
    print(f"\n{os.cpu_count()} Kerne; Client und Server auf demselben Rechner; {args.verbindungen} Verbindungen; "
          f"je Messung höchstens {args.anfragen} Anfragen oder {args.sekunden:g} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
