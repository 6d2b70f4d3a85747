"""How the costs grow with size: one table, with the peers measured in the same run on the same data.

    .venv/bin/python bench/bench_scale.py [--sizes 10000 100000 1000000] [--sekunden 6] [--ohne rdflib ...]

Data: the real graph (``echt``) and synthetic graphs of the real shape (inko_graph/load/synth.py, one
town per concept, so that one town, actor or goal has an answer of the real size), each written
once as an N-Quads file. For each size:

- Laden: the file into a database on disk, each system with its own bulk loader: ``inko-graph
  load --ganz`` (in this process), raw pyoxigraph ``Store.bulk_load``, the Oxigraph server's
  ``oxigraph load``, and rdflib's memory store (``Dataset.parse``; rdflib has no store on disk).
- Abfrage NAME (PARAM): every parameterised named query of the catalogue with one parameter
  bound to a value of the data, through inko-graph's API (``queries.run``: the bound value leads,
  rows into a DataFrame); the ratio is to raw pyoxigraph running the same text and reading the
  values (the limit). "Wer dient welchem Ziel? (akteur)" is also run without the focus and on
  rdflib's memory store (same text, same binding). A query that the next smaller size says would
  take longer than --abfrage-grenze runs once in a process of its own, stopped at that limit.
- Liste: page 1 and 2 of "Wer dient welchem Ziel?" without parameters (paged over the goals)
  beside the whole sorted table cut after 100 rows (what a page cost before).
- Endpunkt: "Wer dient welchem Ziel?" for one actor as SPARQL over HTTP, 10 clients at once:
  ``inko-graph serve`` and ``oxigraph serve`` on the databases their loaders wrote (inko-graph
  with and without its answer cache), rdflib-endpoint on the file; p50 and p99.
- Validierung einer Meldung: one Raster submission against its neighbourhood (graphcheck), and
  again from the cache.

Medians in milliseconds (seconds where marked): CPU time of this process for the queries, pages
and the validation (they run in this thread), wall-clock time for loading and at the endpoint.
rdflib up to --rdflib-bis triples, rdflib-endpoint up to --rdflib-endpoint-bis (beyond, each of
their steps takes minutes). Needs the ``bench`` extra (rdflib-endpoint, oxigraph); a missing peer
is left out. At the end: which aims of the project are met, and how long the run took.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pyoxigraph as ox  # noqa: E402

from scale_table import HEADLINE, PAGED, aims, de, table  # noqa: E402

#: Queries and validation run in this thread: their CPU time is what they cost, and a machine
#: shared with other work disturbs it much less than the wall clock.
CPU = time.process_time
SAMPLES = {
    "akteur": "SELECT ?x WHERE { ?v inko:zustaendig ?x } ORDER BY ?x LIMIT 1",
    "vorhaben": "SELECT ?x WHERE { ?x inko:dient ?z } ORDER BY ?x LIMIT 1",
    "ziel": "SELECT ?x WHERE { ?v inko:dient ?x } ORDER BY ?x LIMIT 1",
    "konzept": "SELECT ?x WHERE { ?x a inko:Konzept } ORDER BY ?x LIMIT 1",
    "handlungsfeld": "SELECT ?x WHERE { ?x a inko:Handlungsfeld } ORDER BY ?x LIMIT 1",
    "lebensphase": "SELECT ?x WHERE { ?v inko:lebensphase ?x } ORDER BY ?x LIMIT 1",
    "gebiet": "SELECT ?x WHERE { ?c a inko:Konzept ; inko:gebiet ?x } ORDER BY ?x LIMIT 1",
    "akteursart": "SELECT ?x WHERE { ?a inko:akteursart ?x } ORDER BY ?x LIMIT 1",
    "zustaendig": "SELECT ?x WHERE { ?v inko:zustaendigkeit ?x } ORDER BY ?x LIMIT 1",
    "ressource": "SELECT ?x WHERE { ?x a inko:Massnahme } ORDER BY ?x LIMIT 1",
    "s": "SELECT ?x WHERE { ?x a inko:Massnahme } ORDER BY ?x LIMIT 1",
    "graph": "SELECT ?x WHERE { GRAPH ?x { ?a a inko:Konzept } } ORDER BY ?x LIMIT 1",
    "indikator": "SELECT ?x WHERE { ?x a inko:Indikator } ORDER BY ?x LIMIT 1",
    "art": "SELECT ?x WHERE { ?i inko:indikatorart ?x } ORDER BY ?x LIMIT 1",
    "schema": "SELECT ?x WHERE { ?c skos:inScheme ?x } ORDER BY ?x LIMIT 1",
    "quelle": "SELECT ?x WHERE { ?r dcterms:source ?x } ORDER BY ?x LIMIT 1",
}


# -- data -----------------------------------------------------------------------------------------

def real_file(tmp: Path) -> Path:
    from inko_graph.load.build import read_all
    from inko_graph.settings import Settings

    store = ox.Store()
    store.bulk_extend(read_all(Settings.from_env(env={}, store_path=None)).quads())
    path = tmp / "echt.nq"
    path.write_bytes(store.dump(format=ox.RdfFormat.N_QUADS))
    return path


def synth_file(tmp: Path, size: int) -> Path:
    from inko_graph.load import synth

    path = tmp / f"synth-{size}.nq"
    with path.open("w", encoding="utf-8") as fh:
        synth.generate(fh, size, towns=max(9, size // synth.PER_DOCUMENT))
    return path


# -- timing ---------------------------------------------------------------------------------------

def timed(fn, repeat: int, budget: float, clock=time.perf_counter) -> tuple[float, object]:
    """(median seconds, last result); at least one run, repeated while under ``budget``."""
    times, out, used = [], None, 0.0
    while len(times) < repeat and (not times or used < budget):
        t0 = clock()
        out = fn()
        dt = clock() - t0
        times.append(dt)
        used += dt
    return statistics.median(times), out


# -- loading --------------------------------------------------------------------------------------

def bench_load(data: Path, tmp: Path, args) -> dict:
    """Seconds of each loader, each from the file with its own bulk loader. The databases of
    inko-graph and the Oxigraph server stay for their servers (``tmp/inko``, ``tmp/oxigraph``)."""
    from inko_graph.cli import main as cli

    out = {}
    inko_db, raw_db, oxi_db = tmp / "inko", tmp / "roh", tmp / "oxigraph"

    def inko():
        shutil.rmtree(inko_db, ignore_errors=True)
        assert cli(["--store", str(inko_db), "load", str(data), "--ganz", "--ohne-fortschritt"]) == 0

    def raw():
        shutil.rmtree(raw_db, ignore_errors=True)
        st = ox.Store(str(raw_db))
        st.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        st.flush()
        del st

    out["inko"] = timed(inko, 1, 0)[0]
    out["roh"] = timed(raw, 1, 0)[0]
    shutil.rmtree(raw_db, ignore_errors=True)
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    if exe and "oxigraph" not in args.ohne:
        def server():
            shutil.rmtree(oxi_db, ignore_errors=True)
            subprocess.run([exe, "load", "--location", str(oxi_db), "--file", str(data)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out["oxigraph"] = timed(server, 1, 0)[0]
    if "rdflib" not in args.ohne_jetzt:
        import rdflib

        def rdf():
            ds = rdflib.Dataset()
            ds.parse(str(data), format="nquads")
            return len(ds)
        out["rdflib"] = timed(rdf, 1, 0)[0]
    return out


# -- queries --------------------------------------------------------------------------------------

def sample_values(store) -> dict:
    out = {}
    for name, q in SAMPLES.items():
        res = list(store.query(q))
        if res:
            out[name] = res[0][0]
    return out


def query_cases(cat, values: dict) -> list[tuple]:
    cases = []
    for q in cat:
        if q.meta.get("berechnet") or not q.params:
            continue
        required = {p.name for p in q.params if p.required}
        for p in q.params:
            others = required - {p.name}
            if p.name not in values or any(o not in values for o in others):
                continue
            params = {p.name: values[p.name], **{o: values[o] for o in others}}
            cases.append((q, p.name, params))
    return cases


def bench_queries(store, cat, args, data: Path, before: tuple[int, dict] | None = None) -> dict:
    """{(query, param): (api seconds, raw seconds, rows)} for every case that is a SELECT query.

    ``before``: (triples, results) of the next smaller size. A case whose time there, grown with
    the square of the size, would exceed --abfrage-grenze seconds runs once in a process of its
    own that is stopped at that limit (a query cannot be stopped in this one): its time without
    the raw comparison, or it is listed in ``out[("abgebrochen",)]`` (and not run at larger sizes).
    """
    from inko_graph.namespaces import PREFIXES
    from inko_graph.query.catalogue import bind_params, run
    from inko_graph.query.focus import focused_text

    out: dict = {("abgebrochen",): {}}
    for q, pname, params in query_cases(cat, sample_values(store)):
        if before:
            n0, prev = before
            old = prev.get((q.name, pname))
            guess = old[0] * (len(store) / n0) ** 2 if old else 0
            if (q.name, pname) in prev[("abgebrochen",)]:  # stopped at the smaller size: more so here
                out[("abgebrochen",)][(q.name, pname)] = args.abfrage_grenze
                continue
            if guess > args.abfrage_grenze:
                alone = query_alone(data, q.name, params, args.abfrage_grenze)
                if alone is None:
                    out[("abgebrochen",)][(q.name, pname)] = args.abfrage_grenze
                else:
                    out[(q.name, pname)] = (alone[0], None, alone[1])
                print(f"#   allein: {q.name} ({pname}), geschätzt {guess:.0f} s: {alone}", file=sys.stderr, flush=True)
                continue
        bindings = bind_params(q, params)
        text = focused_text(q.text, bindings)
        subs = {ox.Variable(k): v for k, v in bindings.items()}
        try:
            api_s, df = timed(lambda: run(store, q, params), args.repeat, args.budget, CPU)
        except Exception as e:  # an ASK or CONSTRUCT query of the catalogue: not a listing
            if "keine SELECT-Abfrage" not in str(e):  # a broken query: said, not fatal for the table
                print(f"#   {q.name} ({pname}): Fehler {str(e)[:200]}", file=sys.stderr, flush=True)
            continue
        raw_s, _ = timed(lambda: [[None if t is None else t.value for t in s] for s in
                                  store.inner.query(text, prefixes=PREFIXES, use_default_graph_as_union=True,
                                                    substitutions=subs)], args.repeat, args.budget, CPU)
        out[(q.name, pname)] = (api_s, raw_s, len(df))
        if api_s > 1:
            print(f"#   langsam: {q.name} ({pname}) {api_s:.1f} s, roh {raw_s:.1f} s", file=sys.stderr, flush=True)
        if (q.name, pname) == HEADLINE:
            out[("ohne Fokus",)] = timed(lambda: run(store, q, params, focus=False), 3, args.budget, CPU)[0]
            out[("text",)] = (text, params)
    return out


def query_alone(data: Path, name: str, params: dict, limit: float) -> tuple[float, int] | None:
    """(CPU seconds, rows) of one named query on ``data`` in a process of its own, None if it takes
    longer than ``limit`` seconds (the process is stopped)."""
    import json

    code = ("import json,sys,time\n"
            "import pyoxigraph as ox\n"
            "from inko_graph.query.catalogue import Catalogue, run\n"
            "from inko_graph.settings import Settings\n"
            "from inko_graph.store import OxigraphStore\n"
            "st=OxigraphStore(ox.Store()); st.inner.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)\n"
            "q=Catalogue(Settings().queries_dir).get(sys.argv[2])\n"
            "print('bereit', flush=True)\n"
            "t0=time.process_time(); n=len(run(st, q, json.loads(sys.argv[3])))\n"
            "print(time.process_time()-t0, n, flush=True)\n")
    values = {k: v.value if hasattr(v, "value") else str(v) for k, v in params.items()}
    proc = subprocess.Popen([sys.executable, "-c", code, str(data), name, json.dumps(values)], cwd=str(ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        if proc.stdout.readline().strip() != "bereit":
            return None
        t0 = time.process_time()
        import selectors

        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        # The child's CPU time is what counts; the wall clock (3x the limit) only bounds a loaded machine.
        if not sel.select(timeout=3 * limit):
            return None
        line = proc.stdout.readline().split()
        seconds, rows = float(line[0]), int(line[1])
        return (seconds, rows) if seconds <= limit else None
    except (ValueError, IndexError):
        return None
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def rdflib_query(data: Path, text: str, params: dict, timeout: float) -> float | None:
    """Seconds of rdflib's memory store for the query (in its own process, so a slow one can be stopped)."""
    import json

    code = ("import json,sys,time,rdflib\n"
            "d,t,p=sys.argv[1],open(sys.argv[2]).read(),json.loads(sys.argv[3])\n"
            "ds=rdflib.Dataset(default_union=True); ds.parse(d, format='nquads')\n"
            "from inko_graph.namespaces import PREFIXES\n"
            "t=''.join(f'PREFIX {k}: <{v}>\\n' for k,v in PREFIXES.items())+t\n"
            "b={k: rdflib.URIRef(v) for k,v in p.items()}\n"
            "ts=[]\n"
            "for _ in range(3):\n"
            "    t0=time.perf_counter(); n=len(list(ds.query(t, initBindings=b))); ts.append(time.perf_counter()-t0)\n"
            "    if ts[-1]>5: break\n"
            "print(sorted(ts)[len(ts)//2])\n")
    qf = data.with_suffix(".rq")
    qf.write_text(text, encoding="utf-8")
    try:
        r = subprocess.run([sys.executable, "-c", code, str(data), str(qf), json.dumps(params)], capture_output=True,
                           text=True, timeout=timeout, cwd=str(ROOT))
        return float(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else None
    except (subprocess.TimeoutExpired, ValueError, IndexError):
        return None


# -- the endpoint ---------------------------------------------------------------------------------

def _servers(data: Path, tmp: Path, args) -> list:
    """The servers of the endpoint rows, each on what its own loader made (bench_load): inko-graph
    (``inko-graph serve`` on its database, with and without its answer cache), the Oxigraph server
    (``oxigraph serve`` on its database) and rdflib-endpoint (reads the file into memory)."""
    import bench_server as bs

    binary = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k not in ("INKO_WRITE_TOKEN", "INKO_TOKENS_FILE", "INKO_STORE")}
    out = []
    for key, extra in (("inko", {}), ("inko-ohne", {"INKO_QUERY_CACHE_BYTES": "0"})):
        port = bs.free_port()
        out.append((key, bs.Server(key, [str(binary / "inko-graph"), "--store", str(tmp / "inko"), "serve", "--host",
                                         "127.0.0.1", "--port", str(port)], port, "/sparql", env={**env, **extra})))
    exe = shutil.which("oxigraph", path=str(binary) + os.pathsep + os.environ.get("PATH", ""))
    if exe and (tmp / "oxigraph").exists():
        port = bs.free_port()
        out.append(("oxigraph", bs.Server("oxigraph", [exe, "serve", "--location", str(tmp / "oxigraph"), "--bind",
                                                       f"127.0.0.1:{port}", "--union-default-graph"], port, "/query")))
    if "rdflib" not in args.ohne_jetzt and args.rdflib_endpoint_jetzt:
        out.append(("rdflib-endpoint", bs.rdflib_server(data)))
    return out


def bench_endpoint(data: Path, tmp: Path, text: str, args) -> dict:
    import bench_server as bs  # the servers and the HTTP client of bench/bench_server.py

    query = bs.prefixes() + text
    out = {}
    for key, srv in _servers(data, tmp, args):
        if srv is None:
            continue
        try:
            srv.start(ready_timeout=600)
            t0 = time.perf_counter()
            bs.first_answer(srv.port, srv.sparql_path, "application/sparql-results+json", query)
            first = time.perf_counter() - t0
            request = bs.http_request(srv.port, srv.sparql_path, "application/sparql-results+json", query)
            clients = args.clients
            if first < args.budget:
                asyncio.run(bs._run(srv.port, request, 20, 1.0, clients, 120))  # warm up
            # A slow peer answers each client once; a fast one for --sekunden.
            lat, fails, _ = asyncio.run(bs._run(srv.port, request, 100_000 if first < args.budget else clients,
                                                args.sekunden, clients, max(120.0, 3 * first)))
            lat.sort()
            if lat:
                out[key] = (statistics.median(lat), lat[min(len(lat) - 1, int(len(lat) * 0.99))], len(lat), fails)
            print(f"#   Endpunkt {key}: erste Antwort {first:.2f} s; {out.get(key)}", file=sys.stderr, flush=True)
        except Exception as e:  # a peer that does not start is reported, not fatal
            print(f"  {key}: {e}", file=sys.stderr)
        finally:
            srv.stop()
    return out


# -- pages of a long listing --------------------------------------------------------------------------



def bench_pages(store, cat, args) -> dict:
    """Page 1 of the listing without parameters (20 goals with all their rows): cold (the sorted
    goal list with LIMIT/OFFSET, then the page's rows), page 2 with the goal list from the server's
    cache, and the whole sorted table cut after 100 rows (what page 1 cost before)."""
    import dataclasses

    from inko_graph.query.catalogue import run_page

    q = cat.get(PAGED)
    out = {}
    out["kalt"] = timed(lambda: run_page(store, q, limit=20, offset=0), args.repeat, args.budget, CPU)
    cache: dict = {}
    run_page(store, q, limit=20, offset=0, keys_cache=cache)
    out["folgend"] = timed(lambda: run_page(store, q, limit=20, offset=20, keys_cache=cache), args.repeat,
                           args.budget, CPU)
    if len(store) <= args.ganz_bis:
        rows = dataclasses.replace(q, meta={})
        out["ganz"] = timed(lambda: run_page(store, rows, limit=100, offset=0), 1, 0, CPU)
    return {k: (v[0], len(v[1].rows), v[1].entries) for k, v in out.items()}


# -- validation -----------------------------------------------------------------------------------

def bench_validation(store) -> tuple[float, float] | None:
    from inko_graph.validation import graphcheck
    from inko_graph.namespaces import GRAPH
    from inko_graph.settings import PROJECT_ROOT

    shapes = PROJECT_ROOT / "ontology" / "shapes.ttl"
    graph = next((g for g in store.graph_names() if g.startswith(GRAPH + "raster/")), None)
    if graph is None:
        return None

    def cold():
        graphcheck.clear_cache()
        return graphcheck.check_graph(store, graph, shapes)

    cold_s = timed(cold, 3, 10, CPU)[0]
    warm_s = timed(lambda: graphcheck.check_graph(store, graph, shapes), 3, 10, CPU)[0]
    return cold_s, warm_s


# -- the run ----------------------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--budget", type=float, default=3.0, help="Sekunden je Messung, bis zu denen wiederholt wird")
    ap.add_argument("--sekunden", type=float, default=6.0, help="Dauer jeder Endpunkt-Messung")
    ap.add_argument("--clients", type=int, default=10, help="gleichzeitige Clients am Endpunkt")
    ap.add_argument("--ohne", nargs="*", default=[], choices=["rdflib", "oxigraph", "endpunkt"])
    ap.add_argument("--ganz-bis", dest="ganz_bis", type=int, default=2_000_000,
                    help="die ganze sortierte Liste (bisheriger Weg einer Seite) nur bis zu dieser Zahl von Tripeln")
    ap.add_argument("--abfrage-grenze", dest="abfrage_grenze", type=float, default=30.0,
                    help="eine Abfrage, die nach der kleineren Größe länger bräuchte (Sekunden), läuft einmal "
                         "in einem eigenen Prozess und wird nach so vielen Sekunden abgebrochen")
    ap.add_argument("--rdflib-bis", dest="rdflib_bis", type=int, default=100_000,
                    help="rdflib (laden, Abfrage) nur bis zu dieser Größe (bei 10^6 braucht es Minuten je Schritt)")
    ap.add_argument("--rdflib-endpoint-bis", dest="rdflib_endpoint_bis", type=int, default=10_000,
                    help="rdflib-endpoint nur bis zu dieser Größe (bei 10^5 rund 47 s je Antwort)")
    args = ap.parse_args(argv)

    from inko_graph.query.catalogue import Catalogue
    from inko_graph.settings import Settings
    from inko_graph.store import OxigraphStore

    cat = Catalogue(Settings().queries_dir)
    labels = ["echt"] + [f"{s:,}".replace(",", ".") for s in args.sizes]
    start = time.perf_counter()
    res: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="inko-skala-") as tmp:
        tmp = Path(tmp)
        files = [real_file(tmp)] + [synth_file(tmp, s) for s in args.sizes]
        for label, data in zip(labels, files):
            r = res[label] = {}
            print(f"# {label}: {data.stat().st_size // 1_000_000} MB", file=sys.stderr, flush=True)
            small = label == "echt" or args.sizes[labels.index(label) - 1] <= args.rdflib_bis
            args.ohne_jetzt = set(args.ohne) | (set() if small else {"rdflib"})
            args.rdflib_endpoint_jetzt = label == "echt" or args.sizes[labels.index(label) - 1] <= args.rdflib_endpoint_bis
            r["laden"] = bench_load(data, tmp / "db", args)
            print(f"#   laden {r['laden']}", file=sys.stderr, flush=True)
            store = OxigraphStore(ox.Store())
            store.inner.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
            r["n"] = len(store)
            t0 = time.perf_counter()
            smaller = res[labels[labels.index(label) - 1]] if label != labels[0] else None
            r["q"] = bench_queries(store, cat, args, data, (smaller["n"], smaller["q"]) if smaller else None)
            print(f"#   {len(r['q'])} Abfragen gemessen in {time.perf_counter() - t0:.0f} s; {HEADLINE}: "
                  f"{r['q'].get(HEADLINE)}", file=sys.stderr, flush=True)
            text, params = r["q"][("text",)]
            if "rdflib" not in args.ohne_jetzt:
                r["rdflib_q"] = rdflib_query(data, text, {k: str(v.value if hasattr(v, "value") else v)
                                                          for k, v in params.items()}, timeout=300)
            t0 = time.perf_counter()
            r["seiten"] = bench_pages(store, cat, args)
            print(f"#   Seiten {r['seiten']} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
            r["validierung"] = bench_validation(store)
            print(f"#   Validierung {r['validierung']}", file=sys.stderr, flush=True)
            del store
            if "endpunkt" not in args.ohne:
                r["endpunkt"] = bench_endpoint(data, tmp / "db", text, args)
            shutil.rmtree(tmp / "db", ignore_errors=True)
            print(f"#   fertig: {label} nach {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)

    print(table(res, labels, args))
    print(f"\nrdflib bis {de(args.rdflib_bis, 0)} Tripel gemessen, rdflib-endpoint bis {de(args.rdflib_endpoint_bis, 0)} "
          "(größer: Minuten je Schritt); \"Z.\": Zeilen der Antwort; \"allein\": einmal in einem eigenen Prozess "
          f"(Schätzung nach der kleineren Größe über {de(args.abfrage_grenze, 0)} s); Abfragen, Seiten und Validierung: "
          "Prozessorzeit, Laden und Endpunkt: Wanduhrzeit.")
    print(f"Dauer des Laufs {de((time.perf_counter() - start) / 60, 1)} min; Last des Rechners am Ende "
          f"{de(os.getloadavg()[0], 1)} bei {os.cpu_count()} Kernen.")
    print(aims(res, labels, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
