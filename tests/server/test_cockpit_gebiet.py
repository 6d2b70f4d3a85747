"""The cockpit for one Gebiet on the real graph: the choice (URL, cookie), what each page counts,
the Kreis view, context concepts, and the downloads of every table."""

from __future__ import annotations

import csv
import io
import re

import pytest

from inko_graph.query.catalogue import Catalogue, run
from inko_graph.server import create_app
from inko_graph.server.cockpit_export import Tabelle, _xlsx

ID = "https://w3id.org/inko/id/"
HATTINGEN = ID + "gebiet/hattingen"
STRATEGIE = ID + "konzept/strategiekonzept-hattingen-2020"
INTEGRATION = ID + "konzept/hattingen-integrationskonzept"
KREISKONZEPT = ID + "konzept/kreis-integrationskonzept"


@pytest.fixture(scope="module")
def client(real_server):
    import httpx

    with httpx.Client(base_url=real_server.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def q(settings, store):
    cat = Catalogue(settings.queries_dir)
    return lambda name, **params: run(store, cat.get(name), params)


@pytest.fixture(autouse=True)
def _fresh_cookies(client):
    client.cookies.clear()


def _main(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S).group(0)


def test_the_choice_is_kept_in_the_url_and_remembered(client):
    r = client.get("/luecken", params={"gebiet": "hattingen"})
    assert r.status_code == 200 and "inko_gebiet=hattingen" in r.headers["set-cookie"]
    assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=lax" in r.headers["set-cookie"]
    # The menu links carry the choice, so that a link can be shared.
    assert 'href="/wer-dient?gebiet=hattingen"' in r.text and '<option value="hattingen" selected>' in r.text
    # Without the parameter, the cookie decides; "alle" forgets the choice.
    assert "Gebiet: <strong>Hattingen</strong>" in client.get("/ziele").text
    r = client.get("/ziele", params={"gebiet": "alle"})
    assert "inko_gebiet=alle" in r.headers["set-cookie"] and "Alle Gebiete zusammen" in r.text
    assert "Gebiet: <strong>" not in client.get("/ziele").text
    # An unknown name is no error: the pages show all Gebiete.
    r = client.get("/ziele", params={"gebiet": "atlantis"})
    assert r.status_code == 200 and "Alle Gebiete zusammen" in r.text


def test_context_concepts_are_not_gaps(client, q):
    gaps = q("ziele-ohne-massnahme", gebiet=HATTINGEN)
    strategie = gaps[gaps["konzept"] == STRATEGIE]
    assert len(strategie) > 10          # the general town strategy has many goals no measure serves
    html = _main(client.get("/luecken", params={"gebiet": "hattingen"}).text)
    for name in strategie["zielname"]:
        assert f">{name}<" not in html
    own = gaps[gaps["konzept"] == INTEGRATION]
    assert f"{len(own['ziel'].unique())} {'Ziel' if len(own) == 1 else 'Ziele'}, denen" in html
    # On the goal page it is the frame the integration goals contribute to, with those goals.
    ziele = client.get("/ziele", params={"gebiet": "hattingen"}).text
    rahmen = ziele.split('class="rahmen"', 1)[1]
    assert "Strategiekonzept Hattingen 2020" in rahmen and "Dazu tragen bei:" in rahmen
    assert "marke-luecke" not in rahmen
    # The start page names it as context.
    assert "Rahmen: die Integrationsziele tragen dazu bei" in client.get("/", params={"gebiet": "hattingen"}).text


def test_counts_of_the_start_page_follow_the_gebiet(client, q):
    over = q("mehrere-akteure-gleiches-ziel", gebiet=HATTINGEN)
    n = int((over["konzept"] == INTEGRATION).sum())
    html = client.get("/", params={"gebiet": "hattingen"}).text
    assert f"<strong>{n} Überschneidung" in html
    ratingen = q("mehrere-akteure-gleiches-ziel", gebiet=ID + "gebiet/ratingen")
    assert f"<strong>{len(ratingen)} Überschneidung" in client.get("/", params={"gebiet": "ratingen"}).text
    assert n != len(ratingen)


def test_the_kreis_view_holds_its_concept_and_its_towns(client):
    html = client.get("/ziele", params={"gebiet": "ennepe-ruhr-kreis"}).text
    assert "Integrationskonzept des Ennepe-Ruhr-Kreises" in html and "Integrationskonzept der Stadt Hattingen" in html
    assert "Integrationskonzept für die Stadt Ratingen" not in html      # Ratingen lies in another Kreis
    kreis = client.get("/kreisziele", params={"gebiet": "ennepe-ruhr-kreis"}).text
    assert '<span class="stadt">Hattingen:</span>' in kreis


def test_kreisziele_marks_curated_links_and_counts_the_open_ones(client, q):
    every = q("cockpit-kreisziele", kreis=ID + "gebiet/ennepe-ruhr-kreis")
    served = q("cockpit-kreisziele", kreis=ID + "gebiet/ennepe-ruhr-kreis", stadt=HATTINGEN)
    n_open = len(set(every["kreisziel"]) - set(served["kreisziel"]))
    html = client.get("/kreisziele", params={"gebiet": "hattingen"}).text
    assert f"<strong>{n_open}</strong> nicht" in html
    assert f"{n_open} von {every['kreisziel'].nunique()} Kreiszielen offen" in client.get("/?gebiet=hattingen").text
    assert html.count('class="marke-kuratiert"') >= (served["belegt"] == "kuratiert").sum()
    assert "<details><summary>Begründung</summary>" in html
    # Ratingen lies in the Kreis Mettmann, whose concept is not in the graph.
    assert "kein Konzept eines Kreises" in client.get("/kreisziele", params={"gebiet": "ratingen"}).text


def test_every_table_downloads_with_the_columns_shown(client):
    import openpyxl

    for path in ("/wer-dient", "/kreisziele", "/ueberschneidungen", "/akteure", "/ziele", "/luecken", "/"):
        page = client.get(path, params={"gebiet": "hattingen"}).text
        links = re.findall(r'href="(' + re.escape(path) + r'\?[^"]*format=csv[^"]*)"', page)
        assert links, path
        r = client.get(links[0].replace("&amp;", "&"))
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert "attachment" in r.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
        x = client.get(links[0].replace("&amp;", "&").replace("format=csv", "format=xlsx"))
        ws = openpyxl.load_workbook(io.BytesIO(x.content)).active
        assert [list(map(lambda v: "" if v is None else str(v), r)) for r in ws.iter_rows(values_only=True)] == rows
        if path == "/wer-dient":
            heads = re.findall(r'<th scope="col"[^>]*>(?:<a [^>]*>)?([^<]+)', page.split('class="liste dient"')[1])
            assert rows[0] == [h.strip() for h in heads]
            assert len(rows) - 1 == int(re.search(r"(\d+) Zeilen", page).group(1))
    assert client.get("/wer-dient", params={"format": "csv", "tabelle": "gibt-es-nicht"}).status_code == 404


def test_spreadsheet_cells_are_never_formulas():
    import openpyxl

    data = _xlsx(Tabelle("t", "T", ["a"], [["=HYPERLINK(\"http://x\")"], ["+1"], ["normal"]]))
    values = [r[0] for r in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True)]
    assert values == ["'=HYPERLINK(\"http://x\")", "'+1", "normal"]


def test_start_tile_names_what_the_changes_page_compares(client, q):
    def tile(slug):
        page = client.get("/", params={"gebiet": slug}).text
        m = re.search(rf'href="/aenderungen\?gebiet={slug}"><strong>Änderungen</strong><span>([^<]+)</span>', page)
        assert m and "Vorjahr" not in m.group(1) and "Fassungen der Konzepte" in m.group(1)
        return m.group(1)

    years = sorted({int(str(y)[:4]) for y in q("raster-meldungen")["jahr"]})
    last = years[-1]   # /aenderungen compares it with the year before
    expected = f"{last} gegenüber {last - 1}" if last - 1 in years else f"Raster-Meldungen bisher nur für {last}"
    assert expected in tile("hattingen")
    assert "noch keine Raster-Meldungen" in tile("ratingen")


def test_start_page_wording_for_a_kreis_and_the_note_on_framework_concepts(client):
    kreis = client.get("/", params={"gebiet": "ennepe-ruhr-kreis"}).text
    town = client.get("/", params={"gebiet": "hattingen"}).text
    assert "Integrationskonzepte für den Ennepe-Ruhr-Kreis" in kreis and "Ziele des Kreiskonzepts (Ennepe-Ruhr-Kreis)" in kreis
    # the note on framework concepts only where the table lists one (Hattingen's Strategiekonzept 2020)
    assert "Rahmen: die Integrationsziele" in town and "Ein Rahmenkonzept" in town
    assert ("Rahmen: die Integrationsziele" in kreis) == ("Ein Rahmenkonzept" in kreis)


def test_changes_and_report_pages(client, q):
    html = client.get("/aenderungen", params={"gebiet": "hattingen"}).text
    subs = q("raster-meldungen", jahr="2014")
    row = re.search(r"<th scope=\"row\">Aktivität</th><td class=\"zahl\">(\d+)</td>", html)
    assert int(row.group(1)) == int(subs["aktivitaeten"].sum())
    assert "Für 2013 liegen keine Meldungen vor" in html
    rep = client.get("/bericht", params={"gebiet": "hattingen"})
    assert rep.status_code == 200 and 'href="/static/druck.css" media="print"' in rep.text
    assert not re.search(r"https?://w3id", _main(rep.text).replace('href="', ""))
    dl = client.get("/bericht.html", params={"gebiet": "hattingen"})
    assert "attachment" in dl.headers["content-disposition"] and dl.text.startswith("<!DOCTYPE html>")


def _synthetic_store():
    import io

    import pyoxigraph as ox

    from inko_graph.store import OxigraphStore
    from inko_graph.load.synth import generate

    buf = io.StringIO()
    generate(buf, 20_000, 9, 1)
    s = OxigraphStore.memory()
    s.load_quads(ox.parse(buf.getvalue().encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    return s


@pytest.mark.parametrize("graph", ["echt", "synthetisch"])
def test_start_page_counts_agree_with_the_kreisziele_page(settings, store, graph):
    """``summary`` counts from the lean query what ``kreisziele`` lists from the full one, for every
    Gebiet (the synthetic graph has several towns per Kreis with links of every kind)."""
    import types

    from inko_graph.server import gebiet as gb
    from inko_graph.server.cockpit_kreis import kreisziele, summary

    request = types.SimpleNamespace(app=create_app(settings, store if graph == "echt" else _synthetic_store()))
    checked = 0
    for g in gb.choices(request.app).values():
        full = kreisziele(request, g)
        counts = summary(request, g)
        if full is None:
            assert counts is None
            continue
        assert counts == {"kreis": full["kreis"].name, "gesamt": len(full["ziele"]), "bedient": full["bedient"],
                          "offen": len(full["offen"])}, g.name
        checked += 1
    assert checked >= 2  # the Kreis and Hattingen at least
