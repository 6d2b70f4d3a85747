"""What a resource page shows: a main view in the words of the field, and the technical view.

The main view names a resource by its kind ("Leitziel", "Organisation"), its sources by their
title as on the cover (a Raster submission as "Raster-Meldung vhs Hattingen 2014") with the
section, its links under headings such as "Zuständig" or "Dient diesem Ziel", and every curated
link as "Zuordnung (kuratiert): A ↔ B" with its reason. It shows no IRI, class name, hash or graph
name: those, every triple with the graph that states it, and the formats, are the technical view
("Für Datennutzer"), built by ``describe`` as before.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from starlette.requests import Request

from ..export.dumps import LICENSE, LICENSE_LABEL
from ..namespaces import PREFIXES
from .results import graph_bytes
from .templating import safe_href

__all__ = ["describe", "main_view", "graph_names", "curated_links", "kind_word", "json_ld_block",
           "graph_description", "GERMAN", "render_with_gebiet"]

_P = PREFIXES
RDF_TYPE = _P["rdf"] + "type"
_LABEL_PROPS = (_P["skos"] + "prefLabel", _P["rdfs"] + "label", _P["dcterms"] + "title")
_SOURCE = _P["dcterms"] + "source"
_SECTION = _P["inko"] + "abschnitt"
_DESCRIPTION = _P["dcterms"] + "description"
_INKO, _SKOS, _ORG = _P["inko"], _P["skos"], _P["org"]
_ORDER = {RDF_TYPE: 0, _P["skos"] + "prefLabel": 1, _P["skos"] + "notation": 2, _P["dcterms"] + "description": 3,
          _P["skos"] + "definition": 3}
_CURATED_KIND = "https://w3id.org/inko/id/vokabular/graphart/kuratiert"

#: German names of the borrowed properties (the ontology names its own); for the technical view.
GERMAN = {
    RDF_TYPE: "Art", _SKOS + "prefLabel": "Bezeichnung", _SKOS + "altLabel": "weitere Bezeichnung",
    _SKOS + "notation": "Nummer", _SKOS + "inScheme": "gehört zu", _SKOS + "broader": "übergeordnet",
    _SKOS + "narrower": "untergeordnet", _SKOS + "definition": "Definition",
    _SKOS + "topConceptOf": "oberster Begriff von", _SKOS + "hasTopConcept": "oberster Begriff",
    _SKOS + "closeMatch": "entspricht weitgehend", _SKOS + "exactMatch": "entspricht",
    _SKOS + "broadMatch": "entspricht allgemeiner", _SKOS + "narrowMatch": "entspricht enger",
    _SKOS + "relatedMatch": "verwandt mit", _SKOS + "related": "verwandt mit",
    _SKOS + "note": "Anmerkung", _SKOS + "scopeNote": "Anwendungshinweis",
    _SOURCE: "Quelle", _DESCRIPTION: "Beschreibung", _P["dcterms"] + "title": "Titel",
    _P["dcterms"] + "date": "Datum", _P["dcterms"] + "publisher": "Herausgeber", _P["dcterms"] + "creator": "Urheber",
    _P["dcterms"] + "created": "erstellt", _P["dcterms"] + "license": "Lizenz", _P["dcterms"] + "isPartOf": "Teil von",
    _P["dcterms"] + "relation": "bezieht sich auf",
    _P["rdfs"] + "label": "Bezeichnung", _P["rdfs"] + "comment": "Kommentar", _P["rdfs"] + "subClassOf": "Unterklasse von",
    _P["rdfs"] + "subPropertyOf": "Untereigenschaft von", _P["rdfs"] + "domain": "Definitionsbereich",
    _P["rdfs"] + "range": "Wertebereich", _ORG + "subOrganizationOf": "Teil von", _ORG + "hasMember": "Mitglied",
    _ORG + "linkedTo": "verbunden mit", _ORG + "hasSubOrganization": "hat Untereinheit",
    _P["prov"] + "wasAssociatedWith": "beteiligt", _P["qb"] + "dataSet": "Datensatz",
    "http://purl.org/linked-data/sdmx/2009/dimension#refArea": "Gebiet",
    "http://purl.org/linked-data/sdmx/2009/dimension#refPeriod": "Zeitraum",
    _P["rdf"] + "subject": "Subjekt", _P["rdf"] + "predicate": "Eigenschaft", _P["rdf"] + "object": "Objekt",
    _P["owl"] + "versionInfo": "Version", _P["owl"] + "sameAs": "dieselbe wie",
}

#: Headings of the main view for a resource's own statements, in the field's words and in the
#: order the page shows them (what it serves and who is responsible first, notes last).
_OUT = {
    _INKO + "dient": "Dient dem Ziel", _INKO + "zustaendig": "Zuständig", _INKO + "traeger": "Träger",
    _INKO + "beteiligt": "Beteiligt", _INKO + "zustaendigkeit": "Zuständig (Bereich)",
    _INKO + "wer": "Wer (im Wortlaut)", _INKO + "wann": "Wann (im Wortlaut)",
    _INKO + "lebensphase": "Lebensphase", _INKO + "zielgruppe": "Zielgruppe", _INKO + "handlungsfeld": "Handlungsfeld",
    _INKO + "umsetzungsschritt": "Umsetzungsschritte", _SKOS + "broader": "Übergeordnetes Ziel",
    _INKO + "erlaeutert": "Erläutert das Ziel", _SKOS + "inScheme": "Gehört zu", _SKOS + "notation": "Nummer",
    _ORG + "subOrganizationOf": "Teil von", _ORG + "hasMember": "Mitglieder", _ORG + "linkedTo": "Verbunden mit",
    _INKO + "akteursart": "Art des Akteurs", _INKO + "gebiet": "Gebiet", _INKO + "adresse": "Anschrift",
    _P["prov"] + "wasAssociatedWith": "Beteiligt", _P["dcterms"] + "date": "Datum",
    _P["dcterms"] + "publisher": "Herausgeber", _SKOS + "definition": "Definition", _SKOS + "altLabel": "Auch genannt",
    _SKOS + "note": "Anmerkung",
}
#: Headings for statements of others about the resource.
_IN = {
    _INKO + "dient": "Dient diesem Ziel", _INKO + "zustaendig": "Zuständig für", _INKO + "traeger": "Träger von",
    _INKO + "beteiligt": "Beteiligt an", _SKOS + "broader": "Unterziele", _SKOS + "inScheme": "Enthält",
    _INKO + "erlaeutert": "Kernaussagen", _ORG + "hasMember": "Mitglied in", _ORG + "subOrganizationOf": "Untereinheiten",
    _INKO + "lebensphase": "Vorhaben für diese Lebensphase",
    _INKO + "zielgruppe": "Vorhaben für diese Zielgruppe", _INKO + "handlungsfeld": "In diesem Handlungsfeld",
    _INKO + "misst": "Gemessen mit", _INKO + "umsetzungsschritt": "Schritt der Maßnahme",
    _P["prov"] + "wasAssociatedWith": "Beteiligt an", _ORG + "linkedTo": "Verbunden mit",
    _INKO + "gleicherWortlaut": "Gleicher Wortlaut wie", _SOURCE: "Aus diesem Dokument",
}
#: Left out of the main view: shown in the header, or only of use to data users.
_NOT_MAIN = {RDF_TYPE, _SKOS + "prefLabel", _SOURCE, _SECTION, _DESCRIPTION, _P["rdf"] + "subject",
             _P["rdf"] + "predicate", _P["rdf"] + "object", _INKO + "verzeichnis", _INKO + "dateiname",
             _INKO + "graphart", _INKO + "begruendung",
             # the inverse of org:subOrganizationOf: its sub-units are listed once, as incoming links
             _ORG + "hasSubOrganization"}
_MATCH_WORDS = {
    _SKOS + "closeMatch": "entspricht weitgehend", _SKOS + "exactMatch": "entspricht genau",
    _SKOS + "broadMatch": "gehört zum allgemeineren Ziel", _SKOS + "narrowMatch": "umfasst das speziellere Ziel",
    _SKOS + "relatedMatch": "ist verwandt mit", _P["owl"] + "sameAs": "ist dieselbe Organisation wie",
    _ORG + "subOrganizationOf": "ist Teil von", _ORG + "hasSubOrganization": "hat als Teil",
    _INKO + "dient": "dient dem Ziel", _INKO + "lebensphase": "ist für die Lebensphase",
    _INKO + "handlungsfeld": "gehört zum Handlungsfeld", _P["dcterms"] + "relation": "bezieht sich auf",
}
#: Kinds in plain words, where the class has no German label of its own.
_KIND_WORDS = {_ORG + "Organization": "Organisation", _ORG + "FormalOrganization": "Organisation",
               _P["cv"] + "PublicOrganisation": "Öffentliche Stelle", _SKOS + "Concept": "Begriff",
               _SKOS + "ConceptScheme": "Begriffsliste", _P["qb"] + "Observation": "Wert",
               _P["owl"] + "Ontology": "Ontologie", _P["prov"] + "Entity": "Dokument",
               _P["qb"] + "DataSet": "Datenreihe", _P["dcat"] + "Dataset": "Datensatz",
               _P["skos"] + "Collection": "Sammlung"}
_KIND_ORDER = [_INKO + k for k in ("Leitthema", "Leitziel", "Teilziel", "Jahresziel", "Monitoringziel", "Kernaussage",
                                  "Massnahme", "Aktivitaet", "Umsetzungsschritt", "Gremium", "Konzept",
                                  "Handlungsfeld", "Lebensphase", "Indikator", "Veranstaltung", "Quelldokument")]


def _named(request: Request, name: str) -> str:
    from ..export.dumps import query_text

    return query_text(request.app.state.settings, name)


@lru_cache(maxsize=8192)
def _shorten(iri: str) -> str:
    from ..namespaces import shorten

    return shorten(iri)


def _graph_infos(request: Request) -> dict[str, tuple]:
    """graph -> (label, kind, kind label) as ``void-graphen`` names them (its first row), read
    once per state of the data; counting every graph's triples as that query does cost a third of
    a second at 10^5 triples, and the badges need only the words."""
    cache = request.app.state.cache
    got = cache.get("lod_graphenarten")
    if got is None:
        got = {}
        for sol in request.app.state.store.query(_named(request, "lod-graphenarten")):
            got.setdefault(sol["graph"].value, tuple(None if sol[k] is None else sol[k].value
                                                     for k in ("graphname", "art", "artname")))
        cache["lod_graphenarten"] = got
    return got


def _term(term, label: str | None, base: str) -> dict:
    """A value for the page: text, link (local page or http(s) only), and a note (language, type)."""
    if isinstance(term, ox.NamedNode):
        return {"text": label or _shorten(term.value), "iri": term.value, "href": safe_href(term.value, base),
                "note": None, "literal": False, "labelled": label is not None}
    if isinstance(term, ox.BlankNode):
        return {"text": "_:" + term.value, "iri": None, "href": None, "note": "leerer Knoten", "literal": False}
    if isinstance(term, ox.Literal):
        note = term.language
        if not note and term.datatype.value != _P["xsd"] + "string":
            note = _shorten(term.datatype.value)
        return {"text": term.value, "iri": None, "href": None, "note": note, "literal": True}
    return {"text": str(term), "iri": None, "href": None, "note": None, "literal": False}


def _graph_badge(g: str, infos, base: str) -> dict:
    """``infos``: ``_graph_infos`` or the dataset's ``graph_stats``."""
    if isinstance(infos, dict):
        label, kind, kind_label = infos.get(g) or (None, None, None)
    else:
        info = infos.graph(g)
        label, kind, kind_label = (info.label, info.kind, info.kind_label) if info else (None, None, None)
    kind = (kind or "").rsplit("/", 1)[-1]
    kind_label = kind_label or ""
    return {"iri": g, "href": safe_href(g, base), "name": g.rsplit("/", 1)[-1],
            "label": label or g, "kind": kind,
            "kind_label": kind_label, "kind_word": kind_label.split(" ", 1)[0] if kind_label else "Graph"}


def describe(request: Request, iri: str) -> dict | None:
    """Everything the page of ``iri`` shows, or ``None`` if the graph does not know ``iri``."""
    store = request.app.state.store
    base = request.app.state.settings.base_iri
    stats = _graph_infos(request)
    node = ox.NamedNode(iri)
    props: dict[str, dict] = {}
    labels: dict[str, str] = {}
    by_graph: dict[str, dict] = {}
    for sol in store.query(_named(request, "lod-aussagen"), {"ressource": node}):
        p, o, g = sol["p"].value, sol["o"], sol["g"].value
        plabel = sol["plabel"].value if sol["plabel"] is not None else None
        olabel = sol["olabel"].value if sol["olabel"] is not None else None
        entry = props.setdefault(p, {"iri": p, "label": plabel or GERMAN.get(p) or _shorten(p), "short": _shorten(p),
                                     "href": safe_href(p, base), "werte": {},
                                     "labelled": bool(plabel or p in GERMAN)})
        key = str(o)
        value = entry["werte"].setdefault(key, {**_term(o, olabel, base), "graphs": []})
        value["graphs"].append(_graph_badge(g, stats, base))
        value["graphs"].sort(key=lambda b: b["iri"])
        if p in _LABEL_PROPS and isinstance(o, ox.Literal):
            labels.setdefault(f"{p}@{o.language or ''}", o.value)
        elif p in (_SOURCE, _SECTION):
            prov = by_graph.setdefault(g, {"sources": [], "sections": []})
            if p == _SOURCE:
                prov["sources"].append(value)
            else:
                prov["sections"].append(o.value)
    incoming: dict[str, dict] = {}
    incoming_count = 0
    for sol in store.query(_named(request, "lod-eingehend"), {"ressource": node}):
        incoming_count += 1
        if incoming_count > 1000:
            break
        s, p, g = sol["s"], sol["p"].value, sol["g"].value
        slabel = sol["slabel"].value if sol["slabel"] is not None else None
        plabel = sol["plabel"].value if sol["plabel"] is not None else None
        entry = incoming.setdefault(p, {"iri": p, "label": plabel or GERMAN.get(p) or _shorten(p), "short": _shorten(p),
                                        "href": safe_href(p, base), "werte": {},
                                        "labelled": bool(plabel or p in GERMAN)})
        value = entry["werte"].setdefault(str(s), {**_term(s, slabel, base), "graphs": []})
        value["graphs"].append(_graph_badge(g, stats, base))
        value["graphs"].sort(key=lambda b: b["iri"])
    if not props and not incoming:
        return None
    title = None
    for p in _LABEL_PROPS:
        title = labels.get(f"{p}@de") or labels.get(f"{p}@")
        if title:
            break
    if not title:
        title = next(iter(labels.values()), None)
    labelled = title is not None
    title = title or _shorten(iri)
    ordered = sorted(props.values(), key=lambda e: (_ORDER.get(e["iri"], 9), e["label"].lower()))
    for e in ordered + list(incoming.values()):
        e["werte"] = sorted(e["werte"].values(), key=lambda v: v["text"].lower())
    graphs = {b["iri"]: b for e in ordered for v in e["werte"] for b in v["graphs"]}
    types = props[RDF_TYPE]["werte"] if RDF_TYPE in props else []
    # Each document with the sections it names, as stated in the same graph.
    provenance = [{"sources": sorted(v["sources"], key=lambda x: x["text"]), "sections": sorted(set(v["sections"]))}
                  for _, v in sorted(by_graph.items())]
    return {"iri": iri, "title": title, "labelled": labelled, "types": types, "properties": ordered,
            "incoming": sorted(incoming.values(), key=lambda e: e["label"].lower()),
            "incoming_truncated": incoming_count > 1000, "provenance": provenance,
            "graphs": sorted(graphs.values(), key=lambda b: b["iri"])}


def graph_names(request: Request) -> dict[str, dict]:
    """Each graph: how a page names it as a source, and whether it is curated (cached per data state)."""
    cache = request.app.state.cache
    if "lod_graphnamen" in cache:
        return cache["lod_graphnamen"]
    out = {}
    for sol in request.app.state.store.query(_named(request, "lod-graphen")):
        def v(k):
            return sol[k].value if sol[k] is not None else None
        kind = v("art") or ""
        if v("melder"):
            name = f"Raster-Meldung {v('melder')}" + (f" {v('jahr')}" if v("jahr") else "")
        else:
            name = v("dokumenttitel") or v("graphname") or _shorten(sol["graph"].value)
        out[sol["graph"].value] = {"name": name, "kuratiert": kind == _CURATED_KIND, "dokument": v("dokument"),
                                   "art": kind.rsplit("/", 1)[-1]}
    cache["lod_graphnamen"] = out
    return out


def kind_word(cls: str) -> str:
    """A class without a German label of its own, in plain words ("Organisation", not org:Organization)."""
    return _KIND_WORDS.get(cls, "Eintrag")


def _kind(types: list[dict]) -> str:
    by_iri = {t["iri"]: t for t in types if t.get("iri")}
    for k in _KIND_ORDER:
        if k in by_iri:
            return by_iri[k]["label"] or k.rsplit("#", 1)[-1]
    for iri, t in by_iri.items():
        if t["label"]:
            return t["label"]
    for iri in by_iri:
        if iri in _KIND_WORDS:
            return _KIND_WORDS[iri]
    return "Eintrag"


def main_view(request: Request, iri: str, d: dict) -> dict:
    """The main view of the page of ``iri``, from the technical description ``d`` (see ``describe``)."""
    from ..query.wortlaut import current_text
    from .cockpit_base import wortlaut
    from .gestrichen import hinweis

    base = request.app.state.settings.base_iri
    names = graph_names(request)
    types = [{"iri": v.get("iri"), "label": v["text"] if v.get("labelled") else None} for v in d["types"]]
    w = wortlaut(request)   # the wording an uploaded concept replaced stays in the technical view only

    def curated(value) -> bool:
        """Only curated graphs state it (no document does)."""
        return all(names.get(b["iri"], {}).get("kuratiert") for b in value["graphs"])

    def section(entries, words) -> list[dict]:
        out = []
        for e in entries:
            p = e["iri"]
            if p in _NOT_MAIN or p in _MATCH_WORDS and p not in words:
                continue
            heading = words.get(p) or (e["label"] if e.get("labelled") else None)
            if not heading:
                continue  # a property without a German name stays in the technical view
            values = []
            for v in e["werte"]:
                if v["iri"] and not v.get("labelled") and not v["href"]:
                    continue
                if v["iri"] and v["iri"].startswith(base + "id/kuratierung/"):
                    continue
                text = v["text"] if (v.get("labelled") or not v["iri"]) else "(ohne Bezeichnung)"
                text = current_text(w, v["iri"], text) if v["iri"] else text
                values.append({"text": text, "href": v["href"], "kuratiert": curated(v)})
            if values:
                out.append({"titel": heading[:1].upper() + heading[1:], "werte": values, "iri": p})
        order = {p: i for i, p in enumerate(words)}
        return sorted(out, key=lambda e: order.get(e["iri"], len(order)))

    # Where the statements come from: each document (by title) with its sections, each Raster submission.
    quellen: dict[str, set[str]] = {}
    raster: set[str] = set()
    for prov in d["provenance"]:
        for s in prov["sources"]:
            key = s.get("iri") or s["text"]
            name = names[key]["name"] if key in names else s["text"]
            quellen.setdefault(name, set()).update(prov["sections"])
            if names.get(key, {}).get("art") == "raster":
                raster.add(name)  # a submission: its "section" is a file and line, not a chapter
    for b in d["graphs"]:
        info = names.get(b["iri"])
        if info and info["art"] == "raster":
            quellen.setdefault(info["name"], set())
    angaben = section(d["properties"], _OUT)
    eingehend = section(d["incoming"], _IN)
    description = [v["text"] for e in d["properties"] if e["iri"] == _DESCRIPTION for v in e["werte"]
                   if current_text(w, iri, v["text"]) == v["text"]]
    links = curated_links(request, iri)
    kind = _kind(types)
    if not d.get("labelled", True):
        # No label of its own (a curated link): named by what it links, else by its kind.
        own = [z for z in links if z["kennung"]]
        titel = (f"Zuordnung (kuratiert): {own[0]['a']['text']} ↔ {own[0]['b']['text']}" if own else kind)
    else:
        titel = current_text(w, iri, d["title"])
    return {
        "titel": titel,
        "art": kind,
        "beschreibung": description,
        "quellen": [{"titel": k, "abschnitte": sorted(v), "meldung": k in raster} for k, v in sorted(quellen.items())],
        "angaben": angaben,
        "eingehend": eingehend,
        "zuordnungen": links,
        "gestrichen": hinweis(request, iri),   # no longer in the uploaded version of its concept
    }


def curated_links(request: Request, iri: str) -> list[dict]:
    """Every curated link of ``iri``: both sides, the relation in words, and the reason."""
    from ..query.wortlaut import current_text
    from .cockpit_base import wortlaut

    base = request.app.state.settings.base_iri
    w = wortlaut(request)
    out = []
    for sol in request.app.state.store.query(_named(request, "lod-kuratierungen"), {"ressource": ox.NamedNode(iri)}):
        s, o = sol["subjekt"], sol["objekt"]
        p = sol["praedikat"].value
        if p == _ORG + "hasSubOrganization":
            continue  # the inverse of a sub-unit's link, which is shown
        def side(term, label):
            text = label.value if label is not None else (term.value if isinstance(term, ox.Literal) else "(ohne Bezeichnung)")
            text = current_text(w, term.value, text) if label is not None else text
            href = safe_href(term.value, base) if isinstance(term, ox.NamedNode) else None
            return {"text": text, "href": href, "selbst": isinstance(term, ox.NamedNode) and term.value == iri}
        link = {"a": side(s, sol["subjektname"]), "b": side(o, sol["objektname"]),
                "beziehung": _MATCH_WORDS.get(p) or GERMAN.get(p) or "verknüpft mit",
                "begruendung": sol["begruendung"].value if sol["begruendung"] is not None else "",
                "kennung": sol["selbst"] is not None}
        if link not in out:     # a side with a replaced label gave the link twice
            out.append(link)
    return out


#: At most this many triples go into the JSON-LD block of a page; the formats have all of them.
JSONLD_MAX = 3000


def json_ld_block(triples: list) -> str:
    """The triples as JSON-LD that can stand inside ``<script type="application/ld+json">``: the
    characters that could end the element or start markup are escaped (valid in JSON strings)."""
    text = graph_bytes("jsonld", triples[:JSONLD_MAX]).decode("utf-8")
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def graph_description(request: Request, iri: str, info) -> list:
    """What a graph IRI says about itself beside its content: title, source document (with its
    title), licence and size (VoID), as the dataset description has them."""
    N, dct, void = ox.NamedNode, _P["dcterms"], _P["void"]
    g = N(iri)
    out = [ox.Triple(g, N(RDF_TYPE), N(void + "Dataset")),
           ox.Triple(g, N(dct + "license"), N(LICENSE)),
           ox.Triple(N(LICENSE), N(_P["rdfs"] + "label"), ox.Literal(LICENSE_LABEL, language="de")),
           ox.Triple(g, N(void + "triples"), ox.Literal(str(info.triples), datatype=N(_P["xsd"] + "integer"))),
           ox.Triple(g, N(void + "entities"), ox.Literal(str(info.resources), datatype=N(_P["xsd"] + "integer")))]
    if info.label:
        out.append(ox.Triple(g, N(dct + "title"), ox.Literal(info.label, language="de")))
    if info.source:
        out.append(ox.Triple(g, N(dct + "source"), N(info.source)))
        for sol in request.app.state.store.query(_named(request, "lod-aussagen"), {"ressource": N(info.source)}):
            if sol["p"].value == dct + "title":
                out.append(ox.Triple(N(info.source), N(dct + "title"), sol["o"]))
    return out


def render_with_gebiet(request: Request, template: str, **context):
    """A resource page with the cockpit's chooser of the Gebiet in its header.

    A resource is the same whatever Gebiet is chosen: the choice is not applied to it, but kept
    (URL, cookie) for the menu's links and the way back to the overviews, and a choice made here
    is remembered like on every cockpit page."""
    from . import gebiet as gb
    from .templating import render

    headers = dict(context.pop("headers", None) or {})
    headers["Vary"] = ", ".join(v for v in (headers.get("Vary"), "Cookie") if v)
    resp = render(request, template, cockpit_gebiet=gb.chosen(request),
                  cockpit_gebiete=list(gb.choices(request.app).values()), headers=headers, **context)
    gb.remember(request, resp)
    return resp
