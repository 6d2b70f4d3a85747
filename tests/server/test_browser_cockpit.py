"""A member of Hattingen's Steuerungsgruppe at work, in a real browser (headless Chromium).

Each task starts on the start page with Hattingen chosen, is reached in at most three clicks, and
its answer on the page is compared with the rows of the named query behind it (run here through
``inko_graph.query.catalogue``). Every visited page shows no IRI, hash identifier or graph name in its
main view, and has no WCAG 2.1 AA violation by axe-core (vendored in tests/vendor/).
Screenshots go to tests/artifacts/cockpit/ (and to docs/cockpit/ with INKO_DOCS_SCREENSHOTS=1).

Without /usr/bin/chromium or playwright the tests are skipped, unless INKO_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from inko_graph.query.catalogue import Catalogue, run
from inko_graph.store import OxigraphStore
from inko_graph.tokens import create_token
from live_server import start_server
from raster_fixtures import GOOD_ACTOR, fill_workbook, to_bytes
from test_server_browser import ARGS, CHROMIUM, Watched, _need_browser

HERE = Path(__file__).parent.parent
AXE = HERE / "vendor" / "axe.min.js"
ART = HERE / "artifacts" / "cockpit"
DOCS = HERE.parent / "docs" / "cockpit"
ID = "https://w3id.org/inko/id/"
HATTINGEN = ID + "gebiet/hattingen"
KREIS = ID + "gebiet/ennepe-ruhr-kreis"
INTEGRATION = ID + "konzept/hattingen-integrationskonzept"
LEITZIEL_5 = ID + "hattingen/leitziel/5"

#: What must not show in the main view: addresses, hash identifiers, graph names.
FORBIDDEN = [re.compile(p) for p in (r"https?://", r"\b[0-9a-f]{16}\b", r"kuratierung/", r"quelle-\d{3}",
                                     r"\bgraph/", r"Aussagen (des|der) ", r"\b(id|inko|skos|org|cv):\w")]


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def tokens_file(tmp_path_factory):
    return tmp_path_factory.mktemp("tokens") / "tokens.json"


@pytest.fixture(scope="module")
def server(store, browser, tokens_file):
    srv = start_server(store, query_timeout=10.0, tokens_file=tokens_file)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def q(server):
    """Run a named query on the server's own store."""
    store, cat = server.app.state.store, Catalogue(server.app.state.settings.queries_dir)
    return lambda name, **params: run(store, cat.get(name), params)


#: Pages already checked with axe in this run (a page is checked once, not once per task).
_AXED: set[str] = set()


class Member(Watched):
    """The browser of a member of the Steuerungsgruppe: counts clicks, checks each page."""

    def __init__(self, browser, server):
        super().__init__(browser)
        self.server = server
        self.clicks = 0
        self.axe = AXE.read_text(encoding="utf-8")

    def start(self):
        self.page.goto(self.server.url + "/?gebiet=hattingen")
        self.clicks = 0
        self.check()

    def click(self, selector: str, **kw):
        with self.page.expect_navigation():
            self.page.locator(selector, **kw).first.click()
        self.clicks += 1
        self.check()

    def tile(self, heading: str):
        """Click the tile of the start page whose heading contains ``heading``."""
        with self.page.expect_navigation():
            self.page.locator("ul.kacheln a").filter(has=self.page.locator("strong", has_text=heading)).first.click()
        self.clicks += 1
        self.check()

    def check(self, town: str = "Hattingen"):
        """No identifier in the main view; no WCAG 2.1 AA violation; the Gebiet is still chosen."""
        p = self.page
        p.wait_for_load_state("load")
        text = p.locator("main").inner_text()
        for pattern in FORBIDDEN:
            found = pattern.search(text)
            assert found is None, f"{p.url}: {found.group(0)!r} in der Hauptansicht: …{text[max(0, found.start() - 60):found.end() + 60]}…"
        if p.locator("#gebietswahl").count():
            assert town in p.locator("#gebietswahl option:checked").inner_text()
        key = p.url.split("/", 3)[-1]
        if key in _AXED:          # the same page was checked by an earlier task
            return
        _AXED.add(key)
        p.evaluate(self.axe)
        result = p.evaluate("""async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""")
        assert result == [], f"{p.url}: {result}"

    def shot(self, name: str, answer: str | None = None):
        """A screenshot with the answer (``answer``: its selector) near the top of the window."""
        if answer:
            self.page.locator(answer).first.evaluate("e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -150); }")
        ART.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ART / f"{name}.png"))
        if os.environ.get("INKO_DOCS_SCREENSHOTS") == "1":
            from PIL import Image

            # Small files for the README: a palette of 64 colours is enough for text and tables.
            DOCS.mkdir(parents=True, exist_ok=True)
            img = Image.open(ART / f"{name}.png").convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
            img.save(DOCS / f"{name}.png", optimize=True)


@pytest.fixture()
def member(browser, server):
    m = Member(browser, server)
    m.page.set_viewport_size({"width": 1100, "height": 760})
    yield m
    m.close()


def _cells(page, table: str, column: int) -> list[str]:
    return [c.strip() for c in page.locator(f"{table} tbody tr td:nth-child({column})").all_inner_texts()]


def test_who_serves_a_leitziel_for_which_lebensphase(member, q):
    p = member.page
    member.start()
    member.tile("Wer dient welchem Ziel?")
    p.select_option("#f-ziel", LEITZIEL_5)
    member.click("form.filter button[type=submit]")
    assert member.clicks <= 3
    member.shot("1-wer-dient", "#ergebnis")
    rows = p.locator("table.dient tbody tr")
    shown = set()
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td").all_inner_texts()
        # Columns: Ziel, Maßnahme (with its kind), Akteur (Rolle), Lebensphase, Zielgruppe, Feld, Zuordnung.
        name = re.sub(r"\s*(Maßnahme|Aktivität)$", "", cells[1].strip())
        for lp in cells[3].split(", "):
            if lp.strip() != "–":
                shown.add((name, lp.strip()))
    df = q("cockpit-wer-dient", ziel=LEITZIEL_5)
    expected = {(r.vorhabenname, r.lebensphasename) for r in df.itertuples() if isinstance(r.lebensphasename, str)}
    assert shown == expected and len(expected) >= 3
    member.check_clean(member.server)


def test_the_towns_goals_nobody_serves(member, q):
    p = member.page
    member.start()
    member.tile("Lücke")
    member.shot("2-luecken", "main h1")
    shown = {t.strip() for t in p.locator("main table.liste tbody tr td:first-child a").all_inner_texts()}
    df = q("ziele-ohne-massnahme", gebiet=HATTINGEN)
    # The general town strategy has goals nobody serves; they are context, not gaps of the town.
    assert (df["konzept"] == ID + "konzept/strategiekonzept-hattingen-2020").sum() > 10
    expected = {r.zielname for r in df.itertuples() if r.konzept == INTEGRATION}
    assert shown == expected
    if not expected:
        assert "Keine Lücken" in p.locator("main").inner_text()
    member.check_clean(member.server)


def test_the_kreis_goals_the_town_serves_and_does_not(member, q):
    p = member.page
    member.start()
    member.tile("Kreiszielen")
    member.shot("3-kreisziele", "p.ergebnis")
    served_rows = p.locator("table.kreisziele-uebersicht tbody tr:not(.offen) th")
    served = {re.sub(r"^\S+\s+", "", t.strip()) for t in served_rows.all_inner_texts()}
    open_ = {re.sub(r"^\S+\s+", "", t.strip()) for t in p.locator("ul.offen-liste li").all_inner_texts()}
    every = q("cockpit-kreisziele", kreis=KREIS)
    hattingen = q("cockpit-kreisziele", kreis=KREIS, stadt=HATTINGEN)
    expected_served = set(hattingen["kreiszielname"])
    assert served == expected_served and len(served) >= 10
    assert open_ == set(every["kreiszielname"]) - expected_served and open_
    start_text = p.locator("main").inner_text()
    n_open = p.locator("ul.offen-liste li").count()
    assert n_open == every.drop_duplicates("kreisziel")["kreisziel"].isin(set(hattingen["kreisziel"])).eq(False).sum()
    assert f"{n_open} nicht" in re.sub(r"\s+", " ", start_text)
    member.check_clean(member.server)


def test_overlaps(member, q):
    p = member.page
    member.start()
    member.tile("Überschneidung")
    member.shot("4-ueberschneidungen", "main h1")
    rows = p.locator("main table.liste tbody tr")
    shown = {(rows.nth(i).locator("td").nth(0).locator("a").first.inner_text().strip(),
              rows.nth(i).locator("td").nth(1).inner_text().strip()) for i in range(rows.count())}
    df = q("mehrere-akteure-gleiches-ziel", gebiet=HATTINGEN)
    expected = {(r.zielname, r.lebensphasename) for r in df.itertuples() if r.konzept == INTEGRATION}
    assert shown == expected and expected
    member.check_clean(member.server)


def test_an_actors_connections(member, q):
    p = member.page
    member.start()
    member.tile("Akteure")
    row = p.locator("main table.liste tbody tr").filter(has=p.get_by_role("link", name="vhs Hattingen", exact=True)).first
    with p.expect_navigation():
        row.locator("a", has_text="dient welchem Ziel?").click()
    member.clicks += 1
    member.check()
    assert member.clicks <= 3
    member.shot("5-akteur", "#ergebnis")
    goals = set(_cells(p, "table.dient", 1))
    df = q("cockpit-wer-dient", akteur=ID + "akteur/vhs-hattingen")
    expected = {(f"{r.zielnummer} " if isinstance(r.zielnummer, str) else "") + r.zielname
                for r in df.itertuples() if r.konzept == INTEGRATION}
    assert goals == expected and expected
    member.check_clean(member.server)


@pytest.fixture()
def revised_concept(server, settings, store):
    """Hattingen's concept uploaded again, changed (through the real importer, into the server's own
    copy of the graph); taken out again afterwards, so the other tasks see the graph as built."""
    from inko_graph.konzept.importer import import_file
    from test_server_aenderungen_konzept import GRAPH, changed_workbook

    work = server.app.state.store
    import_file(changed_workbook(store, settings), "hattingen-2026.xlsx", work, server.app.state.settings)
    yield GRAPH
    work.replace_graphs({GRAPH: []})


@pytest.fixture()
def second_year(server):
    """A value for 2012 of the indicator the member looks at (the real data hold 2011 only), imported
    through the real importer into the server's copy of the graph; taken out again afterwards."""
    from inko_graph.monitoring.csvimport import import_bytes

    csv = ("Indikator;Gebiet;Zeitraum;Wert;Einheit;Quelle\n"
           "Personen mit Migrationshintergrund, Bevölkerungsanteil in %;Hattingen;2012;23,1;Prozent;"
           "Einwohnerstatistik der Stadt Hattingen 2012\n")
    work = server.app.state.store
    plan = import_bytes(work, csv.encode("utf-8"), "hattingen-2012.csv")
    yield plan
    work.replace_graphs({plan.graph: []})


def test_changes_since_last_year_and_an_indicator_over_time(member, q, revised_concept, second_year):
    p = member.page
    member.start()
    member.tile("Änderungen")
    member.shot("6-aenderungen", "#ueberblick")
    table = p.locator("main table.zahlen-tabelle tbody tr", has_text="Aktivität")
    new_activities = int(table.locator("td").nth(0).inner_text())
    subs = q("raster-meldungen", jahr="2014")
    assert new_activities == int(subs["aktivitaeten"].sum()) > 0
    # What changed in the concept since its last version: one click more, the newest two versions.
    member.click("main nav.vergleich-wahl a", has_text="Konzept")
    assert member.clicks <= 3
    member.shot("6b-aenderungen-konzept", "#einzeln")
    rows = p.locator("main table.konzept-aenderungen tbody tr")
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
    shown = {(c[2].strip(), c[3].strip()) for c in cells}
    assert shown == _concept_changes(member.server, revised_concept) and len(shown) == 5
    # An indicator over time: from the start page through the menu to the monitoring and one indicator.
    member.start()
    member.click("nav[aria-label=Hauptnavigation] a", has_text="Monitoring")
    link = p.locator("main a[href^='/monitoring/indikator']", has_text="Personen mit Migrationshintergrund, Bevölkerungsanteil").first
    with p.expect_navigation():
        link.click()
    member.clicks += 1
    member.check()
    assert member.clicks <= 3
    # Two years: the line chart, with the change named.
    assert p.locator("main img[src*='/monitoring/bild/zeitreihe.svg']").count() == 1
    assert "Bisher gibt es Werte nur" not in p.locator("main").inner_text()
    member.shot("7-indikator", "main h2")
    iri = re.search(r"iri=([^&]+)", p.url).group(1)
    from urllib.parse import unquote

    # The monitoring follows the town chosen in the cockpit: Hattingen and the areas it is compared with.
    df = q("monitoring-zeitreihe", indikator=unquote(iri))
    rows = p.locator("main table").last.locator("tbody tr")
    shown = [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count())]
    assert "Hattingen" in shown and len(set(shown)) < df["gebietname"].nunique()
    assert len(shown) == int(df["gebietname"].isin(set(shown)).sum()) > 0
    member.check_clean(member.server)


def _concept_changes(server, graph: str) -> set[tuple[str, str]]:
    """(name, change) of each item that diff_triples finds between the source document's version
    of Hattingen's concept and the upload (as the export test defines what the workbook carries)."""
    import pyoxigraph as ox

    from inko_graph.analysis.diff import _labels, diff_triples
    from konzept_projection import _without_workbook_provenance, projection

    work = server.app.state.store
    new = _without_workbook_provenance({ox.Triple(x.subject, x.predicate, x.object) for x in work.quads(graph)}, graph)
    old = OxigraphStore.memory()
    old.load_quads(x for x in work.quads() if x.graph_name != ox.NamedNode(graph))
    d = diff_triples(projection(old, INTEGRATION), new, labels=_labels(work, server.app.state.settings.queries_dir))
    out = set()
    for key in ("ziele", "massnahmen", "akteure"):
        out |= {(x.label, "neu") for x in d.added.get(key, [])}
        out |= {(x.label, "entfallen") for x in d.removed.get(key, [])}
        out |= {(c.label, f"{d.label(pred)} geändert") for c in d.changed.get(key, []) for pred, _, _ in c.props}
    for what, links in (("neu", d.links_added), ("entfallen", d.links_removed)):
        out |= {(d.label(s), f"{d.label(pred)} {what}") for s, pred, _ in links}
    return out


def test_raster_template_and_a_faulty_upload(member, q, tmp_path):
    p = member.page
    member.start()
    member.tile("Raster")
    member.shot("8-raster", "#meldungen")
    # Who has reported this year and who not: those of earlier years are waited for.
    import datetime

    this_year = q("raster-meldungen", jahr=str(datetime.date.today().year))
    assert p.locator("section[aria-labelledby=gemeldet] li").count() == len(this_year)
    missing = p.locator("section[aria-labelledby=fehlt]").inner_text()
    for name in set(q("raster-meldungen")["akteurname"]) - set(this_year["akteurname"]):
        assert name in missing
    with p.expect_download() as dl:
        p.get_by_role("button", name=re.compile("Excel")).first.click()
    member.clicks += 1
    path = tmp_path / "vorlage.xlsx"
    dl.value.save_as(path)
    assert path.read_bytes()[:2] == b"PK"
    before = len(q("raster-meldungen"))
    p.fill("#token", create_token(member.server.app.state.settings.tokens_file, ID + "akteur/vhs-hattingen", HATTINGEN))
    # The template filled in as a volunteer would, with a Lebensphase the vocabulary does not know.
    wb = fill_workbook(path.read_bytes(), GOOD_ACTOR, [["Sprachcafé", "Offener Treff", "Arbeit",
                                                        "Integrationskonzept Hattingen, Leitziel 5", "Rentenalter",
                                                        None, "2026", None, None, None]])
    bad = tmp_path / "raster-vhs.xlsx"
    bad.write_bytes(to_bytes(wb))
    p.set_input_files("#datei", str(bad))
    member.click("form[action='/raster'] button.haupt")
    assert member.clicks <= 3
    member.shot("9-raster-fehler", "main h1")
    text = p.locator("main").inner_text()
    assert "nicht gespeichert" in text.lower() or "nicht gespeichert" in p.title().lower()
    assert p.locator("main table tbody tr", has_text="Rentenalter").count() == 1  # sheet, row, column, what is allowed
    assert "Unbekannte Lebensphase" in text
    assert len(q("raster-meldungen")) == before              # nothing was stored
    # The refused upload answers 400: the browser logs that status, nothing else.
    assert [e for e in member.errors if "status of 400" not in e] == []
    assert member.dialogs == []


OTHER_PAGES = ["/ziele", "/matrix", "/netzwerk", "/bericht", "/monitoring/hochladen", "/kreisziele?gebiet=ennepe-ruhr-kreis",
               "/kreisziele?gebiet=hattingen&aufgeklappt=1",
               "/ziele?gebiet=ennepe-ruhr-kreis", "/?gebiet=ennepe-ruhr-kreis", "/wer-dient?seite=2&sortierung=-akteur",
               "/aenderungen/konzept?gebiet=ennepe-ruhr-kreis"]


def test_the_other_pages_pass_axe_and_show_no_identifiers(member):
    p = member.page
    member.start()
    p.goto(member.server.url + "/matrix")
    # The list behind a cell of the matrix, and every other page the tasks do not visit.
    for path in [p.locator("table.matrix td.voll a").first.get_attribute("href")] + OTHER_PAGES:
        p.goto(member.server.url + path)
        member.check("Ennepe-Ruhr-Kreis" if "ennepe-ruhr-kreis" in path else "Hattingen")
        if "ennepe-ruhr-kreis" in path:
            p.goto(member.server.url + "/?gebiet=hattingen")
    member.check_clean(member.server)


def test_who_serves_fits_a_window_of_1280_pixels(member):
    """The table "Wer dient welchem Ziel" with all its columns fits a common office screen: no
    sideways scrolling, the last column (Handlungsfeld) inside the window."""
    p = member.page
    p.set_viewport_size({"width": 1280, "height": 800})
    p.goto(member.server.url + "/wer-dient?gebiet=hattingen")
    member.check()
    sizes = p.evaluate("""() => {
        const frame = document.querySelector('table.dient').closest('.tabelle-rahmen');
        const heads = [...document.querySelectorAll('table.dient thead th')];
        return {scroll: frame.scrollWidth, client: frame.clientWidth, page: document.documentElement.scrollWidth,
                right: Math.max(...heads.map(h => h.getBoundingClientRect().right)), window: window.innerWidth,
                heads: heads.map(h => [h.innerText, Math.round(h.getBoundingClientRect().width)])};
    }""")
    member.shot("wer-dient-1280", "table.dient")
    assert sizes["scroll"] <= sizes["client"], sizes
    assert sizes["page"] <= sizes["window"] and sizes["right"] <= sizes["window"], sizes
