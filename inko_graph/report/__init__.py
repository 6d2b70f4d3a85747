"""The report for a meeting of the Steuerungsgruppe: one self-contained HTML file plus CSV files.

``build_report(store, settings, town="Hattingen")`` gathers gaps, overlaps, the field-of-action x
life-stage heatmap and the actors central to the network from the named queries; ``write_report``
writes ``bericht.html`` (styles inline, the heatmap as a coloured table, nothing loaded from
elsewhere) and the CSV files (semicolon-separated, UTF-8 with BOM, as spreadsheet programs in
German expect them).

Which documents: with a town, the town's own concepts that have goals, fields or measures (for
Hattingen its integration concepts) are the subject; a general town strategy that another concept
of the town builds on (the Strategiekonzept Hattingen 2020) is "Rahmen", by the cockpit's rule
(``model.scopes``, the rows of ``cockpit-gebiete``): shown with what the integration goals contribute to, never counted
as gaps or overlaps, so the report counts what the cockpit counts for the Gebiet; the
concepts of the area the town lies in (the Kreis) come in for context: in the overlaps (the same
work planned by town and Kreis) and in the network, not in the gaps (the Steuerungsgruppe of the
town cannot close the Kreis's gaps). The Kreis counts its own concepts and those of its towns, as the
cockpit's view of the Kreis does. Without a town, every concept but the Rahmen ones is the subject.

More sections: a module listed in SECTION_MODULES offers ``section(context) -> ReportSection | None``;
its section stands at the slot the section names (``"aenderungen"``: right after the overview,
where the changes since the year before belong).

One module per section: ``overview``, ``gaps`` (with the heat map), ``overlaps``, ``network``, and
the added ``changes`` and ``monitoring``; ``model`` holds what sections are made of. This module
chooses the documents, puts the sections together and writes the files.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..errors import ConfigError, InputError
from .gaps import gaps_section, heatmap
from .model import (Figure, Report, ReportContext, ReportSection, Scope, Table, catalogue, find_scope,
                    records, scopes)
from .network import network_section
from .overlaps import overlaps_section
from .overview import overview_section

__all__ = ["ReportSection", "Table", "Figure", "ReportContext", "Report", "Scope", "SECTION_MODULES", "SLOTS", "build_report",
           "write_report", "choose_documents"]


#: Modules that add sections: each has ``section(context: ReportContext) -> ReportSection | None``.
SECTION_MODULES: list[str] = ["inko_graph.report.changes", "inko_graph.report.monitoring"]
#: Where added sections can stand, in page order. Built-in sections fill the others.
SLOTS = ("ueberblick", "aenderungen", "luecken", "ueberschneidungen", "netzwerk", "anhang")

OUTPUT_HTML = "bericht.html"
CSV_FILES = {
    "luecken": "luecken.csv",
    "ueberschneidungen": "ueberschneidungen.csv",
    "heatmap": "heatmap-handlungsfeld-lebensphase.csv",
    "akteure": "zentrale-akteure.csv",
}


def choose_documents(konzepte_df, scope: Scope) -> tuple[list[dict], list[dict], list[dict]]:
    """(subject, comparison, Rahmen) concepts of ``scope`` among the rows of ``konzepte``: the
    concepts that count and have goals, fields or measures; the Kreis's concepts beside a town's;
    the Gebiet's general strategies."""
    rows = [r for r in records(konzepte_df) if (r.get("ziele") or 0) + (r.get("handlungsfelder") or 0) + (r.get("vorhaben") or 0) > 0]
    rahmen = [r for r in rows if r["konzept"] in scope.rahmen]
    if scope.gebiet is None:
        return [r for r in rows if r["konzept"] not in scope.rahmen], [], rahmen
    subject = [r for r in rows if r["konzept"] in scope.zaehlt]
    if not subject:
        raise InputError(f"Die Konzepte von {scope.name!r} enthalten noch keine Ziele, Handlungsfelder oder Maßnahmen.")
    context = [r for r in rows if r.get("gebiet") == scope.liegt_in and r["konzept"] not in scope.kontext_alle]
    return subject, context, rahmen


def _konzepte(ctx: ReportContext, scope: Scope):
    """The rows of ``konzepte`` for ``scope``: one run per area (the Gebiet, a Kreis's towns, a town's
    Kreis), led by the area (the same rows as in the whole answer; at 10^5 triples a tenth of the time)."""
    import pandas as pd

    if scope.gebiet is None:
        return ctx.run("konzepte")
    areas = [*scope.areas, *([scope.liegt_in] if scope.liegt_in else [])]
    return pd.concat([ctx.run("konzepte", {"gebiet": a}) for a in areas], ignore_index=True)


def _extra_sections(ctx: ReportContext) -> list[ReportSection]:
    import importlib

    out = []
    for name in SECTION_MODULES:
        sec = importlib.import_module(name).section(ctx)
        if sec is not None:
            if sec.slot not in SLOTS:
                raise ConfigError(f"{name}: unbekannter Platz {sec.slot!r} für einen Abschnitt (erlaubt: {', '.join(SLOTS)}).")
            out.append(sec)
    return out


def build_report(store, settings, *, town: str | None = None, scope: Scope | None = None,
                 include_curated: bool = True, today: _dt.date | None = None, gestrichen=None,
                 wortlaut=None) -> Report:
    """The report for ``town`` (name or area IRI; none: the whole graph), or for ``scope`` as the
    cockpit has chosen it (then ``town`` is not read). ``gestrichen`` and ``wortlaut``: what the
    cockpit has read of the uploaded concepts (``query.gestrichen``, ``query.wortlaut``), else read here."""
    import pandas as pd

    cat = catalogue(settings.queries_dir)
    ctx = ReportContext(store, settings, None, None, [], [], include_curated, today or _dt.date.today(),
                        wortlaut=wortlaut, queries=cat, gestrichen=gestrichen)
    if scope is None:
        scope = find_scope(scopes(ctx.current, cat), town)
    konzepte = _konzepte(ctx, scope)
    subject, context, rahmen = choose_documents(konzepte, scope)
    ctx.town, ctx.gebiet, ctx.konzepte, ctx.kontext, ctx.rahmen, ctx.scope = (scope.name, scope.gebiet, subject,
                                                                              context, rahmen, scope)

    heat_rows, heat_cols, heat_left_out = heatmap(ctx)
    gaps, gap_rows = gaps_section(ctx, heat_rows, heat_cols, heat_left_out)
    overlaps, overlap_rows = overlaps_section(ctx)
    network, actors_df = network_section(ctx)

    # The heat map: one table per document, its cells coloured by the number (drawn as HTML, no picture).
    heat_table_cols = [("handlungsfeld", "Handlungsfeld")] + [(k or "ohne", h) for k, h in heat_cols]
    for sub in gaps.subsections:
        if sub.id == "lebensphasen":
            for doc in dict.fromkeys(r["dokument"] for r in heat_rows):
                sub.tables.append(Table(f"Zahl der Vorhaben je Handlungsfeld und Lebensphase: {doc}", heat_table_cols,
                                        [r for r in heat_rows if r["dokument"] == doc], heat=True))

    def count(kind: str) -> int:
        return sum(1 for r in gap_rows if r["luecke"] == kind)

    def overlap_count(kind: str) -> int:
        return sum(1 for r in overlap_rows if r["ueberschneidung"] == kind)

    # Counted as the cockpit counts them: each goal once; "Überschneidungen" are several actors on
    # one goal and Lebensphase (its start page and /ueberschneidungen), the other kinds apart.
    summary = [
        ("Ziele ohne Maßnahme", len({r["iri"] for r in gap_rows if r["luecke"] == "Ziel ohne Maßnahme"})),
        ("leere Felder Handlungsfeld × Lebensphase", count("Lebensphase ohne Vorhaben im Handlungsfeld")),
        ("Maßnahmen ohne Zuständigkeit", count("Maßnahme ohne Zuständigkeit")),
        ("Ziele ohne Indikator", count("Ziel ohne Indikator")),
        ("Handlungsfelder ohne Abgleich", count("Handlungsfeld ohne Abgleich")),
        ("Akteure ohne Aktivität", count("Akteur ohne Aktivität")),
        ("Überschneidungen (mehrere Akteure, gleiches Ziel)", overlap_count("mehrere Akteure, gleiches Ziel")),
        ("gleicher Zieltext an mehreren Stellen", overlap_count("gleicher Zieltext")),
        ("Maßnahmen, die fast dasselbe sagen", overlap_count("ähnliche Maßnahmen")),
    ]
    sections = [overview_section(ctx, summary), gaps, overlaps, network] + _extra_sections(ctx)
    sections.sort(key=lambda s: SLOTS.index(s.slot) if s.slot in SLOTS else len(SLOTS))

    heat_csv = pd.DataFrame([{"dokument": r["dokument"], "handlungsfeld": r["handlungsfeld"],
                              **{h: r[k or "ohne"] for k, h in heat_cols}, "iri": r["iri"]} for r in heat_rows])
    csv = {
        CSV_FILES["luecken"]: pd.DataFrame(gap_rows, columns=["luecke", "dokument", "handlungsfeld", "bezeichnung",
                                                              "lebensphase", "hinweis", "iri"]),
        CSV_FILES["ueberschneidungen"]: pd.DataFrame(overlap_rows, columns=["ueberschneidung", "dokument", "erstes", "zweites",
                                                                            "beteiligte", "lebensphase", "aehnlichkeit", "iri"]),
        CSV_FILES["heatmap"]: heat_csv,
        CSV_FILES["akteure"]: actors_df,
    }
    title = "Bericht für die Steuerungsgruppe" + (f": {scope.name}" if scope.name else "")
    return Report(title, ctx, sections, csv, summary)


_ENV: list = []


def render_html(report: Report) -> str:
    import jinja2

    if not _ENV:  # one environment: it compiles the template once and again only when the file changes
        _ENV.append(jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent.parent / "templates")),
                                       autoescape=True, trim_blocks=True, lstrip_blocks=True))
    tpl = _ENV[0].get_template("report.html.j2")
    return tpl.render(report=report, csv_files=list(report.csv), date=report.context.date.strftime("%d.%m.%Y"))


def write_report(report: Report, out_dir: Path) -> list[Path]:
    """Write ``bericht.html`` and the CSV files into ``out_dir``; returns the paths written."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"Der Ordner kann nicht angelegt werden: {e.strerror}", source=str(out_dir)) from None
    paths = []
    html_path = out_dir / OUTPUT_HTML
    html_path.write_text(render_html(report), encoding="utf-8")
    paths.append(html_path)
    for name, df in report.csv.items():
        p = out_dir / name
        # As spreadsheet programs set to German read them: semicolons, decimal commas, ja/nein.
        out = df.map(lambda v: ("ja" if v else "nein") if isinstance(v, bool) else v)
        out.to_csv(p, sep=";", decimal=",", index=False, encoding="utf-8-sig")
        paths.append(p)
    return paths
