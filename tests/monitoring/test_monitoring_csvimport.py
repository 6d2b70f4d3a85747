"""The CSV import: checked row by row, every error listed, nothing written on any error, one graph per import."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest
from monitoring_fixtures import DATA, EX, G, fixture_store, snapshot

from inko_graph.errors import InputError
from inko_graph.monitoring.csvimport import COLUMNS, import_bytes, import_csv, template_text
from inko_graph.monitoring.integrity import broken_constraints
from inko_graph.monitoring.series import time_series
from inko_graph.namespaces import GRAPH

BAD = sorted(DATA.glob("schlecht-*.csv"))
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def _expectation(path: Path) -> tuple[int, list[str]]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# erwartet:"), f"{path.name} must start with '# erwartet:'"
    parts = [p.strip() for p in first.split(":", 1)[1].split("|")]
    return int(parts[0].split()[0]), parts[1:]


def test_bad_files_found():
    assert len(BAD) >= 8


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_file_lists_every_error_and_writes_nothing(path):
    st = fixture_store()
    before_len, before = len(st), snapshot(st)
    count, fragments = _expectation(path)
    with pytest.raises(InputError) as info:
        import_csv(st, path)
    err = info.value
    assert "nichts wurde gespeichert" in str(err) and path.name in str(err)
    assert len(err.problems) == count, err.problems
    text = "\n".join(err.problems)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    # Every problem names a row and says what is allowed or what is wrong.
    assert all(p.startswith("Zeile ") for p in err.problems)
    assert len(st) == before_len and snapshot(st) == before


def test_good_rows_beside_a_bad_one_are_not_written():
    st = fixture_store()
    before = snapshot(st)
    data = (DATA / "gut-2012.csv").read_bytes() + "Bevölkerungszahl;Witten;2012;zwei;;IT.NRW\n".encode()
    with pytest.raises(InputError) as info:
        import_bytes(st, data, "gemischt.csv")
    assert [p for p in info.value.problems if "Zeile 7" in p and "„zwei“" in p]
    assert snapshot(st) == before


def test_import_adds_a_point_to_the_time_series():
    st = fixture_store()
    assert "2012" not in set(time_series(st, EX + "mh-anteil").rows["zeitraum"])
    plan = import_csv(st, DATA / "gut-2012.csv", now=NOW)
    assert plan.written and len(plan.rows) == 4
    rows = time_series(st, EX + "mh-anteil").rows
    new = rows[rows["zeitraum"] == "2012"].set_index("gebiet")["wert"].to_dict()
    assert new == {G + "hattingen": 22.9, G + "ennepe-ruhr-kreis": 19.8, G + "nrw": 23.5}
    pop = time_series(st, EX + "bevoelkerung", G + "hattingen").rows
    assert set(pop["zeitraum"]) == {"2008", "2012-12-31"}
    assert broken_constraints(st) == []


def test_import_graph_describes_itself():
    st = fixture_store()
    plan = import_csv(st, DATA / "gut-2012.csv", now=NOW)
    assert plan.graph == GRAPH + "statistik/gut-2012-2012"
    res = st.query("""SELECT ?g ?art ?datei ?zeit ?struktur WHERE { GRAPH ?g {
        ?g a inko:Quellgraph ; inko:graphart ?art ; dcterms:source ?datei ; prov:generatedAtTime ?zeit .
        ?ds a qb:DataSet ; qb:structure ?struktur } }""", {"g": ox.NamedNode(plan.graph)}, union=False)
    rows = list(res)
    assert len(rows) == 1
    r = rows[0]
    assert r["art"].value.endswith("graphart/statistik") and r["datei"].value == "gut-2012.csv"
    assert r["zeit"].value in ("2026-11-22T10:00:00Z", "2026-11-22T10:00:00+00:00")
    assert r["struktur"].value == "https://w3id.org/inko/id/vokabular/datenstruktur"
    # Values as xsd:decimal, units filled in from the indicator, sources kept, rows cited.
    obs = list(st.query("""SELECT ?g ?i ?ar ?w ?e ?q ?a WHERE { GRAPH ?g { ?o inko:indikator ?i ; sdmx-dimension:refArea ?ar ;
        inko:wert ?w ; inko:einheit ?e ; dcterms:source ?q ; inko:abschnitt ?a } }""",
                        {"g": ox.NamedNode(plan.graph), "i": ox.NamedNode(EX + "mh-anteil"),
                         "ar": ox.NamedNode(G + "ennepe-ruhr-kreis")}, union=False))
    assert len(obs) == 1
    assert obs[0]["w"] == ox.Literal("19.8", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    assert obs[0]["e"].value == "Prozent" and obs[0]["q"].value == "IT.NRW, Zensusfortschreibung 2012"
    assert obs[0]["a"].value == "gut-2012.csv, Zeile 4"
    # A source given as a document's short name links to the document.
    linked = list(st.query("SELECT ?g ?o WHERE { GRAPH ?g { ?o dcterms:source q:900 } }",
                           {"g": ox.NamedNode(plan.graph)}, union=False))
    assert len(linked) == 1


def test_dry_run_checks_but_writes_nothing():
    st = fixture_store()
    before = snapshot(st)
    plan = import_csv(st, DATA / "gut-2012.csv", dry_run=True)
    assert not plan.written and len(plan.triples) > 4 * 8
    assert "Probelauf" in plan.summary() and "nichts wurde gespeichert" in plan.summary()
    assert snapshot(st) == before


def test_reimport_replaces_the_earlier_import_of_the_same_file():
    st = fixture_store()
    first = import_csv(st, DATA / "gut-2012.csv", now=NOW)
    n = len(st)
    changed = (DATA / "gut-2012.csv").read_text(encoding="utf-8").replace("22,9", "23,0")
    second = import_bytes(st, changed.encode(), "gut-2012.csv", now=NOW)
    assert second.graph == first.graph and second.replaces and not first.replaces
    assert len(st) == n
    rows = time_series(st, EX + "mh-anteil", G + "hattingen").rows
    assert rows[rows["zeitraum"] == "2012"]["wert"].tolist() == [23.0]


def test_comma_separated_file_with_quoted_decimal_commas():
    st = fixture_store()
    plan = import_csv(st, DATA / "gut-komma.csv")
    assert plan.graph.endswith("/gut-komma-2013")
    values = {(r.indikator, r.gebiet): r.wert for r in plan.rows}
    assert str(values[(EX + "bevoelkerung", G + "ennepe-ruhr-kreis")]) == "325200.0"
    assert str(values[(EX + "mh-anteil", G + "witten")]) == "22.1"


def test_windows_encoding_and_byte_order_mark_are_read():
    st = fixture_store()
    text = "indikator;gebiet;zeitraum;wert;einheit;quelle\nBevölkerungszahl;Sprockhövel;2012;25.000;;Stadt Sprockhövel\n"
    plan = import_bytes(st, text.encode("cp1252"), "alt.csv", dry_run=True)
    assert plan.rows[0].gebiet == G + "sprockhoevel"
    plan = import_bytes(st, "\ufeff".encode() + text.encode(), "bom.csv", dry_run=True)
    assert plan.rows[0].indikator == EX + "bevoelkerung"


def test_conflict_with_a_value_in_the_graph_is_kept_and_noted():
    st = fixture_store()
    data = "indikator;gebiet;zeitraum;wert;einheit;quelle\nAnteil Personen mit Migrationshintergrund;Hattingen;2011;22,7;;Stadtstatistik\n" \
           "Anteil Personen mit Migrationshintergrund;NRW;2011;23,3;;IT.NRW\n"
    plan = import_bytes(st, data.encode(), "korrektur.csv")
    assert any("Zeile 2" in n and "weicht ab von 22,5" in n for n in plan.notes)
    assert any("Zeile 3" in n and "derselbe Wert 23,3" in n for n in plan.notes)
    from inko_graph.monitoring.conflicts import find_conflicts

    df = find_conflicts(st, EX + "mh-anteil")
    assert len(df) == 1 and {df.iloc[0]["wert_a"], df.iloc[0]["wert_b"]} == {22.5, 22.7}


def test_empty_and_headless_files():
    st = fixture_store()
    for data, expected in [(b"", "Kopfzeile fehlt"), (b"# nur ein Kommentar\n", "Kopfzeile fehlt"),
                           (";".join(COLUMNS).encode() + b"\n", "keine Werte")]:
        with pytest.raises(InputError) as info:
            import_bytes(st, data, "leer.csv")
        assert any(expected in p for p in info.value.problems), info.value.problems


def test_template_has_the_columns_and_imports_as_nothing_but_a_header():
    text = template_text()
    assert text.splitlines()[0] == ";".join(COLUMNS)
    assert "Dezimalkomma" in text
    with pytest.raises(InputError) as info:
        import_bytes(fixture_store(), text.encode(), "vorlage.csv")
    assert any("keine Werte" in p for p in info.value.problems)


def test_unreadable_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        import_csv(fixture_store(), tmp_path / "fehlt.csv")
