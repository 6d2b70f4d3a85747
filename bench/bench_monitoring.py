"""Benchmark of monitoring: the CSV import (check and write), the integrity constraints, the
conflicts query, one chart, and the report section, on the real graph built in memory.

    .venv/bin/python bench/bench_monitoring.py [--rows 100 1000 5000] [--repeat 3]

Prints a Markdown table (median seconds). Imports go into copies of the store; nothing is kept.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _csv(store, rows: int) -> bytes:
    """``rows`` distinct new values: every numeric indicator × area × year from 2012 on."""
    from inko_graph.monitoring.model import areas, indicators

    inds = [i for i in indicators(store).values() if not i.qualitativ]
    gebiete = list(areas(store))
    lines = ["indikator;gebiet;zeitraum;wert;einheit;quelle"]
    year = 2012
    while len(lines) <= rows:
        for ind in inds:
            for g in gebiete:
                if len(lines) > rows:
                    break
                lines.append(f"{ind.iri};{g};{year};{len(lines)},5;{'' if ind.einheit else 'Anzahl'};Messlauf")
        year += 1
    return ("\n".join(lines) + "\n").encode()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[100, 1000, 5000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from inko_graph.load.build import build
    from inko_graph.monitoring import report_section
    from inko_graph.monitoring.charts import time_series_chart
    from inko_graph.monitoring.conflicts import find_conflicts
    from inko_graph.monitoring.csvimport import import_bytes
    from inko_graph.monitoring.integrity import constraints
    from inko_graph.monitoring.series import time_series
    from inko_graph.settings import Settings
    from inko_graph.store import OxigraphStore

    store = build(Settings.from_env(env={}, store_path=None)).store
    quads = list(store.quads())

    def copy():
        c = OxigraphStore.memory()
        c.load_quads(quads)
        return c

    table: list[tuple[str, float]] = []
    for n in args.rows:
        data = _csv(store, n)
        table.append((f"Import prüfen (Probelauf), {n} Zeilen", _median(lambda: import_bytes(store, data, "bench.csv", dry_run=True), args.repeat)))
        targets = [copy() for _ in range(args.repeat)]
        it = iter(targets)
        table.append((f"Import prüfen und schreiben, {n} Zeilen", _median(lambda: import_bytes(next(it), data, "bench.csv"), args.repeat)))
    table.append(("Datenwürfel-Regeln (11 ASK-Abfragen)", _median(lambda: constraints(store), args.repeat)))
    table.append(("Widersprüche finden", _median(lambda: find_conflicts(store), args.repeat)))
    ind = "https://w3id.org/inko/id/kreis/indikator/anteil-personen-mit-migrationshintergrund"
    series = time_series(store, ind)
    time_series_chart(series)  # warm-up: the first call imports the modules
    table.append(("Ein Diagramm (SVG, Zeitreihe, 11 Gebiete)", _median(lambda: time_series_chart(series), args.repeat)))
    table.append(("Berichtsteil Monitoring, alle Gebiete", _median(lambda: report_section(store), args.repeat)))
    table.append(("Berichtsteil Monitoring, Hattingen", _median(lambda: report_section(store, "Hattingen"), args.repeat)))

    print(f"Echter Graph: {len(store)} Tripel; Median aus {args.repeat} Läufen.\n")
    print("| Messung | Sekunden |")
    print("| --- | ---: |")
    for name, secs in table:
        print(f"| {name} | {secs:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
