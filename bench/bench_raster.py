"""Benchmark of the Raster import: 10, 1,000 and 10,000 activity rows, validation included.

    .venv/bin/python bench/bench_raster.py [--rows 10 1000 10000] [--repeat 3] [--format xlsx csv]

The real graph is built in memory once; for each size a workbook (and a one-file CSV) is made from
the Hattingen template with rows that choose Handlungsfelder, goals, Lebensphasen, Zielgruppen and
partners from the lists, as volunteers would. Each import reads the file, maps every value,
validates the new graph with the shapes (plus the vocabularies, ontology and what the rows refer
to) and writes it; it replaces the graph of the import before, as a new submission for the same
year does. Prints a Markdown table with the median time and its parts. No network is used.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rows(vocab, n: int, seed: int = 7) -> list[list]:
    rnd = random.Random(seed)
    fields = [t.display for t in vocab.handlungsfelder]
    goals = [t.display for t in vocab.ziele]
    phases = [t.display for t in vocab.lebensphasen]
    groups = [t.display for t in vocab.zielgruppen]
    actors = [t.display for t in vocab.akteure if "Hattingen" in t.display or rnd.random() < 0.1]
    out = []
    for i in range(n):
        out.append([
            f"Aktivität {i + 1}: {rnd.choice(['Sprachkurs', 'Beratung', 'Begegnungscafé', 'Elterntreff', 'Training'])}",
            f"Beschreibung der Aktivität {i + 1}, die sich an Menschen in Hattingen richtet.",
            rnd.choice(fields),
            "; ".join(rnd.sample(goals, k=min(len(goals), rnd.randint(1, 3)))),
            "; ".join(rnd.sample(phases, k=rnd.randint(1, 2))),
            "; ".join(rnd.sample(groups, k=rnd.randint(0, 2))) or None,
            f"01.{rnd.randint(1, 12):02d}.2026",
            "31.12.2026" if rnd.random() < 0.5 else None,
            "; ".join(rnd.sample(actors, k=rnd.randint(0, 2))) or None,
            "Städtische Statistik" if rnd.random() < 0.2 else None,
        ])
    return out


ACTOR = {"Organisation": "vhs Hattingen", "Art des Akteurs": "Bildungseinrichtung", "Gebiet": "Hattingen",
         "Berichtsjahr": 2026, "Selbstdarstellung": "Volkshochschule der Stadt Hattingen."}


def _xlsx(template: bytes, rows: list[list]) -> bytes:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb["Akteur"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value in ACTOR:
            ws.cell(row=r, column=2).value = ACTOR[ws.cell(row=r, column=1).value]
    act = wb["Aktivitäten"]
    for i, row in enumerate(rows, start=2):
        for c, v in enumerate(row, start=1):
            act.cell(row=i, column=c).value = v
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows: list[list]) -> bytes:
    from inko_graph.raster.columns import ACTIVITY_COLUMNS, ACTOR_FIELDS

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";")
    w.writerow([f.name for f in ACTOR_FIELDS] + [f.name for f in ACTIVITY_COLUMNS])
    for i, row in enumerate(rows):
        actor = [ACTOR.get(f.name) if i == 0 else None for f in ACTOR_FIELDS]
        w.writerow(["" if v is None else v for v in actor + row])
    return buf.getvalue().encode("utf-8")


def _int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _sec(x: float) -> str:
    return f"{x:.2f} s".replace(".", ",")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[10, 1000, 10000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--format", nargs="+", choices=["xlsx", "csv"], default=["xlsx", "csv"])
    args = ap.parse_args(argv)

    from inko_graph.load.build import build
    from inko_graph.raster.importer import import_raster
    from inko_graph.raster.template import resolve_town, workbook_bytes
    from inko_graph.raster.vocab import load_vocabulary
    from inko_graph.settings import Settings

    settings = Settings.from_env(env={}, store_path=None, max_upload_bytes=50_000_000)
    t0 = time.perf_counter()
    store = build(settings).store
    print(f"Graph gebaut: {len(store)} Tripel in {time.perf_counter() - t0:.1f} s\n")
    area = resolve_town(store, settings, "Hattingen")
    vocab = load_vocabulary(store, settings.queries_dir, area.iri)
    template = workbook_bytes(store, settings, town="Hattingen", year=2026)

    print("| Zeilen | Format | Datei | gesamt (Median) | lesen | zuordnen | prüfen | speichern | Tripel |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in args.rows:
        rows = _rows(vocab, n)
        for fmt in args.format:
            data = _xlsx(template, rows) if fmt == "xlsx" else _csv(rows)
            totals, parts = [], []
            result = None
            for _ in range(args.repeat):
                t = time.perf_counter()
                result = import_raster(data, f"bench.{fmt}", store, settings)
                totals.append(time.perf_counter() - t)
                parts.append(result.seconds)
            med = statistics.median(totals)
            part = {k: statistics.median(p[k] for p in parts) for k in parts[0]}
            print(f"| {_int(n)} | {fmt} | {_int(round(len(data) / 1000))} kB | {_sec(med)} | {_sec(part['lesen'])} | "
                  f"{_sec(part['zuordnen'])} | {_sec(part['prüfen'])} | {_sec(part['speichern'])} | "
                  f"{_int(len(result.mapped.triples))} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
