"""Upload tokens: made once, stored as a hash, tied to actor and town, revocable."""

from __future__ import annotations

import json
import stat

import pytest

from inko_graph.errors import ConfigError
from inko_graph.tokens import InvalidToken, NotAllowed, create_token, lookup, revoke, token_hash

A = "https://w3id.org/inko/id/akteur/vhs-hattingen"
G = "https://w3id.org/inko/id/gebiet/hattingen"


def test_create_and_lookup(tmp_path):
    path = tmp_path / "tokens.json"
    token = create_token(path, A, G)
    assert len(token) >= 40
    grant = lookup(path, token)
    assert (grant.akteur, grant.gebiet) == (A, G)
    data = json.loads(path.read_text())
    assert list(data) == [token_hash(token)]            # only the hash is kept
    assert token not in path.read_text()
    assert data[token_hash(token)]["akteur"] == A and data[token_hash(token)]["gebiet"] == G
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_tokens_are_distinct_and_kept_together(tmp_path):
    path = tmp_path / "tokens.json"
    t1 = create_token(path, A, G)
    t2 = create_token(path, A.replace("vhs", "ifak"), G)
    assert t1 != t2
    assert lookup(path, t2).akteur.endswith("/ifak-hattingen")
    assert lookup(path, t1).akteur == A


@pytest.mark.parametrize("token", [None, "", "   ", "falsch"])
def test_missing_or_unknown_token(tmp_path, token):
    path = tmp_path / "tokens.json"
    create_token(path, A, G)
    with pytest.raises(InvalidToken) as info:
        lookup(path, token)
    assert isinstance(info.value, NotAllowed) and info.value.status == 401


def test_revoke(tmp_path):
    path = tmp_path / "tokens.json"
    token = create_token(path, A, G)
    assert revoke(path, token) is True
    assert revoke(path, token) is False
    with pytest.raises(InvalidToken):
        lookup(path, token)


def test_no_tokens_file_configured():
    with pytest.raises(ConfigError):
        lookup(None, "x")


def test_broken_tokens_file(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text("[1, 2]")
    with pytest.raises(ConfigError):
        lookup(path, "x")
