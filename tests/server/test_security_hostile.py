"""The hostile catalogue (``tests/data/hostile/requests.json``) as a regression test.

The server runs in a process of its own (``tests/hostile_server.py``). Each hostile request must
be refused or stopped within its limit, with the expected status and a German answer, while a
probe (another client) keeps asking fresh queries and must be answered meanwhile. Where the case
says so, the query worker processes must be the same before and after (none killed).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from inko_graph.tokens import create_token

HERE = Path(__file__).parent.parent
CASES = json.loads((HERE / "data" / "hostile" / "requests.json").read_text(encoding="utf-8"))["cases"]
#: Longest a probe may wait while a hostile request is handled, at least; on a busy machine three
#: times the longest wait of probes just before the case (CI machines are shared).
PROBE_SECONDS = 2.0


def _value(v):
    if isinstance(v, dict) and "repeat" in v:
        return v.get("prefix", "") + v["repeat"] * v["times"] + v.get("suffix", "")
    if isinstance(v, list):
        return [_value(x) for x in v]
    return v


def _request_bytes(case: dict) -> tuple[bytes, list[bytes]]:
    """The request head (and body) as bytes, and the chunks to send after it."""
    path = case["path"]
    if case.get("params"):
        path += "?" + urlencode({k: _value(v) for k, v in case["params"].items()}, doseq=True)
    headers = {"Host": "127.0.0.1", "Connection": "close"}
    headers.update({k: _value(v) for k, v in case.get("headers", {}).items()})
    lines = [f"{k}: {v}" for k, v in headers.items()]
    lines += [f"X-Zeile-{i}: x" for i in range(case.get("many_headers", 0))]
    body, chunks = b"", []
    if "body" in case:
        body = _value(case["body"]).encode("utf-8")
    elif "form" in case:
        body = urlencode({k: _value(v) for k, v in case["form"].items()}).encode()
        lines.append("Content-Type: application/x-www-form-urlencoded")
    elif "raw_body" in case:
        body = case["raw_body"].encode("utf-8") + (b"\xff\xfe" if case.get("bad_utf8") else b"")
    if case.get("content_type"):
        lines.append(f"Content-Type: {case['content_type']}")
    if "chunked" in case:
        lines.append("Transfer-Encoding: chunked")
        data = _value(case["chunked"]).encode()
        step = 65536
        chunks = [b"%x\r\n%s\r\n" % (len(data[i:i + step]), data[i:i + step]) for i in range(0, len(data), step)]
        chunks.append(b"0\r\n\r\n")
    elif "declared_length" in case:
        lines.append(f"Content-Length: {case['declared_length']}")
    elif body or case["method"] == "POST":
        lines.append(f"Content-Length: {len(body)}")
    head = f"{case['method']} {path} HTTP/1.1\r\n" + "".join(line + "\r\n" for line in lines) + "\r\n"
    return head.encode("utf-8") + body, chunks


def _send(port: int, case: dict, timeout: float) -> tuple[int, str]:
    data, chunks = _request_bytes(case)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
            for c in chunks:
                sock.sendall(c)
        except OSError:
            pass  # the server may answer and close before it has all; the answer is what counts
        answer = b""
        try:
            while True:
                part = sock.recv(65536)
                if not part:
                    break
                answer += part
        except OSError:
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else 0
    return status, body.decode("utf-8", "replace")


def _workers(pid: int) -> set[int]:
    """The query worker processes of the server (not its parse processes)."""
    out = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
        except OSError:
            continue
        for c in children:
            try:
                if b"query_worker" in Path(f"/proc/{c}/cmdline").read_bytes():
                    out.add(int(c))
            except OSError:
                pass
    return out


class Probe:
    """Another client: asks a fresh query (parse and worker, no cache) every 50 ms."""

    def __init__(self, url: str):
        self.url, self.times, self.errors, self._stop = url, [], [], threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        with httpx.Client(base_url=self.url, timeout=30) as c:
            n = 0
            while not self._stop.is_set():
                n += 1
                t0 = time.monotonic()
                r = c.get("/sparql", params={"query": f"ASK {{ ?s ?p ?o }} # Probe {time.time_ns()} {n}"})
                self.times.append(time.monotonic() - t0)
                if r.status_code != 200:
                    self.errors.append(r.status_code)
                self._stop.wait(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join(35)

    def wait_for_answer(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.times and time.monotonic() < deadline:
            time.sleep(0.02)


def _baseline(url: str) -> float:
    """The longest of a few probes without a hostile request: how busy the machine is now."""
    times = []
    with httpx.Client(base_url=url, timeout=30) as c:
        for n in range(5):
            t0 = time.monotonic()
            c.get("/sparql", params={"query": f"ASK {{ ?s ?p ?o }} # Grundlinie {time.time_ns()} {n}"})
            times.append(time.monotonic() - t0)
    return max(times)



@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tokens = tmp_path_factory.mktemp("feindlich") / "tokens.json"
    create_token(tokens, "https://w3id.org/inko/id/akteur/vhs-hattingen", "https://w3id.org/inko/id/gebiet/hattingen")
    proc = subprocess.Popen([sys.executable, str(HERE / "hostile_server.py"), str(tokens)], stdout=subprocess.PIPE,
                            text=True)
    port = int(proc.stdout.readline())
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)
    yield proc, port, url
    proc.terminate()
    proc.wait(10)
    proc.stdout.close()


def test_catalogue_is_broad():
    assert len(CASES) >= 20
    assert sum(1 for c in CASES if c.get("workers_kept")) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile_request_is_refused_or_stopped_while_others_are_served(server, case):
    proc, port, url = server
    limit = max(PROBE_SECONDS, 3 * _baseline(url))
    before = _workers(proc.pid)
    with Probe(url) as probe:
        time.sleep(0.1)
        t0 = time.monotonic()
        status, text = _send(port, case, timeout=case["within"] + 5)
        took = time.monotonic() - t0
        probe.wait_for_answer(limit)
    assert status in case["expect"], (status, text[:300])
    assert took < case["within"], f"{took:.2f} s"
    if status >= 400:
        assert "Traceback" not in text and text.strip(), text[:300]
    if case.get("says"):
        assert case["says"] in text
    assert probe.times, "no probe was answered"
    assert max(probe.times) < limit, f"a probe waited {max(probe.times):.2f} s (limit {limit:.2f} s)"
    assert not probe.errors, probe.errors
    if case.get("workers_kept"):
        assert len(before) == 2 and _workers(proc.pid) == before, "a query worker was killed"
    assert proc.poll() is None, "the server died"
    # A parse process stopped at its time limit is replaced; let the new one load before the next case.
    time.sleep(case.get("settle_after", 0))
