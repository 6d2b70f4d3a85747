"""The protocol side of the remote store (``remote_protocol``): the form body, parameters as
VALUES, which queries get the list of named graphs, and the syntax check before sending."""

from __future__ import annotations

import random
from urllib.parse import parse_qs, urlencode

import pyoxigraph as ox
import pytest

from inko_graph.errors import QueryError
from inko_graph.namespaces import GRAPH
from inko_graph.store import remote_protocol
from inko_graph.store.remote import RemoteStore
from inko_graph.store.remote_protocol import _check_syntax, _uses_graph, form_body, with_values

EX = "http://example.org/"


# -- without a server -------------------------------------------------------------------------------

def test_form_body_is_urlencode():
    rnd = random.Random(7)
    chars = "aZ09 _.-~:/#?&=+%äöüß€😀\n\t\"'<>{}" + "".join(chr(i) for i in range(128))
    for _ in range(500):
        params = [("query", "".join(rnd.choice(chars) for _ in range(rnd.randint(0, 60)))),
                  ("named-graph-uri", GRAPH + "dokument/ä b")]
        assert form_body(params) == urlencode(params).encode("ascii")


def test_uses_graph_only_for_the_keyword():
    assert _uses_graph("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert _uses_graph("ASK { FILTER EXISTS { graph <urn:x> { ?s ?p ?o } } }")
    assert not _uses_graph('# GRAPH\nSELECT ?s WHERE { ?s <urn:GRAPH> "GRAPH" ; ex:graph ?o }')


def test_syntax_check_remembers_only_what_passed(monkeypatch):
    monkeypatch.setattr(remote_protocol, "_CHECKED", {})
    _check_syntax("SELECT * WHERE { ?s ?p ?o }", None)
    assert ("SELECT * WHERE { ?s ?p ?o }", None) in remote_protocol._CHECKED
    for _ in range(2):  # still an error the second time
        with pytest.raises(SyntaxError):
            _check_syntax("SELECT * WHERE { ?s ?p ", None)
    assert len(remote_protocol._CHECKED) == 1


def test_values_go_first_into_the_where_group():
    node = ox.NamedNode(EX + "a")
    q = with_values("SELECT ?x (COUNT(?y) AS ?n) WHERE { ?x ?p ?y } GROUP BY ?x", {"x": node})
    assert q.startswith("SELECT ?x (COUNT(?y) AS ?n) WHERE {\nVALUES (?x) { (<http://example.org/a>) }")
    q = with_values('CONSTRUCT { ?x <p:p> "{" } WHERE { ?x ?p ?o }', {"x": node})
    assert 'CONSTRUCT { ?x <p:p> "{" } WHERE {\nVALUES' in q
    q = with_values("# {\nPREFIX a: <http://a/{x}>\nASK { ?x ?p ?o FILTER EXISTS { ?x ?q ?r } }", {"x": node})
    assert q.count("VALUES") == 1 and "ASK {\nVALUES" in q
    with pytest.raises(QueryError):
        with_values("CONSTRUCT WHERE { ?x ?p ?o }", {"x": node})
    with pytest.raises(QueryError):
        with_values("SELECT * WHERE { ?x ?p ?o }", {"x": ox.BlankNode()})


# -- on each server ---------------------------------------------------------------------------------

def test_first_request_of_a_store_without_graph(running, remote):
    """The kind of server (Virtuoso or not) is read from the first answer, also when the first
    query needs no list of graphs."""
    fresh = RemoteStore(running.server)
    assert bool(fresh.query("ASK { ?s a org:Organization }"))
    assert fresh._virtuoso == (running.name == "virtuoso")


def test_named_graphs_go_only_with_queries_that_name_graphs(remote, store):
    """A query without GRAPH goes without the list of graphs (no request for it, a smaller
    request); one with GRAPH gets them and sees every graph, as on the embedded store."""
    sent: list[str] = []
    real = remote._send

    def spy(method, url, what, **kw):
        if what == "Abfrage":
            sent.append(" ".join(v for vs in parse_qs(kw["content"].decode()).values() for v in vs))
        return real(method, url, what, **kw)

    remote._send = spy
    try:
        remote._graphs = None
        rows = list(remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a org:Organization }"))
        assert remote._graphs is None and "named-graph-uri" not in sent[-1] and GRAPH + "kuratiert" not in sent[-1]
        assert rows[0]["n"] == next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a org:Organization }")))["n"]
        q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert sorted(r["g"].value for r in remote.query(q)) == store.graph_names()
        assert GRAPH + "kuratiert" in sent[-1]
    finally:
        remote._send = real
