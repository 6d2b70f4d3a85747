"""``inko-graph query`` runs every form of query: SELECT (tables), ASK (ja/nein and the exit code),
CONSTRUCT and DESCRIBE (a graph in the chosen RDF format); an empty catalogue is an error."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from inko_graph.cli import main
from inko_graph.namespaces import PREFIXES
from inko_graph.store import bulk_load_new

HATTINGEN = "https://w3id.org/inko/id/hattingen/leitziel/1"


@pytest.fixture(scope="module")
def store_dir(store, tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-abfrage")
    dump = root / "alles.nq"
    dump.write_bytes(store.dump("nquads"))
    bulk_load_new(root / "store", dump, ox.RdfFormat.N_QUADS)
    return root / "store"


@pytest.fixture
def cli(store_dir, monkeypatch, capsys):
    monkeypatch.setenv("INKO_STORE", str(store_dir))
    monkeypatch.delenv("INKO_LANG", raising=False)

    def call(*args):
        rc = main(["query", *args])
        out, err = capsys.readouterr()
        return rc, out, err
    return call


def test_ask_prints_ja_or_nein_and_exits_0_or_1(cli, tmp_path):
    yes = tmp_path / "ja.rq"
    yes.write_text("ASK { ?s a inko:Leitziel }\n")
    no = tmp_path / "nein.rq"
    no.write_text("ASK { ?s a <http://example.org/GibtEsNicht> }\n")
    assert cli("--file", str(yes)) == (0, "ja\n", "")
    assert cli("--file", str(no)) == (1, "nein\n", "")
    assert cli("--file", str(no), "--format", "json")[:2] == (1, "false\n")


def test_named_ask_query_runs(cli):
    rc, out, err = cli("monitoring-ic-01")
    assert rc in (0, 1) and out in ("ja\n", "nein\n") and (rc == 0) == (out == "ja\n"), err


@pytest.mark.parametrize("fmt,rdf", [(None, ox.RdfFormat.TURTLE), ("turtle", ox.RdfFormat.TURTLE),
                                     ("ntriples", ox.RdfFormat.N_TRIPLES), ("rdfxml", ox.RdfFormat.RDF_XML),
                                     ("jsonld", ox.RdfFormat.JSON_LD), ("json", ox.RdfFormat.JSON_LD)])
def test_construct_and_describe_give_a_graph(cli, tmp_path, store, fmt, rdf):
    c = tmp_path / "c.rq"
    c.write_text(f"CONSTRUCT {{ ?z skos:prefLabel ?l }} WHERE {{ BIND(<{HATTINGEN}> AS ?z) ?z skos:prefLabel ?l }}\n")
    d = tmp_path / "d.rq"
    d.write_text(f"DESCRIBE <{HATTINGEN}>\n")
    expected_labels = {r["l"] for r in store.query(f"SELECT ?l WHERE {{ <{HATTINGEN}> skos:prefLabel ?l }}")}
    assert expected_labels
    for path in (c, d):
        rc, out, err = cli("--file", str(path), *(["--format", fmt] if fmt else []))
        assert rc == 0, err
        triples = list(ox.parse(out.encode(), format=rdf))
        labels = {t.object for t in triples if t.predicate.value == PREFIXES["skos"] + "prefLabel"}
        assert labels == expected_labels
        if path is d:
            assert {t.subject.value for t in triples} >= {HATTINGEN}


def test_named_construct_query_runs(cli):
    rc, out, err = cli("lod-beschreibung", "--param", f"ressource={HATTINGEN}", "--format", "ntriples")
    assert rc == 0, err
    assert HATTINGEN in {t.subject.value for t in ox.parse(out.encode(), format=ox.RdfFormat.N_TRIPLES)}


def test_rdf_format_for_a_table_is_refused(cli, tmp_path):
    q = tmp_path / "s.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a inko:Leitziel }\n")
    rc, out, err = cli("--file", str(q), "--format", "turtle")
    assert rc == 2 and out == "" and "Tabelle" in err
    rc, out, _ = cli("--file", str(q), "--format", "json")
    assert rc == 0 and json.loads(out)[0]["n"] > 0


def test_list_without_queries_is_an_error(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("INKO_QUERIES_DIR", str(tmp_path))
    rc, out, err = cli("--list")
    assert rc == 2 and out == "" and "keine Abfragen" in err and str(tmp_path) in err
