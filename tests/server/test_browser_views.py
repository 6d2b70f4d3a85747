"""The cockpit and the network views in headless Chromium, driven by Playwright.

Every page must load without console errors and without a request to any other host; the node
count drawn must match the networkx graph built in Python; search must find a node, a click must
lead to the resource's page, and hostile labels must show as text. Screenshots of every page go to
tests/artifacts/ (not kept in git).

Skipped without /usr/bin/chromium or Playwright, unless INKO_REQUIRE_BROWSER=1 (as in CI): then it fails.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from inko_graph import views
from inko_graph.query.catalogue import Catalogue
from inko_graph.server import create_app
from live_server import LiveServer
from views_fixtures import HF_A, L1, M1, SCHULALTER, X, XSS, Z, fixture_store

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent.parent / "artifacts"
COCKPIT = ["/", "/ziele", "/luecken", "/ueberschneidungen", "/matrix", "/akteure", "/netzwerk", "/downloads"]


def _browser_or_skip():
    required = os.environ.get("INKO_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("Playwright fehlt, aber INKO_REQUIRE_BROWSER=1 verlangt die Browsertests.")
        pytest.skip("Playwright ist nicht installiert")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if required:
            pytest.fail(f"{CHROMIUM} fehlt, aber INKO_REQUIRE_BROWSER=1 verlangt die Browsertests.")
        pytest.skip(f"{CHROMIUM} ist nicht installiert")
    return sync_playwright


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _browser_or_skip()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                              args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def fixture_server(settings):
    store = fixture_store()
    server = LiveServer(create_app(settings, store)).start()
    server.bestand = views.load(store, Catalogue(settings.queries_dir))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def real_server(settings, store):
    server = LiveServer(create_app(settings, store)).start()
    server.bestand = views.load(store, Catalogue(settings.queries_dir))
    yield server
    server.stop()


class Visit:
    """One page in a fresh browser context, with everything it logged and requested."""

    def __init__(self, browser, url: str, *, wait_for_network: bool = False):
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.response = self.page.goto(url)
        if wait_for_network:
            self.page.wait_for_selector("body[data-zustand=fertig]", timeout=30_000)

    def foreign_requests(self) -> list[str]:
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about", "file"):
                continue
            if parts.hostname not in ("127.0.0.1", "localhost"):
                out.append(url)
        return out

    def check_clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.foreign_requests(), self.foreign_requests()
        assert not self.dialogs, self.dialogs

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))

    def close(self) -> None:
        self.context.close()


def _name(prefix: str, path: str) -> str:
    return prefix + (re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "start")


# -- cockpit -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", COCKPIT)
def test_cockpit_pages_load_cleanly(browser, real_server, path):
    v = Visit(browser, real_server.url + path)
    try:
        assert v.response.status == 200
        v.check_clean()
        v.shot(_name("cockpit-", path))
        # Keyboard: Tab moves through real links, and the focused one is outlined.
        for _ in range(3):
            v.page.keyboard.press("Tab")
            assert v.page.evaluate("document.activeElement.tagName") in ("A", "BUTTON", "SELECT", "INPUT")
            outline = v.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline not in ("none", ""), outline
    finally:
        v.close()


def test_cockpit_shows_hostile_labels_as_text(browser, fixture_server):
    v = Visit(browser, fixture_server.url + "/akteure")
    try:
        v.check_clean()
        assert v.page.get_by_text(XSS, exact=True).count() == 1
        assert v.page.locator("img").count() == 0
        v.shot("cockpit-akteure-feindliche-bezeichnung")
    finally:
        v.close()


def test_matrix_cell_leads_to_its_measures(browser, fixture_server):
    v = Visit(browser, fixture_server.url + "/matrix")
    try:
        link = v.page.locator("td.voll a").first
        link.focus()
        v.page.keyboard.press("Enter")
        v.page.wait_for_url(re.compile(r"/massnahmen\?"))
        assert v.page.get_by_role("link", name="Sprachcafé an Schulen").count() == 1
        v.check_clean()
    finally:
        v.close()


# -- network views -------------------------------------------------------------------------------

FIXTURE_VIEWS = [
    ("ziel", {"iri": L1}),
    ("akteur", {"iri": X, "radius": 2}),
    ("feld", {"handlungsfeld": HF_A}),
    ("feld", {"lebensphase": SCHULALTER}),
    ("abgleich", {}),
    ("gesamt", {}),
]


def _url(server, view: str, params: dict) -> str:
    q = "&".join(f"{'umkreis' if k == 'radius' else k}={quote(str(v), safe='')}" for k, v in params.items())
    return f"{server.url}/netzwerk/{view}" + (f"?{q}" if q else "")


def _drawn_count(v: Visit) -> int:
    return int(v.page.get_attribute("#netz", "data-knoten"))


@pytest.mark.parametrize("view,params", FIXTURE_VIEWS, ids=[f"{v}-{'-'.join(p)}" for v, p in FIXTURE_VIEWS])
def test_views_draw_the_graph_built_in_python(browser, fixture_server, view, params):
    expected = views.build(fixture_server.bestand, view, **params)
    v = Visit(browser, _url(fixture_server, view, params), wait_for_network=True)
    try:
        v.check_clean()
        assert _drawn_count(v) == expected.graph.number_of_nodes()
        ids = set(v.page.evaluate("inkoNetz.body.data.nodes.getIds()"))
        assert ids == set(expected.graph)
        v.shot(_name("ansicht-test-", view + "-" + "-".join(params)))
    finally:
        v.close()


def _screen_point(v: Visit, node: str) -> dict:
    """Where a node is drawn on the screen, with the drawing scrolled into view."""
    v.page.locator("#netz").scroll_into_view_if_needed()
    return v.page.evaluate(
        """id => { const p = inkoNetz.canvasToDOM(inkoNetz.getPositions([id])[id]);
                   const r = document.getElementById('netz').getBoundingClientRect();
                   return {x: r.left + p.x, y: r.top + p.y}; }""", node)


def test_search_finds_and_focuses_a_node(browser, fixture_server):
    v = Visit(browser, _url(fixture_server, "ziel", {"iri": L1}), wait_for_network=True)
    try:
        v.page.fill("#suchfeld", "sprachcafe")             # without accent, in lower case
        v.page.press("#suchfeld", "Enter")
        v.page.wait_for_function(f"document.getElementById('netz').dataset.ausgewaehlt === {M1!r}")
        assert v.page.locator("#treffer button").first.inner_text().startswith("Sprachcafé an Schulen")
        assert v.page.inner_text("#auswahl-label") == "Sprachcafé an Schulen"
        assert v.page.get_attribute("#auswahl-seite", "href") == "/id/test-a/massnahme/1"
        assert v.page.evaluate("inkoNetz.getSelectedNodes()") == [M1]
        v.page.fill("#suchfeld", "gibt es nicht")
        v.page.press("#suchfeld", "Enter")
        assert v.page.inner_text("#suchstatus") == "Kein Knoten gefunden."
        v.check_clean()
    finally:
        v.close()


def test_click_on_a_node_opens_its_page(browser, fixture_server):
    v = Visit(browser, _url(fixture_server, "ziel", {"iri": L1}), wait_for_network=True)
    try:
        point = _screen_point(v, L1)
        v.page.mouse.click(point["x"], point["y"])
        v.page.wait_for_url(re.compile(r"/id/test-a/leitziel/1$"))
        assert urlsplit(v.page.url).path == "/id/test-a/leitziel/1"
        assert v.page.get_by_role("heading", name="Alle lernen gemeinsam").count() == 1
        v.check_clean()
    finally:
        v.close()


def test_hostile_label_is_text_in_the_view(browser, fixture_server):
    v = Visit(browser, _url(fixture_server, "akteur", {"iri": X}), wait_for_network=True)
    try:
        v.page.fill("#suchfeld", "onerror")
        v.page.press("#suchfeld", "Enter")
        v.page.wait_for_function(f"document.getElementById('netz').dataset.ausgewaehlt === {Z!r}")
        assert v.page.inner_text("#auswahl-label") == XSS
        v.page.click("#knotenliste summary")
        assert v.page.locator("#knotenliste-inhalt").get_by_text(XSS, exact=True).count() == 1
        # Hovering the node shows its tooltip, as text.
        point = _screen_point(v, Z)
        v.page.mouse.move(point["x"], point["y"])
        tooltip = v.page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert tooltip.inner_text().startswith(XSS)
        assert v.page.locator("img").count() == 0 and v.page.locator(".vis-tooltip *:not(br)").count() == 0
        v.page.wait_for_timeout(300)
        v.check_clean()
        v.shot("ansicht-feindliche-bezeichnung")
    finally:
        v.close()


REAL_VIEWS = [("abgleich", {}), ("gesamt", {}), ("ziel", {"iri": "https://w3id.org/inko/id/hattingen/leitziel/1"})]


@pytest.mark.parametrize("view,params", REAL_VIEWS, ids=[v for v, _ in REAL_VIEWS])
def test_real_views(browser, real_server, view, params):
    expected = views.build(real_server.bestand, view, **params)
    v = Visit(browser, _url(real_server, view, params), wait_for_network=True)
    try:
        v.check_clean()
        assert _drawn_count(v) == expected.knoten
        v.shot(_name("ansicht-", view))
    finally:
        v.close()


def test_real_actor_and_field_views(browser, real_server):
    b = real_server.bestand
    actor = max(b.of_kind(views.AKTEURE), key=lambda n: b.graph.degree(n))
    field = max(b.of_kind({"handlungsfeld"}), key=lambda n: b.graph.degree(n))
    for name, view, params in [("akteur", "akteur", {"iri": actor, "radius": 1}), ("feld", "feld", {"handlungsfeld": field})]:
        expected = views.build(b, view, **params)
        v = Visit(browser, _url(real_server, view, params), wait_for_network=True)
        try:
            v.check_clean()
            assert _drawn_count(v) == expected.knoten
            v.shot(_name("ansicht-", name))
        finally:
            v.close()


def test_cli_file_works_offline_from_disk(browser, fixture_server, tmp_path):
    a = views.build(fixture_server.bestand, "akteur", iri=X, radius=2)
    out = tmp_path / "akteur.html"
    out.write_text(views.render(a, views.Links.for_server("https://w3id.org/inko/", prefix=fixture_server.url)),
                   encoding="utf-8")
    v = Visit(browser, out.as_uri(), wait_for_network=True)
    try:
        v.check_clean()
        assert all(url.startswith("file:") or url.startswith("data:") for url in v.requests), v.requests
        assert _drawn_count(v) == a.knoten == 9
        v.shot("datei-akteur")
    finally:
        v.close()


# -- a Hattingen actor's view reads --------------------------------------------------------------

VHS = "https://w3id.org/inko/id/akteur/vhs-hattingen"
STEUERUNGSGRUPPE = "https://w3id.org/inko/id/akteur/steuerungsgruppe-integrationskonzept-ennepe-ruhr-kreis"
AXE = Path(__file__).parent.parent / "vendor" / "axe.min.js"


def test_a_hattingen_actor_s_view_shows_its_goals_and_folds_the_kreis_gremium(browser, real_server):
    """The vhs Hattingen: the goals it serves are labelled from the start, the 17 members of the
    kreisweite Steuerungsgruppe stay folded until the node list's link opens them in the picture
    (without leaving the page), and the page with the Gebiet chooser passes axe."""
    b = real_server.bestand
    expected = views.akteur(b, VHS)
    served = {z for v in expected.graph.predecessors(VHS) if expected.graph.nodes[v]["art"] in views.VORHABEN
              for z in expected.graph.successors(v) if "dient" in expected.graph.edges[v, z]["arten"]}
    v = Visit(browser, _url(real_server, "akteur", {"iri": VHS}), wait_for_network=True)
    try:
        v.check_clean()
        drawn = {n["id"]: n for n in v.page.evaluate(
            "inkoNetz.body.data.nodes.get().map(n => ({id: n.id, label: n.label || '', hidden: !!n.hidden}))")}
        assert served and all(drawn[z]["label"] for z in served)
        members = [m for m, n in drawn.items() if n["hidden"]]
        assert len(members) >= 15
        v.shot("ansicht-akteur-vhs-hattingen")
        v.page.locator("#knotenliste summary").first.click()
        details = v.page.locator(f'details.netz-mitglieder[data-gremium="{STEUERUNGSGRUPPE}"]')
        assert re.match(r"^\d+ Mitglieder", details.locator("summary").inner_text())
        details.locator("summary").click()
        assert details.locator("ol li").count() == len(members)
        url = v.page.url
        details.locator("a.netz-oeffnen").click()
        v.page.wait_for_function("(id) => inkoNetz.body.data.nodes.get(id) === null", arg="mitglieder:" + STEUERUNGSGRUPPE,
                                 timeout=5000)
        assert v.page.url == url
        assert not any(v.page.evaluate("(ids) => ids.map(i => !!inkoNetz.body.data.nodes.get(i).hidden)", members))
        v.shot("ansicht-akteur-vhs-hattingen-geoeffnet")
        assert v.page.locator("#gebietswahl").count() == 1
        v.page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = v.page.evaluate("""async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(x => x.id + ': ' + x.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""")
        assert violations == []
        v.check_clean()
    finally:
        v.close()


def test_choosing_a_gebiet_on_a_view_keeps_its_focus(browser, real_server):
    v = Visit(browser, _url(real_server, "akteur", {"iri": VHS, "radius": 2}), wait_for_network=True)
    try:
        v.page.select_option("#gebietswahl", "hattingen")
        with v.page.expect_navigation():
            v.page.locator("form.gebietswahl button").click()
        assert "iri=" + quote(VHS, safe="") in v.page.url and "umkreis=2" in v.page.url and "gebiet=hattingen" in v.page.url
        assert v.page.locator("#netz-titel").inner_text() == "Akteursansicht: " + real_server.bestand.node(VHS)["label"]
        v.check_clean()
    finally:
        v.close()
