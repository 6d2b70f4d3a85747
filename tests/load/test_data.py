"""The graph holds what the documents contain: counts per document, a source on every resource,
no personal data. The expected numbers are those of the documents (section and lines in comments)."""

from __future__ import annotations

import re

import pytest

ID = "https://w3id.org/inko/id/"


def _count(store, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)


def _grouped(store, query: str) -> dict[str, int]:
    return {row["k"].value: int(row["n"].value) for row in store.query(query)}


def test_whole_graph_conforms(built):
    assert built.report.conforms, built.report.format_text(limit=20)


@pytest.mark.parametrize("scheme,kind,expected", [
    ("hattingen-integrationskonzept", "Leitziel", 8),         # 000, 3.3
    ("strategiekonzept-hattingen-2020", "Leitziel", 9),       # 000, 3.4 ("neun Leitzielen", 2.1)
    ("strategiekonzept-hattingen-2020", "Handlungsfeld", 7),  # 000, 3.4
    ("strategiekonzept-hattingen-2020", "Teilziel", 40),      # 000, 3.4: the lettered goals
    ("kreis-integrationskonzept", "Handlungsfeld", 4),        # 003, 4.1-4.4
    ("kreis-integrationskonzept", "Teilziel", 21),            # 003, 4: the Ziele of the four fields
    ("ratingen-integrationskonzept", "Handlungsfeld", 7),     # 004, 2.1-2.7
    ("ratingen-integrationskonzept", "Teilziel", 53),         # 004, 2.x: "Daraus ergibt sich" goals
    ("hattingen-integrationskonzept-2017", "Handlungsfeld", 5),  # 002: Wohnen, Arbeit, Bildung, Gesundheit, Teilhabe
])
def test_counts_per_concept(store, scheme, kind, expected):
    n = _count(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a inko:{kind} ; skos:inScheme <{ID}konzept/{scheme}> }}")
    assert n == expected


def test_kreis_leitthemen(store):
    assert _count(store, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a inko:Leitthema }") == 7  # 003, 3.2.2


def test_ratingen_overall_leitziele(store):
    n = _count(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a inko:Leitziel FILTER(STRSTARTS(STR(?x), '{ID}ratingen/leitziel/')) }}")
    assert n == 8  # 004, 1: the eight integrationspolitische Leitziele


def test_hattingen_kernaussagen_per_leitziel(store):
    got = _grouped(store, "SELECT ?k (COUNT(?a) AS ?n) WHERE { ?a a inko:Kernaussage ; inko:erlaeutert ?k } GROUP BY ?k")
    expected = {1: 7, 2: 5, 3: 5, 4: 2, 5: 3, 6: 3, 7: 2, 8: 3}  # 000, 3.3
    assert got == {f"{ID}hattingen/leitziel/{k}": v for k, v in expected.items()}


def test_strategiekonzept_goals_per_field(store):
    got = _grouped(store, f"""SELECT ?k (COUNT(?z) AS ?n) WHERE {{
        ?z a inko:Teilziel ; inko:handlungsfeld ?k ; skos:inScheme <{ID}konzept/strategiekonzept-hattingen-2020> }} GROUP BY ?k""")
    expected = {1: 5, 2: 8, 3: 9, 4: 2, 5: 5, 6: 4, 7: 7}  # 000, 3.4
    assert got == {f"{ID}hattingen-2020/handlungsfeld/{k}": v for k, v in expected.items()}


def test_repeated_goals_are_linked(store):
    # 000, 3.4 repeats goals across fields (1-d = 2-g; 2-d = 2-h = 5-c); 003 repeats "Vernetzung und Transparenz" in 4 fields.
    n = _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a inko:gleicherWortlaut ?b FILTER(STR(?a) < STR(?b)) }")
    assert n == 1 + 3 + 6


def test_kreis_measures_per_field(store):
    got = _grouped(store, "SELECT ?k (COUNT(DISTINCT ?m) AS ?n) WHERE { GRAPH gr:quelle-003 { ?m a inko:Massnahme ; inko:handlungsfeld ?k } } GROUP BY ?k")
    assert got == {f"{ID}kreis/handlungsfeld/{k}": v for k, v in {1: 31, 2: 36, 3: 12, 4: 22}.items()}  # 003, Anhang


def test_kreis_measures_serve_a_goal_and_uncertain_rows_are_marked(store):
    assert _count(store, "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { GRAPH gr:quelle-003 { ?m a inko:Massnahme FILTER NOT EXISTS { ?m inko:dient ?z } } }") == 0
    assert _count(store, "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { GRAPH gr:quelle-003 { ?m a inko:Massnahme ; inko:lesartUnsicher ?w } }") >= 10


def test_ratingen_measures_per_field(store):
    got = _grouped(store, "SELECT ?k (COUNT(DISTINCT ?m) AS ?n) WHERE { GRAPH gr:quelle-004 { ?m a inko:Massnahme ; inko:handlungsfeld ?k } } GROUP BY ?k")
    expected = {"2-1": 9, "2-2": 6, "2-3": 3, "2-4": 2, "2-5": 1, "2-6": 16, "2-7": 1}  # 004, 2.1-2.7
    assert got == {f"{ID}ratingen/handlungsfeld/{k}": v for k, v in expected.items()}


@pytest.mark.parametrize("graph,kind,expected", [
    ("quelle-003", "Umsetzungsschritt", 84),    # 003, Anhang: the Umsetzung items
    ("quelle-004", "Umsetzungsschritt", 23),    # 004, 2.x: first steps (Wer, Wann)
    ("quelle-004", "Indikator", 60),            # 004: Grundzahlen, Kennzahlen, Indikatoren
    ("quelle-000", "Aktivitaet", 49),           # 000, 3.1
    ("quelle-000", "Handlungsperspektive", 16), # 000, 3.2
    ("quelle-000", "Monitoringziel", 3),        # 000, 3.7
    ("quelle-002", "Veranstaltung", 13),        # 002
])
def test_counts_per_graph(store, graph, kind, expected):
    assert _count(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH gr:{graph} {{ ?x a inko:{kind} }} }}") == expected


def test_kreis_tables_3_and_4_as_observations(store):
    got = _grouped(store, "SELECT ?k (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a qb:Observation ; qb:dataSet ?k } GROUP BY ?k")
    assert got[f"{ID}kreis/datensatz/tabelle-3"] == 50  # 10 areas x 5 columns
    assert got[f"{ID}kreis/datensatz/tabelle-4"] == 42  # 21 indicators x (Kreis, NRW)
    towns = _count(store, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?o qb:dataSet <{ID}kreis/datensatz/tabelle-3> ; sdmx-dimension:refArea ?a }}")
    assert towns == 10  # the nine towns and the Kreis


def test_kreis_steering_group_has_organisations_as_members(store):
    n = _count(store, "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { id:akteur\\/steuerungsgruppe-integrationskonzept-ennepe-ruhr-kreis org:hasMember ?m . ?m a org:Organization }")
    assert n == 34  # 003, Steuerungsgruppe: 37 persons of 34 organisations


STATED_KINDS = ["inko:Ziel", "inko:Kernaussage", "inko:Handlungsfeld", "inko:Vorhaben", "inko:Umsetzungsschritt",
                "inko:Indikator", "org:Organization", "inko:Veranstaltung", "inko:Handlungsperspektive", "qb:Observation"]


@pytest.mark.parametrize("kind", STATED_KINDS)
def test_every_resource_names_its_source(store, kind):
    rows = list(store.query(f"""SELECT ?x WHERE {{
        ?x a/rdfs:subClassOf* {kind} .
        FILTER NOT EXISTS {{ ?x dcterms:source ?q }}
    }}"""))
    assert [r["x"].value for r in rows] == []
    found = _count(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a/rdfs:subClassOf* {kind} }}")
    assert found > 0


def test_every_document_resource_names_its_section(store):
    rows = list(store.query("""SELECT DISTINCT ?x WHERE {
        GRAPH ?g { ?x dcterms:source ?q . } FILTER(STRSTARTS(STR(?g), "https://w3id.org/inko/graph/quelle-"))
        FILTER NOT EXISTS { ?x inko:abschnitt ?a }
    }"""))
    assert [r["x"].value for r in rows] == []


EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"(?:\+49|\(0\d+\)|\b0\d{2,5})[\s/-]*\d{3,}")


def test_no_personal_data(store):
    assert _count(store, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a foaf:Person }") == 0
    assert _count(store, "SELECT (COUNT(?p) AS ?n) WHERE { ?s foaf:mbox|foaf:phone|<http://www.w3.org/2006/vcard/ns#hasEmail> ?p }") == 0
    offending = []
    for q in store.quads():
        v = q.object.value
        if EMAIL.search(v) or v.startswith(("mailto:", "tel:")) or PHONE.search(v):
            offending.append((q.subject.value, v[:80]))
    assert offending == []
