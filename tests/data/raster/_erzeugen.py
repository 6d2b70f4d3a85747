"""Make the good and bad Raster files of this folder (run from the project root):

    .venv/bin/python tests/data/raster/_erzeugen.py

The good files are the template of the test world (welt.ttl) filled in; each bad file has one
kind of defect, and ``erwartet.csv`` says which problem the import must report for it. The
encrypted workbook needs the package msoffcrypto-tool (not a dependency of the project); without
it the existing file is kept.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # tests/, for raster_fixtures

from raster_fixtures import GOOD_ACTOR, GOOD_ROWS, fill_workbook, to_bytes, world_store  # noqa: E402

from inko_graph.raster.columns import ACTIVITY_COLUMNS, ACTOR_FIELDS  # noqa: E402
from inko_graph.raster.template import workbook_bytes  # noqa: E402
from inko_graph.settings import Settings  # noqa: E402


def _xlsx_rows():
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][6] = datetime(2026, 9, 1)  # a real date cell, as Excel makes it
    return rows


def _csv(rows_actor: dict, rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow([f.name for f in ACTOR_FIELDS] + [f.name for f in ACTIVITY_COLUMNS])
    for i, r in enumerate(rows):
        actor = [rows_actor.get(f.name) if i == 0 else None for f in ACTOR_FIELDS]
        w.writerow(["" if v is None else v for v in actor + list(r)])
    return buf.getvalue()


def main() -> None:
    settings = Settings.from_env(env={}, store_path=None)
    store = world_store()
    template = workbook_bytes(store, settings, town="Hattingen", year=2026)
    good = fill_workbook(template, GOOD_ACTOR, _xlsx_rows())
    files: dict[str, bytes] = {"gut.xlsx": to_bytes(good), "gut.csv": _csv(GOOD_ACTOR, GOOD_ROWS).encode("utf-8")}

    def variant(change) -> bytes:
        wb = fill_workbook(template, GOOD_ACTOR, _xlsx_rows())
        change(wb)
        return to_bytes(wb)

    files["schlecht-keine-tabelle.pdf"] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    files["schlecht-kein-raster.csv"] = ("Sehr geehrte Damen und Herren,\nanbei unsere Meldung.\n"
                                         "Mit freundlichen Grüßen\n").encode("utf-8")
    files["schlecht-beschaedigt.xlsx"] = files["gut.xlsx"][: len(files["gut.xlsx"]) // 2]
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("notiz.txt", "kein Excel")
    files["schlecht-zip-kein-xlsx.xlsx"] = zbuf.getvalue()
    files["schlecht-blatt-fehlt.xlsx"] = variant(lambda wb: wb.remove(wb["Aktivitäten"]))
    files["schlecht-spalte-fehlt.xlsx"] = variant(lambda wb: wb["Aktivitäten"].delete_cols(4))
    files["schlecht-spalte-zuviel.xlsx"] = variant(lambda wb: wb["Aktivitäten"].cell(row=1, column=11, value="Kosten"))

    def empty_required(wb):
        wb["Aktivitäten"]["C3"] = None
    files["schlecht-pflicht-leer.xlsx"] = variant(empty_required)

    def unknown(wb):
        ws = wb["Aktivitäten"]
        ws["C2"] = "Bildung und Kutlur"
        ws["D3"] = "Medienpräsenz"
        ws["E4"] = "Rentenalter"
    files["schlecht-unbekannt.xlsx"] = variant(unknown)

    def duplicate(wb):
        ws = wb["Aktivitäten"]
        ws["A4"] = "deutschkurs am abend"
    files["schlecht-doppelt.xlsx"] = variant(duplicate)

    def bad_date(wb):
        wb["Aktivitäten"]["G3"] = "irgendwann im Herbst"
    files["schlecht-datum.xlsx"] = variant(bad_date)

    def formula(wb):
        wb["Aktivitäten"]["B2"] = '=HYPERLINK("http://example.org","Klick")'
    files["schlecht-formel.xlsx"] = variant(formula)

    def personal(wb):
        wb["Aktivitäten"]["B3"] = "Anmeldung bei Frau Muster, muster@example.org"
    files["schlecht-personendaten.xlsx"] = variant(personal)

    rows = [list(r) for r in GOOD_ROWS]
    rows[1][1] = '=cmd|" /C calc"!A0'
    files["schlecht-formel.csv"] = _csv(GOOD_ACTOR, rows).encode("utf-8")
    actor = dict(GOOD_ACTOR, Berichtsjahr="zwanzigsechsundzwanzig")
    files["schlecht-jahr.csv"] = _csv(actor, GOOD_ROWS).encode("utf-8")

    try:
        import msoffcrypto
        from msoffcrypto.format.ooxml import OOXMLFile

        out = io.BytesIO()
        OOXMLFile(io.BytesIO(files["gut.xlsx"])).encrypt("geheim", out)
        files["schlecht-verschluesselt.xlsx"] = out.getvalue()
        del msoffcrypto
    except ImportError:
        print("msoffcrypto-tool fehlt: schlecht-verschluesselt.xlsx bleibt wie es ist")

    for name, data in files.items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} Bytes")


if __name__ == "__main__":
    main()
