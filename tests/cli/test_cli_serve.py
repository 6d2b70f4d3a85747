"""``inko-graph serve`` as a user starts it: on an on-disk store, answering on the given port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from inko_graph.store import commit_store_dir, new_store_dir

DATA = Path(__file__).parent.parent / "data" / "server" / "protokoll.trig"


def test_serve_prints_the_address_and_answers(tmp_path):
    store_dir = tmp_path / "speicher"
    target = new_store_dir(store_dir)
    inner = ox.Store(str(target))
    inner.bulk_extend(ox.parse(path=str(DATA), format=ox.RdfFormat.TRIG))
    inner.flush()
    del inner
    commit_store_dir(store_dir, target)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "inko-graph"
    env = {k: v for k, v in os.environ.items() if not k.startswith("INKO_")}
    proc = subprocess.Popen([str(exe), "--store", str(store_dir), "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        first = proc.stdout.readline()
        assert f"läuft unter http://127.0.0.1:{port}/" in first
        assert "Nur lesend" in proc.stdout.readline()
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/sparql",
                              params={"query": "ASK { <http://example.org/protokoll/a> ?p \"eins\" }"}, timeout=10)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None, "der Server antwortet nicht"
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["boolean"] is True
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()


def test_the_start_message_names_uploads_and_sparql_update_each_as_on_or_off(settings, tmp_path):
    from inko_graph.cli.serve import access_lines

    keys = settings.with_(tokens_file=tmp_path / "schluessel.json")
    lines = " ".join(access_lines(keys))
    assert "Nur lesend" not in lines
    assert "Hochladen ist eingeschaltet" in lines and "Zugangsschlüssel" in lines
    assert "SPARQL Update ist abgeschaltet (INKO_WRITE_TOKEN ist nicht gesetzt)" in lines
    both = " ".join(access_lines(keys.with_(write_token="geheim")))
    assert "Hochladen ist eingeschaltet" in both and "SPARQL Update ist eingeschaltet" in both
    update = " ".join(access_lines(settings.with_(write_token="geheim")))
    assert "Hochladen ist abgeschaltet" in update and "SPARQL Update ist eingeschaltet" in update
    assert access_lines(settings)[0].startswith("Nur lesend")
    assert access_lines(keys, read_only=True)[0].startswith("Nur lesend: Der Speicher")
