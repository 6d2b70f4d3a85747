"""The personal-data check of exports and downloads, edge by edge, so that a loosened or tightened
condition fails here: each kind of personal data is found and named with resource and graph,
functional addresses and ordinary numbers pass, the list stops at its limit and says so."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from inko_graph.errors import PersonalData
from inko_graph.export.dumps import check_personal_data, personal_data_problems
from inko_graph.namespaces import PREFIXES
from inko_graph.store import OxigraphStore

S = ox.NamedNode("https://w3id.org/inko/id/test/x")
G = ox.NamedNode("https://w3id.org/inko/graph/test")
NOTE = ox.NamedNode(PREFIXES["skos"] + "note")
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


def letters(i: int) -> str:
    return chr(97 + i % 26) + chr(97 + i // 26)


def problems_of(*quads) -> list[str]:
    return personal_data_problems(list(quads))


def q(p, o, g=G, s=S) -> ox.Quad:
    return ox.Quad(s, p, o, g)


@pytest.mark.parametrize("cls", [
    PREFIXES["foaf"] + "Person", "http://schema.org/Person", "https://schema.org/Person",
    "http://www.w3.org/2006/vcard/ns#Individual", "http://www.w3.org/2006/vcard/ns#Kind",
])
def test_a_person_as_type_is_found(cls):
    found = problems_of(q(RDF_TYPE, ox.NamedNode(cls)))
    assert found == [f"{S.value} (Graph {G.value}): ist eine Person ({cls})"]


def test_an_organisation_is_no_person():
    assert problems_of(q(RDF_TYPE, ox.NamedNode(PREFIXES["foaf"] + "Organization")),
                       q(RDF_TYPE, ox.NamedNode(PREFIXES["org"] + "Organization"))) == []


@pytest.mark.parametrize("pred", [PREFIXES["foaf"] + "givenName", PREFIXES["foaf"] + "familyName",
                                  PREFIXES["foaf"] + "mbox", PREFIXES["foaf"] + "phone",
                                  "http://schema.org/email", "https://schema.org/telephone",
                                  "http://www.w3.org/2006/vcard/ns#fn", "http://www.w3.org/2006/vcard/ns#hasEmail"])
def test_a_personal_property_is_found_whatever_its_value(pred):
    found = problems_of(q(ox.NamedNode(pred), ox.Literal("x")))
    assert found == [f"{S.value} (Graph {G.value}): hat die Eigenschaft {pred} (Personendaten)"]


@pytest.mark.parametrize("iri", ["mailto:jemand@example.org", "MAILTO:Jemand@Example.org", "tel:+4923242040",
                                 "TEL:02324", "fax:+4923242041"])
def test_contact_iris_are_found(iri):
    found = problems_of(q(ox.NamedNode(PREFIXES["skos"] + "related"), ox.NamedNode(iri)))
    assert found == [f"{S.value} (Graph {G.value}): verweist auf {iri!r}"]


@pytest.mark.parametrize("text, found", [
    ("Kontakt: erika.mustermann@teststadt.de", "persönliche E-Mail-Adresse 'erika.mustermann@teststadt.de'"),
    ("e.mustermann@teststadt.de", "persönliche E-Mail-Adresse 'e.mustermann@teststadt.de'"),
    ("Erika-Mustermann@stadt.example.org bitte", "persönliche E-Mail-Adresse 'Erika-Mustermann@stadt.example.org'"),
    ("Tel. 02324 / 204-3456", "Telefonnummer '02324 / 204-3456'"),
    ("+49 2324 2043456", "Telefonnummer '+49 2324 2043456'"),
    ("Ruf 023 4 56 7 an", "Telefonnummer '023 4 56 7'"),           # exactly seven digits
])
def test_personal_text_is_found_in_plain_and_language_literals(text, found):
    for literal in (ox.Literal(text), ox.Literal(text, language="de")):
        assert problems_of(q(NOTE, literal)) == [
            f"{S.value} (Graph {G.value}): enthält eine {found} ({NOTE.value})"]


@pytest.mark.parametrize("text", [
    "info@stadt-hattingen.de",              # a functional address
    "integration@ennepe-ruhr-kreis.de",
    "Drucksache 123/2020 vom 01.02.2020",   # numbers that are no phone numbers
    "Ruf 023 4 56 an",                      # six digits only
    "Postfach 1234, 45525 Hattingen",
    "2026",
    "Seite 0232",
])
def test_ordinary_text_passes(text):
    assert problems_of(q(NOTE, ox.Literal(text, language="de"))) == []


def test_typed_literals_are_values_not_text():
    # A number or a date typed as such is no contact detail, whatever its digits.
    lit = ox.Literal("023242043456", datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
    assert problems_of(q(NOTE, lit)) == []


def test_default_graph_is_named_as_such():
    quad = ox.Quad(S, NOTE, ox.Literal("erika.mustermann@teststadt.de"), ox.DefaultGraph())
    assert problems_of(quad)[0].startswith(f"{S.value} (Graph Standard): ")


def test_list_stops_at_the_limit():
    quads = [q(NOTE, ox.Literal(f"vorname.nachname{letters(i)}@teststadt.de"), s=ox.NamedNode(f"{S.value}{i}"))
             for i in range(5)]
    assert len(personal_data_problems(quads, limit=3)) == 3
    assert len(personal_data_problems(quads, limit=5)) == 5
    assert len(personal_data_problems(quads)) == 5


def _store(n: int) -> OxigraphStore:
    st = OxigraphStore.memory()
    st.load_quads([q(NOTE, ox.Literal(f"e.muster{letters(i)}@teststadt.de"), s=ox.NamedNode(f"{S.value}{i}"))
                   for i in range(n)])
    return st


def test_check_names_the_count_and_every_problem():
    with pytest.raises(PersonalData) as e:
        check_personal_data(_store(3))
    assert str(e.value).startswith("Der Export enthält 3 Angabe(n), die wie personenbezogene Daten aussehen; "
                                   "nichts wurde exportiert.")
    assert len(e.value.problems) == 3 and e.value.exit_code == 1


def test_check_says_when_there_are_more_than_it_lists():
    with pytest.raises(PersonalData) as e:
        check_personal_data(_store(60))
    assert "enthält 50+ Angabe(n)" in str(e.value)
    assert len(e.value.problems) == 50
    with pytest.raises(PersonalData) as e:
        check_personal_data(_store(49))
    assert "enthält 49 Angabe(n)" in str(e.value)


def test_clean_store_passes():
    st = OxigraphStore.memory()
    st.load_quads([q(NOTE, ox.Literal("Die vhs bietet Kurse für alle.", language="de"))])
    assert check_personal_data(st) is None
