"""Benchmark of the build: the whole `inko-graph build` process on the real data, and loading and
validating synthetic graphs of the same shape (bench/synthetic.py) at 10^5 and 10^6 triples.

    .venv/bin/python bench/bench_build.py [--sizes 100000 1000000] [--repeat 3]

Prints a Markdown table. The shapes compiled to SPARQL (as `build` uses them) are measured at every size; the
reference engine pySHACL at 10^5 only unless --validate-all. The whole-process rows also give the
processor time of the process (its threads and the checking processes it forks), which a busy machine
inflates less than the wall-clock time. Loading with the store's union graphs: bench/bench_load.py.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _process(cmd: list[str], repeat: int, env: dict) -> str:
    """Median wall-clock and processor seconds of a command run ``repeat`` times, after one run
    that fills the cache of the example Raster submissions (a build reads them anew only when
    they or what they depend on changed)."""
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), _children_cpu()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - t0)
        cpus.append(_children_cpu() - c0)
    return f"{statistics.median(walls):.2f} (Prozessor {statistics.median(cpus):.2f})"


def bench_real(repeat: int) -> list[tuple[str, float | str]]:
    import os

    exe = ROOT / ".venv" / "bin" / "inko-graph"
    cmd = [str(exe) if exe.exists() else "inko-graph", "--store", ":memory:", "build"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "INKO_CACHE_DIR": str(Path(tmp) / "cache")}  # this run's own, not shared
        rows: list[tuple[str, float | str]] = [
            ("`inko-graph build`, echte Daten, im Arbeitsspeicher (ganzer Prozess)", _process(cmd, repeat, env))]
        cmd_disk = [cmd[0], "--store", str(Path(tmp) / "store"), "build"]
        rows.append(("`inko-graph build`, echte Daten, auf Platte (ganzer Prozess)", _process(cmd_disk, repeat, env)))
    return rows


def bench_synthetic(size: int, repeat: int, validate: bool) -> list[tuple[str, float]]:
    import synthetic  # bench/synthetic.py

    from inko_graph.settings import Settings
    from inko_graph.validation.shapecheck import check
    from inko_graph.validation.shacl import validate_triples

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"synth-{size}.nq"
        synthetic.main(["--triples", str(size), "-o", str(path)])
        data = path.read_bytes()

        def load_memory():
            st = ox.Store()
            st.bulk_load(data, format=ox.RdfFormat.N_QUADS)

        def load_disk():
            with tempfile.TemporaryDirectory() as d:
                st = ox.Store(d)
                st.bulk_load(data, format=ox.RdfFormat.N_QUADS)
                st.flush()
                del st

        rows.append((f"synthetisch {size:,} Tripel laden (Arbeitsspeicher)".replace(",", "."), _median_seconds(load_memory, repeat)))
        rows.append((f"synthetisch {size:,} Tripel laden (Platte)".replace(",", "."), _median_seconds(load_disk, repeat)))
        settings = Settings.from_env(env={})
        onto = list(ox.parse(path=str(settings.ontology_dir / "inko.ttl"), format=ox.RdfFormat.TURTLE))
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads] + onto
        shapes = settings.ontology_dir / "shapes.ttl"
        t0 = time.perf_counter()
        check(triples, [], shapes)
        rows.append((f"synthetisch {size:,} Tripel prüfen (Regeln als SPARQL wie bei `build`)".replace(",", "."),
                     time.perf_counter() - t0))
        if validate:
            t0 = time.perf_counter()
            validate_triples(triples, shapes)
            rows.append((f"synthetisch {size:,} Tripel prüfen (pySHACL als Referenz)".replace(",", "."), time.perf_counter() - t0))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--validate-all", action="store_true")
    args = ap.parse_args(argv)
    rows = bench_real(args.repeat)
    for size in args.sizes:
        rows += bench_synthetic(size, args.repeat, validate=args.validate_all or size <= 100_000)
    print("| Messung | Median (s) |")
    print("| --- | ---: |")
    for name, secs in rows:
        print(f"| {name} | {secs if isinstance(secs, str) else f'{secs:.2f}'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
