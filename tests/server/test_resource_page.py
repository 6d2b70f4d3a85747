"""The resource pages' main view in the field's words (inko_graph/server/resource_page.py): kinds,
sources by their title, headings such as "Dient diesem Ziel", curated links with their reason, the
cockpit's table on goal and actor pages, no identifier outside the folded part "Für Datennutzer";
and the page's data as JSON-LD that cannot break out of its element."""

from __future__ import annotations

import html
import re
from pathlib import Path

import httpx
import pytest
import rdflib

from live_server import start_server

BASE = "https://w3id.org/inko/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def server(store):
    srv = start_server(store)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def data(server):
    return server.app.state.store


def _parse(r, fmt):
    return rdflib.Graph().parse(data=r.content, format=fmt)


def _main_and_technical(page: str) -> tuple[str, str]:
    """The main view (the article without the folded part) and the part for data users."""
    article = page[page.index('<article class="ressource">'):page.index("</article>")]
    start = article.index('<details class="datennutzer"')
    main, technical = article[:start], article[start:]
    return main, technical


_TECHNICAL = re.compile(r"https?://|w3id|kuratierung/|quelle-0\d\d|\b(org|cv|skos|inko|rdf|owl|dcterms):[A-Za-z]"
                        r"|Graph ·|belegt ·|kuratiert · |[0-9a-f]{16}")


def _visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_goal_page_speaks_the_field_s_words(http):
    r = http.get("/id/hattingen/leitziel/5", headers={"Accept": BROWSER})
    main, technical = _main_and_technical(r.text)
    text = " ".join(_visible_text(main).split())
    assert not _TECHNICAL.search(text), _TECHNICAL.search(text)
    assert text.startswith("Leitziel Mehrsprachigkeit")
    assert "Quelle: Integrationskonzept der Stadt Hattingen (Entwurf), Abschnitt 3.3" in text
    assert "Dient diesem Ziel" in text
    assert "Zuordnung (kuratiert): Mehrsprachigkeit wird als positive gesellschaftliche Realität konstruktiv " \
           "gestaltet. ↔ Förderung der Mehrsprachigkeit und der Interkulturalität" in text
    assert "Begründung: Leitziel 5 will" in text
    # Everything technical is one click further down.
    assert "<summary>Für Datennutzer" in technical and BASE + "id/hattingen/leitziel/5" in technical
    for suffix in (".ttl", ".jsonld", ".nt", ".rdf"):
        assert f'href="/id/hattingen/leitziel/5{suffix}"' in technical
    assert "id:kuratierung/" in technical or "kuratierung/" in technical


def _serves_rows(data, **params):
    """The cockpit's rows "Wer dient welchem Ziel" (query cockpit-wer-dient), one per goal, undertaking and actor."""
    from inko_graph.query.catalogue import Catalogue, run

    df = run(data, Catalogue(Path(__file__).parents[2] / "queries").get("cockpit-wer-dient"), params)
    return {(r["ziel"], r["vorhaben"], r["akteur"] if isinstance(r["akteur"], str) else None,
             r["rolle"] if isinstance(r["rolle"], str) else "") for r in df.to_dict("records")}


def test_goal_page_shows_who_serves_it(http, data):
    r = http.get("/id/hattingen/leitziel/5", headers={"Accept": BROWSER})
    main, _ = _main_and_technical(r.text)
    table = main[main.index('<table class="liste dient"'):main.index("</table>")]
    expected = _serves_rows(data, ziel=BASE + "id/hattingen/leitziel/5")
    assert table.count("<tr>") - 1 == len(expected) >= 8
    text = " ".join(_visible_text(table).split())
    assert "vhs Hattingen (Träger)" in text and "Erwerbsalter" in text and "kuratiert" in text
    assert "Dient diesem Ziel" in main


def test_actor_page_shows_what_it_serves(http, data):
    r = http.get("/id/akteur/vhs-hattingen", headers={"Accept": BROWSER})
    main, _ = _main_and_technical(r.text)
    table = main[main.index('<table class="liste dient"'):main.index("</table>")]
    expected = _serves_rows(data, akteur=BASE + "id/akteur/vhs-hattingen")
    assert table.count("<tr>") - 1 == len(expected) > 0
    assert "Dient diesen Zielen" in main and "Sprachförderung" in table


def test_raster_activity_names_its_submission(http):
    r = http.get("/id/raster/vhs-hattingen/2014/sprachfoerderung", headers={"Accept": BROWSER})
    main, _ = _main_and_technical(r.text)
    text = " ".join(_visible_text(main).split())
    assert "Quelle: Raster-Meldung vhs Hattingen 2014 (2014-vhs.csv, Zeile 3)" in text
    assert "Träger vhs Hattingen" in text and "Dient dem Ziel" in text
    assert not _TECHNICAL.search(text), _TECHNICAL.search(text)


def test_actor_page_lists_sub_units_and_what_it_does(http):
    r = http.get("/id/akteur/awo-ennepe-ruhr", headers={"Accept": BROWSER})
    main, _ = _main_and_technical(r.text)
    text = " ".join(_visible_text(main).split())
    assert text.startswith("Organisation AWO")
    assert "Untereinheiten" in text and "AWO Jugendmigrationsdienst" in text
    assert "Dient diesen Zielen" in text and "Mitglied in" in text
    # What its sub-units do is shown under the organisation.
    assert "Über die Untereinheit AWO Jugendmigrationsdienst" in text
    sub = text[text.index("Über die Untereinheit AWO Jugendmigrationsdienst"):]
    assert sub.count("Aktivität") >= 2
    assert not _TECHNICAL.search(text), _TECHNICAL.search(text)


def _json_ld(page: str) -> str:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert m, "kein JSON-LD in der Seite"
    return m.group(1)


def test_page_embeds_its_data_as_json_ld_and_names_every_format(http):
    r = http.get("/id/hattingen/leitziel/1", headers={"Accept": BROWSER})
    g = rdflib.Graph().parse(data=_json_ld(r.text), format="json-ld")
    ttl = _parse(http.get("/id/hattingen/leitziel/1.ttl"), "turtle")
    assert len(g) == len(ttl) and set(g) == set(ttl)
    link = r.headers["link"]
    for suffix, media in ((".ttl", "text/turtle"), (".jsonld", "application/ld+json"),
                          (".nt", "application/n-triples"), (".rdf", "application/rdf+xml")):
        assert f'</id/hattingen/leitziel/1{suffix}>; rel="alternate"; type="{media}"' in link
    assert 'type="application/rdf+xml"' in http.get("/id/hattingen/leitziel/1.ttl").headers["link"]


def test_json_ld_cannot_break_out_of_its_element(http):
    """The test data holds "</script>" in a label: in the page it stays data."""
    page = http.get("/id/test/zeichen", headers={"Accept": BROWSER}).text
    block = _json_ld(page)
    assert "</" not in block and "<" not in block
    values = {str(o) for o in rdflib.Graph().parse(data=block, format="json-ld").objects()}
    assert any("<script>alert(2)</script>" in v for v in values)
    assert page.count("<script") == page.count("</script>") == 1


def test_no_identifier_in_the_main_view_of_any_kind_of_resource(http, data):
    """Two resources of every class: the main view shows no IRI, hash, class or graph name."""
    by_kind: dict[str, list[str]] = {}
    for s in data.query("SELECT DISTINCT ?s ?t WHERE { ?s a ?t FILTER(STRSTARTS(STR(?s), 'https://w3id.org/inko/id/')) } "
                        "ORDER BY ?t ?s"):
        by_kind.setdefault(s["t"].value, []).append(s["s"].value)
    assert len(by_kind) >= 20
    checked = 0
    for kind, resources in sorted(by_kind.items()):
        for iri in (resources[0], resources[-1]):
            r = http.get(iri[len(BASE) - 1:], headers={"Accept": BROWSER})
            main, _ = _main_and_technical(r.text)
            text = " ".join(_visible_text(main).split())
            found = _TECHNICAL.search(text)
            assert found is None, (kind, iri, text[max(0, found.start() - 60):found.end() + 40])
            checked += 1
    assert checked >= 40


def test_a_curated_link_s_own_page_is_named_by_what_it_links(http, data):
    k = next(iter(data.query("SELECT ?k WHERE { ?k a inko:Kuratierung ; rdf:predicate skos:closeMatch } LIMIT 1")))["k"].value
    page = http.get(k[len(BASE) - 1:], headers={"Accept": BROWSER}).text
    main, _ = _main_and_technical(page)
    h1 = _visible_text(main[main.index("<h1>"):main.index("</h1>")]).strip()
    assert h1.startswith("Zuordnung (kuratiert): ") and " ↔ " in h1
    assert "Begründung:" in _visible_text(main) and "Im Netzwerk ansehen" not in main


def test_graph_and_ontology_pages_embed_their_description(http, data):
    g = rdflib.Graph().parse(data=_json_ld(http.get("/graph/quelle-000", headers={"Accept": BROWSER}).text),
                             format="json-ld")
    gi = rdflib.URIRef(BASE + "graph/quelle-000")
    assert int(g.value(gi, rdflib.URIRef("http://rdfs.org/ns/void#triples"))) == \
        sum(1 for _ in data.quads(BASE + "graph/quelle-000"))
    onto = rdflib.Graph().parse(data=_json_ld(http.get("/def", headers={"Accept": BROWSER}).text), format="json-ld")
    assert (rdflib.URIRef(BASE + "def#Leitziel"), rdflib.RDF.type, rdflib.OWL.Class) in onto
    assert 'type="application/rdf+xml"' in http.get("/graph/quelle-000", headers={"Accept": BROWSER}).headers["link"]


def test_graph_badges_name_each_graph_as_the_dataset_description_does(server, data, settings):
    """The badges read label and kind without counting the graphs (``lod-graphenarten``); they must
    say what ``graph_stats`` (``void-graphen``) says, for every graph and for one it does not know."""
    from types import SimpleNamespace

    from inko_graph.export.dumps import graph_stats
    from inko_graph.server.resource_page import _graph_badge, _graph_infos

    request = SimpleNamespace(app=server.app)
    infos, stats = _graph_infos(request), graph_stats(data, settings)
    iris = [g.iri for g in stats.graphs] + [BASE + "graph/gibt-es-nicht"]
    assert sum(1 for g in stats.graphs if g.kind_label) > 5 and sum(1 for g in stats.graphs if g.label) > 5
    for g in iris:
        assert _graph_badge(g, infos, BASE) == _graph_badge(g, stats, BASE), g


def _chooser(page: str) -> list[tuple[str, str]]:
    form = page.split('id="gebietswahl"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)" selected>([^<]*)</option>', form)


def test_resource_page_keeps_the_chosen_gebiet_but_shows_the_resource_whole(server):
    path = "/id/hattingen/leitziel/5"
    with httpx.Client(base_url=server.url, timeout=30) as plain:
        r = plain.get(path, headers={"accept": BROWSER})
        assert r.status_code == 200 and "inko_gebiet" not in r.cookies
        assert _chooser(r.text) == [("alle", "alle Gebiete")]
        alle = r.text
    with httpx.Client(base_url=server.url, timeout=30, cookies={"inko_gebiet": "hattingen"}) as c:
        page = c.get(path, headers={"accept": BROWSER}).text
        assert _chooser(page) == [("hattingen", "Hattingen")]
        # the menu and the way back keep the town
        assert 'href="/wer-dient?gebiet=hattingen"' in page and 'href="/monitoring?gebiet=hattingen"' in page
        assert 'href="/?gebiet=hattingen">zurück zur Übersicht für Hattingen</a>' in page
        # the resource is not filtered: the same main view as without a choice
        assert _main_and_technical(page)[0] == _main_and_technical(alle)[0]
        # the chooser submits to the page itself: another town is remembered, the resource stays
        r = c.get(path + "?gebiet=ratingen", headers={"accept": BROWSER})
        assert r.status_code == 200 and r.cookies.get("inko_gebiet") == "ratingen"
        assert _chooser(r.text) == [("ratingen", "Ratingen")]
        assert _main_and_technical(r.text)[0] == _main_and_technical(alle)[0]
        assert "Cookie" in r.headers["vary"]
        assert 'action="/id/hattingen/leitziel/5"' in r.text
