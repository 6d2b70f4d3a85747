"""Raster upload through the server: the German form, the JSON API, tokens, limits, the shared store."""

from __future__ import annotations

import io
import re
import time

import httpx
import openpyxl
import pytest

from inko_graph.raster.template import workbook_bytes
from inko_graph.server import create_app
from inko_graph.tokens import create_token
from live_server import LiveServer
from raster_fixtures import DATA, GOOD_ACTOR, GOOD_ROWS, H, fill_workbook, snapshot, to_bytes, world_store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GRAPH_VHS = "https://w3id.org/inko/graph/raster/vhs-hattingen/2026"


@pytest.fixture(scope="module")
def tokens_file(tmp_path_factory):
    return tmp_path_factory.mktemp("tokens") / "tokens.json"


@pytest.fixture(scope="module")
def tokens(tokens_file):
    return {"vhs": create_token(tokens_file, H + "akteur/vhs-hattingen", H + "gebiet/hattingen"),
            "buecherei": create_token(tokens_file, H + "akteur/stadtbuecherei-hattingen", H + "gebiet/hattingen"),
            "vhs-ratingen": create_token(tokens_file, H + "akteur/vhs-hattingen", H + "gebiet/ratingen"),
            "neu": create_token(tokens_file, H + "akteur/sprachpaten-hattingen", H + "gebiet/hattingen")}


@pytest.fixture(scope="module")
def app(settings, tokens_file):
    return create_app(settings.with_(tokens_file=tokens_file, max_upload_bytes=200_000), world_store())


@pytest.fixture(scope="module")
def client(app):
    server = LiveServer(app).start()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c
    server.stop()


def _template(app) -> bytes:
    return workbook_bytes(app.state.store, app.state.settings, town="Hattingen", year=2026)


def _post(client, path, token=None, name="gut.xlsx", data=None, **fields):
    data = (DATA / name).read_bytes() if data is None else data
    form = {k: v for k, v in fields.items()}
    if token is not None:
        form["token"] = token
    return client.post(path, files={"datei": (name, data, XLSX)}, data=form)


def test_form_is_german_and_has_no_inline_script(client):
    r = client.get("/raster")
    assert r.status_code == 200 and 'lang="de"' in r.text
    assert "Raster hochladen" in r.text and 'enctype="multipart/form-data"' in r.text
    assert "Zugangsschlüssel" in r.text and "höchstens 0,2 MB" in r.text
    assert "<script" not in r.text and "default-src 'self'" in r.headers["content-security-policy"]


def test_without_token(client, app):
    before = snapshot(app.state.store)
    r = _post(client, "/api/raster")
    assert r.status_code == 401 and r.json()["ok"] is False
    assert "Zugangsschlüssel" in r.json()["meldung"] and r.headers["www-authenticate"] == "Bearer"
    r = _post(client, "/api/raster", token="falsch")
    assert r.status_code == 401 and "ungültig" in r.json()["meldung"]
    assert snapshot(app.state.store) == before


def test_token_of_another_actor_or_town(client, app, tokens):
    before = snapshot(app.state.store)
    r = _post(client, "/api/raster", token=tokens["buecherei"])
    assert r.status_code == 403 and "nur seine eigene Meldung" in r.json()["meldung"]
    r = _post(client, "/api/raster", token=tokens["vhs-ratingen"])
    assert r.status_code == 403 and "gilt für" in r.json()["meldung"]
    assert snapshot(app.state.store) == before


def test_bad_file_lists_every_problem(client, app, tokens):
    before = snapshot(app.state.store)
    r = _post(client, "/api/raster", token=tokens["vhs"], name="schlecht-unbekannt.xlsx")
    assert r.status_code == 400
    body = r.json()
    assert body["ok"] is False and "3 Fehler" in body["meldung"]
    first = body["fehler"][0]
    assert (first["blatt"], first["zeile"], first["spalte"], first["wert"]) == ("Aktivitäten", 2, "Handlungsfeld",
                                                                                "Bildung und Kutlur")
    assert "Meinten Sie „Bildung und Kultur“?" in first["meldung"] and "Bildung und Kultur" in first["erlaubt"]
    assert snapshot(app.state.store) == before


def test_html_upload_shows_the_table(client, app, tokens):
    r = _post(client, "/raster", token=tokens["vhs"], name="schlecht-formel.xlsx")
    assert r.status_code == 400
    assert "Was nicht stimmt" in r.text and "Formeln sind nicht erlaubt" in r.text
    assert "=HYPERLINK(&#34;http://example.org&#34;,&#34;Klick&#34;)" in r.text or \
           "=HYPERLINK(&quot;http://example.org&quot;,&quot;Klick&quot;)" in r.text


def test_too_large(client, app, tokens):
    before = snapshot(app.state.store)
    r = _post(client, "/api/raster", token=tokens["vhs"], data=b"x" * 300_000, name="gross.csv")
    assert r.status_code == 413 and "0,2 MB" in r.json()["meldung"]
    r = _post(client, "/api/raster", token=tokens["vhs"], data=b"a;b\n" * 47_500, name="fast.csv")  # within the limit
    assert r.status_code == 400 and "keine Raster-Tabelle" in r.json()["fehler"][0]["meldung"]
    # Without a Content-Length (chunked), the body is cut off at the limit all the same.
    req = client.build_request("POST", "/api/raster", files={"datei": ("g.csv", b"x" * 300_000, "text/csv")},
                               data={"token": tokens["vhs"]})
    body = req.read()

    def chunks():
        for i in range(0, len(body), 16_384):
            yield body[i:i + 16_384]

    r = client.post("/api/raster", content=chunks(), headers={"content-type": req.headers["content-type"]})
    assert r.status_code == 413
    assert snapshot(app.state.store) == before


def test_not_a_form(client):
    r = client.post("/api/raster", content=b"abc", headers={"content-type": "text/plain"})
    assert r.status_code == 415


def test_dry_run_then_upload_then_sparql_sees_it(client, app, tokens):
    before = snapshot(app.state.store)
    r = _post(client, "/api/raster", token=tokens["vhs"], probelauf="ja")
    assert r.status_code == 200 and r.json()["probelauf"] is True
    assert snapshot(app.state.store) == before

    r = _post(client, "/api/raster", token=tokens["vhs"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] and body["graph"] == GRAPH_VHS and body["aktivitaeten"] == 3
    assert body["neue_partner"] == ["Nachbarschaftsverein Welper"]
    assert GRAPH_VHS in app.state.store.graph_names()
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?a a <https://w3id.org/inko/def#Aktivitaet> } }" % GRAPH_VHS
    deadline = time.monotonic() + 60
    while True:  # the query workers restart on the new data; until they are up the endpoint says 503
        r = client.get("/sparql", params={"query": q}, headers={"accept": "application/sparql-results+json"})
        if r.status_code != 503 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert r.status_code == 200 and r.json()["results"]["bindings"][0]["n"]["value"] == "3"

    # The form answers with a German summary; the same actor replaces its own submission.
    wb = fill_workbook(_template(app), GOOD_ACTOR, GOOD_ROWS[:1])
    r = _post(client, "/raster", token=tokens["vhs"], data=to_bytes(wb), name="neu.xlsx")
    assert r.status_code == 200 and "Die Meldung ist gespeichert." in r.text
    assert "Die frühere Meldung für 2026 (3 Aktivitäten) wurde ersetzt." in r.text


def test_new_actor_takes_the_token_iri(client, app, tokens):
    actor = dict(GOOD_ACTOR, Organisation="Sprachpaten e.V.", **{"Art des Akteurs": "Verein"})
    data = to_bytes(fill_workbook(_template(app), actor, GOOD_ROWS[:1]))
    r = _post(client, "/api/raster", token=tokens["neu"], data=data, name="paten.xlsx", jahr="2026")
    assert r.status_code == 200, r.text
    assert r.json()["akteur"] == H + "akteur/sprachpaten-hattingen"
    assert r.json()["graph"] == "https://w3id.org/inko/graph/raster/sprachpaten-hattingen/2026"


def test_bearer_header(client, tokens):
    r = client.post("/api/raster", files={"datei": ("gut.xlsx", (DATA / "gut.xlsx").read_bytes(), XLSX)},
                    data={"probelauf": "1"}, headers={"authorization": f"Bearer {tokens['vhs']}"})
    assert r.status_code == 200 and r.json()["probelauf"] is True


def test_template_download(client):
    r = client.get("/raster/vorlage.xlsx", params={"stadt": "Hattingen"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(XLSX)
    assert 'filename="raster-hattingen.xlsx"' in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "Aktivitäten" in wb.sheetnames
    r = client.get("/raster/vorlage.xlsx", params={"stadt": "Atlantis"}, headers={"accept": "text/plain"})
    assert r.status_code == 400 and re.search("Unbekanntes Gebiet", r.text)


def test_the_result_page_names_the_submission_not_its_address(client, tokens):
    r = _post(client, "/raster", token=tokens["vhs"], probelauf="ja")
    assert r.status_code == 200
    main = re.search(r"<main.*?</main>", r.text, re.S).group(0)
    assert "https://w3id.org" not in main and "Graph:" not in main
    assert "Auf den Seiten stünde als Quelle: „Raster-Meldung vhs Hattingen 2026“" in main
    assert "„Art des Akteurs“" in main and "inko:" not in main     # the rule's note in the sheet's words
    # refused for another town: named by its name
    other = _post(client, "/api/raster", token=tokens["vhs-ratingen"]).json()["meldung"]
    assert "„Ratingen“" in other and "<" not in other


def test_the_result_page_keeps_the_chosen_gebiet(client, tokens):
    def chooser(page: str) -> list:
        form = page.split('id="gebietswahl"', 1)[1].split("</select>", 1)[0]
        return re.findall(r'<option value="([^"]*)" selected>([^<]*)</option>', form)

    with httpx.Client(base_url=client.base_url, timeout=60, cookies={"inko_gebiet": "hattingen"}) as c:
        for r in (_post(c, "/raster", token=tokens["vhs"], probelauf="ja"),
                  _post(c, "/raster", token=tokens["vhs"], name="schlecht-formel.xlsx")):
            assert chooser(r.text) == [("hattingen", "Hattingen")]
            # the menu and the way back keep the town; the chooser leads to the Raster page
            assert 'href="/raster?gebiet=hattingen"' in r.text and 'href="/wer-dient?gebiet=hattingen"' in r.text
            assert '<a href="/raster?gebiet=hattingen">Zurück zum Raster</a>' in r.text
            assert 'class="gebietswahl" method="get" action="/raster"' in r.text
    with httpx.Client(base_url=client.base_url, timeout=60) as c:
        r = _post(c, "/raster", token=tokens["vhs"], probelauf="ja")
        assert chooser(r.text) == [("alle", "alle Gebiete")] and '<a href="/raster">Zurück zum Raster</a>' in r.text
