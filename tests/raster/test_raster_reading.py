"""Reading Raster files: formats, layouts and the checks that need no vocabulary."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest

from inko_graph.errors import TooLarge
from inko_graph.raster.columns import ACTIVITY_COLUMNS, ACTOR_FIELDS
from inko_graph.raster.problems import RasterError
from inko_graph.raster.reading import neutralise, read_raster
from raster_fixtures import DATA

LIMIT = 5_000_000
HEADER = [f.name for f in ACTOR_FIELDS] + [f.name for f in ACTIVITY_COLUMNS]


def _csv(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_good_xlsx_is_read_with_dates_and_rows():
    rf = read_raster((DATA / "gut.xlsx").read_bytes(), "gut.xlsx", max_bytes=LIMIT)
    assert rf.fmt == "xlsx" and rf.problems == []
    assert rf.actor["name"] == "Volkshochschule Hattingen"
    assert rf.actor_rows["name"] == 2
    assert [r.number for r in rf.rows] == [2, 3, 4]
    assert rf.rows[0].values["von"] == datetime(2026, 9, 1)
    assert rf.rows[1].values["titel"] == "Sprachcafé"


def test_good_csv_layout():
    rf = read_raster((DATA / "gut.csv").read_bytes(), "gut.csv", max_bytes=LIMIT)
    assert rf.fmt == "csv" and rf.problems == []
    assert rf.actor["gebiet"] == "Hattingen" and rf.actor["jahr"] == "2026"
    assert [r.values["titel"] for r in rf.rows] == ["Deutschkurs am Abend", "Sprachcafé", "Bewerbungstraining"]


def test_csv_with_commas_windows_1252_and_repeated_actor():
    text = ",".join(HEADER[:3] + ["Titel", "Handlungsfeld", "Ziele", "Lebensphasen"])
    lines = [text, "Bücherei,Bildungseinrichtung,Hattingen,Lesestart,Bildung,Leitziel 1,Alter",
             "Bücherei,,,Vorlesen,Bildung,Leitziel 2,Alter"]
    rf = read_raster("\n".join(lines).encode("cp1252"), "x.csv", max_bytes=LIMIT)
    assert rf.problems == []
    assert rf.actor["name"] == "Bücherei"
    assert len(rf.rows) == 2


def test_csv_actor_given_twice_differently():
    lines = [";".join(HEADER), ";".join(["A", "Verein", "Hattingen"] + [""] * 5 + ["T1", "", "HF", "Z", "L"] + [""] * 5),
             ";".join(["B"] + [""] * 7 + ["T2", "", "HF", "Z", "L"] + [""] * 5)]
    rf = read_raster(_csv(lines), "x.csv", max_bytes=LIMIT)
    assert [(p.row, p.column) for p in rf.problems] == [(3, "Organisation")]
    assert "ersten Zeile" in rf.problems[0].de


def test_apostrophe_before_formula_characters_is_removed():
    lines = [";".join(HEADER), ";".join(["A", "Verein", "Hattingen"] + [""] * 5 + ["'=Kurs", "'-eins", "HF", "Z", "L"]
                                        + [""] * 5)]
    rf = read_raster(_csv(lines), "x.csv", max_bytes=LIMIT)
    assert rf.problems == []
    assert rf.rows[0].values["titel"] == "=Kurs" and rf.rows[0].values["beschreibung"] == "-eins"


def test_neutralise_prefixes_what_a_spreadsheet_would_run():
    assert [neutralise(v) for v in ("=1+1", "+49", "-x", "@SUM(A1)", "Kurs", 5)] == ["'=1+1", "'+49", "'-x",
                                                                                  "'@SUM(A1)", "Kurs", 5]


def test_value_in_a_column_without_heading():
    wb = openpyxl.load_workbook(DATA / "gut.xlsx")
    wb["Aktivitäten"]["M3"] = "verirrt"
    buf = io.BytesIO()
    wb.save(buf)
    rf = read_raster(buf.getvalue(), "x.xlsx", max_bytes=LIMIT)
    assert [(p.sheet, p.row, p.column, p.value) for p in rf.problems] == [("Aktivitäten", 3, "M", "verirrt")]


def test_sheet_names_are_found_forgivingly():
    wb = openpyxl.load_workbook(DATA / "gut.xlsx")
    wb["Aktivitäten"].title = "AKTIVITAETEN"
    wb["Akteur"].title = "akteur "
    buf = io.BytesIO()
    wb.save(buf)
    rf = read_raster(buf.getvalue(), "x.xlsx", max_bytes=LIMIT)
    assert rf.problems == [] and len(rf.rows) == 3


def test_unknown_field_in_the_actor_sheet():
    wb = openpyxl.load_workbook(DATA / "gut.xlsx")
    ws = wb["Akteur"]
    ws["A20"], ws["B20"] = "Ansprechperson", "Frau Muster"
    buf = io.BytesIO()
    wb.save(buf)
    rf = read_raster(buf.getvalue(), "x.xlsx", max_bytes=LIMIT)
    assert [(p.sheet, p.row, p.de) for p in rf.problems] == [("Akteur", 20, "Unbekanntes Feld.")]


def test_too_large_before_anything_is_read():
    with pytest.raises(TooLarge) as info:
        read_raster(b"x" * 2001, "x.csv", max_bytes=2000)
    assert "2.000 Bytes" in str(info.value)


def test_empty_file():
    with pytest.raises(RasterError) as info:
        read_raster(b"  \n", "leer.csv", max_bytes=LIMIT)
    assert info.value.items[0].de == "Die Datei ist leer."


def test_old_xls_format():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(RasterError) as info:
        read_raster(ole, "alt.xls", max_bytes=LIMIT)
    assert "alten Excel-Format (.xls)" in info.value.items[0].de


def test_binary_file():
    with pytest.raises(RasterError) as info:
        read_raster(bytes(range(256)) * 4, "bild.png", max_bytes=LIMIT)
    assert "keine Tabelle" in info.value.items[0].de


def _ods(rows_xml: str, actor_sheet: str = "Akteur") -> bytes:
    """A minimal OpenDocument spreadsheet; ``rows_xml`` goes into the sheet „Aktivitäten“."""
    import zipfile

    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    actor = ('<table:table-row><table:table-cell office:value-type="string"><text:p>Organisation</text:p></table:table-cell>'
             '<table:table-cell office:value-type="string"><text:p>VHS</text:p></table:table-cell></table:table-row>')
    tables = (f'<table:table table:name="{actor_sheet}">{actor}</table:table>'
              f'<table:table table:name="Aktivitäten">{rows_xml}</table:table>')
    content = f'<office:document-content {ns}><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return buf.getvalue()


def _cell(text: str, extra: str = "") -> str:
    return f'<table:table-cell office:value-type="string"{extra}><text:p>{text}</text:p></table:table-cell>'


HEAD_XML = "<table:table-row>" + "".join(_cell(f.name) for f in ACTIVITY_COLUMNS) + "</table:table-row>"


def test_ods_typed_values_repeated_cells_and_a_million_empty_rows():
    row = ("<table:table-row>" + _cell("Sprachcafé") + '<table:table-cell table:number-columns-repeated="5"/>'
           + '<table:table-cell office:value-type="date" office:date-value="2026-09-01"><text:p>01.09.26</text:p></table:table-cell>'
           + '<table:table-cell office:value-type="float" office:value="2027"><text:p>2027</text:p></table:table-cell>'
           + "</table:table-row>")
    empty = '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    rf = read_raster(_ods(HEAD_XML + row + empty + row.replace("Sprachcafé", "Lesekreis")), "x.ods", max_bytes=LIMIT)
    assert rf.fmt == "ods"
    assert [r.number for r in rf.rows] == [2, 1048573]
    assert rf.rows[0].values == {"titel": "Sprachcafé", "von": datetime(2026, 9, 1), "bis": 2027}
    assert rf.actor["name"] == "VHS"


def test_ods_formula_is_refused_with_its_cell():
    row = "<table:table-row>" + _cell("Kurs", ' table:formula="of:=1+1"') + "</table:table-row>"
    rf = read_raster(_ods(HEAD_XML + row), "x.ods", max_bytes=LIMIT)
    p = next(p for p in rf.problems if "Formeln" in p.de)
    assert (p.sheet, p.row, p.column) == ("Aktivitäten", 2, "Titel")


def test_ods_missing_sheet_and_damaged_content():
    with pytest.raises(RasterError) as info:
        read_raster(_ods(HEAD_XML, actor_sheet="Anders"), "x.ods", max_bytes=LIMIT)
    assert any(p.sheet == "Akteur" and "Das Blatt fehlt" in p.de for p in info.value.items)
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content kaputt")
    with pytest.raises(RasterError) as info:
        read_raster(buf.getvalue(), "x.ods", max_bytes=LIMIT)
    assert "beschädigt" in info.value.items[0].de and ".ods" in info.value.items[0].de


def test_ods_with_entity_declarations_is_refused_unread():
    import zipfile

    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"><x>&b;</x>'
            '</office:document-content>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", bomb)
    with pytest.raises(RasterError) as info:
        read_raster(buf.getvalue(), "x.ods", max_bytes=LIMIT)
    assert "beschädigt" in info.value.items[0].de
