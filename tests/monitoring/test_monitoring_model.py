"""Reading what people type: German numbers, periods, forgiving names with suggestions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from monitoring_fixtures import EX, G, fixture_store

from inko_graph.monitoring.model import (Names, areas, decimal_lexical, format_number, format_period, indicators,
                                         normalise_unit, parse_number, parse_period, slug)

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize("text, value", [
    ("19,6", "19.6"), ("326.049", "326049"), ("17.538.251", "17538251"), ("1.234,5", "1234.5"),
    ("7.2", "7.2"), ("0,5", "0.5"), ("-1,5", "-1.5"), (" 63 620 ", "63620"), ("12,0", "12.0"), (",5", "0.5"),
])
def test_parse_number_reads_german_numbers(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "12,3,4", "1.2.3", "1,234.5", "NaN", "inf", "1e5", "12 %x"])
def test_parse_number_rejects_what_is_no_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_decimal_lexical_and_german_format():
    assert decimal_lexical(Decimal("19.60")) == "19.6"
    assert decimal_lexical(Decimal("326049")) == "326049"
    assert decimal_lexical(Decimal("1E+3")) == "1000"
    assert format_number(326049) == "326.049"
    assert format_number(17538251.0) == "17.538.251"
    assert format_number(19.6) == "19,6"
    assert format_number(-3.7) == "-3,7"
    assert format_number(None) == ""


def test_parse_period():
    assert parse_period("2012").datatype.value == XSD + "gYear"
    d = parse_period("31.12.2010")
    assert (d.value, d.datatype.value) == ("2010-12-31", XSD + "date")
    assert parse_period("2010-12-31").value == "2010-12-31"
    for bad in ("12", "2012/13", "31.02.2012", "2012-13-01", "Ende 2012"):
        with pytest.raises(ValueError):
            parse_period(bad)
    assert format_period("2010-12-31") == "31.12.2010" and format_period("2011") == "2011"


def test_slug_and_units():
    assert slug("Bevölkerung 2012 (Stand Mai).csv") == "bevoelkerung-2012-stand-mai-csv"
    assert normalise_unit("%") == normalise_unit("Prozent") == normalise_unit("in %")
    assert normalise_unit("Anzahl") != normalise_unit("Prozent")


@pytest.fixture(scope="module")
def small():
    return fixture_store()


def test_names_find_by_iri_prefixed_label_alt_label_and_local_part(small):
    names = Names(indicators(small), "Indikator")
    for text in (EX + "mh-anteil", "<" + EX + "mh-anteil>", "id:test/mh-anteil", "Anteil Personen mit Migrationshintergrund",
                 "  anteil   PERSONEN mit migrationshintergrund ", "mh-anteil"):
        assert names.find(text) == (EX + "mh-anteil", ""), text
    assert names.find("Einwohner")[0] == EX + "bevoelkerung"


def test_names_suggest_when_nothing_matches(small):
    names = Names(areas(small), "Gebiet")
    iri, why = names.find("Hatingen")
    assert iri is None and "meinten Sie „Hattingen“ (g:hattingen)" in why
    assert names.find("EN-Kreis")[0] == G + "ennepe-ruhr-kreis"
    assert names.find("NRW")[0] == G + "nrw"
    iri, why = names.find("g:atlantis")
    assert iri is None and "gibt es nicht" in why
    iri, why = names.find("")
    assert iri is None and "fehlt" in why


def test_names_report_ambiguity():
    from inko_graph.monitoring.model import Indikator

    things = {EX + "a": Indikator(EX + "a", "Quote"), EX + "b": Indikator(EX + "b", "Quote")}
    iri, why = Names(things, "Indikator").find("quote")
    assert iri is None and "mehrdeutig" in why and "id:test/a" in why and "id:test/b" in why
