"""Fidelity to the documents where a reading was once too loose: the Kreis appendix table at its page
boundaries, curated matches against their own reasons, roles in steering groups and the Ratinger
Fachverantwortung as data, the chapter-4 sections of the Kreis measures, labels as users say them,
and concepts whose measures are unknown (not missing)."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest

from inko_graph.query.catalogue import Catalogue, run
from inko_graph.settings import PROJECT_ROOT
from inko_graph.store import OxigraphStore

ID = "https://w3id.org/inko/id/"
INKO = "https://w3id.org/inko/def#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
CATALOGUE = Catalogue(PROJECT_ROOT / "queries")


def _values(store, query: str) -> list[tuple]:
    return [tuple(None if t is None else t.value for t in row) for row in store.query(query)]


def _serves(store, row: str) -> set[str]:
    return {r[0] for r in _values(store, f"SELECT DISTINCT ?z WHERE {{ <{ID}kreis/massnahme/{row}> inko:dient ?z }}")}


def _flags(store, row: str) -> list[str]:
    return [r[0] for r in _values(store, f"SELECT DISTINCT ?w WHERE {{ <{ID}kreis/massnahme/{row}> inko:lesartUnsicher ?w }}")]


# -- the appendix table at its page boundaries -----------------------------------------------------

@pytest.mark.parametrize("rows, goal, other, page", [
    (["2-8", "2-9"], "2-2", "Ehrenamt", "Tabellenseite 6"),              # under the Senioren label
    (["3-5", "3-6", "3-7", "3-8", "3-9", "3-10"], "3-1", "Öffnungs", "Tabellenseite 11"),  # under the Zugang label
])
def test_a_row_belongs_to_the_goal_label_above_it(store, rows, goal, other, page):
    for row in rows:
        assert _serves(store, row) == {f"{ID}kreis/ziel/{goal}"}, row
    # the rows directly above the next label keep the flag, naming the page and the other possible goal
    for row in rows[1:]:
        assert any(page in w and other in w for w in _flags(store, row)), row


def test_the_rows_under_the_next_label_belong_to_it(store):
    assert _serves(store, "2-10") == {f"{ID}kreis/ziel/2-3"}  # first row under the Ehrenamt label (page 6)
    assert _serves(store, "3-11") == {f"{ID}kreis/ziel/3-2"}  # first row under the Öffnung label (page 11)


# -- curated matches -------------------------------------------------------------------------------

#: closeMatch between two things one of which is part of the other: a Kernaussage and its Leitziel,
#: a goal and one above it (skos:broader), in either direction.
PART_CLOSE = """SELECT ?a ?b WHERE {
  ?a skos:closeMatch|skos:exactMatch ?b .
  { ?a inko:erlaeutert ?b } UNION { ?b inko:erlaeutert ?a } UNION { ?a skos:broader+ ?b } UNION { ?b skos:broader+ ?a }
}"""


def test_no_close_match_between_a_part_and_its_whole(store):
    assert _values(store, PART_CLOSE) == []


def test_the_part_rule_catches_a_kernaussage_close_to_its_leitziel(store):
    """The guard: a Kernaussage closeMatch its own Leitziel is found."""
    small = ox.Store()
    for q in store.quads():
        if q.predicate.value == INKO + "erlaeutert":
            small.add(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))
    one = next(iter(small))
    small.add(ox.Quad(one.subject, ox.NamedNode(SKOS + "closeMatch"), one.object, ox.DefaultGraph()))
    found = _values(small, "PREFIX skos: <%s> PREFIX inko: <%s> %s" % (SKOS, INKO, PART_CLOSE))
    assert found == [(one.subject.value, one.object.value)]


def _curated(name: str) -> list[dict]:
    with open(PROJECT_ROOT / "graph_data" / "kuratiert" / name, encoding="utf-8") as f:
        return [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]


#: Words by which a reason says that one goal is a part of the other, or wider or narrower.
PART_WORDS = ("ein Teil", "ist sein Teil", "engere", "engerer", "weiter gefasst", "ist damit weiter", "umfasst",
              "schließt die", "reicht aber darüber hinaus")


def test_close_matches_are_interchangeable_by_their_own_reason():
    for r in _curated("ziele-abgleich.csv"):
        if r["praedikat"] == "skos:closeMatch":
            assert not any(w in r["begruendung"] for w in PART_WORDS), (r["subjekt"], r["objekt"], r["begruendung"])


#: Words by which a reason says the two goals are the same.
SAME_WORDS = ("fast dasselbe", "verfolgt dasselbe", "meinen dasselbe", "entspricht dem", "entspricht der")


def test_related_matches_are_not_called_the_same_by_their_reason():
    for r in _curated("ziele-abgleich.csv"):
        if r["praedikat"] in ("skos:relatedMatch", "skos:broadMatch", "skos:narrowMatch"):
            assert not any(w in r["begruendung"] for w in SAME_WORDS), (r["subjekt"], r["objekt"], r["begruendung"])


def test_no_pair_is_matched_two_ways():
    pairs: dict[frozenset, set[str]] = {}
    for name in ("ziele-abgleich.csv", "handlungsfelder-abgleich.csv"):
        for r in _curated(name):
            pairs.setdefault(frozenset((r["subjekt"], r["objekt"])), set()).add(r["praedikat"])
    exclusive = {"skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:exactMatch"}
    assert [sorted(p) for p, preds in pairs.items() if len(preds & exclusive) > 1] == []


def test_parts_of_a_leitziel_are_narrower_matches(store):
    """Leitziel 5's Kernaussage on German and the mother tongue is what the Ratingen goal says: narrowMatch."""
    got = _values(store, f"SELECT ?p WHERE {{ <{ID}hattingen/leitziel/5> ?p <{ID}ratingen/ziel/2-6-3> }}")
    assert got == [(SKOS + "narrowMatch",)]


# -- roles as data ---------------------------------------------------------------------------------

ROLE = ID + "vokabular/gremienrolle/"


def _memberships(store, group: str) -> set[tuple[str, str]]:
    return {(m.rsplit("/", 1)[1], r.rsplit("/", 1)[1]) for m, r in _values(store, f"""SELECT ?m ?r WHERE {{
        ?x a org:Membership ; org:organization <{ID}akteur/{group}> ; org:member ?m ; org:role ?r }}""")}


def test_hattingen_steering_group_members_and_roles(store):
    assert _memberships(store, "steuerungsgruppe-integrationskonzept-hattingen") == {  # 000, 3.7
        ("integrationsrat-hattingen", "vertretung"), ("facharbeitskreis-migration-hattingen", "vertretung"),
        ("integrationskonferenz-hattingen", "delegierte"), ("stadtrat-hattingen", "sprecher")}
    posts = _values(store, f"""SELECT ?p ?r WHERE {{ ?p a org:Post ;
        org:postIn <{ID}akteur/steuerungsgruppe-integrationskonzept-hattingen> ; org:role ?r }}""")
    assert len(posts) == 8 and {r for _, r in posts} == {ROLE + "sprecher"}  # Wohlfahrtsverbände … Kommunalstatistik
    assert _memberships(store, "steuerungsgruppe-fortschreibung-integrationskonzept-hattingen") == {  # 002
        ("stadt-hattingen", "vertretung"), ("integrationsrat-hattingen", "mitglied")}
    lead = _values(store, f"""SELECT ?a ?r WHERE {{ <{ID}konzept/hattingen-integrationskonzept-2017>
        prov:qualifiedAttribution [ prov:agent ?a ; prov:hadRole ?r ] }}""")
    assert lead == [(f"{ID}akteur/koordinierungsstelle-fluechtlingsangelegenheiten-integration-hattingen",
                     ROLE + "federfuehrung")]


def test_kreis_steering_group_chair(store):
    chair = {m for m, r in _memberships(store, "steuerungsgruppe-integrationskonzept-ennepe-ruhr-kreis") if r == "vorsitz"}
    assert chair == {"ennepe-ruhr-kreis"}


def test_every_membership_is_complete(store):
    broken = _values(store, """SELECT ?x WHERE { ?x a org:Membership .
        FILTER NOT EXISTS { ?x org:member ?m ; org:organization ?o ; org:role ?r . ?r a org:Role ; skos:inScheme ?s } }""")
    assert broken == []
    assert len(_values(store, "SELECT ?x WHERE { ?x a org:Membership }")) >= 7


RATINGEN_FV = {  # 004: the "Fachverantwortung" line closing each Leitziel of 2.1-2.7
    "2-1-1": {"amt-fuer-personalwesen-informationstechnologie-und-organisation-ratingen"},
    "2-1-2": {"amt-fuer-personalwesen-informationstechnologie-und-organisation-ratingen"},
    "2-2-1": {"gleichstellungsstelle-ratingen"},
    "2-3-1": {"jugendamt-ratingen"},
    "2-3-2": {"jugendamt-ratingen", "amt-fuer-soziales-wohnen-und-integration-ratingen"},
    "2-4-1": {"amt-fuer-soziales-wohnen-und-integration-ratingen"},
    "2-5-1": {"wirtschaftsfoerderung-ratingen"},
    **{f"2-6-{i}": {"amt-fuer-soziales-wohnen-und-integration-ratingen"} for i in range(1, 5)},
    "2-7-1": {"amt-fuer-soziales-wohnen-und-integration-ratingen"},
}


def test_ratingen_fachverantwortung_as_data(store):
    got: dict[str, set[str]] = {}
    for z, o in _values(store, "SELECT ?z ?o WHERE { ?z inko:fachverantwortung ?o . ?o a org:Organization }"):
        got.setdefault(z.rsplit("/", 1)[1], set()).add(o.rsplit("/", 1)[1])
    assert got == RATINGEN_FV


# -- chapter 4 of the Kreis concept ----------------------------------------------------------------

CHAPTER_4 = {"4.1": {"1-7", "1-11", "1-14", "1-19", "1-21", "1-24", "1-27"},
             "4.2": {"2-3", "2-8", "2-10", "2-17", "2-23", "2-29", "2-33"},
             "4.3": {"3-4", "3-7", "3-10", "3-11", "3-12", "2-18", "2-19"},
             "4.4": {"4-4", "4-6", "4-16", "4-17", "4-20"}}


def test_kreis_rows_restated_in_chapter_4_name_that_section(store):
    got: dict[str, set[str]] = {}
    for m, a in _values(store, f"""SELECT ?m ?a WHERE {{ GRAPH gr:quelle-003 {{ ?m a inko:Massnahme ; inko:abschnitt ?a }}
                                   FILTER(STRSTARTS(?a, "4")) }}"""):
        got.setdefault(a, set()).add(m.rsplit("/", 1)[1])
    assert got == CHAPTER_4
    # a row cited from a section of another field is one whose place in the table is itself uncertain
    for sec, rows in CHAPTER_4.items():
        for row in rows:
            if not row.startswith(sec[-1] + "-"):
                assert _flags(store, row), row


# -- labels as users say them ----------------------------------------------------------------------

ABBREVIATIONS = {"EN-Kreis", "ERK", "NRW", "NW", "MAIS-NRW"}


def test_full_names_are_preferred_labels(store):
    rows = _values(store, """SELECT DISTINCT ?x ?l WHERE {
        { ?x a org:Organization } UNION { ?x a inko:Gebiet } UNION { ?x a qb:Observation }
        ?x skos:prefLabel ?l }""")
    bad = [(x, l) for x, l in rows if {part.strip() for part in l.split(",")} & ABBREVIATIONS]
    assert bad == []


@pytest.mark.parametrize("iri, pref, alts", [
    ("gebiet/ennepe-ruhr-kreis", "Ennepe-Ruhr-Kreis", {"EN-Kreis", "ERK"}),
    ("gebiet/nrw", "Nordrhein-Westfalen", {"NRW", "NW"}),
    ("akteur/ennepe-ruhr-kreis", "Ennepe-Ruhr-Kreis", {"EN-Kreis", "ERK"}),
])
def test_abbreviations_are_alternative_labels(store, iri, pref, alts):
    prefs = {r[0] for r in _values(store, f'SELECT ?l WHERE {{ <{ID}{iri}> skos:prefLabel ?l FILTER(lang(?l) = "de") }}')}
    assert prefs == {pref}
    got = {r[0] for r in _values(store, f"SELECT ?l WHERE {{ <{ID}{iri}> skos:altLabel ?l }}")}
    assert alts <= got


# -- unknown is not nothing ------------------------------------------------------------------------

K2017 = f"{ID}konzept/hattingen-integrationskonzept-2017"
GAP_QUERIES = ["luecken-handlungsfeld-lebensphase", "ziele-ohne-massnahme"]


def _gap_concepts(store, name: str) -> set[str]:
    return {str(r["konzept"]) for r in run(store, CATALOGUE.get(name)).to_dict("records")}


def test_a_concept_known_only_from_the_chronicle_says_its_measures_are_unknown(store):
    assert bool(store.query(f"ASK {{ <{K2017}> inko:massnahmenUnbekannt true }}"))
    for name in GAP_QUERIES:
        assert K2017 not in _gap_concepts(store, name), name


def test_without_the_flag_its_fields_show_as_gaps(store):
    """The guard: the same graph without inko:massnahmenUnbekannt shows the 2017 fields as gaps."""
    flag = INKO + "massnahmenUnbekannt"
    other = OxigraphStore.memory()
    other.load_quads(q for q in store.quads() if q.predicate.value != flag)
    assert K2017 in _gap_concepts(other, "luecken-handlungsfeld-lebensphase")


# -- the shapes guard the new terms ----------------------------------------------------------------

GUARD_DATA = """
@prefix org: <http://www.w3.org/ns/org#> . @prefix inko: <https://w3id.org/inko/def#> .
@prefix rolle: <https://w3id.org/inko/id/vokabular/gremienrolle/> .
@prefix ex: <https://w3id.org/inko/id/test/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:gremium a org:Organization . rolle:vorsitz a org:Role . ex:ziel a inko:Ziel . ex:konzept a inko:Konzept .
ex:m a org:Membership ; org:organization ex:gremium ; org:member ex:ziel .
ex:p a org:Post ; org:role rolle:vorsitz .
ex:ziel inko:fachverantwortung ex:konzept .
ex:konzept inko:massnahmenUnbekannt "ja" .
"""


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_shapes_catch_broken_roles_and_flags(engine):
    from inko_graph.validation.shapecheck import check
    from inko_graph.validation.shacl import validate_triples

    triples = list(ox.parse(GUARD_DATA, format=ox.RdfFormat.TURTLE))
    shapes = PROJECT_ROOT / "ontology" / "shapes.ttl"
    report = check(triples, [], shapes) if engine == "sparql" else validate_triples(triples, shapes)
    mine = {"member", "organization", "role", "postIn", "fachverantwortung", "massnahmenUnbekannt"}
    got = sorted({(r.focus.rsplit("/", 1)[1], (r.path or "").rsplit("#", 1)[-1])
                  for r in report.results if r.severity == "Violation"} & {(f, m) for f in
                  ("gremium", "m", "p", "ziel", "konzept") for m in mine})
    assert got == [("konzept", "massnahmenUnbekannt"), ("m", "member"), ("m", "role"), ("p", "postIn"),
                   ("ziel", "fachverantwortung")]
