"""The monitoring pages under /monitoring: exact answers on the fixture, and the real graph."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote

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
    r = client.get("/monitoring?gebiet=alle", headers=HTML)
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    t = r.text
    for text in ("Grundzahl", "Kennzahl", "qualitativer Indikator", "Anteil Personen mit Migrationshintergrund",
                 "Wo der Ennepe-Ruhr-Kreis im Vergleich zu Nordrhein-Westfalen steht", "/monitoring/bild/paar.svg?"):
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
    r = client.get("/monitoring/luecken?gebiet=alle", headers=HTML)
    assert r.status_code == 200
    assert "Ziel ohne Indikator" in r.text and "Leitthema ohne Indikator" in r.text
    assert "Abiturientenquote" in r.text and "Personen mit Migrationshintergrund" in r.text
    r = client.get("/monitoring/luecken?gebiet=Hattingen&jahre=3", headers=HTML)
    assert "Leitthema ohne Indikator" not in r.text and "Bevölkerungszahl" in r.text
    assert client.get("/monitoring/luecken?jahre=0", headers=HTML).status_code == 400
    r = client.get("/monitoring/luecken?gebiet=Hatingen", headers=HTML)
    assert r.status_code == 400 and "meinten Sie" in r.text


def test_conflicts_page(client):
    r = client.get("/monitoring/widersprueche?gebiet=alle", headers=HTML)
    assert r.status_code == 200
    assert "326.049" in r.text and "362.049" in r.text and "Testbericht, Tabelle 2" in r.text


def test_stylesheet_is_served(client):
    r = client.get("/monitoring/monitoring.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")


@pytest.fixture(scope="module")
def real(settings, store):
    server = LiveServer(create_app(settings, store)).start()
    yield server
    server.stop()


def _get(server, path: str, gebiet: str | None = None) -> str:
    """The main part of a page (not the header with its chooser) as a new visitor sees it who chose
    ``gebiet`` in the cockpit (cookie), or nobody."""
    cookies = {"inko_gebiet": gebiet} if gebiet else {}
    with httpx.Client(base_url=server.url, timeout=60, cookies=cookies) as c:
        r = c.get(path, headers=HTML)
    assert r.status_code == 200, (path, r.status_code)
    return r.text.split('<main id="inhalt"', 1)[1]


def test_real_graph_pages(real):
    with httpx.Client(base_url=real.url, timeout=60) as c:
        r = c.get("/monitoring", headers=HTML)
        assert r.status_code == 200 and "Wo der Ennepe-Ruhr-Kreis im Vergleich zu Nordrhein-Westfalen steht" in r.text
        assert "17.538.251" in r.text
        assert c.get("/monitoring/bild/paar.svg?gebiet=g:ennepe-ruhr-kreis&vergleich=g:nrw").status_code == 200
        r = c.get("/monitoring/luecken?gebiet=Hattingen", headers=HTML)
        assert r.status_code == 200 and "Integrationskonzept der Stadt Hattingen" in r.text
        r = c.get("/monitoring/widersprueche?gebiet=alle", headers=HTML)
        assert "23.380" in r.text and "26.380" in r.text


def _selected(html: str) -> list[tuple[str, str]]:
    """The choice of the header's Gebiet chooser."""
    form = html.split('id="gebietswahl"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)" selected>([^<]*)</option>', form)


def test_the_gebiet_chosen_in_the_cockpit_is_preselected(real):
    with httpx.Client(base_url=real.url, timeout=60, cookies={"inko_gebiet": "hattingen"}) as c:
        for page in ("/monitoring", "/monitoring/luecken", "/monitoring/widersprueche",
                     f"/monitoring/indikator?iri={quote(KREIS + 'gesamtbevoelkerung', safe='')}", "/monitoring/hochladen"):
            html = c.get(page, headers=HTML).text
            assert _selected(html) == [("hattingen", "Hattingen")], page
            # the menu keeps the town (Monitoring and Raster too)
            assert 'href="/monitoring?gebiet=hattingen"' in html and 'href="/raster?gebiet=hattingen"' in html, page
        # „alle Gebiete“ chosen in the address wins over the cookie and is remembered
        r = c.get("/monitoring?gebiet=alle", headers=HTML)
        assert _selected(r.text) == [("alle", "alle Gebiete")] and r.cookies.get("inko_gebiet") == "alle"
    with httpx.Client(base_url=real.url, timeout=60) as c:
        r = c.get("/monitoring?gebiet=ennepe-ruhr-kreis", headers=HTML)
        assert r.cookies.get("inko_gebiet") == "ennepe-ruhr-kreis"
        assert _selected(c.get("/monitoring/luecken", headers=HTML).text) == [("ennepe-ruhr-kreis", "Ennepe-Ruhr-Kreis (Kreis)")]
        # another area named in the address shows this page only; the cockpit's choice stays
        r = c.get("/monitoring?gebiet=Breckerfeld", headers=HTML)
        assert "Indikatoren für Breckerfeld" in r.text and "inko_gebiet" not in r.cookies


KREIS = "https://w3id.org/inko/id/kreis/indikator/"
G = "https://w3id.org/inko/id/gebiet/"


def _listed(html: str) -> set[str]:
    """The indicators of the list on /monitoring (after its heading), as IRIs."""
    part = html.split('<h2>Indikatoren für', 1)[-1] if "<h2>Indikatoren für" in html else html.split("<h2>Alle Indikatoren", 1)[1]
    return {unquote(m) for m in re.findall(r'href="/monitoring/indikator\?iri=([^"&]+)', part)}


def _own(store, gebiet: str) -> set[str]:
    """Independently of the page's query: indicators named in a document of a concept of the area or
    a place in it, measuring such a concept's goal, or with a value for the area or a place in it."""
    q = """SELECT DISTINCT ?i WHERE {
      { ?i dcterms:source ?d . ?k a inko:Konzept ; dcterms:source ?d ; inko:gebiet ?o }
      UNION { ?i inko:misst ?z . ?z skos:inScheme ?k . ?k a inko:Konzept ; inko:gebiet ?o }
      UNION { ?w inko:indikator ?i ; sdmx-dimension:refArea ?o }
      ?i a inko:Indikator . ?o inko:liegtIn* <%s> }""" % gebiet
    return {row[0].value for row in store.query(q)}


def test_monitoring_lists_the_chosen_towns_indicators(real, store):
    everything = _listed(_get(real, "/monitoring", "alle"))
    assert len(everything) == 113
    hattingen = _listed(_get(real, "/monitoring", "hattingen"))
    assert hattingen == _own(store, G + "hattingen") and len(hattingen) == 13
    assert not any("/ratingen/" in i for i in hattingen)
    # the Kreis's figures with a value for Hattingen belong to it, the Kreis's others not
    assert KREIS + "gesamtbevoelkerung" in hattingen and KREIS + "altersarmut" not in hattingen
    kreis = _listed(_get(real, "/monitoring", "ennepe-ruhr-kreis"))
    assert kreis == _own(store, G + "ennepe-ruhr-kreis") and hattingen <= kreis and len(kreis) == 53
    ratingen = _listed(_get(real, "/monitoring", "ratingen"))
    assert ratingen == _own(store, G + "ratingen") and not ratingen & kreis
    html = _get(real, "/monitoring", "hattingen")
    assert "<h2>Indikatoren für Hattingen (13)</h2>" in html and "Alle Indikatoren" not in html
    # the counts are Hattingen's values (12 areas hold a Gesamtbevölkerung; Hattingen one)
    row = html.split("<h2>Indikatoren für", 1)[1].split("gesamtbevoelkerung", 1)[1].split("</tr>", 1)[0]
    assert re.search(r'class="zahl">1</td>', row), row
    # links keep the town
    assert "&amp;gebiet=hattingen" in html and 'href="/monitoring/luecken?gebiet=hattingen"' in html


def test_who_has_reported_values(real):
    html = _get(real, "/monitoring?jahr=2011", "hattingen")
    part = html.split('id="meldungen"', 1)[1]
    assert "Hattingen – 5 Werte" in part
    assert "Hattingen-Mitte, Holthausen, Welper und Winz-Baak <span class=\"leer\">(zuletzt 2010)" in part
    assert "Breckerfeld" not in part
    kreis = _get(real, "/monitoring?jahr=2011", "ennepe-ruhr-kreis").split('id="meldungen"', 1)[1]
    assert "Ennepe-Ruhr-Kreis – 36 Werte" in kreis and "Breckerfeld – 5 Werte" in kreis and "Ratingen" not in kreis
    assert "Mit Werten für 2011 (10)" in kreis
    # this year nobody has reported yet: everyone is listed with the last year
    now = _get(real, "/monitoring", "hattingen").split('id="meldungen"', 1)[1]
    assert "Mit Werten für" in now and "(zuletzt 2011)" in now
    with httpx.Client(base_url=real.url, timeout=60) as c:
        assert c.get("/monitoring?jahr=12", headers=HTML).status_code == 400


def test_gaps_and_conflicts_follow_the_gebiet(real):
    html = _get(real, "/monitoring/luecken", "hattingen")
    assert "Integrationskonzept der Stadt Hattingen" in html
    # a general town strategy is context, not a gap; Ratingen's and the Kreis's are not Hattingen's
    assert "Strategiekonzept Hattingen 2020" not in html
    assert "Ratingen" not in html and "Altersarmut" not in html
    assert "Ziele ohne Indikator (8)" in html
    kreis = _get(real, "/monitoring/luecken", "ennepe-ruhr-kreis")
    assert "Integrationskonzept der Stadt Hattingen" in kreis and "Integrationskonzept des Ennepe-Ruhr-Kreises" in kreis
    assert "Ziele ohne Indikator (15)" in kreis and "Ratingen" not in kreis
    assert "23.380" not in _get(real, "/monitoring/widersprueche", "hattingen")
    assert "Keine widersprüchlichen Werte für Hattingen" in _get(real, "/monitoring/widersprueche", "hattingen")
    kreis = _get(real, "/monitoring/widersprueche", "ennepe-ruhr-kreis")
    assert "23.380" in kreis and "26.380" in kreis
    assert "23.380" not in _get(real, "/monitoring/widersprueche", "ratingen")


def test_indicator_page_shows_the_chosen_areas_values(real):
    path = f"/monitoring/indikator?iri={quote(KREIS + 'gesamtbevoelkerung', safe='')}"
    html = _get(real, path, "hattingen")
    table = html.split("<h2>Alle Werte</h2>", 1)[1]
    assert "Hattingen" in table and "Ennepe-Ruhr-Kreis" in table and "Nordrhein-Westfalen" in table
    assert "Breckerfeld" not in table
    kreis = _get(real, path, "ennepe-ruhr-kreis").split("<h2>Alle Werte</h2>", 1)[1]
    assert "Breckerfeld" in kreis and "Witten" in kreis and "Hattingen" in kreis
    # real data hold one year only: the page says so in plain words and draws no line chart
    assert "Bisher gibt es Werte nur für 2011" in html and "Werte aus mindestens zwei Jahren" in html
    assert "zeitreihe.svg" not in html
    # an indicator without a value for the chosen town says so instead of an empty chart
    other = _get(real, f"/monitoring/indikator?iri={quote('https://w3id.org/inko/id/ratingen/indikator/vorwort-1', safe='')}", "hattingen")
    assert "Für Hattingen und die Gebiete, in denen es liegt, gibt es noch keine Werte" in other
    assert "vergleich.svg" not in other


MONITORING_PAGES = ["/monitoring", "/monitoring/luecken", "/monitoring/widersprueche", "/monitoring/hochladen",
                    f"/monitoring/indikator?iri={quote(KREIS + 'gesamtbevoelkerung', safe='')}",
                    "/id/hattingen/leitziel/5"]


def test_monitoring_in_a_browser_with_hattingen_chosen(real):
    """Headless Chromium: Hattingen chosen once on the start page; each monitoring page (and a
    resource page) keeps it in the chooser, shows Hattingen, passes axe-core (WCAG 2.1 AA) and
    runs no script error. Screenshots go to tests/artifacts/monitoring/."""
    from pathlib import Path

    from test_server_browser import ARGS, CHROMIUM, Watched, _need_browser

    _need_browser()
    from playwright.sync_api import sync_playwright

    here = Path(__file__).parent.parent
    axe, art = (here / "vendor" / "axe.min.js").read_text(encoding="utf-8"), here / "artifacts" / "monitoring"
    art.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            w = Watched(browser)
            p = w.page
            p.goto(real.url + "/?gebiet=hattingen")
            with p.expect_navigation():
                p.locator("nav[aria-label=Hauptnavigation] a", has_text="Monitoring").first.click()
            assert "gebiet=hattingen" in p.url
            for path in MONITORING_PAGES:
                if path != "/monitoring":
                    p.goto(real.url + path)
                p.wait_for_load_state("load")
                assert p.locator("#gebietswahl option:checked").inner_text() == "Hattingen", path
                assert "Hattingen" in p.locator("main").inner_text(), path
                p.evaluate(axe)
                bad = p.evaluate("""async () => {
                    const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
                    return r.violations.map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
                }""")
                assert bad == [], (path, bad)
                p.screenshot(path=str(art / (path.strip("/").split("?")[0].replace("/", "-") + ".png")), full_page=True)
            # Ratingen's indicators are not on Hattingen's monitoring page
            p.goto(real.url + "/monitoring")
            assert p.locator("main a[href*='%2Fratingen%2Findikator%2F']").count() == 0
            assert p.locator("main a[href*='%2Fhattingen%2Findikator%2F']").count() == 8
            assert w.errors == [] and w.dialogs == []
        finally:
            browser.close()


def test_a_second_year_draws_the_line_chart(store):
    """Real data hold one year per indicator; as soon as a second year is imported, the indicator's
    page draws the line chart and names the change, and the monitoring lists who has reported."""
    from live_server import start_server

    from inko_graph.monitoring.csvimport import import_bytes
    from inko_graph.server.freshness import data_changed

    server = start_server(store)
    try:
        path = f"/monitoring/indikator?iri={quote(KREIS + 'gesamtbevoelkerung', safe='')}"
        before = _get(server, path, "hattingen")
        assert "Bisher gibt es Werte nur für 2011" in before and "zeitreihe.svg" not in before
        csv = ("Indikator;Gebiet;Zeitraum;Wert;Einheit;Quelle\n"
               "Gesamtbevölkerung;Hattingen;2012;54.000;Anzahl;Einwohnerstatistik der Stadt Hattingen 2012\n")
        import_bytes(server.app.state.store, csv.encode("utf-8"), "hattingen-2012.csv")
        data_changed(server.app)
        after = _get(server, path, "hattingen")
        assert "Bisher gibt es Werte nur" not in after and "/monitoring/bild/zeitreihe.svg?iri=" in after
        assert "Hattingen: 54.000 (2012); 2011: 54.253, Veränderung -253" in after
        with httpx.Client(base_url=server.url, timeout=60) as c:
            svg = c.get(f"/monitoring/bild/zeitreihe.svg?iri={quote(KREIS + 'gesamtbevoelkerung', safe='')}"
                        f"&gebiet={quote(G + 'hattingen', safe='')}")
        assert svg.status_code == 200 and "2012" in svg.text and "Hattingen" in svg.text
        reported = _get(server, "/monitoring?jahr=2012", "hattingen").split('id="meldungen"', 1)[1]
        assert "Mit Werten für 2012 (1)" in reported and "Hattingen – 1 Wert<" in reported
    finally:
        server.stop()
