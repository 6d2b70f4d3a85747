"""A real server process on an on-disk store, with the CLI beside it: accepted writes survive a
rebuild and a rebuild from scratch, a deletion stays a deletion, the server sees a rebuild
without a restart, and readers work while the server holds the store."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent.parent / "data"
TOKEN = "test-token-0123456789"
G = "https://w3id.org/inko/graph/test-gsp"
G2 = "https://w3id.org/inko/graph/test-update"
RASTER = "https://w3id.org/inko/graph/raster/"


def _env(tmp: Path) -> dict:
    env = dict(os.environ)
    env.update({"INKO_DATA_DIR": str(tmp / "data"), "INKO_STORE": str(tmp / "store"), "INKO_WRITE_TOKEN": TOKEN,
                "INKO_QUERY_WORKERS": "1", "INKO_CACHE_DIR": str(Path.home() / ".cache" / "inko-graph")})
    env.pop("INKO_TEST_KILL_AT", None)
    return env


def cli(tmp: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-c", "import sys; from inko_graph.cli import main; sys.exit(main())", *args],
                       env=_env(tmp), cwd=tmp, capture_output=True, text=True, timeout=240)
    assert "Traceback" not in r.stderr, r.stderr
    if check:
        assert r.returncode == 0, r.stderr
    return r


def build_here(tmp: Path) -> None:
    """``inko-graph build`` for this deployment, in this process (quicker than a new one)."""
    from inko_graph.load.build import build
    from inko_graph.settings import Settings

    s = Settings.from_env(env={k: v for k, v in _env(tmp).items() if k.startswith("INKO_")},
                          extra={"cache_dir": _env(tmp)["INKO_CACHE_DIR"]})
    del build(s).store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("einsatz")
    shutil.copytree(ROOT / "graph_data", tmp / "data")
    build_here(tmp)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from inko_graph.cli import main; sys.exit(main())",
                             "serve", "--port", str(port)], env=_env(tmp), cwd=tmp,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("Der Server startete nicht: " + (proc.stderr.read() if proc.stderr else ""))
        time.sleep(0.1)
    with httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        yield tmp, http, proc
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=20)
    proc.stdout.close()  # unclosed, they fail a later test as a ResourceWarning
    proc.stderr.close()


def ask(http, query: str) -> bool:
    r = http.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


def test_the_command_line_works_beside_the_server(deployment):
    """Readers open the store read-only; an import is recorded in the journal and the running
    server applies it at its next request."""
    tmp, http, _ = deployment
    r = cli(tmp, "stats")
    assert "Tripel" in r.stdout
    example = sorted((tmp / "data" / "raster").glob("*.csv"))[0]
    r = cli(tmp, "raster", "import", str(example))
    assert "Gespeichert" in r.stdout and "laufende Server" in r.stdout
    from inko_graph.store import journal
    from inko_graph.settings import Settings

    (entry,) = journal.entries(Settings.from_env(env={"INKO_STORE": str(tmp / "store")}))
    (graph, triples), = entry.replace.items()
    stamp = next(t.object for t in triples if t.predicate.value.endswith("generatedAtTime"))
    assert ask(http, f"ASK {{ GRAPH <{graph}> {{ <{graph}> <http://www.w3.org/ns/prov#generatedAtTime> {stamp} }} }}")


def test_accepted_writes_survive_rebuilds_and_the_server_sees_them(deployment):
    tmp, http, proc = deployment
    r = http.put("/rdf-graphs/service", params={"graph": G}, content=b"<urn:x:a> <urn:x:b> \"gsp\" .",
                 headers={"Content-Type": "text/turtle"})
    assert r.status_code == 201, r.text
    r = http.post("/sparql/update", content=f'INSERT DATA {{ GRAPH <{G2}> {{ <urn:x:c> <urn:x:d> "update" }} }}',
                  headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 204, r.text
    r = http.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                              f"FILTER(STRSTARTS(STR(?g), \"{RASTER}\")) }} ORDER BY ?g LIMIT 1"},
                 headers={"Accept": "application/sparql-results+json"})
    raster = r.json()["results"]["bindings"][0]["g"]["value"]
    assert http.delete("/rdf-graphs/service", params={"graph": raster}).status_code == 204

    # A change in graph_data/, built beside the running server: the server answers with it, no restart.
    vocab = tmp / "data" / "vokabular" / "akteursarten.ttl"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace('"Arten von Akteuren"@de', '"Arten der Akteure"@de'),
                     encoding="utf-8")
    assert not ask(http, 'ASK { ?s ?p "Arten der Akteure"@de }')
    build_here(tmp)
    assert ask(http, 'ASK { ?s ?p "Arten der Akteure"@de }')
    assert proc.poll() is None
    # ... with every accepted write, and the deletion still a deletion.
    assert ask(http, 'ASK { <urn:x:a> <urn:x:b> "gsp" }')
    assert ask(http, 'ASK { <urn:x:c> <urn:x:d> "update" }')
    assert http.get("/rdf-graphs/service", params={"graph": raster}).status_code == 404
    # Writes after the rebuild go to the new database and are kept too.
    r = http.post("/rdf-graphs/service", params={"graph": G}, content=b"<urn:x:a> <urn:x:b> \"zwei\" .",
                  headers={"Content-Type": "text/turtle"})
    assert r.status_code == 204
    assert ask(http, 'ASK { <urn:x:a> <urn:x:b> "zwei" }')
    assert len(list((tmp / "store").glob("db-*"))) <= 2  # the server's old database goes at the next build

    # A rebuild from scratch (the store deleted) has them all: the journal is the record.
    shutil.copytree(tmp / "store-journal", tmp / "journal-kopie")
    env_tmp = tmp / "neu"
    env_tmp.mkdir()
    shutil.copytree(tmp / "data", env_tmp / "data")
    shutil.copytree(tmp / "journal-kopie", env_tmp / "store-journal")
    build_here(env_tmp)
    from inko_graph.store import open_store

    st = open_store(env_tmp / "store", read_only=True)
    assert sorted(r["o"].value for r in st.query("SELECT ?o WHERE { <urn:x:a> <urn:x:b> ?o }")) == ["gsp", "zwei"]
    assert st.query("ASK { <urn:x:c> <urn:x:d> \"update\" }")
    assert raster not in st.graph_names()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
