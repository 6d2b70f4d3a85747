"""Server time of the Kreis comparison (``/kreisvergleich``) on the real graph and on synthetic graphs.

    .venv/bin/python bench/bench_kreisvergleich.py [--sizes 100000] [--repeat 3] [--ohne-echt]

Asked through the application itself (ASGI, no network), as ``bench_cockpit.py`` does: "kalt"
with every cache emptied before the request (the first visitor after a change of data), then
again with the named queries' answers cached. Real graph: the Ennepe-Ruhr-Kreis and the Kreis
Mettmann; synthetic (``inko_graph.load.synth``, nine towns to a Kreis): the first Kreis. Median of
``--repeat`` runs in ms, wall clock and (in brackets) processor time of the process, which a loaded
machine inflates less; the aims: under 300 ms on the real graph, under 1 s at 10^5 triples.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_cockpit import _app, _synthetic  # noqa: E402

PAGES = ["/kreisvergleich?kreis={k}", "/kreisvergleich?kreis={k}&format=csv&tabelle=heatmap",
         "/kreisvergleich?kreis={k}&format=xlsx&tabelle=felder"]


async def _measure(app, kreis: str, repeat: int) -> list[tuple[str, float, float, float, int]]:
    import httpx

    out = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as c:
        for hook in app.state.startup:
            await hook(app)
        try:
            for page in PAGES:
                url = page.format(k=kreis)
                cold, cpu, warm, status = [], [], [], 0
                for _ in range(repeat):
                    app.state.cache.clear()
                    t, p = time.perf_counter(), time.process_time()
                    r = await c.get(url)
                    cold.append((time.perf_counter() - t) * 1000)
                    cpu.append((time.process_time() - p) * 1000)
                    t = time.perf_counter()
                    r = await c.get(url)
                    warm.append((time.perf_counter() - t) * 1000)
                    status = r.status_code
                out.append((url, statistics.median(cold), statistics.median(cpu), statistics.median(warm), status))
        finally:
            for hook in reversed(app.state.shutdown):
                await hook(app)
    return out


# The page runs all but -vorhaben and -luecken (it counts from -verknuepfungen); those two are the
# named queries of the endpoint catalogue that say the same.
QUERIES = ["kreisvergleich-kreise", "kreisvergleich-felder", "kreisvergleich-verknuepfungen", "cockpit-kreisziele",
           "kreisvergleich-vorhaben", "kreisvergleich-luecken"]


def _queries(store, kreis_iri: str, repeat: int) -> list[tuple[str, float, float]]:
    """Each named query behind the page on its own, and the page's counting in Python (median ms,
    wall clock and processor time): where the page's time goes."""
    from inko_graph.query.catalogue import Catalogue, run
    from inko_graph.server.kreisvergleich_zahlen import zaehlen
    from inko_graph.settings import Settings

    cat = Catalogue(Settings.from_env(env={}, store_path=None).queries_dir)
    run(store, cat.get("kreisvergleich-kreise"))  # the store's first query pays for reading its graphs
    out, rows = [], {}
    for name in QUERIES:
        params = {} if name in ("kreisvergleich-kreise", "kreisvergleich-verknuepfungen") else {"kreis": kreis_iri}
        times, cpu = [], []
        for _ in range(repeat):
            t, p = time.perf_counter(), time.process_time()
            rows[name] = run(store, cat.get(name), params)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - p) * 1000)
        out.append((f"`{name}`", statistics.median(times), statistics.median(cpu)))
    felder = rows["kreisvergleich-felder"]
    zuordnung: dict[str, set] = {}
    for f, kf in zip(felder["feld"], felder["kreisfeld"]):
        if isinstance(kf, str):
            zuordnung.setdefault(f, set()).add(kf)
    staedte = sorted(set(rows["kreisvergleich-kreise"].query("kreis == @kreis_iri").stadt))
    times, cpu = [], []
    for _ in range(repeat):
        t, p = time.perf_counter(), time.process_time()
        zaehlen(rows["kreisvergleich-verknuepfungen"], kreis_iri, staedte, zuordnung)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - p) * 1000)
    out.insert(3, ("Zählung in Python (`kreisvergleich_zahlen`)", statistics.median(times), statistics.median(cpu)))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Serverzeit des Kreisvergleichs.")
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ohne-echt", action="store_true", help="den echten Graphen auslassen")
    args = ap.parse_args(argv)
    runs = []
    if not args.ohne_echt:
        from inko_graph.load.build import build
        from inko_graph.settings import Settings

        store = build(Settings.from_env(env={}, store_path=None)).store
        for kreis in ("ennepe-ruhr-kreis", "kreis-mettmann"):
            runs.append((f"echt ({len(store)} Quads)", store, kreis))
    for size in args.sizes:
        store, n = _synthetic(size)
        runs.append((f"synthetisch {n} Tripel", store, "synth-kreis-0"))
    print("| Graph | Seite | kalt (ms) | kalt, Prozessor (ms) | mit Zwischenspeicher (ms) | Status |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, store, kreis in runs:
        for page, cold, cpu, warm, status in asyncio.run(_measure(_app(store), kreis, args.repeat)):
            print(f"| {name} | `{page}` | {cold:.0f} | {cpu:.0f} | {warm:.0f} | {status} |", flush=True)
    print("\n| Graph | Kreis | Abfrage | ms | Prozessor (ms) |\n| --- | --- | --- | ---: | ---: |")
    for name, store, kreis in runs:
        for query, ms, cpu in _queries(store, "https://w3id.org/inko/id/gebiet/" + kreis, args.repeat):
            print(f"| {name} | {kreis} | {query} | {ms:.0f} | {cpu:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
