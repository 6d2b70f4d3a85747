"""The SPARQL endpoint against a running server, with real clients: SPARQLWrapper, rdflib's
SPARQLStore and plain httpx for the cases of the W3C SPARQL 1.1 Protocol tests."""

from __future__ import annotations

import json
import re
import threading
import time
from io import StringIO

import httpx
import pytest
import rdflib

from live_server import EX, start_server

SD = "http://www.w3.org/ns/sparql-service-description#"
TIMEOUT = 2.0
MAX_ROWS = 1000
MAX_BYTES = 5000


@pytest.fixture(scope="module")
def server(store):
    srv = start_server(store, query_timeout=TIMEOUT, max_result_rows=MAX_ROWS, max_query_bytes=MAX_BYTES)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def endpoint(server) -> str:
    return server.url + "/sparql"


HATTINGEN_LEITZIELE = """
SELECT ?ziel ?name WHERE {
  ?ziel a inko:Leitziel ; skos:inScheme <https://w3id.org/inko/id/konzept/hattingen-integrationskonzept> ;
        skos:prefLabel ?name .
}"""


# -- real clients ---------------------------------------------------------------------------------

def test_sparqlwrapper_json_xml_csv(server):
    from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper

    sw = SPARQLWrapper(endpoint(server))
    sw.setQuery(HATTINGEN_LEITZIELE)
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    ziele = {r["ziel"]["value"] for r in rows}
    assert {f"https://w3id.org/inko/id/hattingen/leitziel/{n}" for n in range(1, 9)} <= ziele
    # A union default graph is a set: a triple stated in two documents is one row.
    assert len(rows) == len({(r["ziel"]["value"], r["name"]["value"]) for r in rows})

    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    uris = {n.firstChild.data for n in doc.getElementsByTagName("uri")}
    assert ziele == uris

    sw.setReturnFormat(CSV)
    text = sw.query().convert().decode("utf-8")
    assert text.splitlines()[0] == "ziel,name"
    assert len(text.strip().splitlines()) == len(rows) + 1


def test_sparqlwrapper_construct(server):
    from SPARQLWrapper import TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(endpoint(server))
    sw.setQuery("CONSTRUCT { ?z a inko:Leitziel } WHERE { ?z a inko:Leitziel }")
    sw.setReturnFormat(TURTLE)
    g = rdflib.Graph().parse(data=sw.query().convert(), format="turtle")
    assert (rdflib.URIRef("https://w3id.org/inko/id/hattingen/leitziel/1"), rdflib.RDF.type,
            rdflib.URIRef("https://w3id.org/inko/def#Leitziel")) in g


def test_rdflib_sparqlstore(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = rdflib.Graph(store=SPARQLStore(endpoint(server), returnFormat="xml"))
    rows = list(g.query("SELECT ?n WHERE { <https://w3id.org/inko/id/hattingen/leitziel/1> "
                        "<http://www.w3.org/2004/02/skos/core#notation> ?n }"))
    assert [str(r[0]) for r in rows] == ["1"]
    assert g.query("ASK { ?s a <https://w3id.org/inko/def#Leitziel> }").askAnswer is True


# -- W3C SPARQL 1.1 Protocol test cases -----------------------------------------------------------

def test_query_get(http):
    r = http.get("/sparql", params={"query": "ASK {}"})
    assert r.status_code == 200 and r.json() == {"head": {}, "boolean": True}


def test_query_post_form(http):
    r = http.post("/sparql", data={"query": "ASK {}"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_query_post_direct(http):
    r = http.post("/sparql", content="ASK {}", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def _ask(http, query, params=None, method="post"):
    if method == "post":
        r = http.post("/sparql", params=params, content=query, headers={"Content-Type": "application/sparql-query"})
    else:
        r = http.get("/sparql", params=[("query", query)] + list(params or []))
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


def test_query_dataset_default_graph(http):
    params = [("default-graph-uri", EX + "data1")]
    assert _ask(http, f"ASK {{ <{EX}data1> ?p ?o }}", params) is True
    assert _ask(http, f"ASK {{ <{EX}data2> ?p ?o }}", params) is False


def test_query_dataset_default_graphs_get_and_post(http):
    params = [("default-graph-uri", EX + "data1"), ("default-graph-uri", EX + "data2")]
    q = f"ASK {{ <{EX}data1> ?p ?o1 . <{EX}data2> ?p ?o2 }}"
    assert _ask(http, q, params) is True
    assert _ask(http, q, params, method="get") is True
    assert _ask(http, f"ASK {{ <{EX}data3> ?p ?o }}", params) is False


def test_query_dataset_named_graphs(http):
    params = [("named-graph-uri", EX + "data1"), ("named-graph-uri", EX + "data2")]
    r = http.get("/sparql", params=[("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")] + params)
    assert {b["g"]["value"] for b in r.json()["results"]["bindings"]} == {EX + "data1", EX + "data2"}
    # Named graphs only: the default graph is empty.
    assert _ask(http, "ASK { ?s ?p ?o }", params) is False


def test_query_dataset_full(http):
    params = [("default-graph-uri", EX + "data3"), ("named-graph-uri", EX + "data1"),
              ("named-graph-uri", EX + "data2")]
    r = http.post("/sparql", params=params, content="SELECT ?g ?x ?s { ?x ?y ?o  GRAPH ?g { ?s ?p ?q } }",
                  headers={"Content-Type": "application/sparql-query"})
    rows = r.json()["results"]["bindings"]
    assert {b["x"]["value"] for b in rows} == {EX + "data3", EX + "c"}
    assert {b["g"]["value"] for b in rows} == {EX + "data1", EX + "data2"}


def test_query_multiple_dataset_protocol_wins(http):
    params = [("default-graph-uri", EX + "data2")]
    assert _ask(http, f"ASK FROM <{EX}data1> {{ <{EX}data1> ?p ?o }}", params) is False
    assert _ask(http, f"ASK FROM <{EX}data1> {{ <{EX}data2> ?p ?o }}", params) is True
    # Without protocol parameters the query's own FROM applies, not the union.
    assert _ask(http, f"ASK FROM <{EX}data1> {{ <{EX}data2> ?p ?o }}") is False
    assert _ask(http, f"ASK FROM <{EX}data1> {{ <{EX}data1> ?p ?o }}") is True


@pytest.mark.parametrize("accept, ctype", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    (None, "application/sparql-results+json"),
])
def test_query_content_type_select(http, accept, ctype):
    headers = {"Content-Type": "application/sparql-query"}
    if accept:
        headers["Accept"] = accept
    r = http.post("/sparql", content="SELECT (1 AS ?value) {}", headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == ctype
    assert "1" in r.text


def test_csv_and_tsv_follow_the_spec(http):
    q = 'SELECT ?a ?b ?c WHERE { BIND(<http://x/y> AS ?a) BIND("x,\\"y\\"" AS ?b) BIND("z"@de AS ?c) }'
    csv_text = http.get("/sparql", params={"query": q}, headers={"Accept": "text/csv"}).text
    assert csv_text == 'a,b,c\r\nhttp://x/y,"x,""y""",z\r\n'
    tsv_text = http.get("/sparql", params={"query": q}, headers={"Accept": "text/tab-separated-values"}).text
    assert tsv_text == '?a\t?b\t?c\n<http://x/y>\t"x,\\"y\\""\t"z"@de\n'


def test_query_content_type_ask(http):
    for accept, marker in (("application/sparql-results+json", '"boolean"'),
                           ("application/sparql-results+xml", "<boolean>true</boolean>")):
        r = http.post("/sparql", content="ASK {}", headers={"Content-Type": "application/sparql-query", "Accept": accept})
        assert r.status_code == 200 and marker in r.text
        assert r.headers["content-type"].startswith(accept)


@pytest.mark.parametrize("query", [
    "DESCRIBE <https://w3id.org/inko/id/hattingen/leitziel/1>",
    "CONSTRUCT { <https://w3id.org/inko/id/s> <https://w3id.org/inko/id/p> 1 } WHERE {}",
])
@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"), (None, "turtle"),
])
def test_query_content_type_describe_and_construct(http, query, accept, fmt):
    headers = {"Content-Type": "application/sparql-query"}
    if accept:
        headers["Accept"] = accept
    r = http.post("/sparql", content=query, headers=headers)
    assert r.status_code == 200
    if accept:
        assert r.headers["content-type"].split(";")[0] == accept
    g = rdflib.Graph().parse(data=r.text, format=fmt)
    assert len(g) >= 1


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_bad_query_method(http, method):
    r = http.request(method, "/sparql", params={"query": "ASK {}"})
    assert r.status_code == 405


def test_bad_multiple_queries(http):
    r = http.get("/sparql", params=[("query", "ASK {}"), ("query", "SELECT * {}")])
    assert r.status_code == 400 and "genau eine" in r.text
    r = http.post("/sparql", params={"query": "ASK {}"}, content="ASK {}",
                  headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400


def test_bad_query_wrong_media_type(http):
    r = http.post("/sparql", content="ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and "application/sparql-query" in r.text


def test_bad_query_missing_form_type(http):
    r = http.post("/sparql", content="query=ASK%20%7B%7D")
    assert 400 <= r.status_code < 500


def test_bad_query_missing_direct_type(http):
    r = http.post("/sparql", content="ASK {}")
    assert 400 <= r.status_code < 500


def test_bad_query_non_utf8(http):
    r = http.post("/sparql", content="ASK {}".encode("utf-16"),
                  headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert 400 <= r.status_code < 500
    r = http.post("/sparql", content=b"ASK { ?s ?p \"\xff\" }", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and "UTF-8" in r.text


def test_bad_query_syntax_names_line_and_column(http):
    r = http.get("/sparql", params={"query": "ASK {"})
    assert r.status_code == 400
    assert "Zeile 1, Spalte" in r.text
    r = http.post("/sparql", data={"query": "SELECT * WHERE {\n  ?s ?p ?o .\n  ?s ?p\n  ?o ?o ?o ?o\n}"})
    assert r.status_code == 400 and "SPARQL-Syntaxfehler" in r.text
    assert re.search(r"in Zeile 4, Spalte \d+: erwartet wird", r.text), r.text


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", params={"update": "CLEAR ALL"}),
    lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
    lambda c: c.post("/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"}),
    lambda c: c.post("/sparql", data={"query": "INSERT DATA { <http://a> <http://b> <http://c> }"}),
    lambda c: c.get("/sparql", params={"query": "DROP ALL"}),
])
def test_update_via_query_endpoint_is_refused(http, send):
    r = send(http)
    assert r.status_code == 403
    assert "nur zum Lesen" in r.text


def test_no_update_route_without_token(http):
    r = http.post("/sparql/update", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert r.status_code in (404, 405)
    # And the data are still there.
    assert _ask(http, "ASK { ?s a inko:Leitziel }") is True


# -- negotiation ----------------------------------------------------------------------------------

def test_weighted_accept(http):
    r = http.get("/sparql", params={"query": "SELECT (1 AS ?x) {}"},
                 headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    r = http.get("/sparql", params={"query": "SELECT (1 AS ?x) {}"}, headers={"Accept": "application/json"})
    assert r.json()["results"]["bindings"][0]["x"]["value"] == "1"


def test_not_acceptable_says_what_is_possible(http):
    r = http.get("/sparql", params={"query": "SELECT (1 AS ?x) {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "text/csv" in r.text and "image/png" in r.text
    r = http.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406  # no format of a boolean answer is near Turtle


def test_format_parameter_for_download_links(http):
    r = http.get("/sparql", params={"query": "SELECT (1 AS ?x) {}", "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv") and r.text == "x\r\n1\r\n"
    r = http.get("/sparql", params={"query": "SELECT (1 AS ?x) {}", "format": "gif"})
    assert r.status_code == 400


# -- service description, page, CORS --------------------------------------------------------------

def test_service_description(http):
    r = http.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace(SD)
    svc = next(g.subjects(rdflib.RDF.type, sd.Service))
    assert (svc, sd.feature, sd.UnionDefaultGraph) in g
    assert (svc, sd.supportedLanguage, sd.SPARQL11Query) in g
    names = {str(o) for o in g.objects(None, sd.name)}
    assert "https://w3id.org/inko/graph/quelle-000" in names and EX + "data1" in names
    r = http.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert len(rdflib.Graph().parse(data=r.text, format="xml")) == len(g)


def test_browser_gets_the_query_page(http):
    r = http.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and "<textarea" in r.text and 'lang="de"' in r.text
    assert "Wer dient welchem Ziel?" in r.text or "Umfang je Quellgraph und Art" in r.text
    assert "Content-Security-Policy" in r.headers


def test_browser_form_without_script_shows_a_table(http):
    r = http.get("/sparql", params={"query": HATTINGEN_LEITZIELE},
                 headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200
    assert "/id/hattingen/leitziel/1" in r.text and "<table>" in r.text


def test_cors_for_reads(http):
    r = http.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]
    r = http.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"


# -- limits ---------------------------------------------------------------------------------------

EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_expensive_query_is_stopped_and_others_are_answered_meanwhile(server, http):
    outcome = {}

    def expensive():
        with httpx.Client(base_url=server.url, timeout=30) as c:
            t0 = time.monotonic()
            r = c.get("/sparql", params={"query": EXPENSIVE})
            outcome.update(status=r.status_code, text=r.text, seconds=time.monotonic() - t0)

    t = threading.Thread(target=expensive)
    t.start()
    time.sleep(0.4)
    t0 = time.monotonic()
    # A query text not asked before, so that it is evaluated, not taken from the answer cache.
    r = http.get("/sparql", params={"query": f"ASK {{ ?s a inko:Leitziel }} # {time.time_ns()}"})
    quick = time.monotonic() - t0
    t.join(30)
    assert r.status_code == 200 and r.json()["boolean"] is True
    assert quick < 1.0, f"second request took {quick:.2f} s while the expensive one ran"
    assert outcome["status"] == 503
    assert "abgebrochen" in outcome["text"] and "INKO_QUERY_TIMEOUT" in outcome["text"]
    assert TIMEOUT <= outcome["seconds"] < TIMEOUT + 3
    # The killed worker is replaced: the server keeps answering, several at once.
    for _ in range(3):
        assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_an_answer_over_the_row_limit_is_refused_whole(http):
    # No silent partial answer: over INKO_MAX_RESULT_ROWS the client gets an error it cannot miss.
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 422 and "INKO_MAX_RESULT_ROWS" in r.text and "LIMIT" in r.text
    r = http.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 422
    r = http.get("/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}"})
    assert r.status_code == 200 and "x-inko-truncated" not in r.headers
    assert len(r.json()["results"]["bindings"]) == MAX_ROWS and r.headers["x-inko-rows"] == str(MAX_ROWS)
    r = http.get("/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS + 1}"})
    assert r.status_code == 422
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert "x-inko-truncated" not in r.headers and r.headers["x-inko-rows"] == "5"


def test_the_results_page_shows_the_first_rows_and_says_where_it_cut(http):
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["x-inko-truncated"] == str(MAX_ROWS)
    assert f"{MAX_ROWS} Zeile(n) – gekürzt auf {MAX_ROWS} Zeilen" in r.text


def test_query_size_limit(http):
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * MAX_BYTES
    assert http.post("/sparql", data={"query": big}).status_code == 413
    assert http.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"}).status_code == 413
    r = http.get("/sparql", params={"query": big})
    assert r.status_code == 413 and "INKO_MAX_QUERY_BYTES" in r.text


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { sErViCe SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
])
def test_service_is_refused(http, query):
    r = http.get("/sparql", params={"query": query})
    assert r.status_code == 403 and "SERVICE ist auf diesem Server gesperrt" in r.text


def test_load_is_refused(http):
    r = http.post("/sparql", content="LOAD <http://127.0.0.1:9/x.ttl>",
                  headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    r = http.get("/sparql", params={"query": "LOAD <http://127.0.0.1:9/x.ttl>"})
    assert r.status_code == 403 and "LOAD ist auf diesem Server gesperrt" in r.text


def test_service_in_a_comment_or_string_is_no_reason_to_refuse(http):
    r = http.get("/sparql", params={"query": 'SELECT ("SERVICE <http://x/>" AS ?t) {} # SERVICE <http://x/> {}'})
    assert r.status_code == 200
    assert json.loads(r.text)["results"]["bindings"][0]["t"]["value"] == "SERVICE <http://x/>"


def test_csv_download_is_readable_by_pandas(http):
    import pandas as pd

    r = http.get("/sparql", params={"query": HATTINGEN_LEITZIELE, "format": "csv"})
    df = pd.read_csv(StringIO(r.text))
    assert list(df.columns) == ["ziel", "name"] and len(df) >= 8


def test_repeated_queries_come_from_the_answer_cache(http):
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a inko:Leitziel }} # {time.time_ns()}"
    first = http.get("/sparql", params={"query": q})
    second = http.get("/sparql", params={"query": q})
    assert "desc=ausgewertet" in first.headers["server-timing"]
    assert "desc=zwischengespeichert" in second.headers["server-timing"]
    assert first.content == second.content
    # Another format is another answer.
    third = http.get("/sparql", params={"query": q}, headers={"Accept": "text/csv"})
    assert "desc=ausgewertet" in third.headers["server-timing"] and third.text.startswith("n\r\n")
