"""A synthetic graph of the same shape as graph_data/ as one N-Quads file (the generator is
inko_graph/load/synth.py, also ``inko-graph synth``).

    python bench/synthetic.py --triples 100000 -o synth.nq [--towns 9] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inko_graph.load.synth import generate  # noqa: E402  (the benchmarks import it from here)

__all__ = ["generate", "main"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Synthetischer Graph in der Form von graph_data/, als N-Quads.")
    ap.add_argument("--triples", type=int, required=True, help="ungefähre Zahl der Tripel (ganze Dokumente)")
    ap.add_argument("--towns", type=int, default=9, help="Zahl der Städte")
    ap.add_argument("-o", "--output", type=Path, required=True, help="Ausgabedatei (.nq)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    with args.output.open("w", encoding="utf-8") as fh:
        n = generate(fh, args.triples, args.towns, args.seed)
    print(f"{n} Tripel in {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
