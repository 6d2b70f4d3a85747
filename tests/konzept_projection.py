"""What a Konzept workbook carries of a concept, written independently of the export: the definition
the round-trip tests of the export (and the browser test of the cockpit's changes) hold the code to."""

from __future__ import annotations

import re

import pyoxigraph as ox

from inko_graph.namespaces import GRAPH, PREFIXES

I, S, D, RDF = PREFIXES["inko"], PREFIXES["skos"], PREFIXES["dcterms"], PREFIXES["rdf"] + "type"
GOAL_TYPES = {I + x for x in ("Ziel", "Leitziel", "Teilziel", "Leitthema", "Monitoringziel", "Jahresziel")}
ORG = PREFIXES["org"] + "Organization"
DE_TEXT = {S + "prefLabel", D + "description"}
#: Per kind: the properties the workbook carries (objects restricted where they must lie in the concept).
PROJECTION = {
    "konzept": {RDF, S + "prefLabel", I + "gebiet", D + "date", D + "publisher", D + "source"},
    "feld": {RDF, S + "prefLabel", S + "inScheme", S + "notation", D + "description", I + "abschnitt", D + "source"},
    "ziel": {RDF, S + "prefLabel", S + "inScheme", S + "notation", S + "broader", I + "handlungsfeld", I + "lebensphase",
             I + "zielgruppe", D + "description", I + "abschnitt", D + "source"},
    "massnahme": {RDF, S + "prefLabel", S + "notation", D + "description", I + "dient", I + "handlungsfeld",
                  I + "zustaendig", I + "zustaendigkeit", I + "wer", I + "wann", I + "lebensphase", I + "zielgruppe",
                  I + "zeithorizont", I + "indikator", I + "abschnitt", D + "source"},
    "indikator": {RDF, S + "prefLabel", S + "notation", I + "indikatorart", I + "misst", I + "einheit",
                  I + "datenquelle", I + "abschnitt", D + "source"},
    "org": {S + "prefLabel", I + "akteursart", I + "gebiet"},
}
ROW_PLACE = re.compile(r"^Blatt .+, Zeile \d+$")


def _own(store) -> dict[str, dict[str, set]]:
    out: dict = {}
    for q in store.quads():
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        if g == GRAPH + "kuratiert" or g.startswith(GRAPH + "raster/"):
            continue
        out.setdefault(q.subject.value, {}).setdefault(q.predicate.value, set()).add(q.object)
    return out


def projection(store, konzept: str) -> set[ox.Triple]:
    """The statements about ``konzept`` that the workbook carries (written independently of the export)."""
    st = _own(store)
    iris = lambda s, p: {o.value for o in st.get(s, {}).get(p, ()) if isinstance(o, ox.NamedNode)}  # noqa: E731
    types = lambda s: iris(s, RDF)  # noqa: E731
    members = [s for s in st if konzept in iris(s, S + "inScheme")]
    fields = {s for s in members if I + "Handlungsfeld" in types(s)}
    goals = {s for s in members if types(s) & GOAL_TYPES}
    measures = {s for s in st if I + "Massnahme" in types(s)
                and (iris(s, I + "dient") & goals or iris(s, I + "handlungsfeld") & fields)}
    indicators = {s for s in st if I + "Indikator" in types(s) and iris(s, I + "misst") & goals}
    orgs = iris(konzept, D + "publisher") | {o for m in measures for o in iris(m, I + "zustaendig")}
    inside = {S + "broader": goals, I + "dient": goals, I + "misst": goals, I + "handlungsfeld": fields,
              I + "indikator": indicators}
    out = set()
    kinds = [("konzept", {konzept}), ("feld", fields), ("ziel", goals), ("massnahme", measures),
             ("indikator", indicators), ("org", orgs)]
    for kind, subjects in kinds:
        for s in subjects:
            node = ox.NamedNode(s)
            if kind == "org":
                out.add(ox.Triple(node, ox.NamedNode(RDF), ox.NamedNode(ORG)))
            for p in PROJECTION[kind]:
                for o in st.get(s, {}).get(p, ()):
                    if p in inside and kind != "konzept" and o.value not in inside[p]:
                        continue
                    if p == D + "source" and o.value.startswith(GRAPH):
                        continue
                    if p in DE_TEXT and getattr(o, "language", None) != "de":
                        continue
                    if p == RDF and kind == "ziel" and o.value not in GOAL_TYPES:
                        continue
                    if p == RDF and kind != "ziel" and kind != "org" and o.value != {
                            "konzept": I + "Konzept", "feld": I + "Handlungsfeld", "massnahme": I + "Massnahme",
                            "indikator": I + "Indikator"}[kind]:
                        continue
                    if p == I + "abschnitt" and ROW_PLACE.match(o.value):
                        continue
                    out.add(ox.Triple(node, ox.NamedNode(p), o))
    return out


def _without_workbook_provenance(triples, graph: str) -> set[ox.Triple]:
    return {t for t in triples if t.subject.value != graph and t.object.value != graph
            and not (t.predicate.value == I + "abschnitt" and ROW_PLACE.match(t.object.value))}
