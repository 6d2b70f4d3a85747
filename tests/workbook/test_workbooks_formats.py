"""Every template is a real file of the format its name says (.xlsx, .ods, .csv); another extension is an error."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from inko_graph.errors import InputError
from inko_graph.konzept.lists import load_lists
from inko_graph.konzept.template import build_book, write_book
from inko_graph.monitoring.vorlage import write_vorlage
from inko_graph.raster.template import write_template


def _writers(store, settings):
    lists = load_lists(store, settings.queries_dir, None)
    return {
        "raster": lambda out: write_template(out, store, settings, town="Hattingen", year=2026),
        "monitoring": lambda out: write_vorlage(out, store, settings.queries_dir),
        "konzept": lambda out: write_book(build_book(lists), out),
    }


def _kind(data: bytes) -> str:
    if not data.startswith(b"PK"):
        return "text"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if "xl/workbook.xml" in z.namelist():
            return "xlsx"
        return "ods" if z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet" else "zip"


@pytest.mark.parametrize("what", ["raster", "monitoring", "konzept"])
def test_each_template_in_each_format(tmp_path, store, settings, what):
    write = _writers(store, settings)[what]
    for ext in ("xlsx", "ods", "csv"):
        out = tmp_path / f"{what}.{ext}"
        written = write(out)
        assert out in written
        assert _kind(out.read_bytes()) == ("text" if ext == "csv" else ext), out
        if ext == "xlsx":
            wb = openpyxl.load_workbook(out)
            assert "Anleitung" in wb.sheetnames
            assert sum(len(ws.data_validations.dataValidation) for ws in wb) > 0
        if ext == "ods":
            with zipfile.ZipFile(out) as z:
                content = z.read("content.xml")
            assert b'table:name="Anleitung"' in content and b"cell-content-is-in-list" in content
    for bad in (f"{what}.txt", f"{what}.xls", f"{what}.xlsx.bak"):
        with pytest.raises(InputError) as info:
            write(tmp_path / bad)
        assert ".xlsx, .ods, .csv" in str(info.value)
        assert not (tmp_path / bad).exists()


def test_monitoring_vorlage_command_writes_a_workbook_not_csv_text(tmp_path, store, settings, monkeypatch, capsys):
    """The reported bug: ``monitoring vorlage -o werte.xlsx`` wrote CSV text into a .xlsx file."""
    from inko_graph.cli import main
    from inko_graph.cli import monitoring as cli

    monkeypatch.setattr(cli, "_store", lambda s: store)
    out = tmp_path / "werte.xlsx"
    assert main(["--store", ":memory:", "monitoring", "vorlage", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["Anleitung", "Werte"]
    assert main(["--store", ":memory:", "monitoring", "vorlage", "-o", str(tmp_path / "werte.docx")]) == 2
    assert "nicht als „werte.docx“" in capsys.readouterr().err
