"""Rows of a Konzept workbook -> the triples of the concept's own named graph, with every check.

One concept is one graph, ``https://w3id.org/inko/graph/konzept/<key>``; a new import of the same
concept (same Kennung, or same Gebiet and Jahr) replaces it. The graph describes itself (file
name, time). Every item names the graph and the given Quelle as ``dcterms:source`` and carries the
given sections plus its place in the workbook („Blatt Ziele, Zeile 5“) as ``inko:abschnitt``.

IRIs: the Kennung where the export gave one; else made from the Gebiet and Jahr
(``id:konzept/sprockhoevel-2026``) and, below it, from kind and Nr (``id:sprockhoevel-2026/leitziel/1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pyoxigraph as ox

from ..namespaces import GRAPH, ID, PREFIXES
from ..raster.mapping import slug
from ..raster.matching import Matcher
from ..raster.messages import as_text, match_problem
from ..workbook.problems import Problem
from .columns import table
from .lists import Lists
from .reading import KonzeptFile, Row, Rows
from .references import Index, Item, cycles, expand_kennung

__all__ = ["Mapped", "map_konzept", "ROW_PLACE", "P"]

_XSD = PREFIXES["xsd"]
#: The place in the workbook, as ``inko:abschnitt`` says it (the export leaves these out).
ROW_PLACE = re.compile(r"^Blatt .+, Zeile \d+$")


def _n(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[prefix] + local)


P = {"type": _n("rdf", "type"), "pref": _n("skos", "prefLabel"), "desc": _n("dcterms", "description"),
     "source": _n("dcterms", "source"), "abschnitt": _n("inko", "abschnitt"), "notation": _n("skos", "notation"),
     "inScheme": _n("skos", "inScheme"), "broader": _n("skos", "broader"), "hf": _n("inko", "handlungsfeld"),
     "lp": _n("inko", "lebensphase"), "zg": _n("inko", "zielgruppe"), "broadMatch": _n("skos", "broadMatch"),
     "dient": _n("inko", "dient"), "zustaendig": _n("inko", "zustaendig"), "zk": _n("inko", "zustaendigkeit"),
     "wer": _n("inko", "wer"), "wann": _n("inko", "wann"), "zh": _n("inko", "zeithorizont"),
     "indikator": _n("inko", "indikator"), "gebiet": _n("inko", "gebiet"), "date": _n("dcterms", "date"),
     "publisher": _n("dcterms", "publisher"), "art": _n("inko", "akteursart"), "ia": _n("inko", "indikatorart"),
     "misst": _n("inko", "misst"), "einheit": _n("inko", "einheit"), "datenquelle": _n("inko", "datenquelle"),
     "graphart": _n("inko", "graphart"), "generated": _n("prov", "generatedAtTime")}
C = {"konzept": _n("inko", "Konzept"), "hf": _n("inko", "Handlungsfeld"), "massnahme": _n("inko", "Massnahme"),
     "indikator": _n("inko", "Indikator"), "org": _n("org", "Organization"), "quellgraph": _n("inko", "Quellgraph"),
     "dokument": _n("ga", "dokument")}


@dataclass
class Mapped:
    graph: str
    konzept: str
    key: str
    label: str
    gebiet: str
    gebiet_label: str
    year: int | None
    triples: list[ox.Triple] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    goals: list[Item] = field(default_factory=list)
    referenced: set[str] = field(default_factory=set)


def _split(value) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n]", as_text(value)) if p.strip()]


class _Ctx:
    def __init__(self, kf: KonzeptFile, lists: Lists):
        self.kf, self.lists = kf, lists
        self.problems: list[Problem] = list(kf.problems)
        self.t: list[ox.Triple] = []
        self.graph: ox.NamedNode | None = None
        self.sources: list[ox.NamedNode] = []
        self.iris: dict[str, tuple[str, int]] = {}   # IRI -> (sheet, row) that made it
        self.m = {k: Matcher(v) for k, v in (("lebensphase", lists.lebensphasen), ("zielgruppe", lists.zielgruppen),
                                             ("zustaendigkeit", lists.zustaendigkeiten),
                                             ("zeithorizont", lists.zeithorizonte), ("zielart", lists.zielarten),
                                             ("indikatorart", lists.indikatorarten), ("art", lists.akteursarten),
                                             ("gebiet", lists.alle_gebiete))}
        self.m["kreisziel"] = Matcher(lists.kreisziele, by_number=True)
        self.m["akteur"] = Matcher(lists.akteure)
        self.sheet_of = {"lebensphase": "Lebensphasen", "zielgruppe": "Zielgruppen", "zustaendigkeit": "Zuständigkeiten",
                         "zeithorizont": "Zeithorizonte", "zielart": "Zielarten", "indikatorart": "Indikatorarten",
                         "art": "Akteursarten", "gebiet": "Gebiete", "kreisziel": "Kreisziele"}

    def add(self, s, p: str, o) -> None:
        self.t.append(ox.Triple(s if isinstance(s, ox.NamedNode) else ox.NamedNode(s), P[p], o))

    def problem(self, de: str, en: str, where: tuple, value=None, allowed: str | None = None) -> None:
        self.problems.append(Problem(de, en, *where, None if value is None else as_text(value), allowed, allowed))

    def claim(self, iri: str, where: tuple, value: str) -> bool:
        """Each IRI once: a second row that would make the same IRI is a duplicate."""
        if iri in self.iris:
            sheet, row = self.iris[iri]
            self.problem(f"Doppelt: dieselbe Kennung oder Nummer steht schon im Blatt {sheet}, Zeile {row}. Jeder "
                         "Eintrag bitte nur einmal (oder die Nr unterscheidbar machen).",
                         f"Duplicate: the same Kennung or number is already in sheet {sheet}, row {row}.", where, value)
            return False
        self.iris[iri] = (where[0], where[1])
        return True

    def terms(self, key: str, raw, where: tuple) -> list:
        out = []
        for part in _split(raw) if raw is not None else []:
            m = self.m[key].match(part)
            if m.ok:
                if m.term not in out:
                    out.append(m.term)
            else:
                terms = self.m[key].terms
                self.problems.append(match_problem(m, key, self.sheet_of[key], terms, where, part))
        return out

    def provenance(self, node: ox.NamedNode, sheet: str, row: int, given, sources=None) -> None:
        self.add(node, "source", self.graph)
        own = []
        for q in _split(sources) if sources is not None else []:
            iri = expand_kennung(q)
            if iri is None:
                self.problem("Die Quelle muss eine Internetadresse (https://…) oder die Kurzform eines Quelldokuments "
                             "(q:003) sein.", "The source must be a web address or a source document (q:003).",
                             (sheet, row, "Quelle"), q)
            else:
                own.append(ox.NamedNode(iri))
        for s in own or self.sources:
            self.add(node, "source", s)
        for a in _split(given) if given is not None else []:
            self.add(node, "abschnitt", ox.Literal(a))
        self.add(node, "abschnitt", ox.Literal(f"Blatt {sheet}, Zeile {row}"))


def _where(rows: Rows, row: Row, key: str) -> tuple:
    return (rows.title, row.number, rows.table.column(key).name)


def _kennung(ctx: _Ctx, raw, where: tuple) -> str | None:
    if raw is None:
        return None
    iri = expand_kennung(as_text(raw))
    if iri is None or not iri.startswith(ID):
        ctx.problem("Die Kennung ist keine IRI des Graphen (erwartet z. B. id:hattingen/leitziel/1). Bei neuen "
                    "Einträgen bitte leer lassen.", "The Kennung is not an IRI of the graph.", where, raw)
        return None
    return iri


# -- the sheet „Konzept“ ----------------------------------------------------------------------

def _konzept(ctx: _Ctx) -> tuple[str, str, str, str, int | None] | None:
    kf = ctx.kf
    titel = kf.konzept.get("titel")
    if titel is None:
        ctx.problem("Pflichtangabe fehlt: der Titel des Konzepts.", "Required value missing: the title.",
                    kf.where_konzept("titel"))
    gebiet = None
    raw = kf.konzept.get("gebiet")
    if raw is None:
        ctx.problem("Pflichtangabe fehlt: für welche Stadt (oder welchen Kreis) gilt das Konzept?",
                    "Required value missing: which town or county is the concept for?", kf.where_konzept("gebiet"),
                    allowed="; ".join(t.display for t in ctx.lists.gebiete[:12]))
    else:
        found = ctx.terms("gebiet", raw, kf.where_konzept("gebiet"))
        gebiet = found[0] if len(found) == 1 else None
    year = None
    raw_year = kf.konzept.get("jahr")
    if raw_year is not None:
        text = as_text(raw_year)
        if re.fullmatch(r"\d{4}", text) and 1950 <= int(text) <= 2100:
            year = int(text)
        else:
            ctx.problem("Das Jahr muss eine Jahreszahl sein (z. B. 2026).", "The year must be a year (e.g. 2026).",
                        kf.where_konzept("jahr"), raw_year)
    kennung = _kennung(ctx, kf.konzept.get("kennung"), kf.where_konzept("kennung"))
    if kennung is None and raw_year is None:
        ctx.problem("Pflichtangabe fehlt: das Jahr des Konzepts (z. B. 2026).", "Required value missing: the year.",
                    kf.where_konzept("jahr"))
    for q in _split(kf.konzept["quelle"]) if kf.konzept.get("quelle") is not None else []:
        iri = expand_kennung(q)
        if iri is None:
            ctx.problem("Die Quelle muss eine Internetadresse (https://…) oder die Kurzform eines Quelldokuments "
                        "(q:003) sein.", "The source must be a web address or a source document (q:003).",
                        ctx.kf.where_konzept("quelle"), q)
        else:
            ctx.sources.append(ox.NamedNode(iri))
    if titel is None or gebiet is None or (kennung is None and year is None):
        return None
    local = gebiet.iri.rsplit("/", 1)[-1]
    konzept = kennung or f"{ID}konzept/{local}-{year}"
    key = konzept[len(ID + "konzept/"):] if konzept.startswith(ID + "konzept/") else slug(konzept[len(ID):])
    if not re.fullmatch(r"[0-9a-z]+(?:-[0-9a-z]+)*", key):
        # the key names the graph and the folder of kept versions: no "/", "..", or other characters
        ctx.problem("Die Kennung eines Konzepts endet auf Kleinbuchstaben, Ziffern und Bindestriche "
                    "(z. B. id:konzept/sprockhoevel-2026).", "The Kennung of a concept ends in lower-case "
                    "letters, digits and hyphens.", kf.where_konzept("kennung"), kf.konzept.get("kennung"))
        return None
    return konzept, key, as_text(titel), gebiet, year


# -- the rows ---------------------------------------------------------------------------------

def _items(ctx: _Ctx, rows: Rows, base: str, kind_of, label_key: str, segment: str = "") -> Index:
    """First pass: an IRI for every row, and the index the references use."""
    index = Index()
    for row in rows.rows:
        label = row.values.get(label_key)
        where = _where(rows, row, label_key)
        if label is None:
            ctx.problem(f"Pflichtangabe fehlt: {rows.table.column(label_key).name}.",
                        f"Required value missing: {rows.table.column(label_key).name}.", where)
            continue
        nr = as_text(row.values["nr"]) if row.values.get("nr") is not None else ""
        kind = kind_of(row)
        iri = _kennung(ctx, row.values.get("kennung"), _where(rows, row, "kennung"))
        if iri is None:
            part = slug(nr) if nr else slug(as_text(label))
            iri = f"{base}/{segment or slug(kind)}/{part}"
        if not ctx.claim(iri, (rows.title, row.number, "Nr" if nr else rows.table.column(label_key).name),
                         nr or as_text(label)):
            continue
        index.add(Item(iri, as_text(label), row.number, nr, kind or "", row.values))
    return index


def _refs(ctx: _Ctx, index: Index, raw, where: tuple, what_de: str, sheet: str) -> list[Item]:
    out = []
    for part in _split(raw) if raw is not None else []:
        item, candidates = index.find(part)
        if item is not None:
            if item not in out:
                out.append(item)
        elif candidates:
            opts = " oder ".join(f"„{c.ref()}“" for c in candidates[:5])
            ctx.problem(f"{what_de} „{part}“ ist nicht eindeutig: meinten Sie {opts}?",
                        f"„{part}“ is ambiguous: did you mean {opts}?", where, part)
        else:
            ctx.problem(f"{what_de} „{part}“ gibt es im Blatt „{sheet}“ nicht.",
                        f"There is no „{part}“ in sheet „{sheet}“.", where, part,
                        allowed=index.numbers() if index.items else f"das Blatt „{sheet}“ ist leer")
    return out


def _orgs(ctx: _Ctx, rows: Rows, gebiet) -> Index:
    index = Index()
    for row in rows.rows:
        name = row.values.get("name")
        if name is None:
            ctx.problem("Pflichtangabe fehlt: Name der Organisation.", "Required value missing: the name.",
                        _where(rows, row, "name"))
            continue
        iri = _kennung(ctx, row.values.get("kennung"), _where(rows, row, "kennung"))
        label = as_text(name)
        if iri is None:
            m = ctx.m["akteur"].match(label)
            if m.ok:
                iri, label = m.term.iri, m.term.label
            else:
                iri = f"{ID}akteur/{slug(label)}"
                known = next((t for t in ctx.lists.akteure if t.iri == iri), None)
                if known is not None:
                    label = known.label
        else:
            known = next((t for t in ctx.lists.akteure if t.iri == iri), None)
            label = known.label if known else label
        if not ctx.claim(iri, (rows.title, row.number, "Name"), as_text(name)):
            continue
        node = ox.NamedNode(iri)
        ctx.add(node, "type", C["org"])
        ctx.add(node, "pref", ox.Literal(label, language="de"))
        for t in ctx.terms("art", row.values.get("art"), _where(rows, row, "art")):
            ctx.add(node, "art", ox.NamedNode(t.iri))
        for t in ctx.terms("gebiet", row.values.get("gebiet"), _where(rows, row, "gebiet")):
            ctx.add(node, "gebiet", ox.NamedNode(t.iri))
        ctx.add(node, "source", ctx.graph)  # the organisation is named here; the document is the concept's
        ctx.add(node, "abschnitt", ox.Literal(f"Blatt {rows.title}, Zeile {row.number}"))
        item = Item(iri, label, row.number, "", "", row.values)
        index.add(item)
        index.alias(item, as_text(name))  # the name as the sheet writes it, if the graph knows it otherwise
    return index


def _org_refs(ctx: _Ctx, orgs: Index, raw, where: tuple, sheet_title: str) -> list[str]:
    """Organisations by name: those of the sheet „Akteure“, else the known ones of the graph."""
    out = []
    for part in _split(raw) if raw is not None else []:
        item, _ = orgs.find(part)
        if item is not None:
            out.append(item.iri)
            continue
        m = ctx.m["akteur"].match(part)
        if m.ok:
            node = ox.NamedNode(m.term.iri)
            if not orgs.get_iri(m.term.iri):
                orgs.add(Item(m.term.iri, m.term.label, 0))
                ctx.add(node, "type", C["org"])
                ctx.add(node, "pref", ox.Literal(m.term.label, language="de"))
                ctx.add(node, "source", ctx.graph)
                ctx.add(node, "abschnitt", ox.Literal(f"Blatt {where[0]}, Zeile {where[1]}"))
            out.append(m.term.iri)
            continue
        hint = (" Meinten Sie " + " oder ".join(f"„{t.display}“" for t in m.suggestions) + "?") if m.suggestions else ""
        ctx.problem(f"Unbekannte Organisation: bitte im Blatt „{sheet_title}“ eintragen (Name, Art, Gebiet).{hint}",
                    f"Unknown organisation: please add it to the sheet „{sheet_title}“.", where, part)
    return out


def map_konzept(kf: KonzeptFile, lists: Lists, *, now: datetime | None = None) -> tuple[Mapped | None, list[Problem]]:
    """The triples of the concept's graph and every problem found (an empty list means: all fine)."""
    ctx = _Ctx(kf, lists)
    head = _konzept(ctx)
    if head is None:
        return None, ctx.problems
    konzept_iri, key, titel, gebiet, year = head
    graph = ox.NamedNode(f"{GRAPH}konzept/{key}")
    ctx.graph = graph
    mapped = Mapped(graph.value, konzept_iri, key, titel, gebiet.iri, gebiet.label, year)
    k = ox.NamedNode(konzept_iri)
    now = now or datetime.now(timezone.utc)
    ctx.add(graph, "type", C["quellgraph"])
    ctx.add(graph, "graphart", C["dokument"])
    ctx.add(graph, "pref", ox.Literal(f"Konzept-Arbeitsmappe: {titel}", language="de"))
    ctx.add(graph, "source", ox.Literal(kf.filename))
    ctx.add(graph, "generated", ox.Literal(now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                           datatype=ox.NamedNode(_XSD + "dateTime")))
    ctx.add(k, "type", C["konzept"])
    ctx.add(k, "pref", ox.Literal(titel, language="de"))
    ctx.add(k, "gebiet", ox.NamedNode(gebiet.iri))
    mapped.referenced.add(gebiet.iri)
    if year is not None:
        ctx.add(k, "date", ox.Literal(str(year), datatype=ox.NamedNode(_XSD + "gYear")))
    ctx.add(k, "source", graph)
    for s in ctx.sources:
        ctx.add(k, "source", s)
    ctx.add(k, "abschnitt", ox.Literal(f"Blatt {kf.konzept_sheet}, Zeile {kf.konzept_rows.get('titel', 2)}"))
    base = ID + key

    t = {key_: kf.tables.get(key_) or Rows(table(key_), None) for key_ in
         ("handlungsfelder", "ziele", "massnahmen", "akteure", "indikatoren")}
    orgs = _orgs(ctx, t["akteure"], gebiet)
    if kf.konzept.get("herausgeber") is not None:
        for iri in _org_refs(ctx, orgs, kf.konzept["herausgeber"], kf.where_konzept("herausgeber"), "Akteure"):
            ctx.add(k, "publisher", ox.NamedNode(iri))

    fields = _items(ctx, t["handlungsfelder"], base, lambda r: "", "name", "handlungsfeld")
    for item in fields.items:
        node = ox.NamedNode(item.iri)
        ctx.add(node, "type", C["hf"])
        ctx.add(node, "pref", ox.Literal(item.label, language="de"))
        ctx.add(node, "inScheme", k)
        if item.nr:
            ctx.add(node, "notation", ox.Literal(item.nr))
        if item.values.get("beschreibung") is not None:
            ctx.add(node, "desc", ox.Literal(as_text(item.values["beschreibung"]), language="de"))
        ctx.provenance(node, t["handlungsfelder"].title, item.row, item.values.get("abschnitt"), item.values.get("quelle"))

    zr = t["ziele"]

    def goal_kind(row: Row) -> str:
        raw = row.values.get("art")
        if raw is None:
            return "Leitziel" if row.values.get("uebergeordnet") is None else "Teilziel"
        found = ctx.terms("zielart", raw, _where(zr, row, "art"))
        return found[0].label if found else "Ziel"

    goals = _items(ctx, zr, base, goal_kind, "ziel")
    mapped.goals = goals.items
    parents: dict[Item, list[Item]] = {}
    for item in goals.items:
        row = Row(item.row, item.values)
        node = ox.NamedNode(item.iri)
        ctx.add(node, "type", ox.NamedNode(PREFIXES["inko"] + item.kind))
        ctx.add(node, "pref", ox.Literal(item.label, language="de"))
        ctx.add(node, "inScheme", k)
        if item.nr:
            ctx.add(node, "notation", ox.Literal(item.nr))
        ups = _refs(ctx, goals, item.values.get("uebergeordnet"), _where(zr, row, "uebergeordnet"),
                    "Ein übergeordnetes Ziel", zr.title or "Ziele")
        parents[item] = ups
        for up in ups:
            ctx.add(node, "broader", ox.NamedNode(up.iri))
        for f in _refs(ctx, fields, item.values.get("handlungsfeld"), _where(zr, row, "handlungsfeld"),
                       "Ein Handlungsfeld", "Handlungsfelder"):
            ctx.add(node, "hf", ox.NamedNode(f.iri))
        for key_, pred in (("lebensphase", "lp"), ("zielgruppe", "zg"), ("kreisziel", "broadMatch")):
            for term in ctx.terms(key_, item.values.get(key_), _where(zr, row, key_)):
                ctx.add(node, pred, ox.NamedNode(term.iri))
                mapped.referenced.add(term.iri)
        if item.values.get("beschreibung") is not None:
            ctx.add(node, "desc", ox.Literal(as_text(item.values["beschreibung"]), language="de"))
        ctx.provenance(node, zr.title, item.row, item.values.get("abschnitt"), item.values.get("quelle"))
    for cyc in cycles(parents):
        chain = " → ".join(g.ref() for g in cyc + cyc[:1])
        for g in cyc:
            ctx.problem(f"Die übergeordneten Ziele bilden einen Kreis ({chain}). Ein Ziel kann nicht über sich selbst "
                        "stehen; bitte „Übergeordnet“ berichtigen.",
                        f"The higher goals form a cycle ({chain}).", (zr.title, g.row, "Übergeordnet"),
                        g.values.get("uebergeordnet"))

    ir = t["indikatoren"]
    indicators = _items(ctx, ir, base, lambda r: "", "name", "indikator")
    for item in indicators.items:
        row = Row(item.row, item.values)
        node = ox.NamedNode(item.iri)
        ctx.add(node, "type", C["indikator"])
        ctx.add(node, "pref", ox.Literal(item.label, language="de"))
        if item.nr:
            ctx.add(node, "notation", ox.Literal(item.nr))
        for term in ctx.terms("indikatorart", item.values.get("art"), _where(ir, row, "art")):
            ctx.add(node, "ia", ox.NamedNode(term.iri))
        for g in _refs(ctx, goals, item.values.get("misst"), _where(ir, row, "misst"), "Ein Ziel", zr.title or "Ziele"):
            ctx.add(node, "misst", ox.NamedNode(g.iri))
        if item.values.get("einheit") is not None:
            ctx.add(node, "einheit", ox.Literal(as_text(item.values["einheit"])))
        for q in _split(item.values["datenquelle"]) if item.values.get("datenquelle") is not None else []:
            ctx.add(node, "datenquelle", ox.Literal(q))
        ctx.provenance(node, ir.title, item.row, item.values.get("abschnitt"), item.values.get("quelle"))

    mr = t["massnahmen"]
    measures = _items(ctx, mr, base, lambda r: "", "name", "massnahme")
    for item in measures.items:
        row = Row(item.row, item.values)
        node = ox.NamedNode(item.iri)
        ctx.add(node, "type", C["massnahme"])
        ctx.add(node, "pref", ox.Literal(item.label, language="de"))
        if item.nr:
            ctx.add(node, "notation", ox.Literal(item.nr))
        if item.values.get("beschreibung") is not None:
            ctx.add(node, "desc", ox.Literal(as_text(item.values["beschreibung"]), language="de"))
        for g in _refs(ctx, goals, item.values.get("ziel"), _where(mr, row, "ziel"), "Ein Ziel mit der Nr",
                       zr.title or "Ziele"):
            ctx.add(node, "dient", ox.NamedNode(g.iri))
        for f in _refs(ctx, fields, item.values.get("handlungsfeld"), _where(mr, row, "handlungsfeld"),
                       "Ein Handlungsfeld", "Handlungsfelder"):
            ctx.add(node, "hf", ox.NamedNode(f.iri))
        for iri in _org_refs(ctx, orgs, item.values.get("zustaendig"), _where(mr, row, "zustaendig"), "Akteure"):
            ctx.add(node, "zustaendig", ox.NamedNode(iri))
        for key_, pred in (("zustaendigkeit", "zk"), ("lebensphase", "lp"), ("zielgruppe", "zg"),
                           ("zeithorizont", "zh")):
            for term in ctx.terms(key_, item.values.get(key_), _where(mr, row, key_)):
                ctx.add(node, pred, ox.NamedNode(term.iri))
                mapped.referenced.add(term.iri)
        for key_ in ("wer", "wann"):
            if item.values.get(key_) is not None:
                ctx.add(node, key_, ox.Literal(as_text(item.values[key_])))
        for ind in _refs(ctx, indicators, item.values.get("indikator"), _where(mr, row, "indikator"),
                         "Ein Indikator", "Indikatoren"):
            ctx.add(node, "indikator", ox.NamedNode(ind.iri))
        ctx.provenance(node, mr.title, item.row, item.values.get("abschnitt"), item.values.get("quelle"))

    mapped.triples = ctx.t
    mapped.referenced |= {i.iri for i in orgs.items}
    mapped.counts = {"handlungsfelder": len(fields.items), "ziele": len(goals.items),
                     "massnahmen": len(measures.items), "indikatoren": len(indicators.items),
                     "akteure": len(orgs.items)}
    return mapped, ctx.problems
