"""YASGUI on the query page in a real browser (headless Chromium): it starts under the server's
Content-Security-Policy without a console error or a request to another host, offers the
catalogue's queries as examples with the project's prefixes, runs a query and shows the table;
without JavaScript the plain form still answers."""

from __future__ import annotations

import pytest

from test_server_browser import ARGS, CHROMIUM, Watched, _need_browser
from live_server import start_server


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


def test_yasgui_runs_a_query_and_shows_the_table(server, browser):
    page = Watched(browser)
    p = page.page
    p.goto(server.url + "/sparql")
    p.wait_for_selector("#yasgui .yasqe .CodeMirror", state="visible")
    assert p.locator("#editor-bereich").is_visible()
    # The editor shows the page's starting query (an editor drawn while hidden would show nothing).
    assert "SELECT" in p.locator("#yasgui .CodeMirror-code").inner_text()
    names = p.locator("#editor-beispiel option").evaluate_all("os => os.map(o => o.value).filter(v => v)")
    assert "wer-dient-welchem-ziel" in names or len(names) > 10
    query = "SELECT ?ziel ?name WHERE { ?ziel a inko:Leitziel ; skos:prefLabel ?name } ORDER BY ?ziel"
    p.evaluate("q => document.querySelector('#yasgui .CodeMirror').CodeMirror.setValue(q)", query)
    p.locator("#yasgui .yasqe_queryButton").click()
    p.wait_for_selector("#yasgui .yasr table tbody tr")
    text = p.locator("#yasgui .yasr table").inner_text()
    assert "leitziel" in text.lower()
    assert p.locator("#yasgui .yasr table tbody tr").count() >= 8
    # An example from the catalogue, with PREFIX lines for the project's prefixes it uses.
    examples = p.evaluate("() => JSON.parse(document.getElementById('beispiele-daten').textContent)")
    ex = next(e for e in examples if "inko:" in e["text"] and "PREFIX inko:" not in e["text"])
    p.select_option("#editor-beispiel", ex["name"])
    value = p.evaluate("() => document.querySelector('#yasgui .CodeMirror').CodeMirror.getValue()")
    assert value.endswith(ex["text"])
    assert "PREFIX inko: <https://w3id.org/inko/def#>" in value
    p.locator("#yasgui .yasqe_queryButton").click()
    p.wait_for_selector("#yasgui .yasr .yasr_response_chip, #yasgui .yasr table", timeout=15000)
    page.check_clean(server)
    p.close()


def test_without_javascript_the_form_answers(server, browser):
    ctx = browser.new_context(java_script_enabled=False)
    p = ctx.new_page()
    p.goto(server.url + "/sparql")
    assert not p.locator("#editor-bereich").is_visible()
    p.fill("#abfrage", "SELECT ?ziel WHERE { ?ziel a inko:Leitziel }")
    p.click("#ausfuehren")
    p.wait_for_selector("#tabelle table tbody tr")
    assert p.locator("#tabelle table tbody tr").count() >= 8
    ctx.close()
