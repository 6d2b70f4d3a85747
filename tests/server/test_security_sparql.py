"""No outbound request through SPARQL, however it is written.

A listener on a free loopback port stands for a server in the town hall's network. Each case of
``tests/data/hostile/remote_*.txt`` is first run unchecked against the engine (it must reach the
listener: proof that the case is a real remote access and that the listener sees it), then sent
to the server by GET, POST direct and POST form, the updates to ``/sparql/update`` with a valid
token: every one is refused, and the listener sees no connection.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from inko_graph.errors import QueryError, QueryRefused
from inko_graph.server import query_parse
from inko_graph.server.limits import VERDICTS, inspect_query, inspect_update
from live_server import start_server

HOSTILE = Path(__file__).parent.parent / "data" / "hostile"
TOKEN = "schreib-" + "x" * 40


def _cases(name: str) -> list[tuple[str, str]]:
    # newline="": a case may hold a lone carriage return, which must stay one.
    text = (HOSTILE / name).read_bytes().decode("utf-8")
    out = []
    for block in text.split("\n----\n"):
        title, _, body = block.partition("\n")
        out.append((title.removeprefix("## ").strip(), body.rstrip("\n")))
    return out


QUERIES = _cases("remote_queries.txt")
UPDATES = _cases("remote_updates.txt")


class Listener:
    """Counts connections on 127.0.0.1 and answers each with an empty 500."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.count = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.count += 1
            try:
                conn.settimeout(0.5)
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            conn.close()

    def settled_count(self) -> int:
        time.sleep(0.15)  # the accept loop looks every 0.1 s
        return self.count

    def close(self):
        self.running = False
        self.thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def server(store):
    srv = start_server(store, write_token=TOKEN, query_timeout=5.0)
    yield srv
    srv.stop()


def _fill(text: str, listener: Listener, self_url: str) -> str:
    return text.replace("{URL}", listener.url).replace("{SELF}", self_url)


def test_catalogue_is_broad():
    assert len(QUERIES) >= 30 and len(UPDATES) >= 8
    assert any("\r" in q for _, q in QUERIES) and any("\\u" in q for _, q in QUERIES)


def test_every_case_is_a_real_remote_access(listener):
    """Unchecked, the engine does call out for each case: the catalogue is real, the listener works."""
    missed = []
    store = ox.Store()  # one triple: a join with an empty side would skip the SERVICE call
    store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"), ox.Literal("1")))
    real = [(t, q) for t, q in QUERIES if not t.endswith("(engine rejects)")]
    real_updates = [(t, q) for t, q in UPDATES if not t.endswith("(engine rejects)")]
    assert len(real) >= 25 and len(real_updates) >= 7
    for title, text in real:
        before = listener.count
        try:
            res = store.query(_fill(text, listener, listener.url))
            if not isinstance(res, ox.QueryBoolean):
                list(res)
        except OSError:  # the listener's 500
            pass
        if listener.settled_count() == before:
            missed.append(title)
    for title, text in real_updates:
        before = listener.count
        try:
            ox.Store().update(_fill(text, listener, listener.url))
        except OSError:
            pass
        if listener.settled_count() == before:
            missed.append(title)
    assert not missed, f"these cases never reached the listener when run unchecked: {missed}"


@pytest.mark.parametrize("title, text", QUERIES, ids=[t for t, _ in QUERIES])
def test_the_parse_alone_sees_remote_access(title, text):
    """The decision comes from the parse: it finds SERVICE in each case that it can read."""
    parsed = query_parse.parse(text.replace("{URL}", "http://127.0.0.1:9/").replace("{SELF}", "http://127.0.0.1:9/"))
    # rdflib reads a comment up to the line feed; the engine ends it at a carriage return. The
    # tokenizer (second opinion) catches that case, see test_every_query_spelling_is_refused_by_the_check.
    if "\r" in text:
        return
    assert parsed.remote == "SERVICE" or parsed.kind is None, (title, parsed)


@pytest.mark.parametrize("title, text", UPDATES, ids=[t for t, _ in UPDATES])
def test_the_parse_alone_sees_load_and_service_in_updates(title, text):
    parsed = query_parse.parse(text.replace("{URL}", "http://127.0.0.1:9/"), "update")
    if "\r" in text:
        return
    assert parsed.remote in ("SERVICE", "LOAD") or parsed.kind is None, (title, parsed)


@pytest.mark.parametrize("title, text", QUERIES, ids=[t for t, _ in QUERIES])
def test_every_query_spelling_is_refused_by_the_check(title, text):
    VERDICTS.clear()
    with pytest.raises(QueryError) as e:
        inspect_query(text.replace("{URL}", "http://127.0.0.1:9/").replace("{SELF}", "http://127.0.0.1:9/"))
    assert isinstance(e.value, QueryRefused) or "Syntaxfehler" in str(e.value)


def test_what_the_parse_cannot_read_is_refused_even_if_the_text_looks_harmless():
    """Fail closed: the engine reads RDF-star quoted triples, the checking grammar does not."""
    VERDICTS.clear()
    with pytest.raises(QueryError) as e:
        inspect_query("SELECT * WHERE { <<?a ?b ?c>> ?p ?o }")
    assert "Zeile 1" in str(e.value)
    with pytest.raises(QueryError):
        inspect_update("INSERT DATA { <<<http://a> <http://b> <http://c>>> <http://d> 1 }")


def test_the_lone_carriage_return_is_caught_by_the_second_opinion():
    """rdflib's comment runs to the line feed, the engine's to the carriage return: the tokenizer sees it."""
    text = "SELECT * WHERE { ?s ?p ?o # x\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert query_parse.parse(text).remote is None  # the gap the tokenizer closes
    VERDICTS.clear()
    with pytest.raises(QueryRefused):
        inspect_query(text)


def test_nesting_depth_is_counted_before_any_parser():
    from inko_graph.server.limits import MAX_DEPTH, check_depth

    def nested(n: int) -> str:
        return "SELECT * { FILTER" + "(" * n + "1" + ")" * n + " }"

    check_depth(nested(MAX_DEPTH - 1))  # the braces of the group are a level too
    with pytest.raises(QueryError) as e:
        check_depth(nested(MAX_DEPTH))
    assert "Klammerebenen" in str(e.value)
    # Brackets inside strings, comments and IRIs do not count; escaped ones do.
    check_depth('SELECT * { ?s ?p "' + "(" * 500 + '" } # ' + "{" * 500)
    with pytest.raises(QueryError):
        check_depth("SELECT * { FILTER" + "\\u0028" * 100 + "1" + "\\u0029" * 100 + " }")
    with pytest.raises(QueryError):
        check_depth(")" * 5000 + nested(5000))
    t0 = time.perf_counter()
    with pytest.raises(QueryError):
        check_depth(nested(5000))
    assert time.perf_counter() - t0 < 0.5


def _sends(http, query: str):
    return [
        ("GET", lambda: http.get("/sparql", params={"query": query})),
        ("POST direct", lambda: http.post("/sparql", content=query.encode(),
                                          headers={"Content-Type": "application/sparql-query"})),
        ("POST form", lambda: http.post("/sparql", data={"query": query})),
    ]


def test_no_query_reaches_the_listener_through_the_server(server, listener):
    VERDICTS.clear()
    before = listener.count
    wrong = []
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for title, text in QUERIES:
            query = _fill(text, listener, server.url + "/sparql")
            for how, send in _sends(http, query):
                r = send()
                if r.status_code not in (400, 403) or "Traceback" in r.text:
                    wrong.append((title, how, r.status_code, r.text[:200]))
        # The endpoint still answers, so the refusals were refusals, not a dead server.
        assert http.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
    assert not wrong, wrong
    assert listener.settled_count() == before, "a request reached the listener"


def test_no_update_reaches_the_listener_even_with_a_valid_token(server, listener):
    VERDICTS.clear()
    before = listener.count
    wrong = []
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for title, text in UPDATES:
            update = _fill(text, listener, server.url + "/sparql")
            for how, r in (
                ("direct", http.post("/sparql/update", content=update.encode(),
                                     headers={**auth, "Content-Type": "application/sparql-update"})),
                ("form", http.post("/sparql/update", data={"update": update}, headers=auth)),
                ("query endpoint", http.post("/sparql", content=update.encode(),
                                             headers={"Content-Type": "application/sparql-update"})),
            ):
                if r.status_code not in (400, 403):
                    wrong.append((title, how, r.status_code, r.text[:200]))
        # A harmless update with the same token goes through: the refusals are about LOAD and SERVICE.
        ok = http.post("/sparql/update", headers={**auth, "Content-Type": "application/sparql-update"},
                       content=b"INSERT DATA { GRAPH <http://example.org/sicherheit> "
                               b"{ <http://example.org/a> <http://example.org/b> 1 } }")
        assert ok.status_code == 204, ok.text
    assert not wrong, wrong
    assert listener.settled_count() == before, "an update reached the listener"


def test_a_query_worker_reaches_no_network_even_unchecked(listener, tmp_path):
    """Defence in depth: a worker process has a network namespace of its own, with nothing in it.
    A SERVICE job given to it directly (past every check) reaches no listener."""
    import subprocess
    import sys

    from inko_graph.server.query_worker import frame, read_frame

    data = tmp_path / "eins.nq"
    data.write_text("<http://example.org/a> <http://example.org/b> \"1\" .\n")
    proc = subprocess.Popen([sys.executable, "-m", "inko_graph.server.query_worker", "file", str(data)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert read_frame(proc.stdout)[0] == "ready"
        probe = subprocess.run([sys.executable, "-c", "from inko_graph.server.query_worker import cut_network; "
                                "print(cut_network())"], capture_output=True, text=True)
        if probe.stdout.strip() != "True":
            pytest.skip("this machine allows no network namespace of its own")
        before = listener.count
        proc.stdin.write(frame({"query": f"SELECT * WHERE {{ ?x ?y ?z SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
                                "formats": {"solutions": "json"}, "max_rows": 10}))
        proc.stdin.flush()
        reply = read_frame(proc.stdout)
        assert reply[0] == "error", reply
        assert listener.settled_count() == before, "the worker reached the listener"
    finally:
        proc.stdin.close()
        proc.wait(10)
        proc.stdout.close()


def test_a_parse_that_takes_too_long_is_stopped_and_replaced():
    slow = "SELECT * { ?s ?p ?o FILTER(" + "?o = 1 || " * 1500 + "?o = 0) }"
    outcomes = [query_parse.parse(slow, timeout=0.3) for _ in range(3)]  # more than there are parse processes
    assert all(p.kind is None and (p.too_slow or p.busy) for p in outcomes)
    assert any(p.too_slow and "zu verwickelt" in p.error for p in outcomes)
    t0 = time.monotonic()
    assert query_parse.parse("ASK { ?s ?p ?o }", timeout=10.0).form == "ASK"
    # Not the stopped parses' 5+ s: their processes were ended and new ones started.
    assert time.monotonic() - t0 < 8.0


def test_ctrl_c_prints_no_traceback_from_the_helper_processes(tmp_path):
    """Ctrl+C on ``inko-graph serve`` reaches the query workers and parse processes too: they leave the
    ending to the server (no English traceback on the console) and keep answering until then."""
    import signal
    import subprocess
    import sys

    data = tmp_path / "eins.nq"
    data.write_text("<http://example.org/a> <http://example.org/b> \"1\" .\n")
    for args in (["inko_graph.server.query_worker", "file", str(data)], ["inko_graph.server.query_parse"]):
        proc = subprocess.Popen([sys.executable, "-m", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        from inko_graph.server.query_worker import read_frame

        assert read_frame(proc.stdout)[0] == "ready"
        proc.send_signal(signal.SIGINT)
        time.sleep(0.3)
        assert proc.poll() is None, args
        proc.stdin.close()
        proc.wait(10)
        err = proc.stderr.read().decode()
        proc.stdout.close()
        proc.stderr.close()
        assert "Traceback" not in err, err
