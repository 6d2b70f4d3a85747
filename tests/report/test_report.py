"""The report for the Steuerungsgruppe (inko_graph/report/, the ``report`` command)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pyoxigraph as ox
import pytest

from inko_graph.cli import main
from inko_graph.errors import InputError
from inko_graph.namespaces import GRAPH, ID, PREFIXES
from inko_graph.report import CSV_FILES, OUTPUT_HTML, SLOTS, ReportSection, build_report, write_report

from query_fixtures import load_fixture

DAY = dt.date(2026, 3, 2)
_OTHER_HOST = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def _csv(path):
    return pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def assert_self_contained(html: str) -> None:
    assert not _OTHER_HOST.search(html), _OTHER_HOST.search(html).group(0)
    assert "<link" not in html and "<script" not in html.lower() and "@import" not in html


@pytest.fixture(scope="module")
def fx():
    store = load_fixture()
    # A goal whose label would be markup if it were not escaped (it is a gap, so the report shows it).
    goal, label, graph = ox.NamedNode(ID + "a/tz/3-2"), ox.NamedNode(PREFIXES["skos"] + "prefLabel"), ox.NamedNode(GRAPH + "quelle-000")
    store.inner.remove(ox.Quad(goal, label, ox.Literal("Quartiere beleben", language="de"), graph))
    store.load_quads([ox.Quad(goal, label, ox.Literal('<script>alert("x")</script> & <img src="https://example.org/a.png">',
                                                      language="de"), graph)])
    return store


@pytest.fixture(scope="module")
def written(fx, settings, tmp_path_factory):
    """The report's own sections on the fixture (sections of other modules are tested with them)."""
    out = tmp_path_factory.mktemp("bericht")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("inko_graph.report.SECTION_MODULES", [])
        report = build_report(fx, settings, town="Hattingen", today=DAY)
    return report, out, write_report(report, out)


def test_writes_one_html_file_and_the_csv_files(written):
    report, out, paths = written
    assert [p.name for p in paths] == [OUTPUT_HTML] + list(CSV_FILES.values())
    assert all(p.stat().st_size > 0 for p in paths)
    html = (out / OUTPUT_HTML).read_text(encoding="utf-8")
    assert "Bericht für die Steuerungsgruppe: Hattingen" in html and "Stand: 02.03.2026" in html
    assert html.count('<table class="heatmap">') == 1  # one heat map: Konzept A is the only subject
    assert "data:image" not in html and '<span class="lesbar"> (Lücke)</span>' in html


def test_html_loads_nothing_from_other_hosts_and_escapes_the_data(written):
    _, out, _ = written
    html = (out / OUTPUT_HTML).read_text(encoding="utf-8")
    assert_self_contained(html)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=&#34;https://example.org/a.png&#34;&gt;" in html


def test_town_chooses_its_concepts_and_the_kreis_for_context(written):
    report, _, _ = written
    assert [k["konzept"] for k in report.context.konzepte] == [ID + "konzept/a"]  # the named-only concept is left out
    assert [k["konzept"] for k in report.context.kontext] == [ID + "konzept/b"]
    assert report.context.gebiet == ID + "gebiet/hattingen"


def test_gap_list(written):
    _, out, _ = written
    gaps = _csv(out / CSV_FILES["luecken"])
    by_kind = {k: sorted(g["iri"]) for k, g in gaps.groupby("luecke")}
    assert by_kind["Ziel ohne Maßnahme"] == sorted(ID + x for x in ("a/lz/3", "a/tz/3-1", "a/tz/3-2"))
    assert by_kind["Maßnahme ohne Zuständigkeit"] == [ID + "a/m/4"]  # not the Kreis's, not the unlinked activity
    assert by_kind["Ziel ohne Indikator"] == sorted(ID + x for x in ("a/lz/2", "a/lz/3", "a/mz/2"))
    assert by_kind["Handlungsfeld ohne Abgleich"] == [ID + "a/hf/2"]
    assert by_kind["Akteur ohne Aktivität"] == sorted(ID + "akteur/" + x for x in ("steuerungsgruppe-a", "unbeteiligt"))
    cells = gaps[gaps["luecke"] == "Lebensphase ohne Vorhaben im Handlungsfeld"]
    # As the cockpit's matrix: "Alle Lebensphasen" is empty where no undertaking is for all stages.
    assert sorted(zip(cells["handlungsfeld"], cells["lebensphase"])) == \
        [("Bildung", "Alle Lebensphasen"), ("Wohnen", "Alle Lebensphasen"), ("Wohnen", "Alter"),
         ("Wohnen", "Frühe Kindheit"), ("Wohnen", "Schulalter")]
    goal_stage = gaps[gaps["luecke"] == "Lebensphase ohne Vorhaben für ein Ziel"]
    assert sorted(zip(goal_stage["iri"], goal_stage["lebensphase"])) == [
        (ID + "a/tz/1-1", "Schulalter"), (ID + "a/tz/1-2", "Alter"), (ID + "a/tz/1-2", "Frühe Kindheit")]
    assert not gaps["iri"].str.contains("/b/|/c/").any()  # no gaps of the Kreis or of Ratingen


def test_overlap_list(written):
    _, out, _ = written
    ov = _csv(out / CSV_FILES["ueberschneidungen"])
    kinds = ov.groupby("ueberschneidung")["iri"].apply(sorted).to_dict()
    assert kinds["mehrere Akteure, gleiches Ziel"] == [ID + "a/tz/1-2"]
    assert kinds["ähnliche Maßnahmen"] == [f"{ID}a/m/1 {ID}b/m/1"]  # town and Kreis plan the same
    assert sorted(kinds["gleicher Zieltext"]) == sorted([f"{ID}a/tz/1-2 {ID}a/tz/3-1", f"{ID}a/tz/1-2 {ID}b/z/2",
                                                         f"{ID}a/tz/3-1 {ID}b/z/2", f"{ID}a/lz/2 {ID}a/tz/3-2"])
    assert ov[ov["ueberschneidung"] == "ähnliche Maßnahmen"]["aehnlichkeit"].str.match(r"^0,\d\d$").all()


def test_heatmap_table(written):
    _, out, _ = written
    heat = _csv(out / CSV_FILES["heatmap"]).set_index("handlungsfeld")
    assert list(heat.columns) == ["dokument", "Frühe Kindheit", "Schulalter", "Alter", "Alle Lebensphasen",
                                  "ohne Angabe", "iri"]
    assert heat.loc["Bildung", ["Frühe Kindheit", "Schulalter", "Alter", "Alle Lebensphasen", "ohne Angabe"]].tolist() == \
        ["1", "2", "1", "0", "0"]
    assert heat.loc["Arbeit", ["Alle Lebensphasen", "ohne Angabe"]].tolist() == ["1", "1"]
    assert heat.loc["Wohnen"].drop(["dokument", "iri"]).tolist() == ["0"] * 5


def test_central_actors(written):
    _, out, _ = written
    actors = _csv(out / CSV_FILES["akteure"])
    assert list(actors.columns) == ["akteur", "akteur_name", "gremium", "verbindungen", "vermittlung", "gruppen",
                                    "trennstelle", "vorhaben"]
    first = actors.iloc[0]
    assert first["akteur_name"] == "Stadt A" and first["gremium"] == "nein"
    assert ID + "akteur/vhs" in set(actors["akteur"])
    # the Kreis's administration is in the network for context (it works on a Kreis measure)
    assert ID + "akteur/kreisverwaltung" in set(actors["akteur"])
    # the town's network holds the actors working on its concepts: a body of the town that works on
    # none of their undertakings is not part of it
    assert ID + "akteur/steuerungsgruppe-a" not in set(actors["akteur"])


def test_sections_in_order_with_a_slot_for_changes_since_last_year(written, monkeypatch, fx, settings):
    report, _, _ = written
    assert [s.slot for s in report.sections] == ["ueberblick", "luecken", "ueberschneidungen", "netzwerk"]
    # With the registered section modules too, every section stands in the order of SLOTS.
    full = build_report(fx, settings, town="Hattingen", today=DAY)
    slots = [s.slot for s in full.sections]
    assert slots == sorted(slots, key=SLOTS.index)
    assert {"ueberblick", "luecken", "ueberschneidungen", "netzwerk"} <= set(slots)
    import sys
    import types

    mod = types.ModuleType("aenderungen_probe")
    mod.section = lambda ctx: ReportSection("aenderungen", "Änderungen seit dem Vorjahr", slot="aenderungen",
                                            paragraphs=[f"{len(ctx.konzepte)} Konzept"])
    monkeypatch.setitem(sys.modules, "aenderungen_probe", mod)
    monkeypatch.setattr("inko_graph.report.SECTION_MODULES", ["aenderungen_probe"])
    again = build_report(fx, settings, town="Hattingen", today=DAY)
    assert [s.id for s in again.sections][:2] == ["ueberblick", "aenderungen"]
    assert "aenderungen" in SLOTS


def test_without_town_every_concept_is_the_subject(fx, settings, tmp_path, monkeypatch):
    monkeypatch.setattr("inko_graph.report.SECTION_MODULES", [])
    report = build_report(fx, settings, today=DAY)
    assert {k["konzept"] for k in report.context.konzepte} == {ID + "konzept/" + x for x in "abc"}
    write_report(report, tmp_path)
    gaps = _csv(tmp_path / CSV_FILES["luecken"])
    assert ID + "c/lz/1" in set(gaps["iri"]) and ID + "b/hf/2" in set(gaps["iri"])
    html = (tmp_path / OUTPUT_HTML).read_text(encoding="utf-8")
    # Konzept C has no undertaking in its field: named, without a table of gaps (as the cockpit's matrix).
    assert html.count('<table class="heatmap">') == 2
    assert "Ohne Maßnahmen in seinen Handlungsfeldern (daher keine Tabelle): Konzept C." in html


def test_without_curated_links(fx, settings, tmp_path):
    write_report(build_report(fx, settings, town="Hattingen", include_curated=False, today=DAY), tmp_path)
    ov = _csv(tmp_path / CSV_FILES["ueberschneidungen"])
    assert "mehrere Akteure, gleiches Ziel" not in set(ov["ueberschneidung"])  # its Lebensphasen are curated
    assert "nur, was die Dokumente sagen" in (tmp_path / OUTPUT_HTML).read_text(encoding="utf-8")


def test_unknown_town_is_bad_input(fx, settings):
    with pytest.raises(InputError, match="Für 'Atlantis' gibt es kein Konzept.*Hattingen"):
        build_report(fx, settings, town="Atlantis")


def test_cli(capsys, monkeypatch, fx, tmp_path):
    import inko_graph.load.build

    monkeypatch.setattr(inko_graph.load.build, "ensure_built", lambda settings: fx)
    assert main(["--store", ":memory:", "report", "--town", "hattingen", "-o", str(tmp_path / "aus")]) == 0
    printed = capsys.readouterr().out.split()
    assert printed[0].endswith(OUTPUT_HTML) and len(printed) == 1 + len(CSV_FILES)
    assert main(["--store", ":memory:", "report", "--stadt", "Atlantis", "-o", str(tmp_path / "x")]) == 2
    assert "Fehler: Für 'Atlantis' gibt es kein Konzept" in capsys.readouterr().err


def test_report_on_the_real_graph(store, settings, tmp_path):
    report = build_report(store, settings, town="Hattingen", today=DAY)
    names = {k["konzeptname"] for k in report.context.konzepte}
    assert "Integrationskonzept der Stadt Hattingen" in names and "Strategiekonzept Hattingen 2020" not in names
    assert [k["konzeptname"] for k in report.context.rahmen] == ["Strategiekonzept Hattingen 2020"]
    assert all(k["gebiet"] == ID + "gebiet/ennepe-ruhr-kreis" for k in report.context.kontext)
    paths = write_report(report, tmp_path)
    html = paths[0].read_text(encoding="utf-8")
    assert_self_contained(html)
    heat = _csv(tmp_path / CSV_FILES["heatmap"])
    assert "Integrationskonzept der Stadt Hattingen" in set(heat["dokument"])
    assert not heat["iri"].str.contains("/kreis/|/ratingen/").any()
    actors = _csv(tmp_path / CSV_FILES["akteure"])
    assert ID + "akteur/stadt-hattingen" in set(actors["akteur"])


@pytest.mark.parametrize("town", ["Hattingen", "Ratingen"])
def test_a_town_by_its_area_iri_is_the_same_report(store, settings, town, monkeypatch):
    # The cockpit names the town by its area's IRI: its concepts are then asked for that area and the
    # Kreis alone, and the documents, the title and every table are those of the report by name.
    monkeypatch.setattr("inko_graph.report.SECTION_MODULES", [])
    by_name = build_report(store, settings, town=town, today=DAY)
    by_iri = build_report(store, settings, town=by_name.context.gebiet, today=DAY)
    assert by_iri.title == by_name.title and by_iri.context.gebiet == by_name.context.gebiet
    assert by_iri.context.konzepte == by_name.context.konzepte and by_iri.context.kontext == by_name.context.kontext
    assert by_iri.context.kontext or town == "Ratingen"
    for name, df in by_name.csv.items():
        pd.testing.assert_frame_equal(by_iri.csv[name], df)


def test_an_unknown_area_iri_names_the_known_towns(store, settings):
    with pytest.raises(InputError, match="gibt es kein Konzept.*Hattingen"):
        build_report(store, settings, town=ID + "gebiet/atlantis")
