"""The monitoring queries on a fixture with known answers, and on the real graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from monitoring_fixtures import EX, G, fixture_store

from inko_graph.errors import ConfigError
from inko_graph.monitoring.conflicts import find_conflicts
from inko_graph.monitoring.gaps import default_years, goals_without_indicator, indicators_without_current_value
from inko_graph.monitoring.integrity import constraints
from inko_graph.monitoring.model import catalogue
from inko_graph.query.catalogue import run

IC = ["monitoring-ic-01", "monitoring-ic-02", "monitoring-ic-03", "monitoring-ic-04", "monitoring-ic-05",
      "monitoring-ic-06", "monitoring-ic-11", "monitoring-ic-12", "monitoring-ic-13", "monitoring-ic-14",
      "monitoring-ic-19"]


@pytest.fixture(scope="module")
def small():
    return fixture_store()


def test_every_monitoring_query_has_a_header():
    names = [q for q in catalogue() if q.name.startswith("monitoring-")]
    assert len(names) >= 20
    for q in names:
        assert q.title and q.title_en and q.purpose, q.name


def test_indicators_with_kind_unit_goals_and_base_figures(small):
    df = run(small, catalogue().get("monitoring-indikatoren")).set_index("indikator")
    a = df.loc[EX + "mh-anteil"]
    assert a["artname"] == "Kennzahl" and a["einheit"] == "Prozent"
    assert a["ziele"] == "Teilhabe aller Menschen" and a["anzahl_ziele"] == 1
    assert set(a["grundzahlen"].split(" | ")) == {"Bevölkerungszahl", "Personen mit Migrationshintergrund"}
    assert a["anzahl_werte"] == 5 and a["neuester_zeitraum"] == "2011"
    assert df.loc[EX + "bevoelkerung", "datenquelle"] == "Zensus"
    assert df.loc[EX + "qualitativ", "artname"] == "qualitativer Indikator"
    assert len(df) == 5
    kennzahlen = run(small, catalogue().get("monitoring-indikatoren"), {"art": "ia:kennzahl"})
    assert set(kennzahlen["indikator"]) == {EX + "mh-anteil", EX + "abiquote"}


def test_goals_without_indicator(small):
    assert set(goals_without_indicator(small)["ziel"]) == {EX + "ziel-2", EX + "thema-1"}
    assert set(goals_without_indicator(small, G + "hattingen")["ziel"]) == {EX + "ziel-2"}
    # The Kreis's view holds its own concept and those of its towns.
    assert set(goals_without_indicator(small, G + "ennepe-ruhr-kreis")["ziel"]) == {EX + "thema-1", EX + "ziel-2"}


def test_indicators_of_an_area_count_its_values_and_those_of_the_places_in_it(small):
    q = catalogue().get("monitoring-indikatoren")
    hattingen = run(small, q, {"gebiet": G + "hattingen"}).set_index("indikator")
    assert hattingen.loc[EX + "mh-anteil", "anzahl_werte"] == 2 and hattingen.loc[EX + "mh-anteil", "neuester_zeitraum"] == "2011"
    assert hattingen.loc[EX + "bevoelkerung", "anzahl_werte"] == 1
    assert hattingen.loc[EX + "bevoelkerung", "neuester_zeitraum"] == "2008"
    assert hattingen.loc[EX + "qualitativ", "anzahl_werte"] != hattingen.loc[EX + "qualitativ", "anzahl_werte"]  # none
    kreis = run(small, q, {"gebiet": G + "ennepe-ruhr-kreis"}).set_index("indikator")
    assert kreis.loc[EX + "mh-anteil", "anzahl_werte"] == 3  # the Kreis's value and Hattingen's two
    assert kreis.loc[EX + "bevoelkerung", "anzahl_werte"] == 3
    # Ratingen has no concept and no value here: nothing is its.
    assert run(small, q, {"gebiet": G + "ratingen"}).empty


def test_real_indicators_of_the_chosen_area(store):
    q = catalogue().get("monitoring-indikatoren")
    every = run(store, q)
    hattingen = run(store, q, {"gebiet": G + "hattingen"})
    kreis = run(store, q, {"gebiet": G + "ennepe-ruhr-kreis"})
    ratingen = run(store, q, {"gebiet": G + "ratingen"})
    assert len(every) == 113 and len(hattingen) == 13 and len(kreis) == 53 and len(ratingen) == 60
    assert not hattingen["indikator"].str.contains("/ratingen/").any()
    assert set(hattingen["indikator"]) <= set(kreis["indikator"])
    assert not set(ratingen["indikator"]) & set(kreis["indikator"])
    # Gesamtbevölkerung: twelve areas have a value, Hattingen one.
    kid = "https://w3id.org/inko/id/kreis/indikator/gesamtbevoelkerung"
    assert every.set_index("indikator").loc[kid, "anzahl_werte"] == 12
    assert hattingen.set_index("indikator").loc[kid, "anzahl_werte"] == 1
    # the Kreis (printed in two tables of its concept) and its nine towns, not the Land
    assert kreis.set_index("indikator").loc[kid, "anzahl_werte"] == 11


def test_real_gaps_of_an_area_leave_out_the_general_town_strategy(store):
    everything = goals_without_indicator(store)
    assert not everything["konzeptname"].str.contains("Strategiekonzept").any()
    hattingen = goals_without_indicator(store, G + "hattingen")
    assert set(hattingen["konzeptname"]) == {"Integrationskonzept der Stadt Hattingen"} and len(hattingen) == 8
    kreis = goals_without_indicator(store, G + "ennepe-ruhr-kreis")
    assert set(kreis["konzeptname"]) == {"Integrationskonzept der Stadt Hattingen", "Integrationskonzept des Ennepe-Ruhr-Kreises"}
    values = indicators_without_current_value(store, 3, G + "hattingen")
    assert not values["indikator"].str.contains("/ratingen/|/kreis/").any() and len(values) == 2


def test_real_conflicts_of_an_area(store):
    assert len(find_conflicts(store)) == 1
    assert len(find_conflicts(store, gebiet=G + "ennepe-ruhr-kreis")) == 1
    assert find_conflicts(store, gebiet=G + "hattingen").empty and find_conflicts(store, gebiet=G + "ratingen").empty


def test_who_has_reported_values(store, small):
    from inko_graph.monitoring.meldungen import reporting

    m = reporting(store, 2011, G + "hattingen")
    assert m["gemeldet"] == [{"iri": G + "hattingen", "name": "Hattingen", "werte": 5}]
    assert [(a["name"], a["zuletzt"]) for a in m["fehlt"]] == [("Hattingen-Mitte, Holthausen, Welper und Winz-Baak", 2010)]
    kreis = reporting(store, 2011, G + "ennepe-ruhr-kreis")
    assert len(kreis["gemeldet"]) == 10 and {a["name"] for a in kreis["gemeldet"]} >= {"Ennepe-Ruhr-Kreis", "Breckerfeld"}
    assert reporting(store, 2010, G + "ratingen")["gemeldet"] == [{"iri": G + "ratingen", "name": "Ratingen", "werte": 2}]
    assert 2010 in kreis["jahre"] and 2011 in kreis["jahre"]
    small_m = reporting(small, 2008, G + "ennepe-ruhr-kreis")
    assert small_m["gemeldet"] == [{"iri": G + "hattingen", "name": "Hattingen", "werte": 1}]
    # the last year before the one asked for: none before 2008, 2011 before 2012
    assert ("Ennepe-Ruhr-Kreis", None) in [(a["name"], a["zuletzt"]) for a in small_m["fehlt"]]
    later = reporting(small, 2012, G + "ennepe-ruhr-kreis")
    assert later["gemeldet"] == [] and ("Ennepe-Ruhr-Kreis", 2011) in [(a["name"], a["zuletzt"]) for a in later["fehlt"]]


def test_indicators_without_current_value(small):
    df = indicators_without_current_value(small)
    assert set(df["indikator"]) == {EX + "mh-personen", EX + "abiquote"}
    assert set(df["neuestes_jahr"]) == {2011} and set(df["aktuell_ab"]) == {2009}
    hattingen = indicators_without_current_value(small, gebiet=G + "hattingen")
    assert set(hattingen["indikator"]) == {EX + "mh-personen", EX + "abiquote", EX + "bevoelkerung"}
    assert hattingen.set_index("indikator").loc[EX + "bevoelkerung", "letzter_zeitraum"] == "2008"
    # N counts back from the newest year: with N = 4, a value from 2008 is current.
    assert EX + "bevoelkerung" not in set(indicators_without_current_value(small, 4, G + "hattingen")["indikator"])


def test_years_setting(monkeypatch):
    monkeypatch.setenv("INKO_MONITORING_JAHRE", "5")
    assert default_years() == 5
    monkeypatch.setenv("INKO_MONITORING_JAHRE", "fünf")
    with pytest.raises(ConfigError):
        default_years()
    monkeypatch.delenv("INKO_MONITORING_JAHRE")
    assert default_years() == 3


def test_conflicts_are_found_by_query(small):
    df = find_conflicts(small)
    # 326.049 against 362.049; 23,3 and 23,30 are the same number and no conflict.
    assert len(df) == 1
    r = df.iloc[0]
    assert {r["wert_a"], r["wert_b"]} == {326049.0, 362049.0}
    assert {r["abschnitt_a"], r["abschnitt_b"]} == {"Tabelle 1", "Tabelle 2"}
    assert r["titel_a"] == "Testbericht" and not r["markiert"]
    assert find_conflicts(small, EX + "mh-anteil").empty


def test_integrity_constraints_hold_on_the_fixture(small):
    results = constraints(small)
    assert [c.name for c in results] == IC
    assert [c.name for c in results if c.broken] == []


def _with(extra_trig: str):
    st = fixture_store()
    st.load_quads(ox.parse(extra_trig.encode(), format=ox.RdfFormat.TRIG))
    return st


_P = """@prefix inko: <https://w3id.org/inko/def#> . @prefix ex: <https://w3id.org/inko/id/test/> .
@prefix qb: <http://purl.org/linked-data/cube#> . @prefix g: <https://w3id.org/inko/id/gebiet/> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix gr: <https://w3id.org/inko/graph/> .
"""


@pytest.mark.parametrize("name, trig", [
    ("monitoring-ic-01", "gr:x { ex:ohne a qb:Observation ; inko:indikator ex:mh-anteil ; sdmx-dimension:refArea g:witten ; "
                         "sdmx-dimension:refPeriod '2011'^^xsd:gYear ; inko:wert 1.0 . }"),
    ("monitoring-ic-01", "gr:x { ex:o1 qb:dataSet ex:daten-2 . }"),
    ("monitoring-ic-02", "gr:x { ex:daten qb:structure ex:a , ex:b . }"),
    ("monitoring-ic-03", "gr:x { ex:dsd a qb:DataStructureDefinition ; qb:component [ qb:componentProperty inko:indikator ] . }"),
    ("monitoring-ic-04", "gr:x { ex:dim a qb:DimensionProperty . }"),
    ("monitoring-ic-06", "gr:x { ex:dsd a qb:DataStructureDefinition ; qb:component [ qb:componentProperty inko:wert ; qb:componentRequired false ] . }"),
    ("monitoring-ic-11", "gr:x { ex:o9 a qb:Observation ; qb:dataSet ex:daten ; inko:indikator ex:mh-anteil ; "
                         "sdmx-dimension:refArea g:witten ; inko:wert 1.0 . }"),
    ("monitoring-ic-12", "gr:x { ex:o9 a qb:Observation ; qb:dataSet ex:daten ; inko:indikator ex:mh-anteil ; sdmx-dimension:refArea g:hattingen ; "
                         "sdmx-dimension:refPeriod '2010'^^xsd:gYear ; inko:wert 21.5 . }"),
    ("monitoring-ic-14", "gr:x { ex:o9 a qb:Observation ; qb:dataSet ex:daten ; inko:indikator ex:mh-anteil ; sdmx-dimension:refArea g:witten ; "
                         "sdmx-dimension:refPeriod '2010'^^xsd:gYear . }"),
    ("monitoring-ic-19", "gr:x { ex:o9 a qb:Observation ; qb:dataSet ex:daten ; inko:indikator ex:mh-anteil ; sdmx-dimension:refArea ex:atlantis ; "
                         "sdmx-dimension:refPeriod '2010'^^xsd:gYear ; inko:wert 1.0 . }"),
])
def test_each_integrity_constraint_catches_its_breach(name, trig):
    broken = [c.name for c in constraints(_with(_P + trig)) if c.broken]
    assert name in broken, broken


def test_data_set_without_structure_uses_the_default_only_while_it_exists():
    st = fixture_store()
    assert not [c for c in constraints(st) if c.broken]
    st.inner.update("DELETE WHERE { GRAPH ?g { <https://w3id.org/inko/id/vokabular/datenstruktur> a ?t } }")
    assert "monitoring-ic-02" in [c.name for c in constraints(st) if c.broken]


# -- the real graph -------------------------------------------------------------------------------

def test_integrity_constraints_hold_on_the_real_graph(store):
    results = constraints(store)
    assert [c.name for c in results] == IC
    broken = [f"{c.name}: {c.title}" for c in results if c.broken]
    assert broken == [], broken


def test_real_indicators_have_kinds_and_kennzahlen_name_their_base_figures(store):
    df = run(store, catalogue().get("monitoring-indikatoren"))
    assert len(df) >= 20
    assert set(df["artname"].dropna()) <= {"Grundzahl", "Kennzahl", "qualitativer Indikator"}
    assert df["artname"].notna().all()
    kennzahlen = df[df["artname"] == "Kennzahl"]
    assert kennzahlen["grundzahlen"].notna().any()
    # Hattingen's monitoring goals are measured by the indicators of section 3.7.
    hattingen = df[df["indikator"].str.startswith("https://w3id.org/inko/id/hattingen/indikator/")]
    assert (hattingen["anzahl_ziele"].fillna(0) > 0).sum() >= 3


def test_real_gaps(store):
    goals = goals_without_indicator(store)
    assert goals["ziel"].is_unique
    assert set(goals["zielart"]) <= {"Leitziel", "Leitthema", "Monitoringziel"}
    # No Hattingen Leitziel is measured by an indicator in the document: all 8 are gaps.
    hattingen = goals[goals["ziel"].str.startswith("https://w3id.org/inko/id/hattingen/leitziel/")]
    assert len(hattingen) == 8
    values = indicators_without_current_value(store)
    assert values["indikator"].is_unique
    assert (values["letztes_jahr"].isna() | (values["letztes_jahr"] < values["aktuell_ab"])).all()
