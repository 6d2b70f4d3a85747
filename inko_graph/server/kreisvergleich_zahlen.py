"""The numbers of the Kreis comparison, counted in Python from plain links.

The named queries ``kreisvergleich-vorhaben`` and ``kreisvergleich-luecken`` say what is counted;
asked of the engine they join undertakings, goals, fields and concepts row by row, which costs
seconds on a large graph. The page instead reads the single links once (query
``kreisvergleich-verknuepfungen``: each part reads one predicate, so the cost grows with the
data) and joins them here in dictionaries. Same rows as the named queries: the tests compare
both on the real graph and on synthetic ones.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

__all__ = ["Zaehlung", "zaehlen", "ALLE", "AKTIVITAET"]

ALLE = "https://w3id.org/inko/id/vokabular/lebensphase/alle-lebensphasen"
AKTIVITAET = "https://w3id.org/inko/def#Aktivitaet"


@dataclass
class Zaehlung:
    """cells: (zeile, stadt, Lebensphase or "") -> [anzahl, massnahmen, aktivitaeten, raster];
    art: (stadt, zeile) -> "kreisfeld", "eigen" (a town field without alignment) or "feldlos"
    (zeile is the concept); luecken: (Kreis field, Lebensphase) where no town has anything."""

    cells: dict = field(default_factory=dict)
    art: dict = field(default_factory=dict)
    luecken: set = field(default_factory=set)
    kreisfelder: set = field(default_factory=set)
    namen: dict = field(default_factory=dict)
    nummern: dict = field(default_factory=dict)

    def name(self, iri: str) -> str:
        return min(self.namen.get(iri) or [""])

    def nummer(self, iri: str) -> str:
        return min(self.nummern.get(iri) or [""])


def _index(links) -> dict[str, dict[str, set]]:
    idx: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for von, art, nach in zip(links["von"], links["art"], links["nach"]):
        idx[art][von].add(nach)
    return idx


def _aktuell(stadt: str, konzepte: dict[str, set], aufbau: dict[str, set]) -> list[str]:
    """The town's concepts on which no other concept of the town builds (prov:wasInfluencedBy)."""
    eigene = [k for k, gebiete in konzepte.items() if stadt in gebiete]
    return [k for k in eigene if not any(a != k and k in aufbau.get(a, ()) for a in eigene)]


def zaehlen(links, kreis: str, staedte: list[str], zuordnung: dict[str, set]) -> Zaehlung:
    """Count as ``kreisvergleich-vorhaben`` and ``-luecken`` do, for ``kreis`` and its towns with
    concepts (``staedte``); ``zuordnung``: a town field -> the Kreis fields it is aligned with
    (query ``kreisvergleich-felder``)."""
    idx = _index(links)
    hf, dient, broader, lp = idx["handlungsfeld"], idx["dient"], idx["broader"], idx["lebensphase"]
    klassen, raster, felder = idx["vorhaben"], idx["raster"], idx["feld"]
    konzepte, aufbau = idx["gebiet"], idx["aufbau"]
    inhalt: dict[str, set] = defaultdict(set)  # concept -> what stands in it
    for item, ks in idx["inScheme"].items():
        for k in ks:
            inhalt[k].add(item)

    feld_stadt: dict[str, set] = defaultdict(set)  # a field of a current town concept -> its towns
    konzept_stadt: dict[str, set] = defaultdict(set)
    for s in staedte:
        for k in _aktuell(s, konzepte, aufbau):
            konzept_stadt[k].add(s)
            for f in inhalt.get(k, ()):
                if f in felder:
                    feld_stadt[f].add(s)

    oben: dict[str, set] = {}

    def zielfelder(z: str) -> set:
        """The fields of a goal and of all goals above it (skos:broader*)."""
        if z not in oben:
            seen, stack, out = {z}, [z], set()
            while stack:
                y = stack.pop()
                out |= hf.get(y, set())
                for b in broader.get(y, ()):
                    if b not in seen:
                        seen.add(b)
                        stack.append(b)
            oben[z] = out
        return oben[z]

    z = Zaehlung(namen=idx["name"], nummern=idx["nummer"])
    for k, gebiete in konzepte.items():
        if kreis in gebiete:
            z.kreisfelder |= {f for f in inhalt.get(k, ()) if f in felder}
    sets: dict[tuple, list] = {}
    for v, cls in klassen.items():
        erreicht = set(hf.get(v, ()))
        for ziel in dient.get(v, ()):
            erreicht |= zielfelder(ziel)
        zeilen: set[tuple[str, str, str]] = set()
        for f in erreicht:
            for s in feld_stadt.get(f, ()):
                kf = zuordnung.get(f) & z.kreisfelder if zuordnung.get(f) else set()
                zeilen |= {(s, x, "kreisfeld") for x in kf} if kf else {(s, f, "eigen")}
        if not erreicht:
            for ziel in dient.get(v, ()):
                for k in idx["inScheme"].get(ziel, ()):
                    zeilen |= {(s, k, "feldlos") for s in konzept_stadt.get(k, ())}
        if not zeilen:
            continue
        akt, gem = AKTIVITAET in cls, v in raster
        for s, zeile, art in zeilen:
            z.art[(s, zeile)] = art
            for phase in lp.get(v) or {""}:
                c = sets.setdefault((zeile, s, phase), [0, 0, 0, 0])
                c[0] += 1
                c[1 if not akt else 2] += 1
                c[3] += gem
    z.cells = sets
    filled = {(zeile, phase) for (zeile, s, phase), c in sets.items() if z.art[(s, zeile)] == "kreisfeld"}
    phasen = set(idx["lebensphase-begriff"]) - {ALLE}
    z.luecken = {(kf, p) for kf in z.kreisfelder if (kf, ALLE) not in filled for p in phasen if (kf, p) not in filled}
    return z
