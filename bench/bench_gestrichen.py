"""What an upload that leaves out a goal costs the cockpit: reading the struck items and copying
the current statements (``query.gestrichen.struck``), on the real graph and on synthetic graphs.

    .venv/bin/python bench/bench_gestrichen.py [--sizes 100000] [--repeat 3] [--prozessorzeit]

Per graph the town of ``bench_cockpit.graphs`` exports its concept as its Konzept workbook,
deletes one of its last goal rows that nothing else in the workbook refers to (else a measure),
and uploads it again (the real importer). Measured, median of ``--repeat`` runs in ms: ``struck`` on the graph before the upload
(no upload graph: nothing is asked), ``struck`` without the copy (the query per uploaded concept),
and with the copy of the current statements (what the first cockpit page after the upload pays
once; the answers are then cached until the data change), of the store in memory and of the same
store as a database on disk (a checkpoint).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _shortened(store, settings, town: str) -> bytes | None:
    """The town's concept as a workbook without one goal (or, if the importer accepts no deletion
    of the last goal rows in a trial run because measures refer to them, one measure)."""
    import openpyxl

    from inko_graph.errors import InputError
    from inko_graph.konzept.export import export_book
    from inko_graph.konzept.importer import import_file
    from inko_graph.konzept.template import template_bytes

    try:
        book, _ = export_book(store, settings, town)
    except InputError:
        return None
    data = template_bytes(book, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    tries = [(sheet, r) for sheet in ("Ziele", "Maßnahmen") for r in range(book[sheet].max_row, 1, -1)[:6]]
    for sheet, r in tries:
        wb = openpyxl.load_workbook(io.BytesIO(data))
        wb[sheet].delete_rows(r)
        buf = io.BytesIO()
        wb.save(buf)
        try:
            import_file(buf.getvalue(), "bench.xlsx", store, settings, dry_run=True)
        except Exception:   # a row something else refers to: the importer names it; try the next
            continue
        return buf.getvalue()
    return None


def _on_disk(store, root: Path):
    """The store as a database on disk (as ``inko-graph build`` leaves it), with its union graphs."""
    import pyoxigraph as ox

    from inko_graph.store import OxigraphStore

    db = root / "db"
    db.parent.mkdir(parents=True)
    inner = ox.Store(str(db))
    inner.bulk_load(store.inner.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    for g in store.inner.named_graphs():
        inner.add_graph(g)
    return OxigraphStore(inner, db, root=root)


def main(argv=None) -> int:
    from bench_cockpit import graphs

    from inko_graph.konzept.importer import import_file
    from inko_graph.query.catalogue import Catalogue
    from inko_graph.query.gestrichen import struck
    from inko_graph.server.gebiet import choices
    from inko_graph.settings import Settings

    ap = argparse.ArgumentParser(description="Kosten gestrichener Einträge einer hochgeladenen Fassung.")
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--prozessorzeit", action="store_true", help="Prozessorzeit statt Uhrzeit messen")
    args = ap.parse_args(argv)
    clock = time.process_time if args.prozessorzeit else time.perf_counter
    settings = Settings.from_env(env={}, store_path=None)
    cat = Catalogue(settings.queries_dir)

    def median(f) -> float:
        times = []
        for _ in range(args.repeat):
            t = clock()
            f()
            times.append((clock() - t) * 1000)
        return statistics.median(times)

    print(f"{'Graph':32} {'Quads':>8} {'gestrichen':>10} {'ohne Upload':>12} {'Abfrage':>9} {'Kopie Speicher':>15}"
          f" {'Kopie Platte':>13}")
    for name, store, slug in graphs(args.sizes):
        from bench_cockpit import _app

        town = choices(_app(store)).get(slug)
        data = _shortened(store, settings, town.name) if town else None
        if data is None:
            print(f"{name:32} kein Konzept mit Zielen")
            continue
        none = median(lambda: struck(store, cat))
        import_file(data, "bench.xlsx", store, settings)
        query = median(lambda: struck(store, cat, copy=False))
        found = struck(store, cat, copy=False)
        memory = median(lambda: struck(store, cat))
        with tempfile.TemporaryDirectory() as folder:
            disk = _on_disk(store, Path(folder) / "store")
            on_disk = median(lambda: struck(disk, cat))
            del disk
        print(f"{name:32} {len(store):>8} {len(found.eintraege):>10} {none:>12.1f} {query:>9.1f} {memory:>15.1f}"
              f" {on_disk:>13.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
