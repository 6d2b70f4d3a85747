"""The Kreis comparison in a real browser (headless Chromium): reached from the menu with the Kreis
chosen, the heat map read cell by cell and compared with the named query, no WCAG 2.1 AA violation
(axe-core, vendored), no script error or blocked style under the page's Content-Security-Policy,
nothing loaded from another host. A second EN-Kreis town (Sprockhövel) comes in through the
Konzept workbook importer. Screenshot: tests/artifacts/kreisvergleich.png.

Without /usr/bin/chromium or playwright the tests are skipped, unless INKO_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inko_graph.konzept.importer import import_file
from inko_graph.query.catalogue import Catalogue, run
from inko_graph.server import create_app
from inko_graph.store import OxigraphStore
from konzept_fixtures import fill, template, to_bytes
from live_server import LiveServer
from test_server_browser import ARGS, CHROMIUM, Watched, _need_browser

HERE = Path(__file__).parent.parent
AXE = HERE / "vendor" / "axe.min.js"
ART = HERE / "artifacts"
EN = "https://w3id.org/inko/id/gebiet/ennepe-ruhr-kreis"


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def work(store, settings, browser):
    w = OxigraphStore.memory()
    w.load_quads(store.quads())
    import_file(to_bytes(fill(template(store, settings))), "sprockhoevel.xlsx", w, settings)
    return w


@pytest.fixture(scope="module")
def server(settings, work):
    s = LiveServer(create_app(settings, work)).start()
    yield s
    s.stop()


@pytest.fixture()
def page(browser):
    w = Watched(browser)
    w.page.set_viewport_size({"width": 1200, "height": 900})
    yield w
    w.close()


def axe(p) -> list[str]:
    p.evaluate(AXE.read_text(encoding="utf-8"))
    return p.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")


def cell(p, feld: str, stadt: str, lp: str):
    return p.locator(f'td.kv-zelle[data-feld="{feld}"][data-stadt="{stadt}"][data-lebensphase="{lp}"]')


def test_heat_map_from_the_menu_reads_as_the_query(server, page, settings, work):
    p = page.page
    p.goto(server.url + "/?gebiet=ennepe-ruhr-kreis")
    with p.expect_navigation():
        p.get_by_role("link", name="Kreisvergleich").click()
    p.wait_for_load_state("load")
    assert p.locator("h1").inner_text().strip() == "Kreisvergleich: Ennepe-Ruhr-Kreis"
    df = run(work, Catalogue(settings.queries_dir).get("kreisvergleich-vorhaben"), {"kreis": EN})
    # every cell the query has, read from the page as a user sees it
    for r in df.itertuples(index=False):
        zugeordnet = r.zugeordnet is True or r.zugeordnet == "true"
        feld = r.zeilenname if zugeordnet else (f"{r.zeilennummer} " if isinstance(r.zeilennummer, str) else "") + r.zeilenname
        lp = r.lebensphasename if isinstance(r.lebensphase, str) else "ohne Angabe"
        c = cell(p, feld, r.stadtname, lp)
        assert c.count() == 1, (feld, r.stadtname, lp)
        assert c.locator(".kv-zahl").inner_text().strip() == str(int(r.anzahl))
        if r.raster:
            assert f"({int(r.raster)} R)" in c.inner_text()
    new = cell(p, "1 Sprache und Bildung", "Sprockhövel", "Frühe Kindheit")
    assert new.locator(".kv-zahl").inner_text() == "1" and "1 M" in new.inner_text()
    # the style sheet is served and applied: colour steps differ, a gap is written, not only coloured
    empty = cell(p, "Gesundheit und Pflege", "Hattingen", "Alter")
    full = p.locator("td.kv-zelle.kv-stufe-4").first
    bg = "e => getComputedStyle(e).backgroundColor"
    assert empty.evaluate(bg) != full.evaluate(bg)
    assert p.locator("tr.kv-feld .kv-luecke").first.inner_text() == "Lücke"
    ART.mkdir(parents=True, exist_ok=True)
    p.locator("#heatmap").scroll_into_view_if_needed()
    p.screenshot(path=str(ART / "kreisvergleich.png"), full_page=True)
    assert axe(p) == []
    page.check_clean(server)


def test_choosing_kreis_mettmann(server, page):
    p = page.page
    p.goto(server.url + "/kreisvergleich?kreis=ennepe-ruhr-kreis")
    p.select_option("#kreiswahl", "kreis-mettmann")
    with p.expect_navigation():
        p.locator("form.kv-wahl button").click()
    assert "Kreis Mettmann" in p.locator("h1").inner_text()
    assert p.locator('td.kv-zelle[data-stadt="Ratingen"]').count() > 0
    assert p.locator('td.kv-zelle[data-stadt="Hattingen"]').count() == 0
    assert axe(p) == []
    page.check_clean(server)


def test_a_towns_member_reaches_the_comparison_with_the_town_highlighted(server, page):
    p = page.page
    p.goto(server.url + "/?gebiet=hattingen")
    with p.expect_navigation():
        p.get_by_role("link", name="Kreisvergleich").click()
    p.wait_for_load_state("load")
    assert p.locator("h1").inner_text().strip() == "Kreisvergleich: Ennepe-Ruhr-Kreis"
    marked = p.locator("table.kv-heat tr.kv-gewaehlt th[scope=row]")
    assert marked.count() > 0 and all(t.startswith("Hattingen") for t in marked.all_inner_texts())
    assert p.locator('tr.kv-gewaehlt td.kv-zelle[data-stadt="Sprockhövel"]').count() == 0
    # marked in words, not by colour alone; the thick border is drawn
    assert "gewählt" in marked.first.inner_text()
    assert marked.first.evaluate("e => getComputedStyle(e).borderLeftWidth") != "1px"
    ART.mkdir(parents=True, exist_ok=True)
    p.screenshot(path=str(ART / "kreisvergleich-stadt.png"))
    assert axe(p) == []
    page.check_clean(server)
