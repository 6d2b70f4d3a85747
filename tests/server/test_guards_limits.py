"""The query guards of inko_graph/server/limits.py called directly, each layer on its own.

The endpoint refuses remote access if either the parse or the tokenizer sees it (defence in
depth), so the end-to-end tests cannot tell when one layer alone is broken. Here the tokenizer
(``_scan``, ``_unescape``), the depth count and the size limit are held to their edges, and the
public checks to their verdicts, the cache of verdicts included.
"""

from __future__ import annotations

import pytest

from inko_graph.errors import QueryError, QueryRefused, TooLarge
from inko_graph.server import limits
from inko_graph.server.limits import MAX_DEPTH, check_depth, check_size, inspect_query, inspect_update


# -- the tokenizer ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, remote", [
    ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    ("select * { service <http://x/> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * {}SERVICE<http://x/>{}", "SERVICE"),
    ("SELECT * { SERVICE:x }", "SERVICE"),                     # a prefixed name a parser may read as the keyword
    ("SELECT * { SERVICE SILENT ?g { ?s ?p ?o } }", "SERVICE"),
    ("LOAD <http://x/data.ttl>", "LOAD"),
    ("load<http://x/>", "LOAD"),
    ("SELECT * { ?s ?p 'x' } # SERVICE\nLOAD <http://x/>", "LOAD"),   # the first remote keyword outside a comment
])
def test_scan_sees_remote_keywords(text, remote):
    assert limits._scan(text).remote == remote


@pytest.mark.parametrize("text", [
    "SELECT * { ?s ?p 'SERVICE <http://x/>' }",
    'SELECT * { ?s ?p """LOAD <http://x/>""" }',
    "SELECT * { ?s ?p ?o } # SERVICE <http://x/>",
    "SELECT * { <http://x/SERVICE> ?p ?o }",
    "SELECT ?service { ?service ?p $load }",
    "SELECT * { ?s ?p 'x'@service }",
    "PREFIX ex: <http://x/> SELECT * { ex:SERVICE ?p ?o }",
])
def test_scan_skips_what_cannot_be_a_keyword(text):
    assert limits._scan(text).remote is None


@pytest.mark.parametrize("text, form", [
    ("SELECT * {}", "SELECT"), ("construct {} where {}", "CONSTRUCT"), ("ASK {}", "ASK"),
    ("DESCRIBE <http://x/>", "DESCRIBE"), ("PREFIX a: <http://x/> BASE <http://y/> SELECT * {}", "SELECT"),
    ("INSERT DATA { <a> <b> <c> }", "UPDATE"), ("DROP ALL", "UPDATE"), ("WITH <g> DELETE {} WHERE {}", "UPDATE"),
    ("FOO BAR", None), ("", None), ("# nur ein Kommentar", None),
])
def test_scan_tells_the_form(text, form):
    assert limits._scan(text).form == form


def test_scan_sees_a_dataset_clause():
    assert limits._scan("SELECT * FROM <http://x/> { ?s ?p ?o }").has_dataset
    assert limits._scan("SELECT * from named <http://x/> { }").has_dataset
    assert not limits._scan("SELECT * { ?s <http://x/from> 'FROM' }").has_dataset


@pytest.mark.parametrize("text, plain", [
    (r"\u0053ERVICE", "SERVICE"), (r"\U00000053ERVICE", "SERVICE"), (r"\u006c\u006F\u0061\u0064", "load"),
    (r"\uD800x", r"\uD800x"),            # a lone surrogate stays as written
    (r"\UFFFFFFFF", r"\UFFFFFFFF"),      # beyond Unicode stays as written
    (r"\U0010FFFF", "\U0010FFFF"), (r"\uE000", "\ue000"), (r"\uDFFF", r"\uDFFF"),
    ("kein Escape", "kein Escape"),
])
def test_unescape(text, plain):
    assert limits._unescape(text) == plain


def test_scan_both_reads_escaped_keywords():
    raw, unescaped = limits._scan_both(r"SELECT * { \u0053ERVICE <http://x/> {} }")
    assert raw.remote is None and unescaped.remote == "SERVICE"
    raw, unescaped = limits._scan_both(r"SELECT * { \U00000053ERVICE <http://x/> {} }")
    assert unescaped.remote == "SERVICE"
    plain = "SELECT * {}"
    raw, unescaped = limits._scan_both(plain)
    assert raw is unescaped  # nothing to resolve, scanned once


# -- nesting depth ---------------------------------------------------------------------------------

def nested(n: int, open_="(", close=")") -> str:
    return "SELECT * { FILTER " + open_ * n + "1" + close * n + " }"


def test_depth_counts_the_deepest_nesting():
    assert limits._depth("") == 0
    assert limits._depth("{ ( [ ] ) } ( )") == 3
    assert limits._depth("{}{}{}") == 1
    # Closing brackets first do not hide the opening ones after them.
    assert limits._depth(")))" + "(((") == 3
    # Brackets in strings, comments and IRIs are no nesting.
    assert limits._depth("'((((' # ((((\n <http://x/((((>") == 0


def test_depth_limit_edge():
    inner = MAX_DEPTH - 1  # the braces of the query are one level
    check_depth(nested(inner))
    with pytest.raises(QueryError) as e:
        check_depth(nested(inner + 1))
    assert f"{MAX_DEPTH + 1} Klammerebenen, erlaubt sind höchstens {MAX_DEPTH}" in str(e.value)
    check_depth("((((", limit=4)
    with pytest.raises(QueryError):
        check_depth("(((((", limit=4)


def test_depth_of_escaped_brackets_counts_too():
    text = "SELECT * { FILTER " + r"\u0028" * 80 + " }"
    with pytest.raises(QueryError):
        check_depth(text)
    with pytest.raises(QueryError):
        check_depth(r"\U00000028" * 80)


def test_deep_nesting_is_refused_before_the_parser():
    with pytest.raises(QueryError) as e:
        inspect_query(nested(5000))
    assert "zu tief verschachtelt" in str(e.value)


# -- size ------------------------------------------------------------------------------------------

def test_size_limit_counts_utf8_bytes_at_the_edge():
    check_size("a" * 10, 10)
    with pytest.raises(TooLarge) as e:
        check_size("a" * 11, 10)
    assert "11 Bytes" in str(e.value) and "höchstens 10 Bytes" in str(e.value)
    with pytest.raises(TooLarge):
        check_size("ä" * 6, 11)  # 12 bytes, 6 characters


# -- the verdicts ----------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def fresh_verdicts():
    limits.VERDICTS.clear()
    yield
    limits.VERDICTS.clear()


@pytest.mark.parametrize("text", [
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    r"SELECT * { \u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { ?s ?p ?o . SERVICE ?g { ?s ?p ?o } }",
])
def test_query_with_remote_access_is_refused_every_time(text):
    for _ in range(2):  # the second answer comes from the cache of verdicts
        with pytest.raises(QueryRefused) as e:
            inspect_query(text)
        assert "SERVICE ist auf diesem Server gesperrt" in str(e.value)


@pytest.mark.parametrize("text", ["INSERT DATA { <http://a/> <http://b/> <http://c/> }", "DROP ALL", "CLEAR DEFAULT"])
def test_update_on_the_query_endpoint_is_refused(text):
    for _ in range(2):
        with pytest.raises(QueryRefused) as e:
            inspect_query(text)
        assert "nur zum Lesen" in str(e.value)


def test_syntax_error_is_a_query_error_every_time():
    for _ in range(2):
        with pytest.raises(QueryError) as e:
            inspect_query("SELECT * WHERE { ?s ?p }")
        assert not isinstance(e.value, QueryRefused)


def test_good_query_gives_its_form_and_dataset():
    info = inspect_query("SELECT * { ?s ?p ?o }")
    assert (info.form, info.has_dataset, info.remote) == ("SELECT", False, None)
    assert inspect_query("SELECT * { ?s ?p ?o }") == info  # from the cache, equal
    info = inspect_query("CONSTRUCT { ?s ?p ?o } FROM <http://x/> WHERE { ?s ?p ?o }")
    assert (info.form, info.has_dataset) == ("CONSTRUCT", True)
    assert inspect_query("ASK {}").form == "ASK"


@pytest.mark.parametrize("text, message", [
    ("LOAD <http://127.0.0.1:9/x.ttl>", "LOAD ist auf diesem Server gesperrt"),
    ("LOAD <http://127.0.0.1:9/x.ttl> INTO GRAPH <http://g/>", "LOAD ist auf diesem Server gesperrt"),
    ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE ist auf diesem Server gesperrt"),
])
def test_update_with_remote_access_is_refused(text, message):
    for _ in range(2):
        with pytest.raises(QueryRefused) as e:
            inspect_update(text)
        assert message in str(e.value)


def test_update_route_takes_no_query_and_no_broken_update():
    with pytest.raises(QueryError) as e:
        inspect_update("SELECT * { ?s ?p ?o }")
    assert "keine Änderung" in str(e.value) and not isinstance(e.value, QueryRefused)
    with pytest.raises(QueryError):
        inspect_update("INSERT DATA { <http://a/> <http://b/> }")
    assert inspect_update("INSERT DATA { <http://a/> <http://b/> <http://c/> }") is None


def test_verdicts_keep_the_latest_and_forget_the_oldest():
    v = limits._Verdicts(size=2)
    v.put("a", 1)
    v.put("b", 2)
    assert v.get("a") == 1          # "a" is now the latest used
    v.put("c", 3)                   # so "b" goes
    assert (v.get("a"), v.get("b"), v.get("c")) == (1, None, 3)
    v.put("a", 4)
    assert v.get("a") == 4
    v.clear()
    assert v.get("a") is None and v.get("c") is None


def test_verdict_key_tells_kind_and_text_apart():
    assert limits._key("q", "x") == limits._key("q", "x")
    assert limits._key("q", "x") != limits._key("u", "x")
    assert limits._key("q", "x") != limits._key("q", "y")
    assert limits._key("q", "\ud800")  # a lone surrogate is hashed, not an error


def test_replay_repeats_the_refusal():
    info = limits.QueryInfo("SELECT", False, None)
    assert limits._replay(info) is info
    with pytest.raises(QueryRefused) as e:
        limits._replay((QueryRefused, "nein"))
    assert str(e.value) == "nein"


# -- each layer alone ------------------------------------------------------------------------------

def test_escaped_load_is_refused_by_the_tokenizer_alone():
    # The grammar cannot read the escaped keyword; only the tokenizer's second reading sees it.
    for text in (r"\u004cOAD <http://127.0.0.1:9/x.ttl>", r"\U0000004COAD <http://127.0.0.1:9/x.ttl>"):
        with pytest.raises(QueryRefused) as e:
            limits._inspect_update(text)
        assert "LOAD ist auf diesem Server gesperrt" in str(e.value)


def test_plain_load_is_refused_by_the_tokenizer_alone(monkeypatch):
    from inko_graph.server import query_parse

    monkeypatch.setattr(query_parse, "parse", lambda text, kind="query", timeout=None: query_parse.Parsed("update"))
    with pytest.raises(QueryRefused) as e:
        limits._inspect_update("LOAD <http://127.0.0.1:9/x.ttl>")
    assert "LOAD ist auf diesem Server gesperrt" in str(e.value)
    with pytest.raises(QueryRefused) as e:
        limits._inspect_query("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert "SERVICE ist auf diesem Server gesperrt" in str(e.value)


@pytest.fixture()
def tokenizer_blind(monkeypatch):
    """The tokenizer sees nothing: what is refused now, the parse refused."""
    nothing = limits.QueryInfo(None, False, None)
    monkeypatch.setattr(limits, "_scan_both", lambda text: (nothing, nothing))


def test_parse_alone_refuses_remote_access(tokenizer_blind):
    with pytest.raises(QueryRefused) as e:
        limits._inspect_update("LOAD <http://127.0.0.1:9/x.ttl>")
    assert str(e.value) == limits._REMOTE_MESSAGE["LOAD"]
    with pytest.raises(QueryRefused) as e:
        limits._inspect_update("INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert str(e.value) == limits._REMOTE_MESSAGE["SERVICE"]
    with pytest.raises(QueryRefused) as e:
        limits._inspect_query("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert str(e.value) == limits._REMOTE_MESSAGE["SERVICE"]
    with pytest.raises(QueryRefused) as e:
        limits._inspect_query("INSERT DATA { <http://a/> <http://b/> <http://c/> }")
    assert "nur zum Lesen" in str(e.value)


def test_parse_alone_names_the_syntax_error(tokenizer_blind):
    for check in (limits._inspect_query, limits._inspect_update):
        with pytest.raises(QueryError) as e:
            check("SELECT * WHERE { ?s ?p }" if check is limits._inspect_query else "INSERT DATA { <http://a/> }")
        assert type(e.value) is QueryError and str(e.value) not in ("", "None")


@pytest.mark.parametrize("flags, expected", [({"busy": True}, "_Busy"), ({"too_slow": True}, "_TooSlow"),
                                             ({}, "QueryError")])
def test_a_parse_that_gave_up_says_why_and_is_not_kept(monkeypatch, flags, expected):
    from inko_graph.server import query_parse

    gave_up = query_parse.Parsed(None, error="Grund", **flags)
    monkeypatch.setattr(query_parse, "parse", lambda text, kind="query", timeout=None: gave_up)
    for kind, check in (("q", inspect_query), ("u", inspect_update)):
        text = "SELECT * { ?s ?p ?o }" if kind == "q" else "INSERT DATA { <http://a/> <http://b/> <http://c/> }"
        with pytest.raises(QueryError) as e:
            check(text)
        assert type(e.value).__name__ == expected and str(e.value) == "Grund"
        kept = limits.VERDICTS.get(limits._key(kind, text))
        assert (kept is None) == (expected != "QueryError")


def test_update_verdict_is_the_update_form():
    assert limits._inspect_update("INSERT DATA { <http://a/> <http://b/> <http://c/> }") == \
        limits.QueryInfo("UPDATE", False, None)


def test_update_verdicts_are_kept_and_replayed():
    text = "INSERT DATA { <http://a/> <http://b/> <http://c/> }"
    inspect_update(text)
    assert limits.VERDICTS.get(limits._key("u", text)) == limits.QueryInfo("UPDATE", False, None)
    assert limits.VERDICTS.get(limits._key("q", text)) is None
    # A kept verdict is what the next call answers, without a new parse.
    limits.VERDICTS.put(limits._key("u", text), (QueryRefused, "aus dem Gedächtnis"))
    with pytest.raises(QueryRefused) as e:
        inspect_update(text)
    assert str(e.value) == "aus dem Gedächtnis"
    limits.VERDICTS.put(limits._key("q", "SELECT * {}"), (QueryRefused, "auch hier"))
    with pytest.raises(QueryRefused):
        inspect_query("SELECT * {}")


def test_unescape_stops_at_the_end_of_unicode():
    assert limits._unescape(r"\U00110000") == r"\U00110000"
    assert limits._unescape(r"\U0010FFFF") == "\U0010FFFF"


def test_kept_verdicts_are_bounded():
    assert limits._Verdicts().size == 4096
    assert limits.VERDICTS.size == 4096


def test_scan_form_is_decided_by_the_first_word():
    assert limits._scan("FOO SELECT * {}").form is None
    assert limits._scan("PREFIX a: <http://x/> FOO SELECT * {}").form is None


def test_verdicts_are_kept_under_their_kind():
    refused = "SELECT * { SERVICE <http://127.0.0.1:9/> {} }"
    with pytest.raises(QueryRefused) as e:
        inspect_query(refused)
    assert limits.VERDICTS.get(limits._key("q", refused)) == (QueryRefused, str(e.value))
    good = "SELECT * { ?s ?p ?o }"
    info = inspect_query(good)
    assert limits.VERDICTS.get(limits._key("q", good)) == info
    assert limits.VERDICTS.get(limits._key("u", good)) is None
    assert len(limits._key("q", good)[1]) == 20
