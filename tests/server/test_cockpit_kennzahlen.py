"""New indicator values uploaded in the browser (/monitoring/hochladen): the Gebiet's token first,
values only for that Gebiet, the file checked as a whole, and the line chart once two years exist."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest

from inko_graph.query.catalogue import Catalogue, run
from inko_graph.server import create_app
from inko_graph.tokens import create_token
from live_server import LiveServer, store_copy

ID = "https://w3id.org/inko/id/"
INDIKATOR = ID + "kreis/indikator/anteil-personen-mit-migrationshintergrund"
NAME = "Personen mit Migrationshintergrund, Bevölkerungsanteil in %"


@pytest.fixture(scope="module")
def env(settings, store, tmp_path_factory):
    tokens = tmp_path_factory.mktemp("tokens") / "tokens.json"
    keys = {"hattingen": create_token(tokens, None, ID + "gebiet/hattingen"),
            "ratingen": create_token(tokens, None, ID + "gebiet/ratingen"),
            "vhs": create_token(tokens, ID + "akteur/vhs-hattingen", ID + "gebiet/hattingen")}
    app = create_app(settings.with_(tokens_file=tokens), store_copy(store))
    server = LiveServer(app).start()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c, app, keys
    server.stop()


def _values(app, gebiet="hattingen"):
    df = run(app.state.store, Catalogue(app.state.settings.queries_dir).get("monitoring-zeitreihe"),
             {"indikator": INDIKATOR, "gebiet": ID + "gebiet/" + gebiet})
    return sorted(str(z) for z in df["zeitraum"])


def _post(c, token, text, gebiet="hattingen", **extra):
    data = {"gebiet": gebiet, **({"token": token} if token else {}), **extra}
    return c.post("/monitoring/hochladen", data=data, headers={"accept": "text/html"},
                  files={"datei": ("werte-2016.csv", text.encode("utf-8"), "text/csv")})


CSV = f"indikator;gebiet;zeitraum;wert;einheit;quelle\n{NAME};Hattingen;2016;24,1;Prozent;IT.NRW 2016\n"


def test_form_and_template(env):
    c, _, _ = env
    page = c.get("/monitoring/hochladen", params={"gebiet": "hattingen"}).text
    assert '<option value="hattingen" selected>' in page and 'enctype="multipart/form-data"' in page
    t = c.get("/monitoring/vorlage.csv")
    assert t.status_code == 200 and "attachment" in t.headers["content-disposition"]
    assert t.content.decode("utf-8-sig").startswith("indikator;gebiet;zeitraum;wert")
    assert 'href="/monitoring/hochladen"' in c.get("/monitoring").text


def test_refused_uploads_change_nothing(env):
    c, app, keys = env
    before = _values(app)
    r = _post(c, None, CSV)
    assert r.status_code == 401 and "nicht gespeichert" in r.text
    r = _post(c, keys["ratingen"], CSV)                 # a key for another town
    assert r.status_code == 403
    r = _post(c, keys["vhs"], CSV)                      # an actor's key is not the town's
    assert r.status_code == 403
    other = CSV.replace(";Hattingen;", ";Ratingen;")    # the right key, but a value for another town
    r = _post(c, keys["hattingen"], other)
    assert r.status_code == 403 and "Zeile 2" in r.text and "Ratingen" in r.text
    bad = CSV.replace("24,1", "viel")
    r = _post(c, keys["hattingen"], bad)
    assert r.status_code == 400 and "Zeile 2" in r.text
    assert _values(app) == before and _values(app, "ratingen") == _values(app, "ratingen")


def test_upload_then_the_line_chart(env):
    c, app, keys = env
    before = _values(app)
    r = _post(c, keys["hattingen"], CSV, probelauf="ja")
    assert r.status_code == 200 and "Probelauf" in r.text and _values(app) == before
    r = _post(c, keys["hattingen"], CSV)
    assert r.status_code == 200 and "1 Wert (2016)" in r.text and "für Hattingen gespeichert" in r.text
    assert _values(app) == sorted(before + ["2016"])
    # the result leads to who has reported for that year; Hattingen is among them now
    assert "jahr=2016#meldungen" in r.text and "Wer für 2016 Werte gemeldet hat" in r.text
    reported = c.get("/monitoring", params={"gebiet": "hattingen", "jahr": "2016"}).text.split('id="meldungen"', 1)[1]
    assert "Mit Werten für 2016 (1)" in reported and "Hattingen – 1 Wert<" in reported
    page = c.get("/monitoring/indikator", params={"iri": INDIKATOR, "gebiet": ID + "gebiet/hattingen"}).text
    assert re.search(r'<img src="/monitoring/bild/zeitreihe\.svg\?iri=' + re.escape(quote(INDIKATOR, safe="")), page)
    assert "Liniendiagramm" in page
