"""``konzept vorlage``, ``konzept import`` and ``konzept export``: a town's concept as a workbook."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser("konzept", help="Konzept-Arbeitsmappe: Vorlage, Import, Export eines Integrationskonzepts")
    ks = p.add_subparsers(dest="konzept_command", metavar="AKTION", required=True)

    v = ks.add_parser("vorlage", aliases=["template"], help="leere Konzept-Arbeitsmappe schreiben (.xlsx, .ods oder .csv)")
    v.add_argument("--gebiet", "--stadt", dest="gebiet", help="Stadt oder Kreis, z. B. Sprockhövel: Auswahllisten für dieses Gebiet")
    v.add_argument("-o", "--output", type=Path, required=True,
                   help="Ausgabedatei; die Endung bestimmt das Format: .xlsx (Excel), .ods (LibreOffice) oder .csv")
    v.set_defaults(func=cmd_vorlage)

    i = ks.add_parser("import", help="ausgefüllte Konzept-Arbeitsmappe prüfen und speichern (ersetzt die frühere Fassung)")
    i.add_argument("file", type=Path, help="Arbeitsmappe (.xlsx oder .ods) oder die Datei „Konzept“ der CSV-Form")
    i.add_argument("--probelauf", "--dry-run", dest="dry_run", action="store_true", help="nur prüfen, nichts speichern")
    i.set_defaults(func=cmd_import)

    e = ks.add_parser("export", help="ein Konzept des Graphen als Arbeitsmappe schreiben")
    e.add_argument("gebiet", metavar="GEBIET", help="Stadt oder Kreis, z. B. Hattingen")
    e.add_argument("--konzept", help="welches Konzept (Kurzform, z. B. id:konzept/strategiekonzept-hattingen-2020), "
                                     "wenn das Gebiet mehrere hat")
    e.add_argument("--abgleich", action="store_true",
                   help="Blatt „Abgleich“ dazu: je Ziel die ähnlichsten Ziele des Kreises und der anderen Städte zum "
                        "Bestätigen; bestätigte werden beim Import kuratierte Verknüpfungen")
    e.add_argument("-o", "--output", type=Path, required=True, help="Ausgabedatei (.xlsx, .ods oder .csv)")
    e.set_defaults(func=cmd_export)


def _print_written(paths, settings) -> None:
    en = settings.language == "en"
    print(("Written: " if en else "Geschrieben: ") + ", ".join(str(p) for p in paths))


def cmd_vorlage(args, settings) -> int:
    from ..load.build import ensure_built
    from ..konzept.lists import load_lists
    from ..konzept.template import build_book, write_book
    from ..raster.template import resolve_town
    from ..workbook.files import checked_format

    checked_format(args.output)  # before anything is built
    store = ensure_built(settings)
    area = resolve_town(store, settings, args.gebiet)
    _print_written(write_book(build_book(load_lists(store, settings.queries_dir, area)), args.output), settings)
    return 0


def cmd_export(args, settings) -> int:
    from ..load.build import ensure_built
    from ..konzept.export import export_book
    from ..konzept.template import write_book
    from ..workbook.files import checked_format

    checked_format(args.output)
    store = ensure_built(settings)
    book, _ = export_book(store, settings, args.gebiet, args.konzept, abgleich=args.abgleich)
    _print_written(write_book(book, args.output), settings)
    return 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"Datei kann nicht gelesen werden: {e.strerror}", source=str(path)) from None


def cmd_import(args, settings) -> int:
    from ..load.build import ensure_built
    from ..konzept.columns import KONZEPT_SHEET, TABLES
    from ..konzept.importer import import_konzept
    from ..konzept.reading import read_konzept, read_konzept_csv
    from ..konzept.template import csv_name
    from ..workbook.reading import check_size, detect

    data = _read(args.file)
    check_size(data, settings.max_upload_bytes, args.file.name, settings.language)
    if detect(data, args.file.name, settings.language) == "csv":
        # the CSV form: this file is the sheet „Konzept“, the others lie beside it (<stem>-ziele.csv …)
        stem = args.file.stem
        files = {KONZEPT_SHEET: data}
        for t in TABLES:
            other = args.file.with_name(csv_name(stem, t.title))
            if other.exists():
                files[t.title] = _read(other)
        kf = read_konzept_csv(files, args.file.name, lang=settings.language)
    else:
        kf = read_konzept(data, args.file.name, max_bytes=settings.max_upload_bytes, lang=settings.language)
    store = ensure_built(settings)
    result = import_konzept(kf, store, settings, dry_run=args.dry_run, lang=settings.language)
    print(result.summary(settings.language))
    if not args.dry_run and kf.abgleich is None:
        print(f"Abgleich mit den Zielen des Kreises und der anderen Städte: inko-graph konzept export "
              f"\"{result.mapped.gebiet_label}\" --konzept {result.mapped.konzept} --abgleich -o abgleich.xlsx")
    return 0
