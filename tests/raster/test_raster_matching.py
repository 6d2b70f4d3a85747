"""Forgiving mapping of written values to allowed terms, with exactly known answers."""

from __future__ import annotations

import pytest

from inko_graph.raster.columns import norm
from inko_graph.raster.matching import Matcher
from inko_graph.raster.vocab import Term

ID = "https://w3id.org/inko/id/"
LP = ID + "vokabular/lebensphase/"

PHASES = [
    Term(LP + "uebergang-schule-beruf", "Übergang Schule–Beruf", "Übergang Schule–Beruf", "3",
         ("Ausbildung", "Berufsorientierung")),
    Term(LP + "alter", "Alter", "Alter", "5", ("Senioren",)),
    Term(LP + "erwerbsalter", "Erwerbsalter", "Erwerbsalter", "4"),
    Term(LP + "fruehe-kindheit", "Frühe Kindheit", "Frühe Kindheit", "1"),
]
H, H20, KR = "Integrationskonzept Hattingen", "Strategiekonzept Hattingen 2020", "Integrationskonzept des Ennepe-Ruhr-Kreises"
GOALS = [
    Term(ID + "hattingen/leitziel/3", "Positive Medienpräsenz", f"{H}, Leitziel 3: Positive Medienpräsenz", "3",
         group=H, kind="Leitziel", sections=("3.3",)),
    Term(ID + "hattingen/leitziel/6", "Die Integrationsbereitschaft der Zugewanderten wird sichtbar.",
         f"{H}, Leitziel 6: Die Integrationsbereitschaft …", "6", group=H, kind="Leitziel", sections=("3.3",)),
    Term(ID + "hattingen-2020/leitziel/3", "Finanzpolitik nachhaltig ausrichten",
         f"{H20}, Leitziel 3: Finanzpolitik nachhaltig ausrichten", "3", group=H20, kind="Leitziel", sections=("3.4",)),
    Term(ID + "hattingen-2020/ziel/1-c", "Förderung der interkulturellen Begegnung",
         f"{H20}, Handlungsfeld 1, Teilziel c): Förderung der interkulturellen Begegnung", "c)", group=H20,
         kind="Teilziel", field_notation="1", sections=("3.4",)),
    Term(ID + "kreis/leitthema/2", "Interkulturelle Öffnung", f"{KR}, Leitthema 2: Interkulturelle Öffnung", "2",
         group=KR, kind="Leitthema"),
]


def test_norm():
    assert norm("Übergang Schule–Beruf") == norm("uebergang schule-beruf") == norm("UEBERGANG-SCHULE BERUF")
    assert norm("Straße") == norm("strasse")


@pytest.mark.parametrize("written, expected", [
    ("Übergang Schule–Beruf", "uebergang-schule-beruf"),      # the drop-down text
    ("übergang schule-beruf", "uebergang-schule-beruf"),      # case and hyphen
    ("Uebergang Schule Beruf", "uebergang-schule-beruf"),     # ue for ü, no dash
    ("Ubergang Schule/Beruf", "uebergang-schule-beruf"),      # u for ü
    ("  ausbildung ", "uebergang-schule-beruf"),              # another label
    ("lp:alter", "alter"),                                    # the short IRI
    (LP + "alter", "alter"),                                  # the IRI
    ("SENIOREN", "alter"),
    ("4", "erwerbsalter"),                                    # the number alone
    ("fruehe Kindheit", "fruehe-kindheit"),
])
def test_phases_found(written, expected):
    m = Matcher(PHASES).match(written)
    assert m.ok and m.term.iri == LP + expected


def test_unknown_phase_suggests_the_nearest():
    m = Matcher(PHASES).match("Erwerbsaltr")
    assert not m.ok and [t.label for t in m.suggestions][0] == "Erwerbsalter"
    m = Matcher(PHASES).match("Kindheit")  # part of a label
    assert [t.label for t in m.suggestions] == ["Frühe Kindheit"]
    assert Matcher(PHASES).match("Quantenphysik").suggestions == []


@pytest.mark.parametrize("written, expected", [
    ("3.3 / Leitziel 3", "hattingen/leitziel/3"),              # section and number
    ("Leitziel 3 (3.3)", "hattingen/leitziel/3"),
    ("LZ 6", "hattingen/leitziel/6"),                          # only one Leitziel 6
    ("Strategiekonzept Leitziel 3", "hattingen-2020/leitziel/3"),
    ("2020 Leitziel 3", "hattingen-2020/leitziel/3"),
    ("Handlungsfeld 1 Teilziel c", "hattingen-2020/ziel/1-c"),
    ("1c", "hattingen-2020/ziel/1-c"),
    ("Teilziel 1 c)", "hattingen-2020/ziel/1-c"),
    ("Leitthema 2", "kreis/leitthema/2"),
    ("Kreis Leitthema 2", "kreis/leitthema/2"),
    ("id:hattingen/leitziel/3", "hattingen/leitziel/3"),
    ("hattingen/leitziel/6", "hattingen/leitziel/6"),
    ("Positive Medienpräsenz", "hattingen/leitziel/3"),        # the wording alone
    (f"{H20}, Handlungsfeld 1, Teilziel c): Förderung der interkulturellen Begegnung", "hattingen-2020/ziel/1-c"),
])
def test_goals_found_by_reference(written, expected):
    m = Matcher(GOALS, by_number=True).match(written)
    assert m.ok, (m.candidates, m.suggestions)
    assert m.term.iri == ID + expected


def test_ambiguous_goal_lists_the_candidates():
    m = Matcher(GOALS, by_number=True).match("Leitziel 3")
    assert not m.ok
    assert {t.iri for t in m.candidates} == {ID + "hattingen/leitziel/3", ID + "hattingen-2020/leitziel/3"}


def test_goal_number_in_a_wrong_section_is_unknown():
    m = Matcher(GOALS, by_number=True).match("3.4 / Leitziel 6")
    assert not m.ok and not m.candidates
