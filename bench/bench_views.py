"""Benchmark of the network views: time to build each view's HTML in Python, and time until the
network is drawn (and, with physics off, stable) in headless Chromium, for synthetic graphs of
500, 2,000 and 10,000 nodes and for the real graph.

    .venv/bin/python bench/bench_views.py [--sizes 500 2000 10000] [--repeat 3] [--no-browser]

Prints Markdown tables. Everything stays on this machine: the pages are files opened from disk.
Each page load is bounded (60 s); the whole run takes a few minutes at most.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inko_graph import views  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
I = "https://w3id.org/inko/id/"
LINKS = views.Links.for_server("https://w3id.org/inko/", prefix="http://127.0.0.1:8000")


def synthetic(n: int, seed: int = 1) -> views.Bestand:
    """A graph of about ``n`` nodes shaped like the real one: 4 concepts, each with fields and
    goals (Leitziele with Teilziele), measures and activities serving the goals, shared actors,
    six Lebensphasen, and some alignment links between the concepts."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()

    def node(iri, art, label, doc=None, gebiet=None):
        g.add_node(iri, iri=iri, art=art, label=label, quellen=[doc] if doc else [],
                   quellnamen=[f"Dokument {doc[-1]}"] if doc else [], gebiete=[gebiet] if gebiet else [],
                   akteursart="Verein" if art == "akteur" else "", notation="")

    def edge(u, v, key):
        g.add_edge(u, v, key=key, kuratiert=key.endswith("Match") or key == "lebensphase")

    phases = [f"{I}vokabular/lebensphase/p{i}" for i in range(6)]
    for i, p in enumerate(phases):
        node(p, "lebensphase", f"Lebensphase {i}")
    docs = [f"{I}quelle/90{d}" for d in range(4)]
    towns = [f"{I}gebiet/stadt-{d}" for d in range(4)]
    rest = n - len(phases)
    per_doc = rest // 4
    n_actors = max(4, rest // 5)
    actors = [f"{I}akteur/a{i}" for i in range(n_actors)]
    for i, a in enumerate(actors):
        node(a, "akteur", f"Akteur {i} e. V.", docs[i % 4], towns[i % 4])
    per_doc -= n_actors // 4
    leit_by_doc = []
    for d, doc in enumerate(docs):
        k = f"{I}konzept/k{d}"
        node(k, "konzept", f"Integrationskonzept {d}", doc, towns[d])
        fields = [f"{I}d{d}/handlungsfeld/{i}" for i in range(6)]
        for i, f in enumerate(fields):
            node(f, "handlungsfeld", f"Handlungsfeld {i} ({d})", doc)
            edge(f, k, "inScheme")
        budget = per_doc - 7
        n_goals = max(8, budget // 4)
        leit = [f"{I}d{d}/leitziel/{i}" for i in range(8)]
        goals = list(leit)
        for i, z in enumerate(leit):
            node(z, "leitziel", f"Leitziel {i + 1} des Dokuments {d}: Teilhabe und Bildung stärken", doc)
            edge(z, k, "inScheme")
            edge(z, fields[i % 6], "handlungsfeld")
        for i in range(n_goals - 8):
            t = f"{I}d{d}/teilziel/{i}"
            node(t, "teilziel", f"Teilziel {i + 1}: Angebote für Familien ausbauen", doc)
            edge(t, rnd.choice(leit), "broader")
            edge(t, k, "inScheme")
            goals.append(t)
        leit_by_doc.append(leit)
        for i in range(budget - n_goals):
            kind = "massnahme" if i % 3 else "aktivitaet"
            v = f"{I}d{d}/{kind}/{i}"
            node(v, kind, f"{'Maßnahme' if kind == 'massnahme' else 'Aktivität'} {i + 1}: Sprachkurs im Quartier", doc)
            for z in rnd.sample(goals[:max(8, len(goals) * 2 // 3)], rnd.choice((1, 1, 2))):
                edge(v, z, "dient")
            edge(v, rnd.choice(actors), "zustaendig" if kind == "massnahme" else "traeger")
            if rnd.random() < 0.3:
                edge(v, rnd.choice(actors), "beteiligt")
            edge(v, rnd.choice(fields), "handlungsfeld")
            edge(v, rnd.choice(phases), "lebensphase")
    for d in range(1, 4):
        for i in range(8):
            if rnd.random() < 0.6:
                edge(leit_by_doc[d][i], leit_by_doc[0][rnd.randrange(8)], "closeMatch")
    b = views.Bestand(graph=g)
    for z, data in g.nodes(data=True):
        if data["art"] in views.ZIELARTEN and not b.into(z, {"dient"}) and not b.into(z, {"broader"}):
            b.luecken.add(z)
    for gid in list(g)[:: max(1, n // 40)]:
        if g.nodes[gid]["art"] == "teilziel":
            b.ueberschneidungen[gid] = [("Lebensphase 1", 2)]
    return b


def _busiest(b: views.Bestand, kinds) -> str:
    return max(b.of_kind(kinds), key=lambda v: b.graph.degree(v))


def view_specs(b: views.Bestand) -> list[tuple[str, dict]]:
    specs = [
        ("ziel", {"iri": _busiest(b, {"leitziel"})}),
        ("akteur", {"iri": _busiest(b, views.AKTEURE), "radius": 2}),
        ("feld", {"handlungsfeld": _busiest(b, {"handlungsfeld"})}),
        ("abgleich", {}),
        ("gesamt", {}),
        ("gesamt", {"max_nodes": 0}),
    ]
    # A town's overview (it opens on the town's integration concept), where the graph knows towns.
    towns = sorted(g for g in b.gebietnamen if any(g in b.node(k)["gebiete"] for k in b.of_kind({"konzept"})))
    if towns:
        busiest = max(towns, key=lambda g: sum(1 for _, d in b.graph.nodes(data=True) if g in d["gebiete"]))
        specs.append(("gesamt", {"town": busiest}))
    return specs


def _label(view: str, params: dict) -> str:
    if view == "gesamt" and params.get("town"):
        return "gesamt (eine Stadt)"
    if view == "gesamt":
        return "gesamt (ungekürzt)" if params.get("max_nodes") == 0 else "gesamt (zusammengefasst)"
    return {"akteur": "akteur (Umkreis 2)"}.get(view, view)


def _median(xs):
    return statistics.median(xs) if xs else float("nan")


def time_build(b: views.Bestand, view: str, params: dict, repeat: int) -> tuple[float, str, views.Ansicht]:
    times, html, a = [], "", None
    for _ in range(repeat):
        t0 = time.perf_counter()
        a = views.build(b, view, **params)
        html = views.render(a, LINKS)
        times.append(time.perf_counter() - t0)
    return _median(times), html, a


def time_draw(browser, path: Path, repeat: int) -> float:
    """Milliseconds from the start of navigation until the network is drawn (physics is off, so
    drawn means stable), as the page measures it."""
    times = []
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        try:
            page.goto(path.as_uri(), timeout=60_000)
            page.wait_for_selector("body[data-zustand=fertig]", timeout=60_000)
            drawn = page.evaluate("window.inkoGezeichnet")
            count = int(page.get_attribute("#netz", "data-knoten"))
            assert count > 0
            times.append(drawn / 1000)
        finally:
            page.close()
    return _median(times)


def real_bestand():
    from inko_graph.load.build import build
    from inko_graph.errors import InkoError
    from inko_graph.query.catalogue import Catalogue
    from inko_graph.settings import Settings

    settings = Settings.from_env(env={}, store_path=None)
    try:
        store = build(settings).store
    except InkoError as e:
        print(f"Echte Daten übersprungen: {e}", file=sys.stderr)
        return None
    return views.load(store, Catalogue(settings.queries_dir))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[500, 2000, 10000])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--no-browser", action="store_true")
    args = p.parse_args(argv)

    browser = None
    pw = None
    if not args.no_browser and Path(CHROMIUM).exists():
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)

    graphs = [(f"echt", real_bestand())] + [(f"{n:,}".replace(",", "."), synthetic(n)) for n in args.sizes]
    print("| Graph | Ansicht | Knoten | Kanten | HTML bauen (s) | HTML (MB) | gezeichnet im Browser (s) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, b in graphs:
                if b is None:
                    continue
                for view, params in view_specs(b):
                    if view == "gesamt" and params.get("max_nodes") == 0 and b.graph.number_of_nodes() <= views.GESAMT_MAX:
                        continue
                    seconds, html, a = time_build(b, view, params, args.repeat)
                    path = Path(tmp) / f"{name}-{view}-{len(params)}.html"
                    path.write_text(html, encoding="utf-8")
                    drawn = time_draw(browser, path, args.repeat) if browser else float("nan")
                    print(f"| {name} ({b.graph.number_of_nodes()} Knoten) | {_label(view, params)} | {a.knoten} | "
                          f"{a.kanten} | {seconds:.2f} | {len(html.encode()) / 1e6:.1f} | {drawn:.2f} |", flush=True)
    finally:
        if browser:
            browser.close()
            pw.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
