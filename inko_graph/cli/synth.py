"""``synth``: synthetic data of the real shape, for load tests and benchmarks."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser(
        "synth", help="synthetische Daten in der Form der echten erzeugen (für Last- und Zeitmessungen)",
        description="Schreibt Konzepte von Städten und Kreisen mit Zielen, Maßnahmen, Akteuren, Lebensphasen, "
                    "Indikatoren und Raster-Meldungen als N-Quads nach ORDNER/synthetisch.nq. "
                    "Gleiche Angaben ergeben die gleiche Datei.")
    p.add_argument("--towns", "--staedte", dest="towns", type=int, default=9, metavar="K",
                   help="Zahl der Städte (je neun bilden einen Kreis; Standard: 9)")
    p.add_argument("--triples", "--tripel", dest="triples", type=int, required=True, metavar="N",
                   help="ungefähre Zahl der Tripel (ganze Dokumente, also etwas mehr)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="ORDNER", help="Zielordner")
    p.add_argument("--seed", type=int, default=1, help="Startwert des Zufalls (Standard: 1)")
    p.set_defaults(func=cmd_synth)


def cmd_synth(args, settings) -> int:
    from ..load.synth import write

    if args.towns < 1 or args.towns > 100_000:
        raise InputError(f"--towns muss zwischen 1 und 100000 liegen, nicht {args.towns}.")
    if args.triples < 1 or args.triples > 100_000_000:
        raise InputError(f"--triples muss zwischen 1 und 100000000 liegen, nicht {args.triples}.")
    if args.output.exists() and not args.output.is_dir():
        raise InputError(f"{args.output} ist eine Datei; --output braucht einen Ordner.")
    try:
        path, n = write(args.output, args.triples, args.towns, args.seed)
    except OSError as e:
        raise InputError(f"{args.output}: kann nicht geschrieben werden ({e.strerror}).") from None
    print(f"{n} Tripel in {path}", file=sys.stderr)
    return 0
