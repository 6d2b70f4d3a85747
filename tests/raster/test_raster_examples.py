"""The example submissions of graph_data/raster/ are in the built graph, one graph per actor and year."""

from __future__ import annotations

import pyoxigraph as ox

from inko_graph.query.catalogue import run
from inko_graph.raster.examples import example_files
from inko_graph.raster.vocab import catalogue

ID = "https://w3id.org/inko/id/"


def test_examples_exist(settings):
    assert len(example_files(settings)) >= 6


def test_each_example_is_a_submission_graph(built, settings):
    df = run(built.store, catalogue(settings.queries_dir).get("raster-meldungen"), {"jahr": "2014"})
    files = {p.name for p in example_files(settings)}
    examples = df[df["datei"].isin(files)]
    assert set(examples["datei"]) == files
    for r in examples.itertuples():
        assert r.graph.startswith("https://w3id.org/inko/graph/raster/") and r.graph.endswith("/2014")
        assert int(r.aktivitaeten) >= 1
        # The actor is the one the document already names (the address list), not a new IRI.
        known = built.store.query("ASK { GRAPH ?g { ?a a org:Organization ; dcterms:source q:000 } }",
                                  {"a": ox.NamedNode(r.akteur)})
        assert known, r.akteur


def test_examples_say_that_the_goals_are_interpretation(built, settings):
    res = built.store.query(
        "SELECT ?g ?c WHERE { GRAPH ?g { ?g inko:graphart ga:raster ; inko:berichtsjahr \"2014\"^^xsd:gYear ; rdfs:comment ?c } }")
    comments = {r["g"].value: r["c"].value for r in res}
    assert len(comments) >= 6
    assert all("Kapitel 3.1" in c and "Auslegung" in c for c in comments.values())


def test_examples_serve_hattingen_leitziele(built, settings):
    df = run(built.store, catalogue(settings.queries_dir).get("raster-aktivitaeten"), {"jahr": "2014"})
    goals = {g for v in df["ziele"] for g in v.split("|") if g}
    assert goals and all(g.startswith(ID + "hattingen/leitziel/") for g in goals)
    assert {"Sprach- und Kulturmittler/innen", "Flüchtlingsberatungsstelle"} <= set(df["titel"])
    assert all(h.endswith(", Zeile 2") or h.endswith(", Zeile 3") for h in df["herkunft"])
