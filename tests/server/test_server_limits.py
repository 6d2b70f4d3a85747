"""The checks before a query runs: updates, SERVICE and LOAD are found however they are written."""

from __future__ import annotations

import pytest

from inko_graph.errors import QueryError, QueryRefused, TooLarge
from inko_graph.server.limits import check_size, inspect_query, inspect_update, syntax_message
from inko_graph.server.negotiation import BOOLEAN_FORMATS, GRAPH_FORMATS, RESULT_FORMATS, negotiate

# Each of these must be refused because it would make the server fetch from another host.
REMOTE = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://127.0.0.1:9/> } }",
    "SELECT * WHERE {SERVICE<http://127.0.0.1:9/>{?s ?p ?o}}",
    "SELECT * WHERE { ?s ?p ?o } #\nSERVICE <http://127.0.0.1:9/> { }",
    "SELECT * WHERE { ?s ?p \"a\" . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p '''x'\"''' . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    r"SELECT * WHERE { ?s ?p ?o . \U00000053ERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }",
    # A backslash escape in a prefixed name must not start a comment or a string in the tokenizer.
    r"PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:a\# SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    r"PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:a\' SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b 1SERVICE <http://127.0.0.1:9/> { } }",
    "SELECT * WHERE { FILTER(?a<?b) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "LOAD <http://127.0.0.1:9/daten.ttl>",
    "load silent <http://127.0.0.1:9/x> INTO GRAPH <http://example.org/g>",
]

# Harmless: the words only appear inside strings, comments, IRIs, variables or prefixed names.
HARMLESS = [
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { }",
    "SELECT * WHERE { ?s ?p \"SERVICE <http://127.0.0.1:9/> {}\" }",
    "SELECT * WHERE { ?s ?p 'LOAD <http://x>' }",
    "SELECT * WHERE { ?s ?p \"\"\"mehrzeilig\nSERVICE <x> { }\n\"\"\" }",
    "SELECT * WHERE { <http://example.org/SERVICE> ?p ?o }",
    "SELECT ?service ?load WHERE { ?service ?p ?load }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ex:load }",
    "SELECT * WHERE { ?s ?p \"x\"@de-service }",
]

UPDATES = [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ex:p ?o }",
    "# Kommentar\nCLEAR ALL",
    "DROP GRAPH <http://example.org/g>",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "BASE <http://example.org/> CREATE GRAPH <g>",
    "COPY DEFAULT TO <http://example.org/g>",
]


@pytest.mark.parametrize("query", REMOTE)
def test_remote_access_is_refused(query):
    with pytest.raises(QueryRefused) as e:
        inspect_query(query)
    assert "gesperrt" in str(e.value)


@pytest.mark.parametrize("query", HARMLESS)
def test_words_inside_strings_comments_and_names_are_harmless(query):
    info = inspect_query(query)
    assert info.form == "SELECT"


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_on_the_query_endpoint(update):
    with pytest.raises(QueryRefused) as e:
        inspect_query(update)
    assert "nur zum Lesen" in str(e.value)


def test_catalogues_are_not_empty():
    assert len(REMOTE) >= 15 and len(HARMLESS) >= 8 and len(UPDATES) >= 7


@pytest.mark.parametrize("query, form", [
    ("SELECT * {}", "SELECT"),
    ("PREFIX a: <http://a/> BASE <http://b/> ASK {}", "ASK"),
    ("# c\nconstruct where { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://a>", "DESCRIBE"),
])
def test_query_form(query, form):
    assert inspect_query(query).form == form


def test_what_cannot_be_parsed_is_refused_with_a_position():
    with pytest.raises(QueryError) as e:
        inspect_query("bogus")
    assert "Zeile 1, Spalte 1" in str(e.value)


def test_from_clause_is_seen():
    assert inspect_query("SELECT * FROM <http://g> { ?s ?p ?o }").has_dataset
    assert not inspect_query("SELECT * { ?s <http://x/from> ?o }").has_dataset


def test_update_route_refuses_load_and_service_but_takes_inserts():
    inspect_update("INSERT DATA { <http://a> <http://b> <http://c> }")
    with pytest.raises(QueryRefused):
        inspect_update("LOAD <http://127.0.0.1:9/x>")
    with pytest.raises(QueryRefused):
        inspect_update("INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryError):
        inspect_update("SELECT * {}")


def test_size_limit_counts_bytes():
    check_size("ä" * 10, 20)
    with pytest.raises(TooLarge) as e:
        check_size("ä" * 11, 20)
    assert "INKO_MAX_QUERY_BYTES" in str(e.value)


def test_syntax_message_in_german_with_position():
    msg, line, col = syntax_message("error at 3:17: expected one of ABS, AVG")
    assert (line, col) == (3, 17)
    assert msg.startswith("SPARQL-Syntaxfehler in Zeile 3, Spalte 17: erwartet wird eines von")


@pytest.mark.parametrize("accept, offers, expected", [
    (None, RESULT_FORMATS, "json"),
    ("*/*", RESULT_FORMATS, "json"),
    ("application/sparql-results+xml", RESULT_FORMATS, "xml"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", RESULT_FORMATS, "xml"),
    ("text/csv;q=0.9, application/sparql-results+xml;q=0.5", RESULT_FORMATS, "csv"),
    ("*/*;q=0.1, text/tab-separated-values", RESULT_FORMATS, "tsv"),
    ("application/json", RESULT_FORMATS, "json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", RESULT_FORMATS, "html"),
    ("application/sparql-results+json;q=0, */*", RESULT_FORMATS, "xml"),
    ("text/turtle", BOOLEAN_FORMATS, None),  # ASK has no graph form (CSV/TSV it has, as Jena and Virtuoso)
    ("image/png", RESULT_FORMATS, None),
    ("application/rdf+xml, text/turtle;q=0.5", GRAPH_FORMATS, "rdfxml"),
    ("application/n-triples", GRAPH_FORMATS, "ntriples"),
    ("text/*", GRAPH_FORMATS, "turtle"),
    ("application/ld+json;q=1.0, text/turtle;q=1.0", GRAPH_FORMATS, "turtle"),
])
def test_negotiation(accept, offers, expected):
    fmt = negotiate(accept, offers)
    assert (fmt.key if fmt else None) == expected
