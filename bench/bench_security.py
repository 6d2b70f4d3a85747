"""Figures for docs/security.md: the hostile catalogue with a probe, the SERVICE catalogue against a
listener, and what the check before each query costs.

    .venv/bin/python bench/bench_security.py

Starts the server of the tests in a process of its own (tests/hostile_server.py) and prints
Markdown tables: per hostile request (tests/data/hostile/requests.json) the status, the seconds to
the answer and the longest wait of a probe (a fresh query every 50 ms) meanwhile; the number of
SERVICE/LOAD spellings sent (tests/data/hostile/remote_*.txt) and the connections that reached
the listener; the check's cost for the named queries (first time and repeated).
"""

from __future__ import annotations

import glob
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "server"))  # the hostile requests and the SPARQL probes of the tests

from test_security_hostile import CASES, Probe, _send, _workers  # noqa: E402
from test_security_sparql import QUERIES, UPDATES, Listener  # noqa: E402


def _start(tokens: Path):
    from inko_graph.tokens import create_token

    create_token(tokens, "https://w3id.org/inko/id/akteur/vhs-hattingen", "https://w3id.org/inko/id/gebiet/hattingen")
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "hostile_server.py"), str(tokens)],
                            stdout=subprocess.PIPE, text=True)
    port = int(proc.stdout.readline())
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    return proc, port, url


def hostile(proc, port, url) -> None:
    print("| Anfrage | Status | Sekunden | längste Wartezeit der Probe (s) | Arbeitsprozesse gleich |")
    print("| --- | --- | --- | --- | --- |")
    for case in CASES:
        time.sleep(0.3)
        before = _workers(proc.pid)
        with Probe(url) as probe:
            time.sleep(0.2)
            t0 = time.monotonic()
            status, _ = _send(port, case, timeout=case["within"] + 5)
            took = time.monotonic() - t0
            time.sleep(0.2)
        kept = "ja" if _workers(proc.pid) == before else "nein"
        print(f"| {case['name']} | {status} | {took:.2f} | {max(probe.times):.3f} | {kept} |", flush=True)


def remote(url: str) -> None:
    lst = Listener()
    sent = refused = 0
    with httpx.Client(base_url=url, timeout=30) as c:
        for _, text in QUERIES:
            q = text.replace("{URL}", lst.url).replace("{SELF}", url + "/sparql")
            for r in (c.get("/sparql", params={"query": q}),
                      c.post("/sparql", content=q.encode(), headers={"Content-Type": "application/sparql-query"}),
                      c.post("/sparql", data={"query": q})):
                sent += 1
                refused += r.status_code in (400, 403)
        for _, text in UPDATES:
            u = text.replace("{URL}", lst.url)
            r = c.post("/sparql", content=u.encode(), headers={"Content-Type": "application/sparql-update"})
            sent += 1
            refused += r.status_code in (400, 403)
    reached = lst.settled_count()
    lst.close()
    print(f"\nSERVICE/LOAD: {len(QUERIES)} Schreibweisen für Abfragen (GET, POST direkt, Formular) und "
          f"{len(UPDATES)} für Änderungen: {sent} Anfragen, {refused} abgelehnt, {reached} Verbindungen beim Lauscher.")


def check_cost() -> None:
    from inko_graph.server.limits import VERDICTS, inspect_query

    texts = [Path(p).read_text(encoding="utf-8") for p in sorted(glob.glob(str(ROOT / "queries" / "*.rq")))]
    VERDICTS.clear()
    inspect_query("ASK {}")  # loads the grammar
    t0 = time.perf_counter()
    for t in texts:
        inspect_query(t)
    cold = (time.perf_counter() - t0) / len(texts)
    t0 = time.perf_counter()
    for _ in range(10):
        for t in texts:
            inspect_query(t)
    warm = (time.perf_counter() - t0) / (10 * len(texts))
    print(f"\nPrüfung vor der Ausführung, {len(texts)} benannte Abfragen: erstes Mal im Mittel {cold * 1000:.1f} ms, "
          f"wiederholt (Zwischenspeicher) {warm * 1_000_000:.0f} µs je Abfrage.")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        proc, port, url = _start(Path(tmp) / "tokens.json")
        try:
            hostile(proc, port, url)
            remote(url)
        finally:
            proc.terminate()
            proc.wait(10)
    check_cost()
    return 0


if __name__ == "__main__":
    sys.exit(main())
