"""Resource pages and network views of the real graph in headless Chromium: no WCAG 2.1 AA
violation (axe-core, vendored in tests/vendor/), no console error, no request to another host; the
technical view stays folded; networks label the focus and its neighbours, show other names on
hover, unfold a Gremium's members on a click, and list every node without JavaScript.
Screenshots go to tests/artifacts/. Skipped without Chromium or Playwright unless INKO_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from inko_graph import views
from inko_graph.query.catalogue import Catalogue
from test_browser_views import ARTIFACTS, Visit, browser  # noqa: F401  (the browser fixture)

AXE = Path(__file__).parent.parent / "vendor" / "axe.min.js"
#: The drawn nodes' id, label and whether hidden (vis' own objects cannot be serialised).
_NODES = "inkoNetz.body.data.nodes.get().map(n => ({id: n.id, label: n.label || '', hidden: !!n.hidden}))"
BASE = "https://w3id.org/inko/"
AWO = BASE + "id/akteur/awo-ennepe-ruhr"
STEUERUNGSGRUPPE = BASE + "id/akteur/steuerungsgruppe-integrationskonzept-ennepe-ruhr-kreis"

PAGES = [
    ("/id/hattingen/leitziel/5", "ressource-leitziel"),
    ("/id/akteur/awo-ennepe-ruhr", "ressource-akteur"),
    ("/graph/quelle-000", "ressource-graph"),
    ("/netzwerk/gesamt?gebiet=hattingen", "netz-gesamt-hattingen"),
    ("/netzwerk/akteur?iri=" + AWO, "netz-akteur-awo"),
]


@pytest.fixture(scope="module")
def server(real_server, settings, store):
    """The shared server, with the views' data to compare against."""
    return SimpleNamespace(url=real_server.url, bestand=views.load(store, Catalogue(settings.queries_dir)))


def _axe(v: Visit) -> list[str]:
    v.page.evaluate(AXE.read_text(encoding="utf-8"))
    return v.page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")


@pytest.mark.parametrize("path,name", PAGES, ids=[n for _, n in PAGES])
def test_pages_are_accessible_and_clean(browser, server, path, name):  # noqa: F811
    v = Visit(browser, server.url + path, wait_for_network=path.startswith("/netzwerk"))
    try:
        assert v.response.status == 200
        v.check_clean()
        assert _axe(v) == []
        v.shot(name)
    finally:
        v.close()


def test_technical_view_is_folded_until_opened(browser, server):  # noqa: F811
    v = Visit(browser, server.url + "/id/hattingen/leitziel/5")
    try:
        iri = v.page.get_by_text(BASE + "id/hattingen/leitziel/5", exact=True)
        assert not iri.is_visible()
        v.page.locator("details.datennutzer summary").click()
        assert iri.is_visible()
        assert v.page.get_by_role("link", name="RDF/XML").is_visible()
        assert _axe(v) == []
        v.shot("ressource-leitziel-fuer-datennutzer")
    finally:
        v.close()


def test_labels_of_other_nodes_show_on_hover(browser, server):  # noqa: F811
    v = Visit(browser, server.url + "/netzwerk/gesamt?gebiet=hattingen", wait_for_network=True)
    try:
        data = v.page.evaluate(_NODES)
        hidden = [n for n in data if not n["label"] and not n.get("hidden")]
        assert hidden and any(n["label"] for n in data)
        # Hover the unlabelled node that stands farthest from any other, so that no neighbour
        # lies under the pointer instead.
        pos_all = v.page.evaluate("() => inkoNetz.getPositions()")

        def room(n):
            p = pos_all[n["id"]]
            return min((p["x"] - q["x"]) ** 2 + (p["y"] - q["y"]) ** 2 for k, q in pos_all.items() if k != n["id"])

        node = max(hidden, key=room)["id"]
        pos = v.page.evaluate("(id) => { const p = inkoNetz.getPositions([id])[id]; return inkoNetz.canvasToDOM(p); }", node)
        v.page.locator("#netz").scroll_into_view_if_needed()
        box = v.page.locator("#netz").bounding_box()
        inside = 0 <= pos["x"] <= box["width"] and 0 <= pos["y"] <= box["height"]
        if not inside:  # the node lies outside the first view: bring it in
            v.page.evaluate("(id) => { inkoNetz.moveTo({position: inkoNetz.getPositions([id])[id]}); }", node)
            pos = v.page.evaluate("(id) => inkoNetz.canvasToDOM(inkoNetz.getPositions([id])[id])", node)
        v.page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
        v.page.wait_for_function("(id) => !!inkoNetz.body.data.nodes.get(id).label", arg=node, timeout=5000)
        # Zoomed in, every name shows.
        v.page.evaluate("() => { inkoNetz.moveTo({scale: 2.0}); inkoNetz.emit('zoom', {scale: 2.0}); }")
        assert all(n["label"] for n in v.page.evaluate(_NODES) if not n.get("hidden"))
        v.check_clean()
    finally:
        v.close()


def test_a_gremium_s_members_open_on_a_click(browser, server):  # noqa: F811
    v = Visit(browser, server.url + "/netzwerk/akteur?iri=" + AWO, wait_for_network=True)
    try:
        fold = "mitglieder:" + STEUERUNGSGRUPPE
        members = v.page.evaluate("(id) => inkoNetz.body.data.nodes.get(id).oeffnet", fold)
        assert len(members) >= 10
        assert all(v.page.evaluate("(ids) => ids.map(i => inkoNetz.body.data.nodes.get(i).hidden)", members))
        v.shot("netz-akteur-awo-gefaltet")
        v.page.evaluate("(id) => { inkoNetz.fit({nodes: [id]}); }", fold)
        v.page.wait_for_timeout(100)
        pos = v.page.evaluate("(id) => inkoNetz.canvasToDOM(inkoNetz.getPositions([id])[id])", fold)
        box = v.page.locator("#netz").bounding_box()
        v.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
        v.page.wait_for_function("(id) => inkoNetz.body.data.nodes.get(id) === null", arg=fold, timeout=5000)
        assert not any(v.page.evaluate("(ids) => ids.map(i => inkoNetz.body.data.nodes.get(i).hidden)", members))
        assert v.page.url.endswith(AWO)  # opening does not leave the page
        v.page.evaluate("() => { inkoNetz.fit(); }")
        v.shot("netz-akteur-awo-geoeffnet")
        v.check_clean()
    finally:
        v.close()


def test_node_list_reads_without_javascript(browser, server):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1300, "height": 900})
    try:
        page = context.new_page()
        page.goto(server.url + "/netzwerk/gesamt?gebiet=hattingen")
        expected = views.build(server.bestand, "gesamt", town="hattingen").knoten
        page.locator("#knotenliste summary").click()
        items = page.locator("#knotenliste-inhalt li")
        assert items.count() == expected
        assert page.locator("#knotenliste-inhalt a", has_text="Integrationskonzept der Stadt Hattingen").count() == 1
        assert "Alle Knoten stehen in der Liste darunter" in page.locator("#netz-status").inner_text()
        page.screenshot(path=str(ARTIFACTS / "netz-gesamt-hattingen-ohne-javascript.png"))
    finally:
        context.close()
