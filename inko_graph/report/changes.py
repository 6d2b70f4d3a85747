"""The report's section "Änderungen seit dem Vorjahr": what the newest year's Raster submissions
changed against the year before (``diff.changes_since``)."""

from __future__ import annotations

from markupsafe import Markup

from .model import ReportContext, ReportSection

__all__ = ["section"]


def section(ctx: ReportContext) -> ReportSection:
    from ..analysis.diff import changes_since

    years = sorted({int(str(y)[:4]) for y in ctx.run("raster-meldungen")["jahr"].dropna()})
    sec = ReportSection(id="aenderungen", title="Änderungen seit dem Vorjahr", slot="aenderungen")
    if not years:
        sec.paragraphs.append("Es liegen noch keine Raster-Meldungen vor; Änderungen von Jahr zu Jahr "
                              "zeigt dieser Abschnitt, sobald Akteure ihre Aktivitäten gemeldet haben.")
        return sec
    year = years[-1]
    diff = changes_since(ctx.store, year, ctx.settings.queries_dir)
    if year - 1 not in years:
        sec.paragraphs.append(f"Für {year - 1} liegen keine Meldungen vor; alles, was für {year} gemeldet "
                              "wurde, erscheint daher als neu.")
    sec.paragraphs.append(f"Verglichen werden die Raster-Meldungen {year - 1} und {year}: neue, entfallene "
                          "und geänderte Ziele, Maßnahmen, Aktivitäten, Akteure und Verknüpfungen.")
    sec.html = Markup(diff.to_html(full=False))  # every text in it is escaped by diff.to_html
    return sec
