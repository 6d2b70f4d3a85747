"""The query pool's queue: queries wait for a worker in order, at most ``max_waiting`` of them;
the next is answered 503 with Retry-After at once and in German, not after the time limit."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from inko_graph.server import create_app
from inko_graph.server.query_pool import WAITING_PER_WORKER, QueryPool
from live_server import LiveServer
from views_fixtures import fixture_store

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def server(settings):
    app = create_app(settings.with_(query_workers=1, query_timeout=4.0), fixture_store())
    srv = LiveServer(app).start()
    yield srv, app
    srv.stop()


def _ask(srv, query: str) -> httpx.Response:
    return httpx.post(srv.url + "/sparql", content=query.encode(), timeout=30,
                      headers={"Content-Type": "application/sparql-query", "Accept": JSON})


def _timed(srv, query: str) -> tuple[httpx.Response, float]:
    t0 = time.monotonic()
    return _ask(srv, query), time.monotonic() - t0


def _wait_until(cond, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not cond():
        assert time.monotonic() < deadline, "Zustand nicht erreicht"
        time.sleep(0.02)


def test_the_default_queue_grows_with_the_workers(settings):
    assert QueryPool(fixture_store(), 3, 5.0).max_waiting == 3 * WAITING_PER_WORKER


def test_a_full_queue_answers_busy_at_once(server):
    srv, app = server
    pool = app.state.query_pool
    pool.max_waiting = 1
    try:
        with ThreadPoolExecutor(2) as ex:
            slow = ex.submit(_ask, srv, SLOW)  # holds the only worker until the time limit
            _wait_until(lambda: any(w.pending is not None for w in pool._workers))
            waiting = ex.submit(_timed, srv, "ASK { ?s ?p ?o }")
            _wait_until(lambda: pool.waiting == 1)
            t0 = time.monotonic()
            refused = _ask(srv, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
            took = time.monotonic() - t0
            assert slow.result().status_code == 503  # the time limit stopped it
            # It waited its turn (answered, or told busy when the time limit ran out while it waited).
            answer, waited = waiting.result()
            assert waited > 1.5 and answer.status_code in (200, 503)
    finally:
        pool.max_waiting = WAITING_PER_WORKER
    assert refused.status_code == 503 and took < 2.0
    assert refused.headers["retry-after"] == "5"
    assert "ausgelastet" in refused.text and "noch einmal versuchen" in refused.text
    assert pool.refused >= 1
    assert _ask(srv, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1").status_code == 200  # served again afterwards


def test_the_same_new_query_asked_at_once_is_evaluated_once(server):
    srv, app = server
    pool = app.state.query_pool
    query = "# einmal\nSELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # about 0.3 s
    before = pool.jobs
    with ThreadPoolExecutor(6) as ex:
        answers = list(ex.map(lambda _: _ask(srv, query), range(6)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1 and answers[0].json()["results"]["bindings"]
    assert pool.jobs - before == 1


def test_the_same_query_asked_at_once_runs_out_of_time_once(server):
    srv, app = server
    pool = app.state.query_pool
    query = "# zu lang\n" + SLOW
    jobs, restarts = pool.jobs, pool.restarts
    with ThreadPoolExecutor(4) as ex:
        answers = list(ex.map(lambda _: _ask(srv, query), range(4)))
    assert [a.status_code for a in answers] == [503] * 4
    assert all(a.headers["retry-after"] == "5" and "abgebrochen" in a.text for a in answers)
    # One evaluation, one worker stopped and replaced: not one per client.
    assert pool.jobs - jobs == 1 and pool.restarts - restarts == 1
    _wait_until(lambda: sum(1 for w in list(pool._workers) if w.ready) == pool.size, 30)
