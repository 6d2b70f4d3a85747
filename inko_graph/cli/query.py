"""``query``: run a named query (or a query file) and print the answer.

SELECT: the rows as a table, CSV, JSON or Markdown. ASK: ``ja`` or ``nein``, and the exit code
says it too (0 yes, 1 no), so scripts can test it. CONSTRUCT and DESCRIBE: the graph as Turtle,
or N-Triples, RDF/XML or JSON-LD (``--format``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import InputError, QueryError
from ..namespaces import shorten

__all__ = ["register", "parse_params", "format_rows", "format_graph"]

FORMATS = ("table", "csv", "json", "md")
#: Formats of a graph (CONSTRUCT, DESCRIBE); ``json`` means JSON-LD there, the table formats Turtle.
RDF_FORMATS = ("turtle", "ntriples", "rdfxml", "jsonld")
_CELL = 60  # longest cell in the table and Markdown formats; CSV and JSON keep everything


def register(sub) -> None:
    p = sub.add_parser(
        "query", help="eine benannte Abfrage ausführen",
        description="Führt eine benannte Abfrage aus queries/ aus (oder eine Datei mit --file) und gibt die Zeilen aus.")
    p.add_argument("name", nargs="?", help="Name der Abfrage (siehe --list)")
    p.add_argument("--list", action="store_true", help="alle Abfragen mit Titel und Parametern zeigen")
    p.add_argument("--file", type=Path, metavar="DATEI", help="eine SPARQL-Datei (.rq) statt einer benannten Abfrage")
    p.add_argument("--param", action="append", default=[], metavar="NAME=WERT",
                   help="Wert eines Parameters, z. B. --param lebensphase=lp:alter (mehrfach möglich)")
    p.add_argument("--format", choices=FORMATS + RDF_FORMATS, default="table",
                   help="Ausgabeformat: table, csv, json, md für Tabellen (Standard: table); für Graphen "
                        "(CONSTRUCT, DESCRIBE) turtle (Standard), ntriples, rdfxml oder jsonld. Eine ASK-Abfrage "
                        "gibt ja oder nein aus und endet mit Rückgabewert 0 (ja) oder 1 (nein)")
    p.add_argument("--ohne-kuratiert", dest="ohne_kuratiert", action="store_true",
                   help="nur, was die Dokumente selbst sagen: kuratierte Verknüpfungen weglassen")
    p.set_defaults(func=cmd_query)


def parse_params(items: list[str]) -> dict[str, str]:
    """``["a=1", "b=x"]`` -> ``{"a": "1", "b": "x"}``; anything else is bad input."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param erwartet NAME=WERT (z. B. --param lebensphase=lp:alter), nicht {item!r}.")
        name = name.strip()
        if name in out:
            raise QueryError(f"Der Parameter {name!r} ist zweimal angegeben.")
        out[name] = value.strip()
    return out


def _cell(value, *, short: bool) -> str:
    if value is None or (isinstance(value, float) and value != value):  # NaN from pandas
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    s = str(value)
    if short:
        if s.startswith(("http://", "https://")):
            s = shorten(s)
        s = " ".join(s.split())
        if len(s) > _CELL:
            s = s[: _CELL - 1] + "…"
    return s


def _json_value(value):
    if isinstance(value, float) and value != value:  # NaN: pandas' mark for a missing value
        return None
    return value


def format_rows(df, fmt: str, *, lang: str = "de") -> str:
    """The rows of ``df`` in one of FORMATS."""
    cols = list(df.columns)
    records = df.to_dict("records")
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        for r in records:
            w.writerow([_cell(r[c], short=False) for c in cols])
        return buf.getvalue()
    if fmt == "json":
        clean = [{c: _json_value(r[c]) for c in cols} for r in records]
        return json.dumps(clean, ensure_ascii=False, indent=2) + "\n"
    if not records:
        return ("No rows." if lang == "en" else "Keine Treffer.") + "\n"
    cells = [[_cell(r[c], short=True) for c in cols] for r in records]
    if fmt == "md":
        esc = [[v.replace("|", "\\|") for v in row] for row in cells]
        lines = ["| " + " | ".join(cols) + " |", "|" + "|".join(" --- " for _ in cols) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in esc]
        return "\n".join(lines) + "\n"
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    n = len(records)
    lines.append(f"({n} row{'s' if n != 1 else ''})" if lang == "en" else f"({n} Zeile{'n' if n != 1 else ''})")
    return "\n".join(lines) + "\n"


def _list(catalogue, lang: str) -> str:
    lines = []
    for q in catalogue:
        title = (q.title_en or q.title) if lang == "en" else q.title
        lines.append(f"{q.name}\n    {title}")
        for p in q.params:
            lines.append(f"    --param {p.name}=…  ({p.type}) {p.description}")
    return "\n".join(lines) + "\n"


def cmd_query(args, settings) -> int:
    from ..query.catalogue import Catalogue, bind_params, parse_query_file, run_any

    lang = settings.language
    if args.list:
        if args.name or args.file:
            raise QueryError("--list zeigt alle Abfragen; bitte ohne Namen und ohne --file aufrufen.")
        catalogue = Catalogue(settings.queries_dir)
        if not len(catalogue):
            raise QueryError(f"Im Ordner {settings.queries_dir} gibt es keine Abfragen (*.rq). Bitte den Ordner "
                             "der Abfragen mit INKO_QUERIES_DIR angeben oder das Paket neu installieren.")
        sys.stdout.write(_list(catalogue, lang))
        return 0
    if args.file and args.name:
        raise QueryError("Bitte entweder einen Namen oder --file angeben, nicht beides.")
    if args.file:
        if not args.file.is_file():
            raise InputError("Datei nicht gefunden", source=str(args.file))
        q = parse_query_file(args.file)
    elif args.name:
        q = Catalogue(settings.queries_dir).get(args.name)
    else:
        raise QueryError("Welche Abfrage? Bitte einen Namen angeben (Liste: inko-graph query --list) oder --file DATEI.")
    params = parse_params(args.param)
    bind_params(q, params)  # bad names and values are reported before the graph is loaded

    from ..load.build import ensure_built

    store = ensure_built(settings)
    answer = run_any(store, q, params, include_curated=not args.ohne_kuratiert)
    if isinstance(answer, bool):
        if args.format == "json":
            sys.stdout.write("true\n" if answer else "false\n")
        else:
            sys.stdout.write(("yes" if answer else "no") + "\n" if lang == "en" else ("ja\n" if answer else "nein\n"))
        return 0 if answer else 1
    if isinstance(answer, list):
        sys.stdout.write(format_graph(answer, args.format))
        return 0
    if args.format in RDF_FORMATS:
        raise QueryError(f"Die Abfrage {q.name!r} liefert eine Tabelle; --format {args.format} gilt nur für Graphen "
                         "(CONSTRUCT, DESCRIBE). Für Tabellen: table, csv, json oder md.")
    sys.stdout.write(format_rows(answer, args.format, lang=lang))
    return 0


def format_graph(triples: list, fmt: str) -> str:
    """Triples in an RDF format: Turtle unless ``fmt`` names another (``json``: JSON-LD)."""
    import pyoxigraph as ox

    from ..namespaces import PREFIXES

    name = {"json": "jsonld"}.get(fmt, fmt if fmt in RDF_FORMATS else "turtle")
    f = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
         "jsonld": ox.RdfFormat.JSON_LD}[name]
    data = ox.serialize(triples, format=f, prefixes=PREFIXES if name in ("turtle", "rdfxml") else None)
    return data.decode("utf-8")
