"""``raster template``, ``raster import``, ``raster token`` and ``raster meldungen``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ConfigError, InputError
from ..namespaces import ID, shorten

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser("raster", help="Raster der Akteure: Vorlage, Import, Zugangsschlüssel")
    rs = p.add_subparsers(dest="raster_command", metavar="AKTION", required=True)

    t = rs.add_parser("template", aliases=["vorlage"], help="leere Raster-Vorlage (.xlsx, .ods oder .csv) schreiben")
    t.add_argument("--gebiet", "--town", "--stadt", dest="town", metavar="GEBIET",
                   help="Stadt oder Kreis, z. B. Hattingen: nur dessen Ziele und Handlungsfelder (und die des Kreises)")
    t.add_argument("--jahr", "--year", dest="year", type=int, metavar="JAHR", help="Berichtsjahr, das vorbelegt wird (Standard: dieses Jahr)")
    t.add_argument("--format", choices=["xlsx", "ods", "csv"], default=None,
                   help="xlsx, ods oder csv (Standard: die Endung der Ausgabedatei)")
    t.add_argument("-o", "--output", type=Path, required=True, metavar="DATEI",
                   help="Ausgabedatei; die Endung bestimmt das Format: raster.xlsx, raster.ods oder raster.csv")
    t.set_defaults(func=cmd_template)

    i = rs.add_parser("import", help="ausgefülltes Raster prüfen und speichern (ersetzt die frühere Meldung desselben Jahres)")
    i.add_argument("file", type=Path, metavar="DATEI", help="Raster-Datei (.xlsx, .ods oder .csv)")
    i.add_argument("--jahr", "--year", dest="year", type=int, metavar="JAHR", help="Berichtsjahr (Standard: aus dem Blatt Akteur)")
    i.add_argument("--dry-run", "--probelauf", dest="dry_run", action="store_true", help="nur prüfen, nichts speichern")
    i.set_defaults(func=cmd_import)

    k = rs.add_parser("token", help="Zugangsschlüssel für das Hochladen erzeugen (wird einmal angezeigt), "
                                    "auflisten oder entziehen")
    k.add_argument("--akteur", help="Organisation (IRI oder id:akteur/…): der Schlüssel gilt nur für ihre Meldungen")
    k.add_argument("--gebiet", help="Stadt oder Kreis (IRI oder g:…)")
    k.add_argument("--ganzes-gebiet", dest="whole_area", action="store_true",
                   help="Schlüssel für das ganze Gebiet (alle Meldungen und Daten dieser Stadt), ohne --akteur")
    k.add_argument("--datei", type=Path, help="Datei der Zugangsschlüssel (Standard: INKO_TOKENS_FILE)")
    k.add_argument("--liste", action="store_true", help="alle Schlüssel mit Kennung, Gebiet und Akteur zeigen")
    k.add_argument("--entziehen", metavar="SCHLUESSEL",
                   help="diesen Zugangsschlüssel ungültig machen (den Schlüssel selbst oder seine Kennung aus --liste)")
    k.set_defaults(func=cmd_token)

    m = rs.add_parser("meldungen", help="gespeicherte Raster-Meldungen auflisten")
    m.add_argument("--akteur", help="nur diese Organisation")
    m.add_argument("--jahr", "--year", dest="year", type=int, metavar="JAHR", help="nur dieses Berichtsjahr")
    m.set_defaults(func=cmd_list)


def _iri(text: str, what: str) -> str:
    from ..load.sources import expand

    term = expand(text, where=what)
    return term.value


def cmd_template(args, settings) -> int:
    from ..load.build import ensure_built
    from .settings import reading
    from ..raster.template import write_template

    store = ensure_built(reading(settings))
    if not args.output.parent.is_dir():
        raise InputError(f"Den Ordner {args.output.parent} gibt es nicht; bitte zuerst anlegen oder einen anderen "
                         "Ausgabepfad wählen.", source=str(args.output))
    written = write_template(args.output, store, settings, town=args.town, fmt=args.format, year=args.year)
    en = settings.language == "en"
    print(("Written: " if en else "Geschrieben: ") + ", ".join(str(p) for p in written))
    return 0


def cmd_import(args, settings) -> int:
    from ..load.build import ensure_built
    from ..raster.importer import import_raster

    try:
        data = args.file.read_bytes()
    except OSError as e:
        raise InputError(f"Datei kann nicht gelesen werden: {e.strerror}", source=str(args.file)) from None
    store = ensure_built(settings)
    result = import_raster(data, args.file.name, store, settings, year=args.year, dry_run=args.dry_run,
                           lang=settings.language)
    print(result.summary(settings.language))
    if not args.dry_run and getattr(store, "held_elsewhere", False):
        print("The running server applies it with its next request." if settings.language == "en" else
              "Der laufende Server übernimmt sie mit seiner nächsten Anfrage (sie steht schon im Journal).")
    return 0


def cmd_token(args, settings) -> int:
    from .. import tokens

    path = args.datei or settings.tokens_file
    en = settings.language == "en"
    if args.liste:
        for e in tokens.list_tokens(path):
            who = shorten(e["akteur"]) if e["akteur"] else "ganzes Gebiet"
            print(f"{e['kennung']}  {shorten(e['gebiet'])}  {who}  {e['erstellt']}")
        return 0
    if args.entziehen:
        found = tokens.revoke(path, args.entziehen)
        print(("Revoked." if found else "No such key.") if en else
              ("Der Zugangsschlüssel ist entzogen." if found else "Diesen Zugangsschlüssel gibt es nicht."))
        return 0 if found else 2
    if not args.gebiet or bool(args.akteur) == args.whole_area:
        raise InputError("Bitte --gebiet und entweder --akteur oder --ganzes-gebiet angeben "
                         "(oder --liste, oder --entziehen SCHLUESSEL).")
    akteur = _iri(args.akteur, "--akteur") if args.akteur else None
    gebiet = _iri(args.gebiet, "--gebiet")
    if akteur is not None and not akteur.startswith(ID + "akteur/"):
        raise InputError(f"--akteur muss eine Organisation id:akteur/… sein, nicht {args.akteur!r}.")
    from ..load.build import ensure_built
    from .settings import reading
    from ..raster.vocab import load_areas

    store = ensure_built(reading(settings))
    areas = load_areas(store, settings.queries_dir)
    if gebiet not in {t.iri for t in areas}:
        raise InputError(f"Unbekanntes Gebiet {args.gebiet!r}. Bekannt sind: {', '.join(t.code for t in areas)}.")
    if path is None:
        raise ConfigError("Bitte --datei angeben oder INKO_TOKENS_FILE setzen.")
    token = tokens.create_token(path, akteur, gebiet)
    who = shorten(akteur) if akteur else ("the whole area" if en else "das ganze Gebiet")
    if en:
        print(f"Access key for {who} in {shorten(gebiet)} (shown only now; stored as a hash in {path}):")
    else:
        print(f"Zugangsschlüssel für {who} in {shorten(gebiet)} (wird nur jetzt angezeigt; "
              f"gespeichert ist nur seine Prüfsumme in {path}):")
    print(token)
    return 0


def cmd_list(args, settings) -> int:
    from ..load.build import ensure_built
    from .settings import reading
    from ..query.catalogue import run
    from ..raster.vocab import catalogue

    store = ensure_built(reading(settings))
    params = {"akteur": _iri(args.akteur, "--akteur") if args.akteur else None,
              "jahr": str(args.year) if args.year else None}
    df = run(store, catalogue(settings.queries_dir).get("raster-meldungen"), params)
    if df.empty:
        print("No submissions." if settings.language == "en" else "Keine Raster-Meldungen.")
        return 0
    for r in df.itertuples():
        n = int(r.aktivitaeten)
        name = r.akteurname if isinstance(r.akteurname, str) else shorten(r.akteur)
        print(f"{r.jahr}  {name}  {n:5d} {'Aktivität' if n == 1 else 'Aktivitäten'}  "
              f"{r.datei if isinstance(r.datei, str) else ''}  <{r.graph}>", file=sys.stdout)
    return 0
