"""How good are the alignment suggestions? Measured on the curated goal alignments, leave one out.

For every curated link between goals of two concepts (graph_data/kuratiert/ziele-abgleich.csv:
closeMatch, broadMatch, narrowMatch, relatedMatch) the goal's wording is compared with every goal
of the other concept (TF-IDF cosine, as ``inko_graph.konzept.alignment``); the link itself is held
out: the goal's other curated links into that concept do not count, neither as hits nor as errors.
Reported: the share of links whose target is the first suggestion (precision at 1) and among the
first three (hit rate at 3), overall and per relation.

    .venv/bin/python bench/bench_alignment.py
"""

from __future__ import annotations

import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inko_graph.konzept.alignment import goal_texts, rank  # noqa: E402
from inko_graph.load.build import build  # noqa: E402
from inko_graph.load.sources import expand  # noqa: E402
from inko_graph.raster.vocab import _goals, catalogue  # noqa: E402
from inko_graph.settings import Settings  # noqa: E402


def links(path: Path) -> list[tuple[str, str, str]]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if not row or row[0].startswith("#") or row[0] == "subjekt":
                continue
            s, p, o = (expand(x, where="ziele-abgleich.csv").value for x in row[:3])
            out.append((s, p.rsplit("#", 1)[-1], o))
    return out


def main() -> int:
    t0 = time.perf_counter()
    settings = Settings.from_env(env={}, store_path=None)
    store = build(settings).store
    goals = _goals(store, catalogue(settings.queries_dir), None)
    by_iri = {g.iri: g for g in goals}
    curated = [(s, p, o) for s, p, o in links(ROOT / "graph_data" / "kuratiert" / "ziele-abgleich.csv")
               if s in by_iri and o in by_iri]
    targets = defaultdict(set)
    for s, _, o in curated:
        targets[(s, by_iri[o].group_iri)].add(o)
    full = goal_texts(store, settings)
    for label, texts in (("nur die Bezeichnung", None), ("Bezeichnung, Beschreibung, Kernaussagen", full)):
        print(f"Text der Ziele: {label}")
        measure(curated, goals, by_iri, targets, texts)
    print(f"Zeit: {time.perf_counter() - t0:.1f} s (mit dem Aufbau des Graphen)")
    return 0


def measure(curated, goals, by_iri, targets, texts) -> None:
    hits1, hits3, per = 0, 0, defaultdict(lambda: [0, 0, 0])
    for s, p, o in curated:
        q, concept = by_iri[s], by_iri[o].group_iri
        others = targets[(s, concept)] - {o}          # leave one out: the other true links do not count
        candidates = [g for g in goals if g.group_iri == concept and g.iri not in others]
        top = [c.iri for c, _ in rank([q], candidates, goals, k=3, texts=texts)[q.iri]]
        h1, h3 = top[:1] == [o], o in top
        hits1 += h1
        hits3 += h3
        per[p][0] += 1
        per[p][1] += h1
        per[p][2] += h3
    n = len(curated)
    print(f"  Kuratierte Ziel-Abgleiche: {n} (von {len({s for s, _, _ in curated})} Zielen aus)")
    print(f"  Precision@1 (Treffer auf Platz 1):  {hits1}/{n} = {hits1 / n:.2f}")
    print(f"  Treffer unter den ersten 3 (Hit@3): {hits3}/{n} = {hits3 / n:.2f}")
    for p, (m, a, b) in sorted(per.items()):
        print(f"    {p:13s} {m:3d} Links: P@1 {a / m:.2f}, Hit@3 {b / m:.2f}")


if __name__ == "__main__":
    sys.exit(main())
