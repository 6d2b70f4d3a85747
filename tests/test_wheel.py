"""The wheel works on its own: built with ``python -m build``, installed into a fresh virtual
environment, it builds, validates, answers queries and serves from any working directory, with
the data folders it carries (``inko_graph/_daten``) and the store in the working directory.

Offline and fast: the wheel is installed with ``--no-deps``; the fresh environment reuses the
project environment's dependencies through a path entry (its ``.pth`` files, among them the
editable install of this checkout, are not read, so ``inko_graph`` comes from the wheel).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import sysconfig
import time
import venv
from pathlib import Path

import httpx
import pytest

from inko_graph.settings import PROJECT_ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(PROJECT_ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheels = list(dist.glob("inko_graph-*.whl"))
    assert len(wheels) == 1
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # The project's dependencies as a plain path entry (appended: the wheel's own files come first).
    Path(site, "projekt-abhaengigkeiten.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q",
                    str(wheels[0])], check=True, capture_output=True, timeout=300)
    work = root / "arbeit"
    work.mkdir()
    return env_dir, work, Path(site)


def _run(env_dir: Path, work: Path, *args, timeout=300):
    env = {k: v for k, v in os.environ.items() if not k.startswith("INKO_") and k != "PYTHONPATH"}
    return subprocess.run([str(env_dir / "bin" / "inko-graph"), *args], cwd=work, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_installed_wheel_builds_validates_queries_and_serves(installed):
    env_dir, work, site = installed
    where = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import inko_graph, inko_graph.settings as s; "
                            "print(inko_graph.__file__); print(s.DATA_ROOT); print(s.CHECKOUT)"],
                           cwd=work, capture_output=True, text=True, check=True).stdout.split("\n")
    assert where[0].startswith(str(site)), where  # the wheel's copy, not the checkout
    assert where[1] == str(site / "inko_graph" / "_daten") and where[2] == "False"

    r = _run(env_dir, work, "build")
    assert r.returncode == 0, r.stderr
    assert (work / "var" / "store" / "current").exists()  # in the working directory, not in site-packages
    assert not (site / "var").exists() and not (site.parent / "var").exists()

    r = _run(env_dir, work, "validate")
    assert r.returncode == 0, r.stdout + r.stderr

    r = _run(env_dir, work, "query", "--list")
    assert r.returncode == 0 and "monitoring-ic-01" in r.stdout, r.stderr
    r = _run(env_dir, work, "query", "monitoring-ic-01")
    assert r.returncode in (0, 1) and r.stdout in ("ja\n", "nein\n"), r.stderr
    (work / "z.rq").write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a inko:Leitziel }\n")
    r = _run(env_dir, work, "query", "--file", "z.rq", "--format", "csv")
    assert r.returncode == 0 and int(r.stdout.split()[1]) > 0, r.stderr

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("INKO_")}
    proc = subprocess.Popen([str(env_dir / "bin" / "inko-graph"), "serve", "--port", str(port)], cwd=work, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/sparql", headers={"Accept": "text/html"}, timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()
                time.sleep(0.3)
        assert page.status_code == 200 and "<form" in page.text
        css = httpx.get(f"http://127.0.0.1:{port}/static/inko.css", timeout=5)
        assert css.status_code == 200
        ans = httpx.post(f"http://127.0.0.1:{port}/sparql", data={"query": "ASK { ?s a inko:Leitziel }"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert ans.status_code == 200 and ans.json()["boolean"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        proc.stderr.close()
