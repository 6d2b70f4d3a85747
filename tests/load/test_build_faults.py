"""A full disk and a read-only folder: a German message, nothing half-written, and the next try after
freeing space succeeds without manual cleanup. Faults are injected at named points
(``INKO_TEST_FAIL_AT``, see ``inko_graph/faults.py``) and, where this machine allows mounting
(root with CAP_SYS_ADMIN, as in CI), on a real small tmpfs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from inko_graph.errors import StorageError, StoreBusy
from inko_graph.load.build import build, ensure_built
from inko_graph.settings import Settings
from inko_graph.store import journal
from inko_graph.store import open_store

CACHE = str(Path.home() / ".cache" / "inko-graph")
G = "https://w3id.org/inko/graph/statistik/platte-test"
T = ox.Triple(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("x"))


def _settings(root: Path) -> Settings:
    return Settings.from_env(env={}, store_path=root / "store", extra={"cache_dir": CACHE})


def _dbs(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "store").glob("db-*"))


@pytest.fixture(scope="module")
def built_once(tmp_path_factory, built_on_disk):
    """The session's on-disk build (conftest), copied: as if built here."""
    from built_store import copy_built

    root = tmp_path_factory.mktemp("platte")
    copy_built(built_on_disk, root / "store")
    return root


def test_full_disk_while_writing_an_entry_changes_nothing(built_once, monkeypatch):
    s = _settings(built_once)
    st = ensure_built(s)
    n = len(st)
    monkeypatch.setenv("INKO_TEST_FAIL_AT", "journal.vor-fsync")
    with pytest.raises(StorageError, match="Datenträger ist voll"):
        journal.commit(s, st, replace={G: [T]}, kind="test")
    assert len(st) == n and journal.entries(s) == []
    assert not list((built_once / "store-journal").glob(".*"))  or all(
        p.name in (".sperre", ".uebernommen-raster", ".uebernommen-speicher") for p in (built_once / "store-journal").glob(".*"))
    monkeypatch.delenv("INKO_TEST_FAIL_AT")
    journal.commit(s, st, replace={G: [T]}, kind="test")
    assert len(st) == n + 1 and len(journal.entries(s)) == 1


def test_full_disk_while_building_keeps_the_old_store_and_leaves_no_database(built_once, monkeypatch):
    s = _settings(built_once)
    before = (_dbs(built_once), os.readlink(built_once / "store" / "current"))
    monkeypatch.setenv("INKO_TEST_FAIL_AT", "build.vor-flush")
    with pytest.raises(StorageError, match="Datenträger ist voll"):
        build(s)
    assert (_dbs(built_once), os.readlink(built_once / "store" / "current")) == before
    monkeypatch.delenv("INKO_TEST_FAIL_AT")
    result = build(s)
    assert _dbs(built_once) == [os.readlink(built_once / "store" / "current")] != before[0]
    del result


# -- a real small file system ---------------------------------------------------------------------

@pytest.fixture
def tmpfs(tmp_path):
    mnt = tmp_path / "klein"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip("mount ist hier nicht erlaubt (ohne Administratorrechte)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _remount(mnt: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mnt)], check=True)


def test_real_full_disk_and_read_only_folder(tmpfs, capsys, monkeypatch):
    monkeypatch.setenv("INKO_CACHE_DIR", CACHE)
    s = _settings(tmpfs)
    # Full: the build fails with a German message and leaves no partial database behind.
    from inko_graph.cli import main

    assert main(["--store", str(tmpfs / "store"), "build"]) == 2
    assert "Datenträger ist voll" in capsys.readouterr().err
    leftovers = [p for p in (tmpfs / "store").glob("db-*") if (tmpfs / "store" / "current").exists()
                 and p.name != os.readlink(tmpfs / "store" / "current")]
    assert leftovers == []
    # Space freed: the next try succeeds without cleaning up by hand.
    _remount(tmpfs, "size=64m")
    del build(s).store
    st = ensure_built(s)
    journal.commit(s, st, replace={G: [T]}, kind="test")
    n = len(st)
    del st
    # Read-only: reading works, writing says why not, and a build changes nothing.
    _remount(tmpfs, "ro")
    st = ensure_built(s)
    assert st.read_only and len(st) == n
    with pytest.raises(StoreBusy, match="nur zum Lesen"):
        journal.commit(s, st, replace={G: []}, kind="test")
    with pytest.raises(StorageError, match="schreibgeschützt"):
        build(s)
    assert len(open_store(s.store_path, read_only=True)) == n
    del st
    # The server starts on the read-only store: it answers queries and refuses writes in German.
    from fastapi.testclient import TestClient

    from inko_graph.server import create_app

    token = "test-token-0123456789"
    with TestClient(create_app(s.with_(write_token=token, query_workers=1))) as http:
        r = http.get("/sparql", params={"query": f"ASK {{ GRAPH <{G}> {{ ?s ?p ?o }} }}"},
                     headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200 and r.json()["boolean"] is True
        r = http.put("/rdf-graphs/service", params={"graph": G}, content=b"<urn:x:a> <urn:x:b> 1 .",
                     headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {token}"})
        assert r.status_code == 503 and "nur zum Lesen" in r.text


def test_outputs_on_a_full_disk_leave_nothing_behind(tmpfs, built_once, capsys):
    """export and viz into a full folder (report writes through the same staging as export):
    German, exit code 2, no file left."""
    from inko_graph.cli import main

    _remount(tmpfs, "size=64k")
    for argv in (["export", "-o", str(tmpfs / "export")], ["viz", "gesamt", "-o", str(tmpfs / "netz.html")]):
        assert main(["--store", str(built_once / "store"), *argv]) == 2
        assert "Datenträger ist voll" in capsys.readouterr().err
    assert sorted(p.name for p in tmpfs.iterdir()) == []
