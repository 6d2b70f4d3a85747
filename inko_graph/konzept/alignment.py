"""Alignment suggestions: for each goal of a concept, the closest goals of the Kreis and of the other towns.

Closeness is the cosine of TF-IDF vectors (:mod:`inko_graph.query.similarity`: German stop words left
out, light stems) over the wording of the goals; the document frequencies come from all goals of
the graph. The export shows the suggestions in the sheet „Abgleich“; a row marked „ja“ in
„Bestätigt“ becomes a curated link (``skos:closeMatch`` or the relation chosen) with its reason,
in a curated graph of its own (``graph/kuratiert/abgleich-<key>``), never in the concept's graph.
``bench/bench_alignment.py`` measures the suggestions against the curated goal alignments.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pyoxigraph as ox

from ..namespaces import GRAPH, PREFIXES, shorten
from ..query.similarity import Corpus
from ..raster.vocab import Term, _goals, catalogue
from ..workbook.problems import Problem
from .lists import ancestors

__all__ = ["Suggestion", "rank", "suggest", "ABGLEICH_SHEET", "ABGLEICH_COLUMNS", "RELATIONS", "curated_triples",
           "curated_graph"]

ABGLEICH_SHEET = "Abgleich"
ABGLEICH_COLUMNS = ("Ziel", "Wortlaut", "Vorschlag", "Wortlaut des Vorschlags", "Konzept des Vorschlags",
                    "Ähnlichkeit", "Bestätigt", "Beziehung", "Begründung")
#: The relations a confirmed suggestion may have (shown in the drop-down), as in kuratiert/ziele-abgleich.csv.
RELATIONS = {"fast dasselbe Ziel (closeMatch)": "closeMatch", "dient dem weiteren Ziel (broadMatch)": "broadMatch",
             "engeres Ziel (narrowMatch)": "narrowMatch", "verwandt (relatedMatch)": "relatedMatch"}
_RDF = PREFIXES["rdf"]
_I = PREFIXES["inko"]


@dataclass
class Suggestion:
    goal: Term
    candidate: Term
    score: float
    rank: int
    kreis: bool     # the candidate is a goal of the Kreis's concept (else another town's)


def goal_texts(store, settings) -> dict[str, str]:
    """Goal IRI -> everything its document says about it (query ``ziel-texte``)."""
    from ..query.catalogue import run

    df = run(store, catalogue(settings.queries_dir).get("ziel-texte"))
    return {r.ziel: r.text for r in df.itertuples() if isinstance(r.text, str)}


def rank(queries: list[Term], candidates: list[Term], corpus_terms: list[Term], k: int = 3,
         exclude=None, texts: dict[str, str] | None = None) -> dict[str, list[tuple[Term, float]]]:
    """For each query goal the ``k`` closest candidates (score > 0), best first.

    ``texts`` gives each goal's full wording (else its label); ``exclude(query, candidate)`` leaves pairs out."""
    texts = [(texts or {}).get(t.iri) or t.label for t in corpus_terms]
    corpus = Corpus.from_texts(texts)
    pos = {t.iri: i for i, t in enumerate(corpus_terms)}
    vec = {}
    for t in set(queries) | set(candidates):
        idx, w = corpus.row(pos[t.iri])
        vec[t.iri] = dict(zip(idx.tolist(), w.tolist()))
    out = {}
    for q in queries:
        qv = vec[q.iri]
        scored = []
        for c in candidates:
            if c.iri == q.iri or (exclude is not None and exclude(q, c)):
                continue
            cv = vec[c.iri]
            small, large = (qv, cv) if len(qv) < len(cv) else (cv, qv)
            s = sum(w * large.get(i, 0.0) for i, w in small.items())
            if s > 0:
                scored.append((c, s))
        scored.sort(key=lambda x: (-x[1], x[0].iri))
        out[q.iri] = scored[:k]
    return out


def suggest(store, settings, konzept: str, gebiet: str, gebiete: list[Term], k: int = 3) -> list[Suggestion]:
    """Suggestions for every goal of ``konzept`` (in ``gebiet``) among the goals of other Gebiete's concepts."""
    from ..query.catalogue import run

    cat = catalogue(settings.queries_dir)
    goals = _goals(store, cat, None)
    where = {r.konzept: r.gebiet for r in run(store, cat.get("konzept-gebiete")).itertuples()}
    up = set(ancestors(gebiet, gebiete))
    own = [g for g in goals if g.group_iri == konzept]
    others = [g for g in goals if where.get(g.group_iri) not in (None, gebiet)]
    ranked = rank(own, others, goals, k, texts=goal_texts(store, settings))
    return [Suggestion(g, c, round(s, 3), n, where.get(c.group_iri) in up)
            for g in own for n, (c, s) in enumerate(ranked[g.iri], start=1)]


def sheet_rows(suggestions: list[Suggestion]) -> list[list]:
    return [[shorten(s.goal.iri), s.goal.label, s.candidate.display, s.candidate.label, s.candidate.group,
             s.score, None, None, None] for s in suggestions]


def curated_graph(key: str) -> str:
    return f"{GRAPH}kuratiert/abgleich-{key}"


def curated_triples(rows: list[tuple[int, dict]], goals: dict[str, str], candidates: dict[str, str], key: str,
                    filename: str, sheet: str) -> tuple[list[ox.Triple], list[Problem]]:
    """The confirmed rows of the sheet „Abgleich“ as curated links with their reasons.

    ``rows``: (row number, {column name: value}); ``goals``: short or full IRI of the concept's goals ->
    IRI; ``candidates``: the text shown in „Vorschlag“ (or a short IRI) -> IRI."""
    graph = ox.NamedNode(curated_graph(key))
    out = [ox.Triple(graph, ox.NamedNode(_RDF + "type"), ox.NamedNode(_I + "Quellgraph")),
           ox.Triple(graph, ox.NamedNode(_I + "graphart"), ox.NamedNode(PREFIXES["id"] + "vokabular/graphart/kuratiert")),
           ox.Triple(graph, ox.NamedNode(PREFIXES["skos"] + "prefLabel"),
                     ox.Literal(f"Bestätigter Abgleich der Ziele: {filename}", language="de"))]
    problems = []
    for number, values in rows:
        if str(values.get("Bestätigt") or "").strip().casefold() not in ("ja", "x", "j", "yes"):
            continue
        where = (sheet, number)
        goal = goals.get(str(values.get("Ziel") or "").strip())
        cand = candidates.get(str(values.get("Vorschlag") or "").strip())
        rel = RELATIONS.get(str(values.get("Beziehung") or "").strip(), None) if values.get("Beziehung") else "closeMatch"
        reason = str(values.get("Begründung") or "").strip()
        if goal is None:
            problems.append(Problem("Dieses Ziel gibt es im Konzept nicht.", "No such goal.", *where, "Ziel",
                                    str(values.get("Ziel"))))
        if cand is None:
            problems.append(Problem("Diesen Vorschlag gibt es nicht (bitte den Text der Liste nicht ändern).",
                                    "No such suggestion.", *where, "Vorschlag", str(values.get("Vorschlag"))))
        if rel is None:
            problems.append(Problem("Unbekannte Beziehung.", "Unknown relation.", *where, "Beziehung",
                                    str(values.get("Beziehung")), "; ".join(RELATIONS), "; ".join(RELATIONS)))
        if not reason:
            problems.append(Problem("Bitte begründen, warum die Ziele zusammengehören (eine kurze Begründung "
                                    "steht bei jeder kuratierten Verknüpfung).", "Please give a reason.",
                                    *where, "Begründung"))
        if goal is None or cand is None or rel is None or not reason:
            continue
        s, p, o = ox.NamedNode(goal), ox.NamedNode(PREFIXES["skos"] + rel), ox.NamedNode(cand)
        node = ox.NamedNode(f"{PREFIXES['id']}kuratierung/{hashlib.sha1(f'{s}{p}{o}'.encode()).hexdigest()[:16]}")
        out += [ox.Triple(s, p, o),
                ox.Triple(node, ox.NamedNode(_RDF + "type"), ox.NamedNode(_I + "Kuratierung")),
                ox.Triple(node, ox.NamedNode(_RDF + "subject"), s),
                ox.Triple(node, ox.NamedNode(_RDF + "predicate"), p),
                ox.Triple(node, ox.NamedNode(_RDF + "object"), o),
                ox.Triple(node, ox.NamedNode(_I + "begruendung"), ox.Literal(reason, language="de")),
                ox.Triple(node, ox.NamedNode(PREFIXES["dcterms"] + "source"),
                          ox.Literal(f"{filename}, Blatt {sheet}, Zeile {number}"))]
    return out, problems
