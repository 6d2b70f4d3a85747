"""Cockpit pages and served network views: exact answers on tests/data/views/netz.trig, and the
real graph for what holds for any faithful data."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import httpx
import pytest

from inko_graph.server import create_app
from live_server import LiveServer
from views_fixtures import (AKT1, ALTER, HF_A, HF_B, I, KA, L1, L2, LT1, M1, M2, SCHULALTER, T11, T12, X, XSS, Y,
                            fixture_store)

PAGES = ["/", "/ziele", "/luecken", "/ueberschneidungen", "/matrix", "/akteure", "/netzwerk"]


@pytest.fixture(scope="module")
def client(settings):
    server = LiveServer(create_app(settings, fixture_store())).start()
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c
    server.stop()


@pytest.fixture(scope="module")
def real_client(settings, store):
    server = LiveServer(create_app(settings, store)).start()
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c
    server.stop()


def _path(iri: str) -> str:
    return "/" + iri[len("https://w3id.org/inko/"):]


def _rows(html: str, table_class: str = "liste") -> list[str]:
    m = re.search(rf'<table class="{table_class}">(.*?)</table>', html, re.S)
    assert m, f"no table {table_class}"
    return re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S)[1:]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_german_html_and_escape_the_data(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="de">' in r.text
    assert XSS not in r.text and "<script>alert(2)" not in r.text
    # No inline script (the pages run under a strict content security policy).
    assert not re.search(r"<script>(?!\s*</script>)", r.text)


def test_overview_counts_per_source(client):
    html = client.get("/").text
    m = re.search(r'<table class="zahlen-tabelle"[^>]*>(.*?)</table>', html, re.S)
    head = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', m.group(1))
    rows = {re.sub(r"<[^>]+>", "", r.split("</th>")[0]).strip(): re.findall(r'<td class="zahl[^"]*">(.*?)</td>', r)
            for r in re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S)[1:]}
    a = dict(zip(head[1:], rows["Testkonzept A (Quelle)"]))   # the title of the source, not its graph
    assert a["Leitziele"] == "2" and a["Teilziele"] == "2" and a["Maßnahmen"] == "2" and a["Aktivitäten"] == "1"
    assert a["Organisationen"] == "4" and a["Gremien"] == "1"
    assert "3 Lücken" in html and "1 Überschneidung<" in html


def test_goal_tree(client):
    html = client.get("/ziele").text
    a = html.split('id="konzept-1"')[1].split('id="konzept-2"')[0]
    # L1 with its two sub-goals nested, then L2; counts of measures per goal.
    assert a.index("Alle lernen gemeinsam") < a.index("Sprachförderung in der Schule") < a.index("Niemand dient")
    l1 = a.split("Alle lernen gemeinsam")[1].split("Niemand dient")[0]
    assert "<ul>" in l1 and "3 mit Unterzielen" in l1
    assert re.search(r"Sprachförderung in der Schule</a>\s*<span class=\"anzahl\"[^>]*>2 Maßnahmen und Aktivitäten<", a)
    # served by an activity only: not called a measure (the goal page lists it under Aktivitäten)
    assert re.search(r"Alle lernen gemeinsam</a>\s*<span class=\"anzahl\"[^>]*>1 Maßnahme oder Aktivität<", a)
    assert f'href="{_path(L1)}"' in a and f"/netzwerk/ziel?iri={quote(L1, safe='')}" in a
    assert a.count('class="marke-luecke">Lücke') == 2          # T1-2 and L2
    assert "&lt;/script&gt;&lt;script&gt;alert(2)" in a


def test_gaps(client):
    html = client.get("/luecken").text
    assert "3 Ziele, denen" in html
    for iri in (L2, T12, LT1):
        assert f'href="{_path(iri)}"' in html
    for iri in (L1, T11):
        assert f'href="{_path(iri)}"' not in html


def test_overlaps(client):
    rows = _rows(client.get("/ueberschneidungen").text)
    assert len(rows) == 1
    row = rows[0]
    assert "Sprachförderung in der Schule" in row and "Schulalter" in row and '<td class="zahl">2</td>' in row
    for iri in (X, Y, M1, M2):
        assert f'href="{_path(iri)}"' in row


def test_matrix_cells_link_to_their_measures(client):
    html = client.get("/matrix").text
    table_a = html.split('id="matrix-1"')[1].split("</table>")[0]
    assert "Testkonzept A" in table_a
    row = re.search(r"<tr><th scope=\"row\">.*?Bildung A.*?</tr>", table_a, re.S).group(0)
    cells = re.findall(r'<td class="zahl ([a-z]+)">(.*?)</td>', row, re.S)
    # Columns: Schulalter, Alter (vocabulary order).
    assert [c[0] for c in cells] == ["voll", "voll"]
    link = re.search(r'href="([^"]+)"', cells[0][1]).group(1).replace("&amp;", "&")
    assert link == f"/massnahmen?handlungsfeld={quote(HF_A, safe='')}&lebensphase={quote(SCHULALTER, safe='')}"
    assert re.sub(r"<[^>]+>", "", cells[0][1]).strip() == "2"
    assert re.sub(r"<[^>]+>", "", cells[1][1]).strip() == "1"
    listed = client.get(link).text
    assert f'href="{_path(M1)}"' in listed and f'href="{_path(M2)}"' in listed
    assert f'href="{_path(AKT1)}"' not in listed
    assert "2 Einträge" in listed and "Bildung A" in listed


def test_measures_list_filters(client):
    html = client.get("/massnahmen", params={"lebensphase": "lp:alter"}).text
    assert f'href="{_path(AKT1)}"' in html and "1 Eintrag" in html
    assert XSS not in html and "&lt;img src=x onerror=alert(1)&gt;" in html   # partner Z of the activity
    assert client.get("/massnahmen", params={"handlungsfeld": "kein iri"}).status_code == 400


def test_actors_with_town_filter(client):
    html = client.get("/akteure").text
    rows = _rows(html)
    assert len(rows) == 4
    x = next(r for r in rows if "Verein X" in r)
    assert re.findall(r'<td class="zahl">(\d+)</td>', x) == ["1", "1"]      # one activity, one measure
    assert "Stadt A" in x and "Verein" in x
    only_b = client.get("/akteure", params={"gebiet": "https://w3id.org/inko/id/gebiet/stadt-b"}).text
    assert len(_rows(only_b)) == 1 and "&lt;img src=x" in only_b and "Akteure in Stadt B" in only_b
    # The choice (made with the IRI, as older links do) shows in the header's chooser by its name,
    # and is remembered: without the parameter the next page is for Stadt B too.
    assert '<option value="stadt-b" selected>' in only_b
    assert len(_rows(client.get("/akteure").text)) == 1
    assert len(_rows(client.get("/akteure", params={"gebiet": "alle"}).text)) == 4
    client.cookies.clear()


def test_network_page_lists_the_views(client):
    html = client.get("/netzwerk").text
    for href in ("/netzwerk/abgleich", "/netzwerk/gesamt"):
        assert f'href="{href}"' in html
    assert f'<option value="{L1}">' in html and f'<option value="{X}">' in html
    assert f'<option value="{SCHULALTER}">' in html


# -- served views --------------------------------------------------------------------------------

def _view_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="netzdaten">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


@pytest.mark.parametrize("url,count", [
    ("/netzwerk/ziel?iri=" + quote(L1, safe=""), 11),
    ("/netzwerk/akteur?iri=" + quote(X, safe="") + "&umkreis=2", 9),
    ("/netzwerk/feld?handlungsfeld=" + quote(HF_A, safe=""), 13),
    ("/netzwerk/feld?lebensphase=" + quote(SCHULALTER, safe=""), 7),
    ("/netzwerk/abgleich", 7),
    ("/netzwerk/gesamt", 18),
    ("/netzwerk/gesamt?gebiet=" + quote("https://w3id.org/inko/id/gebiet/stadt-a", safe=""), 15),
])
def test_served_views(client, url, count):
    r = client.get(url)
    assert r.status_code == 200
    html = r.text
    assert len(_view_data(html)["knoten"]) == count
    assert f'data-knoten-erwartet="{count}"' in html
    # Assets come from this server, not inlined and not from elsewhere.
    assert '<script src="/viz/vendor/vis-network/vis-network.min.js"></script>' in html
    assert not re.search(r'(src|href)="(https?:)?//', html.split("<footer")[0])
    assert XSS not in html


def test_view_assets_are_served(client):
    for path, kind in [("/viz/vendor/vis-network/vis-network.min.js", "javascript"),
                       ("/viz/vendor/vis-network/vis-network.min.css", "css"),
                       ("/viz/netzwerk.js", "javascript"), ("/viz/netzwerk.css", "css"), ("/viz/cockpit.css", "css")]:
        r = client.get(path)
        assert r.status_code == 200 and kind in r.headers["content-type"], path


def test_resource_chooses_the_view(client):
    for iri, target in [(L1, "/netzwerk/ziel?iri="), (X, "/netzwerk/akteur?iri="), (HF_B, "/netzwerk/feld?handlungsfeld="),
                        (ALTER, "/netzwerk/feld?lebensphase="), (KA, "/netzwerk/abgleich")]:
        r = client.get("/netzwerk/ressource", params={"iri": iri}, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"].startswith(target)


@pytest.mark.parametrize("url,status", [
    ("/netzwerk/ressource?iri=" + quote(I + "gibt/es/nicht", safe=""), 404),
    ("/netzwerk/ziel?iri=" + quote(X, safe=""), 404),
    ("/netzwerk/ziel", 400),
    ("/netzwerk/akteur?iri=" + quote(X, safe="") + "&umkreis=5", 400),
    ("/netzwerk/kreis", 404),
    ("/netzwerk/gesamt?max=viele", 400),
])
def test_view_errors(client, url, status):
    r = client.get(url, headers={"accept": "text/html"})
    assert r.status_code == status
    assert "Fehler" in r.text or "Nicht gefunden" in r.text or "Anfrage" in r.text


# -- the real graph ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES + ["/netzwerk/abgleich", "/netzwerk/gesamt"])
def test_real_pages(real_client, path):
    assert real_client.get(path).status_code == 200


def test_real_goal_tree_has_the_hattingen_leitziele(real_client):
    html = real_client.get("/ziele").text
    for n in range(1, 9):
        assert f'href="/id/hattingen/leitziel/{n}"' in html


def test_matrix_counts_all_lebensphasen_as_cover():
    import pandas as pd

    from inko_graph.server.cockpit import matrix

    lp = "https://w3id.org/inko/id/vokabular/lebensphase/"
    rows = [
        # concept, name, field, name, notation, phase, name, notation, count
        ("k", "Konzept K", "hf1", "Feld 1", "1", lp + "schulalter", "Schulalter", "2", 0),
        ("k", "Konzept K", "hf1", "Feld 1", "1", lp + "alle-lebensphasen", "Alle Lebensphasen", "9", 2),
        ("k", "Konzept K", "hf1", "Feld 1", "1", None, None, None, 3),
        ("k", "Konzept K", "hf2", "Feld 2", "2", lp + "schulalter", "Schulalter", "2", 1),
        ("k", "Konzept K", "hf2", "Feld 2", "2", lp + "alle-lebensphasen", "Alle Lebensphasen", "9", 0),
    ]
    df = pd.DataFrame(rows, columns=["konzept", "konzeptname", "handlungsfeld", "handlungsfeldname", "hfnotation",
                                     "lebensphase", "lebensphasename", "lpnotation", "anzahl"])
    [table] = matrix(df)
    assert [c["label"] for c in table["spalten"]] == ["Schulalter", "Alle Lebensphasen"]
    f1, f2 = table["zeilen"]
    assert f1["zellen"] == [0, 2] and f1["ohne"] == 3 and f1["alle_gedeckt"] is True
    assert f2["zellen"] == [1, 0] and f2["alle_gedeckt"] is False
    assert table["leer"] == 1          # only field 2 for all phases; field 1 is covered


def _pairs(store, sparql: str) -> dict[str, set]:
    out: dict[str, set] = {}
    for s in store.query(sparql):
        out.setdefault(s[0].value, set()).add(s[1].value)
    return out


def test_real_matrix_counts_every_measure_of_the_town_concept(store, real_client):
    """Each measure and activity of Hattingen's concept stands in the matrix: in every field of the
    concept it reaches (itself, or a goal it serves, or that goal's higher goals), or else in the
    row "ohne Handlungsfeld"; once per Lebensphase. Counted here from the single links."""
    k = "https://w3id.org/inko/id/konzept/hattingen-integrationskonzept"
    in_k = {s for s, ks in _pairs(store, "SELECT ?s ?k WHERE { ?s skos:inScheme ?k }").items() if k in ks}
    felder = {f for f in in_k if f in _pairs(store, "SELECT ?f ?t WHERE { ?f a ?t , inko:Handlungsfeld }")}
    vorhaben = set(_pairs(store, "SELECT DISTINCT ?v ?t WHERE { ?v a ?t . ?t rdfs:subClassOf* inko:Vorhaben }"))
    dient = _pairs(store, "SELECT ?v ?z WHERE { ?v inko:dient ?z }")
    hf = _pairs(store, "SELECT ?x ?f WHERE { ?x inko:handlungsfeld ?f }")
    broader = _pairs(store, "SELECT ?x ?b WHERE { ?x skos:broader ?b }")
    phasen = _pairs(store, "SELECT ?v ?p WHERE { ?v inko:lebensphase ?p }")
    names = _pairs(store, 'SELECT ?p ?n WHERE { ?p a inko:Lebensphase ; skos:prefLabel ?n FILTER(lang(?n) = "de") }')

    def above(z):
        seen, stack = {z}, [z]
        while stack:
            for b in broader.get(stack.pop(), ()):
                if b not in seen:
                    seen.add(b)
                    stack.append(b)
        return seen

    expected: dict[str, int] = {}
    mine = {v for v in vorhaben if (dient.get(v, set()) | hf.get(v, set())) & in_k}
    assert len(mine) > 40
    for v in mine:
        reached = (hf.get(v, set()) | {f for z in dient.get(v, ()) for y in above(z) for f in hf.get(y, ())}) & felder
        for p in phasen.get(v) or {""}:
            label = min(names[p]) if p else "ohne Lebensphase"
            expected[label] = expected.get(label, 0) + max(1, len(reached))

    html = real_client.get("/matrix", params={"gebiet": "hattingen"}).text
    section = next(s for s in html.split("<section")[1:] if "Integrationskonzept der Stadt Hattingen" in s)
    table = section.split("</table>")[0]
    heads = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table, re.S)]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)
    assert any("ohne Handlungsfeld" in h for h, _ in rows)
    got = {c: 0 for c in heads[1:-1]}
    for _, cells in rows:
        values = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)][:-1]
        for c, v in zip(heads[1:-1], values):
            got[c] += int(v) if v.isdigit() else 0
    assert {c: n for c, n in got.items() if n} == expected


def test_real_sources_named_as_on_the_cover(real_client):
    """The start page without a town names each source by its title and each Raster submission as
    "Raster-Meldung <actor> <year>", as the resource pages do (not "Hattinger …konzepts", not "2014")."""
    html = real_client.get("/", params={"gebiet": ""}).text
    m = re.search(r'<table class="zahlen-tabelle"[^>]*>(.*?)</table>', html, re.S)
    names = [re.sub(r"<[^>]+>", "", r.split("</th>")[0]).strip() for r in re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S)[1:]]
    assert "Integrationskonzept der Stadt Hattingen (Entwurf)" in names
    assert "Raster-Meldung vhs Hattingen 2014" in names
    assert not [n for n in names if re.fullmatch(r"\d{4}", n) or "Hattinger" in n]
