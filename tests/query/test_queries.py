"""The named queries of queries/: exact answers on a small hand-built graph, and runs on the real one.

The fixture (tests/data/queries_fixture.trig) has three documents A (Hattingen), B (the Kreis) and
C (Ratingen) and one curated graph; each query is checked with and without the curated links.
Expected rows are written with prefixed names (shorten) and compared row by row.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from inko_graph.cli import main
from inko_graph.errors import QueryError
from inko_graph.namespaces import shorten
from inko_graph.query.catalogue import Catalogue, bind_params, run
from inko_graph.settings import PROJECT_ROOT
from query_fixtures import load_fixture

DATA = Path(__file__).parent.parent / "data"
CATALOGUE = Catalogue(PROJECT_ROOT / "queries")
#: The queries this module is about (queries/ holds others' too); each must be tested below.
MINE = [
    "wer-dient-welchem-ziel", "hoehere-ziele", "ziele-ohne-massnahme", "luecken-handlungsfeld-lebensphase",
    "luecken-ziel-lebensphase", "massnahmen-ohne-zustaendigkeit", "ziele-ohne-indikator", "akteure-ohne-aktivitaet",
    "handlungsfelder-ohne-abgleich", "mehrere-akteure-gleiches-ziel", "gleicher-zieltext", "massnahmen-texte",
    "aehnliche-massnahmen", "zustaendigkeiten", "akteursprofil", "konzepte", "vorhaben-je-handlungsfeld-lebensphase",
    "akteursnetz-kanten", "akteursnetz-knoten",
]


@pytest.fixture(scope="module")
def fx():
    return load_fixture()


def _v(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and value.startswith("https://"):
        return shorten(value)
    return value


def rows(store, name, cols, params=None, curated=True) -> list[tuple]:
    df = run(store, CATALOGUE.get(name), params, include_curated=curated)
    assert all(c in df.columns for c in cols), (name, list(df.columns))
    return [tuple(_v(r[c]) for c in cols) for r in df.to_dict("records")]


def both(store, name, cols, params=None):
    return sorted(rows(store, name, cols, params, True), key=str), sorted(rows(store, name, cols, params, False), key=str)


def srt(items):
    return sorted(items, key=str)


# -- the catalogue --------------------------------------------------------------------------------

def test_every_query_of_this_module_is_in_the_catalogue_with_a_header():
    for name in MINE:
        q = CATALOGUE.get(name)
        assert q.title and q.title_en and q.purpose, name
        assert q.columns, name


def test_every_declared_column_is_returned_and_nothing_else(fx):
    for name in MINE:
        q = CATALOGUE.get(name)
        params = {"akteur": "id:akteur/vhs"} if name == "akteursprofil" else None
        df = run(fx, q, params)
        assert list(df.columns) == [c for c, _ in q.columns], name


# -- who serves which goal ------------------------------------------------------------------------

WER = ["akteur", "rolle", "zustaendigkeit", "vorhaben", "ziel", "konzept", "gebiet", "handlungsfeld", "lebensphase"]


def test_wer_dient_welchem_ziel_all_rows(fx):
    mit, ohne = both(fx, "wer-dient-welchem-ziel", WER)
    a, hat = "id:konzept/a", "g:hattingen"
    expected = [
        ("id:akteur/verein-x", "zuständig", None, "id:a/m/2", "id:a/tz/1-2", a, hat, "id:a/hf/1", "lp:schulalter"),
        ("id:akteur/vhs", "beteiligt", None, "id:a/m/2", "id:a/tz/1-2", a, hat, "id:a/hf/1", "lp:schulalter"),
        ("id:akteur/awo", "zuständig", None, "id:a/m/3", "id:a/tz/1-2", a, hat, "id:a/hf/1", "lp:schulalter"),
        ("id:akteur/stadt-a", "Umsetzungsschritt", None, "id:a/akt/1", "id:a/tz/1-1", a, hat, "id:a/hf/1", "lp:alter"),
        ("id:akteur/verein-x", "Träger", None, "id:a/akt/1", "id:a/tz/1-1", a, hat, "id:a/hf/1", "lp:alter"),
        ("id:akteur/vhs", "zuständig", None, "id:a/m/1", "id:a/tz/1-1", a, hat, "id:a/hf/1", "lp:fruehe-kindheit"),
        (None, None, None, "id:a/m/4", "id:a/lz/2", a, hat, "id:a/hf/2", "lp:alle-lebensphasen"),
        ("id:akteur/stadt-a", "Umsetzungsschritt", None, "id:a/m/5", "id:a/lz/2", a, hat, "id:a/hf/2", None),
        ("id:akteur/kreisverwaltung", "zuständig", "zk:kreis", "id:b/m/2", "id:b/z/2", "id:konzept/b",
         "g:ennepe-ruhr-kreis", "id:b/hf/2", None),
        (None, None, "zk:kreis", "id:b/m/1", "id:b/z/1", "id:konzept/b", "g:ennepe-ruhr-kreis", "id:b/hf/1",
         "lp:fruehe-kindheit"),
    ]
    assert mit == srt(expected)
    # Without the curated graph the Lebensphasen the documents do not state are gone, nothing else.
    curated = {"id:a/m/2", "id:a/m/3", "id:b/m/1"}
    assert ohne == srt(r[:-1] + (None,) if r[3] in curated else r for r in expected)


def test_wer_dient_welchem_ziel_labels(fx):
    got = rows(fx, "wer-dient-welchem-ziel", ["vorhaben", "akteurname", "vorhabenname", "vorhabenart", "zielname",
                                               "konzeptname", "handlungsfeldname", "lebensphasename"],
               {"vorhaben": "id:a/akt/1", "akteur": "id:akteur/verein-x"})
    assert got == [("id:a/akt/1", "Verein X", "Sprachcafé für Seniorinnen und Senioren", "Aktivität",
                    "Sprachförderung ausbauen", "Konzept A", "Bildung", "Alter")]


@pytest.mark.parametrize("params, expected", [
    ({"akteur": "id:akteur/vhs"}, {("id:akteur/vhs", "id:a/m/1"), ("id:akteur/vhs", "id:a/m/2")}),
    ({"vorhaben": "id:a/m/2"}, {("id:akteur/verein-x", "id:a/m/2"), ("id:akteur/vhs", "id:a/m/2")}),
    ({"ziel": "id:a/lz/2"}, {(None, "id:a/m/4"), ("id:akteur/stadt-a", "id:a/m/5")}),
    ({"konzept": "id:konzept/b"}, {("id:akteur/kreisverwaltung", "id:b/m/2"), (None, "id:b/m/1")}),
    ({"gebiet": "g:ennepe-ruhr-kreis"}, {("id:akteur/kreisverwaltung", "id:b/m/2"), (None, "id:b/m/1")}),
    ({"gebiet": "g:ratingen"}, set()),
    ({"handlungsfeld": "id:a/hf/2"}, {(None, "id:a/m/4"), ("id:akteur/stadt-a", "id:a/m/5")}),
    ({"lebensphase": "lp:alter"}, {("id:akteur/stadt-a", "id:a/akt/1"), ("id:akteur/verein-x", "id:a/akt/1")}),
    ({"lebensphase": "lp:schulalter", "akteur": "id:akteur/vhs"}, {("id:akteur/vhs", "id:a/m/2")}),
    ({"akteur": "id:akteur/unbeteiligt"}, set()),
])
def test_wer_dient_welchem_ziel_filters(fx, params, expected):
    got = set(rows(fx, "wer-dient-welchem-ziel", ["akteur", "vorhaben"], params))
    assert got == expected
    # A filter value shows in its column on every row.
    for name, value in params.items():
        col = {r[0] for r in rows(fx, "wer-dient-welchem-ziel", [name], params)}
        assert col <= {value}


def test_wer_dient_welchem_ziel_filter_on_curated_value_without_curated_links(fx):
    assert rows(fx, "wer-dient-welchem-ziel", ["vorhaben"], {"lebensphase": "lp:schulalter"}, curated=False) == []


# -- higher goals ---------------------------------------------------------------------------------

HZ = ["vorhaben", "weg", "ziel", "konzept", "ueber", "abgleich", "abgleichziel", "begruendung"]
K1 = "Beide Ziele fördern die Sprache."
K2 = "Arbeitsmarktzugang ist Teil der Bildungsgerechtigkeit."


def test_hoehere_ziele(fx):
    mit, ohne = both(fx, "hoehere-ziele", HZ)
    a, b = "id:konzept/a", "id:konzept/b"
    direct = [
        ("id:a/m/1", "direkt", "id:a/tz/1-1", a), ("id:a/m/1", "übergeordnet", "id:a/lz/1", a),
        ("id:a/akt/1", "direkt", "id:a/tz/1-1", a), ("id:a/akt/1", "übergeordnet", "id:a/lz/1", a),
        ("id:a/m/2", "direkt", "id:a/tz/1-2", a), ("id:a/m/2", "übergeordnet", "id:a/lz/1", a),
        ("id:a/m/3", "direkt", "id:a/tz/1-2", a), ("id:a/m/3", "übergeordnet", "id:a/lz/1", a),
        ("id:a/m/4", "direkt", "id:a/lz/2", a), ("id:a/m/5", "direkt", "id:a/lz/2", a),
        ("id:b/m/1", "direkt", "id:b/z/1", b), ("id:b/m/1", "übergeordnet", "id:b/lt/1", b),
        ("id:b/m/2", "direkt", "id:b/z/2", b),
    ]
    direct = [r + (None, None, None, None) for r in direct]
    aligned = [
        # closeMatch stated from A to B, followed in both directions, then up the other hierarchy
        ("id:a/m/1", "abgestimmt", "id:b/z/1", b, "id:a/tz/1-1", "closeMatch", "id:b/z/1", K1),
        ("id:a/m/1", "abgestimmt", "id:b/lt/1", b, "id:a/tz/1-1", "closeMatch", "id:b/z/1", K1),
        ("id:a/akt/1", "abgestimmt", "id:b/z/1", b, "id:a/tz/1-1", "closeMatch", "id:b/z/1", K1),
        ("id:a/akt/1", "abgestimmt", "id:b/lt/1", b, "id:a/tz/1-1", "closeMatch", "id:b/z/1", K1),
        ("id:b/m/1", "abgestimmt", "id:a/tz/1-1", a, "id:b/z/1", "closeMatch", "id:a/tz/1-1", K1),
        ("id:b/m/1", "abgestimmt", "id:a/lz/1", a, "id:b/z/1", "closeMatch", "id:a/tz/1-1", K1),
        # B states narrowMatch towards A: for A's measures that is a broadMatch to B's theme
        ("id:a/m/4", "abgestimmt", "id:b/lt/1", b, "id:a/lz/2", "broadMatch", "id:b/lt/1", K2),
        ("id:a/m/5", "abgestimmt", "id:b/lt/1", b, "id:a/lz/2", "broadMatch", "id:b/lt/1", K2),
    ]
    assert mit == srt(direct + aligned)
    assert ohne == srt(direct)
    one = rows(fx, "hoehere-ziele", ["ziel", "weg"], {"vorhaben": "id:a/m/4"})
    assert sorted(one) == [("id:a/lz/2", "direkt"), ("id:b/lt/1", "abgestimmt")]


# -- gaps -------------------------------------------------------------------------------------------

def test_ziele_ohne_massnahme(fx):
    cols = ["ziel", "zielart", "konzept", "gebiet", "handlungsfeld"]
    mit, ohne = both(fx, "ziele-ohne-massnahme", cols)
    expected = srt([
        ("id:a/lz/3", "Leitziel", "id:konzept/a", "g:hattingen", "id:a/hf/3"),
        ("id:a/tz/3-1", "Teilziel", "id:konzept/a", "g:hattingen", "id:a/hf/3"),
        ("id:a/tz/3-2", "Teilziel", "id:konzept/a", "g:hattingen", "id:a/hf/3"),
        ("id:c/lz/1", "Leitziel", "id:konzept/c", "g:ratingen", "id:c/hf/1"),
    ])
    assert mit == expected and ohne == expected
    assert rows(fx, "ziele-ohne-massnahme", ["ziel"], {"gebiet": "g:ratingen"}) == [("id:c/lz/1",)]
    assert rows(fx, "ziele-ohne-massnahme", ["ziel"], {"konzept": "id:konzept/b"}) == []


def test_luecken_handlungsfeld_lebensphase(fx):
    cols = ["konzept", "handlungsfeld", "lebensphase", "vorhaben_im_handlungsfeld"]
    mit, ohne = both(fx, "luecken-handlungsfeld-lebensphase", cols)
    stages = ["lp:fruehe-kindheit", "lp:schulalter", "lp:alter"]
    a3 = [("id:konzept/a", "id:a/hf/3", lp, 0) for lp in stages]
    c1 = [("id:konzept/c", "id:c/hf/1", lp, 0) for lp in stages]
    b2 = [("id:konzept/b", "id:b/hf/2", lp, 1) for lp in stages]
    # A's field 1 is full with the curated stages; field 2 has a measure for all stages.
    assert mit == srt(a3 + c1 + b2 + [("id:konzept/b", "id:b/hf/1", lp, 1) for lp in ("lp:schulalter", "lp:alter")])
    assert ohne == srt(a3 + c1 + b2 + [("id:konzept/b", "id:b/hf/1", lp, 1) for lp in stages]
                       + [("id:konzept/a", "id:a/hf/1", "lp:schulalter", 4)])
    assert rows(fx, "luecken-handlungsfeld-lebensphase", ["handlungsfeld"], {"gebiet": "g:hattingen", "lebensphase": "lp:alter"}) \
        == [("id:a/hf/3",)]


def test_luecken_ziel_lebensphase(fx):
    mit, ohne = both(fx, "luecken-ziel-lebensphase", ["ziel", "lebensphase", "vorhaben_fuer_ziel"])
    assert mit == srt([
        ("id:a/tz/1-1", "lp:schulalter", 2),
        ("id:a/tz/1-2", "lp:fruehe-kindheit", 2), ("id:a/tz/1-2", "lp:alter", 2),
        ("id:b/z/1", "lp:schulalter", 1), ("id:b/z/1", "lp:alter", 1),
        ("id:b/lt/1", "lp:schulalter", 1), ("id:b/lt/1", "lp:alter", 1),
        ("id:b/z/2", "lp:fruehe-kindheit", 1), ("id:b/z/2", "lp:schulalter", 1), ("id:b/z/2", "lp:alter", 1),
    ])
    all3 = ("lp:fruehe-kindheit", "lp:schulalter", "lp:alter")
    assert ohne == srt([
        ("id:a/lz/1", "lp:schulalter", 4), ("id:a/tz/1-1", "lp:schulalter", 2),
        *[("id:a/tz/1-2", lp, 2) for lp in all3], *[("id:b/z/1", lp, 1) for lp in all3],
        *[("id:b/lt/1", lp, 1) for lp in all3], *[("id:b/z/2", lp, 1) for lp in all3],
    ])


def test_massnahmen_ohne_zustaendigkeit(fx):
    cols = ["vorhaben", "vorhabenart", "konzept", "gebiet", "wer", "quelle", "abschnitt"]
    mit, ohne = both(fx, "massnahmen-ohne-zustaendigkeit", cols)
    expected = srt([("id:a/m/4", "Maßnahme", "id:konzept/a", "g:hattingen", "Jobcenter", "q:000", "4.2"),
                    ("id:a/akt/2", "Aktivität", None, None, None, "q:000", "3.1")])
    assert mit == expected and ohne == expected
    assert rows(fx, "massnahmen-ohne-zustaendigkeit", ["vorhaben"], {"konzept": "id:konzept/a"}) == [("id:a/m/4",)]


def test_ziele_ohne_indikator(fx):
    mit, ohne = both(fx, "ziele-ohne-indikator", ["ziel", "zielart", "konzept"])
    expected = srt([("id:a/lz/2", "Leitziel", "id:konzept/a"), ("id:a/lz/3", "Leitziel", "id:konzept/a"),
                    ("id:a/mz/2", "Monitoringziel", "id:konzept/a"), ("id:c/lz/1", "Leitziel", "id:konzept/c")])
    assert mit == expected and ohne == expected


def test_akteure_ohne_aktivitaet(fx):
    mit, ohne = both(fx, "akteure-ohne-aktivitaet", ["akteur", "akteursart", "gebiet", "mitglied_in"])
    expected = srt([("id:akteur/steuerungsgruppe-a", "aa:gremium", "g:hattingen", None),
                    ("id:akteur/unbeteiligt", "aa:verein", "g:hattingen", "Steuerungsgruppe A")])
    norm = [tuple(None if v == "" else v for v in r) for r in mit]
    assert norm == expected and [tuple(None if v == "" else v for v in r) for r in ohne] == expected
    assert rows(fx, "akteure-ohne-aktivitaet", ["akteur"], {"akteursart": "aa:verein"}) == [("id:akteur/unbeteiligt",)]
    assert rows(fx, "akteure-ohne-aktivitaet", ["akteur"], {"gebiet": "g:ennepe-ruhr-kreis"}) == []


def test_handlungsfelder_ohne_abgleich(fx):
    mit, ohne = both(fx, "handlungsfelder-ohne-abgleich", ["handlungsfeld", "konzept"])
    # C states its own alignment with A's field 3; the curated graph aligns A1 and B1.
    assert mit == [("id:a/hf/2", "id:konzept/a"), ("id:b/hf/2", "id:konzept/b")]
    assert ohne == [("id:a/hf/1", "id:konzept/a"), ("id:a/hf/2", "id:konzept/a"),
                    ("id:b/hf/1", "id:konzept/b"), ("id:b/hf/2", "id:konzept/b")]


# -- overlaps -----------------------------------------------------------------------------------------

def test_mehrere_akteure_gleiches_ziel(fx):
    cols = ["ziel", "konzept", "lebensphase", "anzahl_akteure", "akteure", "anzahl_vorhaben", "vorhaben"]
    got = rows(fx, "mehrere-akteure-gleiches-ziel", cols)
    assert len(got) == 1
    ziel, konzept, lp, na, akteure, nv, vorhaben = got[0]
    assert (ziel, konzept, lp, na, nv) == ("id:a/tz/1-2", "id:konzept/a", "lp:schulalter", 2, 2)
    assert set(akteure.split("; ")) == {"Verein X", "AWO"}
    assert set(vorhaben.split("; ")) == {"Elterncafé in Grundschulen", "Hausaufgabenhilfe in Grundschulen"}
    # The Lebensphasen that make the overlap are curated: the documents alone show none.
    assert rows(fx, "mehrere-akteure-gleiches-ziel", cols, curated=False) == []
    assert rows(fx, "mehrere-akteure-gleiches-ziel", ["ziel"], {"lebensphase": "lp:alter"}) == []


def test_gleicher_zieltext(fx):
    cols = ["ziel1", "handlungsfeld1", "ziel2", "konzept2", "handlungsfeld2", "grund"]
    mit, ohne = both(fx, "gleicher-zieltext", cols)
    expected = srt([
        ("id:a/tz/1-2", "id:a/hf/1", "id:a/tz/3-1", "id:konzept/a", "id:a/hf/3", "gleicher Text"),
        ("id:a/tz/1-2", "id:a/hf/1", "id:b/z/2", "id:konzept/b", "id:b/hf/2", "gleicher Text"),
        ("id:a/tz/3-1", "id:a/hf/3", "id:b/z/2", "id:konzept/b", "id:b/hf/2", "gleicher Text"),
        ("id:a/lz/2", "id:a/hf/2", "id:a/tz/3-2", "id:konzept/a", "id:a/hf/3", "im Dokument vermerkt"),
    ])
    assert mit == expected and ohne == expected
    assert {r[0] for r in rows(fx, "gleicher-zieltext", ["ziel2"], {"konzept": "id:konzept/b"})} == {"id:b/z/2"}


def test_massnahmen_texte(fx):
    got = sorted(rows(fx, "massnahmen-texte", ["vorhaben", "vorhabenart", "dokument", "konzept"]), key=str)
    assert got == srt([
        ("id:a/m/1", "Maßnahme", "id:konzept/a", "id:konzept/a"), ("id:a/m/2", "Maßnahme", "id:konzept/a", "id:konzept/a"),
        ("id:a/m/3", "Maßnahme", "id:konzept/a", "id:konzept/a"), ("id:a/m/4", "Maßnahme", "id:konzept/a", "id:konzept/a"),
        ("id:a/m/5", "Maßnahme", "id:konzept/a", "id:konzept/a"), ("id:a/akt/1", "Aktivität", "id:konzept/a", "id:konzept/a"),
        ("id:a/akt/2", "Aktivität", "q:000", None),
        ("id:b/m/1", "Maßnahme", "id:konzept/b", "id:konzept/b"), ("id:b/m/2", "Maßnahme", "id:konzept/b", "id:konzept/b"),
    ])
    assert [r[0] for r in rows(fx, "massnahmen-texte", ["vorhaben"], {"gebiet": "g:ennepe-ruhr-kreis"})] == ["id:b/m/1", "id:b/m/2"]


def test_aehnliche_massnahmen(fx):
    cols = ["vorhaben1", "dokument1", "vorhaben2", "dokument2"]
    got = rows(fx, "aehnliche-massnahmen", cols + ["aehnlichkeit", "gemeinsame_woerter"])
    assert [r[:4] for r in got] == [("id:a/m/1", "id:konzept/a", "id:b/m/1", "id:konzept/b")]
    assert 0.5 < got[0][4] < 1.0
    assert set(got[0][5].split(", ")) == {"kinder", "sprachkurse", "kindertagesstätten"}
    # Same document: Elterncafé and Hausaufgabenhilfe in Grundschulen share words but are not reported.
    low = rows(fx, "aehnliche-massnahmen", cols, {"schwelle": "0,05"})
    assert ("id:a/m/2", "id:konzept/a", "id:a/m/3", "id:konzept/a") not in low
    assert all(r[1] != r[3] for r in low)


# -- responsibilities -------------------------------------------------------------------------------

def test_zustaendigkeiten(fx):
    cols = ["zustaendig", "zustaendigart", "rolle", "vorhaben", "schritt", "wann"]
    mit, ohne = both(fx, "zustaendigkeiten", cols)
    expected = srt([
        ("zk:kreis", "Kategorie", "zuständig", "id:b/m/1", None, None),
        ("zk:kreis", "Kategorie", "zuständig", "id:b/m/2", None, None),
        ("id:akteur/kreisverwaltung", "Organisation", "zuständig", "id:b/m/2", None, None),
        ("id:akteur/awo", "Organisation", "zuständig", "id:a/m/3", None, None),
        ("id:akteur/stadt-a", "Organisation", "Umsetzungsschritt", "id:a/m/5", "id:a/s/2", "2026"),
        ("id:akteur/stadt-a", "Organisation", "Umsetzungsschritt", "id:a/akt/1", "id:a/s/1", "2025"),
        ("id:akteur/verein-x", "Organisation", "zuständig", "id:a/m/2", None, None),
        ("id:akteur/verein-x", "Organisation", "Träger", "id:a/akt/1", None, None),
        ("id:akteur/vhs", "Organisation", "zuständig", "id:a/m/1", None, None),
    ])
    assert mit == expected and ohne == expected
    assert sorted(rows(fx, "zustaendigkeiten", ["vorhaben"], {"zustaendig": "zk:kreis"})) == [("id:b/m/1",), ("id:b/m/2",)]


def test_akteursprofil(fx):
    got = rows(fx, "akteursprofil", ["akteur", "beziehung", "objekt", "ueber", "konzept"], {"akteur": "id:akteur/vhs"})
    assert got == [  # in the order the query gives: kind of relation first
        ("id:akteur/vhs", "Art", "aa:verwaltung", None, None),
        ("id:akteur/vhs", "Sitz", "g:hattingen", None, None),
        ("id:akteur/vhs", "gehört zu", "id:akteur/stadt-a", None, None),
        ("id:akteur/vhs", "Mitglied in", "id:akteur/steuerungsgruppe-a", None, None),
        ("id:akteur/vhs", "zuständig für", "id:a/m/1", None, "id:konzept/a"),
        ("id:akteur/vhs", "beteiligt an", "id:a/m/2", None, "id:konzept/a"),
        ("id:akteur/vhs", "dient dem Ziel", "id:a/tz/1-2", "id:a/m/2", "id:konzept/a"),
        ("id:akteur/vhs", "dient dem Ziel", "id:a/tz/1-1", "id:a/m/1", "id:konzept/a"),
        ("id:akteur/vhs", "Partner", "id:akteur/verein-x", "id:a/m/2", None),
    ]
    gremium = rows(fx, "akteursprofil", ["beziehung", "objekt"], {"akteur": "id:akteur/steuerungsgruppe-a"})
    assert sorted(o for b, o in gremium if b == "hat als Mitglied") == \
        ["id:akteur/unbeteiligt", "id:akteur/verein-x", "id:akteur/vhs"]


def test_akteursprofil_needs_its_parameter(fx):
    with pytest.raises(QueryError, match="braucht den Parameter akteur"):
        run(fx, CATALOGUE.get("akteursprofil"), {})


# -- the report's building blocks -------------------------------------------------------------------

def test_konzepte(fx):
    got = rows(fx, "konzepte", ["konzept", "gebiet", "liegt_in", "quelle", "ziele", "handlungsfelder", "vorhaben"])
    assert sorted(got, key=str) == srt([
        ("id:konzept/a", "g:hattingen", "g:ennepe-ruhr-kreis", "q:000", 9, 3, 6),
        ("id:konzept/a-genannt", "g:hattingen", "g:ennepe-ruhr-kreis", "q:000", 0, 0, 0),
        ("id:konzept/b", "g:ennepe-ruhr-kreis", None, "q:003", 3, 2, 2),
        ("id:konzept/c", "g:ratingen", None, "q:004", 1, 1, 0),
    ])


def test_vorhaben_je_handlungsfeld_lebensphase(fx):
    cols = ["handlungsfeld", "lebensphase", "anzahl"]
    mit = {(h, lp): n for h, lp, n in rows(fx, "vorhaben-je-handlungsfeld-lebensphase", cols)}
    ohne = {(h, lp): n for h, lp, n in rows(fx, "vorhaben-je-handlungsfeld-lebensphase", cols, curated=False)}
    fields = ["id:a/hf/1", "id:a/hf/2", "id:a/hf/3", "id:b/hf/1", "id:b/hf/2", "id:c/hf/1"]
    stages = ["lp:fruehe-kindheit", "lp:schulalter", "lp:alter", "lp:alle-lebensphasen", None]
    assert set(mit) == set(ohne) == {(h, lp) for h in fields for lp in stages}  # zero cells too
    nonzero_mit = {k: v for k, v in mit.items() if v}
    assert nonzero_mit == {("id:a/hf/1", "lp:fruehe-kindheit"): 1, ("id:a/hf/1", "lp:schulalter"): 2,
                           ("id:a/hf/1", "lp:alter"): 1, ("id:a/hf/2", "lp:alle-lebensphasen"): 1,
                           ("id:a/hf/2", None): 1, ("id:b/hf/1", "lp:fruehe-kindheit"): 1, ("id:b/hf/2", None): 1}
    assert {k: v for k, v in ohne.items() if v} == {
        ("id:a/hf/1", "lp:fruehe-kindheit"): 1, ("id:a/hf/1", None): 2, ("id:a/hf/1", "lp:alter"): 1,
        ("id:a/hf/2", "lp:alle-lebensphasen"): 1, ("id:a/hf/2", None): 1, ("id:b/hf/1", None): 1, ("id:b/hf/2", None): 1}


def test_akteursnetz(fx):
    kanten = set(rows(fx, "akteursnetz-kanten", ["von", "nach", "beziehung"]))
    assert ("id:akteur/vhs", "id:a/m/2", "beteiligt") in kanten
    assert ("id:akteur/stadt-a", "id:a/m/5", "Umsetzungsschritt") in kanten
    assert ("id:a/m/1", "id:a/tz/1-1", "dient") in kanten
    assert ("id:a/tz/1-1", "id:a/lz/1", "Unterziel von") in kanten
    assert ("id:akteur/steuerungsgruppe-a", "id:akteur/unbeteiligt", "hat als Mitglied") in kanten
    assert ("id:akteur/vhs", "id:akteur/stadt-a", "gehört zu") in kanten
    assert ("id:b/lt/1", "id:a/lz/2", "abgestimmt") in kanten
    ohne = set(rows(fx, "akteursnetz-kanten", ["von", "nach", "beziehung"], curated=False))
    assert kanten - ohne == {("id:b/lt/1", "id:a/lz/2", "abgestimmt"), ("id:a/tz/1-1", "id:b/z/1", "abgestimmt")}
    knoten = {r[0]: r[1:] for r in rows(fx, "akteursnetz-knoten", ["knoten", "art", "gremium", "konzept"])}
    assert knoten["id:akteur/steuerungsgruppe-a"] == ("akteur", True, None)
    assert knoten["id:a/m/1"] == ("vorhaben", False, "id:konzept/a")
    assert knoten["id:b/lt/1"] == ("ziel", False, "id:konzept/b")


# -- parameters -------------------------------------------------------------------------------------

def test_bind_params_checks_names_and_values_without_a_store():
    q = CATALOGUE.get("wer-dient-welchem-ziel")
    assert bind_params(q, {"lebensphase": "lp:alter"})["lebensphase"] == \
        ox.NamedNode("https://w3id.org/inko/id/vokabular/lebensphase/alter")
    with pytest.raises(QueryError, match="kennt keinen Parameter 'farbe'"):
        bind_params(q, {"farbe": "blau"})
    with pytest.raises(QueryError, match="braucht eine IRI"):
        bind_params(q, {"akteur": "Stadt Hattingen"})
    with pytest.raises(QueryError, match="zwischen 0 und 1"):
        run(load_fixture(), CATALOGUE.get("aehnliche-massnahmen"), {"schwelle": "1.5"})


# -- the real graph ---------------------------------------------------------------------------------

def _an_actor(store) -> str:
    df = run(store, CATALOGUE.get("wer-dient-welchem-ziel"))
    return df["akteur"].dropna().iloc[0]


@pytest.mark.parametrize("name", MINE)
@pytest.mark.parametrize("curated", [True, False], ids=["mit-kuratiert", "ohne-kuratiert"])
def test_every_query_runs_on_the_real_graph(store, name, curated):
    params = {"akteur": _an_actor(store)} if name == "akteursprofil" else None
    df = run(store, CATALOGUE.get(name), params, include_curated=curated)
    assert list(df.columns) == [c for c, _ in CATALOGUE.get(name).columns]


def test_real_graph_hattingen_leitziele_and_their_concept(store):
    df = run(store, CATALOGUE.get("konzepte"), {"gebiet": "g:hattingen"})
    hattingen = df[df["konzept"] == "https://w3id.org/inko/id/konzept/hattingen-integrationskonzept"]
    assert len(hattingen) == 1 and hattingen.iloc[0]["ziele"] >= 8
    # Every goal a measure serves belongs to a concept, and the town filter keeps to the town.
    wer = run(store, CATALOGUE.get("wer-dient-welchem-ziel"), {"gebiet": "g:hattingen"})
    assert set(wer["gebiet"]) <= {"https://w3id.org/inko/id/gebiet/hattingen"}
    gaps = run(store, CATALOGUE.get("ziele-ohne-massnahme"))
    hz = run(store, CATALOGUE.get("hoehere-ziele"))
    served = set(hz[hz["weg"] != "abgestimmt"]["ziel"])  # an aligned goal of another document may still be a gap
    assert served and not (set(gaps["ziel"]) & served)


def test_real_graph_without_curated_links_never_has_more_alignments(store):
    mit = run(store, CATALOGUE.get("hoehere-ziele"))
    ohne = run(store, CATALOGUE.get("hoehere-ziele"), include_curated=False)
    assert (ohne["weg"] == "abgestimmt").sum() <= (mit["weg"] == "abgestimmt").sum()
    assert len(run(store, CATALOGUE.get("handlungsfelder-ohne-abgleich"), include_curated=False)) >= \
        len(run(store, CATALOGUE.get("handlungsfelder-ohne-abgleich")))


# -- the command line -------------------------------------------------------------------------------

@pytest.fixture
def cli_store(monkeypatch, fx):
    import inko_graph.load.build

    monkeypatch.setattr(inko_graph.load.build, "ensure_built", lambda settings: fx)
    return fx


@pytest.mark.parametrize("argv, message", [
    (["query", "gibt-es-nicht"], "Unbekannte Abfrage 'gibt-es-nicht'"),
    (["query", "wer-dient-welchem-ziel", "--param", "farbe=blau"], "kennt keinen Parameter 'farbe'"),
    (["query", "wer-dient-welchem-ziel", "--param", "akteur=Stadt Hattingen"], "braucht eine IRI"),
    (["query", "wer-dient-welchem-ziel", "--param", "akteur"], "--param erwartet NAME=WERT"),
    (["query", "wer-dient-welchem-ziel", "--param", "akteur=id:akteur/vhs", "--param", "akteur=id:akteur/awo"],
     "zweimal angegeben"),
    (["query", "akteursprofil"], "braucht den Parameter akteur"),
    (["query", "aehnliche-massnahmen", "--param", "schwelle=viel"], "braucht eine Zahl"),
    (["query"], "Welche Abfrage?"),
    (["query", "--file", "gibt/es/nicht.rq"], "Datei nicht gefunden"),
])
def test_cli_bad_input_exits_2_with_a_german_message(capsys, argv, message):
    assert main(["--store", ":memory:"] + argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fehler: ") and message in err


def test_cli_bad_value_of_a_computed_query_exits_2(capsys, cli_store):
    assert main(["--store", ":memory:", "query", "aehnliche-massnahmen", "--param", "schwelle=2"]) == 2
    assert "zwischen 0 und 1" in capsys.readouterr().err


def test_cli_list(capsys):
    assert main(["--store", ":memory:", "query", "--list"]) == 0
    out = capsys.readouterr().out
    for name in MINE:
        assert f"\n{name}\n" in "\n" + out
    assert "--param akteur=…  (iri)" in out


def test_cli_runs_a_query_in_every_format(capsys, cli_store):
    base = ["--store", ":memory:", "query", "wer-dient-welchem-ziel", "--param", "akteur=id:akteur/vhs"]
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "id:a/m/1" in out and "Volkshochschule" in out and "(2 Zeilen)" in out
    assert main(base + ["--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("akteur,akteurname,rolle") and len(lines) == 3
    assert "https://w3id.org/inko/id/a/m/1" in "\n".join(lines)
    assert main(base + ["--format", "json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert {d["vorhaben"] for d in data} == {"https://w3id.org/inko/id/a/m/1", "https://w3id.org/inko/id/a/m/2"}
    assert main(base + ["--format", "md"]) == 0
    md = capsys.readouterr().out.splitlines()
    assert md[0].startswith("| akteur | akteurname |") and md[1].startswith("| --- |") and len(md) == 4


def test_cli_without_curated_links(capsys, cli_store):
    argv = ["--store", ":memory:", "query", "mehrere-akteure-gleiches-ziel", "--format", "csv"]
    assert main(argv) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(argv + ["--ohne-kuratiert"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_cli_query_file(capsys, cli_store, tmp_path):
    f = tmp_path / "meine.rq"
    f.write_text("# title: Leitziele\n# param: konzept iri  Konzept (IRI)\n"
                 "SELECT ?ziel ?konzept WHERE { ?ziel a inko:Leitziel ; skos:inScheme ?konzept } ORDER BY ?ziel\n",
                 encoding="utf-8")
    assert main(["--store", ":memory:", "query", "--file", str(f), "--param", "konzept=id:konzept/c", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["https://w3id.org/inko/id/c/lz/1,https://w3id.org/inko/id/konzept/c"]
    assert main(["--store", ":memory:", "query", "--file", str(f), "--param", "gebiet=g:hattingen"]) == 2
    assert "kennt keinen Parameter 'gebiet'" in capsys.readouterr().err


def test_cli_computed_query(capsys, cli_store):
    assert main(["--store", ":memory:", "query", "aehnliche-massnahmen", "--param", "schwelle=0.3", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and "https://w3id.org/inko/id/a/m/1" in out[1]
