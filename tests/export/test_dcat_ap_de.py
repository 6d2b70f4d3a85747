"""The DCAT-AP.de record at /.well-known/void against DCAT-AP.de's official SHACL shapes.

The profiles are those of GovData's validator (tests/data/dcat-ap-de/README.md): 2.0 with the
Konventionen and 3.0. The vocabularies the shapes look values up in (skos:inScheme) are given as the
validator's owl:imports would load them: the dcat-ap.de lists of contributors and licences in full,
the rest as an excerpt of the terms used."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from inko_graph.errors import ConfigError
from inko_graph.export.dumps import dataset_description, dump_sizes, graph_stats
from inko_graph.namespaces import PREFIXES
from inko_graph.settings import Settings

pyshacl = pytest.importorskip("pyshacl")

SHAPES = Path(__file__).parent.parent / "data" / "dcat-ap-de"
PROFILES = {
    "2.0": ["dcat-ap/dcat-ap_2.1.1_shacl_shapes.ttl", "v2.0/dcat-ap-spec-german-messages.ttl",
            "v2.0/dcat-ap-spec-german-additions.ttl", "v2.0/dcat-ap-de-deprecated.ttl", "v2.0/dcat-ap-konventionen.ttl"],
    "3.0": ["dcat-ap/dcat-ap-SHACL-3.0.0.ttl", "v3.0/dcat-ap-SHACL-DE.ttl", "v3.0/dcat-ap-de-deprecated.ttl",
            "v3.0/dcat-ap-spec-german-additions.ttl", "v3.0/dcat-ap-de-controlledvocabularies.ttl"],
}
DCAT, DCT = rdflib.Namespace(PREFIXES["dcat"]), rdflib.Namespace(PREFIXES["dcterms"])
DCATDE = rdflib.Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
LICENCE = rdflib.URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")


@pytest.fixture(scope="module")
def shapes():
    out = {}
    for name, files in PROFILES.items():
        g = rdflib.Graph()
        for f in files:
            g.parse(SHAPES / f, format="turtle")
        out[name] = g
    return out


@pytest.fixture(scope="module")
def vocabularies():
    g = rdflib.Graph()
    for f in sorted((SHAPES / "vokabulare").iterdir()):
        g.parse(f, format="xml" if f.suffix == ".rdf" else "turtle")
    return g


@pytest.fixture(scope="module")
def parts(store, settings):
    return graph_stats(store, settings), dump_sizes(store)


def record(store, settings, parts, profile="3.0") -> rdflib.Graph:
    triples = dataset_description(store, settings, parts[0], parts[1], profile)
    return rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def violations(data: rdflib.Graph, shapes_graph, vocabularies) -> list[str]:
    conforms, report, _ = pyshacl.validate(data + vocabularies, shacl_graph=shapes_graph, advanced=True,
                                           allow_warnings=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for r in report.subjects(sh.resultSeverity, sh.Violation):
        out.append(f"{report.value(r, sh.focusNode)} {report.value(r, sh.resultPath)}: "
                   f"{report.value(r, sh.resultMessage)}")
    return sorted(out)


@pytest.mark.parametrize("profile", ["2.0", "3.0"])
def test_record_passes_the_official_shapes(store, settings, parts, shapes, vocabularies, profile):
    assert violations(record(store, settings, parts, profile), shapes[profile], vocabularies) == []


def test_shapes_catch_the_old_record(store, settings, parts, shapes, vocabularies):
    """The guard: the licence page IRI instead of the dcat-ap.de licence IRI, and no contributor ID, fail."""
    g = record(store, settings, parts, "2.0")
    old = rdflib.URIRef("https://www.govdata.de/dl-de/by-2-0")
    for s, p, _ in list(g.triples((None, DCT.license, LICENCE))):
        g.remove((s, p, LICENCE))
        g.add((s, p, old))
    g.remove((None, DCATDE.contributorID, None))
    found = violations(g, shapes["2.0"], vocabularies)
    assert any("contributorID" in v for v in found)
    assert sum("K31" in v for v in found) == 5  # every distribution
    g3 = record(store, settings, parts, "3.0")
    g3.remove((rdflib.URIRef(settings.base_iri + "sparql"), DCT.publisher, None))
    assert any("publisher" in v for v in violations(g3, shapes["3.0"], vocabularies))


def test_record_holds_the_catalogue_and_every_field(store, settings, parts):
    g = record(store, settings, parts)
    catalog = g.value(None, rdflib.RDF.type, DCAT.Catalog)
    ds = g.value(catalog, DCAT.dataset)
    service = g.value(catalog, DCAT.service)
    assert (service, rdflib.RDF.type, DCAT.DataService) in g and (ds, rdflib.RDF.type, DCAT.Dataset) in g
    assert g.value(ds, DCATDE.contributorID) == rdflib.URIRef("http://dcat-ap.de/def/contributors/openNRW")
    assert g.value(ds, DCATDE.politicalGeocodingURI).endswith("/districtKey/05954")
    assert g.value(ds, DCATDE.politicalGeocodingLevelURI).endswith("/Level/administrativeDistrict")
    assert g.value(ds, DCATDE.licenseAttributionByText) is not None
    assert g.value(ds, DCT.issued) is not None and g.value(ds, DCT.modified) is not None
    assert g.value(service, DCT.publisher) == g.value(ds, DCT.publisher) == rdflib.URIRef("https://www.enkreis.de/")
    contact = g.value(ds, DCAT.contactPoint)
    assert (contact, rdflib.RDF.type, VCARD.Organization) in g and g.value(contact, VCARD.hasURL) is not None
    dists = list(g.objects(ds, DCAT.distribution))
    assert len(dists) == 5
    for d in dists:
        assert g.value(d, DCT.license) == LICENCE
        assert int(g.value(d, DCAT.byteSize)) == parts[1][str(d).rsplit(".", 1)[1]] > 0
    assert g.value(ds, DCT.license) == LICENCE


def test_publisher_and_contact_come_from_the_settings(store, parts):
    s = Settings.from_env({"INKO_PUBLISHER_NAME": "Stadt Hattingen", "INKO_PUBLISHER_IRI": "https://www.hattingen.de/",
                           "INKO_CONTACT_EMAIL": "integration@hattingen.de", "INKO_CONTACT_URL": "",
                           "INKO_GEOCODING_URI": "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/059540016",
                           "INKO_GEOCODING_LEVEL_URI": "http://dcat-ap.de/def/politicalGeocoding/Level/municipality",
                           "INKO_STORE": ""})
    g = record(store, s, parts)
    ds = g.value(None, rdflib.RDF.type, DCAT.Catalog)
    ds = g.value(ds, DCAT.dataset)
    pub = g.value(ds, DCT.publisher)
    assert pub == rdflib.URIRef("https://www.hattingen.de/")
    assert str(g.value(pub, rdflib.URIRef(PREFIXES["foaf"] + "name"))) == "Stadt Hattingen"
    contact = g.value(ds, DCAT.contactPoint)
    assert g.value(contact, VCARD.hasEmail) == rdflib.URIRef("mailto:integration@hattingen.de")
    assert g.value(contact, VCARD.hasURL) is None
    assert g.value(ds, DCATDE.politicalGeocodingLevelURI).endswith("/municipality")


@pytest.mark.parametrize("env, word", [
    ({"INKO_CONTACT_EMAIL": "erika.mustermann@en-kreis.de"}, "Person"),
    ({"INKO_CONTACT_EMAIL": "kein-mail"}, "E-Mail-Adresse"),
    ({"INKO_CONTACT_EMAIL": "", "INKO_CONTACT_URL": ""}, "Kontaktadresse"),
    ({"INKO_PUBLISHER_IRI": "Ennepe-Ruhr-Kreis"}, "INKO_PUBLISHER_IRI"),
    ({"INKO_DATASET_ISSUED": "22.11.2026"}, "Datum"),
])
def test_bad_publication_settings_are_refused(env, word):
    with pytest.raises(ConfigError, match=word):
        Settings.from_env(env)
