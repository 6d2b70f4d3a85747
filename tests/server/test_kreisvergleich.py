"""The Kreis comparison (``/kreisvergleich``): a second EN-Kreis town's concept, brought in through
the Konzept workbook importer, shows on the heat map; every number on the page equals the rows of
the named queries; a curated field alignment moves the town's field onto the Kreis's and closes a
gap; the Kreis goals per town; Kreis Mettmann (no Kreis concept); downloads; the menu link."""

from __future__ import annotations

import csv
import html
import io
import re

import httpx
import openpyxl
import pyoxigraph as ox
import pytest

from inko_graph.konzept.importer import import_file
from inko_graph.query.catalogue import Catalogue, run
from inko_graph.server import create_app
from inko_graph.server.kreisvergleich import stufe
from inko_graph.store import OxigraphStore
from konzept_fixtures import fill, template, to_bytes
from live_server import LiveServer

ID = "https://w3id.org/inko/id/"
EN = ID + "gebiet/ennepe-ruhr-kreis"
INKO = "https://w3id.org/inko/def#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SPROCKHOEVEL_ARBEIT = ID + "sprockhoevel-2026/handlungsfeld/2"
KREIS_ARBEIT = ID + "kreis/handlungsfeld/4"
CELL = re.compile(r'<td class="kv-zelle kv-stufe-(\d)" data-feld="([^"]*)" data-stadt="([^"]*)" '
                  r'data-lebensphase="([^"]*)"><span class="kv-zahl">(\d+)</span>')


@pytest.fixture(scope="module")
def work(store, settings):
    """The real graph plus Sprockhövel's concept, imported from its workbook."""
    w = OxigraphStore.memory()
    w.load_quads(store.quads())
    import_file(to_bytes(fill(template(store, settings))), "sprockhoevel.xlsx", w, settings)
    return w


@pytest.fixture(scope="module")
def server(settings, work):
    s = LiveServer(create_app(settings, work)).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def q(settings, work):
    cat = Catalogue(settings.queries_dir)
    return lambda name, **params: run(work, cat.get(name), params)


def cells(page: str) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(field, town, Lebensphase) -> (number, colour step) of each heat-map cell."""
    return {(html.unescape(f), html.unescape(s), html.unescape(lp)): (int(n), int(k))
            for k, f, s, lp, n in CELL.findall(page)}


def expected(df) -> dict[tuple[str, str, str], int]:
    """The query's rows keyed as the page keys its cells."""
    out = {}
    for r in df.itertuples(index=False):
        zugeordnet = r.zugeordnet is True or r.zugeordnet == "true"
        nummer = r.zeilennummer if isinstance(r.zeilennummer, str) else ""
        feld = r.zeilenname if zugeordnet else (nummer + " " if nummer else "") + r.zeilenname
        lp = r.lebensphasename if isinstance(r.lebensphase, str) else "ohne Angabe"
        out[(feld, r.stadtname, lp)] = int(r.anzahl)
    return out


def test_new_town_shows_and_every_number_equals_the_query(client, q):
    page = client.get("/kreisvergleich", params={"kreis": "ennepe-ruhr-kreis"})
    assert page.status_code == 200
    got = cells(page.text)
    want = expected(q("kreisvergleich-vorhaben", kreis=EN))
    towns = {s for _, s, _ in got}
    assert towns == {"Hattingen", "Sprockhövel"}
    # Sprockhövel's own fields have no alignment: each in its own row, with its measure
    assert got[("1 Sprache und Bildung", "Sprockhövel", "Frühe Kindheit")][0] == 1
    assert got[("2 Arbeit", "Sprockhövel", "Erwerbsalter")][0] == 1
    assert "ohne Zuordnung zum Kreis" in page.text
    # undertakings serving a goal of the town but standing in no field are not left out
    feldlos = {(r.zeilenname, r.stadtname) for r in q("kreisvergleich-vorhaben", kreis=EN).itertuples()
               if r.feldlos is True}
    assert any(s == "Hattingen" for _, s in feldlos) and "ohne Handlungsfeld</th>" in page.text
    for key, n in want.items():
        assert got[key][0] == n, key
    # every other cell is an honest zero, and each number carries its colour step
    assert sum(n for n, _ in got.values()) == sum(want.values())
    assert all(k == stufe(n) for n, k in got.values())


def test_gaps_equal_the_query_and_a_curated_alignment_closes_one(client, q, work, server):
    page = client.get("/kreisvergleich", params={"kreis": "ennepe-ruhr-kreis"}).text
    before = {(r.kreisfeldname, r.lebensphasename) for r in q("kreisvergleich-luecken", kreis=EN).itertuples()}
    assert ("Arbeit und Wirtschaft", "Erwerbsalter") in before
    assert f"<strong>{len(before)}</strong> Felder der Heatmap" in page
    assert page.count('<span class="kv-luecke">Lücke</span>') == len(before) + 1  # + the legend
    # Sprockhövel's field "Arbeit" aligned (curated) with the Kreis's "Arbeit und Wirtschaft"
    g = ox.NamedNode("https://w3id.org/inko/graph/kuratiert-test-kreisvergleich")
    work.load_quads([
        ox.Quad(ox.NamedNode(SPROCKHOEVEL_ARBEIT), ox.NamedNode(SKOS + "closeMatch"), ox.NamedNode(KREIS_ARBEIT), g),
        ox.Quad(g, ox.NamedNode(INKO + "graphart"), ox.NamedNode(ID + "vokabular/graphart/kuratiert"), g)])
    try:
        page = client.get("/kreisvergleich", params={"kreis": "ennepe-ruhr-kreis"}).text
        after = {(r.kreisfeldname, r.lebensphasename) for r in q("kreisvergleich-luecken", kreis=EN).itertuples()}
        assert before - after == {("Arbeit und Wirtschaft", "Erwerbsalter")} and after <= before
        got = cells(page)
        assert got[("Arbeit und Wirtschaft", "Sprockhövel", "Erwerbsalter")][0] == 1
        assert ("2 Arbeit", "Sprockhövel", "Erwerbsalter") not in got
        assert all(got[k][0] == n for k, n in expected(q("kreisvergleich-vorhaben", kreis=EN)).items())
        felder = q("kreisvergleich-felder", kreis=EN)
        row = felder[felder.feld == SPROCKHOEVEL_ARBEIT].iloc[0]
        assert (row.kreisfeld, row.beziehung, row.belegt) == (KREIS_ARBEIT, "closeMatch", "kuratiert")
    finally:
        work.drop_graphs([g.value])


def test_kreis_goals_per_town(client, q):
    page = client.get("/kreisvergleich", params={"kreis": "ennepe-ruhr-kreis"}).text
    table = page[page.index('id="kv-ziele"'):]
    table = table[:table.index("</table>")]
    heads = re.findall(r'<th scope="col">([^<]*)</th>', table)
    assert heads == ["Kreisziel", "Hattingen", "Sprockhövel"]
    rows = q("cockpit-kreisziele", kreis=EN)
    goals = set(rows.kreisziel)
    # a town serves a Kreis goal when one of its goals is linked to it (stated or curated)
    for town, iri in (("Hattingen", ID + "gebiet/hattingen"), ("Sprockhövel", ID + "gebiet/sprockhoevel")):
        served = set(rows[rows.stadt == iri].kreisziel)
        col = heads.index(town) - 1
        foot = re.search(r"<tfoot>.*?</tfoot>", table, re.S).group(0)
        assert int(re.findall(r"<td>(\d+)</td>", foot)[col]) == len(goals - served), town
    # Sprockhövel's Leitziel 1 is stated (in the workbook) under the Kreis's Leitthema 1
    line = next(r for r in table.split("<tr>") if 'href="/id/kreis/leitthema/1"' in r)
    assert re.findall(r'<td class="kv-\w+">([^<]*)</td>', line)[1] == "im Dokument"


def test_downloads_hold_the_numbers_of_the_page(client):
    base = {"kreis": "ennepe-ruhr-kreis"}
    page = cells(client.get("/kreisvergleich", params=base).text)
    r = client.get("/kreisvergleich", params={**base, "format": "csv", "tabelle": "heatmap"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    head, body = rows[0], rows[1:]
    lps = head[3:]
    total = 0
    for row in body:
        for lp, n in zip(lps, row[3:]):
            feld = row[2] or row[0].split(" ", 1)[1]
            assert page[(feld, row[1], lp)][0] == int(n)
            total += int(n)
    assert total == sum(n for n, _ in page.values())
    x = client.get("/kreisvergleich", params={**base, "format": "xlsx", "tabelle": "kreisziele"})
    ws = openpyxl.load_workbook(io.BytesIO(x.content)).active
    assert [c.value for c in ws[1]] == ["Nummer", "Kreisziel", "Hattingen", "Sprockhövel"]
    assert {c.value for row in ws.iter_rows(min_row=2, min_col=3) for c in row} <= {"im Dokument", "kuratiert", "nicht bedient"}


def test_kreis_mettmann_without_kreis_concept(client, q):
    page = client.get("/kreisvergleich", params={"kreis": "kreis-mettmann"})
    assert page.status_code == 200
    got = cells(page.text)
    assert {s for _, s, _ in got} == {"Ratingen"}
    assert "hat kein eigenes Konzept im Graphen" in page.text
    want = expected(q("kreisvergleich-vorhaben", kreis=ID + "gebiet/kreis-mettmann"))
    assert want and all(got[k][0] == n for k, n in want.items())


def test_unknown_kreis_is_a_german_message_not_an_error(client):
    r = client.get("/kreisvergleich", params={"kreis": "<script>alert(1)</script>"})
    assert r.status_code == 200
    assert "gibt es im Graphen nicht" in r.text and "<script>alert" not in r.text
    assert "Ennepe-Ruhr-Kreis" in r.text


def test_menu_links_the_comparison_for_a_kreis_and_for_a_town_its_kreis(client):
    kreis = client.get("/kreisziele", params={"gebiet": "ennepe-ruhr-kreis"}).text
    assert 'href="/kreisvergleich?gebiet=ennepe-ruhr-kreis&amp;kreis=ennepe-ruhr-kreis"' in kreis
    # a town's member reaches the comparison of the town's Kreis too
    town = client.get("/kreisziele", params={"gebiet": "hattingen"}).text
    assert 'href="/kreisvergleich?gebiet=hattingen&amp;kreis=ennepe-ruhr-kreis"' in town
    assert 'href="/kreisvergleich?gebiet=ratingen&amp;kreis=kreis-mettmann"' in client.get(
        "/ziele", params={"gebiet": "ratingen"}).text
    assert "/kreisvergleich" not in client.get("/ziele", params={"gebiet": "alle"}).text
    # without ?kreis the chosen Gebiet (or a town's Kreis) decides
    assert "<h1>Kreisvergleich: Ennepe-Ruhr-Kreis</h1>" in client.get("/kreisvergleich", params={"gebiet": "hattingen"}).text
    assert "<h1>Kreisvergleich: Kreis Mettmann</h1>" in client.get("/kreisvergleich", params={"gebiet": "ratingen"}).text


def test_heat_steps():
    assert [stufe(n) for n in (0, 1, 2, 3, 4, 6, 7, 50)] == [0, 1, 2, 2, 3, 3, 4, 4]


def test_from_a_town_the_comparison_highlights_the_town(client):
    page = client.get("/kreisvergleich", params={"gebiet": "hattingen", "kreis": "ennepe-ruhr-kreis"}).text
    assert "<h1>Kreisvergleich: Ennepe-Ruhr-Kreis</h1>" in page
    assert "Hervorgehoben: <strong>Hattingen</strong>" in page
    rows = re.findall(r'<tr class="kv-gewaehlt">\s*<th scope="row">(.*?)</th>', page, re.S)
    assert rows and all(r.startswith("<strong>Hattingen</strong>") for r in rows)
    assert '<th scope="col" class="kv-gewaehlt"><strong>Hattingen</strong>' in page   # its column of Kreis goals
    # the Kreis's own view highlights no town
    kreis = client.get("/kreisvergleich", params={"gebiet": "ennepe-ruhr-kreis", "kreis": "ennepe-ruhr-kreis"}).text
    assert "kv-gewaehlt" not in kreis and "Hervorgehoben" not in kreis
