"""Raster import: the round trip (template -> filled -> import -> query finds each activity), every
bad input file of tests/data/raster/ with its message and an unchanged store, and the rules of
replacing a submission."""

from __future__ import annotations

import csv
from datetime import datetime, timezone

import pyoxigraph as ox
import pytest

from inko_graph.errors import NotConformant, TooLarge
from inko_graph.namespaces import GRAPH
from inko_graph.query.catalogue import run
from inko_graph.raster.importer import import_raster
from inko_graph.raster.problems import RasterError
from inko_graph.raster.template import workbook_bytes
from inko_graph.raster.vocab import catalogue
from raster_fixtures import DATA, GOOD_ACTOR, GOOD_ROWS, H, fill_workbook, snapshot, to_bytes, world_store

GRAPH_VHS = GRAPH + "raster/vhs-hattingen/2026"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture()
def store():
    return world_store()


def _expectations() -> list[dict]:
    with (DATA / "erwartet.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


BAD_FILES = sorted(p.name for p in DATA.iterdir() if p.name.startswith("schlecht-"))


def test_every_bad_file_has_an_expectation_and_back():
    named = {e["datei"] for e in _expectations()}
    assert len(BAD_FILES) >= 16
    assert set(BAD_FILES) == named


@pytest.mark.parametrize("expected", _expectations(), ids=lambda e: f"{e['datei']}:{e['spalte'] or '-'}")
def test_bad_file_gives_its_message_and_changes_nothing(store, settings, expected):
    before = snapshot(store)
    data = (DATA / expected["datei"]).read_bytes()
    with pytest.raises(RasterError) as info:
        import_raster(data, expected["datei"], store, settings)
    assert snapshot(store) == before
    hits = [p for p in info.value.items
            if expected["enthaelt"] in p.de
            and (p.sheet or "") == expected["blatt"]
            and str(p.row or "") == expected["zeile"]
            and (p.column or "") == expected["spalte"]
            and (p.value or "") == expected["wert"]]
    assert hits, [(p.sheet, p.row, p.column, p.value, p.de) for p in info.value.items]
    # The CLI and the server show the same list: every problem names where it is.
    assert len(info.value.problems) == len(info.value.items)
    assert all(p.en and p.de != p.en for p in info.value.items)


@pytest.mark.parametrize("name", ["gut.xlsx", "gut.csv"])
def test_good_files_import(store, settings, name):
    result = import_raster((DATA / name).read_bytes(), name, store, settings, now=NOW)
    assert result.mapped.graph == GRAPH_VHS
    assert result.mapped.actor == H + "akteur/vhs-hattingen"  # the known actor, found by its other name
    assert len(result.mapped.activities) == 3
    assert GRAPH_VHS in store.graph_names()


def test_round_trip_template_fill_import_query(store, settings):
    template = workbook_bytes(store, settings, town="Hattingen", year=2026)
    wb = fill_workbook(template, GOOD_ACTOR, GOOD_ROWS)
    result = import_raster(to_bytes(wb), "vhs-2026.xlsx", store, settings, now=NOW)
    assert "Gespeichert" in result.summary()

    df = run(store, catalogue(settings.queries_dir).get("raster-aktivitaeten"), {"akteur": H + "akteur/vhs-hattingen"})
    by_title = {r.titel: r for r in df.itertuples()}
    assert set(by_title) == {"Deutschkurs am Abend", "Sprachcafé", "Bewerbungstraining"}
    kurs = by_title["Deutschkurs am Abend"]
    assert set(kurs.ziele.split("|")) == {H + "test-hattingen/leitziel/3", H + "test-hattingen-2020/ziel/1-c"}
    assert kurs.handlungsfelder == "Bildung und Kultur"
    assert kurs.lebensphasen == "Erwerbsalter"
    assert kurs.herkunft == "Blatt Aktivitäten, Zeile 2"
    assert int(kurs.jahr) == 2026
    cafe = by_title["Sprachcafé"]
    assert set(cafe.lebensphasen.split("|")) == {"Übergang Schule–Beruf", "Alle Lebensphasen"}
    assert cafe.ziele == H + "test-hattingen/leitziel/2"
    assert by_title["Bewerbungstraining"].handlungsfelder == "Arbeiten"  # "Arbeit" is its other label

    # The shared who-serves-which-goal query sees the activities too.
    who = run(store, catalogue(settings.queries_dir).get("wer-dient-welchem-ziel"), {"akteur": H + "akteur/vhs-hattingen"})
    assert {"Deutschkurs am Abend", "Sprachcafé", "Bewerbungstraining"} <= set(who["vorhabenname"])

    # Provenance and the description of the submission graph inside the graph itself.
    g = ox.NamedNode(GRAPH_VHS)
    facts = {(q.predicate.value, str(q.object)) for q in store.quads(GRAPH_VHS) if q.subject == g}
    assert ("https://w3id.org/inko/def#graphart", "<https://w3id.org/inko/id/vokabular/graphart/raster>") in facts
    assert ("http://purl.org/dc/terms/source", '"vhs-2026.xlsx"') in facts
    assert ("https://w3id.org/inko/def#berichtsjahr", '"2026"^^<http://www.w3.org/2001/XMLSchema#gYear>') in facts
    assert ("http://purl.org/dc/terms/creator", f"<{H}akteur/vhs-hattingen>") in facts
    assert not any(q.graph_name.value == GRAPH + "meta" for q in store.quads())


def test_partners_and_period(store, settings):
    import_raster((DATA / "gut.xlsx").read_bytes(), "gut.xlsx", store, settings, now=NOW)
    res = store.query("SELECT ?p ?z WHERE { GRAPH ?g { ?a skos:prefLabel \"Deutschkurs am Abend\"@de ; "
                      "inko:beteiligt ?p ; inko:zeitraum ?z } }")
    rows = {(r["p"].value, r["z"].value) for r in res}
    assert rows == {(H + "akteur/stadtbuecherei-hattingen", "2026-09-01/2027-06-30"),
                    (H + "akteur/nachbarschaftsverein-welper", "2026-09-01/2027-06-30")}
    new = store.query("SELECT ?l WHERE { GRAPH ?g { <https://w3id.org/inko/id/akteur/nachbarschaftsverein-welper> "
                      "a org:Organization ; skos:prefLabel ?l } }")
    assert [r["l"].value for r in new] == ["Nachbarschaftsverein Welper"]


def test_only_organisation_data_is_stored(store, settings):
    import_raster((DATA / "gut.xlsx").read_bytes(), "gut.xlsx", store, settings, now=NOW)
    actor = {(q.predicate.value, q.object.value) for q in store.quads(GRAPH_VHS)
             if q.subject.value == H + "akteur/vhs-hattingen"}
    assert ("https://w3id.org/inko/def#adresse", "Bredenscheider Str. 19, 45525 Hattingen") in actor
    assert ("http://xmlns.com/foaf/0.1/homepage", "https://www.vhs-hattingen.de") in actor
    assert ("https://w3id.org/inko/def#selbstdarstellung", "Die vhs bietet Kurse für alle.") in actor
    assert not any("mail" in p.lower() or "phone" in p.lower() for p, _ in actor)


def test_new_submission_replaces_the_earlier_one_of_the_same_year(store, settings):
    import_raster((DATA / "gut.xlsx").read_bytes(), "gut.xlsx", store, settings, now=NOW)
    template = workbook_bytes(store, settings, town="Hattingen", year=2026)
    wb = fill_workbook(template, GOOD_ACTOR, GOOD_ROWS[:1])
    result = import_raster(to_bytes(wb), "neu.xlsx", store, settings, now=NOW)
    assert result.replaced == 3
    assert "frühere Meldung für 2026 (3 Aktivitäten) wurde ersetzt" in result.summary()
    titles = {r["t"].value for r in store.query(
        "SELECT ?t ?g WHERE { GRAPH ?g { ?a a inko:Aktivitaet ; skos:prefLabel ?t } }", {"g": ox.NamedNode(GRAPH_VHS)})}
    assert titles == {"Deutschkurs am Abend"}


def test_other_year_is_another_graph(store, settings):
    import_raster((DATA / "gut.xlsx").read_bytes(), "gut.xlsx", store, settings, now=NOW)
    import_raster((DATA / "gut.csv").read_bytes(), "gut.csv", store, settings, year=2026, now=NOW)
    template = workbook_bytes(store, settings, town="Hattingen", year=2027)
    wb = fill_workbook(template, dict(GOOD_ACTOR, Berichtsjahr=2027), GOOD_ROWS)
    import_raster(to_bytes(wb), "2027.xlsx", store, settings, now=NOW)
    raster = [g for g in store.graph_names() if "/raster/" in g]
    assert raster == [GRAPH_VHS, GRAPH + "raster/vhs-hattingen/2027"]


def test_dry_run_changes_nothing(store, settings):
    before = snapshot(store)
    result = import_raster((DATA / "gut.xlsx").read_bytes(), "gut.xlsx", store, settings, dry_run=True)
    assert snapshot(store) == before
    assert result.summary().startswith("Probelauf")


def test_size_limit_names_the_limit(store, settings):
    before = snapshot(store)
    data = (DATA / "gut.xlsx").read_bytes()
    small = settings.with_(max_upload_bytes=10_000)
    with pytest.raises(TooLarge) as info:
        import_raster(data, "gut.xlsx", store, small)
    assert "höchstens 0,0 MB (10.000 Bytes)" in str(info.value)
    assert snapshot(store) == before


def test_year_from_option_must_agree_with_the_sheet(store, settings):
    before = snapshot(store)
    with pytest.raises(RasterError) as info:
        import_raster((DATA / "gut.xlsx").read_bytes(), "gut.xlsx", store, settings, year=2025)
    assert "Berichtsjahr 2026" in info.value.items[0].de and "2025" in info.value.items[0].de
    assert snapshot(store) == before


def test_messages_in_english(store, settings):
    with pytest.raises(RasterError) as info:
        import_raster((DATA / "schlecht-unbekannt.xlsx").read_bytes(), "x.xlsx", store, settings, lang="en")
    text = "\n".join(info.value.problems)
    assert "Unknown field of action. Did you mean" in text
    assert "sheet Aktivitäten, row 2, column Handlungsfeld" in text
    assert "nothing was saved" in str(info.value)


def test_ambiguous_goal_asks_which(store, settings):
    template = workbook_bytes(store, settings, town="Hattingen", year=2026)
    rows = [list(GOOD_ROWS[0])]
    rows[0][3] = "Leitziel 3"
    before = snapshot(store)
    with pytest.raises(RasterError) as info:
        import_raster(to_bytes(fill_workbook(template, GOOD_ACTOR, rows)), "x.xlsx", store, settings)
    p = info.value.items[0]
    assert p.de.startswith("Das Ziel ist nicht eindeutig: meinten Sie")
    assert "Integrationskonzept Hattingen, Leitziel 3" in p.de and "Strategiekonzept Hattingen 2020, Leitziel 3" in p.de
    assert snapshot(store) == before


def test_goals_of_another_town_are_not_allowed(store, settings):
    template = workbook_bytes(store, settings, town="Hattingen", year=2026)
    rows = [list(GOOD_ROWS[0])]
    rows[0][3] = "Sprachkompetenz fördern"  # a goal of Ratingen's concept
    with pytest.raises(RasterError) as info:
        import_raster(to_bytes(fill_workbook(template, GOOD_ACTOR, rows)), "x.xlsx", store, settings)
    # the message says whose goal it is, not "unknown"
    assert info.value.items[0].de.startswith("Das Ziel gehört zum Konzept von Ratingen"), info.value.items[0].de
    assert "Hattingen" in info.value.items[0].de


def test_phone_numbers_are_refused(store, settings):
    template = workbook_bytes(store, settings, town="Hattingen", year=2026)
    actor = dict(GOOD_ACTOR, Postanschrift="Bredenscheider Str. 19, 45525 Hattingen, Tel. 02324 2040")
    with pytest.raises(RasterError) as info:
        import_raster(to_bytes(fill_workbook(template, actor, GOOD_ROWS)), "x.xlsx", store, settings)
    p = info.value.items[0]
    assert (p.sheet, p.column) == ("Akteur", "Postanschrift") and "Telefonnummern" in p.de


def test_text_that_looks_like_a_formula_is_kept_as_text(store, settings):
    """A quoted text cell beginning with = is a value, not a formula: stored as written."""
    template = workbook_bytes(store, settings, town="Hattingen", year=2026)
    wb = fill_workbook(template, GOOD_ACTOR, GOOD_ROWS)
    cell = wb["Aktivitäten"]["B2"]
    cell.value = "=Deutsch für alle"
    cell.data_type = "s"
    cell.quotePrefix = True
    wb["Aktivitäten"]["B3"] = "'+ Kinderbetreuung"  # the apostrophe a spreadsheet user types
    import_raster(to_bytes(wb), "x.xlsx", store, settings)
    descs = {r["d"].value for r in store.query("SELECT ?d WHERE { GRAPH ?g { ?a dcterms:description ?d } }")}
    assert {"=Deutsch für alle", "+ Kinderbetreuung"} <= descs


def test_violation_of_the_shapes_writes_nothing(store, settings, monkeypatch):
    """If the mapped graph broke a rule (here: an activity serving an organisation, not a goal), nothing is written."""
    from inko_graph.raster import importer, mapping

    real = mapping.map_raster
    dient = "https://w3id.org/inko/def#dient"

    def broken(*args, **kwargs):
        mapped, problems = real(*args, **kwargs)
        mapped.triples = [ox.Triple(t.subject, t.predicate, ox.NamedNode(mapped.actor)) if t.predicate.value == dient
                          else t for t in mapped.triples]
        return mapped, problems

    monkeypatch.setattr(importer, "map_raster", broken)
    before = snapshot(store)
    with pytest.raises(NotConformant) as info:
        import_raster((DATA / "gut.xlsx").read_bytes(), "gut.xlsx", store, settings)
    assert info.value.exit_code == 1
    assert {r.message_de for r in info.value.report.results if r.severity == "Violation"} == {
        "„dient dem Ziel“ verweist auf etwas, das kein Ziel ist."}
    assert snapshot(store) == before


def test_import_into_the_real_graph(store, settings, built):
    """On the real graph: a Hattingen Raster with its goals by number is accepted in a dry run."""
    real = built.store
    template = workbook_bytes(real, settings, town="Hattingen", year=2026)
    rows = [["Elterncafé", None, "Bildung und Kultur (Strategiekonzept Hattingen 2020)", "3.3 / Leitziel 2",
             "frühe Kindheit", "Eltern", None, None, None, None]]
    actor = dict(GOOD_ACTOR, Organisation="vhs Hattingen")
    before = snapshot(real)
    result = import_raster(to_bytes(fill_workbook(template, actor, rows)), "x.xlsx", real, settings, dry_run=True)
    assert result.mapped.goals == {H + "hattingen/leitziel/2"}
    assert snapshot(real) == before


def test_accepted_uploads_are_kept_in_the_journal(tmp_path, store, settings):
    """Beside an on-disk store the accepted submission is recorded in the journal, which the build replays;
    a refused file and a trial run record nothing."""
    from inko_graph.store import journal
    from inko_graph.load.sources import Dataset

    disk = settings.with_(store_path=tmp_path / "store", data_dir=tmp_path / "data")  # no examples here
    with pytest.raises(RasterError):
        import_raster((DATA / "schlecht-datum.xlsx").read_bytes(), "x.xlsx", store, disk)
    assert journal.entries(disk) == []
    import_raster((DATA / "gut.xlsx").read_bytes(), "gut.xlsx", store, disk, now=NOW)
    kept = journal.entries(disk)
    assert [(e.kind, list(e.replace)) for e in kept] == [("raster", [GRAPH_VHS])]
    ds = Dataset()
    journal.replay(disk, ds)
    assert {str(t) for t in ds.graphs[GRAPH_VHS]} == {str(ox.Triple(q.subject, q.predicate, q.object))
                                                      for q in store.quads(GRAPH_VHS)}
    import_raster((DATA / "gut.xlsx").read_bytes(), "gut.xlsx", store, disk, dry_run=True)
    assert len(journal.entries(disk)) == 1  # a trial run keeps nothing new
