"""Reading graph_data/: Turtle errors name file and line; curated CSV maps to triples with reasons."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from inko_graph.errors import InputError
from inko_graph.load.sources import parse_rdf_file, read_curated_csv, read_sources
from inko_graph.namespaces import GRAPH, INKO, PREFIXES


def test_syntax_error_names_file_line_and_column(tmp_path):
    p = tmp_path / "kaputt.ttl"
    p.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "offen .\n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        parse_rdf_file(p)
    assert e.value.line == 3
    assert "kaputt.ttl" in str(e.value) and "Zeile 3" in str(e.value)


def test_unknown_format_is_refused(tmp_path):
    p = tmp_path / "daten.xyz"
    p.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="unbekanntes Dateiformat"):
        parse_rdf_file(p)


def test_curated_csv_adds_triple_and_reason(tmp_path):
    p = tmp_path / "links.csv"
    p.write_text("subjekt,praedikat,objekt,begruendung\n"
                 "id:hattingen/leitziel/1,skos:closeMatch,id:kreis/leitthema/1,Beide sprechen von Teilhabe.\n",
                 encoding="utf-8")
    triples = read_curated_csv(p)
    s = ox.NamedNode(PREFIXES["id"] + "hattingen/leitziel/1")
    assert ox.Triple(s, ox.NamedNode(PREFIXES["skos"] + "closeMatch"), ox.NamedNode(PREFIXES["id"] + "kreis/leitthema/1")) in triples
    reasons = [t.object.value for t in triples if t.predicate.value == INKO + "begruendung"]
    assert reasons == ["Beide sprechen von Teilhabe."]


@pytest.mark.parametrize("body,fragment", [
    ("subjekt,praedikat,objekt\n", "Kopfzeile"),
    ("subjekt,praedikat,objekt,begruendung\nid:a,skos:closeMatch,id:b,\n", "Begründung fehlt"),
    ("subjekt,praedikat,objekt,begruendung\nfoo:a,skos:closeMatch,id:b,weil\n", "kein bekannter Name"),
    ("subjekt,praedikat,objekt,begruendung\nid:a,skos:closeMatch\n", "erwartet 4 Spalten"),
])
def test_curated_csv_errors(tmp_path, body, fragment):
    p = tmp_path / "links.csv"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=fragment):
        read_curated_csv(p)


def test_every_declared_graph_is_read(settings):
    ds = read_sources(settings)
    for name in ("meta", "ontologie", "vokabular", "quelle-000", "quelle-003", "quelle-004", "kuratiert"):
        assert GRAPH + name in ds.graphs
    assert len(ds.graphs[GRAPH + "vokabular"]) > 100


def test_missing_folder_is_reported(settings, tmp_path):
    data = tmp_path / "graph_data"
    shutil.copytree(settings.data_dir, data)
    shutil.rmtree(data / "vokabular")
    with pytest.raises(InputError, match="vokabular"):
        read_sources(settings.with_(data_dir=data))
