"""One bound parameter: the cost of each parameterised named query on the real graph and on a
synthetic graph of the real shape (10^6 triples by default), for answers of comparable size.

    .venv/bin/python bench/bench_focus.py [--size 1000000] [--daten FILE.nq] [--repeat 5] [--budget 3]
                                          [--abfragen NAME ...] [--kandidaten 8] [--grenze 30] [--ordner DIR]

A data file for ``--daten`` (the same data the run would generate, made once for several runs):
``inko-graph synth --towns 322 --triples 1000000 -o DIR`` writes DIR/synthetisch.nq (towns: triples
divided by 3100, as here). Keep it outside the repository (var/ or a temporary folder).

For every named SELECT query and every parameter (the query's required parameters bound too):

- 10^6: the parameter is bound to the first value of the synthetic graph (ordered by IRI, as in
  bench/bench_scale.py) and the query runs through the API (``queries.run``: the value leads);
- echt: of the first ``--kandidaten`` values of the real graph, the one whose answer is closest in
  size to the synthetic answer (by ratio of rows), so that both times are for answers of the same
  size where the real graph has one;
- Vergleich: ``direkt`` when the synthetic answer has at most twice the rows of the real one: the aim
  is 10^6 ≤ 2 × echt. ``je Zeile`` when it is larger (a parameter whose answer grows with the
  graph, e.g. a Lebensphase that every town shares): the real time is scaled by the ratio of rows,
  i.e. the aim is the same cost per answer row (10^6 ≤ 2 × echt × Zeilen 10^6 / Zeilen echt).
  Either way also: 10^6 under 50 ms.

Medians of CPU time of this process in ms (queries run in this thread; a shared machine disturbs
CPU time much less than the wall clock). Repeated while under --budget seconds per case.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

#: Where a parameter's values come from: DISTINCT values of the graph in a stable order.
SAMPLES = {
    "akteur": "SELECT DISTINCT ?x WHERE { ?v inko:zustaendig ?x } ORDER BY ?x LIMIT {n}",
    "vorhaben": "SELECT DISTINCT ?x WHERE { ?x inko:dient ?z } ORDER BY ?x LIMIT {n}",
    "ziel": "SELECT DISTINCT ?x WHERE { ?v inko:dient ?x } ORDER BY ?x LIMIT {n}",
    "konzept": "SELECT DISTINCT ?x WHERE { ?x a inko:Konzept } ORDER BY ?x LIMIT {n}",
    "handlungsfeld": "SELECT DISTINCT ?x WHERE { ?x a inko:Handlungsfeld } ORDER BY ?x LIMIT {n}",
    "lebensphase": "SELECT DISTINCT ?x WHERE { ?v inko:lebensphase ?x } ORDER BY ?x LIMIT {n}",
    "gebiet": "SELECT DISTINCT ?x WHERE { ?c a inko:Konzept ; inko:gebiet ?x } ORDER BY ?x LIMIT {n}",
    "vergleich": "SELECT DISTINCT ?x WHERE { ?c a inko:Konzept ; inko:gebiet/inko:liegtIn ?x } ORDER BY ?x LIMIT {n}",
    "akteursart": "SELECT DISTINCT ?x WHERE { ?a inko:akteursart ?x } ORDER BY ?x LIMIT {n}",
    "zustaendig": "SELECT DISTINCT ?x WHERE { ?v inko:zustaendigkeit ?x } ORDER BY ?x LIMIT {n}",
    "ressource": "SELECT DISTINCT ?x WHERE { ?x a inko:Massnahme } ORDER BY ?x LIMIT {n}",
    "s": "SELECT DISTINCT ?x WHERE { ?x a inko:Massnahme } ORDER BY ?x LIMIT {n}",
    "graph": "SELECT DISTINCT ?x WHERE { GRAPH ?x { ?a a inko:Konzept } } ORDER BY ?x LIMIT {n}",
    "indikator": "SELECT DISTINCT ?x WHERE { ?x a inko:Indikator } ORDER BY ?x LIMIT {n}",
    "art": "SELECT DISTINCT ?x WHERE { ?i inko:indikatorart ?x } ORDER BY ?x LIMIT {n}",
    "schema": "SELECT DISTINCT ?x WHERE { ?c skos:inScheme ?x } ORDER BY ?x LIMIT {n}",
    "quelle": "SELECT DISTINCT ?x WHERE { ?r dcterms:source ?x } ORDER BY ?x LIMIT {n}",
    "kreis": "SELECT DISTINCT ?x WHERE { ?k a inko:Konzept ; inko:gebiet ?x . ?s inko:liegtIn ?x } ORDER BY ?x LIMIT {n}",
    "stadt": "SELECT DISTINCT ?x WHERE { ?k a inko:Konzept ; inko:gebiet ?x . ?x inko:liegtIn/inko:liegtIn ?y } ORDER BY ?x LIMIT {n}",
}


def real_store():
    from inko_graph.load.build import read_all
    from inko_graph.settings import Settings
    from inko_graph.store import OxigraphStore

    store = OxigraphStore.memory()
    store.load_quads(read_all(Settings.from_env(env={}, store_path=None)).quads())
    return store


def synth_store(size: int, data: Path | None):
    from inko_graph.load import synth
    from inko_graph.store import OxigraphStore

    inner = ox.Store()
    if data is None:
        with tempfile.TemporaryDirectory(prefix="inko-fokus-") as tmp:
            data = Path(tmp) / "synth.nq"
            with data.open("w", encoding="utf-8") as fh:
                synth.generate(fh, size, towns=max(9, size // synth.PER_DOCUMENT))
            inner.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    else:
        inner.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    return OxigraphStore(inner)


def values(store, name: str, n: int) -> list:
    if name not in SAMPLES:
        return []
    return [row[0] for row in store.query(SAMPLES[name].replace("{n}", str(n)))]


def own_values(store, q, name: str, required: dict, n: int) -> list:
    """Up to ``n`` values of the query's own column ``name`` on the real graph, spread over the
    answer (values that certainly have rows), as terms."""
    from inko_graph.query.catalogue import run

    from inko_graph.errors import QueryError

    if name not in dict(q.columns):
        return []
    try:
        df = run(store, q, required)
    except QueryError:  # the parameter itself is required
        return []
    seen = [v for v in df[name].dropna().unique().tolist() if isinstance(v, str) and v.startswith("http")]
    step = max(1, len(seen) // n)
    return [ox.NamedNode(v) for v in seen[::step][:n]]


def timed(fn, repeat: int, budget: float) -> tuple[float, object]:
    """(median CPU seconds, last result); at least one run, repeated while under ``budget``."""
    times, out, used = [], None, 0.0
    while len(times) < repeat and (not times or used < budget):
        t0 = time.process_time()
        out = fn()
        dt = time.process_time() - t0
        times.append(dt)
        used += dt
    return statistics.median(times), out


def cases(cat, names):
    """(query, parameter) for every parameter of every named SELECT query with parameters."""
    from inko_graph.query.catalogue import query_kind

    for q in cat:
        if (names and q.name not in names) or q.meta.get("berechnet") or not q.params or query_kind(q) != "select":
            continue
        for p in q.params:
            if p.type == "iri":
                yield q, p


def measure(store, q, p, value, required: dict, args) -> tuple[float, int]:
    """(median ms, rows); (inf, -1) when one run takes longer than ``args.grenze`` seconds.

    Runs in a forked copy of this process (the store is shared copy-on-write), which is stopped
    after the limit: a query that takes minutes would otherwise hold up the whole table.
    """
    import os
    import pickle
    import signal

    from inko_graph.query.catalogue import run

    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, send (ms, rows), leave without clean-up
        os.close(rfd)
        s, df = timed(lambda: run(store, q, {**required, p.name: value}), args.repeat, args.budget)
        os.write(wfd, pickle.dumps((s * 1000, len(df))))
        os._exit(0)
    os.close(wfd)
    deadline = time.monotonic() + args.grenze + args.budget
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            break
        time.sleep(0.005)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(rfd)
        return math.inf, -1
    with os.fdopen(rfd, "rb") as fh:
        data = fh.read()
    return pickle.loads(data) if data else (math.inf, -1)


def compare(real: tuple[float, int], big: tuple[float, int]) -> tuple[str, float, bool]:
    """(kind of comparison, allowed ms at 10^6 by the 2x aim, both aims met)."""
    (rt, rn), (bt, bn) = real, big
    if bn <= 2 * max(rn, 1):
        kind, allowed = "direkt", 2 * rt
    else:
        kind, allowed = "je Zeile", 2 * rt * bn / max(rn, 1)
    return kind, allowed, bt <= allowed and bt < 50


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Abfragen mit einem Parameter: echter Graph gegen synthetischen Graphen.")
    ap.add_argument("--size", type=int, default=1_000_000, help="Größe des synthetischen Graphen (Tripel)")
    ap.add_argument("--daten", type=Path, help="fertige N-Quads-Datei statt neu erzeugter Daten")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--budget", type=float, default=3.0, help="Sekunden je Messung, bis zu denen wiederholt wird")
    ap.add_argument("--grenze", type=float, default=30.0, help="Sekunden, nach denen ein Lauf abgebrochen wird")
    ap.add_argument("--kandidaten", type=int, default=8, help="Werte je Parameter auf dem echten Graphen")
    ap.add_argument("--abfragen", nargs="*", help="nur diese Abfragen")
    ap.add_argument("--ordner", type=Path, help="Ordner der Abfragen (ohne Angabe: queries/ des Projekts), etwa ein älterer Stand zum Vergleich")
    args = ap.parse_args(argv)

    from inko_graph.query.catalogue import Catalogue
    from inko_graph.settings import Settings

    cat = Catalogue(args.ordner or Settings().queries_dir)
    real = real_store()
    t0 = time.perf_counter()
    big = synth_store(args.size, args.daten)
    print(f"# echt {len(real)} Tripel; synthetisch {len(big)} Tripel, geladen in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr, flush=True)
    rows = []
    for q, p in cases(cat, set(args.abfragen or ())):
        others = [o for o in q.params if o.required and o.name != p.name]
        req_big = {o.name: (values(big, o.name, 1) or [None])[0] for o in others}
        req_real = {o.name: (values(real, o.name, 1) or [None])[0] for o in others}
        cand_big = values(big, p.name, 1)
        cand_real = own_values(real, q, p.name, req_real, args.kandidaten) + values(real, p.name, args.kandidaten)
        if not cand_big or not cand_real or None in req_big.values() or None in req_real.values():
            continue
        b = measure(big, q, p, cand_big[0], req_big, args)
        if b[1] < 0:  # stopped: compare with the first real value
            r = measure(real, q, p, cand_real[0], req_real, args)
            rows.append((q.name, p.name, r, b, "abgebrochen", 2 * r[0], False))
            print(f"#   {q.name} ({p.name}): echt {r[0]:.1f} ms, {args.size}: über {args.grenze:.0f} s",
                  file=sys.stderr, flush=True)
            continue
        # The real value whose answer is closest in size (rows are cheap to count there).
        sizes = [(measure(real, q, p, v, req_real, argparse.Namespace(repeat=1, budget=0, grenze=args.grenze))[1], v) for v in cand_real]
        n, v = min(sizes, key=lambda s: (abs(math.log((s[0] + 1) / (b[1] + 1))), str(s[1])))
        r = measure(real, q, p, v, req_real, args)
        kind, allowed, ok = compare(r, b)
        rows.append((q.name, p.name, r, b, kind, allowed, ok))
        print(f"#   {q.name} ({p.name}): echt {r[0]:.1f} ms / {r[1]} Z., {args.size}: {b[0]:.1f} ms / {b[1]} Z., "
              f"{kind}, {'erfüllt' if ok else 'nicht erfüllt'}", file=sys.stderr, flush=True)

    print(f"| Abfrage (Parameter) | echt: ms (Zeilen) | {len(big):,} Tripel: ms (Zeilen) | Vergleich | "
          "erlaubt ms (2×) | Ziel |".replace(",", "."))
    print("| --- | ---: | ---: | --- | ---: | --- |")
    for name, pname, r, b, kind, allowed, ok in sorted(rows, key=lambda x: -x[3][0]):
        big_cell = f"{b[0]:.1f} ({b[1]})" if b[1] >= 0 else f"> {args.grenze * 1000:.0f}"
        print(f"| {name} ({pname}) | {r[0]:.1f} ({r[1]}) | {big_cell} | {kind} | {allowed:.1f} | "
              f"{'erfüllt' if ok else 'nicht erfüllt'} |")
    met = sum(1 for x in rows if x[6])
    print(f"\n{met} von {len(rows)} erfüllt (10^6 unter 50 ms und höchstens 2× echt, direkt oder je Zeile). "
          "Prozessorzeit, Median.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
