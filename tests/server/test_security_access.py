"""Access: who may write what, checked before the content; one test per refusal.

Upload tokens (``inko_graph.tokens``): a town's token writes only that town's data, an actor's
token only its own submission; the scope is checked before the file is read (403, not 400).
The write token of ``/sparql/update`` and the Graph Store Protocol: only ``Bearer <the token>``.
"""

from __future__ import annotations

import json
import logging
import socket
import time

import httpx
import pytest

from inko_graph import tokens as tk
from inko_graph.server import create_app
from inko_graph.store import OxigraphStore
from inko_graph.tokens import Grant, InvalidToken, NotAllowed, authenticate, authorize, create_token
from live_server import LiveServer
from raster_fixtures import DATA, H, world_store

HATTINGEN, RATINGEN = H + "gebiet/hattingen", H + "gebiet/ratingen"
VHS, BUECHEREI = H + "akteur/vhs-hattingen", H + "akteur/stadtbuecherei-hattingen"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- grants ---------------------------------------------------------------------------------------

def test_a_town_token_covers_its_town_and_nothing_else():
    town = Grant(akteur=None, gebiet=HATTINGEN)
    assert town.covers(HATTINGEN) and town.covers(HATTINGEN, VHS) and town.covers(HATTINGEN, BUECHEREI)
    assert not town.covers(RATINGEN) and not town.covers(RATINGEN, VHS)
    with pytest.raises(NotAllowed) as e:
        town.require(RATINGEN)
    assert "nur für das Gebiet" in str(e.value)


def test_an_actor_token_covers_only_its_own_submission():
    actor = Grant(akteur=VHS, gebiet=HATTINGEN)
    assert actor.covers(HATTINGEN, VHS)
    assert not actor.covers(HATTINGEN, BUECHEREI)
    assert not actor.covers(RATINGEN, VHS)
    with pytest.raises(NotAllowed) as e:
        actor.require(HATTINGEN)  # the town's own data (its concept) need the town's token
    assert "ganzen Gebiets" in str(e.value)


@pytest.fixture()
def settings_with_tokens(settings, tmp_path):
    path = tmp_path / "tokens.json"
    made = {"stadt": create_token(path, None, HATTINGEN), "vhs": create_token(path, VHS, HATTINGEN)}
    return settings.with_(tokens_file=path), made


def test_authorize_by_header(settings_with_tokens):
    s, made = settings_with_tokens
    assert authorize(s, f"Bearer {made['stadt']}", gebiet=HATTINGEN).town_wide
    assert authorize(s, f"bearer {made['vhs']}", gebiet=HATTINGEN, akteur=VHS).akteur == VHS
    with pytest.raises(NotAllowed) as e:
        authorize(s, f"Bearer {made['vhs']}", gebiet=HATTINGEN)
    assert not isinstance(e.value, InvalidToken)
    with pytest.raises(NotAllowed) as e:
        authorize(s, f"Bearer {made['stadt']}", gebiet=RATINGEN)
    assert not isinstance(e.value, InvalidToken)


def _wrong_forms(token: str) -> list[str | None]:
    return [None, "", "Bearer", "Bearer ", "Bearer  ", token, f"Basic {token}", f"Token {token}",
            f"Bearer {token[:-1]}", f"Bearer {token[:1]}", f"Bearer {token}x", f"Bearer x{token}",
            f"Bearer {token} {token}", f"Bearer{token}"]


def test_authorize_refuses_every_other_form_of_the_token(settings_with_tokens):
    s, made = settings_with_tokens
    for value in _wrong_forms(made["stadt"]):
        with pytest.raises(InvalidToken):
            authorize(s, value, gebiet=HATTINGEN)


def test_uploads_off_without_tokens_file(settings):
    from inko_graph.errors import ConfigError

    with pytest.raises(ConfigError):
        authenticate(settings.with_(tokens_file=None), "Bearer x")


def test_tokens_are_compared_by_hash_in_constant_time(settings_with_tokens, monkeypatch):
    s, made = settings_with_tokens
    calls = []
    real = tk.hmac.compare_digest
    monkeypatch.setattr(tk.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    authenticate(s, f"Bearer {made['vhs']}")
    assert len(calls) == 2  # every stored hash, not a dictionary lookup that stops early
    assert made["vhs"] not in s.tokens_file.read_text() and made["stadt"] not in s.tokens_file.read_text()


def test_old_token_files_stay_readable(tmp_path):
    path = tmp_path / "alt.json"
    token = "alter-schluessel-" + "a" * 30
    path.write_text(json.dumps({tk.token_hash(token): {"akteur": VHS, "gebiet": HATTINGEN}}))
    assert tk.lookup(path, token) == Grant(akteur=VHS, gebiet=HATTINGEN)


def test_list_and_withdraw_by_key_name(tmp_path):
    path = tmp_path / "t.json"
    token = create_token(path, None, HATTINGEN)
    listed = tk.list_tokens(path)
    assert listed[0]["akteur"] is None and listed[0]["gebiet"] == HATTINGEN
    assert token not in json.dumps(listed)
    assert not tk.revoke(path, listed[0]["kennung"][:6])  # too short to name one key for sure
    assert tk.revoke(path, listed[0]["kennung"])
    with pytest.raises(InvalidToken):
        tk.lookup(path, token)


# -- Raster uploads through the server ----------------------------------------------------------

@pytest.fixture(scope="module")
def raster(settings, tmp_path_factory):
    path = tmp_path_factory.mktemp("zugang") / "tokens.json"
    made = {"stadt": create_token(path, None, HATTINGEN), "ratingen": create_token(path, None, RATINGEN),
            "vhs": create_token(path, VHS, HATTINGEN), "buecherei": create_token(path, BUECHEREI, HATTINGEN),
            "vhs-ratingen": create_token(path, VHS, RATINGEN)}
    app = create_app(settings.with_(tokens_file=path, max_upload_bytes=200_000), world_store())
    server = LiveServer(app).start()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c, made, server
    server.stop()


def _upload(client, token, name, **fields):
    return client.post("/api/raster", files={"datei": (name, (DATA / name).read_bytes(), XLSX)},
                       data={"token": token, "probelauf": "ja", **fields})


def test_another_towns_token_gets_403_before_the_files_problems(raster):
    client, made, _ = raster
    # The file is for Hattingen and has three problems: the scope is refused first.
    for token in ("ratingen", "vhs-ratingen"):
        r = _upload(client, made[token], "schlecht-unbekannt.xlsx")
        assert r.status_code == 403, r.text
        assert "gilt für" in r.json()["meldung"] and r.json()["fehler"] == []


def test_another_actors_token_gets_403_before_the_files_problems(raster):
    client, made, _ = raster
    r = _upload(client, made["buecherei"], "schlecht-unbekannt.xlsx")
    assert r.status_code == 403 and "eigene Meldung" in r.json()["meldung"]
    # The actor's own token gets to the problems of the file.
    assert _upload(client, made["vhs"], "schlecht-unbekannt.xlsx").status_code == 400


def test_a_town_token_uploads_for_any_actor_of_its_town(raster):
    client, made, _ = raster
    r = _upload(client, made["stadt"], "gut.xlsx")
    assert r.status_code == 200, r.text


def test_a_wrong_bearer_token_is_refused_before_the_body_is_read(raster):
    """150 KB announced (within the limit), none sent: the answer is 401 at once, not a wait for the body."""
    _, _, server = raster
    for auth in ("Bearer falsch", "Basic eA=="):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            t0 = time.monotonic()
            sock.sendall(f"POST /api/raster HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\n"
                         "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 150000\r\n\r\n".encode())
            head = sock.recv(4096).decode("latin-1")
            assert head.startswith("HTTP/1.1 401"), head[:200]
            assert time.monotonic() - t0 < 3


def test_tokens_never_appear_in_answers_or_logs(raster, caplog):
    client, made, _ = raster
    secret = made["vhs"][:-2] + "zz"
    with caplog.at_level(logging.DEBUG):
        answers = [_upload(client, secret, "gut.xlsx"),
                   client.post("/api/raster", headers={"Authorization": f"Bearer {secret}"},
                               files={"datei": ("gut.xlsx", b"x", XLSX)}),
                   _upload(client, made["buecherei"], "schlecht-unbekannt.xlsx")]
    assert [a.status_code for a in answers] == [401, 401, 403]
    for a in answers:
        assert secret not in a.text and made["buecherei"] not in a.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert secret not in logged and made["buecherei"] not in logged


# -- the write token of /sparql/update and the Graph Store Protocol --------------------------------

WRITE = "schreibschluessel-" + "k" * 30
TRIPLE = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> ."


@pytest.fixture(scope="module")
def writer(settings):
    store = OxigraphStore.memory()
    server = LiveServer(create_app(settings.with_(write_token=WRITE, store_path=None), store)).start()
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c, store
    server.stop()


# (HTTP clients refuse header values that end in a space; those are covered by the test of authorize.)
@pytest.mark.parametrize("value", [v for v in _wrong_forms(WRITE) if v is None or v == v.rstrip()], ids=lambda v: repr(v))
def test_the_write_token_only_as_bearer_and_whole(writer, value):
    client, store = writer
    headers = {} if value is None else {"Authorization": value}
    r = client.post("/sparql/update", headers={**headers, "Content-Type": "application/sparql-update"},
                    content=b"INSERT DATA { GRAPH <http://example.org/g> { " + TRIPLE + b" } }")
    assert r.status_code == 401, (value, r.status_code)
    r = client.put("/rdf-graphs/service", params={"graph": "http://example.org/g"},
                   headers={**headers, "Content-Type": "application/n-triples"}, content=TRIPLE)
    assert r.status_code == 401, (value, r.status_code)
    assert len(store) == 0 and WRITE not in r.text


def test_the_whole_write_token_writes(writer):
    client, store = writer
    r = client.put("/rdf-graphs/service", params={"graph": "http://example.org/ok"},
                   headers={"Authorization": f"Bearer {WRITE}", "Content-Type": "application/n-triples"}, content=TRIPLE)
    assert r.status_code in (201, 204), r.text
    assert len(store) == 1


# -- the command line: town keys, the list, withdrawing by key name --------------------------------

def test_cli_town_key_list_and_withdraw(tmp_path, monkeypatch, capsys):
    import inko_graph.load.build
    from inko_graph.cli import main

    monkeypatch.setattr(inko_graph.load.build, "ensure_built", lambda settings: world_store())
    path = tmp_path / "t.json"
    assert main(["raster", "token", "--gebiet", "g:hattingen", "--datei", str(path)]) == 2  # neither kind chosen
    assert "--ganzes-gebiet" in capsys.readouterr().err
    assert main(["raster", "token", "--gebiet", "g:hattingen", "--akteur", "id:akteur/vhs-hattingen",
                 "--ganzes-gebiet", "--datei", str(path)]) == 2
    capsys.readouterr()
    assert main(["raster", "token", "--gebiet", "g:hattingen", "--ganzes-gebiet", "--datei", str(path)]) == 0
    out = capsys.readouterr().out
    token = out.strip().splitlines()[-1]
    assert "das ganze Gebiet" in out and tk.lookup(path, token) == Grant(akteur=None, gebiet=HATTINGEN)
    assert main(["raster", "token", "--liste", "--datei", str(path)]) == 0
    listed = capsys.readouterr().out
    assert "ganzes Gebiet" in listed and token not in listed
    kennung = listed.split()[0]
    assert main(["raster", "token", "--entziehen", kennung, "--datei", str(path)]) == 0
    with pytest.raises(InvalidToken):
        tk.lookup(path, token)
