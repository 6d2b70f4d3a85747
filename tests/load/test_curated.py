"""The curated links in graph_data/kuratiert: they parse, each has a reason, each names resources
that the documents define, and together they give every measure and activity a Lebensphase."""

from __future__ import annotations

import csv
import re

import pyoxigraph as ox
import pytest

from inko_graph.load.sources import expand, read_curated_csv
from inko_graph.namespaces import GRAPH, INKO, PREFIXES

CURATED = GRAPH + "kuratiert"
DOCUMENT_GRAPHS = GRAPH + "quelle-"  # the named graphs of the source documents 000 … 004
# Targets of the UN Sustainable Development Goals, as the UN's SDG linked-data service names them.
SDG_TARGET = re.compile(r"^http://metadata\.un\.org/sdg/\d{1,2}\.(\d{1,2}|[a-d])$")
EXTERNAL = "http://metadata.un.org/"
HATTINGEN = ox.NamedNode(PREFIXES["id"] + "konzept/hattingen-integrationskonzept")


@pytest.fixture(scope="module")
def csv_files(settings):
    files = sorted((settings.data_dir / "kuratiert").glob("*.csv"))
    assert files, "graph_data/kuratiert enthält keine CSV-Datei"
    return files


@pytest.fixture(scope="module")
def links(csv_files):
    """(file, line, subject IRI, predicate IRI, object IRI, reason) of every non-comment row."""
    out = []
    for path in csv_files:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = csv.reader(fh)
            next(rows)
            for lineno, row in enumerate(rows, start=2):
                if not row or row[0].lstrip().startswith("#"):
                    continue
                where = f"{path.name}, Zeile {lineno}"
                s, p, o = (expand(term, where=where).value for term in row[:3])
                out.append((path.name, lineno, s, p, o, row[3]))
    return out


def test_every_file_parses_into_links_with_reasons(csv_files):
    for path in csv_files:
        triples = read_curated_csv(path)  # raises InputError on a bad header, row or name
        reasons = [t.object.value for t in triples if t.predicate.value == INKO + "begruendung"]
        assert reasons, f"{path.name} enthält keine Verknüpfung"
        assert all(r.strip() for r in reasons), path.name


def test_every_row_has_a_specific_reason(links):
    assert links
    for name, line, _s, _p, _o, reason in links:
        assert len(reason.strip()) >= 30, f"{name}, Zeile {line}: Begründung zu knapp: {reason!r}"


def test_no_link_twice(links):
    seen = {}
    for name, line, s, p, o, _ in links:
        assert (s, p, o) not in seen, f"{name}, Zeile {line} wiederholt {seen[(s, p, o)]}"
        seen[(s, p, o)] = f"{name}, Zeile {line}"


def test_every_curated_statement_in_the_store_has_its_reason(store):
    curated = [CURATED]
    rows = list(store.query("""
        SELECT ?s ?p ?o WHERE {
          ?s ?p ?o
          FILTER(?p NOT IN (rdf:type, rdf:subject, rdf:predicate, rdf:object, inko:begruendung, dcterms:source))
          FILTER NOT EXISTS { ?k a inko:Kuratierung ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                                 inko:begruendung ?why }
        }""", default_graphs=curated))
    assert rows == [], [(r["s"].value, r["p"].value, r["o"].value) for r in rows]
    n = int(next(iter(store.query("SELECT (COUNT(?k) AS ?n) WHERE { ?k a inko:Kuratierung }",
                                  default_graphs=curated)))["n"].value)
    assert n > 0


def test_every_linked_resource_is_defined_by_the_documents(store, links):
    """Subjects and objects must be resources the other graphs describe (a typo would mint a new IRI)."""
    others = [g for g in store.graph_names() if g != CURATED]
    defined = {row["s"].value for row in store.query(
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }", default_graphs=others)}
    unknown = [(name, line, iri) for name, line, s, _p, o, _ in links for iri in (s, o)
               if not iri.startswith(EXTERNAL) and iri not in defined]
    assert unknown == []


def test_external_links_are_sdg_targets(links):
    external = [(name, line, o) for name, line, _s, _p, o, _ in links if o.startswith(EXTERNAL)]
    assert external, "keine Verknüpfung zu den UN-Nachhaltigkeitszielen"
    bad = [x for x in external if not SDG_TARGET.match(x[2])]
    assert bad == []


def test_every_measure_and_activity_of_the_documents_has_a_lebensphase(store):
    documents = [g for g in store.graph_names() if g.startswith(DOCUMENT_GRAPHS)]
    assert documents
    vorhaben = {row["x"].value for row in store.query(
        "SELECT DISTINCT ?x WHERE { VALUES ?c { inko:Massnahme inko:Aktivitaet } ?x a ?c }",
        default_graphs=documents)}
    assert vorhaben
    with_phase = {row["x"].value for row in store.query("SELECT DISTINCT ?x WHERE { ?x inko:lebensphase ?lp }")}
    assert sorted(vorhaben - with_phase) == []


def test_lebensphasen_links_point_into_the_vocabulary(store, links):
    phases = {row["lp"].value for row in store.query("SELECT ?lp WHERE { ?lp a inko:Lebensphase }")}
    used = {o for _n, _l, _s, p, o, _ in links if p == INKO + "lebensphase"}
    assert used and used <= phases


def test_each_hattingen_leitziel_is_matched_in_the_other_three_documents(store, links):
    """Every Hattingen Leitziel has a curated match to the Strategiekonzept 2020, the Kreis and Ratingen."""
    match = {PREFIXES["skos"] + m for m in ("closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}
    scheme = {row["z"].value: row["k"].value for row in store.query(
        "SELECT ?z ?k WHERE { ?z skos:inScheme ?k . ?k a inko:Konzept }")}
    leitziele = [row["z"].value for row in store.query("""
        SELECT ?z ?k WHERE { ?z a inko:Leitziel ; skos:inScheme ?k }""", {"k": HATTINGEN})]
    assert len(leitziele) >= 8
    others = {"strategiekonzept-hattingen-2020", "kreis-integrationskonzept", "ratingen-integrationskonzept"}
    for lz in leitziele:
        reached = {scheme.get(o, "").rsplit("/", 1)[-1] for _n, _l, s, p, o, _ in links if s == lz and p in match}
        assert others <= reached, (lz, others - reached)


def test_each_handlungsfeld_is_matched_somewhere(store, links):
    match = {PREFIXES["skos"] + m for m in ("closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}
    fields = {row["h"].value for row in store.query("SELECT DISTINCT ?h WHERE { ?h a inko:Handlungsfeld }")}
    linked = {x for _n, _l, s, p, o, _ in links if p in match for x in (s, o)}
    assert fields and fields <= linked, sorted(fields - linked)
