"""Fuzzing of the HTTP interface from its own OpenAPI document (/api/openapi.json), with schemathesis.

A real server on a free loopback port (the real graph, a write token and a tokens file for the
Raster uploads, so that every route is switched on) gets, for every documented operation, a fixed
number of generated requests: schema-conforming ones and, fewer, schema-violating ones (missing
body, wrong types). Every answer must be no server error (5xx) and be as the document says:
a documented status, a documented media type, a body that fits. Not checked: that every
schema-conforming request is accepted (``positive_data_acceptance``), because a schema cannot say
what a valid SPARQL query or a known IRI is; such requests get a documented 4xx instead.

Bounded: ``EXAMPLES`` / ``NEGATIVE`` examples per operation, derandomised (the same requests on
every run), each answer within ``DEADLINE``; the whole test in well under a minute.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402

from inko_graph.tokens import create_token  # noqa: E402
from live_server import start_server  # noqa: E402

EXAMPLES = 15
NEGATIVE = 8
DEADLINE = timedelta(seconds=10)
WRITE_TOKEN = "fuzz-schreibschluessel-0123456789abcdef"
H = "https://w3id.org/inko/id/"

CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "response_headers_conformance"]


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    tokens = tmp_path_factory.mktemp("fuzz") / "tokens.json"
    create_token(tokens, H + "akteur/vhs-hattingen", H + "gebiet/hattingen")
    srv = start_server(store, write_token=WRITE_TOKEN, tokens_file=tokens, query_timeout=10.0)
    # One query first: the parser threads start with the first one (and raise the recursion limit
    # then, which hypothesis would report as a change during a test).
    import httpx

    assert httpx.get(srv.url + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def schema(server):
    return schemathesis.openapi.from_url(server.url + "/api/openapi.json")


def _checks(names):
    from schemathesis import checks

    return [getattr(checks, n) for n in names]


def test_document_names_every_public_route_with_its_answers(server):
    import httpx

    doc = httpx.get(server.url + "/api/openapi.json", timeout=30).json()
    ops = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    for expected in [("GET", "/sparql"), ("POST", "/sparql"), ("POST", "/sparql/update"), ("GET", "/id/{rest}"),
                     ("GET", "/.well-known/void"), ("GET", "/download/{filename}"),
                     ("GET", "/rdf-graphs/service"), ("PUT", "/rdf-graphs/service"),
                     ("DELETE", "/rdf-graphs/service"), ("POST", "/api/raster")]:
        assert expected in ops, expected
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)), "operationId doppelt"
    for path, item in doc["paths"].items():
        for method, op in item.items():
            # Not the framework's guess (JSON): each route says what it sends.
            ok = next(a for c, a in op["responses"].items() if c.startswith("2"))
            if not path.startswith("/api/"):
                assert "application/json" not in ok.get("content", {}), (method, path)


def _fuzz(op, mode, examples: int, base_url: str, failures: dict, counted: dict) -> None:
    """``examples`` generated requests for one operation; every failure into ``failures``."""

    @given(case=op.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=DEADLINE, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        counted["n"] += 1
        try:
            case.call_and_validate(base_url=base_url, checks=_checks(CHECKS), timeout=30)
        except Exception as e:  # noqa: BLE001 - collected, reported together by the test
            text = str(e)
            first = next((ln.strip() for ln in text.splitlines() if ln.strip().startswith("- ST")), text[:120])
            failures.setdefault((op.label, mode.value, first), text[:1500])

    try:
        run()
    except Unsatisfiable:
        # Nothing to violate: an operation without parameters or body has no negative case.
        assert mode.value == "negative", op.label
    except Exception as e:  # noqa: BLE001 - a generation problem of one operation must not hide the others
        failures.setdefault((op.label, mode.value, type(e).__name__), str(e)[:1500])


def test_no_server_error_and_every_answer_as_documented(schema, server):
    from schemathesis import GenerationMode

    failures: dict[tuple, str] = {}
    counted = {"n": 0}
    started = time.monotonic()
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 15
    for op in operations:
        _fuzz(op, GenerationMode.POSITIVE, EXAMPLES, server.url, failures, counted)
        _fuzz(op, GenerationMode.NEGATIVE, NEGATIVE, server.url, failures, counted)
    elapsed = time.monotonic() - started
    print(f"\nschemathesis: {counted['n']} Anfragen an {len(operations)} Operationen in {elapsed:.0f} s, "
          f"{len(failures)} Abweichungen")  # shown with pytest -s (docs/security.md)
    report = "\n\n".join(f"{label} [{mode}] {first}\n{text}" for (label, mode, first), text in sorted(failures.items()))
    assert not failures, f"{len(failures)} Abweichungen in {counted['n']} Anfragen:\n{report}"
    assert counted["n"] >= 5 * len(operations)
    assert elapsed < 120
