"""What a template offers, the importer accepts: every value of every drop-down, for every Gebiet.

For each Gebiet of the graph the Raster and the Konzept template are built for that town; each
drop-down's list (the list sheet it is bound to) is walked completely: the values are written into
the form the way the drop-down writes them, and the import must take each one to the very term
the list names in its column „Kürzel“. The monitoring template (one for all) is walked once.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from inko_graph.konzept.columns import table
from inko_graph.konzept.importer import prepare as konzept_prepare
from inko_graph.konzept.lists import for_area, load_base
from inko_graph.konzept.reading import KonzeptFile, Row as KRow, Rows
from inko_graph.konzept.template import build_book as konzept_book
from inko_graph.load.sources import expand
from inko_graph.monitoring.csvimport import plan_import
from inko_graph.monitoring.vorlage import build_book as monitoring_book
from inko_graph.raster.importer import prepare as raster_prepare
from inko_graph.raster.reading import RasterFile, Row
from inko_graph.raster.template import build_book as raster_book
from inko_graph.raster.vocab import load_areas, load_vocabulary
from inko_graph.workbook.xlsx import xlsx_bytes


def _offered(book, sheet_title: str, choice_source: str) -> list[tuple[str, str]]:
    """(value shown, IRI) of every entry of the list a drop-down of ``sheet_title`` is bound to."""
    sheet = book.sheet(sheet_title)
    assert any(c.source == choice_source for c in sheet.choices), f"{sheet_title} has no drop-down on {choice_source}"
    rows = book.sheet(choice_source).rows[1:]
    return [(r[0], expand(r[1], where="test").value if len(r) > 1 and r[1] else None) for r in rows]


#: Rows of each walk; every value is written once, several in a cell.
ROWS = 8


def _gebiete(store, settings):
    return load_areas(store, settings.queries_dir)


@pytest.fixture(scope="module")
def areas(store, settings):
    return _gebiete(store, settings)


def test_every_gebiet_is_walked(areas):
    assert len(areas) >= 12 and {"Hattingen", "Ratingen", "Sprockhövel", "Ennepe-Ruhr-Kreis"} <= {a.label for a in areas}


def test_raster_every_offered_value_is_accepted_for_every_gebiet(store, settings, areas):
    for i, area in enumerate(areas):
        vocab = load_vocabulary(store, settings.queries_dir, area.iri)
        book = raster_book(vocab, area=area, year=2026, rows=5)
        lists = {src: _offered(book, sheet, src) for sheet, src in
                 (("Aktivitäten", "Handlungsfelder"), ("Aktivitäten", "Ziele"), ("Aktivitäten", "Lebensphasen"),
                  ("Aktivitäten", "Zielgruppen"), ("Aktivitäten", "Akteure"), ("Akteur", "Akteursarten"),
                  ("Akteur", "Gebiete"))}
        assert [v for v, _ in lists["Gebiete"]] == [area.display]
        if not lists["Handlungsfelder"] or not lists["Ziele"]:
            continue  # nothing to report for (a Land, a district): the template offers no field or goal
        arten = lists["Akteursarten"]
        rf = RasterFile(filename="walk.xlsx", fmt="xlsx", actor_sheet="Akteur", activity_sheet="Aktivitäten",
                        columns={"titel", "handlungsfeld", "ziele", "lebensphasen", "zielgruppen", "partner"})
        rf.actor = {"name": "Verein für die Prüfung der Auswahllisten", "art": arten[i % len(arten)][0],
                    "gebiet": lists["Gebiete"][0][0], "jahr": 2026}
        rf.actor_rows = {"name": 2, "art": 3, "gebiet": 4, "jahr": 5}
        keys = {"Handlungsfelder": "handlungsfeld", "Ziele": "ziele", "Lebensphasen": "lebensphasen",
                "Zielgruppen": "zielgruppen", "Akteure": "partner"}
        for k in range(ROWS):  # several values per cell, separated by ";" as the instructions say
            values = {"titel": f"Aktivität {k}"}
            for src, key in keys.items():
                entries = lists[src]
                values[key] = "; ".join(v for v, _ in entries[k::ROWS]) or entries[k % len(entries)][0]
            rf.rows.append(Row(k + 2, values))
        mapped = raster_prepare_file(rf, store, settings, vocab)
        objects = {t.object.value for t in mapped.triples if isinstance(t.object, ox.NamedNode)}
        for src, entries in lists.items():
            if src == "Akteursarten":
                continue
            missing = [v for v, iri in entries if iri not in objects]
            assert not missing, (area.label, src, missing[:5])
        assert not mapped.new_partners, (area.label, mapped.new_partners[:3])


def raster_prepare_file(rf, store, settings, vocab):
    """The importer's checking stage (``prepare``) on a file read already, with the lists loaded already
    (what the importer would load for this Gebiet: only to keep the walk fast)."""
    from inko_graph.raster import importer

    real = importer.read_raster, importer.load_vocabulary
    importer.read_raster = lambda *a, **k: rf
    importer.load_vocabulary = lambda _s, _q, area: vocab if area == vocab.area else real[1](_s, _q, area)
    try:
        return raster_prepare(b"", rf.filename, store, settings)
    finally:
        importer.read_raster, importer.load_vocabulary = real


def test_konzept_every_offered_value_is_accepted_for_every_gebiet(store, settings, areas, monkeypatch):
    from inko_graph.konzept import importer

    base = load_base(store, settings.queries_dir)
    everything = for_area(base, None)   # what the importer loads (the same for every file)
    monkeypatch.setattr(importer, "load_lists", lambda _s, _q, area: everything)
    for i, area in enumerate(areas):
        lists = for_area(base, area)
        book = konzept_book(lists, rows=5)
        offered = {src: _offered(book, sheet, src) for sheet, src in
                   (("Ziele", "Lebensphasen"), ("Ziele", "Zielgruppen"), ("Ziele", "Kreisziele"), ("Ziele", "Zielarten"),
                    ("Maßnahmen", "Zuständigkeiten"), ("Maßnahmen", "Zeithorizonte"), ("Akteure", "Bekannte Akteure"),
                    ("Akteure", "Akteursarten"), ("Akteure", "Gebiete"), ("Indikatoren", "Indikatorarten"),
                    ("Konzept", "Gebiete"))}
        zielarten = [v for v, _ in offered["Zielarten"]]
        n = max(len(v) for v in offered.values())
        kf = KonzeptFile(filename="walk.xlsx", fmt="xlsx")
        kf.konzept = {"titel": "Prüfkonzept", "gebiet": offered["Gebiete"][0][0], "jahr": 2026}
        kf.konzept_rows = {"titel": 2, "gebiet": 3, "jahr": 4}

        def pick(src, k):
            entries = offered[src]
            return entries[k % len(entries)][0] if entries else None

        tables = {key: Rows(table(key), table(key).title, columns={f.key for f in table(key).columns})
                  for key in ("handlungsfelder", "ziele", "massnahmen", "akteure", "indikatoren")}
        for k in range(n):
            tables["ziele"].rows.append(KRow(k + 2, {k2: v for k2, v in {
                "nr": str(k + 1), "ziel": f"Ziel {k}", "art": zielarten[k % len(zielarten)],
                "lebensphase": pick("Lebensphasen", k), "zielgruppe": pick("Zielgruppen", k),
                "kreisziel": pick("Kreisziele", k)}.items() if v is not None}))
            tables["massnahmen"].rows.append(KRow(k + 2, {"nr": str(k + 1), "name": f"Maßnahme {k}", "ziel": str(k + 1),
                                                          "zustaendigkeit": pick("Zuständigkeiten", k),
                                                          "zeithorizont": pick("Zeithorizonte", k)}))
            if k < len(offered["Bekannte Akteure"]):
                tables["akteure"].rows.append(KRow(k + 2, {"name": pick("Bekannte Akteure", k),
                                                           "art": pick("Akteursarten", k), "gebiet": pick("Gebiete", k)}))
            tables["indikatoren"].rows.append(KRow(k + 2, {"nr": str(k + 1), "name": f"Indikator {k}",
                                                           "art": pick("Indikatorarten", k), "misst": str(k + 1)}))
        kf.tables = tables
        mapped = konzept_prepare(kf, store, settings)
        objects = {t.object.value for t in mapped.triples if isinstance(t.object, ox.NamedNode)}
        subjects = {t.subject.value for t in mapped.triples}
        for src, entries in offered.items():
            if src == "Zielarten":
                continue
            where = subjects if src == "Bekannte Akteure" else objects
            missing = [v for v, iri in entries if iri not in where]
            assert not missing, (area.label, src, missing[:5])
        kinds = {t.object.value.rsplit("#", 1)[-1] for t in mapped.triples if t.predicate.value.endswith("#type")}
        assert set(zielarten) <= kinds


def test_monitoring_every_offered_value_is_accepted(store, settings):
    book = monitoring_book(store, settings.queries_dir, rows=5)
    inds = [r[0] for r in book.sheet("Indikatoren").rows[1:]]
    gebs = [r[0] for r in book.sheet("Gebiete").rows[1:]]
    assert {c.source for c in book.sheet("Werte").choices} == {"Indikatoren", "Gebiete"}
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(book)))
    ws = wb["Werte"]
    from inko_graph.monitoring.model import Names, indicators

    known = indicators(store, settings.queries_dir)
    names = Names(known, "Indikator")
    n = max(len(inds), len(gebs))
    for k in range(n):
        ind = inds[k % len(inds)]
        unit = None if known[names.find(ind)[0]].einheit else "Anzahl"   # a unit only where the indicator has none
        ws.append([ind, gebs[k % len(gebs)], 2000 + k % 20, 1.5 + k, unit, "Prüfung"])
    buf = io.BytesIO()
    wb.save(buf)
    plan = plan_import(store, buf.getvalue(), "werte.xlsx")
    assert len(plan.rows) == n
