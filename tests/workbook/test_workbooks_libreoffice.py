"""Files that LibreOffice itself wrote: converted with ``soffice --headless --convert-to``, then imported.

Conversions are slow, so the session fixture makes all of them in two runs of LibreOffice: first
the filled-in workbooks (Raster, Konzept, monitoring; written with openpyxl as Excel would) to
.ods, then LibreOffice's .ods files and an .ods the Konzept export wrote to .xlsx. The tests import
what LibreOffice wrote, check that the choice lists survive, and run the round trip template ->
filled -> import -> export -> import for the Konzept workbook.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest

from inko_graph.konzept.export import export_book
from inko_graph.konzept.importer import import_file as import_konzept
from inko_graph.konzept.template import template_bytes
from inko_graph.monitoring.csvimport import plan_import
from inko_graph.monitoring.vorlage import build_book as monitoring_book
from inko_graph.raster.importer import import_raster
from inko_graph.raster.template import workbook_bytes
from inko_graph.store import OxigraphStore
from inko_graph.workbook.problems import SheetError
from inko_graph.workbook.xlsx import xlsx_bytes
from konzept_fixtures import fill, template, to_bytes

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None and not os.environ.get("INKO_REQUIRE_LIBREOFFICE"),
                                reason="LibreOffice (soffice) is not installed")


def _convert(files, target: str, outdir, profile) -> None:
    outdir.mkdir(exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=240)


def _copy(store) -> OxigraphStore:
    fresh = OxigraphStore.memory()
    fresh.load_quads(store.quads())
    return fresh


RASTER_ACTOR = {"Organisation": "VHS Hattingen", "Art des Akteurs": "Bildungseinrichtung", "Berichtsjahr": 2026}


def _raster_filled(store, settings) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(store, settings, town="Hattingen", year=2026)))
    ws = wb["Akteur"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in RASTER_ACTOR:
            row[1].value = RASTER_ACTOR[row[0].value]
    fields = [r[0].value for r in wb["Handlungsfelder"].iter_rows(min_row=2)]
    goals = [r[0].value for r in wb["Ziele"].iter_rows(min_row=2)]
    act = wb["Aktivitäten"]
    act.append(["Sprachcafé", "Jeden Mittwoch", fields[0], goals[0], "Erwerbsalter", None, "01.02.2026", None, None, None])
    act.append(["Deutschkurs am Abend", None, fields[1], f"{goals[1]}; {goals[2]}", "Erwerbsalter; Alter", None, 2026,
                None, None, None])
    return to_bytes(wb)


def _monitoring_filled(store, settings) -> bytes:
    book = monitoring_book(store, settings.queries_dir, rows=20)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(book)))
    wb["Werte"].append(["Gesamtbevölkerung", "Hattingen", 2012, 54000, None, "IT.NRW, Bevölkerungsstand 31.12.2012"])
    wb["Werte"].append(["Gesamtbevölkerung", "Hattingen", 2013, 53500.5, None, "IT.NRW"])
    return to_bytes(wb)


@pytest.fixture(scope="session")
def office(store, settings, tmp_path_factory):
    """Every conversion of the session, in two runs of LibreOffice."""
    base = tmp_path_factory.mktemp("office")
    # one LibreOffice profile for every session: creating it is most of the time of the first conversion
    profile = Path(tempfile.gettempdir()) / "inko-graph-libreoffice-profil"
    src = base / "ein"
    src.mkdir()
    (src / "raster.xlsx").write_bytes(_raster_filled(store, settings))
    (src / "konzept.xlsx").write_bytes(to_bytes(fill(template(store, settings))))
    (src / "werte.xlsx").write_bytes(_monitoring_filled(store, settings))
    _convert(sorted(src.glob("*.xlsx")), "ods", base / "ods", profile)
    # the Konzept as LibreOffice saved it, imported; its export (our .ods) goes through LibreOffice once more
    work = _copy(store)
    first = import_konzept((base / "ods" / "konzept.ods").read_bytes(), "konzept.ods", work, settings)
    book, _ = export_book(work, settings, "Sprockhövel", first.mapped.konzept)
    exported = base / "export"
    exported.mkdir()
    (exported / "konzept-export.ods").write_bytes(template_bytes(book, "ods"))
    _convert(sorted((base / "ods").glob("*.ods")) + [exported / "konzept-export.ods"], "xlsx", base / "xlsx", profile)
    return {"dir": base, "work": work, "first": first}


def test_libreoffice_ods_and_xlsx_of_the_raster_import(store, settings, office):
    for name in ("ods/raster.ods", "xlsx/raster.xlsx"):
        data = (office["dir"] / name).read_bytes()
        result = import_raster(data, name.split("/")[1], _copy(store), settings, dry_run=True)
        assert len(result.mapped.activities) == 2, name
        assert result.mapped.actor.endswith("/vhs-hattingen")


def test_libreoffice_files_keep_the_per_cell_messages(store, settings, office):
    """A bad value in a file LibreOffice wrote is named with sheet, row and column, like in Excel's."""
    data = (office["dir"] / "ods" / "raster.ods").read_bytes()
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    content = parts["content.xml"].decode("utf-8").replace(">Sprachcafé<", ">Sprachcafé<", 1)
    content = content.replace(">Erwerbsalter<", ">Erwerbsalterr<", 1)
    parts["content.xml"] = content.encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), parts.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for n, b in parts.items():
            z.writestr(n, b)
    with pytest.raises(SheetError) as info:
        import_raster(buf.getvalue(), "raster.ods", _copy(store), settings, dry_run=True)
    p = info.value.items[0]
    assert (p.sheet, p.row, p.column, p.value) == ("Aktivitäten", 2, "Lebensphasen", "Erwerbsalterr")
    assert "Meinten Sie „Erwerbsalter“" in p.de


def test_libreoffice_konzept_round_trip(store, settings, office):
    """template -> filled -> (LibreOffice .ods) import -> export (.ods) -> (LibreOffice .xlsx) import: same triples."""
    first = office["first"]
    assert first.mapped.counts["ziele"] == 3 and first.mapped.counts["massnahmen"] == 2
    work = office["work"]
    g1 = {ox.Triple(q.subject, q.predicate, q.object) for q in work.quads(first.mapped.graph)}
    again = import_konzept((office["dir"] / "xlsx" / "konzept-export.xlsx").read_bytes(), "konzept-export.xlsx",
                           work, settings)
    g2 = {ox.Triple(q.subject, q.predicate, q.object) for q in work.quads(again.mapped.graph)}
    meta = lambda ts: {t for t in ts if t.subject.value == first.mapped.graph}  # noqa: E731 - file name, time
    assert again.mapped.graph == first.mapped.graph
    assert g2 - meta(g2) == g1 - meta(g1)


def test_libreoffice_monitoring_workbooks_import(store, settings, office):
    for name in ("ods/werte.ods", "xlsx/werte.xlsx"):
        plan = plan_import(store, (office["dir"] / name).read_bytes(), name.split("/")[1])
        values = sorted(float(r.wert) for r in plan.rows)
        assert values == [53500.5, 54000.0], name


def test_choice_lists_of_our_ods_survive_libreoffice(office):
    """The .ods the export wrote, opened and saved by LibreOffice as .xlsx, still has its drop-downs."""
    wb = openpyxl.load_workbook(office["dir"] / "xlsx" / "konzept-export.xlsx")
    found = {(ws.title, str(dv.formula1)) for ws in wb for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert ("Ziele", "Lebensphasen!$A$2:$A$7") in found
    assert any(t == "Maßnahmen" and f.startswith("Ziele!$A$2") for t, f in found)
    assert any(t == "Konzept" and f.startswith("Gebiete!$A$2") for t, f in found)
    year = [dv for dv in wb["Konzept"].data_validations.dataValidation if str(dv.sqref) == "B4"]
    assert year and (year[0].type, year[0].formula1, year[0].formula2) == ("whole", "1950", "2100")
