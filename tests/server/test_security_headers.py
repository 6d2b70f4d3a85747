"""Security headers on every answer, and pages without inline script.

Every answer (pages, query results, data, static files, errors, refusals before the router)
carries Content-Security-Policy (no inline script, no framing by other sites),
X-Content-Type-Options: nosniff, X-Frame-Options and Referrer-Policy.
"""

from __future__ import annotations

import re

import httpx
import pytest

from inko_graph.server import create_app
from live_server import LiveServer
from raster_fixtures import world_store

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client(settings):
    server = LiveServer(create_app(settings.with_(store_path=None), world_store())).start()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c
    server.stop()


def _requests(c: httpx.Client):
    return {
        "start page": c.get("/", headers=HTML),
        "query page": c.get("/sparql", headers=HTML),
        "raster form": c.get("/raster", headers=HTML),
        "downloads": c.get("/downloads", headers=HTML),
        "query result JSON": c.get("/sparql", params={"query": "ASK {}"}),
        "query result, repeated (answer cache)": c.get("/sparql", params={"query": "ASK {}"}),
        "service description": c.get("/sparql", headers={"Accept": "text/turtle"}),
        "static file": c.get("/static/inko.css"),
        "OpenAPI": c.get("/api/openapi.json"),
        "not found, page": c.get("/gibt-es-nicht", headers=HTML),
        "not found, text": c.get("/gibt-es-nicht"),
        "refused query": c.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> {} }"}),
        "CORS preflight": c.options("/sparql", headers={"Origin": "https://example.org",
                                                         "Access-Control-Request-Method": "POST"}),
        "head too large (431)": c.get("/", headers={"X-Gross": "x" * 20_000}),
        "upload without token": c.post("/api/raster", files={"datei": ("a.xlsx", b"x")}),
    }


def test_every_answer_has_the_security_headers(client):
    missing = []
    for name, r in _requests(client).items():
        h = r.headers
        csp = h.get("content-security-policy", "")
        script = next((d for d in csp.split(";") if d.strip().startswith("script-src")), "")
        ok = ("default-src 'self'" in csp and "frame-ancestors 'self'" in csp and "object-src 'none'" in csp
              and "unsafe-inline" not in script and h.get("x-content-type-options") == "nosniff"
              and h.get("referrer-policy") == "same-origin" and h.get("x-frame-options") == "SAMEORIGIN")
        if not ok:
            missing.append((name, r.status_code, dict(h)))
    assert not missing, missing


def test_the_answers_have_the_expected_status(client):
    """The list above covers success, refusals and errors (else it would prove less than it says)."""
    status = {name: r.status_code for name, r in _requests(client).items()}
    assert status["start page"] == 200 and status["query result JSON"] == 200 and status["static file"] == 200
    assert status["not found, text"] == 404 and status["refused query"] == 403
    assert status["head too large (431)"] == 431 and status["upload without token"] in (401, 503)


@pytest.mark.parametrize("path", ["/", "/sparql", "/raster", "/downloads", "/monitoring"])
def test_pages_run_no_inline_script(client, path):
    r = client.get(path, headers=HTML)
    assert r.status_code == 200
    for tag in re.findall(r"<script\b[^>]*>", r.text, flags=re.I):
        # Scripts come from the server's own files; JSON data blocks are not run.
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", r.text, flags=re.I), "inline event handler"
    assert "javascript:" not in r.text.lower()
