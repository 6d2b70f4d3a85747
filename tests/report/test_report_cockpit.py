"""Every count of the report (the cockpit's page /bericht) is the cockpit's for the same Gebiet: the
Kreis (its own concept and its towns'), each town, and all (real graph). The Kreis's report used to
be the whole graph's (119 goals without measure against the cockpit's 8), the whole graph's counted
the Strategiekonzept's goals as gaps, and documents without any measure filled the heat map with gaps."""

from __future__ import annotations

import csv
import io
import re

import pytest

GEBIETE = ["ennepe-ruhr-kreis", "hattingen", "ratingen", "alle"]


@pytest.fixture(scope="module")
def cockpit(settings, store):
    from fastapi.testclient import TestClient

    from inko_graph.server import create_app

    with TestClient(create_app(settings, store)) as c:
        yield c


def _download(client, path: str, slug: str, table: str) -> list[dict]:
    r = client.get(path, params={"gebiet": slug, "format": "csv", "tabelle": table})
    assert r.status_code == 200
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))


def _table(html: str, caption: str) -> list[list[str]]:
    m = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", html, re.S)
    assert m, caption
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S) if "<td" in row]


def _start_count(client, slug: str, word: str) -> int:
    html = client.get("/", params={"gebiet": slug}).text
    return int(re.search(rf"<strong>(\d+) {word}", html).group(1))


@pytest.fixture(scope="module")
def pages(cockpit):
    return {slug: cockpit.get("/bericht", params={"gebiet": slug}).text for slug in GEBIETE}


@pytest.mark.parametrize("slug", GEBIETE)
def test_counts_are_those_of_the_cockpit(cockpit, pages, slug):
    html = pages[slug]
    summary = {was: int(n) for was, n in _table(html, "Auf einen Blick")}
    gaps = _download(cockpit, "/luecken", slug, "luecken")
    overlaps = _download(cockpit, "/ueberschneidungen", slug, "ueberschneidungen")
    assert summary["Ziele ohne Maßnahme"] == len(gaps) == _start_count(cockpit, slug, "L")
    assert summary["Überschneidungen (mehrere Akteure, gleiches Ziel)"] == len(overlaps) \
        == _start_count(cockpit, slug, "Überschneidung")
    # The empty cells are the red cells of the cockpit's matrix, "Alle Lebensphasen" included.
    matrix = cockpit.get("/matrix", params={"gebiet": slug}).text
    assert summary["leere Felder Handlungsfeld × Lebensphase"] == matrix.count('class="zahl leer"')
    # The heat map's tables are the matrix's documents (one without any measure is only named).
    heads = re.findall(r"<caption>Zahl der Vorhaben je Handlungsfeld und Lebensphase: (.*?)</caption>", html)
    drawn = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r'<h2 id="matrix-\d+">(.*?)</h2>', matrix, re.S)]
    assert sorted(heads) == sorted(drawn) and heads


@pytest.mark.parametrize("slug", ["ennepe-ruhr-kreis", "hattingen", "ratingen"])
def test_documents_are_those_of_the_start_page(cockpit, pages, slug):
    """The documents that count and the Rahmen documents, with their numbers, as the start page lists
    them for the Gebiet (a concept with no goal, field or measure is left out of the report)."""
    roles = {"Gegenstand": "zählt", "Rahmen": "Rahmen"}
    report = sorted((d, roles[r], z, h, v) for d, r, z, h, v in _table(pages[slug], "Berücksichtigte Dokumente")
                    if r in roles)
    start = sorted((k["Konzept"], k["Rolle"], k["Ziele"], k["Handlungsfelder"], k["Maßnahmen und Aktivitäten"])
                   for k in _download(cockpit, "/", slug, "konzepte")
                   if (k["Ziele"], k["Handlungsfelder"], k["Maßnahmen und Aktivitäten"]) != ("0", "0", "0"))
    assert report == start


def test_the_kreis_report_is_the_kreis_and_its_towns(pages):
    html = pages["ennepe-ruhr-kreis"]
    docs = {d: r for d, r, *_ in _table(html, "Berücksichtigte Dokumente")}
    assert docs["Integrationskonzept des Ennepe-Ruhr-Kreises"] == "Gegenstand"
    assert docs["Integrationskonzept der Stadt Hattingen"] == "Gegenstand"
    assert "Integrationskonzept für die Stadt Ratingen" not in docs  # Ratingen lies in another Kreis
    assert "Bericht für die Steuerungsgruppe: Ennepe-Ruhr-Kreis" in html or "Kreis: Ennepe-Ruhr-Kreis" in html


def test_the_reports_rule_is_the_cockpits(cockpit, store, settings):
    """The report's own reading of the Gebiete (for the command line) gives what the cockpit chose."""
    from inko_graph.report.model import catalogue, scopes
    from inko_graph.server.cockpit_berichte import report_scope
    from inko_graph.server.gebiet import choices

    class _Request:
        app = cockpit.app

    known = scopes(store, catalogue(settings.queries_dir))
    assert known[None] == report_scope(_Request, None)
    for g in choices(cockpit.app).values():
        assert known[g.iri] == report_scope(_Request, g), g.slug


def _rows_with_head(html: str, caption: str) -> tuple[list[str], list[list[str]]]:
    m = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", html, re.S)
    assert m, caption
    head = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<th[^>]*>(.*?)</th>", m.group(1), re.S)]
    return head, _table(html, caption)


@pytest.mark.parametrize("slug", GEBIETE)
def test_heat_map_is_the_matrix(cockpit, pages, slug):
    """Each document's heat map holds the numbers of the cockpit's matrix, row by row, the row
    "ohne Handlungsfeld" (what serves a goal outside the concept's fields) included."""
    matrix = cockpit.get("/matrix", params={"gebiet": slug}).text
    names = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r'<h2 id="matrix-\d+">(.*?)</h2>', matrix, re.S)]
    assert names
    for i, name in enumerate(names, 1):
        r = cockpit.get("/matrix", params={"gebiet": slug, "format": "csv", "tabelle": f"matrix-{i}"})
        want = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
        head, rows = _rows_with_head(pages[slug], f"Zahl der Vorhaben je Handlungsfeld und Lebensphase: {name}")
        assert head[1:-1] == want[0][1:-1]  # the same Lebensphasen in the same order
        got = [[row[0]] + [int(c.split()[0]) for c in row[1:]] for row in rows]
        assert got == [[w[0]] + [int(c) for c in w[1:]] for w in want[1:]], name
