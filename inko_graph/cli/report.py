"""``report``: the report for a meeting of the Steuerungsgruppe (one HTML file plus CSV files)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser(
        "report", help="Bericht für die Steuerungsgruppe schreiben (HTML und CSV)",
        description="Schreibt einen Bericht mit Lücken, Überschneidungen, Handlungsfeldern je Lebensphase und den "
                    "zentralen Akteuren: bericht.html (eine Datei, ohne Verweise auf andere Server) und CSV-Dateien.")
    p.add_argument("--town", "--stadt", dest="town", metavar="STADT",
                   help="nur dieses Gebiet, wie im Cockpit: eine Stadt (z. B. Hattingen) mit dem Konzept "
                        "ihres Kreises zum Vergleich, oder ein Kreis mit den Konzepten seiner Städte")
    p.add_argument("-o", "--output", "--ausgabe", dest="output", type=Path, required=True, metavar="ORDNER",
                   help="Ordner für bericht.html und die CSV-Dateien")
    p.add_argument("--ohne-kuratiert", dest="ohne_kuratiert", action="store_true",
                   help="nur, was die Dokumente selbst sagen: kuratierte Verknüpfungen weglassen")
    p.set_defaults(func=cmd_report)


def cmd_report(args, settings) -> int:
    from ..load.build import ensure_built
    from .settings import reading
    from ..report import build_report, write_report

    store = ensure_built(reading(settings))
    report = build_report(store, settings, town=args.town, include_curated=not args.ohne_kuratiert)
    from .output import staged_folder

    with staged_folder(args.output) as (tmp, paths):
        write_report(report, tmp)
    for path in paths:
        print(path)
    return 0
