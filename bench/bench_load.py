"""Loading synthetic data of the real shape (``inko-graph synth``) into a new database on disk, split
into its parts: parsing alone, raw pyoxigraph ``bulk_load`` (quads only, the limit), and
``inko-graph load --ganz`` (``store.bulk_load_new``: the quads and the store's two union graphs in
one bulk pass, flushed, switched to).

    .venv/bin/python bench/bench_load.py [--sizes 100000 1000000] [--repeat 3]

Prints a Markdown table: median wall-clock and processor seconds (all threads of this process) per
step. The union graphs triple the quads the bulk loader indexes (each triple once more in
``urn:x-inko:vereinigung`` and, unless its graph is curated, in ``…-ohne-kuratiert``). The row
"roh, Quads und Kopien" is raw pyoxigraph ``bulk_load`` of a file that already holds them (written
before the clock starts): the store's own cost of that much data, the floor for ``--ganz``.
"""

from __future__ import annotations

import argparse
import collections
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NQ = ox.RdfFormat.N_QUADS


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _timed(fn, repeat: int) -> tuple[float, float]:
    """Median wall-clock and processor seconds of ``fn(folder)`` over ``repeat`` runs, each in a fresh folder."""
    walls, cpus = [], []
    for _ in range(repeat):
        folder = Path(tempfile.mkdtemp(prefix="inko-bench-load-"))
        try:
            t0, c0 = time.perf_counter(), _cpu()
            fn(folder)
            walls.append(time.perf_counter() - t0)
            cpus.append(_cpu() - c0)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return statistics.median(walls), statistics.median(cpus)


def _parse_only(path: Path):
    return lambda folder: collections.deque(ox.parse(path=str(path), format=NQ), maxlen=0)


def _raw(path: Path):
    def run(folder: Path) -> None:
        st = ox.Store(str(folder / "db"))
        st.bulk_load(path=str(path), format=NQ)
        st.flush()
        del st
    return run


def _with_copies(path: Path, tmp: Path) -> Path:
    """A file with the quads of ``path`` and their union copies, as ``--ganz`` writes them."""
    from inko_graph.store.union import _union_copies, curated_in

    quads = list(ox.parse(path=str(path), format=NQ))
    out = tmp / (path.stem + "-mit-kopien.nq")
    with out.open("wb") as fh:
        ox.serialize(_union_copies(quads, curated_in(quads)), fh, format=NQ)
    return out


def _inko(path: Path):
    from inko_graph.store import bulk_load_new

    return lambda folder: bulk_load_new(folder / "store", path, NQ)


def bench(size: int, repeat: int, tmp: Path) -> list[tuple[str, float, float]]:
    from inko_graph.load import synth

    data = tmp / f"synth-{size}.nq"
    with data.open("w", encoding="utf-8") as fh:
        n = synth.generate(fh, size, towns=max(9, size // synth.PER_DOCUMENT))
    label = f"{n:,}".replace(",", ".")
    copies = _with_copies(data, tmp)
    with copies.open("rb") as fh:
        indexed = f"{sum(1 for _ in fh):,}".replace(",", ".")
    rows = []
    for name, fn in [("nur lesen (Quads als Python-Objekte)", _parse_only(data)),
                     ("pyoxigraph roh `bulk_load`, nur die Quads", _raw(data)),
                     (f"pyoxigraph roh `bulk_load`, Quads und Kopien ({indexed} Quads, fertige Datei)", _raw(copies)),
                     ("`inko-graph load --ganz` (Quads und Vereinigungsgraphen)", _inko(data))]:
        wall, cpu = _timed(fn, repeat)
        rows.append((f"{label} Tripel: {name}", wall, cpu))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="inko-bench-data-") as tmp:
        for size in args.sizes:
            rows += bench(size, args.repeat, Path(tmp))
    print("| Messung | Wanduhr (s) | Prozessor (s) |")
    print("| --- | ---: | ---: |")
    for name, wall, cpu in rows:
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
