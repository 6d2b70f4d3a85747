"""The Kreis comparison's counts made in Python (``kreisvergleich_zahlen``) equal the rows of the
named queries ``kreisvergleich-vorhaben`` and ``kreisvergleich-luecken`` – every number of every
cell and every gap – on the real graph (both Kreise, with a second EN-Kreis town imported from
its workbook) and on a synthetic graph (``inko_graph.load.synth``: one Kreis, three towns, a second
edition of one town's concept), also after a concept is superseded and an undertaking without field
is added."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from inko_graph.konzept.importer import import_file
from inko_graph.load.synth import generate
from inko_graph.query.catalogue import Catalogue, run
from inko_graph.server.kreisvergleich_zahlen import zaehlen
from inko_graph.store import OxigraphStore
from konzept_fixtures import fill, template, to_bytes

ID = "https://w3id.org/inko/id/"


@pytest.fixture(scope="module")
def cat(settings):
    return Catalogue(settings.queries_dir)


@pytest.fixture(scope="module")
def echt(store, settings):
    w = OxigraphStore.memory()
    w.load_quads(store.quads())
    import_file(to_bytes(fill(template(store, settings))), "sprockhoevel.xlsx", w, settings)
    return w


@pytest.fixture(scope="module")
def synthetisch():
    buf = io.StringIO()
    generate(buf, 16_000, 3, 3)
    s = OxigraphStore.memory()
    s.load_quads(ox.parse(buf.getvalue().encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    return s


def _python(store, cat, kreis: str):
    staedte = sorted({r.stadt for r in run(store, cat.get("kreisvergleich-kreise"), {"kreis": kreis}).itertuples()})
    felder = run(store, cat.get("kreisvergleich-felder"), {"kreis": kreis})
    zuordnung: dict[str, set] = {}
    for f, kf in zip(felder["feld"], felder["kreisfeld"]):
        if isinstance(kf, str):
            zuordnung.setdefault(f, set()).add(kf)
    return zaehlen(run(store, cat.get("kreisvergleich-verknuepfungen")), kreis, staedte, zuordnung)


def _vergleich(store, cat, kreis: str) -> tuple[dict, dict, set, set]:
    z = _python(store, cat, kreis)
    got = {(s, zeile, z.art[(s, zeile)], lp): tuple(c) for (zeile, s, lp), c in z.cells.items()}
    want = {}
    for r in run(store, cat.get("kreisvergleich-vorhaben"), {"kreis": kreis}).itertuples(index=False):
        art = "feldlos" if r.feldlos is True else "kreisfeld" if r.zugeordnet is True else "eigen"
        lp = r.lebensphase if isinstance(r.lebensphase, str) else ""
        want[(r.stadt, r.zeile, art, lp)] = (r.anzahl, r.massnahmen, r.aktivitaeten, r.raster)
    luecken = {(r.kreisfeld, r.lebensphase) for r in run(store, cat.get("kreisvergleich-luecken"),
                                                         {"kreis": kreis}).itertuples(index=False)}
    return got, want, z.luecken, luecken


@pytest.mark.parametrize("kreis", ["ennepe-ruhr-kreis", "kreis-mettmann"])
def test_real_graph_counts_equal_the_named_queries(echt, cat, kreis):
    got, want, gaps, want_gaps = _vergleich(echt, cat, ID + "gebiet/" + kreis)
    assert want and got == want
    assert {a for _, _, a, _ in want} >= ({"kreisfeld", "eigen", "feldlos"} if kreis == "ennepe-ruhr-kreis" else {"eigen"})
    if kreis == "ennepe-ruhr-kreis":
        assert want_gaps and gaps == want_gaps
    else:
        assert not want_gaps and not gaps  # no Kreis concept, no Kreis fields


def test_synthetic_counts_equal_the_named_queries(synthetisch, cat):
    got, want, gaps, want_gaps = _vergleich(synthetisch, cat, ID + "gebiet/synth-kreis-0")
    assert want and got == want
    assert any(c[3] for c in want.values())  # Raster activities are counted apart
    assert gaps == want_gaps


def test_a_superseded_concept_and_an_undertaking_without_field_count_alike(synthetisch, cat):
    """A concept that a later one of the same town builds on stops counting; an undertaking that
    serves a goal without field counts under its concept – in the named queries and in Python alike."""
    kreis = ID + "gebiet/synth-kreis-0"
    n = ox.NamedNode
    inko = "https://w3id.org/inko/def#"
    a = n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    g = n("https://w3id.org/inko/graph/test-kreisvergleich-zahlen")
    # s1 and s4 are both concepts of synth-stadt-0 (s4 the second edition, see inko_graph.load.synth)
    ziel, massnahme = n(ID + "test/ziel"), n(ID + "test/massnahme")
    quads = [ox.Quad(n(ID + "konzept/s4"), n("http://www.w3.org/ns/prov#wasInfluencedBy"), n(ID + "konzept/s1"), g),
             ox.Quad(ziel, a, n(inko + "Teilziel"), g),
             ox.Quad(ziel, n("http://www.w3.org/2004/02/skos/core#inScheme"), n(ID + "konzept/s4"), g),
             ox.Quad(massnahme, a, n(inko + "Massnahme"), g),
             ox.Quad(massnahme, n(inko + "dient"), ziel, g),
             ox.Quad(massnahme, n(inko + "lebensphase"), n(ID + "vokabular/lebensphase/alter"), g)]
    got, want, _, _ = _vergleich(synthetisch, cat, kreis)
    assert any(z.startswith(ID + "s1/") for _, z, _, _ in want)
    synthetisch.load_quads(quads)
    try:
        got, want, gaps, want_gaps = _vergleich(synthetisch, cat, kreis)
        assert got == want and gaps == want_gaps
        assert not any(z.startswith(ID + "s1/") for _, z, _, _ in want)
        assert want[(ID + "gebiet/synth-stadt-0", ID + "konzept/s4", "feldlos", ID + "vokabular/lebensphase/alter")] == (1, 1, 0, 0)
    finally:
        synthetisch.drop_graphs([g.value])
