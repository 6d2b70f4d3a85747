"""The report's section "Änderungen seit dem Vorjahr": what the newest year's Raster submissions
changed against the year before (``diff.changes_since``). For a town only the submissions of the
town's actors (those seated there, ``cockpit-akteure`` with ``gebiet``; for a Kreis also in its towns),
as on the cockpit's page ``/aenderungen``."""

from __future__ import annotations

from markupsafe import Markup

from .model import ReportContext, ReportSection

__all__ = ["section", "town_actors"]


def town_actors(ctx: ReportContext) -> set[str] | None:
    """The actors whose submissions count for the report's town (``None``: every actor)."""
    if not ctx.gebiet:
        return None
    return {a for g in ctx.areas for a in ctx.run("cockpit-akteure", {"gebiet": g})["akteur"]}


def _town_diff(ctx: ReportContext, year: int, submissions):
    """The diff of the two years' ``submissions`` (rows of ``raster-meldungen`` of the town's actors,
    read once: asked again per year it cost a tenth of the report at 10^5 triples)."""
    import pyoxigraph as ox

    from ..analysis.diff import diff_triples, labels_for

    years = submissions["jahr"].astype(str).str[:4] if len(submissions) else None

    def triples(y):
        graphs = sorted(set(submissions[years == str(y)]["graph"])) if years is not None else []
        return [ox.Triple(q.subject, q.predicate, q.object) for g in graphs for q in ctx.store.quads(g)]

    before, after = triples(year - 1), triples(year)
    labels = labels_for(ctx.store, ctx.queries.get("diff-bezeichnungen"), before + after)  # read by ctx.run
    return diff_triples(before, after, old_name=f"Raster {year - 1}", new_name=f"Raster {year}", by_year=True,
                        labels=labels)


def section(ctx: ReportContext) -> ReportSection:
    from ..analysis.diff import changes_since

    actors = town_actors(ctx)
    df = ctx.run("raster-meldungen")
    if actors is not None and len(df):
        df = df[df["akteur"].isin(actors)]
    years = sorted({int(str(y)[:4]) for y in df["jahr"].dropna()}) if len(df) else []
    sec = ReportSection(id="aenderungen", title="Änderungen seit dem Vorjahr", slot="aenderungen")
    if not years:
        sec.paragraphs.append(((f"Von Akteuren aus {ctx.town} und seinen Städten" if ctx.scope.ist_kreis else
                                "Von Akteuren der Stadt") + " liegen noch keine Raster-Meldungen vor"
                               if actors is not None else "Es liegen noch keine Raster-Meldungen vor")
                              + "; Änderungen von Jahr zu Jahr zeigt dieser Abschnitt, sobald Akteure ihre "
                              "Aktivitäten gemeldet haben.")
        return sec
    year = years[-1]
    if actors is None:
        diff = changes_since(ctx.store, year, ctx.settings.queries_dir)
    else:
        diff = _town_diff(ctx, year, df)
    if year - 1 not in years:
        sec.paragraphs.append(f"Für {year - 1} liegen keine Meldungen vor; alles, was für {year} gemeldet "
                              "wurde, erscheint daher als neu.")
    sec.paragraphs.append(f"Verglichen werden die Raster-Meldungen {year - 1} und {year}"
                          + (f" der Akteure aus {ctx.town}" + (" und seinen Städten" if ctx.scope.ist_kreis else "")
                             if actors is not None and ctx.town else "")
                          + ": neue, entfallene und geänderte Ziele, Maßnahmen, Aktivitäten, Akteure und Verknüpfungen.")
    sec.html = Markup(diff.to_html(full=False))  # every text in it is escaped by diff.to_html
    return sec
