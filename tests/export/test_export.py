"""Exports: every dump format, the VoID/DCAT description, and the refusal to export personal data."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from inko_graph.cli import main
from inko_graph.errors import PersonalData
from inko_graph.export.dumps import (DUMPS, check_personal_data, dataset_description, export, graph_stats,
                                     personal_data_problems)
from inko_graph.store import OxigraphStore, commit_store_dir, new_store_dir

DATA = Path(__file__).parent.parent / "data" / "export"


def fixture_store(*names: str) -> OxigraphStore:
    st = OxigraphStore.memory()
    for name in names:
        st.load_quads(ox.parse(path=str(DATA / name), format=ox.RdfFormat.TRIG))
    return st


def test_clean_data_has_no_problems():
    assert personal_data_problems(fixture_store("sauber.trig").quads()) == []


def test_each_kind_of_personal_data_is_found():
    problems = personal_data_problems(fixture_store("personenbezogen.trig").quads())
    text = "\n".join(problems)
    for resource in ("person", "vcard", "mailto", "tel", "email", "telefon", "telefon-int"):
        assert f"https://w3id.org/inko/id/test/{resource} " in text, resource
    assert "foaf/0.1/Person" in text and "erika.mustermann@teststadt.de" in text and "02324 / 204-3456" in text
    assert len(problems) == 7


def test_export_writes_every_format(tmp_path, settings):
    st = fixture_store("sauber.trig")
    paths = export(st, settings, tmp_path)
    assert {p.name for p in paths} == {f"inko.{k}" for k in DUMPS} | {"void.ttl"}
    quads = len(st)
    for key, fmt in (("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG), ("jsonld", ox.RdfFormat.JSON_LD)):
        parsed = list(ox.parse(path=str(tmp_path / f"inko.{key}"), format=fmt))
        assert len(parsed) == quads and {q.graph_name.value for q in parsed} == set(st.graph_names())
    for key, fmt in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES)):
        assert len(set(ox.parse(path=str(tmp_path / f"inko.{key}"), format=fmt))) == quads


def test_export_refuses_personal_data_and_writes_nothing(tmp_path, settings):
    st = fixture_store("sauber.trig", "personenbezogen.trig")
    with pytest.raises(PersonalData) as e:
        export(st, settings, tmp_path / "aus")
    assert "personenbezogene Daten" in str(e.value) and len(e.value.problems) == 7
    assert not (tmp_path / "aus").exists()


def test_void_counts_and_licence(settings):
    st = fixture_store("sauber.trig")
    g = rdflib.Graph().parse(data=ox.serialize(dataset_description(st, settings), format=ox.RdfFormat.N_TRIPLES),
                             format="nt")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    ds = rdflib.URIRef(settings.base_iri + ".well-known/void#datensatz")
    assert g.value(ds, dct.license) == rdflib.URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
    assert int(g.value(ds, void.triples)) == len(st)  # no triple is in two graphs here
    sub = rdflib.URIRef("https://w3id.org/inko/graph/test-sauber")
    assert (ds, void.subset, sub) in g and int(g.value(sub, void.triples)) == 8
    assert str(g.value(sub, dct.title)) == "Testgraph ohne Personendaten"


def test_cli_export(tmp_path, capsys):
    store_dir = tmp_path / "speicher"
    target = new_store_dir(store_dir)
    inner = ox.Store(str(target))
    inner.bulk_extend(ox.parse(path=str(DATA / "sauber.trig"), format=ox.RdfFormat.TRIG))
    inner.flush()
    del inner
    commit_store_dir(store_dir, target)
    out = tmp_path / "aus"
    assert main(["--store", str(store_dir), "export", "-o", str(out), "--format", "ttl", "nq"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["inko.nq", "inko.ttl", "void.ttl"]
    assert "3 Dateien geschrieben" in capsys.readouterr().out


def test_cli_export_with_personal_data_fails(tmp_path, capsys):
    store_dir = tmp_path / "speicher"
    target = new_store_dir(store_dir)
    inner = ox.Store(str(target))
    inner.bulk_extend(ox.parse(path=str(DATA / "personenbezogen.trig"), format=ox.RdfFormat.TRIG))
    inner.flush()
    del inner
    commit_store_dir(store_dir, target)
    assert main(["--store", str(store_dir), "export", "-o", str(tmp_path / "aus")]) == 1
    err = capsys.readouterr().err
    assert "personenbezogene Daten" in err and "erika.mustermann" in err


def test_real_graph_has_no_personal_data_and_a_full_description(store, settings):
    check_personal_data(store)
    stats = graph_stats(store, settings)
    names = {g.iri for g in stats.graphs}
    assert "https://w3id.org/inko/graph/quelle-000" in names and "https://w3id.org/inko/graph/ontologie" in names
    assert sum(g.triples for g in stats.graphs) == len(store)
    assert stats.union_triples <= len(store)
    q000 = stats.graph("https://w3id.org/inko/graph/quelle-000")
    assert q000.source == "https://w3id.org/inko/id/quelle/000" and q000.kind.endswith("/dokument")
