"""Query text for Virtuoso 7.2 (``remote_virtuoso``): paths with both ends free after a UNION go
to it apart from what precedes them, a parameter's VALUES also into UNION branches, each with the
same rows; the named queries' truth values typed."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from inko_graph.query.catalogue import run
from inko_graph.query.focus import focused_text
from inko_graph.raster.vocab import catalogue
from inko_graph.store.remote_protocol import with_values
from inko_graph.store.remote_virtuoso import with_isolated_paths, with_values_in_unions

WRAP = "{ SELECT * WHERE {"


def _rows(result) -> list[tuple]:
    return sorted(tuple(str(v) for v in row) for row in result)


def _aligned_undertakings(store, q, n: int = 3) -> list[str]:
    """Undertakings with goals reached through an aligned goal (the rows Virtuoso lost)."""
    df = run(store, q)
    found = list(dict.fromkeys(df.loc[df["weg"] == "abgestimmt", "vorhaben"]))
    assert len(found) >= n
    return found[:n]


# -- without a server -------------------------------------------------------------------------------

def test_hoehere_ziele_isolated_gives_the_same_rows(store, settings):
    """Both paths of hoehere-ziele after a UNION or a ``|`` path go into sub-queries; the embedded
    store answers the text so changed with the same rows, whole and for single undertakings."""
    q = catalogue(settings.queries_dir).get("hoehere-ziele")
    cases = [{}] + [{"vorhaben": ox.NamedNode(v)} for v in _aligned_undertakings(store, q)]
    for bindings in cases:
        text = focused_text(q.text, bindings)
        changed = with_isolated_paths(text)
        assert changed.count(WRAP) == 2
        expected = _rows(store.query(text, bindings))
        assert _rows(store.query(changed, bindings)) == expected and expected


EX = "PREFIX : <http://example.org/>\n"
DATA = """@prefix : <http://example.org/> .
:a :l :b . :c :r :a . :b :up :b2 . :b2 :up :b3 . :d :up :a . :a :name "A" ."""


@pytest.fixture(scope="module")
def small():
    s = ox.Store()
    s.load(DATA.encode(), ox.RdfFormat.TURTLE)
    return s


@pytest.mark.parametrize("where", [
    "{ ?x :l ?y } UNION { ?y :r ?x } ?y :up* ?z . BIND(STR(?z) AS ?t)",
    "?x :l|^:r ?y . ?y :up+ ?z . OPTIONAL { ?x :name ?n }",
    "OPTIONAL { ?x :name ?n } ?x :l|^:r ?y . ?y :up* ?z . ?z :up* ?w",
])
def test_isolated_path_keeps_the_rows(small, where):
    query = EX + f"SELECT * WHERE {{ {where} }}"
    changed = with_isolated_paths(query)
    assert WRAP in changed
    assert _rows(small.query(changed)) == _rows(small.query(query)) != []


@pytest.mark.parametrize("where", [
    "?x :l ?y . ?y :up* ?z",  # no UNION before the path
    "?y :up* ?z . { ?x :l ?y } UNION { ?y :r ?x }",  # the path first
    "{ ?x :l ?y } UNION { ?y :r ?x } FILTER(?z != :a) ?y :up* ?z",  # a FILTER holds for the whole group
    "GRAPH ?g { { ?x :l ?y } UNION { ?y :r ?x } ?y :up* ?z }",
    "?x :l ?y FILTER NOT EXISTS { { ?x :l ?y } UNION { ?y :r ?x } ?y :up* ?z }",
])
def test_paths_left_as_written(where):
    query = EX + f"SELECT ?x WHERE {{ {where} }}"
    assert with_isolated_paths(query) == query


@pytest.mark.parametrize("where, pushed", [
    # The branch without ?x got no rows on Virtuoso; both branches get the values.
    ("{ ?x :l ?y } UNION { ?y :up ?z }", 2),
    # Not into a branch with OPTIONAL, FILTER or BIND (they would see ?x bound earlier than written).
    ("{ ?x :l ?y } UNION { ?y :up ?z OPTIONAL { ?x :l ?y } }", 1),
    ("{ ?y :up ?z FILTER(!BOUND(?x)) } UNION { ?y :up ?z BIND(?x AS ?w) }", 0),
    # Within a branch's own UNION, and not into OPTIONAL or sub-queries of the WHERE group.
    ("{ { ?x :l ?y } UNION { ?y :up ?z } } UNION { ?y :r ?x } OPTIONAL { { ?x :l ?y } UNION { ?y :up ?z } }", 4),
    ("{ SELECT * WHERE { { ?x :l ?y } UNION { ?y :up ?z } } }", 0),
])
def test_parameter_values_go_into_union_branches(small, where, pushed):
    node = ox.NamedNode("http://example.org/a")
    query = with_values(EX + f"SELECT * WHERE {{ {where} }}", {"x": node})
    changed = with_values_in_unions(query, {"x": str(node)})
    assert changed.count("VALUES") - query.count("VALUES") == pushed
    assert _rows(small.query(changed)) == _rows(small.query(query)) != []


# -- on each server ---------------------------------------------------------------------------------

def test_hoehere_ziele_for_one_undertaking_as_on_the_embedded_store(remote, store, settings):
    q = catalogue(settings.queries_dir).get("hoehere-ziele")
    for v in _aligned_undertakings(store, q):
        expected = sorted(map(tuple, run(store, q, {"vorhaben": v}).fillna("").astype(str).values.tolist()))
        got = sorted(map(tuple, run(remote, q, {"vorhaben": v}).fillna("").astype(str).values.tolist()))
        assert got == expected and expected, v


# -- without a server: the named queries' truth values ----------------------------------------------

_TRUTH = re.compile(r"BIND\(\s*(EXISTS\b|NOT\s+EXISTS\b|!?BOUND\(|true\b|false\b|COALESCE\(\s*\?\w+\s*,\s*(?:true|false)\s*\))"
                    r"(?:[^()]|\((?:[^()]|\([^()]*\))*\))*?\bAS\s+\?(\w+)\s*\)", re.IGNORECASE | re.DOTALL)


def test_projected_truth_values_are_typed(settings):
    """A truth value a named query computes and returns is written ``xsd:boolean(…)``: Virtuoso
    7.2 answers a bare EXISTS, BOUND or true as the number 0 or 1 (README, "Abweichungen")."""
    bare = []
    for q in catalogue(settings.queries_dir):
        text = "\n".join(line.split("#", 1)[0] if not line.lstrip().startswith("#") else "" for line in q.text.splitlines())
        head = text[:text.upper().find("WHERE")]
        for m in _TRUTH.finditer(text):
            if re.search(rf"\?{m.group(2)}\b", head):
                bare.append(f"{q.name}: ?{m.group(2)}")
    assert bare == []
