"""Dumps of the whole dataset, its VoID/DCAT description, and the check that no personal data leaves.

``export(store, settings, out_dir)`` writes ``inko.ttl``, ``inko.nt`` (the union of all graphs),
``inko.nq``, ``inko.trig``, ``inko.jsonld`` (with the named graphs) and ``void.ttl``. Every dump
is checked first: persons (``foaf:Person``, vCard), ``mailto:``/``tel:`` IRIs, personal e-mail
addresses and phone numbers stop the export with ``PersonalData``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, PersonalData
from ..namespaces import PREFIXES
from ..query.catalogue import parse_query_file

__all__ = ["DUMPS", "GraphInfo", "DatasetStats", "graph_stats", "personal_data_problems", "check_personal_data",
           "dump", "dump_sizes", "dataset_description", "export", "LICENSE", "LICENSE_PAGE", "dataset_iri", "void_iri", "query_text"]

#: The licence as dcat-ap.de names it (list http://dcat-ap.de/def/licenses); its text lies at LICENSE_PAGE.
LICENSE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
LICENSE_PAGE = "https://www.govdata.de/dl-de/by-2-0"
LICENSE_LABEL = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
#: The profiles of DCAT-AP.de the record can be written for; they differ only in the type of dcat:byteSize.
DCAT_AP_DE_PROFILES = {"3.0": "nonNegativeInteger", "2.0": "decimal"}

#: suffix -> (store format, media type, EU file type, label). ``ttl`` and ``nt`` hold the union of all graphs.
DUMPS: dict[str, tuple[str, str, str, str]] = {
    "ttl": ("turtle", "text/turtle", "RDF_TURTLE", "Turtle (alle Graphen vereinigt)"),
    "nt": ("ntriples", "application/n-triples", "RDF_N_TRIPLES", "N-Triples (alle Graphen vereinigt)"),
    "nq": ("nquads", "application/n-quads", "RDF_N_QUADS", "N-Quads (mit benannten Graphen)"),
    "trig": ("trig", "application/trig", "RDF_TRIG", "TriG (mit benannten Graphen)"),
    "jsonld": ("jsonld", "application/ld+json", "JSON_LD", "JSON-LD (mit benannten Graphen)"),
}

_XSD_INT = ox.NamedNode(PREFIXES["xsd"] + "integer")


@lru_cache(maxsize=64)
def _query_text(folder: str, name: str) -> str:
    return parse_query_file(Path(folder) / f"{name}.rq").text


def query_text(settings, name: str) -> str:
    """The text of the named query ``queries/<name>.rq`` (read once)."""
    return _query_text(str(settings.queries_dir), name)


# -- figures -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GraphInfo:
    iri: str
    triples: int
    resources: int
    label: str | None
    kind: str | None
    kind_label: str | None
    source: str | None


@dataclass(frozen=True)
class DatasetStats:
    graphs: list[GraphInfo]
    quads: int
    union_triples: int
    resources: int

    def graph(self, iri: str) -> GraphInfo | None:
        return next((g for g in self.graphs if g.iri == iri), None)


def _value(sol, name):
    t = sol[name]
    return None if t is None else t.value


def graph_stats(store, settings, cache: dict | None = None) -> DatasetStats:
    """Size, label, kind and source of every named graph (from the meta graph), and of the whole."""
    if cache is not None and "graph_stats" in cache:
        return cache["graph_stats"]
    graphs = []
    for sol in store.query(query_text(settings, "void-graphen")):
        graphs.append(GraphInfo(
            iri=sol["graph"].value, triples=int(sol["tripel"].value), resources=int(sol["ressourcen"].value),
            label=_value(sol, "graphname"), kind=_value(sol, "art"), kind_label=_value(sol, "artname"),
            source=_value(sol, "quelle")))
    total = next(iter(store.query(query_text(settings, "void-umfang"))))
    stats = DatasetStats(graphs=graphs, quads=len(store), union_triples=int(total["tripel"].value),
                         resources=int(total["ressourcen"].value))
    if cache is not None:
        cache["graph_stats"] = stats
    return stats


# -- personal data -------------------------------------------------------------------------------

_PERSON_TYPES = {PREFIXES["foaf"] + "Person", "http://schema.org/Person", "https://schema.org/Person",
                 "http://www.w3.org/2006/vcard/ns#Individual"}
_PERSON_PREDICATES = {PREFIXES["foaf"] + n for n in ("givenName", "familyName", "firstName", "lastName", "surname",
                                                       "mbox", "mbox_sha1sum", "phone")} | {
    "http://schema.org/email", "http://schema.org/telephone", "https://schema.org/email",
    "https://schema.org/telephone"}
_VCARD = "http://www.w3.org/2006/vcard/ns#"
#: firstname.lastname@, f.lastname@, firstname-lastname@ … (functional addresses like info@ pass).
_PERSONAL_EMAIL = re.compile(r"(?<![\w.+-])[^\W\d_]{1,30}[._-][^\W\d_]{2,30}@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
#: German and international phone numbers: a leading 0 or +, an area code, at least 7 digits in all.
_PHONE = re.compile(r"(?<![\w.,/-])(?:\+\d{1,3}[\s/-]?(?:\(0\))?\s?|\(?0)\d{2,5}\)?[\s/-]*\d[\d\s/-]{3,}\d(?![\w.,])")


def _literal_problem(text: str) -> str | None:
    m = _PERSONAL_EMAIL.search(text)
    if m:
        return f"persönliche E-Mail-Adresse {m.group()!r}"
    for m in _PHONE.finditer(text):
        if sum(c.isdigit() for c in m.group()) >= 7:
            return f"Telefonnummer {m.group().strip()!r}"
    return None


def personal_data_problems(quads, limit: int = 50) -> list[str]:
    """Each quad that looks like personal data, as a German sentence naming the resource and graph."""
    rdf_type = PREFIXES["rdf"] + "type"
    problems: list[str] = []
    for q in quads:
        s, p, o = q.subject, q.predicate.value, q.object
        where = f"{getattr(s, 'value', s)} (Graph {getattr(q.graph_name, 'value', 'Standard')})"
        problem = None
        if p == rdf_type and isinstance(o, ox.NamedNode) and (o.value in _PERSON_TYPES or o.value.startswith(_VCARD)):
            problem = f"ist eine Person ({o.value})"
        elif p in _PERSON_PREDICATES or p.startswith(_VCARD):
            problem = f"hat die Eigenschaft {p} (Personendaten)"
        elif isinstance(o, ox.NamedNode) and o.value.lower().startswith(("mailto:", "tel:", "fax:")):
            problem = f"verweist auf {o.value!r}"
        elif isinstance(o, ox.Literal) and o.datatype.value in (PREFIXES["xsd"] + "string", PREFIXES["rdf"] + "langString"):
            found = _literal_problem(o.value)
            if found:
                problem = f"enthält eine {found} ({p})"
        if problem:
            problems.append(f"{where}: {problem}")
            if len(problems) >= limit:
                break
    return problems


def check_personal_data(store) -> None:
    problems = personal_data_problems(store.quads())
    if problems:
        raise PersonalData(
            f"Der Export enthält {len(problems)}{'+' if len(problems) >= 50 else ''} Angabe(n), die wie "
            "personenbezogene Daten aussehen; nichts wurde exportiert. Bitte diese Angaben aus graph_data/ entfernen.",
            problems)


def dump(store, key: str) -> bytes:
    """One dump (``ttl``, ``nt``, ``nq``, ``trig``, ``jsonld``); call ``check_personal_data`` first."""
    try:
        fmt = DUMPS[key][0]
    except KeyError:
        raise InputError(f"Unbekanntes Exportformat {key!r}; möglich: {', '.join(DUMPS)}.") from None
    return store.dump(fmt)


# -- VoID and DCAT -------------------------------------------------------------------------------

def void_iri(settings) -> str:
    return settings.base_iri + ".well-known/void"


def dataset_iri(settings) -> str:
    return void_iri(settings) + "#datensatz"


def dump_sizes(store, cache: dict | None = None) -> dict[str, int]:
    """Bytes of every dump (``dcat:byteSize``), as ``/download/`` serves them; kept in ``cache``."""
    if cache is not None and "dump_sizes" in cache:
        return cache["dump_sizes"]
    # A dump the server already holds (``dump:<key>`` in its cache) is not serialized again.
    sizes = {key: len((cache or {}).get(f"dump:{key}") or dump(store, key)) for key in DUMPS}
    if cache is not None:
        cache["dump_sizes"] = sizes
    return sizes


def _data_modified(settings) -> str:
    """The day the newest file of the data folder was changed (``dct:modified``)."""
    newest = max((f.stat().st_mtime for f in Path(settings.data_dir).rglob("*") if f.is_file()), default=None)
    if newest is None:
        return settings.publication.issued
    return datetime.fromtimestamp(newest, tz=timezone.utc).date().isoformat()


def dataset_description(store, settings, stats: DatasetStats | None = None, sizes: dict[str, int] | None = None,
                        profile: str = "3.0") -> list[ox.Triple]:
    """VoID and DCAT-AP.de for the dataset: a ``dcat:Catalog`` with the dataset and the SPARQL endpoint as
    data service, each named graph a ``void:subset``, each dump a distribution. ``profile`` ("3.0" or
    "2.0") chooses the DCAT-AP.de version, which differ only in the type of ``dcat:byteSize``."""
    stats = stats or graph_stats(store, settings)
    sizes = sizes if sizes is not None else dump_sizes(store)
    pub = settings.publication
    base = settings.base_iri
    N, L = ox.NamedNode, ox.Literal
    P = PREFIXES
    rdf_type = N(P["rdf"] + "type")
    void, dcat, dct, foaf, xsd = P["void"], P["dcat"], P["dcterms"], P["foaf"], P["xsd"]
    dcatde, vcard = "http://dcat-ap.de/def/dcatde/", "http://www.w3.org/2006/vcard/ns#"
    doc, ds = N(void_iri(settings)), N(dataset_iri(settings))
    catalog, contact = N(void_iri(settings) + "#katalog"), N(void_iri(settings) + "#kontakt")
    publisher = N(pub.publisher_iri)
    service = N(base + "sparql")
    lic = N(LICENSE)
    size_type = N(xsd + DCAT_AP_DE_PROFILES[profile])
    issued, modified = L(pub.issued, datatype=N(xsd + "date")), L(_data_modified(settings), datatype=N(xsd + "date"))
    attribution = L(f"{pub.publisher_name}, inko-graph (Integrationskonzepte Ennepe-Ruhr-Kreis, Hattingen, Ratingen)")

    def de(text):
        return L(text, language="de")

    def num(n):
        return L(str(n), datatype=_XSD_INT)

    out = [
        ox.Triple(doc, rdf_type, N(void + "DatasetDescription")),
        ox.Triple(doc, N(dct + "title"), de("Beschreibung des Datensatzes inko-graph")),
        ox.Triple(doc, N(foaf + "primaryTopic"), ds),
        ox.Triple(catalog, rdf_type, N(dcat + "Catalog")),
        ox.Triple(catalog, N(dct + "title"), de("Katalog inko-graph")),
        ox.Triple(catalog, N(dct + "description"), de(
            "Der Datensatz inko-graph mit seinen Downloads und dem SPARQL-Endpunkt, beschrieben nach DCAT-AP.de.")),
        ox.Triple(catalog, N(dct + "publisher"), publisher),
        ox.Triple(catalog, N(dcat + "dataset"), ds),
        ox.Triple(catalog, N(dcat + "service"), service),
        ox.Triple(catalog, N(foaf + "homepage"), N(base)),
        ox.Triple(catalog, N(dct + "language"), N("http://publications.europa.eu/resource/authority/language/DEU")),
        ox.Triple(catalog, N(dct + "license"), lic),
        ox.Triple(catalog, N(dct + "issued"), issued),
        ox.Triple(catalog, N(dct + "modified"), modified),
        ox.Triple(ds, rdf_type, N(void + "Dataset")),
        ox.Triple(ds, rdf_type, N(dcat + "Dataset")),
        ox.Triple(ds, N(dct + "title"), de("inko-graph: Integrationskonzepte als Wissensgraph")),
        ox.Triple(ds, N(dct + "title"), L("inko-graph: integration concepts as a knowledge graph", language="en")),
        ox.Triple(ds, N(dct + "description"), de(
            "Leitziele, Handlungsfelder, Maßnahmen, Akteure, Lebensphasen und Kennzahlen kommunaler "
            "Integrationskonzepte (Hattingen, Ennepe-Ruhr-Kreis, Ratingen), je Quelldokument ein benannter Graph.")),
        ox.Triple(ds, N(dct + "identifier"), L(dataset_iri(settings))),
        ox.Triple(ds, N(dct + "issued"), issued),
        ox.Triple(ds, N(dct + "modified"), modified),
        ox.Triple(ds, N(dct + "license"), lic),
        ox.Triple(lic, N(P["rdfs"] + "label"), de(LICENSE_LABEL)),
        ox.Triple(lic, N(foaf + "page"), N(LICENSE_PAGE)),
        ox.Triple(ds, N(dcatde + "licenseAttributionByText"), attribution),
        ox.Triple(ds, N(dct + "publisher"), publisher),
        ox.Triple(publisher, rdf_type, N(foaf + "Organization")),
        ox.Triple(publisher, rdf_type, N(foaf + "Agent")),
        ox.Triple(publisher, N(foaf + "name"), de(pub.publisher_name)),
        ox.Triple(ds, N(dcatde + "contributorID"), N(pub.contributor_id)),
        ox.Triple(ds, N(dcat + "contactPoint"), contact),
        ox.Triple(contact, rdf_type, N(vcard + "Organization")),
        ox.Triple(contact, N(vcard + "fn"), de(pub.contact_name)),
        ox.Triple(ds, N(dcatde + "politicalGeocodingURI"), N(pub.geocoding_uri)),
        ox.Triple(ds, N(dcatde + "politicalGeocodingLevelURI"), N(pub.geocoding_level_uri)),
        ox.Triple(ds, N(dct + "language"), N("http://publications.europa.eu/resource/authority/language/DEU")),
        ox.Triple(ds, N(dcat + "keyword"), de("Integration")),
        ox.Triple(ds, N(dcat + "keyword"), de("Integrationskonzept")),
        ox.Triple(ds, N(dcat + "keyword"), de("Kommune")),
        ox.Triple(ds, N(dcat + "theme"), N("http://publications.europa.eu/resource/authority/data-theme/SOCI")),
        ox.Triple(ds, N(void + "triples"), num(stats.union_triples)),
        ox.Triple(ds, N(void + "entities"), num(stats.resources)),
        ox.Triple(ds, N(void + "sparqlEndpoint"), service),
        ox.Triple(ds, N(void + "uriSpace"), L(base + "id/")),
        ox.Triple(ds, N(void + "rootResource"), N(base + "def")),
        ox.Triple(ds, N(dcat + "landingPage"), N(base)),
    ]
    if pub.contact_email:
        out.append(ox.Triple(contact, N(vcard + "hasEmail"), N("mailto:" + pub.contact_email)))
    if pub.contact_url:
        out.append(ox.Triple(contact, N(vcard + "hasURL"), N(pub.contact_url)))
    for vocab in ("def", ):
        out.append(ox.Triple(ds, N(void + "vocabulary"), N(base + vocab)))
    for ns in ("skos", "org", "prov", "dcterms", "qb", "cv"):
        out.append(ox.Triple(ds, N(void + "vocabulary"), N(P[ns])))
    for key, (_, media, filetype, label) in DUMPS.items():
        url = N(f"{base}download/inko.{key}")
        out += [
            ox.Triple(ds, N(void + "dataDump"), url),
            ox.Triple(ds, N(dcat + "distribution"), url),
            ox.Triple(url, rdf_type, N(dcat + "Distribution")),
            ox.Triple(url, N(dct + "title"), de(label)),
            ox.Triple(url, N(dcat + "downloadURL"), url),
            ox.Triple(url, N(dcat + "accessURL"), url),
            ox.Triple(url, N(dcat + "mediaType"), N("http://www.iana.org/assignments/media-types/" + media)),
            ox.Triple(url, N(dct + "format"), N("http://publications.europa.eu/resource/authority/file-type/" + filetype)),
            ox.Triple(url, N(dct + "license"), lic),
            ox.Triple(url, N(dcatde + "licenseAttributionByText"), attribution),
            ox.Triple(url, N(dcat + "byteSize"), L(str(sizes[key]), datatype=size_type)),
            ox.Triple(url, N(dct + "issued"), issued),
            ox.Triple(url, N(dct + "modified"), modified),
        ]
    out += [
        ox.Triple(service, rdf_type, N(dcat + "DataService")),
        ox.Triple(service, N(dct + "title"), de("SPARQL-Endpunkt (nur lesend)")),
        ox.Triple(service, N(dcat + "endpointURL"), service),
        ox.Triple(service, N(dcat + "servesDataset"), ds),
        ox.Triple(service, N(dct + "license"), lic),
        ox.Triple(service, N(dct + "publisher"), publisher),
        ox.Triple(service, N(dcat + "contactPoint"), contact),
        ox.Triple(service, N(dct + "conformsTo"), N("https://www.w3.org/TR/sparql11-protocol/")),
    ]
    for g in stats.graphs:
        gi = N(g.iri)
        out += [
            ox.Triple(ds, N(void + "subset"), gi),
            ox.Triple(gi, rdf_type, N(void + "Dataset")),
            ox.Triple(gi, N(void + "triples"), num(g.triples)),
            ox.Triple(gi, N(void + "entities"), num(g.resources)),
            ox.Triple(gi, N(void + "sparqlEndpoint"), service),
            ox.Triple(gi, N(dct + "license"), lic),
        ]
        if g.label:
            out.append(ox.Triple(gi, N(dct + "title"), de(g.label)))
        if g.source:
            out.append(ox.Triple(gi, N(dct + "source"), N(g.source)))
    return out


def export(store, settings, out_dir: Path, keys: list[str] | None = None) -> list[Path]:
    """Write the dumps (all by default) and ``void.ttl`` to ``out_dir``; checks for personal data first."""
    keys = keys or list(DUMPS)
    for k in keys:
        if k not in DUMPS:
            raise InputError(f"Unbekanntes Exportformat {k!r}; möglich: {', '.join(DUMPS)}.")
    check_personal_data(store)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for k in keys:
        path = out_dir / f"inko.{k}"
        path.write_bytes(dump(store, k))
        written.append(path)
    path = out_dir / "void.ttl"
    sizes = {p.name.split(".", 1)[1]: p.stat().st_size for p in written}
    sizes = {k: sizes.get(k) or len(dump(store, k)) for k in DUMPS}
    path.write_bytes(ox.serialize(dataset_description(store, settings, sizes=sizes), format=ox.RdfFormat.TURTLE,
                                  prefixes=PREFIXES))
    written.append(path)
    return written
