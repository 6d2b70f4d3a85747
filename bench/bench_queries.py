"""Benchmark of the named queries: the API (``queries.run``: parameters, DataFrame) beside raw
pyoxigraph on the same query text, on the real graph and on synthetic graphs (bench/synthetic.py).

    .venv/bin/python bench/bench_queries.py [--sizes 100000 1000000] [--repeat 5] [--budget 20]
                                            [--alle] [--ohne-kuratiert] [--abfragen NAME ...]

Prints a Markdown table of medians in milliseconds and the API's overhead over raw pyoxigraph.
Times are CPU time of this process (queries run in the calling thread), which a busy machine
disturbs much less than wall-clock time; on an idle machine the two are the same.
Raw pyoxigraph runs the same text with the same substitutions and default graph, twice: "Terme"
fetches every term of every solution and drops it, "Werte" reads the value of every term into
lists (the least one needs to use the rows). The API also turns numbers and booleans into Python
numbers and builds the DataFrame (and, for aehnliche-massnahmen, computes the similarity from the
rows of massnahmen-texte). Bounded in time: each query
runs at least once and is repeated only while it has used less than --budget seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

#: The queries of the issue this benchmark belongs to (--alle: every query of the catalogue).
QUERIES = [
    "wer-dient-welchem-ziel", "hoehere-ziele", "ziele-ohne-massnahme", "luecken-handlungsfeld-lebensphase",
    "luecken-ziel-lebensphase", "massnahmen-ohne-zustaendigkeit", "ziele-ohne-indikator", "akteure-ohne-aktivitaet",
    "handlungsfelder-ohne-abgleich", "mehrere-akteure-gleiches-ziel", "gleicher-zieltext", "massnahmen-texte",
    "aehnliche-massnahmen", "zustaendigkeiten", "akteursprofil", "konzepte", "vorhaben-je-handlungsfeld-lebensphase",
    "akteursnetz-kanten", "akteursnetz-knoten",
]


def real_store():
    from inko_graph.load.build import read_all
    from inko_graph.settings import Settings
    from inko_graph.store import OxigraphStore

    store = OxigraphStore.memory()
    store.load_quads(read_all(Settings.from_env(env={}, store_path=None)).quads())
    return store


def synthetic_store(size: int, tmp: Path):
    import pyoxigraph as ox
    import synthetic  # bench/synthetic.py

    from inko_graph.store import OxigraphStore

    path = tmp / f"synthetisch-{size}.nq"
    with path.open("w", encoding="utf-8") as fh:
        synthetic.generate(fh, size)
    inner = ox.Store()
    inner.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    path.unlink()
    return OxigraphStore(inner)


def params_for(store, name: str) -> dict:
    if name != "akteursprofil":
        return {}
    # An actor responsible for something, found cheaply (the benchmark's own look-up, not timed).
    res = store.query("SELECT ?a WHERE { ?v inko:zustaendig ?a } LIMIT 1")
    return {"akteur": next(iter(res))["a"].value}


def measure(store, q, params: dict, include_curated: bool, repeat: int, budget: float) -> tuple[float, float, float, int]:
    """(median ms of the API, of raw pyoxigraph fetching the terms, of raw reading the values; rows).

    The three take turns in a rotating order, so that none always meets a warm or a cold cache.
    """
    import pyoxigraph as ox

    from inko_graph.namespaces import PREFIXES
    from inko_graph.query.catalogue import bind_params, graphs_without_curated, run

    bindings = bind_params(q, params)
    for k in q.meta.get("berechnet_params", ()):
        bindings.pop(k, None)
    kwargs = {"prefixes": PREFIXES, "substitutions": {ox.Variable(k): v for k, v in bindings.items()}}
    if include_curated:
        kwargs["use_default_graph_as_union"] = True
    else:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in graphs_without_curated(store)]

    def terms():
        # Every term of every solution is fetched (terms are made on access) and dropped again.
        n = 0
        for sol in store.inner.query(q.text, **kwargs):
            for _term in sol:
                pass
            n += 1
        return n

    def values():
        # What one needs at least to use the rows: the value of every term.
        return [[None if t is None else t.value for t in sol] for sol in store.inner.query(q.text, **kwargs)]

    def api():
        return run(store, q, params, include_curated=include_curated)

    fns = [api, terms, values]
    times: list[list[float]] = [[], [], []]
    used, rows, k = 0.0, 0, 0
    while len(times[0]) < repeat and (not times[0] or used < budget):
        for j in range(3):
            i = (j + k) % 3
            t0 = time.process_time()
            out = fns[i]()
            dt = time.process_time() - t0
            times[i].append(dt)
            used += dt
            if i == 0:
                rows = len(out)
        k += 1
    med = [statistics.median(ts) * 1000 for ts in times]
    return med[0], med[1], med[2], rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Laufzeit der benannten Abfragen: API und pyoxigraph.")
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000], help="Größen der synthetischen Graphen")
    ap.add_argument("--repeat", type=int, default=5, help="Wiederholungen je Abfrage (Median)")
    ap.add_argument("--budget", type=float, default=20.0, help="Sekunden je Abfrage und Graph, nach denen nicht mehr wiederholt wird")
    ap.add_argument("--alle", action="store_true", help="alle Abfragen des Katalogs, nicht nur die dieses Benchmarks")
    ap.add_argument("--ohne-kuratiert", dest="ohne_kuratiert", action="store_true", help="ohne kuratierte Graphen abfragen")
    ap.add_argument("--abfragen", nargs="*", help="nur diese Abfragen")
    args = ap.parse_args(argv)

    from inko_graph.query.catalogue import Catalogue
    from inko_graph.settings import Settings

    cat = Catalogue(Settings().queries_dir)
    names = args.abfragen or (cat.names() if args.alle else QUERIES)
    results: dict[str, dict[str, tuple[float, float, float, int]]] = {n: {} for n in names}
    labels = []
    with tempfile.TemporaryDirectory() as tmp:
        datasets = [("echt", real_store)] + [(f"{s:,}".replace(",", "."), lambda s=s: synthetic_store(s, Path(tmp)))
                                             for s in args.sizes]
        for label, make in datasets:
            t0 = time.perf_counter()
            store = make()
            print(f"# {label}: {len(store)} Tripel geladen in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
            labels.append((label, len(store)))
            for name in names:
                q = cat.get(name)
                res = measure(store, q, params_for(store, name), not args.ohne_kuratiert, args.repeat, args.budget)
                results[name][label] = res
                print(f"#   {name}: API {res[0]:.1f} ms, Terme {res[1]:.1f} ms, Werte {res[2]:.1f} ms, {res[3]} Zeilen",
                      file=sys.stderr, flush=True)
            del store

    last = labels[-1][0]
    head = "| Abfrage | " + " | ".join(f"{lab} ({n:,} Tripel)".replace(",", ".") + ": API / Terme / Werte ms, Zeilen"
                                      for lab, n in labels)
    print(head + f" | Mehraufwand API bei {last}: ggü. Termen / ggü. Werten |")
    print("| --- |" + " ---: |" * len(labels) + " ---: |")
    for name in names:
        cells = []
        for lab, _ in labels:
            a, r, v, n = results[name][lab]
            cells.append(f"{a:.1f} / {r:.1f} / {v:.1f}, {n}")
        a, r, v, _ = results[name][last]
        extra = " (mit Ähnlichkeitsberechnung)" if cat.get(name).meta.get("berechnet") else ""
        print(f"| {name}{extra} | " + " | ".join(cells) + f" | {100 * (a - r) / r:+.0f} % / {100 * (a - v) / v:+.0f} % |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
