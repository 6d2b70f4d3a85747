"""The catalogue's pages (/abfragen): one page of rows at a time, links to the neighbours, JSON too."""

from __future__ import annotations

import httpx
import pytest

from inko_graph.query import catalogue as queries


@pytest.fixture(scope="module")
def http(protocol_server):
    with httpx.Client(base_url=protocol_server.url, timeout=60) as c:
        yield c


def _json(http, url):
    r = http.get(url, headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    return r.json()


def test_list_names_the_select_queries(http):
    names = {a["name"] for a in _json(http, "/abfragen")["abfragen"]}
    assert {"wer-dient-welchem-ziel", "konzepte", "aehnliche-massnahmen"} <= names
    assert "lod-beschreibung" not in names  # a CONSTRUCT query: no table
    page = http.get("/abfragen")
    assert page.status_code == 200 and 'href="/abfragen/wer-dient-welchem-ziel"' in page.text


def test_pages_follow_each_other_and_cover_the_answer(http, store):
    whole = queries.run(store, _cat().get("wer-dient-welchem-ziel"), {"gebiet": "g:hattingen"})
    seen, url, pages = [], "/abfragen/wer-dient-welchem-ziel?gebiet=g:hattingen&zeilen=40", 0
    while url:
        p = _json(http, url)
        assert len(p["zeilen"]) <= 40
        seen += p["zeilen"]
        pages += 1
        if pages > 1:
            assert p["zurueck"] and "seite=" in p["zurueck"]
        url = p["weiter"]
    assert pages == -(-len(whole) // 40) and pages > 1
    assert len(seen) == len(whole)
    assert sorted(map(repr, seen)) == sorted(repr([None if v != v else v for v in r])
                                             for r in whole.astype(object).itertuples(index=False, name=None))


def test_the_page_asks_for_its_rows_only(http, monkeypatch, store):
    calls = []
    real = queries.run_page

    def spy(*a, **k):
        calls.append((k["limit"], k["offset"]))
        return real(*a, **k)

    monkeypatch.setattr(queries, "run_page", spy)
    p = _json(http, "/abfragen/wer-dient-welchem-ziel?seite=3&zeilen=25&gebiet=g:hattingen")
    assert calls == [(25, 50)] and p["von"] == 51 and len(p["zeilen"]) == 25 and p["einheit"] == "Zeilen"


def test_without_parameters_a_page_holds_whole_goals(http, store):
    """The listing names its goals as the leading entity: ``zeilen`` counts goals, the page all their rows."""
    p = _json(http, "/abfragen/wer-dient-welchem-ziel?seite=3&zeilen=10")
    assert p["einheit"] == "Ziele" and (p["von"], p["bis"]) == (21, 30)
    assert len({r[p["spalten"].index("ziel")] for r in p["zeilen"]}) == 10 < len(p["zeilen"]) == p["anzahl_zeilen"]
    html = http.get("/abfragen/wer-dient-welchem-ziel?seite=3&zeilen=10").text
    assert f"Ziele 21 bis 30 ({len(p['zeilen'])} Zeilen), Seite 3." in html and "Ziele je Seite" in html


def test_html_page_links_and_escapes(http):
    r = http.get("/abfragen/konzepte?zeilen=1")
    assert r.status_code == 200
    assert 'rel="next"' in r.text and 'rel="prev"' not in r.text
    r = http.get("/abfragen/konzepte?zeilen=1&seite=2")
    assert 'rel="prev"' in r.text
    r = http.get('/abfragen/wer-dient-welchem-ziel?gebiet=<script>')
    assert r.status_code == 400 and "<script>" not in r.text


@pytest.mark.parametrize("url, status", [("/abfragen/gibt-es-nicht", 404), ("/abfragen/konzepte?seite=0", 400),
                                         ("/abfragen/konzepte?zeilen=x", 400), ("/abfragen/konzepte?unbekannt=1", 400),
                                         ("/abfragen/lod-beschreibung?ressource=id:x", 400)])
def test_bad_requests_are_said_in_german(http, url, status):
    r = http.get(url, headers={"Accept": "application/json"})
    assert r.status_code == status and "fehler" in r.json()


def _cat():
    from inko_graph.settings import PROJECT_ROOT

    return queries.Catalogue(PROJECT_ROOT / "queries")
