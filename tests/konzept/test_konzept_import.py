"""Importing a Konzept workbook: a new town's concept, and every kind of bad input refused per cell."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from inko_graph.analysis.diff import diff_triples
from inko_graph.konzept.importer import import_file
from inko_graph.store import OxigraphStore
from inko_graph.workbook.problems import SheetError
from konzept_fixtures import KONZEPT, MASSNAHMEN, ZIELE, fill, template, to_bytes

I = "https://w3id.org/inko/def#"
G = "https://w3id.org/inko/graph/konzept/sprockhoevel-2026"


@pytest.fixture(scope="module")
def tmpl(store, settings):
    return template(store, settings)


@pytest.fixture(scope="module")
def work(store):
    """One copy of the real graph for the module: the imports replace the same concept's graph."""
    fresh = OxigraphStore.memory()
    fresh.load_quads(store.quads())
    return fresh


def snapshot(store) -> set:
    return set(store.quads())


def test_new_town_concept_goes_into_its_own_graph(work, settings, tmpl):
    result = import_file(to_bytes(fill(tmpl)), "sprockhoevel.xlsx", work, settings)
    assert result.mapped.graph == G
    assert result.mapped.gebiet == "https://w3id.org/inko/id/gebiet/sprockhoevel"
    assert result.mapped.counts == {"handlungsfelder": 2, "ziele": 3, "massnahmen": 2, "indikatoren": 1, "akteure": 1}
    rows = {(r["s"].value, r["p"].value, r["o"].value) for r in work.query(
        "SELECT ?s ?p ?o WHERE { GRAPH <" + G + "> { ?s ?p ?o } }")}
    leit = "https://w3id.org/inko/id/sprockhoevel-2026/leitziel/1"
    teil = "https://w3id.org/inko/id/sprockhoevel-2026/teilziel/1-1"
    assert (teil, "http://www.w3.org/2004/02/skos/core#broader", leit) in rows
    assert (leit, I + "abschnitt", "3.1") in rows and (leit, I + "abschnitt", "Blatt Ziele, Zeile 2") in rows
    assert (leit, "http://purl.org/dc/terms/source", G) in rows
    assert (leit, "http://purl.org/dc/terms/source", KONZEPT["Quelle"]) in rows
    assert (leit, "http://www.w3.org/2004/02/skos/core#broadMatch",
            "https://w3id.org/inko/id/kreis/leitthema/1") in rows
    m1 = "https://w3id.org/inko/id/sprockhoevel-2026/massnahme/1"
    assert (m1, I + "dient", teil) in rows
    assert (m1, I + "lebensphase", "https://w3id.org/inko/id/vokabular/lebensphase/fruehe-kindheit") in rows
    # the answers the cockpit and the endpoint give: the measure serves the goal
    ask = work.query("ASK { ?m <" + I + "dient> ?z . ?z <http://www.w3.org/2004/02/skos/core#inScheme> "
                     "<https://w3id.org/inko/id/konzept/sprockhoevel-2026> }")
    assert bool(ask)


def test_new_import_replaces_and_keeps_the_old_version_for_diff(work, settings, tmpl):
    first = import_file(to_bytes(fill(tmpl)), "v1.xlsx", work, settings)
    ziele = [list(z) for z in ZIELE]
    ziele[2][1] = "Zugewanderte finden eine Arbeit, die ihrer Qualifikation entspricht."
    second = import_file(to_bytes(fill(tmpl, ziele=ziele)), "v2.xlsx", work, settings)
    assert second.previous is not None
    assert set(second.previous) == set(first.mapped.triples)
    now = {ox.Triple(q.subject, q.predicate, q.object) for q in work.quads(G)}
    assert now == set(second.mapped.triples)
    d = diff_triples(second.previous, now)
    text = d.to_markdown("de")
    assert "Zugewanderte finden eine Arbeit" in text


def _problems(work, settings, wb, name="x.xlsx"):
    before = snapshot(work)
    with pytest.raises(SheetError) as info:
        import_file(to_bytes(wb), name, work, settings)
    assert snapshot(work) == before, "a refused file must change nothing"
    return info.value.items


def test_unknown_vocabulary_term_with_suggestion(work, settings, tmpl):
    ziele = [list(z) for z in ZIELE]
    ziele[0][5] = "Frühe Kindhiet"
    items = _problems(work, settings, fill(tmpl, ziele=ziele))
    p = next(p for p in items if p.column == "Lebensphase")
    assert (p.sheet, p.row, p.value) == ("Ziele", 2, "Frühe Kindhiet")
    assert p.de.startswith("Unbekannte Lebensphase.") and "Meinten Sie „Frühe Kindheit“" in p.de


def test_measure_pointing_to_a_goal_that_does_not_exist(work, settings, tmpl):
    massnahmen = [list(m) for m in MASSNAHMEN]
    massnahmen[1][3] = "7"
    items = _problems(work, settings, fill(tmpl, massnahmen=massnahmen))
    assert len(items) == 1
    p = items[0]
    assert (p.sheet, p.row, p.column, p.value) == ("Maßnahmen", 3, "Ziel", "7")
    assert "gibt es im Blatt „Ziele“ nicht" in p.de and "1.1" in p.allowed_de


def test_cycle_of_higher_goals(work, settings, tmpl):
    ziele = [list(z) for z in ZIELE]
    ziele[0][3] = "1.1"   # 1 under 1.1, 1.1 under 1
    items = _problems(work, settings, fill(tmpl, ziele=ziele))
    cyc = [p for p in items if "Kreis" in p.de and p.column == "Übergeordnet"]
    assert {p.row for p in cyc} == {2, 3} and all(p.sheet == "Ziele" for p in cyc)


def test_goal_above_itself_is_a_cycle(work, settings, tmpl):
    ziele = [list(z) for z in ZIELE]
    ziele[2][3] = "2"
    items = _problems(work, settings, fill(tmpl, ziele=ziele))
    assert any(p.row == 4 and "bilden einen Kreis" in p.de for p in items)


def test_missing_and_unknown_gebiet(work, settings, tmpl):
    items = _problems(work, settings, fill(tmpl, konzept={**KONZEPT, "Gebiet": None}))
    # the template fills in the town; the test empties the cell
    assert any(p.sheet == "Konzept" and p.column == "Gebiet" and "Pflichtangabe fehlt" in p.de for p in items)
    items = _problems(work, settings, fill(tmpl, konzept={**KONZEPT, "Gebiet": "Sprockhoefel"}))
    p = next(p for p in items if p.column == "Gebiet")
    assert p.de.startswith("Unbekanntes Gebiet.") and "Sprockhövel" in p.de


def test_duplicate_numbers(work, settings, tmpl):
    ziele = [list(z) for z in ZIELE] + [["1", "Noch ein Ziel mit derselben Nummer.", None, None, None, None, None,
                                         None, None, "3.9"]]
    items = _problems(work, settings, fill(tmpl, ziele=ziele))
    p = next(p for p in items if p.row == 5)
    assert p.sheet == "Ziele" and p.de.startswith("Doppelt") and "Zeile 2" in p.de


def test_wrong_and_missing_columns(work, settings, tmpl):
    wb = fill(tmpl)
    ws = wb["Ziele"]
    ws.cell(row=1, column=2, value="Zielbeschreibung lang")   # the required column „Ziel“ renamed
    items = _problems(work, settings, wb)
    assert any(p.sheet == "Ziele" and p.column == "Zielbeschreibung lang" and "Unbekannte Spalte" in p.de for p in items)
    assert any(p.sheet == "Ziele" and p.column == "Ziel" and "Die Spalte fehlt" in p.de for p in items)


def test_missing_sheet(work, settings, tmpl):
    wb = fill(tmpl)
    del wb["Ziele"]
    items = _problems(work, settings, wb)
    assert any(p.sheet == "Ziele" and "Das Blatt fehlt" in p.de for p in items)


def test_goal_of_the_kreis_unknown_gets_suggestions(work, settings, tmpl):
    ziele = [list(z) for z in ZIELE]
    ziele[0][7] = "Chancengleichhiet"
    items = _problems(work, settings, fill(tmpl, ziele=ziele))
    p = next(p for p in items if p.column == "Kreisziel")
    assert p.de.startswith("Unbekanntes Kreisziel.") and "Chancengleichheit" in p.de


def test_shapes_are_checked_and_a_violation_refused(work, settings, tmpl, monkeypatch):
    """A mapping bug that broke the shapes would be stopped before the write (guard test)."""
    from inko_graph.errors import NotConformant
    from inko_graph.konzept import importer

    real = importer.map_konzept

    def broken(kf, lists, **kw):
        mapped, problems = real(kf, lists, **kw)
        mapped.triples = [t for t in mapped.triples if t.predicate.value != "http://www.w3.org/2004/02/skos/core#inScheme"]
        return mapped, problems

    monkeypatch.setattr(importer, "map_konzept", broken)
    before = snapshot(work)
    with pytest.raises(NotConformant):
        import_file(to_bytes(fill(tmpl)), "x.xlsx", work, settings)
    assert snapshot(work) == before


def test_alignment_suggestions_confirmed_become_curated_links(work, settings, tmpl):
    """Export with the sheet „Abgleich“: Kreis goals suggested; a confirmed row becomes a curated link with reason."""
    import io

    import openpyxl

    from inko_graph.konzept.export import export_book
    from inko_graph.konzept.template import template_bytes

    first = import_file(to_bytes(fill(tmpl)), "s.xlsx", work, settings)
    book, _ = export_book(work, settings, "Sprockhövel", first.mapped.konzept, abgleich=True)
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(book, "xlsx")))
    ws = wb["Abgleich"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    leit = "id:sprockhoevel-2026/leitziel/2"
    mine = [r for r in rows if r[0] == leit]
    assert 1 <= len(mine) <= 3 and all(r[5] > 0 for r in mine)
    assert any("Kreis" in (r[4] or "") for r in rows)
    # confirm the first suggestion for goal 2
    row = next(i for i, r in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2) if r[0] == leit)
    ws.cell(row=row, column=7, value="ja")
    ws.cell(row=row, column=9, value="Beide Ziele wollen Zugewanderte in passende Arbeit bringen.")
    again = import_file(to_bytes(wb), "s2.xlsx", work, settings)
    cur = "https://w3id.org/inko/graph/kuratiert/abgleich-sprockhoevel-2026"
    got = {(q.subject.value, q.predicate.value, q.object.value) for q in work.quads(cur)}
    target = next(r[2] for r in mine)
    assert any(s.endswith("/leitziel/2") and p.endswith("#closeMatch") for s, p, _ in got), target
    assert any(p == "https://w3id.org/inko/def#begruendung" for _, p, _ in got)
    # the concept's own graph has no such link: curated stays curated
    own = {(q.predicate.value) for q in work.quads(again.mapped.graph)}
    assert "http://www.w3.org/2004/02/skos/core#closeMatch" not in own
    # the graph counts as curated
    from inko_graph.query.catalogue import curated_graphs

    assert cur in curated_graphs(work)


def test_confirmed_alignment_without_reason_is_refused(work, settings, tmpl):
    import io

    import openpyxl

    from inko_graph.konzept.export import export_book
    from inko_graph.konzept.template import template_bytes

    first = import_file(to_bytes(fill(tmpl)), "s.xlsx", work, settings)
    book, _ = export_book(work, settings, "Sprockhövel", first.mapped.konzept, abgleich=True)
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(book, "xlsx")))
    wb["Abgleich"].cell(row=2, column=7, value="ja")
    items = _problems(work, settings, wb)
    assert [(p.sheet, p.row, p.column) for p in items] == [("Abgleich", 2, "Begründung")]


def test_on_disk_the_versions_are_kept_for_diff_and_a_rebuild_keeps_the_concept(tmp_path, settings, tmpl,
                                                                                  built_on_disk):
    from built_store import copy_built
    from inko_graph.load.build import build, ensure_built
    from inko_graph.cli import main

    disk = settings.with_(store_path=tmp_path / "var" / "store")
    copy_built(built_on_disk, disk.store_path)  # the session's on-disk build, as if built here
    store = ensure_built(disk)
    import_file(to_bytes(fill(tmpl)), "v1.xlsx", store, disk)
    ziele = [list(z) for z in ZIELE]
    ziele[1][1] = "Jede Kita und jede Grundschule bietet Sprachförderung an."
    second = import_file(to_bytes(fill(tmpl, ziele=ziele)), "v2.xlsx", store, disk)
    old, new = second.kept
    assert old.name.endswith("-vorher.nq") and old.parent == new.parent == tmp_path / "var" / "konzept-fassungen" / "sprockhoevel-2026"
    out = tmp_path / "diff.md"
    assert main(["diff", str(old), str(new), "-o", str(out)]) == 0
    assert "Jede Kita und jede Grundschule bietet Sprachförderung an." in out.read_text(encoding="utf-8")
    del store
    rebuilt = build(disk).store
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in rebuilt.quads(G)} == set(second.mapped.triples)


def test_kennung_of_a_concept_may_not_leave_its_folder(work, settings, tmpl, tmp_path):
    """The Kennung names the graph and the folder of kept versions: "/" or ".." in it is refused."""
    disk = settings.with_(store_path=tmp_path / "var" / "store")
    before = snapshot(work)
    for kennung in ("id:konzept/../../../ausserhalb", "id:konzept/a/b", "<https://w3id.org/inko/id/konzept/x.y>"):
        with pytest.raises(SheetError) as e:
            import_file(to_bytes(fill(tmpl, konzept={**KONZEPT, "Kennung": kennung})), "k.xlsx", work, disk)
        assert any(p.sheet == "Konzept" and "Kleinbuchstaben, Ziffern und Bindestriche" in p.de
                   for p in e.value.items), kennung
    assert snapshot(work) == before
    assert not (tmp_path / "ausserhalb").exists() and not list(tmp_path.rglob("*.nq"))


def test_a_towns_key_may_not_replace_another_towns_concept(work, settings, store, tmpl):
    """With a town's key (the cockpit upload), a Kennung naming another area's concept is refused."""
    import_file(to_bytes(fill(tmpl)), "sprockhoevel.xlsx", work, settings)
    before = snapshot(work)
    hattingen = "https://w3id.org/inko/id/gebiet/hattingen"
    for kennung in ("id:konzept/sprockhoevel-2026", "id:konzept/kreis-integrationskonzept"):
        data = to_bytes(fill(template(store, settings, "Hattingen"),
                             konzept={**KONZEPT, "Gebiet": "Hattingen", "Kennung": kennung}))
        with pytest.raises(SheetError) as e:
            import_file(data, "k.xlsx", work, settings, allowed_gebiet=hattingen)
        assert any("gehört zu" in p.de for p in e.value.items), kennung
    assert snapshot(work) == before
    # its own concept under a Kennung of its own is fine
    own = to_bytes(fill(template(store, settings, "Hattingen"),
                        konzept={**KONZEPT, "Gebiet": "Hattingen", "Kennung": "id:konzept/hattingen-2026"}))
    assert import_file(own, "k.xlsx", work, settings, allowed_gebiet=hattingen).mapped.gebiet == hattingen


def test_a_failure_to_keep_the_versions_does_not_undo_a_saved_import(work, settings, tmpl, tmp_path):
    """The versions are kept after the concept is saved: if that fails (here a file stands where the
    folder should be), the import still counts as saved and no partial file is left."""
    disk = settings.with_(store_path=tmp_path / "var" / "store")
    (tmp_path / "var" / "konzept-fassungen").mkdir(parents=True)
    (tmp_path / "var" / "konzept-fassungen" / "sprockhoevel-2026").write_text("im Weg")
    ziele = [list(z) for z in ZIELE]
    ziele[0][1] = "Alle Kinder sprechen bei der Einschulung sicher Deutsch."
    result = import_file(to_bytes(fill(tmpl, ziele=ziele)), "v3.xlsx", work, disk)
    assert result.kept == [] and "Gespeichert:" in result.summary() and "inko-graph diff" not in result.summary()
    assert any(q.object.value == ziele[0][1] for q in work.quads(G))
    assert sorted(p.name for p in (tmp_path / "var" / "konzept-fassungen").iterdir()) == ["sprockhoevel-2026"]


def test_a_towns_key_may_not_write_about_another_towns_goals(work, settings, tmpl):
    """An item's Kennung naming a goal of another area's concept (here Hattingen's) is refused with a
    town's key: its statements would stand on Hattingen's pages."""
    hattingen_goal = next(iter(work.query(
        "SELECT ?z WHERE { ?z a <https://w3id.org/inko/def#Leitziel> ; "
        "<http://www.w3.org/2004/02/skos/core#inScheme>/<https://w3id.org/inko/def#gebiet> "
        "<https://w3id.org/inko/id/gebiet/hattingen> } LIMIT 1")))["z"].value
    sprockhoevel = "https://w3id.org/inko/id/gebiet/sprockhoevel"
    import_file(to_bytes(fill(tmpl)), "k.xlsx", work, settings, allowed_gebiet=sprockhoevel)
    before = snapshot(work)
    wb = fill(tmpl)
    ws = wb["Ziele"]
    col = next(c.column for c in ws[1] if c.value == "Kennung")
    ws.cell(row=2, column=col, value=hattingen_goal)
    with pytest.raises(SheetError) as e:
        import_file(to_bytes(wb), "k.xlsx", work, settings, allowed_gebiet=sprockhoevel)
    p = next(p for p in e.value.items if "anderen Gebiets" in p.de)
    assert (p.sheet, p.row, p.column) == ("Ziele", 2, "Kennung") and "„Hattingen“" in p.de
    assert "<" not in p.de and "<" not in p.en   # towns by their names, not their addresses
    assert snapshot(work) == before
    # the town's own items keep their Kennungen on a new upload
    ws.cell(row=2, column=col, value="id:sprockhoevel-2026/leitziel/1")
    assert import_file(to_bytes(wb), "k.xlsx", work, settings, allowed_gebiet=sprockhoevel).mapped.gebiet == sprockhoevel


def test_the_summary_names_no_addresses(work, settings, tmpl):
    """What the import says (the command line, the page) names the concept and its town, not their addresses."""
    import re

    result = import_file(to_bytes(fill(tmpl)), "k.xlsx", work, settings, dry_run=True)
    text = result.summary()
    assert "„Integrationskonzept der Stadt Sprockhövel“ (Sprockhövel)" in text
    assert not re.search(r"<https?://|https?://w3id|\binko:[a-z]", text), text
