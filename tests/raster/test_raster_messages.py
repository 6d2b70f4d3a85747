"""What the Raster import says names towns, organisations, properties and entries as people call
them: no web address in angle brackets, no short name such as inko:akteursart."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from inko_graph.errors import NotConformant
from inko_graph.raster.importer import import_raster
from inko_graph.tokens import Grant, NotAllowed
from raster_fixtures import DATA, H, world_store

ADDRESS = re.compile(r"<https?://|https?://w3id|\b(?:inko|skos|dcterms|org|id|g):[a-z]\w+")


@pytest.fixture()
def store():
    return world_store()


def _good() -> bytes:
    return (DATA / "gut.xlsx").read_bytes()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_summary_and_its_notes_name_no_addresses(store, settings, lang):
    result = import_raster(_good(), "gut.xlsx", store, settings, dry_run=True, lang=lang)
    text = result.summary(lang)
    assert not ADDRESS.search(text), text
    assert "Raster-Meldung vhs Hattingen 2026" in text
    # the rule's message names the column as the sheet does, not the property's short name
    notes = result.as_dict(lang)["hinweise"]
    assert any(("„Art des Akteurs“" if lang == "de" else '"kind of actor"') in n for n in notes), notes
    assert not any(ADDRESS.search(n) for n in notes)


def test_a_key_for_another_town_names_the_town(store, settings):
    with pytest.raises(NotAllowed) as info:
        import_raster(_good(), "gut.xlsx", store, settings, grant=Grant(None, H + "gebiet/ratingen"))
    assert not ADDRESS.search(str(info.value)) and "<" not in str(info.value)
    assert "„Ratingen“" in str(info.value) and "„Hattingen“" in str(info.value)


def test_a_key_for_another_actor_names_the_actor(store, settings):
    with pytest.raises(NotAllowed) as info:
        import_raster(_good(), "gut.xlsx", store, settings,
                      grant=Grant(H + "akteur/stadtbuecherei-hattingen", H + "gebiet/hattingen"))
    msg = str(info.value)
    assert not ADDRESS.search(msg) and "<" not in msg
    assert "„Stadtbücherei“" in msg and "„vhs Hattingen“" in msg


def test_a_broken_rule_is_said_in_words(store, settings, monkeypatch):
    from inko_graph.raster import importer, mapping

    real = mapping.map_raster
    dient = "https://w3id.org/inko/def#dient"

    def broken(*args, **kwargs):     # an activity serving an organisation, not a goal
        mapped, problems = real(*args, **kwargs)
        mapped.triples = [ox.Triple(t.subject, t.predicate, ox.NamedNode(mapped.actor)) if t.predicate.value == dient
                          else t for t in mapped.triples]
        return mapped, problems

    monkeypatch.setattr(importer, "map_raster", broken)
    with pytest.raises(NotConformant) as info:
        import_raster(_good(), "gut.xlsx", store, settings)
    report = info.value.report
    shown = [f"{report.labels.get(r.focus, r.focus)}: {r.message_de}" for r in report.results
             if r.severity == "Violation"]
    assert shown and not any(ADDRESS.search(s) for s in shown), shown
    assert all("„dient dem Ziel“" in s for s in shown)


def test_two_example_rasters_for_the_same_year_name_the_actor(store, settings, tmp_path):
    from inko_graph.errors import InputError
    from inko_graph.raster.examples import _read_examples

    files = []
    for name in ("a.xlsx", "b.xlsx"):
        (tmp_path / name).write_bytes(_good())
        files.append(tmp_path / name)
    with pytest.raises(InputError) as info:
        _read_examples(settings, store, files)
    msg = str(info.value)
    assert "a.xlsx" in msg and "„vhs Hattingen“, 2026" in msg and "<" not in msg
