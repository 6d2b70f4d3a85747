"""Pages drawn once per state of the data (``page_cache.PageCache``) and the bounded queue in front
of drawing (``Gate``): kept answers are never stale, a page asked for by many at once is drawn
once, and too many waiting requests are answered 503 with Retry-After in German."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pyoxigraph as ox
import pytest
from starlette.requests import Request
from starlette.responses import HTMLResponse

from inko_graph.server import create_app, page_cache
from inko_graph.server.page_cache import Gate, Overloaded
from inko_graph.server.sparql import data_changed
from live_server import LiveServer
from views_fixtures import L1, fixture_store

TIMING = "cache;desc=zwischengespeichert"


# -- the gate -------------------------------------------------------------------------------------

def test_gate_hands_places_on_in_order_of_arrival():
    async def main():
        gate, order = Gate(slots=1, waiting=5, wait_seconds=5), []
        await gate.acquire()

        async def one(i):
            await gate.acquire()
            order.append(i)
            await asyncio.sleep(0.01)
            gate.release()

        tasks = [asyncio.create_task(one(i)) for i in range(4)]
        await asyncio.sleep(0.05)
        assert gate.waiting == 4 and order == []
        gate.release()
        await asyncio.gather(*tasks)
        assert order == [0, 1, 2, 3]
        assert gate.busy == 0 and gate.waiting == 0

    asyncio.run(main())


def test_gate_refuses_at_once_when_too_many_wait():
    async def main():
        gate = Gate(slots=1, waiting=1, wait_seconds=5)
        await gate.acquire()
        waiter = asyncio.create_task(gate.acquire())
        await asyncio.sleep(0.01)
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        with pytest.raises(Overloaded, match="ausgelastet.*noch einmal versuchen"):
            await gate.acquire()
        assert loop.time() - t0 < 0.5 and gate.refused == 1
        gate.release()
        await waiter  # the waiting one got the place
        assert gate.busy == 1
        gate.release()
        assert gate.busy == 0

    asyncio.run(main())


def test_gate_refuses_after_the_longest_wait_and_loses_no_place():
    async def main():
        gate = Gate(slots=1, waiting=5, wait_seconds=0.1)
        await gate.acquire()
        with pytest.raises(Overloaded, match="wartete 0.1 s"):
            await gate.acquire()
        # A waiter cancelled (its client went away) leaves no place behind.
        task = asyncio.create_task(gate.acquire())
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        gate.release()
        assert gate.busy == 0 and gate.waiting == 0
        await gate.acquire()  # free again
        assert gate.busy == 1

    asyncio.run(main())


# -- the pages ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(settings):
    """The app with a few test pages among the cached ones."""
    store = fixture_store()
    app = create_app(settings, store)
    state = {"drawn": 0, "release": threading.Event()}
    state["release"].set()

    def zaehler(request: Request):
        state["drawn"] += 1
        state["release"].wait(10)
        return HTMLResponse(f"<p>gezeichnet {state['drawn']}, {len(store)} Tripel</p>")

    def keks(request: Request):
        response = HTMLResponse("<p>mit Keks</p>")
        response.set_cookie("inko_gebiet", "x")
        return response

    app.add_api_route("/test/zaehler", zaehler)
    app.add_api_route("/test/keks", keks)
    srv = LiveServer(app).start()
    yield srv, app, store, state
    srv.stop()


@pytest.fixture(autouse=True)
def test_pages(monkeypatch):
    monkeypatch.setattr(page_cache, "PAGES", page_cache.PAGES | {"/test/zaehler", "/test/keks"})


def _get(srv, path, **kw):
    return httpx.get(srv.url + path, timeout=30, **kw)


def test_a_page_is_drawn_once_per_state_of_the_data(server):
    srv, app, store, state = server
    data_changed(app)
    first = _get(srv, "/test/zaehler")
    again = _get(srv, "/test/zaehler")
    assert first.status_code == again.status_code == 200
    assert again.text == first.text and again.headers["server-timing"] == TIMING
    assert TIMING not in first.headers.get("server-timing", "")
    # A write through the store: the next answer is drawn on the new data.
    before = state["drawn"]
    store.load_quads([ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                              ox.Literal("neu"), ox.NamedNode("http://example.org/g"))])
    fresh = _get(srv, "/test/zaehler")
    assert state["drawn"] == before + 1 and fresh.text != first.text
    assert f"{len(store)} Tripel" in fresh.text
    # Another address, Accept or cookie is another page.
    _get(srv, "/test/zaehler", params={"gebiet": "alle"})
    _get(srv, "/test/zaehler", headers={"Cookie": "inko_gebiet=hattingen"})
    assert state["drawn"] == before + 3


def test_a_real_cockpit_page_shows_a_write_at_once(server):
    srv, app, store, _ = server
    page = _get(srv, "/ziele")
    assert page.status_code == 200 and "Zielneu Sternchen" not in page.text
    assert _get(srv, "/ziele").headers["server-timing"] == TIMING
    # A copy of a goal the page shows, under a new name and label.
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    goal = ox.NamedNode(L1)
    assert any(q.object.value in page.text for q in store.inner.quads_for_pattern(goal, label, None, None))
    new = ox.NamedNode(str(goal.value) + "-neu")
    store.load_quads([ox.Quad(new, q.predicate, ox.Literal("Zielneu Sternchen", language="de") if q.predicate == label
                              else q.object, q.graph_name)
                      for q in store.inner.quads_for_pattern(goal, None, None, None)])
    fresh = _get(srv, "/ziele")
    assert TIMING not in fresh.headers.get("server-timing", "")
    assert "Zielneu Sternchen" in fresh.text


def test_answers_that_set_a_cookie_or_carry_a_token_are_not_kept(server):
    srv, app, _, state = server
    assert _get(srv, "/test/keks").headers.get("set-cookie")
    assert TIMING not in _get(srv, "/test/keks").headers.get("server-timing", "")
    data_changed(app)
    before = state["drawn"]
    for _ in range(2):
        _get(srv, "/test/zaehler", headers={"Authorization": "Bearer x"})
    assert state["drawn"] == before + 2


def test_many_clients_asking_for_the_same_new_page_cost_one_drawing(server):
    srv, app, _, state = server
    data_changed(app)
    before = state["drawn"]
    state["release"].clear()
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(_get, srv, "/test/zaehler") for _ in range(8)]
        threading.Timer(0.5, state["release"].set).start()
        answers = [f.result() for f in futures]
    assert {a.status_code for a in answers} == {200}
    assert len({a.text for a in answers}) == 1
    assert state["drawn"] == before + 1


def test_too_many_waiting_are_told_to_come_back_in_german(server):
    srv, app, _, state = server
    data_changed(app)
    saved = app.state.page_gate
    app.state.page_gate = Gate(slots=1, waiting=0, wait_seconds=5)
    state["release"].clear()
    try:
        with ThreadPoolExecutor(2) as pool:
            slow = pool.submit(_get, srv, "/test/zaehler", params={"langsam": "1"})
            for _ in range(100):
                if app.state.page_gate.busy:
                    break
                threading.Event().wait(0.02)
            refused = _get(srv, "/ziele", headers={"Accept": "text/html"})
            state["release"].set()
            assert slow.result().status_code == 200
    finally:
        state["release"].set()
        app.state.page_gate = saved
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == str(page_cache.RETRY_SECONDS)
    assert "ausgelastet" in refused.text and "noch einmal versuchen" in refused.text
    assert "Traceback" not in refused.text
    assert _get(srv, "/ziele").status_code == 200  # and served again once the queue is free


@pytest.mark.parametrize("path", ["/abfragen/ziele-ohne-massnahme", "/bericht", "/aenderungen"])
def test_catalogue_report_and_changes_pages_are_kept_and_gated(server, path):
    """Pages that run named queries in the server process go through the cache and its gate."""
    srv, app, _, _ = server
    data_changed(app)
    first = _get(srv, path)
    assert first.status_code == 200
    assert TIMING not in first.headers.get("server-timing", "")
    assert _get(srv, path).headers["server-timing"] == TIMING
