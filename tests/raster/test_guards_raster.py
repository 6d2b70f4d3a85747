"""Guards of the Raster import that a deliberate break once slipped past: the period (the end must
not lie before the start) and the website (a web address with a host name, nothing else).

Each case goes through the real path (template -> filled workbook -> ``prepare``), both ways: what
must be refused is refused with its place, and the edge that must pass passes, so that loosening
or tightening a comparison fails here.
"""

from __future__ import annotations

import pytest

from inko_graph.namespaces import PREFIXES
from inko_graph.raster.importer import import_raster, prepare
from inko_graph.raster.mapping import parse_period_point
from inko_graph.raster.problems import RasterError
from inko_graph.raster.template import workbook_bytes
from raster_fixtures import GOOD_ACTOR, GOOD_ROWS, fill_workbook, snapshot, to_bytes, world_store

HOMEPAGE = PREFIXES["foaf"] + "homepage"
ZEITRAUM = PREFIXES["inko"] + "zeitraum"
VON, BIS = 6, 7  # columns "Zeitraum von" and "Zeitraum bis" of GOOD_ROWS


@pytest.fixture(scope="module")
def world():
    return world_store()


@pytest.fixture(scope="module")
def template(world, settings):
    return workbook_bytes(world, settings, town="Hattingen", year=2026)


def _prepare(world, settings, template, *, actor=None, rows=None):
    data = to_bytes(fill_workbook(template, actor or GOOD_ACTOR, rows or [list(GOOD_ROWS[0])]))
    return prepare(data, "raster.xlsx", world, settings)


def _with_period(von, bis) -> list[list]:
    row = list(GOOD_ROWS[0])
    row[VON], row[BIS] = von, bis
    return [row]


def _period_of(mapped) -> str | None:
    values = [t.object.value for t in mapped.triples if t.predicate.value == ZEITRAUM]
    assert len(values) <= 1
    return values[0] if values else None


# -- the period ------------------------------------------------------------------------------------

@pytest.mark.parametrize("von, bis", [
    ("01.09.2027", "30.06.2026"),   # a whole year the wrong way round
    ("02.09.2026", "01.09.2026"),   # one day
    ("10.2026", "30.09.2026"),      # a month that begins after the end
    ("2027", "12.2026"),            # a year after a month
    ("01.10.2026", "2026-09"),      # a day after the last day of the end month
])
def test_end_before_start_is_refused_with_its_place(world, settings, template, von, bis):
    with pytest.raises(RasterError) as e:
        _prepare(world, settings, template, rows=_with_period(von, bis))
    hits = [p for p in e.value.items if p.de == "Das Ende liegt vor dem Beginn."]
    assert len(hits) == 1, [p.de for p in e.value.items]
    p = hits[0]
    assert (p.sheet, p.row, p.column) == ("Aktivitäten", 2, "Zeitraum bis")
    start, end = parse_period_point(von)[0], parse_period_point(bis)[0]
    assert p.value == f"{start} – {end}"
    assert len(e.value.items) == 1  # nothing else is wrong with the row


@pytest.mark.parametrize("von, bis, stored", [
    ("01.09.2026", "01.09.2026", "2026-09-01/2026-09-01"),   # one day: start == end
    ("09.2026", "01.09.2026", "2026-09/2026-09-01"),         # the month begins on the end day
    ("2026-09-02", "2026-09", "2026-09-02/2026-09"),         # a day within the end month
    ("2026", "31.12.2026", "2026/2026-12-31"),               # a year up to its last day
    ("01.09.2026", "30.06.2027", "2026-09-01/2027-06-30"),
    ("2026", None, "2026/.."),                                # open end
    (None, "2027", "../2027"),                                # open start
])
def test_period_that_is_in_order_is_stored(world, settings, template, von, bis, stored):
    mapped = _prepare(world, settings, template, rows=_with_period(von, bis))
    assert _period_of(mapped) == stored


def test_refused_period_changes_nothing_in_the_store(world, settings, template):
    store = world_store()
    before = snapshot(store)
    data = to_bytes(fill_workbook(template, GOOD_ACTOR, _with_period("01.09.2027", "30.06.2026")))
    with pytest.raises(RasterError):
        import_raster(data, "raster.xlsx", store, settings)
    assert snapshot(store) == before


# -- the website -----------------------------------------------------------------------------------

@pytest.mark.parametrize("given, stored", [
    ("www.vhs-hattingen.de", "https://www.vhs-hattingen.de"),
    ("vhs-hattingen.de/kurse", "https://vhs-hattingen.de/kurse"),
    ("http://www.vhs-hattingen.de/", "http://www.vhs-hattingen.de/"),
    ("HTTPS://VHS.Hattingen.de", "HTTPS://VHS.Hattingen.de"),
    ("https://www.vhs-hattingen.de/a?b=1#c", "https://www.vhs-hattingen.de/a?b=1#c"),
])
def test_web_address_is_stored_as_homepage(world, settings, template, given, stored):
    mapped = _prepare(world, settings, template, actor=dict(GOOD_ACTOR, Internetseite=given))
    homepages = [t.object for t in mapped.triples if t.predicate.value == HOMEPAGE]
    assert [h.value for h in homepages] == [stored]


@pytest.mark.parametrize("given", [
    "keine Seite",                        # words
    "vhs hattingen de",                   # spaces instead of dots
    "localhost",                          # no dot in the host
    "https://intranet/kurse",             # no dot in the host, with a scheme
    "https://intranet/www.beispiel.de",   # the dot only in the path
    "javascript:alert(1)",                # another scheme
    "https://www.beispiel.de/<script>",   # characters an IRI must not hold
    'https://www.beispiel.de/"',
    "https://www.bei spiel.de",
    "ftp://dateien.beispiel.de",          # not a web page: becomes https://ftp://… and has no host with a dot
])
def test_what_is_no_web_address_is_refused_with_its_place(world, settings, template, given):
    with pytest.raises(RasterError) as e:
        _prepare(world, settings, template, actor=dict(GOOD_ACTOR, Internetseite=given))
    hits = [p for p in e.value.items if p.de.startswith("Das ist keine Internetadresse")]
    assert len(hits) == 1, [p.de for p in e.value.items]
    assert (hits[0].sheet, hits[0].column, hits[0].value) == ("Akteur", "Internetseite", given)
    assert hits[0].row is not None
    assert len(e.value.items) == 1


def test_refused_website_changes_nothing_in_the_store(world, settings, template):
    store = world_store()
    before = snapshot(store)
    data = to_bytes(fill_workbook(template, dict(GOOD_ACTOR, Internetseite="localhost"), GOOD_ROWS))
    with pytest.raises(RasterError):
        import_raster(data, "raster.xlsx", store, settings)
    assert snapshot(store) == before
