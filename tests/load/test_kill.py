"""SIGKILL at named points of a write, an import and a build (``INKO_TEST_KILL_AT``, see
``inko_graph/faults.py``): the process dies as in a power cut; afterwards a restart comes up
with the last good state, nothing accepted is lost, and the next try leaves no debris."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from inko_graph.load.build import ensure_built
from inko_graph.settings import Settings
from inko_graph.store import journal

ROOT = Path(__file__).resolve().parents[2]
G = "https://w3id.org/inko/graph/statistik/kill-test"
CHILD_COMMIT = """
import pyoxigraph as ox
from inko_graph.store import journal
from inko_graph.load.build import ensure_built
from inko_graph.settings import Settings
s = Settings.from_env()
st = ensure_built(s)
t = ox.Triple(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("neu"))
journal.commit(s, st, replace={%r: [t]}, kind="test")
print("fertig")
""" % G


def _env(base: Path, kill: str | None) -> dict:
    env = dict(os.environ)
    env.update({"INKO_STORE": str(base / "store"), "INKO_CACHE_DIR": str(Path.home() / ".cache" / "inko-graph")})
    env.pop("INKO_TEST_KILL_AT", None)
    if kill:
        env["INKO_TEST_KILL_AT"] = kill
    return env


def _run(base: Path, args: list[str], kill: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], env=_env(base, kill), cwd=ROOT, capture_output=True, text=True,
                          timeout=240)


def _cli(*args: str) -> list[str]:
    return ["-c", "import sys; from inko_graph.cli import main; sys.exit(main())", *args]


@pytest.fixture(scope="module")
def built(tmp_path_factory, built_on_disk):
    """A built store, the template every test copies: the session's on-disk build (conftest). What is
    tested is the killed child later, not how the template came about (the killed builds run the
    command line)."""
    from built_store import copy_built

    base = tmp_path_factory.mktemp("vorlage")
    copy_built(built_on_disk, base / "store")
    assert (base / "store" / "current").exists()
    return base


@pytest.fixture
def deployment(built, tmp_path):
    base = tmp_path / "einsatz"
    shutil.copytree(built, base, symlinks=True)
    return base


def _settings(base: Path) -> Settings:
    return Settings.from_env(env={"INKO_STORE": str(base / "store")}, extra={"cache_dir": str(Path.home() / ".cache" / "inko-graph")})


def _commit_here(base: Path) -> None:
    """The write of CHILD_COMMIT, unkilled, in this process (quicker than a new one)."""
    import pyoxigraph as ox

    s = _settings(base)
    st = ensure_built(s)
    journal.commit(s, st, replace={G: [ox.Triple(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("neu"))]},
                   kind="test")
    del st


def _build_here(base: Path) -> None:
    from inko_graph.load.build import build

    del build(_settings(base)).store


def _state(base: Path):
    """Restart: open the store as a server would (catching up the journal); its graph G and size."""
    st = ensure_built(_settings(base))
    triples = sorted(q.object.value for q in st.quads(G))
    size = len(st)
    target = os.readlink(base / "store" / "current")
    del st
    return triples, size, target


@pytest.mark.parametrize("point", ["journal.nach-fsync"])
def test_killed_before_the_entry_is_in_place_nothing_changed(deployment, point):
    before = _state(deployment)
    r = _run(deployment, ["-c", CHILD_COMMIT], kill=point)
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert _state(deployment) == before
    assert journal.entries(_settings(deployment)) == []
    # The next write succeeds and clears what the killed one left.
    _commit_here(deployment)
    assert _state(deployment)[0] == ["neu"]
    assert not list((deployment / "store-journal").glob(".*.tmp*"))


@pytest.mark.parametrize("point", ["journal.nach-umbenennen", "journal.nach-anwenden"])
def test_killed_after_the_entry_is_in_place_the_write_is_kept(deployment, point):
    r = _run(deployment, ["-c", CHILD_COMMIT], kill=point)
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert [e.kind for e in journal.entries(_settings(deployment))] == ["test"]
    assert _state(deployment)[0] == ["neu"]  # the restart applied it
    if point == "journal.nach-umbenennen":  # ... and a rebuild keeps it
        _build_here(deployment)
        assert _state(deployment)[0] == ["neu"]


def test_killed_raster_import_on_the_command_line_is_kept_or_absent_never_half(deployment):
    example = sorted((ROOT / "graph_data" / "raster").glob("*.csv"))[0]
    before = _state(deployment)
    r = _run(deployment, _cli("raster", "import", str(example)), kill="journal.nach-fsync")
    assert r.returncode == -signal.SIGKILL
    assert _state(deployment) == before
    r = _run(deployment, _cli("raster", "import", str(example)), kill="journal.nach-umbenennen")
    assert r.returncode == -signal.SIGKILL
    entries = journal.entries(_settings(deployment))
    assert [e.kind for e in entries] == ["raster"]
    graph = next(iter(entries[0].replace))
    st = ensure_built(_settings(deployment))
    assert len(list(st.quads(graph))) == len(entries[0].replace[graph]) > 0


@pytest.mark.parametrize("point", ["speicher.vor-umschalten"])
def test_killed_build_leaves_the_old_store_and_the_next_build_cleans_up(deployment, point):
    _commit_here(deployment)
    before = _state(deployment)
    r = _run(deployment, _cli("build"), kill=point)
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert _state(deployment) == before
    assert len(list((deployment / "store").glob("db-*"))) == 2  # the killed build's database is left ...
    _build_here(deployment)
    after = _state(deployment)
    assert after[:2] == before[:2] and after[2] != before[2]
    assert [p.name for p in (deployment / "store").glob("db-*")] == [after[2]]  # ... until the next build


def test_killed_right_after_the_switch_the_new_store_is_complete(deployment):
    _commit_here(deployment)
    before = _state(deployment)
    r = _run(deployment, _cli("build"), kill="speicher.nach-umschalten")
    assert r.returncode == -signal.SIGKILL
    after = _state(deployment)
    assert after[:2] == before[:2] and after[2] != before[2]
