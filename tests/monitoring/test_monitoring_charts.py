"""Charts: SVG that is well-formed XML with German labels, escaped text and its numbers for screen readers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from monitoring_fixtures import EX, G, fixture_store

from inko_graph.monitoring.charts import comparison_chart, pair_chart, time_series_chart
from inko_graph.monitoring.series import comparison_period, time_series

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def series():
    return time_series(fixture_store(), EX + "mh-anteil")


def _texts(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return " ".join("".join(t.itertext()) for t in root.iter(SVG + "text"))


def test_time_series_svg_has_german_labels_and_every_area(series):
    svg = time_series_chart(series, title="Anteil Personen mit Migrationshintergrund")
    text = _texts(svg)
    for word in ("Jahr", "Wert (Prozent)", "Nordrhein-Westfalen", "Ennepe-Ruhr-Kreis", "Hattingen", "2010", "2011", "21,5"):
        assert word in text, word
    assert b"<script" not in svg


def test_same_data_same_svg(series):
    assert time_series_chart(series) == time_series_chart(series)


def test_comparison_uses_the_newest_period_with_several_areas(series):
    assert comparison_period(series) == "2011"
    text = _texts(comparison_chart(series, "2011", focus=G + "hattingen"))
    assert "22,5 %" in text and "23,3 %" in text and "19,6 %" in text and "2011" in text


def test_unknown_format(series):
    for fmt in ("png", "gif"):
        with pytest.raises(ValueError):
            time_series_chart(series, fmt=fmt)


def test_title_desc_and_label_carry_the_numbers(series):
    root = ET.fromstring(comparison_chart(series, "2011", title="Anteil 2011", focus=G + "hattingen"))
    assert root.get("role") == "img" and root.get("aria-label") == "Anteil 2011"
    assert root.find(SVG + "title").text == "Anteil 2011"
    desc = root.find(SVG + "desc").text
    assert "Hattingen 22,5 %" in desc and "19,6 %" in desc
    desc = ET.fromstring(time_series_chart(series)).find(SVG + "desc").text
    assert "Hattingen: 2010" in desc and "2011 22,5 %" in desc


def test_nice_ticks_cover_the_values():
    from inko_graph.monitoring.charts import nice_ticks

    assert nice_ticks(19.6, 23.3) == [19.0, 20.0, 21.0, 22.0, 23.0, 24.0]
    t = nice_ticks(0, 326049)
    assert t[0] == 0 and t[-1] >= 326049 and len(t) <= 7


def test_text_from_the_data_is_escaped():
    svg = pair_chart([("<script>alert(1)</script> & Co", 1.5, 2.5)], ("Kreis <b>", "Land"), unit="Prozent")
    assert b"<script>" not in svg and b"<b>" not in svg
    assert "<script>alert(1)</script> & Co" in _texts(svg)


def test_empty_series_draws_a_note():
    s = time_series(fixture_store(), EX + "abiquote")
    assert s.empty
    assert "Keine Werte vorhanden" in _texts(time_series_chart(s))
