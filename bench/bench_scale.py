"""How the costs grow with size: one table, with the peers measured in the same run on the same data.

    .venv/bin/python bench/bench_scale.py [--sizes 10000 100000 1000000] [--sekunden 6] [--ohne rdflib ...]

Data: the real graph (``echt``) and synthetic graphs of the real shape (inko_graph/load/synth.py, one
town per concept, so that one town, actor or goal has an answer of the real size). For each size:

- Laden: the N-Quads file into a database on disk: ``inko-graph load --ganz`` (in this process),
  raw pyoxigraph ``Store.bulk_load``, the Oxigraph server's loader (``oxigraph load``), and
  rdflib's memory store (``Dataset.parse``, memory only: rdflib has no store on disk of its own).
- Abfrage NAME (PARAM): every parameterised named query of the catalogue with one parameter
  bound to a value of the data, through inko-graph's API (``queries.run``: the bound value leads,
  rows into a DataFrame); the ratio is to raw pyoxigraph running the same text and reading the
  values (the limit). "Wer dient welchem Ziel? (akteur)" is also run without the focus and on
  rdflib's memory store (same text, same binding).
- Endpunkt: "Wer dient welchem Ziel?" for one actor as SPARQL over HTTP, 10 clients at once, on
  inko-graph's server, the Oxigraph server and rdflib-endpoint (same text); p50 and p99.
- Validierung einer Meldung: one Raster submission against its neighbourhood (graphcheck), and
  again from the cache.

Medians in milliseconds (seconds where marked): CPU time of this process for the queries and the
validation (they run in this thread), wall-clock time for loading and at the endpoint. rdflib and
rdflib-endpoint only up to --rdflib-bis triples (at 10^6 each of their steps takes minutes). Needs the ``bench`` extra (rdflib-endpoint,
oxigraph); a missing peer is left out and said so. At the end: which aims of the project are met.
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

HEADLINE = ("wer-dient-welchem-ziel", "akteur")
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
    from inko_graph.cli import main as cli

    out = {}
    where = tmp / "laden"

    def clean():
        shutil.rmtree(where, ignore_errors=True)

    def inko():
        clean()
        assert cli(["--store", str(where), "load", str(data), "--ganz", "--ohne-fortschritt"]) == 0

    def raw():
        clean()
        st = ox.Store(str(where))
        st.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        st.flush()
        del st

    out["inko"] = timed(inko, 1, 0)[0]
    out["roh"] = timed(raw, 1, 0)[0]
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    if exe:
        def server():
            clean()
            subprocess.run([exe, "load", "--location", str(where), "--file", str(data)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out["oxigraph"] = timed(server, 1, 0)[0]
    if "rdflib" not in args.ohne_jetzt:
        import rdflib

        def rdf():
            ds = rdflib.Dataset()
            ds.parse(str(data), format="nquads")
            return len(ds)
        out["rdflib"] = timed(rdf, 1, 0)[0]
    clean()
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


def bench_queries(store, cat, args) -> dict:
    """{(query, param): (api seconds, raw seconds, rows)} for every case that is a SELECT query."""
    from inko_graph.namespaces import PREFIXES
    from inko_graph.query.catalogue import bind_params, run
    from inko_graph.query.focus import focused_text

    out = {}
    for q, pname, params in query_cases(cat, sample_values(store)):
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
        if (q.name, pname) == HEADLINE:
            out[("ohne Fokus",)] = timed(lambda: run(store, q, params, focus=False), 3, args.budget, CPU)[0]
            out[("text",)] = (text, params)
    return out


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

def bench_endpoint(data: Path, text: str, args) -> dict:
    import bench_server as bs  # the servers and the HTTP client of bench/bench_server.py

    query = bs.prefixes() + text
    out = {}
    servers = [("inko", bs.inko_server(data))]
    if "oxigraph" not in args.ohne:
        servers.append(("oxigraph", bs.oxigraph_server(data)))
    if "rdflib" not in args.ohne_jetzt:
        servers.append(("rdflib-endpoint", bs.rdflib_server(data)))
    for key, srv in servers:
        if srv is None:
            continue
        try:
            srv.start(ready_timeout=900)
            if srv.sparql_path == "/query":
                bs.load_oxigraph(srv)
            t0 = time.perf_counter()
            bs.first_answer(srv.port, srv.sparql_path, "application/sparql-results+json", query)
            first = time.perf_counter() - t0
            request = bs.http_request(srv.port, srv.sparql_path, "application/sparql-results+json", query)
            clients = args.clients
            if first < args.budget:
                asyncio.run(bs._run(srv.port, request, 20, 1.0, clients, 120))  # warm up
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


# -- the table ------------------------------------------------------------------------------------

def _ms(s) -> str:
    if s is None:
        return "–"
    return f"{s * 1000:.1f}" if s < 1 else f"{s:.1f} s"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--budget", type=float, default=3.0, help="Sekunden je Messung, bis zu denen wiederholt wird")
    ap.add_argument("--sekunden", type=float, default=6.0, help="Dauer jeder Endpunkt-Messung")
    ap.add_argument("--clients", type=int, default=10, help="gleichzeitige Clients am Endpunkt")
    ap.add_argument("--ohne", nargs="*", default=[], choices=["rdflib", "oxigraph", "endpunkt"])
    ap.add_argument("--rdflib-bis", dest="rdflib_bis", type=int, default=10_000,
                    help="rdflib und rdflib-endpoint nur bis zu dieser Größe (sie brauchen bei 10^6 Minuten je Schritt)")
    args = ap.parse_args(argv)

    from inko_graph.query.catalogue import Catalogue
    from inko_graph.settings import Settings
    from inko_graph.store import OxigraphStore

    cat = Catalogue(Settings().queries_dir)
    labels = ["echt"] + [f"{s:,}".replace(",", ".") for s in args.sizes]
    res: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="inko-skala-") as tmp:
        tmp = Path(tmp)
        files = [real_file(tmp)] + [synth_file(tmp, s) for s in args.sizes]
        for label, data in zip(labels, files):
            r = res[label] = {}
            print(f"# {label}: {data.stat().st_size // 1_000_000} MB", file=sys.stderr, flush=True)
            small = label == "echt" or args.sizes[labels.index(label) - 1] <= args.rdflib_bis
            args.ohne_jetzt = set(args.ohne) | (set() if small else {"rdflib"})
            r["laden"] = bench_load(data, tmp, args)
            print(f"#   laden {r['laden']}", file=sys.stderr, flush=True)
            store = OxigraphStore(ox.Store())
            store.inner.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
            r["n"] = len(store)
            r["q"] = bench_queries(store, cat, args)
            print(f"#   {len(r['q'])} Abfragen gemessen; {HEADLINE}: {r['q'].get(HEADLINE)}", file=sys.stderr, flush=True)
            text, params = r["q"][("text",)]
            if "rdflib" not in args.ohne_jetzt:
                r["rdflib_q"] = rdflib_query(data, text, {k: str(v.value if hasattr(v, "value") else v)
                                                          for k, v in params.items()}, timeout=300)
            r["validierung"] = bench_validation(store)
            print(f"#   Validierung {r['validierung']}", file=sys.stderr, flush=True)
            del store
            if "endpunkt" not in args.ohne:
                r["endpunkt"] = bench_endpoint(data, text, args)
            print(f"#   fertig: {label}", file=sys.stderr, flush=True)

    print(table(res, labels, args))
    print(f"\nrdflib und rdflib-endpoint bis {args.rdflib_bis:,} Tripel gemessen; \"Z.\": Zeilen der Antwort; "
          "Abfragen und Validierung: Prozessorzeit, Laden und Endpunkt: Wanduhrzeit.".replace(",", "."))
    print(aims(res, labels, args))
    return 0


def table(res: dict, labels: list[str], args) -> str:
    last = labels[-1]
    head = ["Aufgabe", "System"] + [f"{lab} ({res[lab]['n']:,} Tripel)".replace(",", ".") for lab in labels] + \
           [f"÷ pyoxigraph roh bei {last}"]
    out = ["| " + " | ".join(head) + " |", "| --- | --- |" + " ---: |" * (len(labels) + 1)]

    def row(task, system, cells, ratio=""):
        out.append(f"| {task} | {system} | " + " | ".join(cells) + f" | {ratio} |")

    def ratio(a, b):
        return f"{a / b:.2f}" if a and b else ""

    names = {"inko": "inko-graph (load --ganz)", "roh": "pyoxigraph roh (bulk_load)",
             "oxigraph": "Oxigraph-Server (oxigraph load)", "rdflib": "rdflib (Speicher, parse)"}
    for k, name in names.items():
        if any(k in res[lab]["laden"] for lab in labels):
            row("Laden auf die Platte, s", name, [f"{res[lab]['laden'][k]:.2f}" if k in res[lab]["laden"] else "–"
                                                  for lab in labels],
                ratio(res[last]["laden"].get(k), res[last]["laden"].get("roh")))
    t, p = HEADLINE
    head_q = [res[lab]["q"].get((t, p)) for lab in labels]
    row(f"{t} ({p}) ms", "pyoxigraph roh (derselbe Text)", [_ms(x[1]) if x else "–" for x in head_q], "1.00")
    row(f"{t} ({p}) ms", "inko-graph API", [f"{_ms(x[0])} ({x[2]} Z.)" if x else "–" for x in head_q],
        ratio(head_q[-1][0], head_q[-1][1]) if head_q[-1] else "")
    row(f"{t} ({p}) ms", "inko-graph API ohne Fokus", [_ms(res[lab]["q"].get(("ohne Fokus",))) for lab in labels],
        ratio(res[last]["q"].get(("ohne Fokus",)), head_q[-1][1] if head_q[-1] else None))
    if any("rdflib_q" in res[lab] for lab in labels):
        row(f"{t} ({p}) ms", "rdflib (Speicher)", [_ms(res[lab].get("rdflib_q")) for lab in labels],
            ratio(res[last].get("rdflib_q"), head_q[-1][1] if head_q[-1] else None))
    for key, name in (("inko", "inko-graph /sparql"), ("oxigraph", "Oxigraph-Server"), ("rdflib-endpoint", "rdflib-endpoint")):
        cells = []
        for lab in labels:
            m = res[lab].get("endpunkt", {}).get(key)
            cells.append(f"{_ms(m[0])} / {_ms(m[1])}" + (f", {m[3]} Fehler" if m and m[3] else "") if m else "–")
        if any(c != "–" for c in cells):
            ref = res[last].get("endpunkt", {}).get("oxigraph")
            mine = res[last].get("endpunkt", {}).get(key)
            row(f"Endpunkt, {args.clients} Clients: {t} ({p}), p50 / p99 ms", name, cells,
                ("÷ Oxigraph-Server " + ratio(mine[0], ref[0])) if mine and ref and key != "oxigraph" else "")
    row("Validierung einer Raster-Meldung ms", "inko-graph (Nachbarschaft) / aus dem Zwischenspeicher",
        [f"{_ms(res[lab]['validierung'][0])} / {_ms(res[lab]['validierung'][1])}" if res[lab]["validierung"] else "–"
         for lab in labels])
    cases = sorted({k for lab in labels for k in res[lab]["q"] if len(k) == 2})
    for case in cases:
        cells = [f"{_ms(res[lab]['q'][case][0])} ({res[lab]['q'][case][2]} Z.)" if case in res[lab]["q"] else "–"
                 for lab in labels]
        x = res[last]["q"].get(case)
        row(f"Abfrage {case[0]} ({case[1]}) ms", "inko-graph API", cells, ratio(x[0], x[1]) if x else "")
    return "\n".join(out)


def aims(res: dict, labels: list[str], args) -> str:
    last, real = labels[-1], "echt"
    lines = [f"\nZiele (bei {last} Tripel; {os.cpu_count()} Kerne, Rechner geteilt):"]
    q = res[last]["q"]
    cases = [k for k in q if len(k) == 2]
    fast = [k for k in cases if q[k][0] < 0.050]
    near = [k for k in cases if k in res[real]["q"] and q[k][0] <= 2 * max(res[real]["q"][k][0], 0.001)]
    both = sorted(set(fast) & set(near))
    lines.append(f"- Abfragen mit einem Parameter unter 50 ms und höchstens doppelt so lang wie auf dem echten Graphen: "
                 f"{len(both)} von {len(cases)}; nicht erfüllt: " +
                 (", ".join(f"{n} ({p}) {q[(n, p)][0] * 1000:.0f} ms" for n, p in sorted(set(cases) - set(both))) or "keine"))
    ep = res[last].get("endpunkt", {}).get("inko")
    if ep:
        ok = ep[0] < 0.020 and ep[1] < 0.200
        lines.append(f"- Endpunkt, {args.clients} Clients, ein Akteur: p50 {ep[0] * 1000:.1f} ms (Ziel < 20), "
                     f"p99 {ep[1] * 1000:.1f} ms (Ziel < 200): {'erfüllt' if ok else 'nicht erfüllt'}")
    ld = res[last]["laden"].get("inko")
    if ld:
        lines.append(f"- Laden auf die Platte: {ld:.1f} s (Ziel < 10 s): {'erfüllt' if ld < 10 else 'nicht erfüllt'}")
    v = res[last].get("validierung")
    if v:
        lines.append(f"- Validierung einer Meldung: {v[0]:.2f} s (Ziel < 2 s): {'erfüllt' if v[0] < 2 else 'nicht erfüllt'}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
