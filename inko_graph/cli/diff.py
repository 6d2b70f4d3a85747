"""``diff``: Fortschreibung between two dumps, or between the Raster submissions of two years."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser("diff", help="Fortschreibung: was sich zwischen zwei Fassungen oder zwei Jahren geändert hat")
    p.add_argument("dumps", nargs="*", type=Path, metavar="DATEI",
                   help="zwei Abzüge des Graphen (ALT NEU; Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML)")
    p.add_argument("--jahr", "--year", dest="jahre", type=int, action="append", default=[],
                   help="Raster-Meldungen dieses Jahres vergleichen; zweimal angeben (--jahr 2025 --jahr 2026) "
                        "oder einmal (dann mit dem Vorjahr)")
    p.add_argument("--akteur", metavar="AKTEUR", help="nur die Meldungen dieser Organisation (IRI oder id:akteur/…)")
    p.add_argument("--format", choices=["md", "html"], default="md", help="Markdown (Standard) oder HTML")
    p.add_argument("-o", "--output", type=Path, metavar="DATEI", help="in diese Datei schreiben statt auf den Bildschirm")
    p.set_defaults(func=cmd_diff)


def cmd_diff(args, settings) -> int:
    from ..analysis.diff import compare_years, diff_triples, load_dump

    if args.dumps and args.jahre:
        raise InputError("Bitte entweder zwei Dateien oder --jahr angeben, nicht beides.")
    if args.dumps:
        if len(args.dumps) != 2:
            raise InputError(f"Bitte genau zwei Dateien angeben (ALT NEU), nicht {len(args.dumps)}.")
        old, new = args.dumps
        d = diff_triples(load_dump(old), load_dump(new), old_name=old.name, new_name=new.name)
    elif args.jahre:
        if len(args.jahre) > 2:
            raise InputError("Bitte --jahr höchstens zweimal angeben.")
        years = sorted(args.jahre) if len(args.jahre) == 2 else [args.jahre[0] - 1, args.jahre[0]]
        akteur = None
        if args.akteur:
            from ..load.sources import expand

            akteur = expand(args.akteur, where="--akteur").value
        from ..load.build import ensure_built
        from .settings import reading

        d = compare_years(ensure_built(reading(settings)), years[0], years[1], settings.queries_dir, akteur)
    else:
        raise InputError("Bitte zwei Dateien (ALT NEU) oder --jahr angeben.")
    text = d.to_html(settings.language) if args.format == "html" else d.to_markdown(settings.language)
    if args.output:
        from .output import write_file

        if not args.output.parent.is_dir():
            raise InputError(f"Den Ordner {args.output.parent} gibt es nicht; bitte zuerst anlegen.",
                             source=str(args.output))
        write_file(args.output, text.encode("utf-8"))
        print(("Written: " if settings.language == "en" else "Geschrieben: ") + str(args.output))
    else:
        print(text)
    return 0
