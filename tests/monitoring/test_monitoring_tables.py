"""Tables 3 and 4 of the Kreis concept (source 003): the graph's observations match the document.

The expected values are transcribed by hand from the source text into tests/data/monitoring/
tabelle3.csv and tabelle4.csv (one row per printed value, with the line of the source). The test
does not depend on how the data is named: each printed value must be exactly one observation of
that table (same area, period and value), every column of the table must be one indicator (the same
for every area, and no two columns the same indicator), and the table has no other observations.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal

import pyoxigraph as ox
import pytest
from monitoring_fixtures import DATA

from inko_graph.monitoring.model import catalogue, parse_number
from inko_graph.namespaces import PREFIXES
from inko_graph.query.catalogue import run

Q003 = PREFIXES["q"] + "003"


def _expected(name: str) -> list[dict]:
    lines = [ln for ln in (DATA / name).read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    rows = []
    for r in csv.DictReader(lines, delimiter=";"):
        prefix, _, local = r["gebiet"].partition(":")
        rows.append({"spalte": r["spalte"], "gebiet": PREFIXES[prefix] + local, "zeitraum": r["zeitraum"],
                     "wert": parse_number(r["wert"]), "einheit": r["einheit"], "zeile": r["zeile"]})
    return rows


@pytest.fixture(scope="module")
def observations(store):
    df = run(store, catalogue().get("monitoring-beobachtungen"), {"quelle": ox.NamedNode(Q003)})
    return df


def _table(observations, number: int):
    pat = re.compile(rf"\bTabelle {number}\b")
    part = observations[[isinstance(a, str) and bool(pat.search(a)) for a in observations["abschnitt"]]]
    return part.drop_duplicates("beobachtung")


def _match(expected: list[dict], graph) -> tuple[list[str], dict[str, str]]:
    """Pair every printed value with one observation; returns the differences and column -> indicator."""
    problems: list[str] = []
    by_key = defaultdict(list)
    for r in graph.itertuples(index=False):
        by_key[(r.gebiet, str(r.zeitraum), Decimal(str(r.wert)))].append(r)
    columns: dict[str, set[str]] = defaultdict(set)
    used: set[str] = set()
    pending = []
    for e in expected:
        cands = [r for r in by_key[(e["gebiet"], e["zeitraum"], e["wert"])] if r.beobachtung not in used]
        if not cands:
            others = graph[(graph["gebiet"] == e["gebiet"]) & (graph["zeitraum"] == e["zeitraum"])]
            problems.append(f"Zeile {e['zeile']}: {e['spalte']}, {e['gebiet']}, {e['zeitraum']}: erwartet {e['wert']}, "
                            f"im Graphen für dieses Gebiet nur {sorted(others['wert'].tolist())}")
        elif len(cands) == 1:
            used.add(cands[0].beobachtung)
            columns[e["spalte"]].add(cands[0].indikator)
        else:
            pending.append((e, cands))
    for e, cands in pending:  # the same value twice in one area: decide by the column's indicator
        fitting = [c for c in cands if c.indikator in columns[e["spalte"]] and c.beobachtung not in used] or cands
        used.add(fitting[0].beobachtung)
        columns[e["spalte"]].add(fitting[0].indikator)
    for col, inds in columns.items():
        if len(inds) != 1:
            problems.append(f"Spalte {col!r}: die Werte gehören zu verschiedenen Indikatoren {sorted(inds)}")
    mapping = {col: next(iter(inds)) for col, inds in columns.items() if len(inds) == 1}
    seen: dict[str, str] = {}
    for col, ind in mapping.items():
        if ind in seen:
            problems.append(f"Spalten {seen[ind]!r} und {col!r} sind derselbe Indikator {ind}")
        seen[ind] = col
    extra = graph[~graph["beobachtung"].isin(used)]
    for r in extra.itertuples(index=False):
        problems.append(f"Beobachtung {r.beobachtung} ({r.gebiet}, {r.zeitraum}, {r.wert}) steht in keiner Zeile der Tabelle")
    return problems, mapping


@pytest.mark.parametrize("number, name, count, columns", [(3, "tabelle3.csv", 50, 5), (4, "tabelle4.csv", 42, 21)])
def test_table_matches_the_document_value_by_value(observations, number, name, count, columns):
    expected = _expected(name)
    assert len(expected) == count  # the transcription itself is complete
    assert len({e["spalte"] for e in expected}) == columns
    graph = _table(observations, number)
    problems, mapping = _match(expected, graph)
    assert problems == [], "\n".join(problems)
    assert len(graph) == count
    assert len(mapping) == columns


def test_units_of_the_tables(observations):
    """Counts are Anzahl and shares Prozent, as the column headings say."""
    for number, name in ((3, "tabelle3.csv"), (4, "tabelle4.csv")):
        graph = _table(observations, number)
        for e in _expected(name):
            same_value = graph["wert"].map(lambda w, v=e["wert"]: Decimal(str(w)) == v)
            hit = graph[(graph["gebiet"] == e["gebiet"]) & (graph["zeitraum"] == e["zeitraum"]) & same_value]
            assert len(hit) == 1, e
            units = {u for u in hit["einheit"] if isinstance(u, str)}
            assert units <= {e["einheit"]}, (e, units)


def test_the_two_printings_of_the_kreis_foreigners_are_kept_as_a_conflict(store):
    from inko_graph.monitoring.conflicts import find_conflicts

    df = find_conflicts(store)
    kreis = PREFIXES["g"] + "ennepe-ruhr-kreis"
    hits = df[(df["gebiet"] == kreis) & (df["zeitraum"] == "2011")]
    pairs = {frozenset((r.wert_a, r.wert_b)) for r in hits.itertuples(index=False)}
    assert frozenset((23380.0, 26380.0)) in pairs
