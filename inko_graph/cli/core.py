"""``build``, ``validate`` and ``stats``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ..load.build import build, ensure_built, read_all, validate_dataset
from ..load.sources import Dataset, parse_rdf_file
from ..namespaces import shorten
from ..query.catalogue import Catalogue, run

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser("build", help="alle Quellen laden, prüfen und speichern")
    p.add_argument("--pyshacl", action="store_true", help="mit pySHACL prüfen (Referenz, langsamer)")
    p.add_argument("--ausfuehrlich", "--verbose", dest="verbose", action="store_true",
                   help="Umfang je Graph und die ersten Meldungen zeigen, nicht nur die Zusammenfassung")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("validate", help="Daten gegen die Regeln (SHACL) prüfen")
    p.add_argument("paths", nargs="*", type=Path, metavar="DATEI", help="Turtle-/TriG-Dateien; ohne Angabe: ganz graph_data/")
    p.add_argument("--hinweise", "--infos", dest="infos", action="store_true", help="auch Hinweise (Lücken) zeigen")
    p.add_argument("--pyshacl", action="store_true", help="mit pySHACL prüfen (Referenz, langsamer)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("stats", help="Umfang je Quellgraph und Art")
    p.set_defaults(func=cmd_stats)


def _stats_table(store, settings) -> str:
    df = run(store, Catalogue(settings.queries_dir).get("statistik-graphen"))
    lines = []
    for graph, part in df.groupby("graph", sort=True):
        name = part["graphname"].dropna().iloc[0] if part["graphname"].notna().any() else graph
        lines.append(f"{name} <{graph}>: {int(part['anzahl'].sum())} Ressourcen")
        for _, row in part.iterrows():
            art = row["artname"] if isinstance(row["artname"], str) else shorten(row["art"])
            lines.append(f"    {int(row['anzahl']):6d}  {art}")
    return "\n".join(lines)


def _workers() -> int:
    # The shapes are checked in forked processes, one per core (at most two pay off here).
    import os

    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))


def _engine(args) -> str:
    return "pyshacl" if getattr(args, "pyshacl", False) else "sparql"


def cmd_build(args, settings) -> int:
    result = build(settings, engine=_engine(args), workers=_workers())
    lang = settings.language
    if getattr(args, "verbose", False):
        print(_stats_table(result.store, settings))
        print()
        print(result.report.format_text(lang, severities=("Violation", "Warning"), limit=20))
    else:
        # A short summary: the first line of the report (valid or not, and the counts) and where
        # to read the details.
        print(result.report.format_text(lang, severities=()))
        print("Details: inko-graph validate (Fehler und Warnungen), inko-graph validate --hinweise (auch Hinweise), "
              "inko-graph stats (Umfang), inko-graph build --ausfuehrlich." if lang != "en" else
              "Details: inko-graph validate, inko-graph validate --hinweise (notes too), inko-graph stats, "
              "inko-graph build --ausfuehrlich.")
    where = settings.store_path or ("memory" if lang == "en" else "Arbeitsspeicher")
    if settings.sparql_server is not None:
        from ..store.remote import safe_url

        where = ("SPARQL server " if lang == "en" else "SPARQL-Server ") + safe_url(settings.sparql_server.query_url)
    secs = ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items())
    print(f"{result.triples} Tripel in {result.graphs} Graphen gespeichert ({where}); {secs}.")
    return 0


def cmd_validate(args, settings) -> int:
    if args.paths:
        ds = read_all(settings)  # the vocabularies and ontology give the files their context
        extra = Dataset()
        for path in args.paths:
            if not path.exists():
                raise InputError("Datei nicht gefunden", source=str(path))
            extra.add(f"file:{path}", parse_rdf_file(path), path)
        context = [t for ts in ds.graphs.values() for t in ts]
        mine_triples = [t for ts in extra.graphs.values() for t in ts]
        shapes = settings.ontology_dir / "shapes.ttl"
        if _engine(args) == "pyshacl":
            from ..validation.shacl import validate_triples  # pySHACL: loaded only for this

            report = validate_triples(context + mine_triples, shapes, infos=args.infos)
            mine = {t.subject.value for t in mine_triples}
            report.results = [r for r in report.results if r.focus in mine]
        else:
            from ..validation.shapecheck import check

            report = check(mine_triples, context, shapes, infos=args.infos)
    else:
        from ..store import journal

        ds = read_all(settings)
        replayed = journal.replay(settings, ds)  # what the build would write: graph_data + the journal
        report = validate_dataset(ds, settings, infos=args.infos, engine=_engine(args), workers=_workers(),
                                  extra=replayed.default)
    sev = ("Violation", "Warning", "Info") if args.infos else ("Violation", "Warning")
    out = sys.stdout if report.conforms else sys.stderr
    print(report.format_text(settings.language, severities=sev), file=out)
    return 0 if report.conforms else 1


def cmd_stats(args, settings) -> int:
    from .settings import reading

    store = ensure_built(reading(settings))
    print(_stats_table(store, settings))
    print(f"\nInsgesamt {len(store)} Tripel in {len(store.graph_names())} Graphen.")
    return 0
