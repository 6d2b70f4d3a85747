"""Rows of a Raster -> RDF triples of the submission graph, with provenance; every value checked.

One submission is one named graph per actor and year,
``https://w3id.org/inko/graph/raster/<actor-slug>/<year>``. The graph describes itself (the
graph IRI as subject: an ``inko:Quellgraph`` of kind ``ga:raster`` with file name, time, year
and actor), so the meta graph, rebuilt from ``graphs.ttl``, stays untouched. Each activity
names the graph as ``dcterms:source`` and its place in the file as ``inko:abschnitt``
("Blatt Aktivitäten, Zeile 7").

Personal data is not taken: of the organisation only its name, kind, area, self-description,
postal address and website are stored; any cell that holds an e-mail address or a phone number
is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pyoxigraph as ox

from ..namespaces import GRAPH, ID, PREFIXES
from .columns import ACTIVITY_COLUMNS, MULTI_SEPARATOR, Field, norm, translit
from .dates import parse_period_point
from .matching import Matcher
from .messages import as_text as _as_text, foreign_problem, match_problem as _match_problem, quote as _q
from .problems import Problem
from .reading import RasterFile, Row
from .vocab import Term, Vocabulary

__all__ = ["Mapped", "map_raster", "resolve_actor", "resolve_area", "slug", "graph_for", "activity_iri"]

_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_XSD = PREFIXES["xsd"]


def _p(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[prefix] + local)


P = {
    "type": _RDF_TYPE, "pref": _p("skos", "prefLabel"), "desc": _p("dcterms", "description"),
    "source": _p("dcterms", "source"), "creator": _p("dcterms", "creator"), "comment": _p("rdfs", "comment"),
    "abschnitt": _p("inko", "abschnitt"), "traeger": _p("inko", "traeger"), "hf": _p("inko", "handlungsfeld"),
    "dient": _p("inko", "dient"), "lp": _p("inko", "lebensphase"), "zg": _p("inko", "zielgruppe"),
    "zeitraum": _p("inko", "zeitraum"), "beteiligt": _p("inko", "beteiligt"), "datenquelle": _p("inko", "datenquelle"),
    "art": _p("inko", "akteursart"), "gebiet": _p("inko", "gebiet"), "selbst": _p("inko", "selbstdarstellung"),
    "adresse": _p("inko", "adresse"), "homepage": _p("foaf", "homepage"), "graphart": _p("inko", "graphart"),
    "jahr": _p("inko", "berichtsjahr"), "generated": _p("prov", "generatedAtTime"),
}
C = {"aktivitaet": _p("inko", "Aktivitaet"), "org": _p("org", "Organization"), "quellgraph": _p("inko", "Quellgraph"),
     "raster": _p("ga", "raster")}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\d.,/])(?:\+|00)\d{2}[\d /().-]{6,}\d"
                    r"|(?<![\d.,/])0\d{2,5}[ /-]{0,3}\d{3,}"
                    r"|\b(?:tel|telefon|fon|fax|mobil|handy)\b\.?\s*:?\s*[+\d(]", re.IGNORECASE)
_WEB = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$", re.IGNORECASE)


def slug(text: str, limit: int = 60) -> str:
    """Lower case ASCII words joined by ``-`` (ä -> ae …), at most ``limit`` characters."""
    s = re.sub(r"[^0-9a-z]+", "-", translit(text)).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0] or s[:limit]
    return s or "ohne-namen"


def graph_for(actor_slug: str, year: int) -> str:
    return f"{GRAPH}raster/{actor_slug}/{year}"


def activity_iri(actor_slug: str, year: int, key: str) -> str:
    return f"{ID}raster/{actor_slug}/{year}/{key}"


@dataclass
class Mapped:
    graph: str
    actor: str
    actor_label: str
    actor_new: bool
    area: str
    year: int
    triples: list[ox.Triple] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    goals: set[str] = field(default_factory=set)
    new_partners: list[tuple[str, str]] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    referenced: set[str] = field(default_factory=set)


def _split(value) -> list[str]:
    text = _as_text(value)
    parts = re.split(rf"[{MULTI_SEPARATOR}\n]", text)
    return [p.strip() for p in parts if p.strip()]


def _personal(value: str) -> bool:
    return bool(_EMAIL.search(value) or _PHONE.search(value))


def web_address(text: str) -> str | None:
    """The web address in a cell (``https://`` put in front if no scheme is given), or ``None``
    if it is none: a host with a dot, no spaces or characters an IRI cannot hold."""
    url = text if re.match(r"^https?://", text, re.IGNORECASE) else "https://" + text
    if not _WEB.match(url) or "." not in url.split("//", 1)[1].split("/", 1)[0]:
        return None
    return url


def _personal_problem(where: tuple, value: str) -> Problem:
    sheet, row, column = where
    return Problem("Bitte keine E-Mail-Adressen oder Telefonnummern eintragen: gespeichert werden nur Angaben über "
                   "die Organisation (Name, Postanschrift, Internetseite), keine Kontaktdaten.",
                   "Please enter no e-mail addresses or phone numbers: only facts about the organisation (name, "
                   "postal address, website) are stored, no contact details.", sheet, row, column, value)


# -- the actor -----------------------------------------------------------------------------------

def resolve_area(rf: RasterFile, gebiete: list[Term], problems: list[Problem]) -> Term | None:
    raw = rf.actor.get("gebiet")
    where = rf.where_actor("gebiet")
    if raw is None:
        problems.append(Problem("Pflichtangabe fehlt: in welcher Stadt oder welchem Kreis arbeitet die Organisation?",
                                "Required value missing: in which town or county does the organisation work?", *where))
        return None
    m = Matcher(gebiete).match(_as_text(raw))
    if not m.ok:
        problems.append(_match_problem(m, "gebiet", "Gebiete", gebiete, where, _as_text(raw)))
    return m.term


def _related(a: str, b: str, gebiete: list[Term]) -> bool:
    """Two areas are the same, one lies in the other, or both lie in the same county (not only the same Land)."""
    if a == b:
        return True
    up = {t.iri: set(t.areas) for t in gebiete}
    top = {t.iri for t in gebiete if not t.areas}
    ua, ub = up.get(a, set()), up.get(b, set())
    return b in ua or a in ub or bool((ua & ub) - top)


def resolve_actor(name: str, area: str | None, actors: list[Term],
                  gebiete: list[Term] = ()) -> tuple[Term | None, str]:
    """The known organisation of that name, else ``None`` and a new slug.

    An organisation known only in an unrelated area (another county) is a different one of the
    same name: it gets a new IRI with the town in it (``caritasverband-ratingen``)."""
    m = Matcher(actors).match(name)
    found = [m.term] if m.term else m.candidates
    if not found:
        found = [t for t in actors if t.iri == f"{ID}akteur/{slug(name)}"]
    here = [t for t in found if not area or not t.areas or any(_related(area, x, gebiete) for x in t.areas)]
    if len(here) > 1:
        here = [t for t in here if area in t.areas] or here
    if len(here) == 1:
        iri = here[0].iri
        return here[0], iri[len(ID) + len("akteur/"):] if iri.startswith(ID + "akteur/") else slug(name)
    if found and area:
        return None, slug(f"{name} {area.rsplit('/', 1)[-1]}")  # the same name elsewhere: add the town
    return None, slug(name)


def _actor_triples(rf: RasterFile, vocab: Vocabulary, mapped: Mapped, graph: ox.NamedNode,
                   problems: list[Problem]) -> None:
    a = ox.NamedNode(mapped.actor)
    t = mapped.triples
    where_art = rf.where_actor("art")
    art_raw = rf.actor.get("art")
    if art_raw is None:
        problems.append(Problem("Pflichtangabe fehlt: welche Art von Organisation?",
                                "Required value missing: what kind of organisation?", *where_art))
    else:
        m = Matcher(vocab.akteursarten).match(_as_text(art_raw))
        if m.ok:
            t.append(ox.Triple(a, P["art"], ox.NamedNode(m.term.iri)))
            mapped.referenced.add(m.term.iri)
        else:
            problems.append(_match_problem(m, "art", "Akteursarten", vocab.akteursarten, where_art, _as_text(art_raw)))
    t += [ox.Triple(a, P["type"], C["org"]),
          ox.Triple(a, P["pref"], ox.Literal(mapped.actor_label, language="de")),
          ox.Triple(a, P["gebiet"], ox.NamedNode(mapped.area)),
          ox.Triple(a, P["source"], graph),
          ox.Triple(a, P["abschnitt"], ox.Literal(f"Blatt {rf.actor_sheet}" if rf.actor_sheet
                                                  else f"{rf.filename}, Zeile {rf.actor_rows.get('name', 2)}"))]
    mapped.referenced.add(mapped.area)
    for key in ("selbstdarstellung", "anschrift", "website", "hinweis"):
        raw = rf.actor.get(key)
        if raw is None:
            continue
        text = _as_text(raw)
        where = rf.where_actor(key)
        if _personal(text):
            problems.append(_personal_problem(where, text))
            continue
        if key == "selbstdarstellung":
            t.append(ox.Triple(a, P["selbst"], ox.Literal(text, language="de")))
        elif key == "anschrift":
            t.append(ox.Triple(a, P["adresse"], ox.Literal(text)))
        elif key == "website":
            url = web_address(text)
            if url is None:
                problems.append(Problem("Das ist keine Internetadresse (z. B. https://www.beispiel.de).",
                                        "That is not a web address (e.g. https://www.example.org).", *where, text))
                continue
            t.append(ox.Triple(a, P["homepage"], ox.NamedNode(url)))
        elif key == "hinweis":
            t.append(ox.Triple(graph, P["comment"], ox.Literal(text, language="de")))


# -- activities ----------------------------------------------------------------------------------

class ForeignMatcher(Matcher):
    """Goals or fields of other towns' concepts: found only to say whose they are."""

    def __init__(self, terms: list[Term], vocab: Vocabulary):
        super().__init__(terms, by_number=False)
        self._notation = {}  # a bare number is this town's, never another's
        self.area_label = vocab.area_label or "dieses Gebiet"
        self._towns = vocab.konzept_gebiet

    def town_of(self, term: Term) -> str:
        return self._towns.get(term.group_iri) or "einer anderen Stadt"


def _where(rf: RasterFile, row: Row, f: Field) -> tuple:
    return (rf.activity_sheet, row.number, f.name)


_COL = {f.key: f for f in ACTIVITY_COLUMNS}


def _terms(rf, row, key, matcher: Matcher, terms, sheet_list, problems, foreign=None) -> list[Term]:
    raw = row.values.get(key)
    f = _COL[key]
    if raw is None:
        if f.required and key in rf.columns:  # a missing column is reported once, not in every row
            problems.append(Problem(f"Pflichtangabe fehlt: bitte {f.name} angeben.",
                                    f"Required value missing: please give {f.name}.", *_where(rf, row, f)))
        return []
    out = []
    for part in _split(raw):
        m = matcher.match(part)
        if m.ok:
            if m.term not in out:
                out.append(m.term)
        elif foreign is not None and not m.candidates and (hit := foreign.match(part)).ok:
            problems.append(foreign_problem(hit.term, foreign.town_of(hit.term), key, sheet_list, foreign.area_label,
                                            _where(rf, row, f), part))
        else:
            problems.append(_match_problem(m, key, sheet_list, terms, _where(rf, row, f), part))
    return out


def _partners(rf, row, matcher: Matcher, mapped: Mapped, graph, problems, named: dict) -> list[str]:
    """The partner organisations of a row. Each is stated in the submission graph (type, name, source),
    so the graph stands on its own, also for partners it named first in an earlier version."""
    raw = row.values.get("partner")
    if raw is None:
        return []
    f = _COL["partner"]
    out = []
    for part in _split(raw):
        if _personal(part):
            problems.append(_personal_problem(_where(rf, row, f), part))
            continue
        m = matcher.match(part)
        if m.candidates:
            problems.append(_match_problem(m, "partner", "Akteure", matcher.terms, _where(rf, row, f), part))
            continue
        iri = m.term.iri if m.ok else f"{ID}akteur/{slug(part)}"
        if iri not in named:
            named[iri] = part
            node = ox.NamedNode(iri)
            mapped.triples += [
                ox.Triple(node, P["type"], C["org"]),
                ox.Triple(node, P["pref"], ox.Literal(m.term.label if m.ok else part, language="de")),
                ox.Triple(node, P["source"], graph)]
            if m.ok:
                mapped.referenced.add(iri)
            else:
                mapped.triples.append(ox.Triple(node, P["abschnitt"], ox.Literal(_section(rf, row.number, "Partner"))))
                mapped.new_partners.append((iri, part))
                if m.suggestions:
                    mapped.notes.append(Problem(
                        "Neue Organisation angelegt. Meinten Sie "
                        + " oder ".join(_q(t.display, "de") for t in m.suggestions) + "?",
                        "New organisation created. Did you mean "
                        + " or ".join(_q(t.display, "en") for t in m.suggestions) + "?",
                        *_where(rf, row, f), part))
        if iri not in out:
            out.append(iri)
    return out


def _section(rf: RasterFile, number: int, column: str | None = None) -> str:
    base = f"Blatt {rf.activity_sheet}, Zeile {number}" if rf.activity_sheet else f"{rf.filename}, Zeile {number}"
    return f"{base}, Spalte {column}" if column else base


def _period(rf, row, problems) -> str | None:
    points = {}
    for key in ("von", "bis"):
        raw = row.values.get(key)
        if raw is None:
            continue
        parsed = parse_period_point(raw)
        if parsed is None:
            problems.append(Problem("Das ist kein Datum. Bitte als TT.MM.JJJJ, als Monat (MM.JJJJ) oder als Jahr (JJJJ) angeben.",
                                    "That is not a date. Please write DD.MM.YYYY, a month (MM.YYYY) or a year (YYYY).",
                                    *_where(rf, row, _COL[key]), _as_text(raw)))
            continue
        points[key] = parsed
    if not points:
        return None
    if "von" in points and "bis" in points and points["von"][1] > points["bis"][2]:
        problems.append(Problem("Das Ende liegt vor dem Beginn.", "The end is before the start.",
                                *_where(rf, row, _COL["bis"]), f"{points['von'][0]} – {points['bis'][0]}"))
        return None
    if len(points) < sum(1 for k in ("von", "bis") if row.values.get(k) is not None):
        return None
    return f"{points['von'][0] if 'von' in points else '..'}/{points['bis'][0] if 'bis' in points else '..'}"


def map_raster(rf: RasterFile, vocab: Vocabulary, area: Term, *, year: int, now: datetime | None = None,
               actor_override: tuple[str, str] | None = None) -> tuple[Mapped, list[Problem]]:
    """The triples of the submission and every problem found (an empty list means: all fine)."""
    problems: list[Problem] = list(rf.problems)
    name_raw = rf.actor.get("name")
    where_name = rf.where_actor("name")
    name = _as_text(name_raw) if name_raw is not None else ""
    if not name:
        problems.append(Problem("Pflichtangabe fehlt: der Name der Organisation.",
                                "Required value missing: the organisation's name.", *where_name))
    known, actor_slug = resolve_actor(name, area.iri, vocab.akteure, vocab.gebiete) if name else (None, "ohne-namen")
    if actor_override is not None:
        actor_iri, actor_slug = actor_override
        known = next((t for t in vocab.akteure if t.iri == actor_iri), None)
    else:
        actor_iri = known.iri if known else f"{ID}akteur/{actor_slug}"
    label = known.label if known else name
    graph_iri = graph_for(actor_slug, year)
    graph = ox.NamedNode(graph_iri)
    mapped = Mapped(graph=graph_iri, actor=actor_iri, actor_label=label, actor_new=known is None,
                    area=area.iri, year=year)
    if name and _personal(name):
        problems.append(_personal_problem(where_name, name))
    _actor_triples(rf, vocab, mapped, graph, problems)

    now = now or datetime.now(timezone.utc)
    t = mapped.triples
    t += [ox.Triple(graph, P["type"], C["quellgraph"]),
          ox.Triple(graph, P["graphart"], C["raster"]),
          ox.Triple(graph, P["pref"], ox.Literal(f"Raster-Meldung: {label}, {year}", language="de")),
          ox.Triple(graph, P["source"], ox.Literal(rf.filename)),
          ox.Triple(graph, P["generated"], ox.Literal(now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                                      datatype=ox.NamedNode(_XSD + "dateTime"))),
          ox.Triple(graph, P["jahr"], ox.Literal(str(year), datatype=ox.NamedNode(_XSD + "gYear"))),
          ox.Triple(graph, P["creator"], ox.NamedNode(actor_iri))]

    matchers = {
        "handlungsfeld": Matcher(vocab.handlungsfelder, by_number=True),
        "ziele": Matcher(vocab.ziele, by_number=True),
        "lebensphasen": Matcher(vocab.lebensphasen),
        "zielgruppen": Matcher(vocab.zielgruppen),
    }
    foreign = {key: ForeignMatcher(terms, vocab) for key, terms in
               (("handlungsfeld", vocab.fremde_handlungsfelder), ("ziele", vocab.fremde_ziele)) if terms}
    partners = Matcher(vocab.akteure)
    seen: dict[str, int] = {}
    keys: set[str] = set()
    named: dict[str, str] = {}
    actor = ox.NamedNode(actor_iri)
    for row in rf.rows:
        titel_raw = row.values.get("titel")
        if titel_raw is None:
            problems.append(Problem("Pflichtangabe fehlt: der Titel der Aktivität.",
                                    "Required value missing: the activity's title.", *_where(rf, row, _COL["titel"])))
            titel = ""
        else:
            titel = _as_text(titel_raw)
            k = norm(titel)
            if k in seen:
                problems.append(Problem(f"Diese Aktivität steht schon in Zeile {seen[k]}. Jede Aktivität bitte nur einmal "
                                        "melden (oder den Titel unterscheidbar machen).",
                                        f"This activity is already in row {seen[k]}. Please report each activity once "
                                        "(or make the title distinct).", *_where(rf, row, _COL["titel"]), titel))
            else:
                seen[k] = row.number
        for key in ("titel", "beschreibung", "quellen"):
            raw = row.values.get(key)
            if raw is not None and _personal(_as_text(raw)):
                problems.append(_personal_problem(_where(rf, row, _COL[key]), _as_text(raw)))
        fields = _terms(rf, row, "handlungsfeld", matchers["handlungsfeld"], vocab.handlungsfelder,
                        "Handlungsfelder", problems, foreign.get("handlungsfeld"))
        goals = _terms(rf, row, "ziele", matchers["ziele"], vocab.ziele, "Ziele", problems, foreign.get("ziele"))
        phases = _terms(rf, row, "lebensphasen", matchers["lebensphasen"], vocab.lebensphasen, "Lebensphasen", problems)
        groups = _terms(rf, row, "zielgruppen", matchers["zielgruppen"], vocab.zielgruppen, "Zielgruppen", problems)
        period = _period(rf, row, problems)
        partner_iris = _partners(rf, row, partners, mapped, graph, problems, named)
        if not titel:
            continue
        key = slug(titel)
        n = 2
        while key in keys:
            key, n = f"{slug(titel)}-{n}", n + 1
        keys.add(key)
        a = ox.NamedNode(activity_iri(actor_slug, year, key))
        mapped.activities.append(a.value)
        t += [ox.Triple(a, P["type"], C["aktivitaet"]),
              ox.Triple(a, P["pref"], ox.Literal(titel, language="de")),
              ox.Triple(a, P["traeger"], actor),
              ox.Triple(a, P["source"], graph),
              ox.Triple(a, P["abschnitt"], ox.Literal(_section(rf, row.number)))]
        if row.values.get("beschreibung") is not None:
            t.append(ox.Triple(a, P["desc"], ox.Literal(_as_text(row.values["beschreibung"]), language="de")))
        for pred, terms in (("hf", fields), ("dient", goals), ("lp", phases), ("zg", groups)):
            for term in terms:
                t.append(ox.Triple(a, P[pred], ox.NamedNode(term.iri)))
                mapped.referenced.add(term.iri)
        mapped.goals.update(g.iri for g in goals)
        if period:
            t.append(ox.Triple(a, P["zeitraum"], ox.Literal(period)))
        for iri in partner_iris:
            if iri != actor_iri:
                t.append(ox.Triple(a, P["beteiligt"], ox.NamedNode(iri)))
        if row.values.get("quellen") is not None:
            for q in _split(row.values["quellen"]):
                t.append(ox.Triple(a, P["datenquelle"], ox.Literal(q)))
    return mapped, problems

