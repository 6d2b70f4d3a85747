"""The monitoring section of the Steuerungsgruppe report, on the fixture and on the real graph."""

from __future__ import annotations

import base64
from html.parser import HTMLParser

import pytest
from monitoring_fixtures import DATA, EX, fixture_store

from inko_graph.errors import InputError
from inko_graph.monitoring import report_section
from inko_graph.monitoring.bericht import goal_views
from inko_graph.monitoring.csvimport import import_bytes, import_csv
from inko_graph.monitoring.series import time_series
from inko_graph.store import OxigraphStore


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.imgs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.imgs.append(dict(attrs))


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


def test_section_on_the_fixture():
    html = report_section(fixture_store())
    p = _parse(html)
    assert p.tags[0] == "section" and "script" not in p.tags
    assert "Teilhabe aller Menschen" in html and "Anteil Personen mit Migrationshintergrund" in html
    assert "Hattingen: 22,5 % (2011); 2010: 21,5 %, Veränderung +1 Prozentpunkte" in html
    assert "Wo der Ennepe-Ruhr-Kreis im Vergleich zu Nordrhein-Westfalen steht" in html
    assert "Ziel ohne Indikator" in html and "Leitthema ohne Indikator" in html
    assert "326.049" in html and "362.049" in html and "Testbericht, Tabelle 2" in html
    assert p.imgs and all(i["src"].startswith("data:image/svg+xml;base64,") and i.get("alt") for i in p.imgs)
    svg = base64.b64decode(p.imgs[0]["src"].split(",", 1)[1])
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg


def test_section_for_a_town_keeps_to_its_goals_and_areas():
    html = report_section(fixture_store(), "Hattingen")
    assert "für Hattingen" in html
    assert "Leitthema ohne Indikator" not in html  # a goal of the Kreis concept
    assert "Wo Hattingen im Vergleich zum Ennepe-Ruhr-Kreis steht" in html
    with pytest.raises(InputError):
        report_section(fixture_store(), "Atlantis")


def test_text_from_the_data_is_escaped():
    st = fixture_store()
    st.inner.update('INSERT DATA { GRAPH <https://w3id.org/inko/graph/test> { '
                    '<https://w3id.org/inko/id/test/ziel-1> <http://www.w3.org/2004/02/skos/core#altLabel> "x" } }')
    st.inner.update('DELETE { GRAPH ?g { ?z <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } } '
                    'INSERT { GRAPH ?g { ?z <http://www.w3.org/2004/02/skos/core#prefLabel> "<script>alert(1)</script>"@de } } '
                    'WHERE { GRAPH ?g { ?z <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } '
                    'FILTER(?z = <https://w3id.org/inko/id/test/ziel-2>) }')
    html = report_section(st, charts=False)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_newly_imported_year_shows_in_the_report():
    st = fixture_store()
    import_csv(st, DATA / "gut-2012.csv")
    goals = {g.iri: g for g in goal_views(st)}
    view = next(v for v in goals[EX + "ziel-1"].indikatoren if v.iri == EX + "mh-anteil")
    kreis = next(e for e in view.entwicklungen if e.gebietname == "Ennepe-Ruhr-Kreis")
    assert (kreis.erster_zeitraum, kreis.letzter_zeitraum, kreis.letzter_wert) == ("2011", "2012", 19.8)
    html = report_section(st)
    assert "Ennepe-Ruhr-Kreis: 19,8 % (2012); 2011: 19,6 %, Veränderung +0,2 Prozentpunkte" in html


# -- the real graph -------------------------------------------------------------------------------

def test_section_on_the_real_graph(store):
    html = report_section(store)
    p = _parse(html)
    assert "script" not in p.tags
    # The Kreis against the Land, from Table 4.
    assert "Wo der Ennepe-Ruhr-Kreis im Vergleich zu Nordrhein-Westfalen steht" in html
    assert "17.538.251" in html
    # Goals that have an indicator, and the conflict of Tables 3 and 4.
    assert "Wie sich die Indikatoren der Ziele entwickelt haben" in html
    assert "23.380" in html and "26.380" in html
    assert len(p.imgs) >= 1


def test_section_for_a_town_and_for_its_kreis_on_the_real_graph(store):
    hattingen = report_section(store, "Hattingen", charts=False)
    # The Kreis's conflicting figures are not Hattingen's; Ratingen's goals and figures not either.
    assert "Widersprüchliche Werte (0)" in hattingen and "Ratingen" not in hattingen
    assert "Strategiekonzept Hattingen 2020" not in hattingen
    assert "Integrationskonzept der Stadt Hattingen" in hattingen
    kreis = report_section(store, "Ennepe-Ruhr-Kreis", charts=False)
    # The Kreis's view: its own concept and its town's, and its conflict.
    assert "Widersprüchliche Werte (1)" in kreis and "23.380" in kreis
    assert "Integrationskonzept der Stadt Hattingen" in kreis and "Integrationskonzept des Ennepe-Ruhr-Kreises" in kreis
    assert "Ratingen" not in kreis


def test_real_graph_with_a_new_year(store):
    """Done: a goal's indicator gets a new year by import; its time series and the report show it."""
    copy = OxigraphStore.memory()
    copy.load_quads(store.quads())
    # A goal whose indicator has values for the Kreis and the Land (Table 4 and goal 4.1 of the Kreis).
    views = [v for g in goal_views(copy) for v in g.indikatoren
             if {e.gebiet.rsplit("/", 1)[-1] for e in v.entwicklungen} >= {"ennepe-ruhr-kreis", "nrw"}]
    assert views, "no goal has an indicator with values for the Kreis and NRW"
    view = views[0]
    year = max(int(e.letzter_zeitraum[:4]) for e in view.entwicklungen) + 1
    csv = ("indikator;gebiet;zeitraum;wert;einheit;quelle\n"
           f"{view.iri};Ennepe-Ruhr-Kreis;{year};12,5;;Testimport\n"
           f"{view.iri};NRW;{year};13,5;;Testimport\n")
    before = time_series(copy, view.iri).rows
    plan = import_bytes(copy, csv.encode(), "neues-jahr.csv")
    after = time_series(copy, view.iri).rows
    assert len(after) == len(before) + 2 and plan.graph.endswith(f"neues-jahr-{year}")
    new = after[after["zeitraum"] == str(year)].set_index("gebiet")["wert"].to_dict()
    assert sorted(new.values()) == [12.5, 13.5]
    html = report_section(copy)
    unit = " %" if view.einheit in ("Prozent", "%") else ""
    assert f"Ennepe-Ruhr-Kreis: 12,5{unit} ({year})" in html
    assert f"Nordrhein-Westfalen: 13,5{unit} ({year})" in html
    assert len(store) < len(copy)  # the shared store stayed as it was


def test_pair_with_conflicting_values_shows_both_and_no_difference():
    import pyoxigraph as ox

    from inko_graph.monitoring.bericht import pair_views

    st = fixture_store()
    st.load_quads(ox.parse(b"""@prefix inko: <https://w3id.org/inko/def#> . @prefix ex: <https://w3id.org/inko/id/test/> .
        @prefix qb: <http://purl.org/linked-data/cube#> . @prefix g: <https://w3id.org/inko/id/gebiet/> .
        @prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix q: <https://w3id.org/inko/id/quelle/> .
        <https://w3id.org/inko/graph/test> { ex:o9 a qb:Observation ; qb:dataSet ex:daten ; inko:indikator ex:bevoelkerung ;
          sdmx-dimension:refArea g:nrw ; sdmx-dimension:refPeriod "2011"^^xsd:gYear ; inko:wert 17538251 ;
          dcterms:source q:900 ; inko:abschnitt "Tabelle 1" . }""".replace(b"dcterms:", b"<http://purl.org/dc/terms/>"
                                                                           ).replace(b"<http://purl.org/dc/terms/>source",
                                                                                     b"<http://purl.org/dc/terms/source>"),
                           format=ox.RdfFormat.TRIG))
    pair = next(p for p in pair_views(st) if p.vergleich.iri.endswith("/nrw"))
    rows = {r["indikator"]: r for r in pair.rows}
    pop = rows[EX + "bevoelkerung"]
    assert pop["werte"] == [326049.0, 362049.0] and pop["widerspruch"] and pop["differenz"] is None
    share = rows[EX + "mh-anteil"]
    assert not share["widerspruch"] and str(share["differenz"]) == "-3.7"
    assert [i[0] for i in pair.percent_items()] == ["Anteil Personen mit Migrationshintergrund"]
