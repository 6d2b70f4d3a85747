"""The report counts what the current version of a concept states, as the cockpit does
(``query.gestrichen``): Ratingen's concept uploaded without the one measure of Leitziel 2.7/1 makes
that goal a gap in the report as on /luecken, and the concept's numbers are the start page's."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from inko_graph.konzept.export import export_book
from inko_graph.konzept.importer import import_file
from inko_graph.konzept.template import template_bytes
from inko_graph.store import OxigraphStore

ID = "https://w3id.org/inko/id/"
MEASURE = ID + "ratingen/massnahme/2-7-1"  # the one measure of Leitziel 2.7/1


def _without_measure(store, settings) -> bytes:
    book, _ = export_book(store, settings, "Ratingen")
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(book, "xlsx")))
    ws = wb["Maßnahmen"]
    head = {c.value: i for i, c in enumerate(ws[1])}
    rows = [r for r in ws.iter_rows(min_row=2) if r[head["Kennung"]].value == "id:" + MEASURE[len(ID):]]
    assert len(rows) == 1
    ws.delete_rows(rows[0][0].row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _table(html: str, caption: str) -> list[list[str]]:
    m = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", html, re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S) if "<td" in row]


def _download(client, path: str, table: str) -> list[dict]:
    r = client.get(path, params={"gebiet": "ratingen", "format": "csv", "tabelle": table})
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture(scope="module")
def site(store, settings):
    from fastapi.testclient import TestClient

    from inko_graph.server import create_app

    work = OxigraphStore.memory()
    work.load_quads(store.quads())
    with TestClient(create_app(settings, work)) as c:
        before = c.get("/bericht", params={"gebiet": "ratingen"}).text
        import_file(_without_measure(store, settings), "ratingen-2026.xlsx", work, settings)
        c.app.state.cache.clear()
        yield c, before, c.get("/bericht", params={"gebiet": "ratingen"}).text


def test_a_goal_whose_measure_was_struck_is_a_gap_as_in_the_cockpit(site):
    client, before, after = site
    counts = {was: int(n) for was, n in _table(after, "Auf einen Blick")}
    gaps = _download(client, "/luecken", "luecken")
    assert counts["Ziele ohne Maßnahme"] == len(gaps)
    assert counts["Ziele ohne Maßnahme"] == 1 + {w: int(n) for w, n in _table(before, "Auf einen Blick")}["Ziele ohne Maßnahme"]
    docs = {d: (z, h, v) for d, r, z, h, v in _table(after, "Berücksichtigte Dokumente")}
    start = {k["Konzept"]: (k["Ziele"], k["Handlungsfelder"], k["Maßnahmen und Aktivitäten"])
             for k in _download(client, "/", "konzepte")}
    assert docs == {k: n for k, n in start.items() if n != ("0", "0", "0")}  # the report leaves out empty ones

