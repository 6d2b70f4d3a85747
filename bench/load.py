"""Load test: many clients against a real `inko-graph serve` on 127.0.0.1, for a bounded time.

    .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--store ORDNER] [--json DATEI]

Builds the real graph into a temporary store with `inko-graph build` (or uses ``--store``), starts
`inko-graph serve` on a free loopback port, and lets ``--clients`` clients (asyncio, one keep-alive
connection each, HTTP/1.1 written by hand so that the clients cost little) send
requests one after the other for ``--seconds`` seconds. Each request is drawn at random (fixed
seed) from a mix of the kinds users cause:

  cockpit    the cockpit pages (/, /ziele, /luecken, /massnahmen, …, /monitoring)
  abfrage    a named query from queries/*.rq without required parameters, sent to /sparql
  ressource  the page of a goal, measure, actor or field (/id/…), as HTML or Turtle
  ansicht    a network view (/netzwerk/ziel, /akteur, /feld, /abgleich, /gesamt)
  void       the dataset description (/.well-known/void)

Reports throughput, p50/p99/max per kind, errors (status 5xx, connection errors and time-outs;
other statuses are counted apart), the share of answers the server took from its caches (header
``Server-Timing: cache``), the 503 answers that said "busy" (with ``Retry-After``), and the
server's memory curve: resident memory (RSS) of the server process and its query workers, read
from /proc every second. Exit code 1 if there were errors. ``run()`` is what tests/cli/test_load.py calls with a short duration.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

KINDS = ("cockpit", "abfrage", "ressource", "ansicht", "void")
#: Share of each kind in the mix (relative weights).
WEIGHTS = {"cockpit": 3, "abfrage": 3, "ressource": 3, "ansicht": 1, "void": 1}
COCKPIT = ["/", "/ziele", "/luecken", "/ueberschneidungen", "/matrix", "/massnahmen", "/akteure", "/netzwerk",
           "/monitoring"]
HTML = "text/html"


# -- the server -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(folder: Path) -> Path:
    store = folder / "store"
    env = dict(os.environ, INKO_STORE=str(store))
    done = subprocess.run([str(BIN / "inko-graph"), "build"], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"inko-graph build schlug fehl:\n{done.stderr[-3000:]}")
    return store


class Server:
    """`inko-graph serve` in its own process group, so that stopping it ends its workers too."""

    def __init__(self, store: Path, port: int, env: dict | None = None):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = tempfile.TemporaryFile()
        environ = dict(os.environ, INKO_STORE=str(store), **(env or {}))
        environ.pop("INKO_WRITE_TOKEN", None)
        self.proc = subprocess.Popen([str(BIN / "inko-graph"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                     env=environ, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 120) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Der Server endete beim Start:\n{self.output()}")
            try:
                r = httpx.get(self.url + "/sparql", params={"query": "ASK {}"}, timeout=5)
                if r.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"Der Server wurde in {timeout:.0f} s nicht bereit:\n{self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-3000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


# -- memory ---------------------------------------------------------------------------------------

def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        # The name (field 2) may hold spaces; the parent id is the second field after it.
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        out += kids
        todo += kids
    return out


class MemorySampler(threading.Thread):
    """RSS of the server and its query workers (MiB), once a second."""

    def __init__(self, pid: int, interval: float = 1.0):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, float, float]] = []  # (seconds, server MiB, workers MiB)
        self._halt = threading.Event()
        self.t0 = time.monotonic()

    def sample(self) -> None:
        server = _rss_kib(self.pid) / 1024
        workers = sum(_rss_kib(p) for p in _descendants(self.pid)) / 1024
        self.samples.append((round(time.monotonic() - self.t0, 1), round(server, 1), round(workers, 1)))

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(5)
        self.sample()


# -- the mix --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    params: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    body: bytes | None = None


def named_queries() -> list[tuple[str, str]]:
    """(name, text) of every query file whose parameters are all optional."""
    from inko_graph.query.catalogue import parse_query_file

    out = []
    for path in sorted((ROOT / "queries").glob("*.rq")):
        q = parse_query_file(path)
        if not any(p.required for p in q.params):
            out.append((q.name, q.text))
    return out


def _select(client, base: str, query: str) -> list[dict]:
    r = client.post(base + "/sparql", content=query.encode(),
                    headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    r.raise_for_status()
    return r.json()["results"]["bindings"]


def the_mix(base: str) -> dict[str, list[Request]]:
    """Every request of the mix, with IRIs of the served graph (asked from the server itself)."""
    import httpx

    with httpx.Client(timeout=60) as client:
        rows = _select(client, base, """
            SELECT ?s ?k WHERE {
              VALUES ?k { inko:Leitziel inko:Teilziel inko:Massnahme inko:Aktivitaet org:Organization
                          inko:Handlungsfeld inko:Lebensphase }
              ?s a ?k } ORDER BY ?k ?s""")
    by_kind: dict[str, list[str]] = {}
    for row in rows:
        by_kind.setdefault(row["k"]["value"].rsplit("#", 1)[-1], []).append(row["s"]["value"])
    # A fixed, spread-out sample of each kind (at most 20 resources each).
    sample = {k: v[:: max(1, len(v) // 20)][:20] for k, v in by_kind.items()}
    base_iri = "https://w3id.org/inko/"
    resources = [iri for v in sample.values() for iri in v if iri.startswith(base_iri + "id/")]
    if not resources:
        raise RuntimeError("Der Server kennt keine Ressourcen unter /id/ – ist der Graph gebaut?")
    mix: dict[str, list[Request]] = {k: [] for k in KINDS}
    mix["cockpit"] = [Request("cockpit", "GET", p, headers={"Accept": HTML}) for p in COCKPIT]
    for name, text in named_queries():
        mix["abfrage"].append(Request("abfrage", "POST", "/sparql", body=text.encode("utf-8"),
                                      headers={"Content-Type": "application/sparql-query",
                                               "Accept": "application/sparql-results+json"}))
    for i, iri in enumerate(resources):
        accept = "text/turtle" if i % 4 == 3 else HTML
        mix["ressource"].append(Request("ressource", "GET", iri[len(base_iri) - 1:], headers={"Accept": accept}))
    goals = sample.get("Leitziel", []) + sample.get("Teilziel", [])
    views = [("/netzwerk/ziel", {"iri": g}) for g in goals[:8]]
    views += [("/netzwerk/akteur", {"iri": a}) for a in sample.get("Organization", [])[:8]]
    views += [("/netzwerk/feld", {"handlungsfeld": f}) for f in sample.get("Handlungsfeld", [])[:6]]
    views += [("/netzwerk/abgleich", {}), ("/netzwerk/gesamt", {})]
    mix["ansicht"] = [Request("ansicht", "GET", p, params=q, headers={"Accept": HTML}) for p, q in views]
    mix["void"] = [Request("void", "GET", "/.well-known/void", headers={"Accept": a})
                   for a in ("text/turtle", "application/ld+json")]
    return mix


# -- the clients ----------------------------------------------------------------------------------

@dataclass
class Outcome:
    kind: str
    seconds: float
    status: int | None          # None: connection error or time-out
    error: str | None = None
    path: str = ""
    cached: bool = False        # the server answered from a cache (Server-Timing: cache)
    retry_after: bool = False   # a 503 that said when to come back


class _Connection:
    """One keep-alive HTTP/1.1 connection, written and read by hand: httpx cost 3.6 ms of the
    client's processor per request against 0.85 ms of the server's for an answer from its cache, so
    on two cores the clients, not the server, set the pace. This costs a few hundredths of that."""

    def __init__(self, base: str):
        from urllib.parse import urlsplit

        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.reader = self.writer = None

    async def request(self, req: Request, timeout: float) -> tuple[int, dict]:
        from urllib.parse import urlencode

        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        target = req.path + ("?" + urlencode(req.params) if req.params else "")
        head = [f"{req.method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{k}: {v}" for k, v in req.headers.items()]
        if req.body is not None:
            head.append(f"Content-Length: {len(req.body)}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + (req.body or b""))
        try:
            status, headers = await asyncio.wait_for(self._response(), timeout)
        except BaseException:
            self.close()
            raise
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers

    async def _response(self) -> tuple[int, dict]:
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers = {}
        for line in head[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        elif status >= 200 and status not in (204, 304):
            await self.reader.read()  # until the server closes
            self.close()
        return status, headers

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _send(conn: _Connection, req: Request, timeout: float, out: list | None) -> None:
    t0 = time.perf_counter()
    try:
        status, headers = await conn.request(req, timeout)
        o = Outcome(req.kind, time.perf_counter() - t0, status, path=req.path,
                    cached=headers.get("server-timing", "").startswith("cache"), retry_after="retry-after" in headers)
    except Exception as e:  # noqa: BLE001 - every failure of a request is a counted error
        o = Outcome(req.kind, time.perf_counter() - t0, None, f"{type(e).__name__}: {e}"[:200] or type(e).__name__,
                    req.path)
    if out is not None:
        out.append(o)


async def _client(base: str, mix: dict[str, list[Request]], rng: random.Random, deadline: float,
                  out: list[Outcome], timeout: float) -> None:
    kinds = [k for k in KINDS if mix[k]]
    weights = [WEIGHTS[k] for k in kinds]
    conn = _Connection(base)
    try:
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            await _send(conn, rng.choice(mix[kind]), timeout, out)
    finally:
        conn.close()


async def _warm_up(base: str, mix, timeout: float) -> None:
    """Every distinct request once, one after the other, as a server that has run a while has seen them."""
    conn = _Connection(base)
    try:
        for req in (r for k in KINDS for r in mix[k]):
            await _send(conn, req, timeout, None)  # failures are counted in the measured part, not here
    finally:
        conn.close()


async def _drive(base: str, mix, clients: int, seconds: float, seed: int, timeout: float,
                 warm: bool = True) -> tuple[list[Outcome], float]:
    out: list[Outcome] = []
    if warm:
        await _warm_up(base, mix, timeout)
    t0 = time.monotonic()
    deadline = t0 + seconds
    await asyncio.gather(*(_client(base, mix, random.Random(seed * 1000 + i), deadline, out, timeout)
                           for i in range(clients)))
    return out, time.monotonic() - t0


def _pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def summarise(outcomes: list[Outcome], seconds: float, memory: list) -> dict:
    kinds = {}
    for kind in KINDS + ("alle",):
        mine = [o for o in outcomes if kind == "alle" or o.kind == kind]
        if not mine:
            continue
        lat = [o.seconds for o in mine]
        kinds[kind] = {
            "anfragen": len(mine),
            "pro_sekunde": round(len(mine) / seconds, 1),
            "p50_ms": round(_pct(lat, 50) * 1000, 1),
            "p99_ms": round(_pct(lat, 99) * 1000, 1),
            "max_ms": round(max(lat) * 1000, 1),
            "fehler": sum(1 for o in mine if o.status is None or o.status >= 500),
            "andere_status": sum(1 for o in mine if o.status is not None and 300 <= o.status < 500),
            "zwischengespeichert_prozent": round(100 * sum(o.cached for o in mine) / len(mine), 1),
            "ausgelastet_503": sum(1 for o in mine if o.status == 503 and o.retry_after),
        }
    examples = sorted({f"{o.status or o.error} {o.path}" for o in outcomes
                       if o.status is None or o.status >= 400})[:10]
    per_path: dict[str, list[float]] = {}
    for o in outcomes:
        per_path.setdefault(o.path, []).append(o.seconds)
    slowest = sorted(((round(_pct(v, 99) * 1000, 1), len(v), p) for p, v in per_path.items()), reverse=True)[:5]
    total = [s + w for _, s, w in memory]
    return {"sekunden": seconds, "arten": kinds, "fehler": kinds.get("alle", {}).get("fehler", 0),
            "beispiele_fehler": examples,
            "langsamste_p99_ms": [{"pfad": p, "anfragen": n, "p99_ms": ms} for ms, n, p in slowest],
            "speicher_mib": {"kurve": memory, "start": total[0] if total else None,
                             "max": max(total) if total else None, "ende": total[-1] if total else None}}


def run(clients: int = 50, seconds: float = 60, store: Path | None = None, seed: int = 21,
        timeout: float = 30.0, server_env: dict | None = None, warm: bool = True) -> dict:
    """Build (unless ``store``), serve, load, stop; the summary as a dict (see :func:`summarise`)."""
    with tempfile.TemporaryDirectory(prefix="inko-last-") as tmp:
        store = store or build_store(Path(tmp))
        server = Server(store, free_port(), server_env)
        try:
            server.wait_ready()
            mix = the_mix(server.url)
            sampler = MemorySampler(server.proc.pid)
            sampler.start()
            load_before = os.getloadavg()[0]
            outcomes, elapsed = asyncio.run(_drive(server.url, mix, clients, seconds, seed, timeout, warm))
            load_after = os.getloadavg()[0]
            sampler.stop()
            alive = server.proc.poll() is None
        finally:
            server.stop()
        result = summarise(outcomes, elapsed, sampler.samples)
        result.update({"clients": clients, "server_lief_durch": alive, "aufgewaermt": warm,
                       "mix": {k: len(v) for k, v in mix.items()},
                       # The machine's load (1 minute) before and after: other work skews the figures.
                       "systemlast": [round(load_before, 2), round(load_after, 2)]})
        return result


def report(result: dict) -> str:
    lines = [f"{result['clients']} Clients, {result['sekunden']:.0f} s"
             f"{'' if result['aufgewaermt'] else ' (kalt)'}; "
             f"Mix: " + ", ".join(f"{k} {n}" for k, n in result["mix"].items()) + " verschiedene Anfragen",
             "",
             "| Art | Anfragen | pro s | p50 (ms) | p99 (ms) | max (ms) | Fehler | davon 503 ausgelastet | 4xx "
             "| aus Zwischenspeicher |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for kind, k in result["arten"].items():
        lines.append(f"| {kind} | {k['anfragen']} | {k['pro_sekunde']} | {k['p50_ms']} | {k['p99_ms']} | "
                     f"{k['max_ms']} | {k['fehler']} | {k['ausgelastet_503']} | {k['andere_status']} | "
                     f"{k['zwischengespeichert_prozent']} % |")
    if result.get("systemlast"):
        lines += ["", "Systemlast (1 min, mit Server und Clients): vorher {}, nachher {}".format(*result["systemlast"])]
    mem = result["speicher_mib"]
    curve = mem["kurve"]
    step = max(1, len(curve) // 12)
    lines += ["", f"Speicher (RSS, MiB, Server + Abfrageprozesse): Start {mem['start']:.0f}, "
                  f"höchstens {mem['max']:.0f}, Ende {mem['ende']:.0f}",
              "Verlauf: " + ", ".join(f"{t:.0f} s: {s + w:.0f}" for t, s, w in curve[::step])]
    lines += ["", "Langsamste Adressen (p99): " + ", ".join(
        f"{x['pfad']} {x['p99_ms']:.0f} ms ({x['anfragen']}×)" for x in result["langsamste_p99_ms"])]
    if result["beispiele_fehler"]:
        lines += ["", "Beispiele für Fehler und 4xx:"] + [f"  {e}" for e in result["beispiele_fehler"]]
    if not result["server_lief_durch"]:
        lines.append("Der Server lief nicht bis zum Ende!")
    return "\n".join(lines)


def main(argv=None) -> int:
    sys.path.insert(0, str(ROOT))
    p = argparse.ArgumentParser(description="Lasttest gegen einen echten inko-graph-Server auf 127.0.0.1.")
    p.add_argument("--clients", type=int, default=50, help="gleichzeitige Clients (Standard: 50)")
    p.add_argument("--seconds", type=float, default=60, help="Dauer in Sekunden (Standard: 60)")
    p.add_argument("--store", type=Path, help="einen schon gebauten Speicher nehmen, statt neu zu bauen")
    p.add_argument("--seed", type=int, default=21, help="Startwert des Zufalls für den Mix")
    p.add_argument("--kalt", action="store_true",
                   help="ohne Aufwärmen messen (sonst wird jede Anfrage des Mix vorher einmal gestellt)")
    p.add_argument("--json", type=Path, metavar="DATEI", help="alle Zahlen zusätzlich als JSON schreiben")
    args = p.parse_args(argv)
    result = run(args.clients, args.seconds, args.store, args.seed, warm=not args.kalt)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return 1 if result["fehler"] or not result["server_lief_durch"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
