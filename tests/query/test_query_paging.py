"""Pages over a listing's leading entity (inko_graph/query/paging.py): on the real graph the pages,
one after the other, are the whole listing in its order, and a page asks the store only for its
own goals' rows."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from inko_graph.errors import QueryError
from inko_graph.query.catalogue import Catalogue, _run, run_page
from inko_graph.query.focus import mask, paged_text
from inko_graph.query.paging import entity_of, keys_text, ordered_text
from inko_graph.settings import PROJECT_ROOT

CATALOGUE = Catalogue(PROJECT_ROOT / "queries")
NAME = "wer-dient-welchem-ziel"


def _rows(df) -> list[tuple]:
    return [tuple(None if v != v else v for v in r) for r in df.astype(object).itertuples(index=False, name=None)]


@pytest.fixture(scope="module")
def whole(store):
    """The whole listing in page order (keys, the query's ORDER BY, every column), run as one query."""
    q = CATALOGUE.get(NAME)
    text, _ = paged_text(ordered_text(q.text, entity_of(q.meta)), 1, 0)
    df, _ = _run(store, q.__class__(q.name, text, q.path, params=q.params, meta=q.meta), None, focus=False)
    return df


def test_the_query_names_its_goals_as_the_leading_entity():
    e = entity_of(CATALOGUE.get(NAME).meta)
    assert e.keys == ("konzeptname", "konzept", "zielname", "ziel") and e.name == "ziel" and e.unit == "Ziele"
    assert e.pattern.count("OPTIONAL") == 2  # the pattern's three header lines are one pattern


@pytest.mark.parametrize("size, cached", [(1, False), (3, True), (7, False), (25, True), (5000, False)])
def test_pages_one_after_the_other_are_the_whole_listing(store, whole, size, cached):
    q = CATALOGUE.get(NAME)
    cache = {} if cached else None
    rows, offset, pages, goals = [], 0, 0, set()
    while True:
        page = run_page(store, q, limit=size, offset=offset, keys_cache=cache)
        assert page.unit == "Ziele" and page.entries <= size and list(page.rows.columns) == list(whole.columns)
        goals |= set(page.rows["ziel"])
        rows += _rows(page.rows)
        pages += 1
        if not page.more:
            break
        assert page.entries == size
        offset += size
    assert rows == _rows(whole)  # the same rows in the same order: no gap, no overlap
    assert pages == -(-len(goals) // size) and len(whole) > len(goals) > 20


def test_a_page_beyond_the_end_is_empty_with_the_columns(store, whole):
    page = run_page(store, CATALOGUE.get(NAME), limit=10, offset=10**6)
    assert len(page.rows) == 0 and not page.more and list(page.rows.columns) == list(whole.columns)


class _Spy:
    """The store, recording every query text and how many rows it gave."""

    def __init__(self, store):
        self.store, self.calls = store, []

    def query(self, text, *a, **k):
        res = self.store.query(text, *a, **k)
        if isinstance(res, ox.QuerySolutions):
            rows = list(res)
            self.calls.append((text, len(rows)))
            return _Rows(res.variables, rows)
        return res

    def __getattr__(self, name):
        return getattr(self.store, name)


class _Rows(list):
    def __init__(self, variables, rows):
        super().__init__(rows)
        self.variables = variables


def test_a_page_asks_only_for_its_goals(store, whole, monkeypatch):
    import inko_graph.query.catalogue as catalogue

    monkeypatch.setattr(catalogue.ox, "QuerySolutions", (ox.QuerySolutions, _Rows))
    spy = _Spy(store)
    q = CATALOGUE.get(NAME)
    page = run_page(spy, q, limit=3, offset=4)
    (keys, n_keys), (text, n_rows) = spy.calls
    assert keys.startswith(keys_text(entity_of(q.meta))) and "LIMIT 4 OFFSET 4" in keys and n_keys == 4
    assert n_rows == len(page.rows) < len(whole) / 3
    goals = sorted(set(page.rows["ziel"]))
    assert len(goals) == 3
    # The goals lead: every SELECT of the text that projects ?ziel starts with the page's goals.
    masked = mask(text)
    starts = [m.end() for m in __import__("re").finditer(r"SELECT[^{]*\?ziel[^{]*WHERE\s*\{", masked)]
    assert len(starts) >= 2
    for s in starts:
        head = text[s:s + 2000]
        assert head.lstrip().startswith("VALUES ?ziel {") and all(f"<{g}>" in head.split("}")[0] for g in goals)


def test_a_page_with_a_parameter_counts_rows(store):
    page = run_page(store, CATALOGUE.get(NAME), {"gebiet": "g:hattingen"}, limit=3)
    assert page.unit is None and len(page.rows) == 3 and page.more


@pytest.mark.parametrize("meta", [{"seiten": "?ziel Ziele"}, {"seiten": "Ziele", "seiten_muster": "?a ?b ?c"}])
def test_the_header_lines_belong_together(meta):
    with pytest.raises(QueryError, match="seiten"):
        entity_of(meta)
