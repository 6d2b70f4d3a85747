"""Server time of the Steuerungsgruppe report (``/bericht``) when it is drawn anew, and where it goes.

    .venv/bin/python bench/bench_bericht.py [--sizes 100000] [--repeat 3] [--ohne-echt] [--gebiete kreis alle]

Like ``bench_cockpit.py`` (the same graphs and Gebiet), but for the report only, with processor time
beside the wall-clock time (on a machine shared with other work the processor time of the process
is what the report itself costs) and the processor time of each named query and of each section.
Every cache is emptied before each request, also the remembered centralities of the network: what
the first visitor after a change of data waits. Median of ``--repeat`` runs in ms.
``--gebiete`` measures other choices of Gebiet beside the town: ``kreis`` (the town's Kreis, its
own concepts and its towns'), ``alle`` (the whole graph) or a Gebiet's name in the URL.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cockpit import _app, graphs  # noqa: E402


def _timed_queries():
    """Processor time per named query, gathered while the report is drawn."""
    from inko_graph.query import catalogue

    times: dict[str, float] = collections.defaultdict(float)
    inner = catalogue._run

    def run(store, q, params, **kw):
        t = time.process_time()
        try:
            return inner(store, q, params, **kw)
        finally:
            times[q.name] += (time.process_time() - t) * 1000

    catalogue._run = run
    return times


async def _measure(app, gebiet: str, repeat: int, times) -> tuple[float, float, dict]:
    import httpx

    from inko_graph.report import network

    walls, cpus, queries = [], [], []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
        for hook in app.state.startup:
            await hook(app)
        warm_up = getattr(app.state, "views_warm_up", None)
        if warm_up is not None:
            await warm_up
        try:
            for _ in range(repeat):
                app.state.cache.clear()
                network._CENTRALITY.clear()
                times.clear()
                t, p = time.perf_counter(), time.process_time()
                r = await c.get(f"/bericht?gebiet={gebiet}")
                walls.append((time.perf_counter() - t) * 1000)
                cpus.append((time.process_time() - p) * 1000)
                queries.append(dict(times))
                assert r.status_code == 200, r.status_code
        finally:
            for hook in reversed(app.state.shutdown):
                await hook(app)
    names = sorted({n for q in queries for n in q})
    per_query = {n: statistics.median(q.get(n, 0.0) for q in queries) for n in names}
    return statistics.median(walls), statistics.median(cpus), per_query


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Serverzeit des Berichts für die Steuerungsgruppe.")
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ohne-echt", action="store_true", help="den echten Graphen auslassen")
    ap.add_argument("--gebiete", nargs="*", default=[],
                    help="weitere Gebiete neben der Stadt: kreis (ihr Kreis), alle, oder der Name eines Gebiets in der URL")
    args = ap.parse_args(argv)
    times = _timed_queries()
    runs = graphs(args.sizes, with_real=not args.ohne_echt)
    for name, store, town in runs:
        app = _app(store)
        for gebiet in [town] + [_slug(app, town, g) for g in args.gebiete]:
            wall, cpu, per_query = asyncio.run(_measure(app, gebiet, args.repeat, times))
            print(f"\n{name}, {gebiet}: /bericht kalt {wall:.0f} ms (Prozessorzeit {cpu:.0f} ms)")
            print("| Abfrage | Prozessorzeit (ms) |\n| --- | ---: |")
            for q, ms in sorted(per_query.items(), key=lambda kv: -kv[1]):
                print(f"| `{q}` | {ms:.0f} |")
            print(f"| alle Abfragen | {sum(per_query.values()):.0f} |", flush=True)
    return 0


def _slug(app, town: str, wanted: str) -> str:
    """The Gebiet in the URL for ``wanted``: ``kreis`` is the town's Kreis."""
    if wanted != "kreis":
        return wanted
    from inko_graph.server.gebiet import choices

    opts = choices(app)
    return next((g.slug for g in opts.values() if town in opts and g.iri == opts[town].liegt_in), town)


if __name__ == "__main__":
    sys.exit(main())
