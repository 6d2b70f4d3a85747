"""Konzept upload in the cockpit: a town's token, the per-cell messages on the page, the JSON API, templates."""

from __future__ import annotations

import html
import io
import re

import httpx
import openpyxl
import pytest

from inko_graph.server import create_app
from inko_graph.store import OxigraphStore
from inko_graph.tokens import create_token
from konzept_fixtures import ZIELE, fill, template, to_bytes
from live_server import LiveServer

ID = "https://w3id.org/inko/id/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
G = "https://w3id.org/inko/graph/konzept/sprockhoevel-2026"


@pytest.fixture(scope="module")
def tokens(tmp_path_factory):
    path = tmp_path_factory.mktemp("tokens") / "tokens.json"
    return path, {"sprockhoevel": create_token(path, None, ID + "gebiet/sprockhoevel"),
                  "hattingen": create_token(path, None, ID + "gebiet/hattingen"),
                  "akteur": create_token(path, ID + "akteur/stadt-sprockhoevel", ID + "gebiet/sprockhoevel")}


@pytest.fixture(scope="module")
def client(store, settings, tokens):
    work = OxigraphStore.memory()
    work.load_quads(store.quads())
    app = create_app(settings.with_(tokens_file=tokens[0]), work)
    server = LiveServer(app).start()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        c.app_store = work
        yield c
    server.stop()


@pytest.fixture(scope="module")
def good(store, settings):
    return to_bytes(fill(template(store, settings)))


def _post(client, path, data, token=None, gebiet="Sprockhövel", **extra):
    form = {"gebiet": gebiet, **extra}
    if token is not None:
        form["token"] = token
    return client.post(path, files={"datei": ("konzept.xlsx", data, XLSX)}, data=form)


def _graph(client) -> set:
    return set(client.app_store.quads(G))


def test_form_and_templates(client):
    page = client.get("/konzept")
    assert page.status_code == 200 and "Konzept hochladen" in page.text and "<script>" not in page.text
    for fmt, magic in (("xlsx", b"PK"), ("ods", b"PK")):
        r = client.get(f"/konzept/vorlage.{fmt}", params={"gebiet": "Sprockhövel"})
        assert r.status_code == 200 and r.content.startswith(magic)
        assert 'filename="konzept-sprockh' in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/konzept/vorlage.xlsx", params={"gebiet": "Sprockhövel"}).content))
    assert [r[0].value for r in wb["Gebiete"].iter_rows(min_row=2)][0] == "Sprockhövel"
    assert client.get("/konzept/vorlage.docx").status_code == 400


def test_token_of_another_town_is_refused_before_the_file(client, tokens, good):
    # not a workbook at all: the token decides first, the file is not looked at
    r = _post(client, "/api/konzept", b"kein Inhalt", token=tokens[1]["hattingen"])
    assert r.status_code == 403 and "nur für das Gebiet" in r.json()["meldung"]
    r = _post(client, "/api/konzept", b"kein Inhalt", token=tokens[1]["akteur"])
    assert r.status_code == 403
    r = _post(client, "/api/konzept", b"kein Inhalt", token="falsch")
    assert r.status_code == 401
    assert _graph(client) == set()


def test_workbook_for_another_town_than_the_token(client, tokens, good, store, settings):
    other = to_bytes(fill(template(store, settings), konzept={"Titel": "X", "Gebiet": "Hattingen", "Jahr": 2026}))
    r = _post(client, "/api/konzept", other, token=tokens[1]["sprockhoevel"])
    assert r.status_code == 400
    assert any("Zugangsschlüssel gilt für" in f["meldung"] for f in r.json()["fehler"])
    assert _graph(client) == set()


def test_per_cell_messages_on_the_page_and_nothing_stored(client, tokens, store, settings):
    ziele = [list(z) for z in ZIELE]
    ziele[0][5] = "Frühe Kindhiet"
    data = to_bytes(fill(template(store, settings), ziele=ziele))
    r = _post(client, "/konzept", data, token=tokens[1]["sprockhoevel"])
    assert r.status_code == 400
    assert "Frühe Kindhiet" in r.text and "Meinten Sie „Frühe Kindheit“" in r.text and "<td>Ziele</td>" in r.text
    assert _graph(client) == set()


def test_upload_stores_the_concept_and_answers_in_the_cockpit(client, tokens, good):
    r = _post(client, "/api/konzept", good, token=tokens[1]["sprockhoevel"], probelauf="ja")
    assert r.status_code == 200 and r.json()["probelauf"] and _graph(client) == set()
    r = _post(client, "/konzept", good, token=tokens[1]["sprockhoevel"])
    assert r.status_code == 200 and "Das Konzept ist gespeichert" in r.text
    assert len(_graph(client)) > 50
    # the result page leads to the comparison of the concept's versions, for its town
    link = re.search(r'href="(/aenderungen/konzept\?[^"]+)"', r.text)
    assert link and "gebiet=sprockhoevel" in link.group(1) and "konzept=sprockhoevel-2026" in link.group(1)
    versions = client.get(html.unescape(link.group(1)))
    assert versions.status_code == 200 and 'value="sprockhoevel-2026" selected' in versions.text
    assert '<a href="/?gebiet=sprockhoevel">Übersicht für Sprockhövel im Cockpit</a>' in r.text
    # the endpoint answers with it
    q = ("SELECT ?z WHERE { ?z <http://www.w3.org/2004/02/skos/core#inScheme> "
         "<https://w3id.org/inko/id/konzept/sprockhoevel-2026> }")
    a = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert a.status_code == 200 and len(a.json()["results"]["bindings"]) == 5
    # and the cockpit shows the new town's goals
    page = client.get("/ziele", params={"gebiet": "sprockhoevel"})
    assert page.status_code == 200 and "Jede Kita bietet alltagsintegrierte Sprachförderung an." in page.text


def test_every_template_the_cockpit_hands_out_is_a_workbook_of_its_format(client):
    import zipfile

    for path in ("/raster/vorlage.xlsx", "/raster/vorlage.ods", "/konzept/vorlage.xlsx", "/konzept/vorlage.ods"):
        r = client.get(path, params={"stadt": "Hattingen", "gebiet": "Hattingen"})
        assert r.status_code == 200, path
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            if path.endswith(".ods"):
                assert z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet", path
                assert b"content-validation" in z.read("content.xml"), path   # the choice lists
                assert r.headers["content-type"].startswith("application/vnd.oasis.opendocument.spreadsheet")
            else:
                assert "xl/workbook.xml" in z.namelist(), path
                assert any(b"dataValidation" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
        assert r.headers["content-disposition"].endswith(path.rsplit(".", 1)[1] + '"')
    # a town's name with an umlaut spelt as in its address (Sprockhövel -> sprockhoevel)
    for path in ("/raster/vorlage.xlsx", "/konzept/vorlage.xlsx"):
        r = client.get(path, params={"stadt": "Sprockhövel", "gebiet": "Sprockhövel"})
        assert r.status_code == 200 and '-sprockhoevel.xlsx"' in r.headers["content-disposition"], path


def test_a_concept_in_the_graph_downloads_as_its_workbook_and_the_page_remembers_the_town(client):
    r = client.get("/konzept/export.xlsx", params={"gebiet": "Hattingen"})
    assert r.status_code == 200 and 'konzept-hattingen-stand.xlsx"' in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    titles = {row[0].value: row[1].value for row in wb["Konzept"].iter_rows(min_row=2)}
    assert titles["Gebiet"] == "Hattingen" and wb["Ziele"].max_row > 5
    nothing = client.get("/konzept/export.xlsx", params={"gebiet": "Breckerfeld"})
    assert nothing.status_code == 400 and "Breckerfeld" in nothing.text and "leeren Vorlage" in nothing.text
    assert "inko-graph" not in nothing.text and "Traceback" not in nothing.text
    form = client.get("/konzept", params={"gebiet": "hattingen"}).text   # the cockpit's choice (URL or cookie)
    assert "<option selected>Hattingen</option>" in form and 'action="/konzept/export.xlsx"' in form


def test_refusals_name_the_towns_by_their_names_not_their_web_addresses(client, tokens, good, store, settings):
    # a key for another town: refused before the file, on the page and in the JSON
    r = _post(client, "/api/konzept", b"kein Inhalt", token=tokens[1]["hattingen"])
    assert r.status_code == 403
    assert r.json()["meldung"] == ("Der Zugangsschlüssel gilt nur für das Gebiet „Hattingen“, "
                                   "nicht für das Gebiet „Sprockhövel“.")
    page = _post(client, "/konzept", b"kein Inhalt", token=tokens[1]["hattingen"])
    assert page.status_code == 403
    text = html.unescape(page.text)
    assert "das Gebiet „Hattingen“" in text and "https://" not in text.split("<main", 1)[1].split("</main>", 1)[0]
    # the workbook names another town than the key
    other = to_bytes(fill(template(store, settings), konzept={"Titel": "X", "Gebiet": "Hattingen", "Jahr": 2026}))
    r = _post(client, "/api/konzept", other, token=tokens[1]["sprockhoevel"])
    messages = [f["meldung"] for f in r.json()["fehler"]]
    assert any(m.startswith("Der Zugangsschlüssel gilt für „Sprockhövel“, das Konzept ist für „Hattingen“") for m in messages)
    assert not any("<https://" in m for m in messages)
    page = _post(client, "/konzept", other, token=tokens[1]["sprockhoevel"])
    main = html.unescape(page.text.split("<main", 1)[1].split("</main>", 1)[0])
    assert "gilt für „Sprockhövel“" in main and "<https://" not in main and "&lt;https://" not in page.text


def test_the_form_lists_the_kreis_and_its_towns_by_name_not_districts_or_the_land(client):
    form = client.get("/konzept").text
    select = re.search(r'<select id="gebiet".*?</select>', form, re.S).group(0)
    names = [html.unescape(n) for n in re.findall(r"<option(?: selected)?>([^<]*)</option>", select)]
    q = ("SELECT ?name WHERE { ?t <https://w3id.org/inko/def#liegtIn> <https://w3id.org/inko/id/gebiet/ennepe-ruhr-kreis> ;"
         " <http://www.w3.org/2004/02/skos/core#prefLabel> ?name FILTER(lang(?name) = 'de') }")
    towns = {r["name"].value for r in client.app_store.query(q)}
    assert len(towns) >= 9 and towns <= set(names)
    assert names[0] == "Ennepe-Ruhr-Kreis" and "Ratingen" in names   # the Kreis first; a town with a concept
    assert "Nordrhein-Westfalen" not in names and "NRW" not in select
    assert not any("Hattingen-Mitte" in n for n in names)             # a town's districts have no concept
    assert len(names) == len(set(names))
    # the export offers the towns whose concept is in the graph (for the others it could only refuse)
    export = re.search(r'<select id="export-gebiet".*?</select>', form, re.S).group(0)
    offered = [html.unescape(n) for n in re.findall(r"<option(?: selected)?>([^<]*)</option>", export)]
    assert {"Ennepe-Ruhr-Kreis", "Hattingen", "Ratingen"} <= set(offered) and "Breckerfeld" not in offered
    for name in offered:
        assert client.get("/konzept/export.xlsx", params={"gebiet": name}).status_code == 200, name
