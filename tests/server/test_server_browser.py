"""The pages in a real browser (headless Chromium): no console errors, no requests to other hosts,
data shown as text, and the query page fills its table.

Without /usr/bin/chromium (or playwright) these tests are skipped, unless INKO_REQUIRE_BROWSER=1
(as in CI): then they fail, so that a missing browser cannot pass unnoticed.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from live_server import start_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _need_browser():
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"{CHROMIUM} fehlt (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "das Paket playwright fehlt"
    if problem:
        if os.environ.get("INKO_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Browsertests verlangt (INKO_REQUIRE_BROWSER=1), aber {problem}.")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(store, browser):
    srv = start_server(store, query_timeout=5.0)
    yield srv
    srv.stop()


class Watched:
    """A page that records console errors, script errors, dialogs and every requested host."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.hosts.add(urlsplit(r.url).netloc))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check_clean(self, server):
        assert self.errors == []
        assert self.dialogs == []
        assert self.hosts == {urlsplit(server.url).netloc}

    def close(self):
        self.page.close()


@pytest.fixture()
def page(browser):
    w = Watched(browser)
    yield w
    w.close()


def test_resource_page_loads_cleanly(server, page):
    page.page.goto(server.url + "/id/hattingen/leitziel/1")
    page.page.wait_for_load_state("networkidle")
    assert page.page.locator("h1").inner_text().strip() != ""
    assert page.page.locator("table.aussagen tbody tr").count() >= 3
    # The style sheet is loaded from this server.
    assert page.page.evaluate("getComputedStyle(document.querySelector('.kopf')).display") == "flex"
    page.check_clean(server)


def test_markup_in_the_data_stays_text(server, page):
    page.page.goto(server.url + "/id/test/zeichen")
    page.page.wait_for_load_state("networkidle")
    assert page.page.locator("h1").inner_text() == "<img src=x onerror=alert(1)>"
    assert page.page.locator("main img").count() == 0 and page.page.locator("main script").count() == 0
    page.check_clean(server)


def test_query_page_runs_a_query_and_fills_the_table(server, page):
    p = page.page
    p.goto(server.url + "/sparql")
    p.wait_for_load_state("networkidle")
    p.fill("#abfrage", "SELECT ?ziel ?name WHERE { ?ziel a inko:Leitziel ; skos:prefLabel ?name }")
    p.click("#ausfuehren")
    p.wait_for_selector("#tabelle table tbody tr")
    rows = p.locator("#tabelle table tbody tr").count()
    assert rows >= 8
    assert "Zeile" in p.locator("#status").inner_text()
    assert p.locator("#tabelle a[href^='/id/hattingen/leitziel/']").count() >= 8
    assert "format=csv" in p.locator("#downloads a").first.get_attribute("href")
    page.check_clean(server)


def test_query_page_examples_keyboard_and_errors(server, page):
    p = page.page
    p.goto(server.url + "/sparql")
    p.wait_for_load_state("networkidle")
    # The first Tab reaches the skip link.
    p.keyboard.press("Tab")
    assert p.evaluate("document.activeElement.className") == "sprungmarke"
    values = p.locator("#beispiel option").evaluate_all("os => os.map(o => o.value).filter(v => v)")
    assert values, "the query page offers the catalogue of named queries as examples"
    p.select_option("#beispiel", "statistik-graphen" if "statistik-graphen" in values else values[0])
    assert "SELECT" in p.input_value("#abfrage").upper()
    p.focus("#abfrage")
    p.keyboard.press("Control+Enter")
    p.wait_for_selector("#tabelle table tbody tr")
    # A syntax error is shown as a message, in German, with the position.
    p.fill("#abfrage", "SELECT * WHERE { ?s ?p }")
    p.click("#ausfuehren")
    p.wait_for_selector("#status.meldung-fehler")
    assert "Zeile 1, Spalte" in p.locator("#status").inner_text()
    assert p.locator("#tabelle table").count() == 0
    assert [e for e in page.errors if "400" not in e] == []  # the failed fetch is logged by the browser
    assert page.hosts == {server.url.split("//")[1]}
