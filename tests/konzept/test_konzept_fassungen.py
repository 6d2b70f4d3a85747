"""The versions of a concept (``konzept.fassungen``): from the journal on disk, the store in memory."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from inko_graph.konzept import fassungen as F
from inko_graph.konzept.importer import import_file
from inko_graph.query.catalogue import Catalogue
from inko_graph.store import OxigraphStore
from konzept_fixtures import MASSNAHMEN, ZIELE, fill, template, to_bytes

KONZEPT = "https://w3id.org/inko/id/konzept/sprockhoevel-2026"
G = "https://w3id.org/inko/graph/konzept/sprockhoevel-2026"


@pytest.fixture(scope="module")
def tmpl(store, settings):
    return template(store, settings)


def _v2(tmpl) -> bytes:
    ziele = [list(z) for z in ZIELE]
    ziele[1][1] = "Jede Kita und jede Grundschule bietet Sprachförderung an."
    return to_bytes(fill(tmpl, ziele=ziele, massnahmen=MASSNAHMEN[:1]))


def _v3(tmpl) -> bytes:
    ziele = [list(z) for z in ZIELE]
    ziele[1][1] = "Jede Kita und jede Grundschule bietet Sprachförderung an."
    ziele[0][5] = "Frühe Kindheit; Schulalter"
    return to_bytes(fill(tmpl, ziele=ziele, massnahmen=MASSNAHMEN[:1]))


def test_on_disk_every_upload_is_a_version_from_the_journal(tmp_path, settings, tmpl, built_on_disk):
    from built_store import copy_built
    from inko_graph.load.build import ensure_built

    disk = settings.with_(store_path=tmp_path / "var" / "store")
    copy_built(built_on_disk, disk.store_path)
    store = ensure_built(disk)
    cat = Catalogue(disk.queries_dir)
    import_file(to_bytes(fill(tmpl)), "v1.xlsx", store, disk)
    import_file(_v2(tmpl), "v2.xlsx", store, disk)
    third = import_file(_v3(tmpl), "v3.xlsx", store, disk)
    got = F.versions(store, disk, cat, KONZEPT)
    # a new town: no source document; three uploads, the newest is what the store holds (not listed twice)
    assert [f.id.isdigit() for f in got] == [True, True, True]
    assert [f.name.rsplit("(", 1)[-1] for f in got] == ["v1.xlsx)", "v2.xlsx)", "v3.xlsx)"]
    assert all(f.name.startswith("Hochgeladen am ") for f in got)
    assert set(got[-1].triples()) == set(third.mapped.triples)
    d = F.compare(got[0], got[1], KONZEPT)
    assert [c.label for c in d.changed["ziele"]] == ["Jede Kita und jede Grundschule bietet Sprachförderung an."]
    assert [x.label for x in d.removed["massnahmen"]] == [MASSNAHMEN[1][1]]
    assert not d.added["ziele"] and not d.removed["ziele"] and not d.added["massnahmen"]
    d = F.compare(got[1], got[2], KONZEPT)
    assert not d.changed["ziele"] and not d.added["ziele"] and not d.removed["ziele"]
    assert [(s.rsplit("/", 1)[-1], o.rsplit("/", 1)[-1]) for s, p, o in d.links_added
            if p.endswith("#lebensphase")] == [("1", "schulalter")]
    # the same version twice is no change
    assert F.compare(got[2], got[2], KONZEPT).is_empty()
    # a damaged entry (cut short: its checksum no longer fits) is left out, the others still count
    from inko_graph.store.journal import journal_dir

    middle = journal_dir(disk) / f"{int(got[1].id):09d}.nq"
    middle.write_bytes(middle.read_bytes()[:-200])
    assert [f.id for f in F.versions(store, disk, cat, KONZEPT)] == [got[0].id, got[2].id]


def test_in_memory_the_store_holds_the_newest_upload_only(store, settings, tmpl):
    work = OxigraphStore.memory()
    work.load_quads(store.quads())
    cat = Catalogue(settings.queries_dir)
    assert F.versions(work, settings, cat, KONZEPT) == []
    import_file(to_bytes(fill(tmpl)), "v1.xlsx", work, settings)
    import_file(_v2(tmpl), "v2.xlsx", work, settings)
    got = F.versions(work, settings, cat, KONZEPT)
    assert [f.id for f in got] == [F.AKTUELL] and got[0].name.endswith("(v2.xlsx)")


def test_what_the_workbook_does_not_carry_is_no_change(store, settings):
    """The source document's version of Hattingen's concept against itself with a note, a further
    label and a row place added: no change."""
    cat = Catalogue(settings.queries_dir)
    konzept = "https://w3id.org/inko/id/konzept/hattingen-integrationskonzept"
    (doc,) = F.versions(store, settings, cat, konzept)
    assert doc.id == F.DOKUMENT
    goal = ox.NamedNode("https://w3id.org/inko/id/hattingen/leitziel/5")
    skos, inko = "http://www.w3.org/2004/02/skos/core#", "https://w3id.org/inko/def#"
    extra = [ox.Triple(goal, ox.NamedNode(skos + "note"), ox.Literal("Notiz", language="de")),
             ox.Triple(goal, ox.NamedNode(skos + "altLabel"), ox.Literal("Mehrsprachigkeit", language="de")),
             ox.Triple(goal, ox.NamedNode(inko + "abschnitt"), ox.Literal("Blatt Ziele, Zeile 7")),
             ox.Triple(goal, ox.NamedNode(skos + "prefLabel"), ox.Literal("Multilingualism", language="en"))]
    more = F.Fassung("x", "mit Zusätzen", lambda: doc.triples() + extra)
    assert F.compare(doc, more, konzept).is_empty()
    reworded = [t for t in doc.triples() if not (t.subject == goal and t.predicate.value == skos + "prefLabel")]
    reworded.append(ox.Triple(goal, ox.NamedNode(skos + "prefLabel"), ox.Literal("Neu", language="de")))
    d = F.compare(doc, F.Fassung("y", "umformuliert", lambda: reworded), konzept)
    assert [c.iri for c in d.changed["ziele"]] == [goal.value]
