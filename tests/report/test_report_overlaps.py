"""The report's similar measures (report/overlaps.py) are those of the whole answer of
aehnliche-massnahmen (real graph): a town's and a Kreis's measures are read for their areas alone,
the words weighted over every measure in the graph."""

from __future__ import annotations

import datetime as dt

import pytest

from inko_graph.query.catalogue import run
from inko_graph.query.similarity import compute
from inko_graph.report import build_report
from inko_graph.report.model import catalogue, scopes

DAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize("slug", ["ennepe-ruhr-kreis", "hattingen", "ratingen"])
def test_similar_measures_are_those_of_the_whole_answer(store, settings, monkeypatch, slug):
    monkeypatch.setattr("inko_graph.report.SECTION_MODULES", [])
    cat = catalogue(settings.queries_dir)
    scope = next(s for g, s in scopes(store, cat).items() if g and g.endswith("/" + slug))
    report = build_report(store, settings, scope=scope, today=DAY)
    ctx = report.context
    whole = compute(run(store, cat.get("massnahmen-texte")), {"schwelle": 0.3}, among=(ctx.konzept_iris, ctx.alle_iris))
    ov = report.csv["ueberschneidungen.csv"]
    got = ov[ov["ueberschneidung"] == "ähnliche Maßnahmen"]
    assert list(got["iri"]) == [f"{a} {b}" for a, b in zip(whole["vorhaben1"], whole["vorhaben2"])]
    assert list(got["aehnlichkeit"]) == [f"{x:.2f}".replace(".", ",") for x in whole["aehnlichkeit"]]
    text = report.sections[0].tables[1].rows
    assert dict((r["was"], r["anzahl"]) for r in text)["Maßnahmen, die fast dasselbe sagen"] == len(whole)
    assert len(whole) or slug == "ratingen"  # Ratingen's measures resemble none of another document


@pytest.mark.parametrize("slug", ["ennepe-ruhr-kreis", "hattingen"])
def test_similar_measures_per_area_and_at_once_agree(store, settings, monkeypatch, slug):
    """A Kreis reads every measure at once, a town per area with the graph's word weights: the
    two ways give the same rows for either."""
    from inko_graph.report.overlaps import similar_measures

    monkeypatch.setattr("inko_graph.report.SECTION_MODULES", [])
    cat = catalogue(settings.queries_dir)
    scope = next(s for g, s in scopes(store, cat).items() if g and g.endswith("/" + slug))
    ctx = build_report(store, settings, scope=scope, today=DAY).context
    per_area, at_once = similar_measures(ctx, per_area=True), similar_measures(ctx, per_area=False)
    assert len(at_once) and per_area.equals(at_once)
