"""Common SPARQL clients against the endpoint, as their users call them: SPARQLWrapper in every
return format it offers for SELECT, ASK, CONSTRUCT and DESCRIBE, over GET and POST; rdflib's
SPARQLStore (its count and its iteration agree); roqet (Rasqal, Debian's rasqal-utils)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
import rdflib


LEITZIEL = "https://w3id.org/inko/id/hattingen/leitziel/1"
QUERIES = {
    "SELECT": "SELECT ?s WHERE { ?s a inko:Leitziel } ORDER BY ?s LIMIT 3",
    "ASK": "ASK { ?s a inko:Leitziel }",
    "CONSTRUCT": "CONSTRUCT { ?s a inko:Leitziel } WHERE { ?s a inko:Leitziel } ORDER BY ?s LIMIT 3",
    "DESCRIBE": f"DESCRIBE <{LEITZIEL}>",
}


@pytest.fixture(scope="module")
def server(protocol_server):
    # The default limits: whole-graph answers (more rows than the worker keeps in memory) come
    # through whole, written to the spill folder and streamed from there.
    return protocol_server


def _sparqlwrapper_cases():
    from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML

    for method in ("GET", "POST"):
        for fmt in (JSON, XML, CSV, TSV):
            yield "SELECT", fmt, method
            yield "ASK", fmt, method
        for kind in ("CONSTRUCT", "DESCRIBE"):
            for fmt in (XML, RDFXML, TURTLE, N3, JSONLD):
                yield kind, fmt, method


def _graph_of(result, fmt: str) -> rdflib.Graph:
    if isinstance(result, rdflib.Graph):
        return result
    data = result.decode("utf-8") if isinstance(result, bytes) else result
    if not isinstance(data, str):
        data = json.dumps(data)
    parse_as = {"turtle": "turtle", "n3": "n3", "json-ld": "json-ld"}.get(fmt, "xml")
    return rdflib.Graph().parse(data=data, format=parse_as)


@pytest.mark.parametrize("kind,fmt,method", list(_sparqlwrapper_cases()))
def test_sparqlwrapper_every_format(server, store, kind, fmt, method):
    from SPARQLWrapper import SPARQLWrapper

    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(QUERIES[kind])
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    res = sw.query()
    assert res.response.status == 200
    out = res.convert()
    if kind == "SELECT":
        expected = [r["s"].value for r in store.query(QUERIES["SELECT"])]
        if fmt == "json":
            got = [b["s"]["value"] for b in out["results"]["bindings"]]
        elif fmt == "xml":
            got = [u.firstChild.data for u in out.getElementsByTagName("uri")]
        else:
            lines = out.decode("utf-8").strip().splitlines() if isinstance(out, bytes) else out.strip().splitlines()
            got = [line.strip().strip("<>") for line in lines[1:]]
        assert got == expected
    elif kind == "ASK":
        if fmt == "json":
            assert out["boolean"] is True
        elif fmt == "xml":
            assert out.getElementsByTagName("boolean")[0].firstChild.data == "true"
        else:
            text = out.decode("utf-8") if isinstance(out, bytes) else out
            assert text.split()[-1] == "true"
    else:
        g = _graph_of(out, fmt)
        expected = {(t.subject.value, t.predicate.value, t.object.value) for t in store.query(QUERIES[kind])}
        assert {(str(s), str(p), str(o)) for s, p, o in g} == expected and expected


def test_format_never_spoils_a_good_accept(server):
    """``format=`` with a value for another kind of result, or one the server does not know, leaves
    the decision to ``Accept`` instead of failing."""
    import httpx

    with httpx.Client(base_url=server.url, timeout=30) as http:
        r = http.get("/sparql", params={"query": QUERIES["CONSTRUCT"], "format": "csv"}, headers={"Accept": "text/turtle"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
        r = http.get("/sparql", params={"query": QUERIES["SELECT"], "format": "n3"},
                     headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3
        r = http.get("/sparql", params={"query": QUERIES["CONSTRUCT"], "format": "quatsch"}, headers={"Accept": "text/turtle"})
        assert r.status_code == 200
        # Without a usable Accept an unknown format is still reported.
        r = http.get("/sparql", params={"query": QUERIES["SELECT"], "format": "quatsch"})
        assert r.status_code == 400 and "Unbekanntes Format" in r.text
        # format=xml: SPARQL XML for a table, RDF/XML for a graph.
        r = http.get("/sparql", params={"query": QUERIES["SELECT"], "format": "xml"})
        assert r.headers["content-type"].startswith("application/sparql-results+xml")
        r = http.get("/sparql", params={"query": QUERIES["DESCRIBE"], "format": "xml"})
        assert r.headers["content-type"].startswith("application/rdf+xml")
        # Accept naming only a format of another kind: the nearest of this kind (roqet's request).
        r = http.get("/sparql", params={"query": QUERIES["DESCRIBE"]}, headers={"Accept": "application/sparql-results+xml"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/rdf+xml")
        assert len(rdflib.Graph().parse(data=r.text, format="xml")) > 0
        r = http.get("/sparql", params={"query": QUERIES["ASK"]}, headers={"Accept": "application/rdf+xml"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+xml")


def test_rdflib_sparqlstore_count_and_iteration_agree(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = rdflib.Graph(SPARQLStore(server.url + "/sparql", returnFormat="xml"))
    n = len(g)
    triples = set(g)
    assert n == len(triples)
    # Each triple once: the union of all graphs as a set, as the store holds it.
    served = server.app.state.store
    assert n == len({(q.subject, q.predicate, q.object) for q in served.quads()})
    from inko_graph.server.query_worker import SPILL_ROWS

    assert n > SPILL_ROWS  # the answer went through the spill folder, not through the reply
    ask = g.query("ASK { ?s a <https://w3id.org/inko/def#Leitziel> }")
    assert ask.askAnswer is True
    c = g.query(f"CONSTRUCT {{ <{LEITZIEL}> ?p ?o }} WHERE {{ <{LEITZIEL}> ?p ?o }}")
    assert len(c.graph) == len(list(served.query(f"SELECT * WHERE {{ <{LEITZIEL}> ?p ?o }}")))


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"])
def test_whole_graph_comes_through_a_construct(server, accept):
    import httpx

    served = server.app.state.store
    expected = {(q.subject, q.predicate, q.object) for q in served.quads()}
    r = httpx.get(server.url + "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                  headers={"Accept": accept}, timeout=60)
    assert r.status_code == 200 and "x-inko-truncated" not in r.headers
    assert int(r.headers["content-length"]) == len(r.content)
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
           "application/rdf+xml": "xml"}[accept]
    got = rdflib.Graph().parse(data=r.content, format=fmt)
    assert len(got) == len(expected) == int(r.headers["x-inko-rows"])
    # No answer file is left behind in the spill folder.
    assert os.listdir(server.app.state.spill_dir) == []


def _roqet():
    path = shutil.which("roqet")
    if path is None:
        if os.environ.get("INKO_REQUIRE_SERVERS"):
            pytest.fail("roqet fehlt (Debian-Paket rasqal-utils; .ci/run installiert es).")
        pytest.skip("roqet fehlt (Debian-Paket rasqal-utils)")
    return path


# roqet reads every answer of a remote service as SPARQL XML variable bindings: rasqal's reader
# knows no boolean result and no RDF graph, so ASK, CONSTRUCT and DESCRIBE cannot come through it
# from any endpoint. Its request for those (Accept: SPARQL XML) is answered here all the same
# (RDF/XML for a graph, see test_format_never_spoils_a_good_accept).
@pytest.mark.parametrize("kind,results", [("SELECT", "xml"), ("SELECT", "csv"), ("SELECT", "tsv")])
def test_roqet(server, store, kind, results):
    roqet = _roqet()
    query = QUERIES[kind].replace("inko:Leitziel", "<https://w3id.org/inko/def#Leitziel>")
    p = subprocess.run([roqet, "-q", "-p", server.url + "/sparql", "-e", query, "-r", results],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    if kind == "SELECT":
        expected = [r["s"].value for r in store.query(QUERIES["SELECT"])]
        if results == "xml":
            got = re.findall(r"<uri>([^<]*)</uri>", p.stdout)
        else:
            got = [line.strip().strip("<>") for line in p.stdout.strip().splitlines()[1:]]
        assert got == expected

