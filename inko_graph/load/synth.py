"""Synthetic data of the same shape as graph_data/, of any size, as N-Quads (benchmarks, load tests).

    inko-graph synth --towns 9 --triples 1000000 -o DIR      (writes DIR/synthetisch.nq)

The towns lie in Kreise of nine. Each Kreis has a concept of its own; each town a concept whose
Leitziele are aligned to the goals of its Kreis (in the curated graph). One named graph per
concept document: Handlungsfelder, Leitziele with Teilziele (skos:broader), Monitoringziele with
indicators, Maßnahmen (inko:dient, zuständig, beteiligt, Zuständigkeitskategorie,
Umsetzungsschritte), Aktivitäten with a Träger, organisations and Gremien with members. The
curated graph holds the Lebensphase of most undertakings (each an inko:Kuratierung with its
reason). Actors send Raster submissions: one graph per actor and year, as the Raster import
writes them. Ontology, vocabularies (plus the synthetic areas) and a meta graph describing
every graph come along, so the named queries and the shapes work on it as on the real graph.
When ``triples`` asks for more than one concept per town, the towns get further concepts (later
editions). Same arguments, same file.
"""

from __future__ import annotations

import random
from pathlib import Path

from ..settings import DATA_ROOT

__all__ = ["generate", "write", "FILE_NAME"]

FILE_NAME = "synthetisch.nq"
INKO = "https://w3id.org/inko/def#"
ID = "https://w3id.org/inko/id/"
GR = "https://w3id.org/inko/graph/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
LP = ID + "vokabular/lebensphase/"
ZK = ID + "vokabular/zustaendigkeit/"
AA = ID + "vokabular/akteursart/"
ZG = ID + "vokabular/zielgruppe/"
IA = ID + "vokabular/indikatorart/"
GA = ID + "vokabular/graphart/"

LEBENSPHASEN = ["fruehe-kindheit", "schulalter", "uebergang-schule-beruf", "erwerbsalter", "alter", "alle-lebensphasen"]
ZUSTAENDIGKEITEN = ["stadt", "staedte", "kreis", "land", "schulen", "traeger", "zivilgesellschaft", "alle"]
AKTEURSARTEN = ["verwaltung", "verein", "wohlfahrtsverband", "schule", "kita", "migrantenorganisation"]
ZIELGRUPPEN = ["kinder", "jugendliche", "eltern", "frauen", "menschen-mit-zuwanderungsgeschichte"]

# Words to build German-looking labels from; a measure's text is a few of them in a template,
# so that measures of different documents sometimes say nearly the same.
HANDLUNGSFELDER = ["Bildung", "Sprache", "Arbeit und Beruf", "Wohnen", "Gesundheit", "Sport und Freizeit",
                   "Kultur", "Interkulturelle Öffnung", "Teilhabe", "Soziales", "Sicherheit", "Familie"]
VERBEN = ["Ausbau", "Förderung", "Einrichtung", "Stärkung", "Weiterentwicklung", "Vernetzung", "Qualifizierung",
          "Begleitung", "Beratung", "Unterstützung", "Sicherung", "Öffnung"]
DINGE = ["Sprachkurse", "Elterncafés", "Hausaufgabenhilfe", "Beratungsangebote", "Begegnungsstätten", "Lotsendienste",
         "Ausbildungspatenschaften", "Integrationskurse", "Sportangebote", "Kulturprojekte", "Gesundheitslotsen",
         "Nachbarschaftstreffs", "Frauengruppen", "Jugendtreffs", "Seniorenkreise", "Übersetzungsdienste"]
FUER = ["für Kinder", "für Jugendliche", "für Eltern", "für Frauen", "für Zugewanderte", "für Seniorinnen und Senioren",
        "für Familien", "für Auszubildende", "für Arbeitsuchende", "für Geflüchtete"]
ORTE = ["in Kitas", "in Grundschulen", "im Quartier", "in der Innenstadt", "in Vereinen", "in Betrieben",
        "in der Verwaltung", "im Jugendzentrum", "in Moscheegemeinden", "in der Volkshochschule"]
_SILBEN = ["ka", "lo", "mi", "ne", "ru", "ta", "be", "so", "di", "gu", "fa", "re", "ko", "li", "ma", "nu", "pe", "sa"]

#: Quads of one concept document with its curated part and submissions, roughly.
PER_DOCUMENT = 3100


def _woerter(rnd: random.Random, n: int) -> list[str]:
    """Made-up words: the names of projects, places and offers that make real measures differ."""
    out = set()
    while len(out) < n:
        out.add("".join(rnd.choice(_SILBEN) for _ in range(rnd.randint(2, 4))).capitalize())
    return sorted(out)


def _lit(text: str, lang: str | None = "de", datatype: str | None = None) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if datatype:
        return f'"{esc}"^^<{datatype}>'
    return f'"{esc}"@{lang}' if lang else f'"{esc}"'


class _Writer:
    def __init__(self, out):
        self.out = out
        self.count = 0

    def q(self, s: str, p: str, o: str, g: str) -> None:
        """``o`` is an IRI unless it already is a literal (starts with a quote)."""
        obj = o if o.startswith('"') else f"<{o}>"
        self.out.write(f"<{s}> <{p}> {obj} <{g}> .\n")
        self.count += 1


def _static(w: _Writer, towns: list[str], kreise: list[str]) -> None:
    """Ontology, vocabularies (with the synthetic areas), as in graph_data."""
    import pyoxigraph as ox

    onto = GR + "ontologie"
    for t in ox.parse(path=str(DATA_ROOT / "ontology" / "inko.ttl"), format=ox.RdfFormat.TURTLE):
        w.out.write(f"{t.subject} {t.predicate} {t.object} <{onto}> .\n")
        w.count += 1
    vok = GR + "vokabular"
    for path in sorted((DATA_ROOT / "graph_data" / "vokabular").glob("*.ttl")):
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            w.out.write(f"{t.subject} {t.predicate} {t.object} <{vok}> .\n")
            w.count += 1
    scheme = ID + "vokabular/gebiete"
    for area, label, up in [(k, "Kreis ", ID + "gebiet/nrw") for k in kreise] + \
                           [(t, "Stadt ", kreise[i // 9]) for i, t in enumerate(towns)]:
        w.q(area, RDF_TYPE, INKO + "Gebiet", vok)
        w.q(area, RDF_TYPE, SKOS + "Concept", vok)
        w.q(area, SKOS + "inScheme", scheme, vok)
        w.q(area, SKOS + "prefLabel", _lit(label + area.rsplit("/", 1)[-1]), vok)
        w.q(area, INKO + "liegtIn", up, vok)


def _meta(w: _Writer, graphs: dict[str, str]) -> None:
    meta = GR + "meta"
    for g, kind in {GR + "ontologie": "ontologie", GR + "vokabular": "vokabular", meta: "vokabular", **graphs}.items():
        if kind == "raster":
            continue  # a submission describes itself in its own graph, as the import writes it
        w.q(g, RDF_TYPE, INKO + "Quellgraph", meta)
        w.q(g, SKOS + "prefLabel", _lit("Synthetischer Graph " + g.rsplit("/", 1)[-1]), meta)
        w.q(g, INKO + "graphart", GA + kind, meta)


def _document(w: _Writer, rnd: random.Random, k: int, area: str, cur: str, kreis: dict | None,
              words: list[str]) -> dict:
    """One concept with everything in it; returns its goals, fields, actors and undertakings."""
    g = GR + f"synth-{k}"
    base = ID + f"s{k}/"
    src = ID + f"quelle/s{k}"
    konzept = ID + f"konzept/s{k}"

    def node(s: str, cls: str, label: str, abschnitt: str = "1") -> None:
        w.q(s, RDF_TYPE, cls, g)
        w.q(s, SKOS + "prefLabel", _lit(label), g)
        w.q(s, DCT + "source", src, g)
        w.q(s, INKO + "abschnitt", _lit(abschnitt, lang=None), g)

    orgs = []
    for i in range(30):
        o = ID + f"akteur/s{k}-{i}"
        orgs.append(o)
        w.q(o, RDF_TYPE, ORG + "Organization", g)
        w.q(o, SKOS + "prefLabel", _lit(f"{rnd.choice(['Verein', 'Träger', 'Amt', 'Initiative', 'Schule'])} {k}-{i}"), g)
        w.q(o, INKO + "akteursart", AA + rnd.choice(AKTEURSARTEN), g)
        w.q(o, INKO + "gebiet", area, g)
        w.q(o, DCT + "source", src, g)
        if i and rnd.random() < 0.2:
            w.q(o, ORG + "subOrganizationOf", orgs[0], g)
    for j in range(2):
        gr = ID + f"akteur/s{k}-gremium-{j}"
        node(gr, INKO + "Gremium", f"Gremium {j} von {k}")
        w.q(gr, RDF_TYPE, ORG + "Organization", g)
        w.q(gr, INKO + "akteursart", AA + "verwaltung", g)
        w.q(gr, INKO + "gebiet", area, g)
        for m in rnd.sample(orgs, 5):
            w.q(gr, ORG + "hasMember", m, g)

    node(konzept, INKO + "Konzept", f"Integrationskonzept {k}")
    w.q(konzept, INKO + "gebiet", area, g)
    w.q(konzept, DCT + "publisher", orgs[0], g)

    fields = []
    for i, name in enumerate(rnd.sample(HANDLUNGSFELDER, 6)):
        hf = base + f"handlungsfeld/{i}"
        fields.append(hf)
        node(hf, INKO + "Handlungsfeld", name, f"3.{i}")
        w.q(hf, SKOS + "inScheme", konzept, g)
        w.q(hf, SKOS + "notation", _lit(str(i + 1), lang=None), g)

    goals, subgoals, undertakings = [], [], []
    for i in range(8):
        lz = base + f"leitziel/{i}"
        goals.append(lz)
        node(lz, INKO + "Leitziel", f"{rnd.choice(VERBEN)} der {rnd.choice(DINGE)} {rnd.choice(FUER)} ({rnd.choice(words)})", "2")
        w.q(lz, SKOS + "inScheme", konzept, g)
        w.q(lz, SKOS + "notation", _lit(str(i + 1), lang=None), g)
        hf = fields[i % len(fields)]
        w.q(lz, INKO + "handlungsfeld", hf, g)
        for j in range(4):
            tz = base + f"teilziel/{i}-{j}"
            subgoals.append((tz, hf))
            node(tz, INKO + "Teilziel", f"{rnd.choice(VERBEN)} {rnd.choice(DINGE)} {rnd.choice(ORTE)} {rnd.choice(words)}", "2")
            w.q(tz, SKOS + "inScheme", konzept, g)
            w.q(tz, SKOS + "broader", lz, g)
            w.q(tz, INKO + "handlungsfeld", hf, g)
    for i in range(2):
        mz = base + f"monitoringziel/{i}"
        node(mz, INKO + "Monitoringziel", f"Monitoringziel {i} von {k}", "4")
        w.q(mz, SKOS + "inScheme", konzept, g)
        w.q(mz, SKOS + "broader", goals[i], g)
        ind = base + f"indikator/{i}"
        node(ind, INKO + "Indikator", f"Anteil der Teilnehmenden {i}", "4")
        w.q(ind, INKO + "indikatorart", IA + "kennzahl", g)
        w.q(ind, INKO + "misst", mz, g)

    n = 0
    for tz, hf in subgoals:
        for _ in range(3):
            m = base + f"massnahme/{n}"
            n += 1
            undertakings.append(m)
            label = (f"{rnd.choice(VERBEN)} der {rnd.choice(DINGE)} {rnd.choice(FUER)} {rnd.choice(ORTE)}: "
                     f"{' '.join(rnd.sample(words, 2))}")
            node(m, INKO + "Massnahme", label, "5")
            w.q(m, DCT + "description", _lit(f"{label}. {rnd.choice(VERBEN)} und {rnd.choice(VERBEN)} "
                                             f"{rnd.choice(DINGE)} {rnd.choice(ORTE)} mit {' '.join(rnd.sample(words, 3))}."), g)
            w.q(m, INKO + "dient", tz, g)
            w.q(m, INKO + "handlungsfeld", hf, g)
            r = rnd.random()
            if r < 0.75:
                w.q(m, INKO + "zustaendig", rnd.choice(orgs), g)
            if r > 0.6:
                w.q(m, INKO + "zustaendigkeit", ZK + rnd.choice(ZUSTAENDIGKEITEN), g)
            if rnd.random() < 0.3:
                w.q(m, INKO + "beteiligt", rnd.choice(orgs), g)
            if rnd.random() < 0.4:
                w.q(m, INKO + "zielgruppe", ZG + rnd.choice(ZIELGRUPPEN), g)
            if rnd.random() < 0.3:
                s = base + f"schritt/{n}"
                node(s, INKO + "Umsetzungsschritt", f"Schritt zu {label}", "5")
                w.q(s, INKO + "wer", _lit("Fachbereich", lang=None), g)
                w.q(s, INKO + "wann", _lit(str(rnd.randint(2015, 2030)), lang=None), g)
                w.q(s, INKO + "zustaendig", rnd.choice(orgs), g)
                w.q(m, INKO + "umsetzungsschritt", s, g)
    for i in range(20):
        a = base + f"aktivitaet/{i}"
        undertakings.append(a)
        node(a, INKO + "Aktivitaet", f"{rnd.choice(DINGE)} {rnd.choice(FUER)} {rnd.choice(ORTE)}: "
                                     f"{' '.join(rnd.sample(words, 2))}", "6")
        w.q(a, INKO + "traeger", rnd.choice(orgs), g)
        tz, hf = rnd.choice(subgoals)
        w.q(a, INKO + "dient", tz, g)
        w.q(a, INKO + "handlungsfeld", hf, g)
        if rnd.random() < 0.3:
            w.q(a, INKO + "beteiligt", rnd.choice(orgs), g)

    # Curated: Lebensphasen of most undertakings, each with its reason; alignments to the Kreis.
    for v in undertakings:
        if rnd.random() < 0.8:
            _curate(w, cur, ID + f"kuratierung/s{k}-{v.rsplit('/', 2)[-2]}-{v.rsplit('/', 1)[-1]}",
                    v, INKO + "lebensphase", LP + rnd.choice(LEBENSPHASEN))
    if kreis:
        for lz in goals[:6]:
            _curate(w, cur, ID + f"kuratierung/s{k}-abgleich-{lz.rsplit('/', 1)[-1]}", lz,
                    SKOS + rnd.choice(["closeMatch", "broadMatch", "relatedMatch"]), rnd.choice(kreis["goals"]))
        for hf in fields[:4]:
            w.q(hf, SKOS + "closeMatch", rnd.choice(kreis["fields"]), cur)
    return {"goals": goals, "subgoals": [tz for tz, _ in subgoals], "fields": fields, "orgs": orgs, "area": area}


def _curate(w: _Writer, cur: str, kid: str, s: str, p: str, o: str) -> None:
    w.q(s, p, o, cur)
    w.q(kid, RDF_TYPE, INKO + "Kuratierung", cur)
    w.q(kid, RDF + "subject", s, cur)
    w.q(kid, RDF + "predicate", p, cur)
    w.q(kid, RDF + "object", o, cur)
    w.q(kid, INKO + "begruendung", _lit("synthetisch"), cur)


def _submission(w: _Writer, rnd: random.Random, doc: dict, org: str, year: int, words: list[str]) -> str:
    """One Raster submission of ``org`` for ``year``: a graph as the Raster import writes it."""
    slug = org.rsplit("/", 1)[-1]
    g = GR + f"raster/{slug}/{year}"
    w.q(g, RDF_TYPE, INKO + "Quellgraph", g)
    w.q(g, INKO + "graphart", GA + "raster", g)
    w.q(g, SKOS + "prefLabel", _lit(f"Raster-Meldung: {slug}, {year}"), g)
    w.q(g, DCT + "source", _lit(f"{year}-{slug}.xlsx", lang=None), g)
    w.q(g, PROV + "generatedAtTime", _lit(f"{year}-12-01T12:00:00Z", datatype=XSD + "dateTime"), g)
    w.q(g, INKO + "berichtsjahr", _lit(str(year), datatype=XSD + "gYear"), g)
    w.q(g, DCT + "creator", org, g)
    for i in range(rnd.randint(2, 5)):
        a = ID + f"raster/{slug}/{year}/{i}"
        w.q(a, RDF_TYPE, INKO + "Aktivitaet", g)
        w.q(a, SKOS + "prefLabel", _lit(f"{rnd.choice(DINGE)} {rnd.choice(FUER)}: {rnd.choice(words)}"), g)
        w.q(a, INKO + "traeger", org, g)
        w.q(a, DCT + "source", g, g)
        w.q(a, INKO + "abschnitt", _lit(f"{year}-{slug}.xlsx, Zeile {i + 2}", lang=None), g)
        w.q(a, INKO + "dient", rnd.choice(doc["subgoals"]), g)
        w.q(a, INKO + "handlungsfeld", rnd.choice(doc["fields"]), g)
        w.q(a, INKO + "lebensphase", LP + rnd.choice(LEBENSPHASEN), g)
        w.q(a, INKO + "zielgruppe", ZG + rnd.choice(ZIELGRUPPEN), g)
    return g


def generate(out, triples: int, towns: int = 9, seed: int = 1) -> int:
    """Write about ``triples`` quads (whole documents, so a little more) to ``out``; returns the count."""
    if towns < 1 or triples < 1:
        raise ValueError("towns and triples must be positive")
    rnd = random.Random(seed)
    words = _woerter(rnd, 20000)
    area_towns = [ID + f"gebiet/synth-stadt-{i}" for i in range(towns)]
    kreise = [ID + f"gebiet/synth-kreis-{i}" for i in range(-(-towns // 9))]
    w = _Writer(out)
    _static(w, area_towns, kreise)
    cur = GR + "kuratiert"
    graphs: dict[str, str] = {}
    kreis_docs: dict[str, dict] = {}
    k = 0
    # The Kreise first (their goals are what the towns align to), then the towns in turn.
    order = [(kr, None) for kr in kreise] + [(t, kreise[i // 9]) for i, t in enumerate(area_towns)]
    while w.count < triples or k < len(kreise):
        area, kreis = order[k] if k < len(order) else order[len(kreise) + (k - len(kreise)) % towns]
        doc = _document(w, rnd, k, area, cur, kreis_docs.get(kreis), words)
        graphs[GR + f"synth-{k}"] = "dokument"
        if kreis is None:
            kreis_docs[area] = doc
        else:
            for org in doc["orgs"][:3]:
                graphs[_submission(w, rnd, doc, org, 2024 + rnd.randint(0, 2), words)] = "raster"
        k += 1
    graphs[cur] = "kuratiert"
    _meta(w, graphs)
    return w.count


def write(folder: Path, triples: int, towns: int = 9, seed: int = 1) -> tuple[Path, int]:
    """Write ``folder/synthetisch.nq`` in one step (a temporary file renamed when complete)."""
    import os

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / FILE_NAME
    tmp = folder / f".{FILE_NAME}.{os.getpid()}.tmp"
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            n = generate(fh, triples, towns, seed)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target, n
