"""The report for a meeting of the Steuerungsgruppe: one self-contained HTML file plus CSV files.

``build_report(store, settings, town="Hattingen")`` gathers gaps, overlaps, the field-of-action x
life-stage heatmap and the actors central to the network from the named queries; ``write_report``
writes ``bericht.html`` (styles inline, the heatmap as a coloured table, nothing loaded from
elsewhere) and the CSV files (semicolon-separated, UTF-8 with BOM, as spreadsheet programs in
German expect them).

Which documents: with a town, the town's own concepts that have goals, fields or measures (for
Hattingen its integration concepts) are the subject; a general town strategy that another concept
of the town builds on (the Strategiekonzept Hattingen 2020) is "Rahmen", by the cockpit's rule
(``model.framework_concepts``): shown with what the integration goals contribute to, never counted
as gaps or overlaps, so the report counts what the cockpit counts for the Gebiet; the
concepts of the area the town lies in (the Kreis) come in for context: in the overlaps (the same
work planned by town and Kreis) and in the network, not in the gaps (the Steuerungsgruppe of the
town cannot close the Kreis's gaps). Without a town, every concept is the subject.

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
from ..namespaces import shorten
from .gaps import gaps_section, heatmap
from .model import Figure, Report, ReportContext, ReportSection, Table, catalogue, cell_text, framework_concepts, records
from .network import network_section
from .overlaps import overlaps_section
from .overview import overview_section

__all__ = ["ReportSection", "Table", "Figure", "ReportContext", "Report", "SECTION_MODULES", "SLOTS", "build_report",
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


def choose_documents(konzepte_df, town: str | None) -> tuple[list[dict], list[dict], str | None]:
    """(subject concepts, context concepts, area IRI) for ``town`` (a name like "Hattingen" or g:…)."""
    rows = [r for r in records(konzepte_df) if (r.get("ziele") or 0) + (r.get("handlungsfelder") or 0) + (r.get("vorhaben") or 0) > 0]
    if not town:
        return rows, [], None
    want = town.strip().casefold()
    areas = {}
    for r in records(konzepte_df):
        if r.get("gebiet"):
            areas[r["gebiet"]] = r
    match = [g for g, r in areas.items()
             if want in ((cell_text(r.get("gebietname"))).casefold(), g.casefold(), shorten(g).casefold(), g.rsplit("/", 1)[-1].casefold())]
    if not match:
        known = ", ".join(sorted({cell_text(r.get("gebietname")) or shorten(g) for g, r in areas.items()}))
        raise InputError(f"Für {town!r} gibt es kein Konzept im Graphen. Bekannt sind: {known}.")
    gebiet = match[0]
    subject = [r for r in rows if r.get("gebiet") == gebiet]
    if not subject:
        raise InputError(f"Die Konzepte von {town!r} enthalten noch keine Ziele, Handlungsfelder oder Maßnahmen.")
    parents = {r.get("liegt_in") for r in subject if r.get("liegt_in")}
    context = [r for r in rows if r.get("gebiet") in parents]
    return subject, context, gebiet


def _konzepte(store, query, town: str | None, include_curated: bool):
    """The rows of ``konzepte`` that ``choose_documents`` needs. For a town given by its area's IRI
    (as the cockpit does) those of the area and of the areas it lies in, each asked with ``gebiet``
    (the same rows as in the whole answer; at 10^5 triples a tenth of the time); else all."""
    import pandas as pd

    from ..query.catalogue import run

    if not town or not town.startswith(("https://", "http://")):
        df = run(store, query, include_curated=include_curated)
        df.attrs["alle"] = True
        return df
    own = run(store, query, {"gebiet": town}, include_curated=include_curated)
    parents = sorted({p for p in own["liegt_in"] if isinstance(p, str)}) if len(own) else []
    runs = [run(store, query, {"gebiet": p}, include_curated=include_curated) for p in parents]
    runs.sort(key=lambda df: cell_text(df["gebietname"].iloc[0]) if len(df) else "")
    return pd.concat([own, *runs], ignore_index=True)


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


def build_report(store, settings, *, town: str | None = None, include_curated: bool = True,
                 today: _dt.date | None = None) -> Report:
    import pandas as pd

    from ..query.catalogue import run

    konzepte = _konzepte(store, catalogue(settings.queries_dir).get("konzepte"), town, include_curated)
    try:
        subject, context, gebiet = choose_documents(konzepte, town)
    except InputError:
        if konzepte.attrs.get("alle"):
            raise
        # Asked again with the whole answer: its message names every area that has a concept.
        konzepte = run(store, catalogue(settings.queries_dir).get("konzepte"), include_curated=include_curated)
        subject, context, gebiet = choose_documents(konzepte, town)
    town_name = None
    if gebiet:
        town_name = next((cell_text(r.get("gebietname")) for r in subject if cell_text(r.get("gebietname"))), town)
    rahmen = []
    if gebiet:
        frame = framework_concepts(store, catalogue(settings.queries_dir), gebiet)
        rahmen = [k for k in subject if k["konzept"] in frame]
        subject = [k for k in subject if k["konzept"] not in frame]
    ctx = ReportContext(store, settings, town_name, gebiet, subject, context, include_curated, today or _dt.date.today(),
                        rahmen=rahmen)

    heat_rows, heat_cols = heatmap(ctx)
    gaps, gap_rows = gaps_section(ctx, heat_rows, heat_cols)
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
    title = "Bericht für die Steuerungsgruppe" + (f": {town_name}" if town_name else "")
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
