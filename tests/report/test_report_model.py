"""The report's context (inko_graph/report/model.py): a query asked twice in one report runs once."""

from __future__ import annotations

import datetime as dt

from inko_graph.namespaces import ID
from inko_graph.report.model import ReportContext

from query_fixtures import load_fixture

HATTINGEN = ID + "gebiet/hattingen"


def test_a_query_asked_twice_runs_once_and_each_caller_gets_its_own_rows(settings, monkeypatch):
    from inko_graph.query import catalogue

    ctx = ReportContext(load_fixture(), settings, None, None, [], [], True, dt.date(2026, 3, 2))
    calls = []
    inner = catalogue.run

    def counted(store, q, params=None, **kw):
        calls.append((q.name, dict(params or {})))
        return inner(store, q, params, **kw)

    monkeypatch.setattr(catalogue, "run", counted)
    first = ctx.run("cockpit-akteure", {"gebiet": HATTINGEN})
    first.loc[:, "label"] = "geändert"
    again = ctx.run("cockpit-akteure", {"gebiet": HATTINGEN})
    other = ctx.run("cockpit-akteure")
    assert [c for c in calls if c[0] == "cockpit-akteure"] == [
        ("cockpit-akteure", {"gebiet": HATTINGEN}), ("cockpit-akteure", {})]
    assert len(again) and "geändert" not in set(again["label"]) and len(other) >= len(again)
