"""``export``: dumps of the whole dataset and its VoID/DCAT description, checked for personal data."""

from __future__ import annotations

from pathlib import Path

__all__ = ["register"]


def register(sub) -> None:
    from ..export.dumps import DUMPS

    p = sub.add_parser("export", help="den ganzen Datensatz als Dateien schreiben (Turtle, N-Quads, …)",
                       description="Schreibt die Downloads (inko.ttl, inko.nt, inko.nq, inko.trig, inko.jsonld) und "
                                   "void.ttl. Bricht ab, wenn die Daten wie personenbezogene Daten aussehen "
                                   "(Personen, persönliche E-Mail-Adressen, Telefonnummern).")
    p.add_argument("-o", "--out", "--ausgabe", dest="out", type=Path, required=True, metavar="ORDNER",
                   help="Zielordner (wird angelegt)")
    p.add_argument("--format", dest="formats", nargs="+", choices=list(DUMPS), metavar="FORMAT",
                   help="nur diese Formate: " + ", ".join(DUMPS) + " (Standard: alle)")
    p.set_defaults(func=cmd_export)


def cmd_export(args, settings) -> int:
    from ..load.build import ensure_built
    from .settings import reading
    from ..export.dumps import export

    from .output import staged_folder

    store = ensure_built(reading(settings))
    with staged_folder(args.out) as (tmp, paths):
        export(store, settings, tmp, args.formats)
    for path in paths:
        print(f"{path}  ({path.stat().st_size} Bytes)")
    print(f"{len(paths)} Dateien geschrieben; Lizenz: Datenlizenz Deutschland – Namensnennung – Version 2.0.")
    return 0
