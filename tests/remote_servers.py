"""Real SPARQL servers for the remote-store tests: Oxigraph and Virtuoso on free loopback ports.

Each is started once per test session in a temporary folder and stopped at its end. Without the
server program the tests are skipped, except in CI (``CI=true`` or ``INKO_REQUIRE_SERVERS=1``),
where a server that cannot start is a failure.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from inko_graph.settings import SparqlServer

VIRTUOSO_VSP = "/var/lib/virtuoso-opensource-7/vsp"


def required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("INKO_REQUIRE_SERVERS") == "1"


def unavailable(message: str):
    """Skip, or fail in CI."""
    if required():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Running:
    name: str
    server: SparqlServer
    proc: subprocess.Popen
    folder: str

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)


def _end_with_us() -> None:
    """In the server process: Linux ends it when the process that started it ends (even killed)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _wait(url: str, proc: subprocess.Popen, seconds: float, auth=None) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        try:
            r = httpx.post(url, data={"query": "ASK {}"}, auth=auth, timeout=2)
            if r.status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return False


def start_oxigraph(on_disk: bool = False, preload: Path | None = None) -> Running:
    """``preload``: an N-Quads file put into the store with ``oxigraph load`` before it serves
    (the server's own bulk loader; on disk then)."""
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not os.path.exists(exe):
        unavailable("Das Programm oxigraph fehlt (pip install 'oxigraph>=0.5,<0.6').")
    folder = tempfile.mkdtemp(prefix="inko-oxigraph-")
    port = free_port()
    if preload is not None:
        on_disk = True
        done = subprocess.run([exe, "load", "--location", folder, "--file", str(preload)], capture_output=True, text=True)
        if done.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            unavailable(f"oxigraph load schlug fehl: {done.stderr.strip()[-300:]}")
    # In memory for the tests (they are about the protocol; on disk every write is slower); the
    # benchmark (bench/bench_backends.py) runs it on disk.
    # --union-default-graph as a deployment would have it; inko-graph must not depend on it.
    where = ["--location", folder] if on_disk else []
    proc = subprocess.Popen([exe, "serve", *where, "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_end_with_us)
    base = f"http://127.0.0.1:{port}"
    run = Running("oxigraph", SparqlServer(f"{base}/query", f"{base}/update", f"{base}/store"), proc, folder)
    if not _wait(run.server.query_url, proc, 30):
        run.stop()
        unavailable("Der Oxigraph-Server startete nicht.")
    return run


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 0
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
DirsAllowed = {d}
ThreadsPerQuery = 2
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {vsp}
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = {max_seconds}
"""


def start_virtuoso(max_seconds: int = 60, preload: Path | None = None, buffers: int = 20000) -> Running:
    """``preload``: an N-Quads file loaded with Virtuoso's bulk loader (``ld_dir``, ``rdf_loader_run``)
    before the first request; ``buffers``: its page cache in 8 KB pages (20000: 160 MB)."""
    exe = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt")
    if not exe or not isql:
        unavailable("Virtuoso fehlt (Debian: apt-get install virtuoso-opensource).")
    folder = tempfile.mkdtemp(prefix="inko-virtuoso-")
    sql, http = free_port(), free_port()
    Path(folder, "virtuoso.ini").write_text(_VIRTUOSO_INI.format(d=folder, sql=sql, http=http, vsp=VIRTUOSO_VSP,
                                                                 max_seconds=max_seconds, buffers=buffers,
                                                                 dirty=buffers * 3 // 4))
    proc = subprocess.Popen([exe, "+foreground", "+configfile", "virtuoso.ini"], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_end_with_us)
    base = f"http://127.0.0.1:{http}"
    password = "p" + secrets.token_hex(10)  # letters and digits: isql reads it as one word
    run = Running("virtuoso", SparqlServer(f"{base}/sparql-auth", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth",
                                           "dba", password), proc, folder)
    if not _wait(f"{base}/sparql", proc, 180):  # a loaded machine: Virtuoso may take minutes to start
        run.stop()
        unavailable("Der Virtuoso-Server startete nicht (siehe virtuoso.log).")
    # A password of its own instead of the well-known default.
    done = subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", f"exec=set password dba {password};"],
                          capture_output=True, timeout=30)
    if done.returncode != 0 or httpx.post(run.server.query_url, data={"query": "ASK {}"}, timeout=10,
                                          auth=httpx.DigestAuth("dba", password)).status_code != 200:
        run.stop()
        unavailable("Das Passwort des Virtuoso-Servers ließ sich nicht setzen.")
    if preload is not None:
        # The loader reads only from DirsAllowed (the server's folder); a graph for quads without one.
        target = Path(folder, "laden", "daten.nq")
        target.parent.mkdir()
        shutil.copyfile(preload, target)
        sql_text = (f"ld_dir('{target.parent}', 'daten.nq', 'urn:x-inko:ohne-graph'); rdf_loader_run(); checkpoint; "
                    "select ll_state, ll_error from DB.DBA.LOAD_LIST;")
        done = subprocess.run([isql, f"127.0.0.1:{sql}", "dba", password, f"exec={sql_text}"], capture_output=True, text=True)
        if done.returncode != 0 or "error" in done.stdout.lower().split("ll_error", 1)[-1].replace("null", ""):
            run.stop()
            unavailable(f"Virtuoso konnte die Daten nicht laden: {(done.stdout + done.stderr).strip()[-300:]}")
        target.unlink()
    return run


STARTERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}
