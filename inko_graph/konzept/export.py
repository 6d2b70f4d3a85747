"""A concept of the graph as a Konzept workbook: what the import of that workbook gives back.

What comes out is the concept's current version: the graph of its uploaded workbook if there is
one, else what the document graphs say about it (not the curated links, not the Raster): the concept (Titel, Gebiet, Jahr, Herausgeber, Quelle), its Handlungsfelder and Ziele
(``skos:inScheme``), the Maßnahmen serving them, the Indikatoren measuring them and the
organisations named as Herausgeber or zuständig, each with the properties the workbook has a
column for, and its IRI in „Kennung“. Importing the workbook gives these same statements in the
concept's own graph (see ``tests/konzept/test_konzept_export.py``). What the workbook has no column for
(Kernaussagen, Umsetzungsschritte, further labels, notes) stays where it is.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import GRAPH, PREFIXES, shorten
from ..query.catalogue import run
from ..raster.template import resolve_town
from ..raster.vocab import catalogue
from ..workbook.book import Book
from .columns import ZIELARTEN
from .lists import Lists, load_lists
from .mapping import ROW_PLACE
from .template import build_book

__all__ = ["choose_konzept", "export_data", "export_book", "statements"]

_I, _S, _D = PREFIXES["inko"], PREFIXES["skos"], PREFIXES["dcterms"]
_TYPE = PREFIXES["rdf"] + "type"
_GOAL_TYPES = {_I + local: name for name, local in ZIELARTEN.items()}


def choose_konzept(store, settings, gebiet: str, konzept: str | None = None) -> tuple[str, object]:
    """The concept to export for a town name (and its Gebiet term): ``konzept`` if given, else the
    town's concept with goals, an Integrationskonzept first, then the one with the most goals."""
    area = resolve_town(store, settings, gebiet)
    df = run(store, catalogue(settings.queries_dir).get("konzept-gebiete"), {"gebiet": ox.NamedNode(area.iri)})
    rows = [r for r in df.itertuples() if int(r.ziele) > 0]
    if konzept:
        from .references import expand_kennung

        iri = expand_kennung(konzept) or konzept
        if iri not in {r.konzept for r in df.itertuples()}:
            have = ", ".join(shorten(r.konzept) for r in df.itertuples()) or "keine"
            raise InputError(f"Das Konzept „{konzept}“ gibt es für {area.label} nicht. Vorhanden: {have}.")
        return iri, area
    if not rows:
        raise InputError(f"Für {area.label} gibt es noch kein Konzept mit Zielen im Graphen. Eine leere Vorlage "
                         f"schreibt: inko-graph konzept vorlage --gebiet \"{area.label}\" -o DATEI.xlsx")
    rows.sort(key=lambda r: ("integrationskonzept" not in str(r.konzept), -int(r.ziele), str(r.konzept)))
    return rows[0].konzept, area


def statements(store, settings, konzept: str) -> dict[str, dict[str, list]]:
    """Subject -> property -> values of the concept's current version: its uploaded workbook's graph
    if there is one (a new upload replaces the whole concept: a goal reworded or struck out there is
    so in the export, though the source document still says it), else the document graphs."""
    cat = catalogue(settings.queries_dir)
    out: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    graph = _uploaded_graph(store, cat, konzept)
    if graph is not None:
        triples = ((q.subject, q.predicate, q.object) for q in store.quads(graph))
    else:
        triples = ((r["s"], r["p"], r["o"]) for r in store.query(cat.get("konzept-aussagen").text,
                                                                 {"konzept": ox.NamedNode(konzept)}))
    for s_, p, o in triples:
        values = out[s_.value][p.value]
        if o not in values:
            values.append(o)
    return out


def _uploaded_graph(store, cat, konzept: str) -> str | None:
    """The graph of the concept's uploaded workbook, if the store holds one (query ``konzept-fassungen``)."""
    df = run(store, cat.get("konzept-fassungen"), {"konzept": ox.NamedNode(konzept)})
    graphs = [g for g in df["graph"] if isinstance(g, str)] if len(df) else []
    held = set(store.graph_names()) if graphs else set()
    return next((g for g in graphs if g in held), None)


def _natural(text: str):
    return [(0, int(x), "") if x.isdigit() else (1, 0, x) for x in re.split(r"(\d+)", text or "")]


def _lit(values, lang: str | None = "de") -> str | None:
    for v in values:
        if isinstance(v, ox.Literal) and (lang is None or v.language == lang):
            return v.value
    return None


def export_data(store, settings, konzept: str, lists: Lists) -> dict:
    """The rows of the workbook for ``konzept``."""
    S = statements(store, settings, konzept)
    K = S.get(konzept, {})
    types = {s: {o.value for o in props.get(_TYPE, [])} for s, props in S.items()}
    label = {s: _lit(props.get(_S + "prefLabel", [])) or shorten(s) for s, props in S.items()}
    iris = lambda props, p: [o.value for o in props.get(p, []) if isinstance(o, ox.NamedNode)]  # noqa: E731
    notation = lambda s: _lit(S[s].get(_S + "notation", []), None) or ""  # noqa: E731
    vocab = {t.iri: t.display for ts in (lists.lebensphasen, lists.zielgruppen, lists.zustaendigkeiten,
                                         lists.zeithorizonte, lists.indikatorarten, lists.akteursarten,
                                         lists.alle_gebiete, lists.kreisziele) for t in ts}
    quellen = [o for o in iris(K, _D + "source") if not o.startswith(GRAPH)]
    in_k = [s for s, props in S.items() if konzept in iris(props, _S + "inScheme")]
    fields = sorted((s for s in in_k if _I + "Handlungsfeld" in types[s]), key=lambda s: (_natural(notation(s)), label[s]))
    goals = sorted((s for s in in_k if types[s] & set(_GOAL_TYPES)), key=lambda s: (_natural(notation(s)), label[s]))
    fset, gset = set(fields), set(goals)
    measures = sorted((s for s, p in S.items() if _I + "Massnahme" in types[s]
                       and (set(iris(p, _I + "dient")) & gset or set(iris(p, _I + "handlungsfeld")) & fset)),
                      key=lambda s: (_natural(notation(s)), label[s]))
    indicators = sorted((s for s, p in S.items() if _I + "Indikator" in types[s] and set(iris(p, _I + "misst")) & gset),
                        key=lambda s: (_natural(notation(s)), label[s]))
    orgs = []
    for s in iris(K, _D + "publisher") + [o for m in measures for o in iris(S[m], _I + "zustaendig")]:
        if s not in orgs:
            orgs.append(s)

    def kind(s):
        return next(_GOAL_TYPES[t] for t in sorted(types[s]) if t in _GOAL_TYPES)

    def refs(items: list[str], targets: list[str], with_kind) -> str | None:
        nrs = defaultdict(int)
        for t in targets:
            nrs[notation(t)] += 1
            if with_kind:
                nrs[kind(t) + " " + notation(t)] += 1
        out = []
        for t in items:
            n = notation(t)
            if n and nrs[n] == 1:
                out.append(n)
            elif n and with_kind and nrs[kind(t) + " " + n] == 1:
                out.append(f"{kind(t)} {n}")
            else:
                out.append(shorten(t))
        return "; ".join(out) or None

    def terms(props, p) -> str | None:
        return "; ".join(vocab.get(o, shorten(o)) for o in iris(props, p)) or None

    def sections(props) -> str | None:
        vals = sorted({o.value for o in props.get(_I + "abschnitt", []) if not ROW_PLACE.match(o.value)}, key=_natural)
        return "; ".join(vals) or None

    def own_sources(props) -> str | None:
        mine = [o for o in iris(props, _D + "source") if not o.startswith(GRAPH)]
        return None if set(mine) == set(quellen) else "; ".join(shorten(o) for o in mine) or None

    def text(props, p, lang=None) -> str | None:
        vals = [o.value for o in props.get(p, []) if isinstance(o, ox.Literal) and (lang is None or o.language == lang)]
        return "; ".join(sorted(vals)) or None

    date = _lit(K.get(_D + "date", []), None)
    gebiet = iris(K, _I + "gebiet")
    data = {"konzept": {
        "titel": label.get(konzept), "gebiet": vocab.get(gebiet[0]) if gebiet else None,
        "jahr": int(date[:4]) if date and date[:4].isdigit() else None,
        "herausgeber": "; ".join(label.get(o, shorten(o)) for o in iris(K, _D + "publisher")) or None,
        "quelle": "; ".join(shorten(q) for q in quellen) or None, "kennung": shorten(konzept)}}
    data["handlungsfelder"] = [{"nr": notation(s) or None, "name": label[s], "beschreibung": text(S[s], _D + "description", "de"),
                                "abschnitt": sections(S[s]), "quelle": own_sources(S[s]),
        "kennung": shorten(s)} for s in fields]
    data["ziele"] = [{
        "nr": notation(s) or None, "ziel": label[s], "art": kind(s),
        "uebergeordnet": refs([o for o in iris(S[s], _S + "broader") if o in gset], goals, True),
        "handlungsfeld": refs([o for o in iris(S[s], _I + "handlungsfeld") if o in fset], fields, False),
        "lebensphase": terms(S[s], _I + "lebensphase"), "zielgruppe": terms(S[s], _I + "zielgruppe"),
        "kreisziel": "; ".join(vocab[o] for o in iris(S[s], _S + "broadMatch") if o in {t.iri for t in lists.kreisziele})
        or None,
        "beschreibung": text(S[s], _D + "description", "de"), "abschnitt": sections(S[s]), "quelle": own_sources(S[s]),
        "kennung": shorten(s)}
        for s in goals]
    data["massnahmen"] = [{
        "nr": notation(s) or None, "name": label[s], "beschreibung": text(S[s], _D + "description", "de"),
        "ziel": refs([o for o in iris(S[s], _I + "dient") if o in gset], goals, True),
        "handlungsfeld": refs([o for o in iris(S[s], _I + "handlungsfeld") if o in fset], fields, False),
        "zustaendig": "; ".join(label.get(o, shorten(o)) for o in iris(S[s], _I + "zustaendig")) or None,
        "zustaendigkeit": terms(S[s], _I + "zustaendigkeit"), "wer": text(S[s], _I + "wer"),
        "wann": text(S[s], _I + "wann"), "lebensphase": terms(S[s], _I + "lebensphase"),
        "zielgruppe": terms(S[s], _I + "zielgruppe"), "zeithorizont": terms(S[s], _I + "zeithorizont"),
        "indikator": refs([o for o in iris(S[s], _I + "indikator") if o in set(indicators)], indicators, False),
        "abschnitt": sections(S[s]), "quelle": own_sources(S[s]),
        "kennung": shorten(s)} for s in measures]
    data["akteure"] = [{"name": label.get(s, shorten(s)), "art": terms(S.get(s, {}), _I + "akteursart"),
                        "gebiet": terms(S.get(s, {}), _I + "gebiet"), "kennung": shorten(s)} for s in orgs]
    data["indikatoren"] = [{
        "nr": notation(s) or None, "name": label[s], "art": terms(S[s], _I + "indikatorart"),
        "misst": refs([o for o in iris(S[s], _I + "misst") if o in gset], goals, True),
        "einheit": text(S[s], _I + "einheit"), "datenquelle": text(S[s], _I + "datenquelle"),
        "abschnitt": sections(S[s]), "quelle": own_sources(S[s]),
        "kennung": shorten(s)} for s in indicators]
    return data


def export_book(store, settings, gebiet: str, konzept: str | None = None, *,
                abgleich: bool = False) -> tuple[Book, str]:
    """The workbook of a town's concept and the concept's IRI; ``abgleich`` adds the sheet of alignment
    suggestions (the closest goals of the Kreis and the other towns) to confirm."""
    iri, area = choose_konzept(store, settings, gebiet, konzept)
    lists = load_lists(store, settings.queries_dir, area)
    data = export_data(store, settings, iri, lists)
    if abgleich:
        from .alignment import sheet_rows, suggest

        data["abgleich"] = sheet_rows(suggest(store, settings, iri, area.iri, lists.alle_gebiete))
    return build_book(lists, data), iri
