"""The one place for namespaces and well-known IRIs."""

from __future__ import annotations

__all__ = ["BASE", "INKO", "ID", "GRAPH", "ONTOLOGY_GRAPH", "IMPORT_GRAPH_PREFIXES", "PREFIXES", "graph_iri", "shorten"]

BASE = "https://w3id.org/inko/"
INKO = BASE + "def#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
#: The graph of the ontology (``ontology/``).
ONTOLOGY_GRAPH = GRAPH + "ontologie"
#: Graphs written by imports (actors' Raster submissions, statistics), not by graph_data/.
IMPORT_GRAPH_PREFIXES = (GRAPH + "raster/", GRAPH + "statistik/")

#: Prefixes known to every query and shown in every serialisation.
PREFIXES: dict[str, str] = {
    "inko": INKO,
    "id": ID,
    "gr": GRAPH,
    "q": ID + "quelle/",
    "g": ID + "gebiet/",
    "lp": ID + "vokabular/lebensphase/",
    "zg": ID + "vokabular/zielgruppe/",
    "zk": ID + "vokabular/zustaendigkeit/",
    "aa": ID + "vokabular/akteursart/",
    "zh": ID + "vokabular/zeithorizont/",
    "ia": ID + "vokabular/indikatorart/",
    "ga": ID + "vokabular/graphart/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "cv": "http://data.europa.eu/m8g/",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sh": "http://www.w3.org/ns/shacl#",
}


def graph_iri(name: str) -> str:
    """The IRI of the named graph called ``name`` (e.g. ``quelle-000``)."""
    return GRAPH + name


def shorten(iri: str) -> str:
    """``skos:Concept`` for a known namespace, else the IRI itself."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri
