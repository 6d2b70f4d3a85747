"""Overlaps count an organisation once: a sub-unit (org:subOrganizationOf, stated or curated) counts
as its top-most organisation, in the analysis query and in the cockpit's details; without the
curated links, a sub-unit that only the curation places under its organisation counts apart."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from inko_graph.query.catalogue import Catalogue, run
from inko_graph.settings import PROJECT_ROOT
from inko_graph.store import OxigraphStore

DATA = Path(__file__).parent.parent / "data" / "overlaps"
CATALOGUE = Catalogue(PROJECT_ROOT / "queries")
ID = "https://w3id.org/inko/id/"


@pytest.fixture(scope="module")
def fx():
    store = OxigraphStore.memory()
    store.inner.load(path=str(DATA / "untereinheiten.trig"), format=ox.RdfFormat.TRIG)
    return store


def _overlaps(store, curated=True):
    df = run(store, CATALOGUE.get("mehrere-akteure-gleiches-ziel"), {}, include_curated=curated)
    return {r["ziel"]: r for r in df.to_dict("records")}


def test_a_sub_unit_counts_as_its_organisation(fx):
    got = _overlaps(fx)
    # Ziel 2 (AWO and its Kita) is no overlap; Ziel 1 has two organisations, not three.
    assert set(got) == {ID + "t/ziel/1"}
    row = got[ID + "t/ziel/1"]
    assert row["anzahl_akteure"] == 2 and set(row["akteure"].split("; ")) == {"AWO", "Verein X"}
    assert row["untereinheiten"] == "AWO Jugendmigrationsdienst (AWO)"
    assert row["anzahl_vorhaben"] == 3


def test_without_the_curated_link_the_sub_unit_counts_apart(fx):
    got = _overlaps(fx, curated=False)
    row = got[ID + "t/ziel/1"]
    assert row["anzahl_akteure"] == 3 and not isinstance(row["untereinheiten"], str) or row["untereinheiten"] == ""
    # The stated part (the Kita) still counts as the AWO.
    assert ID + "t/ziel/2" not in got


def test_cockpit_details_show_sub_units_under_their_organisation(fx):
    df = run(fx, CATALOGUE.get("cockpit-ueberschneidungen"), {})
    rows = {(r["akteur"], r["akteurname"], r["vorhaben"]) for r in df.to_dict("records") if r["ziel"] == ID + "t/ziel/1"}
    assert rows == {(ID + "akteur/awo", "AWO (AWO Jugendmigrationsdienst)", ID + "t/v/1"),
                    (ID + "akteur/awo", "AWO (AWO Jugendmigrationsdienst)", ID + "t/v/2"),
                    (ID + "akteur/verein-x", "Verein X", ID + "t/v/3")}


def test_curated_sub_units_come_with_their_inverse_and_reason(tmp_path):
    from inko_graph.load.sources import read_curated_csv

    path = tmp_path / "untereinheiten.csv"
    path.write_text("subjekt,praedikat,objekt,begruendung\n"
                    "id:akteur/awo-jmd,org:subOrganizationOf,id:akteur/awo,Der Dienst ist eine Stelle der AWO.\n",
                    encoding="utf-8")
    triples = read_curated_csv(path)
    org = "http://www.w3.org/ns/org#"
    links = {(t.subject.value, t.predicate.value, t.object.value) for t in triples}
    assert (ID + "akteur/awo-jmd", org + "subOrganizationOf", ID + "akteur/awo") in links
    assert (ID + "akteur/awo", org + "hasSubOrganization", ID + "akteur/awo-jmd") in links
    reasons = [t for t in triples if t.predicate.value.endswith("#begruendung")]
    assert len(reasons) == 2
