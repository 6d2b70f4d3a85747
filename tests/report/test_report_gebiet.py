"""The report for a town counts what the cockpit counts for that Gebiet (issue: the Strategiekonzept
Hattingen 2020 was counted as subject, 50 of its goals as gaps): a town's integration concepts count,
a general town strategy is "Rahmen", shown with what the integration goals contribute to."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from inko_graph.report import build_report, render_html

DAY = dt.date(2026, 3, 2)
STRATEGIE = "Strategiekonzept Hattingen 2020"


@pytest.fixture(scope="module")
def cockpit(settings, store):
    from fastapi.testclient import TestClient

    from inko_graph.server import create_app

    with TestClient(create_app(settings, store)) as c:
        yield c


def _table_rows(client, path: str, slug: str) -> list[dict]:
    r = client.get(path, params={"gebiet": slug, "format": "csv", "tabelle": path.strip("/")})
    assert r.status_code == 200
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))


def _start_count(client, slug: str, word: str) -> int:
    html = client.get("/", params={"gebiet": slug}).text
    return int(re.search(rf"<strong>(\d+) {word}", html).group(1))


@pytest.fixture(scope="module")
def reports(store, settings):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("inko_graph.report.SECTION_MODULES", [])
        return {town: build_report(store, settings, town=town, today=DAY) for town in ("Hattingen", "Ratingen")}


@pytest.mark.parametrize("town,slug", [("Hattingen", "hattingen"), ("Ratingen", "ratingen")])
def test_gaps_and_overlaps_are_those_of_the_cockpit(reports, cockpit, town, slug):
    report = reports[town]
    summary = dict(report.summary)
    gaps = _table_rows(cockpit, "/luecken", slug)
    overlaps = _table_rows(cockpit, "/ueberschneidungen", slug)
    assert summary["Ziele ohne Maßnahme"] == len(gaps) == _start_count(cockpit, slug, "L")
    over = next(n for k, n in summary.items() if k.startswith("Überschneidungen"))
    assert over == len(overlaps) == _start_count(cockpit, slug, "Überschneidung")
    # The same goals, not only as many: the report's list of gaps and that of /luecken.
    listed = report.csv["luecken.csv"]
    listed = listed[listed["luecke"] == "Ziel ohne Maßnahme"]
    assert sorted(set(listed["bezeichnung"])) == sorted({r["Ziel"] for r in gaps})
    # The report's documents that count are the cockpit's ("zählt" on its start page).
    assert STRATEGIE not in {k["konzeptname"] for k in report.context.konzepte}


def test_the_strategiekonzept_is_framework_not_subject(reports):
    report = reports["Hattingen"]
    assert [k["konzeptname"] for k in report.context.rahmen] == [STRATEGIE]
    docs = next(t for t in report.sections[0].tables if t.caption == "Berücksichtigte Dokumente").rows
    roles = {d["dokument"]: d["rolle"] for d in docs}
    assert roles[STRATEGIE] == "Rahmen" and roles["Integrationskonzept der Stadt Hattingen"] == "Gegenstand"
    # It is named with what the integration goals contribute to, and none of its goals is a gap.
    text = " ".join(report.sections[0].paragraphs)
    assert re.search(rf"„{STRATEGIE}“ ist Rahmen.*\d+ Ziele tragen zu \d+ seiner Ziele bei", text)
    gaps = report.csv["luecken.csv"]
    assert not gaps["dokument"].str.contains(STRATEGIE).any()
    assert not report.csv["ueberschneidungen.csv"]["dokument"].str.contains(STRATEGIE).any()
    html = render_html(report)
    assert re.search(r">\s*Rahmen\s*<", html) and not re.search(rf"{STRATEGIE}\s*</td>\s*<td>\s*Gegenstand", html)


def test_ratingen_has_no_framework(reports):
    assert reports["Ratingen"].context.rahmen == []


@pytest.mark.parametrize("town,slug", [("Hattingen", "hattingen"), ("Ratingen", "ratingen"),
                                       ("Ennepe-Ruhr-Kreis", "ennepe-ruhr-kreis")])
def test_actors_without_activity_are_those_of_the_actor_list(reports, store, settings, cockpit, town, slug):
    """One organisation one actor, as /akteure shows them (37 for Hattingen before: its sub-units
    were counted beside their organisation). An organisation with 0/0 whose sub-units work is active."""
    report = reports.get(town) or build_report(store, settings, town=slug, today=DAY)
    listed = report.csv["luecken.csv"]
    names = sorted(listed[listed["luecke"] == "Akteur ohne Aktivität"]["bezeichnung"])
    rows = _table_rows(cockpit, "/akteure", slug)
    # The list's name is followed by the other names of the organisation: "(auch: …)".
    idle = {re.sub(r" \(auch: .*\)$", "", r["Name"]) for r in rows if r["Aktivitäten"] == "0" and r["Maßnahmen"] == "0"}
    assert dict(report.summary)["Akteure ohne Aktivität"] == len(names) == len(set(names))
    assert set(names) <= idle
    assert all(r["Untereinheiten"] for r in rows if r["Name"] in idle - set(names))
    if town == "Hattingen":  # no organisation of Hattingen with 0/0 has a sub-unit that works
        assert sorted(idle) == names and len(names) == 30
