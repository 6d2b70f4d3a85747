"""``monitoring``: indicators, values, the CSV import and its template, gaps, conflicts, checks."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser("monitoring", help="Indikatoren, Werte, Import neuer Jahreswerte, Lücken und Widersprüche")
    msub = p.add_subparsers(dest="monitoring_command", metavar="AKTION")
    p.set_defaults(func=_help, monitoring_parser=p)

    q = msub.add_parser("import", help="neue Werte aus einer CSV-Datei prüfen und speichern")
    q.add_argument("datei", type=Path, help="CSV-Datei mit den Spalten indikator, gebiet, zeitraum, wert, einheit, quelle")
    q.add_argument("--dry-run", "--probelauf", dest="dry_run", action="store_true",
                   help="nur prüfen und zeigen, was gespeichert würde; nichts speichern")
    q.set_defaults(func=cmd_import)

    q = msub.add_parser("vorlage", help="die Vorlage schreiben: Arbeitsmappe (.xlsx, .ods) oder CSV")
    q.add_argument("-o", "--ausgabe", type=Path, help="Datei; die Endung bestimmt das Format: .xlsx, .ods oder .csv (ohne: CSV auf den Bildschirm)")
    q.set_defaults(func=cmd_vorlage)

    q = msub.add_parser("zeige", help="die Werte eines Indikators über die Zeit als Tabelle")
    q.add_argument("indikator", help="Bezeichnung, Kurzname (id:…) oder IRI des Indikators")
    q.add_argument("--gebiet", action="append", help="nur dieses Gebiet (mehrfach möglich), z. B. Hattingen")
    q.set_defaults(func=cmd_zeige)

    q = msub.add_parser("indikatoren", help="alle Indikatoren mit Art, Einheit, Zielen und Zahl der Werte")
    q.set_defaults(func=cmd_indikatoren)

    q = msub.add_parser("luecken", help="Ziele ohne Indikator und Indikatoren ohne aktuellen Wert")
    q.add_argument("--jahre", type=int, help="so viele Jahre gelten als aktuell (Standard 3 oder INKO_MONITORING_JAHRE)")
    q.add_argument("--gebiet", help="nur Ziele und Werte dieses Gebiets, z. B. Hattingen")
    q.set_defaults(func=cmd_luecken)

    q = msub.add_parser("widersprueche", help="Werte, die einander widersprechen, mit beiden Quellen")
    q.set_defaults(func=cmd_widersprueche)

    q = msub.add_parser("pruefen", help="die Regeln des Datenwürfels (W3C Data Cube) prüfen")
    q.set_defaults(func=cmd_pruefen)


def _help(args, settings) -> int:
    args.monitoring_parser.print_help()
    return 2


def _store(settings):
    from ..load.build import ensure_built

    return ensure_built(settings)


def _table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def cmd_import(args, settings) -> int:
    from ..monitoring.csvimport import import_csv

    store = _store(settings)
    before = len(store)
    plan = import_csv(store, args.datei, dry_run=args.dry_run, settings=settings)
    print(plan.summary())
    for note in plan.notes:
        print(f"  Hinweis: {note}")
    if plan.written and getattr(store, "held_elsewhere", False):
        print("Der laufende Server übernimmt die Werte mit seiner nächsten Anfrage (sie stehen schon im Journal).")
    elif plan.written:
        print(f"Der Speicher enthält jetzt {len(store)} Tripel (vorher {before}).")
    return 0


def cmd_vorlage(args, settings) -> int:
    from ..monitoring.csvimport import template_text

    if args.ausgabe is None:
        sys.stdout.write(template_text())
        return 0
    if args.ausgabe.exists() and args.ausgabe.is_dir():
        raise InputError("ist ein Ordner; bitte einen Dateinamen angeben", source=str(args.ausgabe))
    from ..monitoring.vorlage import write_vorlage
    from ..workbook.files import checked_format

    fmt = checked_format(args.ausgabe)  # .xlsx, .ods or .csv: what the name says, before anything is built
    try:
        written = write_vorlage(args.ausgabe, _store(settings) if fmt != "csv" else None, settings.queries_dir)
    except OSError as e:
        raise InputError(f"Datei kann nicht geschrieben werden: {e.strerror}", source=str(args.ausgabe)) from None
    print(f"Vorlage geschrieben: {', '.join(str(p) for p in written)}")
    return 0


def _find(names, text: str, column: str) -> str:
    iri, why = names.find(text)
    if iri is None:
        raise InputError(why, source=column)
    return iri


def cmd_zeige(args, settings) -> int:
    from ..monitoring.model import Names, areas, indicators
    from ..monitoring.series import time_series

    store = _store(settings)
    inds = indicators(store)
    gebiete = areas(store)
    ind = _find(Names(inds, "Indikator"), args.indikator, "indikator")
    wanted = [_find(Names(gebiete, "Gebiet"), g, "--gebiet") for g in (args.gebiet or [])]
    series = time_series(store, ind, gebiete=gebiete)
    info = inds[ind]
    print(f"{info.name} <{ind}>")
    if info.einheit:
        print(f"Einheit: {info.einheit}")
    rows = [r for r in series.value_table() if not wanted or r["gebiet"] in wanted]
    if not rows:
        print("Keine Werte" + (" für dieses Gebiet." if wanted else "."))
        return 0
    body = [[r["zeitraum"], r["gebietname"], r["wert"] + (" (!)" if r["widerspruch"] else ""), r["einheit"], r["quelle"]]
            for r in rows]
    print(_table(["Zeitraum", "Gebiet", "Wert", "Einheit", "Quelle"], body, right={2}))
    if any(r["widerspruch"] for r in rows):
        print("(!) Für diesen Zeitraum und dieses Gebiet nennen die Quellen verschiedene Werte.")
    return 0


def cmd_indikatoren(args, settings) -> int:
    from ..monitoring.model import catalogue, records
    from ..namespaces import shorten
    from ..query.catalogue import run

    store = _store(settings)
    df = run(store, catalogue(settings.queries_dir).get("monitoring-indikatoren"))
    body = []
    for r in records(df):
        body.append([shorten(r["indikator"]), r["bezeichnung"] or "", r["artname"] or "", r["einheit"] or "",
                     str(int(r["anzahl_ziele"] or 0)), str(int(r["anzahl_werte"] or 0)), r["neuester_zeitraum"] or ""])
    print(_table(["Kurzname", "Bezeichnung", "Art", "Einheit", "Ziele", "Werte", "neuester Wert"], body, right={4, 5}))
    print(f"\n{len(body)} Indikatoren.")
    return 0


def cmd_luecken(args, settings) -> int:
    from ..monitoring.gaps import default_years, goals_without_indicator, indicators_without_current_value
    from ..monitoring.model import Names, areas, format_period, records
    from ..namespaces import shorten

    store = _store(settings)
    gebiet = _find(Names(areas(store), "Gebiet"), args.gebiet, "--gebiet") if args.gebiet else None
    jahre = args.jahre if args.jahre is not None else default_years()
    goals = goals_without_indicator(store, gebiet, queries_dir=settings.queries_dir)
    print(f"Ziele ohne Indikator ({len(goals)}):")
    for r in records(goals):
        nummer = f" {r['zielnummer']}" if r["zielnummer"] else ""
        konzept = f"{r['konzeptname']}: " if r["konzeptname"] else ""
        print(f"  - {konzept}{r['zielart'] or 'Ziel'}{nummer}: {r['zielname'] or shorten(r['ziel'])}")
    values = indicators_without_current_value(store, jahre, gebiet, queries_dir=settings.queries_dir)
    newest = values["neuestes_jahr"].dropna()
    basis = f"; neuestes Jahr im Graphen: {int(newest.iloc[0])}" if len(newest) else ""
    print(f"\nIndikatoren ohne Wert in den letzten {jahre} Jahren ({len(values)}{basis}):")
    for r in records(values):
        last = f"letzter Wert {format_period(r['letzter_zeitraum'])}" if r["letzter_zeitraum"] else "noch kein Wert"
        print(f"  - {r['bezeichnung'] or shorten(r['indikator'])} ({r['artname'] or 'Indikator'}): {last}")
    return 0


def cmd_widersprueche(args, settings) -> int:
    from ..monitoring.bericht import conflict_rows
    from ..monitoring.conflicts import find_conflicts
    from ..monitoring.model import format_number, format_period

    store = _store(settings)
    rows = conflict_rows(find_conflicts(store, queries_dir=settings.queries_dir))
    if not rows:
        print("Keine widersprüchlichen Werte.")
        return 0
    print(f"{len(rows)} widersprüchliche Werte (beide bleiben erhalten):")
    for r in rows:
        print(f"  - {r['indikatorname'] or r['indikator']}, {r['gebietname'] or r['gebiet']}, "
              f"{format_period(r['zeitraum'])}: {format_number(r['wert_a'])} ({r['text_a']}) gegen "
              f"{format_number(r['wert_b'])} ({r['text_b']})")
    return 0


def cmd_pruefen(args, settings) -> int:
    from ..monitoring.integrity import constraints

    store = _store(settings)
    results = constraints(store, queries_dir=settings.queries_dir)
    for c in results:
        print(f"{'verletzt' if c.broken else 'erfüllt '}  {c.title}")
    broken = [c for c in results if c.broken]
    print(f"\n{len(results) - len(broken)} von {len(results)} Regeln erfüllt.")
    return 1 if broken else 0
