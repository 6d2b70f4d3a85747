"""Fuzzing of the importers with hypothesis: the Raster (workbook and CSV), the monitoring CSV, the
Turtle and CSV sources of graph_data/, and the Konzept workbook.

Whatever the input (damaged and truncated workbooks among it: a real .xlsx cut at any offset,
bytes flipped inside its deflate streams, garbage spliced in; random cell values in a real
template; random text in a real CSV), an importer either accepts it or refuses it with one of the
typed errors of inko_graph/errors.py (a German message, never a traceback), and a refused input
leaves the store exactly as it was.

Bounded for CI: a fixed number of examples per test, derandomised (the same inputs on every run),
a deadline per example. ``INKO_FUZZ=explore`` draws new random inputs and ten times as many
(``INKO_FUZZ=explore .venv/bin/python -m pytest tests/test_fuzz_importers.py``).
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

from inko_graph.errors import InkoError  # noqa: E402
from inko_graph.settings import PROJECT_ROOT  # noqa: E402
from inko_graph.store import OxigraphStore  # noqa: E402
from raster_fixtures import DATA as RASTER_DATA, GOOD_ACTOR, GOOD_ROWS, fill_workbook, to_bytes, world_store  # noqa: E402

EXPLORE = os.environ.get("INKO_FUZZ") == "explore"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def bounded(examples: int):
    """hypothesis settings for CI: ``examples`` inputs, the same on every run, 10 s per input at most."""
    return hsettings(max_examples=examples * (10 if EXPLORE else 1), derandomize=not EXPLORE, database=None,
                     deadline=timedelta(seconds=10),
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                            HealthCheck.data_too_large])


def quads(store) -> set[str]:
    return {str(q) for q in store.quads()}


class Target:
    """A store for one importer: refused inputs must leave it unchanged; after an accepted one it is renewed."""

    def __init__(self, make):
        self.make = make
        self.store = make()
        self.before = quads(self.store)
        self.accepted = 0
        self.refused = 0

    def attempt(self, call) -> None:
        try:
            call(self.store)
        except InkoError as e:
            self.refused += 1
            assert str(e).strip(), "a refusal without a message"
            assert quads(self.store) == self.before, f"refused ({type(e).__name__}: {e}) but the store changed"
            return
        # Accepted: the store may have changed; the next input starts from a fresh one.
        self.accepted += 1
        self.store = self.make()
        self.before = quads(self.store)


# -- damaging a workbook -------------------------------------------------------------------------

def deflate_ranges(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each member's compressed bytes in a zip (an .xlsx is one)."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            if info.compress_type != zipfile.ZIP_DEFLATED or info.compress_size < 2:
                continue
            h = info.header_offset
            name_len, extra_len = struct.unpack("<HH", data[h + 26:h + 30])
            start = h + 30 + name_len + extra_len
            out.append((start, start + info.compress_size))
    return out


def damaged(data: bytes):
    """A strategy of damaged copies of ``data``: truncated, flipped in a deflate stream, spliced, cut out."""
    ranges = deflate_ranges(data)
    n = len(data)

    truncated = st.integers(0, n - 1).map(lambda k: data[:k])

    @st.composite
    def flipped(draw):
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            start, end = draw(st.sampled_from(ranges))
            k = draw(st.integers(start, end - 1))
            out[k] ^= draw(st.integers(1, 255))
        return bytes(out)

    @st.composite
    def spliced(draw):
        k = draw(st.integers(0, n))
        return data[:k] + draw(st.binary(min_size=1, max_size=64)) + data[k:]

    @st.composite
    def cut(draw):
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a + 1, min(n, a + 4096)))
        return data[:a] + data[b:]

    return st.one_of(truncated, flipped(), spliced(), cut())


def test_damage_strategy_hits_the_deflate_streams():
    data = (RASTER_DATA / "gut.xlsx").read_bytes()
    ranges = deflate_ranges(data)
    assert len(ranges) >= 3
    # The ranges are the compressed data: decompressing one gives the member's text.
    import zlib

    start, end = max(ranges, key=lambda r: r[1] - r[0])
    assert zlib.decompressobj(-15).decompress(data[start:end])[:5] in (b"<?xml", b"<work", b"<shar", b"<work")


# -- cell values ---------------------------------------------------------------------------------

_TEXTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
#: What people and programs put into cells: text of every kind, formulas, dates, numbers, IRIs.
#: (No control characters but line breaks and tabs: a spreadsheet program cannot store them.)
CELL = st.one_of(
    st.none(),
    st.text(st.one_of(st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from("\n\t")), max_size=60),
    st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "+49 2324 2043456", "a.b@example.org",
                     "31.02.2026", "2026-13-01", "12.2026", "2027", "01.01.1800", "http://", "www", "id:",
                     "https://w3id.org/inko/id/", "Bildung und Kultur", "Hattingen", "lp:erwerbsalter",
                     "x" * 5000, "\u202e\ufeff", "; ; ;", "\n\n"]),
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(date(1, 1, 1), date(9999, 12, 31)),
    st.booleans(),
)


# -- the Raster ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def raster(settings):
    from inko_graph.raster.importer import import_raster
    from inko_graph.raster.template import workbook_bytes

    target = Target(world_store)
    template = workbook_bytes(target.store, settings, town="Hattingen", year=2026)
    return target, template, import_raster


@bounded(40)
@given(data=damaged((RASTER_DATA / "gut.xlsx").read_bytes()))
def test_raster_damaged_workbook_is_refused_or_read(raster, settings, data):
    target, _, import_raster = raster
    target.attempt(lambda store: import_raster(data, "gut.xlsx", store, settings, now=NOW))


@bounded(25)
@given(actor=st.dictionaries(st.sampled_from(sorted(GOOD_ACTOR)), CELL, max_size=4),
       cells=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 9), CELL), max_size=6))
def test_raster_random_cell_values(raster, settings, actor, cells):
    target, template, import_raster = raster
    rows = [list(r) for r in GOOD_ROWS]
    for r, c, v in cells:
        rows[r][c] = v
    data = to_bytes(fill_workbook(template, dict(GOOD_ACTOR, **actor), rows))
    target.attempt(lambda store: import_raster(data, "raster.xlsx", store, settings, now=NOW))


_GOOD_CSV = (RASTER_DATA / "gut.csv").read_text(encoding="utf-8")


@bounded(40)
@given(edits=st.lists(st.tuples(st.integers(0, len(_GOOD_CSV)), st.integers(0, 40), _TEXTS), max_size=4),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
def test_raster_csv_with_random_text(raster, settings, edits, encoding):
    target, _, import_raster = raster
    text = _GOOD_CSV
    for at, length, new in edits:
        text = text[:at] + new + text[at + length:]
    data = text.encode(encoding, errors="replace")
    target.attempt(lambda store: import_raster(data, "raster.csv", store, settings, now=NOW))


# -- the monitoring CSV --------------------------------------------------------------------------

_MONITORING_CSV = (PROJECT_ROOT / "tests" / "data" / "monitoring" / "gut-2012.csv").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def monitoring():
    from monitoring_fixtures import fixture_store

    return Target(fixture_store)


@bounded(60)
@given(edits=st.lists(st.tuples(st.integers(0, len(_MONITORING_CSV)), st.integers(0, 30),
                                st.one_of(_TEXTS, st.sampled_from([";", ",", "\t", "\n", '"', "1,5", "1.000,5",
                                                                    "-0", "1e400", "NaN", "2012-2013", "Q1/2012"]))),
                      max_size=5),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
       raw=st.one_of(st.none(), st.binary(max_size=200)))
def test_monitoring_csv_with_random_text(monitoring, edits, encoding, raw):
    from inko_graph.monitoring.csvimport import import_bytes

    text = _MONITORING_CSV
    for at, length, new in edits:
        text = text[:at] + new + text[at + length:]
    data = raw if raw is not None else text.encode(encoding, errors="replace")
    monitoring.attempt(lambda store: import_bytes(store, data, "werte.csv", now=NOW))


# -- the sources of graph_data/ ------------------------------------------------------------------

_TURTLE = sorted((PROJECT_ROOT / "graph_data").rglob("*.ttl"), key=lambda p: p.stat().st_size)[:6]
_CURATED = sorted((PROJECT_ROOT / "graph_data" / "kuratiert").glob("*.csv"))[:3]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-quellen")


@bounded(60)
@given(source=st.sampled_from(_TURTLE), data=st.data())
def test_turtle_source_damaged_is_a_syntax_error_with_its_place(scratch, source, data):
    from inko_graph.load.sources import parse_rdf_file

    raw = source.read_bytes()
    broken = data.draw(st.one_of(damaged_text(raw), st.binary(max_size=300)))
    path = scratch / source.name
    path.write_bytes(broken)
    try:
        parse_rdf_file(path)
    except InkoError as e:
        assert source.name in str(e)


def damaged_text(raw: bytes):
    n = len(raw)
    return st.one_of(
        st.integers(0, n - 1).map(lambda k: raw[:k]),
        st.tuples(st.integers(0, n - 1), st.sampled_from([b"<", b">", b'"', b"\\", b"@", b".", b";", b"\xff", b"#",
                                                          b"\\u00", b"'''", b"^^", b"_:"]))
        .map(lambda t: raw[:t[0]] + t[1] + raw[t[0]:]),
    )


@pytest.mark.skipif(not _CURATED, reason="keine kuratierten CSV-Dateien")
@bounded(30)
@given(source=st.sampled_from(_CURATED or [Path("x")]), data=st.data())
def test_curated_csv_damaged_is_refused_with_its_place(scratch, source, data):
    from inko_graph.load.sources import read_curated_csv

    raw = source.read_bytes()
    broken = data.draw(st.one_of(damaged_text(raw), st.binary(max_size=300)))
    path = scratch / source.name
    path.write_bytes(broken)
    try:
        read_curated_csv(path)
    except InkoError as e:
        assert source.name in str(e)


# -- the Konzept workbook --------------------------------------------------------------------------

konzept_importer = pytest.importorskip("inko_graph.konzept.importer") if (
    PROJECT_ROOT / "inko_graph" / "konzept" / "importer.py").exists() else None


@pytest.fixture(scope="module")
def konzept(store, settings):
    if konzept_importer is None:
        pytest.skip("kein Konzept-Import")
    from konzept_fixtures import fill, template, to_bytes as book_bytes

    def make():
        fresh = OxigraphStore.memory()
        fresh.load_quads(store.quads())
        return fresh

    target = Target(make)
    blank = template(target.store, settings)
    good = book_bytes(fill(blank))
    return target, good


@bounded(30)
@given(data=st.data())
def test_konzept_damaged_workbook_is_refused_or_read(konzept, settings, data):
    target, good = konzept
    broken = data.draw(damaged(good))
    target.attempt(lambda store: konzept_importer.import_file(broken, "konzept.xlsx", store, settings))
