"""The monitoring pages under /monitoring: exact answers on the fixture, and the real graph."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import quote

import httpx
import pytest
from live_server import LiveServer
from monitoring_fixtures import EX, fixture_store

from inko_graph.server import create_app

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client(settings):
    server = LiveServer(create_app(settings, fixture_store())).start()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c
    server.stop()


def _iri(x: str) -> str:
    return quote(EX + x, safe="")


def test_index_lists_indicators_by_kind_and_the_kreis_against_the_land(client):
    r = client.get("/monitoring", headers=HTML)
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    t = r.text
    for text in ("Grundzahl", "Kennzahl", "qualitativer Indikator", "Anteil Personen mit Migrationshintergrund",
                 "Wo Ennepe-Ruhr-Kreis im Vergleich zu Nordrhein-Westfalen steht", "/monitoring/bild/paar.svg?"):
        assert text in t, text
    assert "<script" not in t
    # 19,6 in the Kreis against 23,3 (printed twice, the same) in the Land.
    assert ">19,6<" in t and ">23,3<" in t and ">-3,7<" in t


def test_indicator_page_has_goals_charts_and_the_table(client):
    r = client.get(f"/monitoring/indikator?iri={_iri('mh-anteil')}&gebiet=Hattingen", headers=HTML)
    assert r.status_code == 200
    t = r.text
    assert "Teilhabe aller Menschen" in t and "berechnet aus" in t and "Bevölkerungszahl" in t
    assert "/monitoring/bild/zeitreihe.svg?iri=" in t and "/monitoring/bild/vergleich.svg?iri=" in t
    assert "Hattingen: 22,5 % (2011); 2010: 21,5 %, Veränderung +1 Prozentpunkte" in t
    assert t.count("<tr>") >= 1 + 4  # header and the values of Hattingen, Kreis and Land
    assert ">21,5<" in t and ">19,6<" in t


def test_indicator_without_values_and_unknown_indicator(client):
    r = client.get(f"/monitoring/indikator?iri={_iri('abiquote')}", headers=HTML)
    assert r.status_code == 200 and "noch keine Werte" in r.text
    r = client.get(f"/monitoring/indikator?iri={_iri('gibt-es-nicht')}", headers=HTML)
    assert r.status_code == 404 and "gibt es nicht" in r.text
    r = client.get("/monitoring/indikator?iri=Anteil%20Persnen%20mit%20Migrationshintergrund", headers=HTML)
    assert r.status_code == 404 and "meinten Sie" in r.text


def test_charts_are_svg(client):
    r = client.get(f"/monitoring/bild/zeitreihe.svg?iri={_iri('mh-anteil')}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(r.content)
    assert root.tag.endswith("svg")
    r = client.get(f"/monitoring/bild/vergleich.svg?iri={_iri('mh-anteil')}&gebiet=g:hattingen")
    assert r.status_code == 200 and "Hattingen" in r.text
    assert client.get(f"/monitoring/bild/vergleich.png?iri={_iri('mh-anteil')}").status_code == 404
    assert client.get("/monitoring/bild/paar.svg").status_code == 200
    assert client.get("/monitoring/bild/kuchen.svg").status_code == 404
    assert client.get(f"/monitoring/bild/vergleich.svg?iri={_iri('abiquote')}").status_code == 404


def test_gaps_page(client):
    r = client.get("/monitoring/luecken", headers=HTML)
    assert r.status_code == 200
    assert "Ziel ohne Indikator" in r.text and "Leitthema ohne Indikator" in r.text
    assert "Abiturientenquote" in r.text and "Personen mit Migrationshintergrund" in r.text
    r = client.get("/monitoring/luecken?gebiet=Hattingen&jahre=3", headers=HTML)
    assert "Leitthema ohne Indikator" not in r.text and "Bevölkerungszahl" in r.text
    assert client.get("/monitoring/luecken?jahre=0", headers=HTML).status_code == 400
    r = client.get("/monitoring/luecken?gebiet=Hatingen", headers=HTML)
    assert r.status_code == 400 and "meinten Sie" in r.text


def test_conflicts_page(client):
    r = client.get("/monitoring/widersprueche", headers=HTML)
    assert r.status_code == 200
    assert "326.049" in r.text and "362.049" in r.text and "Testbericht, Tabelle 2" in r.text


def test_stylesheet_is_served(client):
    r = client.get("/monitoring/monitoring.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")


def test_real_graph_pages(settings, store):
    server = LiveServer(create_app(settings, store)).start()
    try:
        with httpx.Client(base_url=server.url, timeout=60) as c:
            r = c.get("/monitoring", headers=HTML)
            assert r.status_code == 200 and "Wo Ennepe-Ruhr-Kreis im Vergleich zu Nordrhein-Westfalen steht" in r.text
            assert "17.538.251" in r.text
            assert c.get("/monitoring/bild/paar.svg?gebiet=g:ennepe-ruhr-kreis&vergleich=g:nrw").status_code == 200
            r = c.get("/monitoring/luecken?gebiet=Hattingen", headers=HTML)
            assert r.status_code == 200 and "Integrationskonzept der Stadt Hattingen" in r.text
            r = c.get("/monitoring/widersprueche", headers=HTML)
            assert "23.380" in r.text and "26.380" in r.text
    finally:
        server.stop()


def test_the_gebiet_chosen_in_the_cockpit_is_preselected(settings, store):
    import re

    def selected(html: str) -> list[str]:
        form = html.split('class="monitoring-auswahl"', 1)[1].split("</select>", 1)[0]
        return re.findall(r'<option value="([^"]*)" selected>([^<]*)</option>', form)

    hattingen = "https://w3id.org/inko/id/gebiet/hattingen"
    server = LiveServer(create_app(settings, store)).start()
    try:
        with httpx.Client(base_url=server.url, timeout=60, cookies={"inko_gebiet": "hattingen"}) as c:
            for page in ("/monitoring", "/monitoring/luecken"):
                assert selected(c.get(page, headers=HTML).text) == [(hattingen, "Hattingen")], page
            # „alle Gebiete“ chosen on the page itself wins over the cockpit's choice
            assert selected(c.get("/monitoring?gebiet=", headers=HTML).text) == []
        with httpx.Client(base_url=server.url, timeout=60) as c:
            assert selected(c.get("/monitoring", headers=HTML).text) == []
    finally:
        server.stop()
