"""Linked data on a running server: resource pages, content negotiation, the ontology, named graphs,
VoID/DCAT, dumps, and the Graph Store Protocol (read-only, and with a write token)."""

from __future__ import annotations

import html
import re

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from live_server import EX, start_server

BASE = "https://w3id.org/inko/"
LEITZIEL = BASE + "id/hattingen/leitziel/1"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
TOKEN = "test-token-0123456789"


@pytest.fixture(scope="module")
def server(protocol_server):
    return protocol_server


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def data(server):
    """The store the server reads (the real graph plus the test graphs)."""
    return server.app.state.store


def union_triples(store) -> int:
    return len({(q.subject, q.predicate, q.object) for q in store.quads()})


# -- resources ------------------------------------------------------------------------------------

def test_resource_page_in_german(http, data):
    r = http.get("/id/hattingen/leitziel/1", headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    label = next(q.object.value for q in data.inner.quads_for_pattern(
        ox.NamedNode(LEITZIEL), ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), None, None))
    assert f"<h1>{html.escape(label, quote=False)}</h1>" in page
    assert 'lang="de"' in page and "Alle Aussagen" in page
    # The source document and section, the graph that states it, the network view, other formats.
    assert "Quelle:" in page and "Abschnitt 3.3" in page
    assert 'href="/graph/quelle-000"' in page and "belegt" in page  # in the technical view
    assert "/netzwerk/ressource?iri=https%3A%2F%2Fw3id.org%2Finko%2Fid%2Fhattingen%2Fleitziel%2F1" in page
    assert 'href="/id/hattingen/leitziel/1.ttl"' in page
    # Linked values point to the local pages, incoming links are listed.
    assert 'href="/id/konzept/hattingen-integrationskonzept"' in page
    assert "Verweise auf diese Ressource" in page
    assert r.headers["vary"] == "Accept, Cookie"  # the header keeps the chosen Gebiet (cookie)


def _parse(r, fmt):
    g = rdflib.Graph()
    g.parse(data=r.content, format=fmt)
    return g


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                         ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_resource_by_accept(http, accept, fmt):
    r = http.get("/id/hattingen/leitziel/1", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == accept
    g = _parse(r, fmt)
    s = rdflib.URIRef(LEITZIEL)
    assert (s, rdflib.RDF.type, rdflib.URIRef(BASE + "def#Leitziel")) in g
    assert (None, None, s) in g  # incoming links too
    assert r.headers["content-location"].startswith("/id/hattingen/leitziel/1.")


@pytest.mark.parametrize("suffix, fmt, ctype", [(".ttl", "turtle", "text/turtle"), (".jsonld", "json-ld", "application/ld+json"),
                                                (".nt", "nt", "application/n-triples")])
def test_resource_by_suffix(http, suffix, fmt, ctype):
    r = http.get("/id/hattingen/leitziel/1" + suffix, headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.headers["content-type"].startswith(ctype)
    assert (rdflib.URIRef(LEITZIEL), None, None) in _parse(r, fmt)
    assert http.get("/id/hattingen/leitziel/1.html").headers["content-type"].startswith("text/html")


def test_unknown_resource_is_a_german_404(http):
    r = http.get("/id/gibt/es/nicht", headers={"Accept": BROWSER})
    assert r.status_code == 404 and "nicht bekannt" in r.text and 'lang="de"' in r.text
    r = http.get("/id/gibt/es/nicht.ttl")
    assert r.status_code == 404 and "nicht bekannt" in r.text
    r = http.get("/id/kein gültiger<Name>", headers={"Accept": BROWSER})
    assert r.status_code == 404
    r = http.get("/gibt-es-nicht", headers={"Accept": BROWSER})
    assert r.status_code == 404 and "Diese Seite gibt es nicht" in r.text


def test_text_from_the_data_is_escaped(http):
    r = http.get("/id/test/zeichen", headers={"Accept": BROWSER})
    assert r.status_code == 200
    page = r.text
    assert "<img src=x" not in page and "<script>alert(2)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    # An IRI with another scheme is shown, never linked.
    assert 'href="javascript:' not in page and "javascript:alert(3)" in page
    assert "Ein Ziel mit Ümlaut" in page


def test_ontology(http):
    r = http.get("/def", headers={"Accept": BROWSER})
    assert r.status_code == 200
    assert 'id="Leitziel"' in r.text and 'id="dient"' in r.text
    g = _parse(http.get("/def", headers={"Accept": "text/turtle"}), "turtle")
    assert (rdflib.URIRef(BASE + "def"), rdflib.RDF.type, rdflib.OWL.Ontology) in g
    assert (rdflib.URIRef(BASE + "def#Leitziel"), rdflib.RDF.type, rdflib.OWL.Class) in g
    assert len(_parse(http.get("/def.jsonld"), "json-ld")) == len(g)
    assert http.get("/def.gif").status_code == 404


def test_named_graph_pages(http, data):
    r = http.get("/graph/quelle-000", headers={"Accept": BROWSER})
    assert r.status_code == 200 and "Was diese Sammlung enthält" in r.text
    assert 'href="/id/hattingen/leitziel/1"' in r.text
    # The page describes the graph: title, source document by its title, licence, size.
    n = sum(1 for _ in data.quads(BASE + "graph/quelle-000"))
    assert "Integrationskonzept der Stadt Hattingen (Entwurf)" in r.text and "Datenlizenz Deutschland" in r.text
    assert f"{n:,}".replace(",", ".") + " Aussagen" in r.text
    # Kinds in words, not class names, outside the part for data users.
    from test_resource_page import _main_and_technical

    main, _ = _main_and_technical(r.text)
    assert "<td>Organisation</td>" in main and "org:Organization" not in main and "qb:Observation" not in main
    assert http.get("/graph/gibt-es-nicht").status_code == 404


@pytest.mark.parametrize("suffix, fmt", [(".ttl", "turtle"), (".jsonld", "json-ld"), (".rdf", "xml"), (".nt", "nt")])
def test_graph_iri_gives_its_description_with_its_content(http, data, suffix, fmt):
    g = _parse(http.get("/graph/quelle-000" + suffix), fmt)
    gi, dct = rdflib.URIRef(BASE + "graph/quelle-000"), rdflib.Namespace("http://purl.org/dc/terms/")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    content = {q for q in data.quads(BASE + "graph/quelle-000")}
    assert int(g.value(gi, void.triples)) == len(content)
    assert str(g.value(gi, dct.title)).startswith("Aussagen des Hattinger Integrationskonzepts")
    doc = g.value(gi, dct.source)
    assert doc == rdflib.URIRef(BASE + "id/quelle/000")
    assert str(g.value(doc, dct.title)) == "Integrationskonzept der Stadt Hattingen (Entwurf)"
    assert g.value(gi, dct.license) is not None
    # Every triple of the content is there too.
    sample = next(q for q in content if isinstance(q.object, ox.NamedNode))
    assert (rdflib.URIRef(sample.subject.value), rdflib.URIRef(sample.predicate.value),
            rdflib.URIRef(sample.object.value)) in g
    assert len(g) >= len(content) + 5


# -- dataset description and dumps ----------------------------------------------------------------

def test_void_and_dcat(http, data):
    r = http.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = _parse(r, "turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    DCT = rdflib.Namespace("http://purl.org/dc/terms/")
    ds = next(s for s in g.subjects(rdflib.RDF.type, VOID.Dataset) if (s, rdflib.RDF.type, DCAT.Dataset) in g)
    assert (ds, DCT.license, rdflib.URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")) in g
    assert g.value(ds, DCT.publisher) is not None
    assert (ds, VOID.sparqlEndpoint, rdflib.URIRef(BASE + "sparql")) in g
    assert int(g.value(ds, VOID.triples)) == union_triples(data)
    subsets = {str(s): int(g.value(s, VOID.triples)) for s in g.objects(ds, VOID.subset)}
    for name in data.graph_names():
        assert subsets[name] == sum(1 for _ in data.quads(name)), name
    dists = {str(d) for d in g.objects(ds, DCAT.distribution)}
    assert {BASE + f"download/inko.{k}" for k in ("ttl", "nt", "nq", "trig", "jsonld")} == dists
    nt = BASE + "download/inko.nt"  # dcat:byteSize is the size of the file /download/ serves
    assert int(g.value(rdflib.URIRef(nt), DCAT.byteSize)) == len(http.get("/download/inko.nt").content)
    g2 = _parse(http.get("/.well-known/void?profil=2.0", headers={"Accept": "text/turtle"}), "turtle")
    assert g2.value(rdflib.URIRef(nt), DCAT.byteSize).datatype == rdflib.XSD.decimal
    assert http.get("/.well-known/void?profil=9", headers={"Accept": "text/turtle"}).status_code == 400
    for d in g.objects(ds, DCAT.distribution):
        assert g.value(d, DCAT.mediaType) is not None and g.value(d, DCAT.downloadURL) == d


@pytest.mark.parametrize("name, fmt", [("inko.nq", ox.RdfFormat.N_QUADS), ("inko.trig", ox.RdfFormat.TRIG),
                                       ("inko.jsonld", ox.RdfFormat.JSON_LD)])
def test_dumps_with_named_graphs(http, data, name, fmt):
    r = http.get(f"/download/{name}")
    assert r.status_code == 200 and f'filename="{name}"' in r.headers["content-disposition"]
    quads = list(ox.parse(r.content, format=fmt))
    assert len(quads) == len(data)
    assert {q.graph_name.value for q in quads} == set(data.graph_names())


@pytest.mark.parametrize("name, fmt", [("inko.ttl", ox.RdfFormat.TURTLE), ("inko.nt", ox.RdfFormat.N_TRIPLES)])
def test_dumps_of_the_union(http, data, name, fmt):
    r = http.get(f"/download/{name}")
    assert r.status_code == 200
    assert len(set(ox.parse(r.content, format=fmt))) == union_triples(data)


def test_downloads_page_and_unknown_dump(http):
    r = http.get("/downloads", headers={"Accept": BROWSER})
    assert r.status_code == 200 and "/download/inko.trig" in r.text and "Datenlizenz Deutschland" in r.text
    assert http.get("/download/inko.xls").status_code == 404


# -- Graph Store Protocol -------------------------------------------------------------------------

def test_gsp_get_named_graph(http, data):
    iri = BASE + "graph/quelle-000"
    r = http.get("/rdf-graphs/service", params={"graph": iri}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert len(list(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))) == sum(1 for _ in data.quads(iri))
    r = http.get("/rdf-graphs/service", params={"graph": EX + "data1"})
    assert r.headers["content-type"].startswith("text/turtle")
    assert len(_parse(r, "turtle")) == 2


def test_gsp_get_default_is_the_union(http, data):
    r = http.get("/rdf-graphs/service?default", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert len(set(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))) == union_triples(data)


def test_gsp_bad_requests(http):
    assert http.get("/rdf-graphs/service").status_code == 400
    assert http.get("/rdf-graphs/service", params={"graph": BASE + "graph/gibt-es-nicht"}).status_code == 404


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_gsp_is_read_only_without_token(http, method):
    r = http.request(method, "/rdf-graphs/service", params={"graph": EX + "data1"}, content="<a:b> <a:c> <a:d> .",
                     headers={"Content-Type": "application/n-triples", "Authorization": "Bearer irgendwas"})
    assert r.status_code == 405 and "nur zum Lesen" in r.text
    assert "GET" in r.headers["allow"]
    assert http.get("/rdf-graphs/service", params={"graph": EX + "data1"}).status_code == 200


# -- writes with a token --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def writable(store):
    srv = start_server(store, write_token=TOKEN, query_workers=1)
    with httpx.Client(base_url=srv.url, timeout=30) as c:
        c._inko_app = srv.app
        yield c
    srv.stop()


def _count(c, graph):
    r = c.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_gsp_write_needs_the_right_token(writable):
    g = EX + "neu"
    body = f"<{EX}x> <{EX}p> \"1\" ."
    headers = {"Content-Type": "application/n-triples"}
    assert writable.put("/rdf-graphs/service", params={"graph": g}, content=body, headers=headers).status_code == 401
    r = writable.put("/rdf-graphs/service", params={"graph": g}, content=body,
                     headers={**headers, "Authorization": "Bearer falsch"})
    assert r.status_code == 401 and "Token" in r.text
    assert _count(writable, g) == 0


def test_gsp_put_post_delete_with_token(writable):
    g = EX + "neu"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writable.put("/rdf-graphs/service", params={"graph": g}, content=f"<{EX}x> <{EX}p> \"1\" .",
                     headers={**auth, "Content-Type": "application/n-triples"})
    assert r.status_code == 201
    # The query workers see the new graph at once.
    assert _count(writable, g) == 1
    r = writable.post("/rdf-graphs/service", params={"graph": g}, content=f"<{EX}x> <{EX}p> \"2\" .",
                      headers={**auth, "Content-Type": "text/turtle"})
    assert r.status_code == 204 and _count(writable, g) == 2
    assert writable.delete("/rdf-graphs/service", params={"graph": g}, headers=auth).status_code == 204
    assert _count(writable, g) == 0


def test_update_route_with_token(writable):
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    update = f"INSERT DATA {{ GRAPH <{EX}update> {{ <{EX}u> <{EX}p> \"neu\" }} }}"
    assert writable.post("/sparql/update", content=update,
                         headers={"Content-Type": "application/sparql-update"}).status_code == 401
    assert writable.post("/sparql/update", content=update, headers=auth).status_code == 204
    assert _count(writable, EX + "update") == 1
    r = writable.post("/sparql/update", content="LOAD <http://127.0.0.1:9/x.ttl>", headers=auth)
    assert r.status_code == 403 and "LOAD" in r.text
    # Updates still do not go through the query endpoint, token or not.
    r = writable.post("/sparql", content="CLEAR ALL", headers=auth)
    assert r.status_code == 403
    assert re.search(r"nur zum Lesen", r.text)


def test_writes_through_the_store_reach_pages_and_queries(writable):
    """Another module (e.g. a Raster upload) writes with store.replace_graphs: the next read sees it."""
    app = writable._inko_app
    iri = "https://w3id.org/inko/id/test/nachgetragen"
    assert writable.get("/id/test/nachgetragen", headers={"Accept": "text/turtle"}).status_code == 404
    q = f"ASK {{ <{iri}> ?p ?o }}"
    assert writable.get("/sparql", params={"query": q}).json()["boolean"] is False
    app.state.store.replace_graphs({EX + "nachtrag": [ox.Triple(
        ox.NamedNode(iri), ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), ox.Literal("Nachtrag", language="de"))]})
    assert writable.get("/sparql", params={"query": q}).json()["boolean"] is True
    r = writable.get("/id/test/nachgetragen", headers={"Accept": BROWSER})
    assert r.status_code == 200 and "<h1>Nachtrag</h1>" in r.text


def test_downloads_refuse_personal_data(writable):
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"}
    assert writable.get("/download/inko.nq").status_code == 200
    g = EX + "personen"
    body = f'<{EX}kontakt> <http://www.w3.org/2004/02/skos/core#note> "erika.mustermann@teststadt.de" .'
    assert writable.put("/rdf-graphs/service", params={"graph": g}, content=body, headers=auth).status_code == 201
    r = writable.get("/download/inko.nq")
    assert r.status_code == 500 and "personenbezogene Daten" in r.text and "erika.mustermann" in r.text
    assert writable.delete("/rdf-graphs/service", params={"graph": g}, headers=auth).status_code == 204
    assert writable.get("/download/inko.nq").status_code == 200
