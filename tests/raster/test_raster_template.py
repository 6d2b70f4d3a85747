"""The Raster template: sheets, drop-downs bound to lists from the graph, text that stays text, CSV form."""

from __future__ import annotations

import csv
import io

import openpyxl
import pyoxigraph as ox
import pytest

from inko_graph.errors import InputError
from inko_graph.namespaces import GRAPH
from inko_graph.raster.columns import ACTIVITY_COLUMNS, ACTOR_FIELDS
from inko_graph.raster.reading import read_raster
from inko_graph.raster.template import workbook_bytes, write_template
from raster_fixtures import world_store


@pytest.fixture(scope="module")
def store():
    return world_store()


@pytest.fixture(scope="module")
def workbook(store, settings):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(store, settings, town="Hattingen", year=2026)))


def _column(ws, col: int = 1) -> list:
    return [ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)]


def test_sheets(workbook):
    assert workbook.sheetnames == ["Anleitung", "Akteur", "Aktivitäten", "Handlungsfelder", "Ziele", "Lebensphasen",
                                   "Zielgruppen", "Akteursarten", "Gebiete", "Akteure"]
    head = [workbook["Aktivitäten"].cell(row=1, column=c).value for c in range(1, len(ACTIVITY_COLUMNS) + 1)]
    assert head == ["Titel", "Beschreibung", "Handlungsfeld", "Ziele", "Lebensphasen", "Zielgruppen", "Zeitraum von",
                    "Zeitraum bis", "Partner", "Statistische Quellen"]
    assert _column(workbook["Akteur"])[:len(ACTOR_FIELDS)] == [f.name for f in ACTOR_FIELDS]


def test_instructions_are_german_and_say_what_is_kept(workbook):
    text = "\n".join(str(c.value) for c in workbook["Anleitung"]["A"] if c.value)
    assert "Raster für die Meldung von Aktivitäten" in text and "Hattingen" in text
    assert "keine Namen, Telefonnummern oder E-Mail-Adressen von Personen" in text
    assert "Postanschrift und Internetseite" in text
    assert "Formeln sind nicht erlaubt" in text


def test_lists_hold_the_towns_values_only(workbook):
    fields = _column(workbook["Handlungsfelder"])
    assert fields == ["Sprache und Bildung", "Bildung und Kultur", "Soziales", "Arbeiten"]  # Kreis + Hattingen, not Ratingen
    goals = _column(workbook["Ziele"])
    assert "Integrationskonzept Hattingen, Leitziel 3: Positive Medienpräsenz - Zuwanderung wird als Bereicherung erkannt" in goals
    assert "Strategiekonzept Hattingen 2020, Handlungsfeld 1, Teilziel c): Förderung der interkulturellen Begegnung" in goals
    assert not any("Ratingen" in g for g in goals)
    assert _column(workbook["Ziele"], 2)[goals.index(next(g for g in goals if "Leitthema 1" in g))] == \
        "id:test-kreis/leitthema/1"
    assert "Alle Lebensphasen" in _column(workbook["Lebensphasen"])
    assert "Bildungseinrichtung" in _column(workbook["Akteursarten"])
    assert "Hattingen" in _column(workbook["Gebiete"])
    assert "vhs Hattingen" in _column(workbook["Akteure"])
    assert workbook["Akteur"]["B4"].value == "Hattingen" and workbook["Akteur"]["B5"].value == 2026


def test_drop_downs_are_bound_to_the_lists(workbook):
    dvs = {str(dv.sqref): dv for dv in workbook["Aktivitäten"].data_validations.dataValidation}
    assert dvs["C2:C1001"].formula1 == "'Handlungsfelder'!$A$2:$A$5" and dvs["C2:C1001"].showErrorMessage
    assert dvs["D2:D1001"].formula1.startswith("'Ziele'!$A$2:$A$") and not dvs["D2:D1001"].showErrorMessage
    assert dvs["E2:E1001"].formula1.startswith("'Lebensphasen'!$A$2")
    assert dvs["G2:G1001"].type == "date"
    actor = {str(dv.sqref): dv for dv in workbook["Akteur"].data_validations.dataValidation}
    assert actor["B3"].formula1.startswith("'Akteursarten'!") and actor["B4"].formula1.startswith("'Gebiete'!")
    assert actor["B5"].type == "whole"


def test_empty_template_reads_back_with_only_required_values_missing(store, settings, workbook):
    buf = io.BytesIO()
    workbook.save(buf)
    rf = read_raster(buf.getvalue(), "leer.xlsx", max_bytes=settings.max_upload_bytes)
    assert rf.problems == [] and rf.rows == []
    assert rf.actor == {"gebiet": "Hattingen", "jahr": 2026}


def test_labels_that_look_like_formulas_stay_text(settings):
    store = world_store()
    evil = '=HYPERLINK("http://example.org","x")'
    store.load_quads([ox.Quad(ox.NamedNode("https://w3id.org/inko/id/akteur/boese"),
                              ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                              ox.NamedNode("http://www.w3.org/ns/org#Organization"), ox.NamedNode(GRAPH + "x")),
                      ox.Quad(ox.NamedNode("https://w3id.org/inko/id/akteur/boese"),
                              ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                              ox.Literal(evil, language="de"), ox.NamedNode(GRAPH + "x"))])
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(store, settings, town="Hattingen")))
    cells = [c for c in wb["Akteure"]["A"] if c.value == evil]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert not any(c.data_type == "f" for ws in wb for row in ws.iter_rows() for c in row)


def test_csv_template(tmp_path, store, settings):
    out = tmp_path / "raster.csv"
    written = write_template(out, store, settings, town="Hattingen", fmt="csv", year=2026)
    names = sorted(p.name for p in written)
    assert names == sorted(["raster.csv", "raster-handlungsfelder.csv", "raster-ziele.csv", "raster-lebensphasen.csv",
                            "raster-zielgruppen.csv", "raster-akteursarten.csv", "raster-gebiete.csv",
                            "raster-akteure.csv", "raster-anleitung.txt"])
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == [f.name for f in ACTOR_FIELDS] + [f.name for f in ACTIVITY_COLUMNS]
    assert rows[1][2] == "Hattingen" and rows[1][3] == "2026"
    rf = read_raster(out.read_bytes(), "raster.csv", max_bytes=settings.max_upload_bytes)
    assert rf.problems == [] and rf.rows == []
    goals = list(csv.reader(io.StringIO((tmp_path / "raster-ziele.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert goals[0][:2] == ["Auswahl", "Kürzel"] and len(goals) == 7


def test_unknown_town(store, settings):
    with pytest.raises(InputError) as info:
        workbook_bytes(store, settings, town="Hatingen")
    assert "Meinten Sie „Hattingen“" in str(info.value)


def test_real_graph_template_lists_the_eight_hattingen_leitziele(built, settings):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(built.store, settings, town="Hattingen", year=2026)))
    codes = set(_column(wb["Ziele"], 2))
    assert {f"id:hattingen/leitziel/{i}" for i in range(1, 9)} <= codes
    assert not any(c.startswith("id:ratingen/") for c in codes)
    assert len(set(_column(wb["Ziele"]))) == len(_column(wb["Ziele"]))  # every choice unique


def test_ods_template_reads_back_like_the_workbook(store, settings):
    data = workbook_bytes(store, settings, town="Hattingen", year=2026, fmt="ods")
    rf = read_raster(data, "leer.ods", max_bytes=settings.max_upload_bytes)
    assert rf.fmt == "ods" and rf.problems == [] and rf.rows == []
    assert rf.actor == {"gebiet": "Hattingen", "jahr": 2026}
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        content = z.read("content.xml").decode("utf-8")
    assert "of:cell-content-is-in-list([$'Handlungsfelder'.$A$2:.$A$" in content


def test_a_towns_template_offers_only_its_gebiet(workbook):
    assert _column(workbook["Gebiete"]) == ["Hattingen"]


@pytest.mark.parametrize("name", ["raster.txt", "raster.xls", "raster"])
def test_an_extension_the_template_cannot_have_is_an_error(tmp_path, store, settings, name):
    with pytest.raises(InputError) as info:
        write_template(tmp_path / name, store, settings, town="Hattingen")
    assert ".xlsx, .ods, .csv" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_format_follows_the_file_name(tmp_path, store, settings):
    for name, magic in (("r.xlsx", b"xl/workbook.xml"), ("r.ods", b"application/vnd.oasis.opendocument.spreadsheet")):
        out = tmp_path / name
        assert write_template(out, store, settings, town="Hattingen") == [out]
        assert magic in out.read_bytes()


def test_value_shown_in_the_template_for_all_towns_is_accepted_for_the_town(built, settings):
    """Issue 20: „Bildung (Handlungskonzept 2017 …)“ from the all-towns list is Hattingen's own field."""
    from inko_graph.raster.matching import Matcher
    from inko_graph.raster.vocab import load_vocabulary

    everyone = load_vocabulary(built.store, settings.queries_dir, None)
    hattingen = load_vocabulary(built.store, settings.queries_dir, "https://w3id.org/inko/id/gebiet/hattingen")
    own = {t.iri for t in hattingen.handlungsfelder}
    matcher = Matcher(hattingen.handlungsfelder, by_number=True)
    shown = [t for t in everyone.handlungsfelder if t.iri in own]
    assert any("(" in t.display for t in shown)
    for t in shown:
        m = matcher.match(t.display)
        assert m.ok and m.term.iri == t.iri, t.display
