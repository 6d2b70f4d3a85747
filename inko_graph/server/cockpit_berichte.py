"""„Änderungen“ (what changed between two years of Raster submissions, ``inko_graph.analysis.diff``; between
two versions of a concept: ``aenderungen_konzept``) and the report of the Steuerungsgruppe
(``inko_graph.report``) as a page that prints well and as a download, all for the chosen Gebiet."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request

from . import aenderungen_konzept
from . import gebiet as gb
from .cockpit_base import Tabelle, natural, page, run

__all__ = ["router", "changes", "report_scope"]

router = APIRouter()
router.include_router(aenderungen_konzept.router)   # the same page between two versions of a concept

_KIND_NAMES = {"ziele": "Ziel", "massnahmen": "Maßnahme", "aktivitaeten": "Aktivität", "akteure": "Akteur"}


def _submission_years(request: Request, g: gb.Gebiet | None) -> tuple[list[int], set[str] | None]:
    """Years with Raster submissions, and the reporting actors of the Gebiet (``None``: all)."""
    df = run(request, "raster-meldungen")
    actors = None
    if g is not None:
        import pandas as pd

        acts = pd.concat([run(request, "cockpit-akteure", {"gebiet": iri}) for iri in g.gebiet_iris], ignore_index=True)
        actors = set(acts["akteur"])
        df = df[df["akteur"].isin(actors)] if len(df) else df
    years = sorted({int(str(y)[:4]) for y in df["jahr"].dropna()}) if len(df) else []
    return years, actors


def changes(request: Request, old: int, new: int, actors: set[str] | None):
    """The diff of the Raster submissions of ``old`` and ``new`` (of ``actors``, or all)."""
    import pyoxigraph as ox

    from ..analysis.diff import diff_triples, labels_for
    from .cockpit_base import catalogue

    store = request.app.state.store
    key = ("cockpit-aenderungen", old, new, tuple(sorted(actors)) if actors is not None else None)
    cache = request.app.state.cache
    if key in cache:
        return cache[key]

    def triples(year):
        # The year's submission graphs, of the Gebiet's actors: one query, not one per actor.
        df = run(request, "raster-meldungen", {"jahr": str(year)})
        if actors is not None and len(df):
            df = df[df["akteur"].isin(actors)]
        return [ox.Triple(q.subject, q.predicate, q.object) for g in sorted(set(df["graph"])) for q in store.quads(g)]

    before, after = triples(old), triples(new)
    labels = labels_for(store, catalogue(request.app).get("diff-bezeichnungen"), before + after)
    d = diff_triples(before, after, old_name=f"Raster {old}", new_name=f"Raster {new}", by_year=True, labels=labels)
    cache[key] = d
    return d


def _values(d, terms) -> str:
    import pyoxigraph as ox

    return ", ".join(d.label(t.value) if isinstance(t, ox.NamedNode) else t.value for t in terms) or "–"


def _year(raw: str | None, years: list[int], fallback: int) -> int:
    try:
        y = int(raw or "")
    except ValueError:
        return fallback
    return y if 1900 <= y <= 2200 else fallback


@router.get("/aenderungen", include_in_schema=False)
def aenderungen(request: Request):
    g = gb.chosen(request)
    years, actors = _submission_years(request, g)
    latest = years[-1] if years else 0
    new = _year(request.query_params.get("bis"), years, latest)
    old = _year(request.query_params.get("von"), years, new - 1)
    rows, counts, links = [], [], []
    d = None
    if years:
        d = changes(request, old, new, actors)
        for key, name in _KIND_NAMES.items():
            a, r, c = d.counts()[key]
            counts.append({"art": name, "neu": a, "entfallen": r, "geaendert": c})
            for what, items in (("neu", d.added.get(key, [])), ("entfallen", d.removed.get(key, []))):
                rows += [{"art": name, "was": what, "bezeichnung": x.label, "iri": x.iri, "einzelheiten": ""}
                         for x in items]
            for c_ in d.changed.get(key, []):
                detail = "; ".join(f"{d.label(p)}: {_values(d, o)} → {_values(d, n)}" for p, o, n in c_.props)
                rows.append({"art": name, "was": "geändert", "bezeichnung": c_.label, "iri": c_.iri, "einzelheiten": detail})
        for what, items in (("neu", d.links_added), ("entfallen", d.links_removed)):
            links += [{"was": what, "von": d.label(s), "beziehung": d.label(p), "zu": d.label(o)} for s, p, o in items]
    rows.sort(key=lambda r: (list(_KIND_NAMES.values()).index(r["art"]), r["was"], natural(r["bezeichnung"])))
    tabs = [Tabelle("aenderungen", "Änderungen", ["Art", "Änderung", "Bezeichnung", "Einzelheiten"],
                    [[r["art"], r["was"], r["bezeichnung"], r["einzelheiten"]] for r in rows]),
            Tabelle("verknuepfungen", "Verknüpfungen", ["Änderung", "von", "Beziehung", "zu"],
                    [[x["was"], x["von"], x["beziehung"], x["zu"]] for x in links])]
    return page(request, "cockpit_aenderungen.html.j2", "Änderungen", tabellen=tabs, jahre=years, von=old, bis=new,
                zaehlung=counts, zeilen=rows, verknuepfungen=links, hat_vorjahr=old in years)


def report_scope(request: Request, g: gb.Gebiet | None):
    """The report's documents as the cockpit counts them for ``g``: its concepts that count (for a
    Kreis also its towns'), its Rahmen concepts, and without a Gebiet all but every Rahmen concept."""
    from ..report import Scope

    every_frame = frozenset(k for x in gb.choices(request.app).values() for k, _ in x.kontext)
    if g is None:
        return Scope(None, rahmen=every_frame, kontext_alle=every_frame)
    return Scope(g.iri, g.name, tuple(g.gebiet_iris), frozenset(g.konzept_iris), frozenset(k for k, _ in g.kontext),
                 g.liegt_in, g.ist_kreis, every_frame)


def _report_html(request: Request, g: gb.Gebiet | None) -> str:
    from ..report import build_report, render_html

    key = ("cockpit-bericht", g.slug if g else None)
    cache = request.app.state.cache
    if key not in cache:
        from ..views import without_gc
        from .cockpit_base import gestrichen, wortlaut

        # What the cockpit's pages count: the same documents, what the uploaded concepts still state.
        # The collector rests while the report's many small rows are made (as for the network views).
        with without_gc():
            cache[key] = render_html(build_report(request.app.state.store, request.app.state.settings,
                                                  scope=report_scope(request, g), gestrichen=gestrichen(request),
                                                  wortlaut=wortlaut(request)))
    return cache[key]


_BODY = re.compile(r"</header>(.*)<footer>", re.S)
_IRI_TITLE = re.compile(r'\s+title="https?://[^"]*"')
_CODE = re.compile(r"\s*<code>[^<]*</code>")


@router.get("/bericht", include_in_schema=False)
def bericht(request: Request):
    from markupsafe import Markup

    g = gb.chosen(request)
    html = _report_html(request, g)
    m = _BODY.search(html)
    # The report's own text is escaped by its template; for the page the identifiers (IRIs in
    # tooltips and code) are left out: they belong to the download, not to the reading view.
    body = _CODE.sub("", _IRI_TITLE.sub("", m.group(1) if m else ""))
    return page(request, "cockpit_bericht.html.j2", "Bericht für die Steuerungsgruppe", inhalt=Markup(body))


@router.get("/bericht.html", include_in_schema=False)
def bericht_download(request: Request):
    from starlette.responses import Response

    from .cockpit_export import _safe_filename

    g = gb.chosen(request)
    name = _safe_filename("bericht-steuerungsgruppe" + (f"-{g.name}" if g else "")) + ".html"
    return Response(_report_html(request, g), media_type="text/html; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


