"""``inko-graph load``: one named graph replaced without touching the others, whole datasets bulk
loaded into a new database; bad input changes nothing."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from inko_graph.cli import main
from inko_graph.cli.load import _Reading
from inko_graph.store import open_store

EX = "https://example.org/"


def _ttl(tmp_path: Path, name: str, n: int, word: str = "a") -> Path:
    p = tmp_path / name
    p.write_text("".join(f'<{EX}{word}{i}> <{EX}p> "{word} {i}"@de .\n' for i in range(n)), encoding="utf-8")
    return p


def _graphs(store_dir: Path) -> dict[str, int]:
    store = open_store(store_dir, read_only=True)
    try:
        return {g: sum(1 for _ in store.quads(g)) for g in store.graph_names()}
    finally:
        del store


def test_load_one_graph_leaves_the_others(tmp_path, capsys):
    st = tmp_path / "store"
    assert main(["--store", str(st), "load", str(_ttl(tmp_path, "a.ttl", 5)), "--graph", EX + "g/a"]) == 0
    assert main(["--store", str(st), "load", str(_ttl(tmp_path, "b.ttl", 3, "b")), "--graph", EX + "g/b"]) == 0
    assert _graphs(st) == {EX + "g/a": 5, EX + "g/b": 3}
    # Loading a again replaces a (not adds to it) and leaves b alone.
    assert main(["--store", str(st), "load", str(_ttl(tmp_path, "a2.ttl", 2, "c")), "--graph", EX + "g/a"]) == 0
    assert _graphs(st) == {EX + "g/a": 2, EX + "g/b": 3}
    assert "die übrigen Graphen bleiben unverändert" in capsys.readouterr().err


def test_load_quads_replaces_the_graphs_of_the_file(tmp_path):
    st = tmp_path / "store"
    assert main(["--store", str(st), "load", str(_ttl(tmp_path, "b.ttl", 3, "b")), "--graph", EX + "g/b"]) == 0
    nq = tmp_path / "x.nq"
    nq.write_text(f'<{EX}s> <{EX}p> <{EX}o> <{EX}g/x> .\n<{EX}s> <{EX}p> <{EX}o2> <{EX}g/y> .\n', encoding="utf-8")
    assert main(["--store", str(st), "load", str(nq)]) == 0
    assert _graphs(st) == {EX + "g/b": 3, EX + "g/x": 1, EX + "g/y": 1}


@pytest.mark.parametrize("content, name, extra, message", [
    (f'<{EX}s> <{EX}p> "kaputt .\n', "kaputt.ttl", ["--graph", EX + "g/a"], "kein gültiges RDF"),
    (f'<{EX}s> <{EX}p> <{EX}o> .\n', "ohne.ttl", [], "braucht --graph"),
    (f'<{EX}s> <{EX}p> <{EX}o> .\n', "x.csv", ["--graph", EX + "g/a"], "Unbekannte Dateiendung"),
    (f'<{EX}s> <{EX}p> <{EX}o> .\n', "x.ttl", ["--graph", "kein iri"], "braucht eine IRI"),
    (f'<{EX}s> <{EX}p> <{EX}o> .\n', "x.nt", ["--graph", EX + "g/a", "--ganz"], "schließen sich aus"),
])
def test_bad_input_exits_2_and_changes_nothing(tmp_path, capsys, content, name, extra, message):
    st = tmp_path / "store"
    assert main(["--store", str(st), "load", str(_ttl(tmp_path, "a.ttl", 4)), "--graph", EX + "g/a"]) == 0
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    assert main(["--store", str(st), "load", str(bad), *extra]) == 2
    assert message in capsys.readouterr().err
    assert _graphs(st) == {EX + "g/a": 4}


def test_whole_dataset_bulk_load_switches_only_when_complete(tmp_path, capsys):
    st = tmp_path / "store"
    nq = tmp_path / "d.nq"
    nq.write_text("".join(f'<{EX}s{i}> <{EX}p> "{i}" <{EX}g/{i % 3}> .\n' for i in range(300)), encoding="utf-8")
    assert main(["--store", str(st), "load", str(nq), "--ganz"]) == 0
    assert _graphs(st) == {EX + "g/0": 100, EX + "g/1": 100, EX + "g/2": 100}
    # A broken file in the middle: the old database stays current and no new one is left behind.
    bad = tmp_path / "bad.nq"
    bad.write_text(nq.read_text(encoding="utf-8") + "<kaputt\n", encoding="utf-8")
    before = sorted(p.name for p in st.glob("db-*"))
    assert main(["--store", str(st), "load", str(bad), "--ganz"]) == 2
    assert "bleibt, wie er war" in capsys.readouterr().err
    assert sorted(p.name for p in st.glob("db-*")) == before
    assert _graphs(st) == {EX + "g/0": 100, EX + "g/1": 100, EX + "g/2": 100}


def test_progress_follows_the_bytes_read(tmp_path):
    p = _ttl(tmp_path, "a.ttl", 200)
    reader = _Reading(p, show=True)
    try:
        assert len(list(ox.parse(reader, format=ox.RdfFormat.TURTLE))) == 200
        task = reader.progress.tasks[0]
        assert task.completed == task.total == p.stat().st_size
    finally:
        reader.close()


def test_bulk_load_reports_the_bytes_it_reads(tmp_path):
    from inko_graph.store.bulk_load import bulk_load_reads
    from inko_graph.store import bulk_load_new

    nq = tmp_path / "d.nq"
    nq.write_text("".join(f'<{EX}s{i}> <{EX}p> "Wert {i}" <{EX}g> .\n' for i in range(500)), encoding="utf-8")
    seen = []
    assert bulk_load_new(tmp_path / "store", nq, ox.RdfFormat.N_QUADS, progress=seen.append) == 500
    assert sum(seen) == nq.stat().st_size * bulk_load_reads(ox.RdfFormat.N_QUADS)
    trig = tmp_path / "d.trig"
    trig.write_text(f"<{EX}g> {{ <{EX}s> <{EX}p> 1 }}", encoding="utf-8")
    seen.clear()
    assert bulk_load_new(tmp_path / "store", trig, ox.RdfFormat.TRIG, progress=seen.append) == 1
    assert sum(seen) == trig.stat().st_size * bulk_load_reads(ox.RdfFormat.TRIG) == 2 * trig.stat().st_size


@pytest.mark.parametrize("broken", [f'<{EX}s> <{EX}p> "offen <{EX}g/1> .\n',
                                    f'<{EX}g/1> <https://w3id.org/inko/def#graphart> <kaputt <{EX}g/m> .\n'],
                         ids=["wert", "graphart"])
def test_broken_line_in_the_middle_is_named_and_changes_nothing(tmp_path, capsys, broken):
    """A broken line in the middle of a whole dataset: the message names its line (also when the
    line is one the first look for curated graphs reads) and the store stays as it was."""
    st = tmp_path / "store"
    nq = tmp_path / "d.nq"
    nq.write_text("".join(f'<{EX}s{i}> <{EX}p> "{i}" <{EX}g/{i % 3}> .\n' for i in range(300)), encoding="utf-8")
    assert main(["--store", str(st), "load", str(nq), "--ganz"]) == 0
    capsys.readouterr()
    lines = nq.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "bad.nq"
    bad.write_text("".join(lines[:149]) + broken + "".join(lines[149:]), encoding="utf-8")
    before = sorted(p.name for p in st.glob("db-*"))
    assert main(["--store", str(st), "load", str(bad), "--ganz"]) == 2
    err = capsys.readouterr().err
    assert "Zeile 150" in err and "bleibt, wie er war" in err and "Traceback" not in err
    assert sorted(p.name for p in st.glob("db-*")) == before
    assert _graphs(st) == {EX + "g/0": 100, EX + "g/1": 100, EX + "g/2": 100}


def test_the_bar_says_when_reading_is_done_and_storing_goes_on():
    from inko_graph.cli.load import _Bar

    bar = _Bar(10)
    try:
        bar.advance(4)
        assert bar.progress.tasks[0].description == "Lesen"
        bar.advance(6)
        assert "Speichern" in bar.progress.tasks[0].description
    finally:
        bar.stop()
