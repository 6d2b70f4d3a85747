"""Server time of every cockpit page, for one Gebiet, on the real graph and on synthetic graphs.

    .venv/bin/python bench/bench_cockpit.py [--sizes 100000] [--repeat 3] [--ohne-echt] [--seiten /bericht ...]
                                            [--prozessorzeit] [--gebiet stadt|kreis|alle]

Each page is asked through the application itself (ASGI, no network), once with the answers of
the named queries cached and once with every cache emptied before the request ("kalt": what the
first visitor after a change of data waits). The Gebiet is Hattingen on the real graph and the
first town with a concept on a synthetic graph (``inko_graph.load.synth``); the Kreis comparison
is asked for that town's Kreis. The goal and actor pages (resource page and network view) are
those of the town's Leitziel with the most undertakings and of its actor with the most
activities and measures, found with the cockpit's named queries. Median of ``--repeat`` runs in
ms; the aims: under 300 ms on the real graph, under 1 s at 10^5 triples.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ["/", "/wer-dient", "/wer-dient?seite=2&sortierung=-akteur", "/ziele", "/luecken", "/kreisziele",
         "/ueberschneidungen", "/matrix", "/akteure", "/netzwerk", "/aenderungen", "/raster", "/wer-dient?format=xlsx",
         "/bericht", "/kreisvergleich?gebiet={kreis}", "/monitoring", "/aenderungen/konzept", "/konzept", "/abfragen",
         "{ziel}", "/netzwerk/ziel?iri={ziel_iri}", "{akteur}", "/netzwerk/akteur?iri={akteur_iri}", "/netzwerk/gesamt"]


def _fill(app, gebiet: str) -> dict[str, str]:
    """What the page addresses need: the town's Kreis, its Leitziel with the most undertakings and
    its actor with the most activities and measures (as paths of their resource pages and as IRIs)."""
    from urllib.parse import quote

    from inko_graph.query.catalogue import run
    from inko_graph.server.gebiet import choices
    from inko_graph.server.named_queries import catalogue

    opts = choices(app)
    town = opts.get(gebiet)     # None for "alle": the goals and actors of every concept
    kreis = next((g.slug for g in opts.values() if town is not None and g.iri == town.liegt_in), gebiet)
    cat, store = catalogue(app), app.state.store
    inko = "https://w3id.org/inko/def#"
    ziele = run(store, cat.get("cockpit-ziele"))
    ziele = ziele[(ziele["art"] == inko + "Leitziel")
                  & (ziele["konzept"].isin(town.konzept_iris) if town else True)]
    ziel = ziele.sort_values(["vorhaben_mit_unterzielen", "ziel"], ascending=[False, True])["ziel"].iloc[0]
    akteure = run(store, cat.get("cockpit-akteure"), {"gebiet": town.iri} if town else {})
    akteure["summe"] = akteure["aktivitaeten"].fillna(0).astype(int) + akteure["massnahmen"].fillna(0).astype(int)
    akteur = akteure.sort_values(["summe", "akteur"], ascending=[False, True])["akteur"].iloc[0]
    base = app.state.settings.base_iri

    def path(iri: str) -> str:  # the resource page of an IRI of the data (``/id/…``)
        return "/" + iri[len(base):] if iri.startswith(base) else "/netzwerk/ressource?iri=" + quote(iri, safe="")

    return {"kreis": kreis, "ziel": path(ziel), "ziel_iri": quote(ziel, safe=""),
            "akteur": path(akteur), "akteur_iri": quote(akteur, safe="")}


def _app(store):
    from inko_graph.server import create_app
    from inko_graph.settings import Settings

    return create_app(Settings.from_env(env={}, store_path=None), store)


async def _measure(app, gebiet: str, repeat: int, pages: list[str] | None = None,
                   clock=time.perf_counter) -> list[tuple[str, float, float, int]]:
    import httpx

    out = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
        for hook in app.state.startup:
            await hook(app)
        # The network views' data is read in the background at start; measured while that runs,
        # the first page would share the processor with it.
        warm_up = getattr(app.state, "views_warm_up", None)
        if warm_up is not None:
            await warm_up
        try:
            fill = _fill(app, gebiet)
            for page in pages or PAGES:
                page = page.format(**fill)
                url = page if "gebiet=" in page else page + ("&" if "?" in page else "?") + f"gebiet={gebiet}"
                cold, warm, status = [], [], 0
                for _ in range(repeat):
                    app.state.cache.clear()
                    for attr in ("views_bestand",):
                        if hasattr(app.state, attr):
                            delattr(app.state, attr)
                    t = clock()
                    r = await c.get(url)
                    cold.append((clock() - t) * 1000)
                    t = clock()
                    r = await c.get(url)
                    warm.append((clock() - t) * 1000)
                    status = r.status_code
                out.append((page, statistics.median(cold), statistics.median(warm), status))
        finally:
            for hook in reversed(app.state.shutdown):
                await hook(app)
    return out


def _synthetic(triples: int):
    import io

    import pyoxigraph as ox

    from inko_graph.store import OxigraphStore
    from inko_graph.load.synth import generate

    buf = io.StringIO()
    n = generate(buf, triples, 9, 1)
    store = OxigraphStore.memory()
    store.load_quads(ox.parse(buf.getvalue().encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    return store, n


def graphs(sizes, *, with_real: bool = True) -> list[tuple[str, object, str]]:
    """(name, store, Gebiet) of each graph measured: the real graph with Hattingen, and a synthetic
    graph per size with its first town that has a concept."""
    from inko_graph.server.gebiet import choices

    runs = []
    if with_real:
        from inko_graph.load.build import build
        from inko_graph.settings import Settings

        store = build(Settings.from_env(env={}, store_path=None)).store
        runs.append((f"echt ({len(store)} Quads)", store, "hattingen"))
    for size in sizes:
        store, n = _synthetic(size)
        towns = [g for g in choices(_app(store)).values() if not g.ist_kreis and g.konzepte]
        runs.append((f"synthetisch {n} Tripel", store, towns[0].slug if towns else "alle"))
    return runs


def _wahl(store, town: str, wahl: str) -> str:
    """The Gebiet measured: the town, its Kreis or all (``alle``)."""
    if wahl == "alle":
        return "alle"
    if wahl == "kreis":
        from inko_graph.server.gebiet import choices

        opts = choices(_app(store))
        return next((g.slug for g in opts.values() if opts.get(town) and g.iri == opts[town].liegt_in), town)
    return town


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Serverzeit der Cockpit-Seiten.")
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ohne-echt", action="store_true", help="den echten Graphen auslassen")
    ap.add_argument("--seiten", nargs="*", default=None, help="nur diese Seiten messen (z. B. /bericht)")
    ap.add_argument("--gebiet", choices=("stadt", "kreis", "alle"), default="stadt",
                    help="die Seiten für die Stadt (Standard), für ihren Kreis oder für alle Gebiete")
    ap.add_argument("--prozessorzeit", action="store_true",
                    help="Prozessorzeit des Prozesses statt der Uhrzeit messen (auf einem belasteten Rechner)")
    args = ap.parse_args(argv)
    clock = time.process_time if args.prozessorzeit else time.perf_counter
    unit = "ms Prozessor" if args.prozessorzeit else "ms"
    runs = graphs(args.sizes, with_real=not args.ohne_echt)
    print(f"| Graph | Seite | kalt ({unit}) | mit Zwischenspeicher ({unit}) | Status |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name, store, gebiet in runs:
        gebiet = _wahl(store, gebiet, args.gebiet)
        for page, cold, warm, status in asyncio.run(_measure(_app(store), gebiet, args.repeat, args.seiten, clock)):
            print(f"| {name}, {gebiet} | `{page}` | {cold:.0f} | {warm:.0f} | {status} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
