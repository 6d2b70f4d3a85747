"""„Änderungen“ between two versions of a concept, in the cockpit (``/aenderungen/konzept``).

Hattingen's concept goes out as a workbook (the real export), comes back changed through the real
importer: one goal reworded, one removed, a Lebensphase added to another, a new measure with an
actor the concept did not name. The page must list exactly these, as ``diff.diff_triples`` gives
them for the version of the source document (the export test's own definition of what the
workbook carries) and the uploaded graph.
"""

from __future__ import annotations

import csv
import io
import re

import httpx
import openpyxl
import pyoxigraph as ox
import pytest

from inko_graph.analysis.diff import diff_triples
from inko_graph.konzept.export import export_book
from inko_graph.konzept.importer import import_file
from inko_graph.konzept.template import template_bytes
from inko_graph.server import create_app
from inko_graph.store import OxigraphStore
from live_server import LiveServer
from test_browser_cockpit import FORBIDDEN
from konzept_projection import _without_workbook_provenance, projection

ID = "https://w3id.org/inko/id/"
KONZEPT = ID + "konzept/hattingen-integrationskonzept"
GRAPH = "https://w3id.org/inko/graph/konzept/hattingen-integrationskonzept"
NEW_WORDING = "Mehrsprachigkeit wird als Bereicherung gefördert."
PAGE = "/aenderungen/konzept?gebiet=hattingen"


def changed_workbook(store, settings) -> bytes:
    """Hattingen's concept as exported, changed as a town's office would in a spreadsheet program."""
    book, konzept = export_book(store, settings, "Hattingen")
    assert konzept == KONZEPT
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(book, "xlsx")))
    ws = wb["Ziele"]
    head = {c.value: i for i, c in enumerate(ws[1])}
    for row in list(ws.iter_rows(min_row=2)):
        kennung = row[head["Kennung"]].value
        if kennung == "id:hattingen/leitziel/5":
            row[head["Ziel"]].value = NEW_WORDING
        elif kennung == "id:hattingen/leitziel/4":
            row[head["Lebensphase"]].value = "Schulalter"
        elif kennung == "id:hattingen/leitziel/8":
            ws.delete_rows(row[0].row)
    ms = wb["Maßnahmen"]
    mhead = [c.value for c in ms[1]]
    values = {"Nr": "1", "Maßnahme": "Sprachcafé für Eltern", "Ziel": "Leitziel 5", "Zuständig": "vhs Hattingen",
              "Lebensphase": "Erwerbsalter", "Abschnitt": "4"}
    ms.append([values.get(h) for h in mhead])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def site(store, settings):
    """A server on a copy of the real graph: the page before and after the changed upload."""
    work = OxigraphStore.memory()
    work.load_quads(store.quads())
    server = LiveServer(create_app(settings, work)).start()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        before = c.get(PAGE)
        result = import_file(changed_workbook(store, settings), "hattingen-2026.xlsx", work, settings)
        yield {"client": c, "work": work, "before": before, "result": result, "store": store}
    server.stop()


def _main(html: str) -> str:
    m = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1)))


def _rows(html: str) -> list[list[str]]:
    m = re.search(r'<table class="liste konzept-aenderungen"[^>]*>(.*?)</table>', html, re.S)
    assert m, "keine Tabelle der Änderungen"
    body = m.group(1).split("<tbody>", 1)[1]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _expected(site) -> dict:
    """What diff_triples says between the document's version and the uploaded graph."""
    old = projection(site["store"], KONZEPT)   # the original graph, without any upload
    new = _without_workbook_provenance({ox.Triple(q.subject, q.predicate, q.object)
                                        for q in site["work"].quads(GRAPH)}, GRAPH)
    return diff_triples(old, new)


def test_before_the_upload_the_page_says_there_is_one_version_and_how_to_get_another(site):
    r = site["before"]
    assert r.status_code == 200
    text = _main(r.text)
    assert "Integrationskonzept der Stadt Hattingen" in text
    assert "gibt es bisher nur eine Fassung" in text and "Konzept hochladen" in text
    assert 'href="/konzept?gebiet=Hattingen"' in r.text
    # the workbook to change comes from the browser download, not from a command
    assert 'href="/konzept/export.xlsx?gebiet=Hattingen"' in r.text and "inko-graph" not in text
    got = site["client"].get("/konzept/export.xlsx", params={"gebiet": "Hattingen"})
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert "konzept-aenderungen" not in r.text     # no table of changes without two versions


def test_the_page_lists_exactly_the_changed_goals_measures_actors_and_lebensphasen(site):
    r = site["client"].get(PAGE)
    assert r.status_code == 200
    rows = _rows(r.text)
    d = _expected(site)
    labels = {**d.labels}
    expected = set()
    for key in ("ziele", "massnahmen", "akteure"):
        expected |= {(x.label, "neu") for x in d.added.get(key, [])}
        expected |= {(x.label, "entfallen") for x in d.removed.get(key, [])}
        expected |= {(c.label, "Bezeichnung geändert") for c in d.changed.get(key, [])
                     for p, _, _ in c.props if p.endswith("#prefLabel")}
    expected |= {(labels[s], f"Lebensphase {what}") for what, links in (("neu", d.links_added),
                                                                        ("entfallen", d.links_removed))
                 for s, p, _ in links if p.endswith("#lebensphase")}
    shown = {(row[2], row[3]) for row in rows}
    assert shown == expected
    # and these are the edits made in the workbook, nothing else
    assert expected == {(NEW_WORDING, "Bezeichnung geändert"),
                        ("Eine regelmäßige Bewertung der Integrationsfortschritte wird etabliert", "entfallen"),
                        ("Chancengleichheit wird hergestellt.", "Lebensphase neu"),
                        ("Sprachcafé für Eltern", "neu"), ("vhs Hattingen", "neu")}
    by_change = {(row[2], row[3]): row for row in rows}
    reworded = by_change[(NEW_WORDING, "Bezeichnung geändert")]
    assert reworded[:2] == ["Leitziel", "5"]
    assert reworded[4] == "Mehrsprachigkeit wird als positive gesellschaftliche Realität konstruktiv gestaltet."
    assert reworded[5] == NEW_WORDING
    assert by_change[("Chancengleichheit wird hergestellt.", "Lebensphase neu")][4:] == ["–", "Schulalter"]
    assert by_change[("Sprachcafé für Eltern", "neu")][0] == "Maßnahme"
    assert by_change[("vhs Hattingen", "neu")][0] == "Akteur"
    # the overview counts the same
    text = _main(r.text)
    assert re.search(r"Ziele 0 1 1 Maßnahmen 1 0 0 Akteure 1 0 0 Zuordnungen zu Lebensphasen 1 0", text)


def test_the_main_view_shows_no_identifiers_and_names_the_versions_in_plain_german(site):
    r = site["client"].get(PAGE)
    text = _main(r.text)
    for pattern in FORBIDDEN:
        assert not pattern.search(text), pattern.pattern
    assert "Fassung aus dem Quelldokument „Integrationskonzept der Stadt Hattingen (Entwurf)“ (2014)" in text
    assert re.search(r"Hochgeladen am \d{1,2}\.\d{1,2}\.\d{4}, \d\d:\d\d Uhr.*\(hattingen-2026\.xlsx\)", text)
    # readable without JavaScript: a form that sends the choice, no script needed
    assert '<form class="filter" method="get" action="/aenderungen/konzept">' in r.text


def test_the_table_downloads_as_csv_and_excel_with_the_columns_shown(site):
    c = site["client"]
    rows = _rows(c.get(PAGE).text)
    r = c.get(PAGE + "&format=csv&tabelle=konzept-aenderungen")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    got = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert got[0] == ["Art", "Nr.", "Bezeichnung", "Änderung", "vorher", "nachher"]
    assert got[1:] == rows
    r = c.get(PAGE + "&format=xlsx&tabelle=konzept-aenderungen")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    sheet = [[v or "" for v in row] for row in ws.iter_rows(values_only=True)]
    assert sheet[0] == got[0] and [[str(v) for v in row] for row in sheet[1:]] == rows


def test_reachable_from_the_changes_page_and_the_choice_of_versions(site):
    c = site["client"]
    raster = c.get("/aenderungen?gebiet=hattingen").text
    assert 'href="/aenderungen/konzept?gebiet=hattingen"' in raster
    page = c.get(PAGE).text
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>',
                         page.split('id="k-von"', 1)[1].split("</select>", 1)[0])
    assert [v for v, _ in options] == ["dokument", "aktuell"]
    # the same version on both sides is no comparison; an unknown version falls back to the newest two
    same = c.get(PAGE + "&von=aktuell&bis=aktuell").text
    assert "Bitte zwei verschiedene Fassungen wählen." in same
    odd = c.get(PAGE + "&von=%3Cscript%3E&konzept=..%2F..").text
    assert _rows(odd) == _rows(page) and "<script>" not in odd.split("<main", 1)[1]
    # the other direction: what was added is now removed
    back = _rows(c.get(PAGE + "&von=aktuell&bis=dokument").text)
    assert ("Sprachcafé für Eltern", "entfallen") in {(r[2], r[3]) for r in back}


def test_another_gebiet_does_not_list_hattingens_concept(site):
    text = site["client"].get("/aenderungen/konzept?gebiet=ratingen").text
    assert "Integrationskonzept der Stadt Hattingen" not in text
    assert "Ratingen" in _main(text)


def test_before_any_upload_the_page_opens_on_the_concept_the_workbook_is_made_from(site):
    # every concept has one version then: the one a town's office exports and uploads again comes first
    selected = re.findall(r'<option value="([^"]*)" selected>', site["before"].text.split('id="k-konzept"', 1)[1])
    assert selected[0] == "hattingen-integrationskonzept"


def test_after_the_upload_the_page_opens_on_the_concept_with_two_versions(site):
    page = site["client"].get(PAGE).text
    selected = re.findall(r'<option value="([^"]*)" selected>', page.split('id="k-konzept"', 1)[1])
    assert selected[0] == "hattingen-integrationskonzept"
    assert "konzept-aenderungen" in page


def test_names_with_quotes_inside_are_quoted_once_with_inner_quotes(site):
    from inko_graph.konzept.fassungen import quoted

    assert quoted("Handlungskonzept „Leben“") == "„Handlungskonzept ‚Leben‘“"
    text = _main(site["client"].get(PAGE + "&konzept=hattingen-integrationskonzept-2017").text)
    assert "gibt es bisher nur eine Fassung" in text
    assert "„Handlungskonzept 2017 ‚Integration leben - Zukunft gestalten‘“" in text
    assert "„„" not in text and "““" not in text and not re.search(r"„[^“]*„", text)
