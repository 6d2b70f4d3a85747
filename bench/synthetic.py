"""A synthetic graph of the same shape as graph_data/, of any size, as N-Quads.

    python bench/synthetic.py --triples 100000 -o synth.nq [--seed 1]

One named graph per synthetic document (a town or Kreis concept): Handlungsfelder, Leitziele with
Teilziele (skos:broader), Monitoringziele with indicators, Maßnahmen (inko:dient, zuständig,
beteiligt, Zuständigkeitskategorie, Umsetzungsschritte), Aktivitäten with a Träger, organisations
and Gremien with members. A curated graph holds Lebensphasen of most undertakings (each with an
inko:Kuratierung and its reason) and alignments of goals and fields between neighbouring
documents. The ontology, the vocabularies of graph_data/vokabular (plus the synthetic towns) and a
meta graph that describes every graph (the curated one as curated) come along, so the named
queries and the shapes work on it as on the real graph. Same seed, same file.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INKO = "https://w3id.org/inko/def#"
ID = "https://w3id.org/inko/id/"
GR = "https://w3id.org/inko/graph/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
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


class Writer:
    def __init__(self, out):
        self.out = out
        self.count = 0

    def q(self, s: str, p: str, o: str, g: str) -> None:
        """``o`` is an IRI unless it already is a literal (starts with a quote)."""
        obj = o if o.startswith('"') else f"<{o}>"
        self.out.write(f"<{s}> <{p}> {obj} <{g}> .\n")
        self.count += 1


def _static(w: Writer, towns: list[str], kreise: list[str]) -> None:
    """Ontology, vocabularies (with the synthetic areas) and nothing else, as in graph_data."""
    import pyoxigraph as ox

    onto = GR + "ontologie"
    for t in ox.parse(path=str(ROOT / "ontology" / "inko.ttl"), format=ox.RdfFormat.TURTLE):
        w.out.write(f"{t.subject} {t.predicate} {t.object} <{onto}> .\n")
        w.count += 1
    vok = GR + "vokabular"
    for path in sorted((ROOT / "graph_data" / "vokabular").glob("*.ttl")):
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            w.out.write(f"{t.subject} {t.predicate} {t.object} <{vok}> .\n")
            w.count += 1
    scheme = ID + "vokabular/gebiete"
    for k in kreise:
        w.q(k, RDF_TYPE, INKO + "Gebiet", vok)
        w.q(k, RDF_TYPE, SKOS + "Concept", vok)
        w.q(k, SKOS + "inScheme", scheme, vok)
        w.q(k, SKOS + "prefLabel", _lit("Kreis " + k.rsplit("/", 1)[-1]), vok)
        w.q(k, INKO + "liegtIn", ID + "gebiet/nrw", vok)
    for i, t in enumerate(towns):
        w.q(t, RDF_TYPE, INKO + "Gebiet", vok)
        w.q(t, RDF_TYPE, SKOS + "Concept", vok)
        w.q(t, SKOS + "inScheme", scheme, vok)
        w.q(t, SKOS + "prefLabel", _lit("Stadt " + t.rsplit("/", 1)[-1]), vok)
        w.q(t, INKO + "liegtIn", kreise[i // 9], vok)


def _meta(w: Writer, graphs: list[str]) -> None:
    meta = GR + "meta"
    for g in [GR + "ontologie", GR + "vokabular", meta] + graphs:
        kind = "kuratiert" if g == GR + "kuratiert" else ("dokument" if "/synth-" in g else "vokabular")
        w.q(g, RDF_TYPE, INKO + "Quellgraph", meta)
        w.q(g, SKOS + "prefLabel", _lit("Synthetischer Graph " + g.rsplit("/", 1)[-1]), meta)
        w.q(g, INKO + "graphart", GA + kind, meta)


def _document(w: Writer, rnd: random.Random, k: int, area: str, cur: str, prev: dict | None, words: list[str]) -> dict:
    """One concept with everything in it; returns its goals and fields for the next one's alignments."""
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

    # Curated: Lebensphasen of most undertakings, each with its reason; alignments to the last document.
    for v in undertakings:
        if rnd.random() < 0.8:
            lp = LP + rnd.choice(LEBENSPHASEN)
            w.q(v, INKO + "lebensphase", lp, cur)
            kind, num = v.rsplit("/", 2)[-2:]
            kid = ID + f"kuratierung/s{k}-{kind}-{num}-{lp.rsplit('/', 1)[-1]}"
            w.q(kid, RDF_TYPE, INKO + "Kuratierung", cur)
            w.q(kid, RDF + "subject", v, cur)
            w.q(kid, RDF + "predicate", INKO + "lebensphase", cur)
            w.q(kid, RDF + "object", lp, cur)
            w.q(kid, INKO + "begruendung", _lit("synthetisch"), cur)
    if prev:
        for lz in goals[:4]:
            w.q(lz, SKOS + rnd.choice(["closeMatch", "broadMatch", "relatedMatch"]), rnd.choice(prev["goals"]), cur)
        for hf in fields[:4]:
            w.q(hf, SKOS + "closeMatch", rnd.choice(prev["fields"]), cur)
    return {"goals": goals, "fields": fields}


def generate(out, triples: int, seed: int = 1) -> int:
    """Write about ``triples`` quads (whole documents, so a little more) to ``out``; returns the count."""
    rnd = random.Random(seed)
    words = _woerter(rnd, 20000)
    per_doc = 2900  # quads of one document with its curated part, roughly
    docs = max(1, -(-triples // per_doc))
    kreise = [ID + f"gebiet/synth-kreis-{i}" for i in range(docs // 9 + 1)]
    towns = [ID + f"gebiet/synth-stadt-{i}" for i in range(docs)]
    w = Writer(out)
    _static(w, towns, kreise)
    cur = GR + "kuratiert"
    graphs = []
    prev = None
    k = 0
    while w.count < triples:
        # every tenth concept is a Kreis concept
        area = kreise[(k // 10) % len(kreise)] if k % 10 == 9 else towns[k % len(towns)]
        prev = _document(w, rnd, k, area, cur, prev, words)
        graphs.append(GR + f"synth-{k}")
        k += 1
    _meta(w, graphs + [cur])
    return w.count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Synthetischer Graph in der Form von graph_data/, als N-Quads.")
    ap.add_argument("--triples", type=int, required=True, help="ungefähre Zahl der Tripel (ganze Dokumente)")
    ap.add_argument("-o", "--output", type=Path, required=True, help="Ausgabedatei (.nq)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    with args.output.open("w", encoding="utf-8") as fh:
        n = generate(fh, args.triples, args.seed)
    print(f"{n} Tripel in {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
