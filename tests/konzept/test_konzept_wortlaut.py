"""After a re-import of the Konzept workbook the cockpit shows the current wording of a goal only.

Hattingen's concept is exported, one goal reworded in the workbook and imported again (the
changes page's own fixture). The source document's graph keeps the old wording (it stays faithful
and citable; the changes page compares both); every page of the cockpit shows the new one, once.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import httpx
import pandas as pd
import pytest

from inko_graph.konzept.importer import import_file
from inko_graph.query.wortlaut import Wortlaut, current_rows
from inko_graph.server import create_app
from inko_graph.store import OxigraphStore

sys.path.insert(0, str(Path(__file__).parents[1] / "server"))
from live_server import LiveServer  # noqa: E402
from test_server_aenderungen_konzept import NEW_WORDING, changed_workbook  # noqa: E402

OLD_WORDING = "Mehrsprachigkeit wird als positive gesellschaftliche Realität konstruktiv gestaltet."
GOAL = "https://w3id.org/inko/id/hattingen/leitziel/5"


@pytest.fixture(scope="module")
def site(store, settings):
    work = OxigraphStore.memory()
    work.load_quads(store.quads())
    import_file(changed_workbook(store, settings), "hattingen-2026.xlsx", work, settings)
    server = LiveServer(create_app(settings, work)).start()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield {"client": c, "work": work}
    server.stop()


def _main(html: str) -> str:
    m = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1)))


def test_the_source_documents_graph_keeps_the_old_wording(site):
    q = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{GOAL}> ?p \"{OLD_WORDING}\"@de }} }}"
    graphs = {r["g"].value for r in site["work"].query(q)}
    assert "https://w3id.org/inko/graph/quelle-000" in graphs


@pytest.mark.parametrize("path", ["/ziele?gebiet=hattingen", "/id/hattingen/leitziel/5",
                                  "/wer-dient?gebiet=hattingen", "/kreisziele?gebiet=hattingen",
                                  "/luecken?gebiet=hattingen", "/bericht?gebiet=hattingen",
                                  "/ueberschneidungen?gebiet=hattingen"])
def test_cockpit_pages_show_the_current_wording_only(site, path):
    r = site["client"].get(path)
    assert r.status_code == 200
    text = _main(r.text).split("Für Datennutzer", 1)[0]   # the technical view lists every statement
    assert OLD_WORDING not in text
    if path.startswith(("/ziele", "/id/", "/kreisziele")):
        assert NEW_WORDING in text


def test_the_goal_page_keeps_the_old_wording_for_data_users(site):
    html = site["client"].get("/id/hattingen/leitziel/5").text
    assert OLD_WORDING in html.split("Für Datennutzer", 1)[1]


def test_downloads_have_one_row_per_goal_in_the_current_wording(site):
    r = site["client"].get("/ziele?gebiet=hattingen&format=csv")
    assert r.status_code == 200
    body = r.content.decode("utf-8-sig")
    assert body.count(NEW_WORDING) == 1 and OLD_WORDING not in body


def test_the_changes_page_still_compares_old_and_new(site):
    text = _main(site["client"].get("/aenderungen/konzept?gebiet=hattingen").text)
    assert OLD_WORDING in text and NEW_WORDING in text


def test_rows_take_the_new_wording_and_repeat_no_row():
    w = Wortlaut(neu={"alt": {"z1": "neu"}}, andere={"alt": {"z9"}})
    df = pd.DataFrame([["z1", "alt", 3], ["z1", "neu", 3], ["z2", "x", 1], ["z2", "x", 1], ["z9", "alt", 2],
                       ["z1", "alt", 4]], columns=["ziel", "label", "n"])
    got = current_rows(df, w).values.tolist()
    # z1's old label becomes the new one (the repeated row goes), an unchanged repeat stays,
    # z9 keeps the same text as its own label
    assert got == [["z1", "neu", 3], ["z2", "x", 1], ["z2", "x", 1], ["z9", "alt", 2], ["z1", "neu", 4]]
    assert current_rows(df, Wortlaut()) is df


def test_the_query_names_other_resources_that_keep_the_old_wording(site, settings):
    """A resource of another document with the same text keeps it: the query names it, the rows keep it."""
    import pyoxigraph as ox

    from inko_graph.query.catalogue import Catalogue
    from inko_graph.query.wortlaut import replaced

    work = OxigraphStore.memory()
    work.load_quads(site["work"].quads())
    other = "https://w3id.org/inko/id/test/ziel/kopie"
    work.replace_graphs({"https://w3id.org/inko/graph/test-kopie": [ox.Triple(
        ox.NamedNode(other), ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
        ox.Literal(OLD_WORDING, language="de"))]})
    w = replaced(work, Catalogue(settings.queries_dir))
    assert w.neu[OLD_WORDING] == {GOAL: NEW_WORDING} and w.andere[OLD_WORDING] == {other}
    df = pd.DataFrame([[GOAL, OLD_WORDING, other, OLD_WORDING]], columns=["ziel", "label", "kopie", "kopiename"])
    assert current_rows(df, w).values.tolist() == df.values.tolist()   # which cell is whose: unknown, kept
    assert replaced(site["work"], Catalogue(settings.queries_dir)).andere == {}
