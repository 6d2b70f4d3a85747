"""Bound parameters lead the evaluation (inko_graph/query/focus.py) without changing any answer,
and listings come in stable pages.

On the real graph, every parameter of every named SELECT query of the catalogue is bound to
values that occur in the graph (from the query's own column of that name, else from the graph)
and the rows are compared with the query as written (values only substituted).
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from inko_graph.errors import QueryError
from inko_graph.query.catalogue import Catalogue, bind_params, run, run_page
from inko_graph.query.focus import focused_text, mask, paged_text, projected
from inko_graph.settings import PROJECT_ROOT

CATALOGUE = Catalogue(PROJECT_ROOT / "queries")

#: Where a parameter's values come from when the query has no column of that name (or needs one
#: bound to list anything): the first few matches in the real graph.
SAMPLES = {
    "akteur": "SELECT DISTINCT ?x WHERE { ?v inko:zustaendig|inko:traeger|inko:beteiligt ?x } ORDER BY ?x LIMIT 3",
    "vorhaben": "SELECT DISTINCT ?x WHERE { ?x inko:dient ?z } ORDER BY ?x LIMIT 3",
    "ziel": "SELECT DISTINCT ?x WHERE { ?v inko:dient ?x } ORDER BY ?x LIMIT 3",
    "konzept": "SELECT DISTINCT ?x WHERE { ?x a inko:Konzept } ORDER BY ?x LIMIT 3",
    "handlungsfeld": "SELECT DISTINCT ?x WHERE { ?x a inko:Handlungsfeld } ORDER BY ?x LIMIT 3",
    "lebensphase": "SELECT DISTINCT ?x WHERE { ?v inko:lebensphase ?x } ORDER BY ?x LIMIT 3",
    "gebiet": "SELECT DISTINCT ?x WHERE { ?c a inko:Konzept ; inko:gebiet ?x } ORDER BY ?x LIMIT 3",
    "vergleich": "SELECT DISTINCT ?x WHERE { ?c a inko:Konzept ; inko:gebiet/inko:liegtIn ?x } ORDER BY ?x LIMIT 1",
    "akteursart": "SELECT DISTINCT ?x WHERE { ?a inko:akteursart ?x } ORDER BY ?x LIMIT 3",
    "zustaendig": "SELECT DISTINCT ?x WHERE { ?v inko:zustaendigkeit|inko:zustaendig ?x } ORDER BY ?x LIMIT 3",
    "ressource": "SELECT DISTINCT ?x WHERE { ?x a inko:Massnahme } ORDER BY ?x LIMIT 3",
    "s": "SELECT DISTINCT ?x WHERE { ?x a inko:Massnahme } ORDER BY ?x LIMIT 2",
    "graph": "SELECT DISTINCT ?x WHERE { GRAPH ?x { ?a a inko:Konzept } } ORDER BY ?x LIMIT 2",
    "indikator": "SELECT DISTINCT ?x WHERE { ?x a inko:Indikator } ORDER BY ?x LIMIT 3",
    "art": "SELECT DISTINCT ?x WHERE { ?i inko:indikatorart ?x } ORDER BY ?x LIMIT 3",
    "schema": "SELECT DISTINCT ?x WHERE { ?c skos:inScheme ?x } ORDER BY ?x LIMIT 3",
    "quelle": "SELECT DISTINCT ?x WHERE { ?r dcterms:source ?x } ORDER BY ?x LIMIT 3",
    "ausser": "SELECT DISTINCT ?x WHERE { GRAPH ?x { ?a ?b ?c } } ORDER BY ?x LIMIT 1",
}
#: Values of the parameters that are not IRIs.
LITERALS = {"year": ["2025", "2026"], "integer": ["3"], "decimal": ["0.5"], "boolean": ["ja"], "string": ["Bildung"],
            "lang": ["de"]}


def _samples(store, q, p) -> list:
    if p.type != "iri":
        return LITERALS.get(p.type, [])
    res = store.query(SAMPLES[p.name]) if p.name in SAMPLES else []
    return [row[0].value for row in res]


def _cases(store):
    for q in CATALOGUE:
        if q.meta.get("berechnet") or not q.params:
            continue
        required = {p.name: (_samples(store, q, p) or [None])[0] for p in q.params if p.required}
        if None in required.values():
            continue
        try:
            df = run(store, q, required, focus=False)
        except QueryError:  # not a SELECT query
            continue
        for p in q.params:
            values = _samples(store, q, p)
            if p.name in df.columns:  # values of the answer itself: the ones most likely to hit
                seen = [v for v in df[p.name].dropna().unique().tolist() if isinstance(v, str) and v.startswith("http")]
                values = seen[len(seen) // 2:len(seen) // 2 + 1] + values[:1]
            for i, v in enumerate(dict.fromkeys(values[:2])):
                yield q, {**required, p.name: v}, i == 0 and p is q.params[0]


def _cell(v):
    # GROUP_CONCAT joins in no defined order (SPARQL leaves it to the plan): compare its parts.
    if isinstance(v, str) and ("; " in v or ", " in v):
        return sorted(p.strip() for p in re.split(r"; |, |\(|\)", v) if p.strip())
    return v


def _sorted(df) -> list:
    return sorted(repr([_cell(v) for v in row]) for row in df.astype(object).where(df.notna(), None).values.tolist())


def test_every_parameter_of_every_query_gives_the_same_rows_focused(store):
    checked, names = 0, set()
    for q, params, first in _cases(store):
        for curated in (True, False) if first else (True,):
            plain = run(store, q, params, include_curated=curated, focus=False)
            focused = run(store, q, params, include_curated=curated)
            assert list(plain.columns) == list(focused.columns), q.name
            assert _sorted(plain) == _sorted(focused), (q.name, params, curated)
        checked += 1
        names.add(q.name)
    # The real graph exercises most queries; these must be among them.
    assert {"wer-dient-welchem-ziel", "akteursprofil", "zustaendigkeiten", "konzepte"} <= names
    assert checked > 80


def test_the_focus_writes_the_value_as_a_term_and_only_where_the_query_says():
    q = CATALOGUE.get("wer-dient-welchem-ziel")
    evil = ox.NamedNode('https://example.org/a')
    text = focused_text(q.text, bind_params(q, {"akteur": evil}))
    assert text.count("VALUES ?akteur { <https://example.org/a> }") >= 2  # the lead and the sub-queries
    assert "#@wenn gebiet:" in text  # unbound: stays a comment
    assert focused_text(q.text, {}) == q.text
    # A string with quotes stays one literal.
    lit = ox.Literal('x" } ; DROP ALL ; #')
    out = focused_text("SELECT ?a WHERE {\n#@wenn a: ?s ?p ?a .\n}", {"a": lit})
    assert out.count(str(lit)) == 2 and mask(out).count("DROP") == 0  # the lead and the projecting SELECT
    assert len(list(ox.Store().query(out, substitutions={ox.Variable("a"): lit}))) == 0


def test_omitted_lines_go_only_when_their_names_are_bound():
    text = "SELECT ?a ?b WHERE {\n#@wenn a: ?s ?p ?a .\n#@ohne a\nOPTIONAL { ?s ?q ?a }\n#@ende\n?s ?r ?b }"
    a = ox.NamedNode("https://example.org/a")
    out = focused_text(text, {"a": a})
    other = focused_text(text, {"b": a})
    assert "OPTIONAL" not in out and out.count("\n") == other.count("\n")  # same lines: messages point right
    assert "OPTIONAL" in other and "OPTIONAL" in focused_text(text, {})
    # The block of cockpit-massnahmen: the Handlungsfeld is found only when none is bound.
    q = CATALOGUE.get("cockpit-massnahmen")
    assert "skos:broader+ ?oberziel" in focused_text(q.text, bind_params(q, {"lebensphase": "lp:alter"}))
    assert "skos:broader+ ?oberziel" not in focused_text(q.text, bind_params(q, {"handlungsfeld": "https://example.org/h"}))


def test_projected_and_mask():
    assert projected(" ?a (MIN(?b) AS ?c) ?d ") == {"a", "c", "d"}
    assert projected(" * ") is None
    m = mask('SELECT ?a WHERE { ?a <http://x/#y> "SELECT ?b WHERE {" } # SELECT ?c WHERE {')
    assert m.count("SELECT") == 1 and len(m) == len('SELECT ?a WHERE { ?a <http://x/#y> "SELECT ?b WHERE {" } # SELECT ?c WHERE {')


def test_focus_is_what_narrows_the_sub_query():
    # Broken on purpose (no focus), the sub-query has no VALUES block: the guard of this module.
    q = CATALOGUE.get("wer-dient-welchem-ziel")
    b = bind_params(q, {"konzept": "https://example.org/k"})
    focused = focused_text(q.text, b)
    sub = focused.index("SELECT DISTINCT ?vorhaben ?ziel ?konzept")
    assert "VALUES ?konzept" in focused[sub:sub + 400]
    assert "VALUES" not in q.text[q.text.index("SELECT DISTINCT ?vorhaben ?ziel ?konzept"):][:400]


# -- pages --------------------------------------------------------------------------------------------

def test_pages_cover_the_listing_in_a_stable_order_without_gaps(store):
    import dataclasses

    # Pages of rows: the query without its leading entity (pages over goals: test_query_paging.py).
    q = dataclasses.replace(CATALOGUE.get("wer-dient-welchem-ziel"), meta={})
    whole = run(store, q)
    pages, offset = [], 0
    while True:
        page = run_page(store, q, limit=200, offset=offset)
        pages.append(page.rows)
        assert len(page.rows) <= 200
        if not page.more:
            break
        assert len(page.rows) == 200
        offset += 200
    import pandas as pd

    joined = pd.concat(pages, ignore_index=True)
    assert len(joined) == len(whole)
    assert _sorted(joined) == _sorted(whole)
    again = run_page(store, q, limit=200, offset=200)
    assert _sorted(again.rows) == _sorted(pages[1])
    assert list(again.rows.columns) == list(whole.columns)


def test_page_with_a_parameter_and_the_more_flag(store):
    q = CATALOGUE.get("wer-dient-welchem-ziel")
    whole = run(store, q, {"gebiet": "g:hattingen"})
    assert len(whole) > 3
    first = run_page(store, q, {"gebiet": "g:hattingen"}, limit=3)
    assert first.more and len(first.rows) == 3
    last = run_page(store, q, {"gebiet": "g:hattingen"}, limit=3, offset=len(whole) - 2)
    assert not last.more and len(last.rows) == 2
    assert run_page(store, q, {"gebiet": "g:hattingen"}, limit=len(whole)).more is False


@pytest.mark.parametrize("limit, offset", [(0, 0), (10**6, 0), (10, -1), ("10", 0), (True, 0)])
def test_page_bounds_are_checked(store, limit, offset):
    with pytest.raises(QueryError, match="Seite"):
        run_page(store, CATALOGUE.get("konzepte"), limit=limit, offset=offset)


def test_paged_text_adds_every_column_to_the_order():
    text, tail = paged_text("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY ?b # Ende", 11, 20)
    assert text.endswith("ORDER BY ?b ?a ?b") and tail.strip() == "LIMIT 11 OFFSET 20"
    text, _ = paged_text("SELECT ?a WHERE { ?a ?p ?b }", 5, 0)
    assert text.endswith("ORDER BY ?a")
    with pytest.raises(QueryError):
        paged_text("SELECT ?a WHERE { ?a ?p ?b } LIMIT 3", 5, 0)
