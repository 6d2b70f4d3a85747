"""``inko-graph synth``: synthetic data of the real shape that passes the shapes, the same for the
same arguments, with towns in Kreise, goals aligned to the Kreis and Raster submissions."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from inko_graph.cli import main
from inko_graph.load import synth
from inko_graph.settings import PROJECT_ROOT
from inko_graph.validation.shapecheck import check

SHAPES = PROJECT_ROOT / "ontology" / "shapes.ttl"


@pytest.fixture(scope="module")
def data() -> str:
    buf = io.StringIO()
    synth.generate(buf, 20_000, towns=11)
    return buf.getvalue()


def _store(text: str) -> ox.Store:
    st = ox.Store()
    st.load(text.encode(), format=ox.RdfFormat.N_QUADS)
    return st


def _triples(text: str) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS)]


def test_passes_the_shapes(data):
    report = check(_triples(data), [], SHAPES, infos=False)
    assert report.conforms and not [r for r in report.results if r.severity in ("Violation", "Warning")]


def test_the_shape_check_would_see_a_broken_measure(data):
    # The check above can fail: a measure without its label breaks a rule.
    lines = data.splitlines(keepends=True)
    target = next(l for l in lines if "/massnahme/0>" in l and "prefLabel" in l)
    report = check(_triples("".join(l for l in lines if l != target)), [], SHAPES, infos=False)
    assert not report.conforms


def _one(st, q: str) -> int:
    return int(next(iter(st.query(q, use_default_graph_as_union=True)))[0].value)


def test_shape_of_the_data(data):
    st = _store(data)
    inko, skos = "https://w3id.org/inko/def#", "http://www.w3.org/2004/02/skos/core#"
    towns = _one(st, f"SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ GRAPH ?g {{ ?t <{inko}liegtIn> ?k }} "
                     f"FILTER(CONTAINS(STR(?t), 'synth-stadt')) }}")
    assert towns == 11
    kreise = _one(st, f"SELECT (COUNT(DISTINCT ?k) AS ?n) WHERE {{ ?c a <{inko}Konzept> ; <{inko}gebiet> ?k "
                      f"FILTER(CONTAINS(STR(?k), 'synth-kreis')) }}")
    assert kreise == 2  # eleven towns: two Kreise, each with its own concept
    aligned = _one(st, f"""SELECT (COUNT(*) AS ?n) WHERE {{
        ?z <{skos}closeMatch>|<{skos}broadMatch>|<{skos}relatedMatch> ?kz .
        ?z <{skos}inScheme>/<{inko}gebiet>/<{inko}liegtIn> ?kreis . ?kz <{skos}inScheme>/<{inko}gebiet> ?kreis }}""")
    assert aligned > 0  # town goals aligned to the goals of their own Kreis
    for cls in ("Massnahme", "Aktivitaet", "Indikator", "Monitoringziel", "Handlungsfeld", "Kuratierung"):
        assert _one(st, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?x a <{inko}{cls}> }} }}") > 0, cls
    assert _one(st, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{inko}graphart> ?a FILTER(CONTAINS(STR(?a), 'raster')) }} }}") > 0
    assert _one(st, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?v <{inko}lebensphase> ?lp }}") > 0


def test_size_and_determinism():
    a, b, c = io.StringIO(), io.StringIO(), io.StringIO()
    n = synth.generate(a, 30_000, towns=3)
    synth.generate(b, 30_000, towns=3)
    synth.generate(c, 30_000, towns=3, seed=2)
    assert 30_000 <= n < 30_000 + 2 * synth.PER_DOCUMENT
    assert a.getvalue() == b.getvalue() != c.getvalue()


def test_cli_writes_the_folder(tmp_path, capsys):
    assert main(["synth", "--towns", "2", "--triples", "5000", "-o", str(tmp_path / "out")]) == 0
    path = tmp_path / "out" / synth.FILE_NAME
    assert path.exists() and "Tripel in" in capsys.readouterr().err
    assert len(_store(path.read_text(encoding="utf-8"))) > 5000
    assert not list((tmp_path / "out").glob(".*tmp"))


@pytest.mark.parametrize("argv, message", [
    (["--towns", "0", "--triples", "100"], "--towns"),
    (["--towns", "3", "--triples", "-5"], "--triples"),
])
def test_cli_bad_numbers_exit_2(tmp_path, capsys, argv, message):
    assert main(["synth", *argv, "-o", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
