"""SIGKILL of the server in the middle of an accepted write (Graph Store PUT): after a restart the
write is there if its journal entry was in place, and absent (never half) if it was not."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from inko_graph.store import commit_store_dir, new_store_dir

DATA = Path(__file__).parent.parent / "data" / "server" / "protokoll.trig"
TOKEN = "test-token-0123456789"
G = "https://w3id.org/inko/graph/statistik/server-kill"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(store: Path, kill: str | None):
    port = _port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("INKO_")}
    env.update({"INKO_WRITE_TOKEN": TOKEN, "INKO_QUERY_WORKERS": "1"})
    if kill:
        env["INKO_TEST_KILL_AT"] = kill
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from inko_graph.cli import main; sys.exit(main())",
                             "--store", str(store), "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5)
            return proc, url
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("Der Server startete nicht: " + proc.stderr.read())
            time.sleep(0.05)


def _put(url: str, text: str):
    return httpx.put(url + "/rdf-graphs/service", params={"graph": G}, content=text.encode(),
                     headers={"Content-Type": "text/turtle", **AUTH}, timeout=30)


def test_server_killed_during_a_write_comes_back_with_the_last_good_state(tmp_path):
    store = tmp_path / "speicher"
    target = new_store_dir(store)
    inner = ox.Store(str(target))
    inner.bulk_extend(ox.parse(path=str(DATA), format=ox.RdfFormat.TRIG))
    inner.flush()
    del inner
    commit_store_dir(store, target)

    proc, url = _start(store, "journal.nach-fsync")  # dies before the entry is renamed into place
    with pytest.raises(httpx.TransportError):
        _put(url, '<urn:x:a> <urn:x:b> "verloren" .')
    assert proc.wait(timeout=20) < 0
    proc.stderr.close()

    proc, url = _start(store, "journal.nach-umbenennen")  # dies after the entry is in place, before applying
    assert httpx.get(url + "/rdf-graphs/service", params={"graph": G}).status_code == 404
    with pytest.raises(httpx.TransportError):
        _put(url, '<urn:x:a> <urn:x:b> "behalten" .')
    assert proc.wait(timeout=20) < 0
    proc.stderr.close()

    proc, url = _start(store, None)
    try:
        r = httpx.get(url + "/rdf-graphs/service", params={"graph": G}, headers={"Accept": "application/n-triples"})
        assert r.status_code == 200 and '"behalten"' in r.text and "verloren" not in r.text
        assert _put(url, '<urn:x:a> <urn:x:b> "weiter" .').status_code == 204  # and it goes on accepting
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        proc.stderr.close()
    assert not list((tmp_path / "speicher-journal").glob(".*.tmp*"))
