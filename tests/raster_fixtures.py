"""A small world for the Raster tests (ontology, vocabularies, tests/data/raster/welt.ttl) and helpers."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox

from inko_graph.load.sources import parse_rdf_file
from inko_graph.namespaces import GRAPH
from inko_graph.settings import PROJECT_ROOT
from inko_graph.store import OxigraphStore

DATA = Path(__file__).parent / "data" / "raster"
H = "https://w3id.org/inko/id/"

#: The rows of the good files: Titel, Beschreibung, Handlungsfeld, Ziele, Lebensphasen, Zielgruppen, von, bis, Partner, Quellen
GOOD_ROWS = [
    ["Deutschkurs am Abend", "Integrationskurs mit Kinderbetreuung", "Bildung und Kultur",
     "3.3 / Leitziel 3; Strategiekonzept Hattingen 2020, Handlungsfeld 1, Teilziel c): Förderung der interkulturellen Begegnung",
     "Erwerbsalter", "Neuzugewanderte", "01.09.2026", "30.06.2027", "Stadtbücherei; Nachbarschaftsverein Welper", "Zensus 2011"],
    ["Sprachcafé", "Offener Treff zum Deutschsprechen", "bildung-und-kultur",
     "Integrationskonzept Hattingen, Leitziel 2: Die Verbesserung des Zusammenlebens wird gefördert.",
     "Uebergang Schule Beruf; alle Lebensphasen", "Frauen", "2026", None, None, None],
    ["Bewerbungstraining", None, "Arbeit", "id:test-hattingen/leitziel/1", "lp:erwerbsalter", None, None, None,
     "Integrationsrat", None],
]
GOOD_ACTOR = {"Organisation": "Volkshochschule Hattingen", "Art des Akteurs": "Bildungseinrichtung",
              "Gebiet": "Hattingen", "Berichtsjahr": 2026, "Selbstdarstellung": "Die vhs bietet Kurse für alle.",
              "Postanschrift": "Bredenscheider Str. 19, 45525 Hattingen", "Internetseite": "www.vhs-hattingen.de",
              "Hinweis": None}


def world_store() -> OxigraphStore:
    """A fresh in-memory store with the ontology, the real vocabularies and the test world."""
    store = OxigraphStore.memory()

    def load(name, paths):
        g = ox.NamedNode(GRAPH + name)
        store.load_quads(ox.Quad(t.subject, t.predicate, t.object, g) for p in paths for t in parse_rdf_file(p))

    load("ontologie", [PROJECT_ROOT / "ontology" / "inko.ttl"])
    load("vokabular", sorted((PROJECT_ROOT / "graph_data" / "vokabular").glob("*.ttl")))
    load("quelle-test", [DATA / "welt.ttl"])
    return store


def snapshot(store) -> tuple[int, set]:
    """Size and content of a store, to assert that nothing changed."""
    return len(store), {str(q) for q in store.quads()}


def fill_workbook(template: bytes, actor: dict, rows: list[list]) -> "openpyxl.Workbook":  # noqa: F821
    """The template with the actor's fields and the activity rows filled in, as a volunteer would."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb["Akteur"]
    for r in range(2, ws.max_row + 1):
        name = ws.cell(row=r, column=1).value
        if name in actor:
            ws.cell(row=r, column=2).value = actor[name]
    act = wb["Aktivitäten"]
    for i, row in enumerate(rows, start=2):
        for c, v in enumerate(row, start=1):
            act.cell(row=i, column=c).value = v
    return wb


def to_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
