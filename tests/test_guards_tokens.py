"""The token checks at their edges: the exact forms of ``Authorization`` that count, what each
refusal says, and that a token given as a form field is used (inko_graph/tokens.py)."""

from __future__ import annotations

import pytest

from inko_graph.errors import ConfigError
from inko_graph.tokens import (Grant, InvalidToken, NotAllowed, authenticate, authorize, bearer_token,
                               create_token)

H = "https://w3id.org/inko/id/"
HATTINGEN, RATINGEN = H + "gebiet/hattingen", H + "gebiet/ratingen"
VHS = H + "akteur/vhs-hattingen"


@pytest.mark.parametrize("header, token", [
    ("Bearer abc", "abc"), ("bearer abc", "abc"), ("BEARER abc", "abc"), ("  Bearer   abc  ", "abc"),
    ("Bearer  abc", "abc"),
    ("abc", None), ("Bearer", None), ("Bearer ", None), ("Basic abc", None), ("Bearer a b", None),
    ("Bearer a\tb", None), ("Bearerabc", None), ("", None), (None, None),
])
def test_bearer_token_forms(header, token):
    assert bearer_token(header) == token


@pytest.fixture()
def settings_with_tokens(settings, tmp_path):
    path = tmp_path / "tokens.json"
    keys = {"vhs": create_token(path, VHS, HATTINGEN), "stadt": create_token(path, None, HATTINGEN)}
    return settings.with_(tokens_file=path), keys


def test_uploads_switched_off_say_so(settings):
    with pytest.raises(ConfigError) as e:
        authenticate(settings.with_(tokens_file=None), "Bearer x")
    assert str(e.value) == "Das Hochladen ist auf diesem Server nicht eingerichtet (keine Zugangsschlüssel)."


def test_refusals_say_what_is_missing(settings_with_tokens):
    s, keys = settings_with_tokens
    with pytest.raises(InvalidToken) as e:
        authenticate(s, None)
    assert str(e.value) == "Für das Hochladen ist ein Zugangsschlüssel nötig."
    with pytest.raises(InvalidToken) as e:
        authenticate(s, keys["vhs"])  # the key without "Bearer"
    assert str(e.value) == "Der Zugangsschlüssel muss als „Authorization: Bearer <Schlüssel>“ gesendet werden."
    with pytest.raises(InvalidToken) as e:
        authenticate(s, "Bearer " + keys["vhs"][:-1])
    assert str(e.value) == "Der Zugangsschlüssel ist ungültig oder wurde entzogen."


def test_token_from_a_form_field_counts(settings_with_tokens):
    s, keys = settings_with_tokens
    assert authenticate(s, None, token=keys["vhs"]) == Grant(VHS, HATTINGEN)
    # A form field wins over a header that is not a Bearer token.
    assert authenticate(s, "Basic xyz", token=keys["vhs"]) == Grant(VHS, HATTINGEN)
    assert authorize(s, None, gebiet=HATTINGEN, akteur=VHS, token=keys["vhs"]) == Grant(VHS, HATTINGEN)
    assert authorize(s, "Bearer " + keys["stadt"], gebiet=HATTINGEN) == Grant(None, HATTINGEN)
    with pytest.raises(NotAllowed):
        authorize(s, None, gebiet=RATINGEN, token=keys["stadt"])


@pytest.mark.parametrize("grant, gebiet, akteur, message", [
    (Grant(None, HATTINGEN), RATINGEN, None,
     f"Der Zugangsschlüssel gilt nur für das Gebiet <{HATTINGEN}>, nicht für das Gebiet <{RATINGEN}>."),
    (Grant(VHS, HATTINGEN), RATINGEN, VHS,
     f"Der Zugangsschlüssel gilt nur für die Organisation <{VHS}> im Gebiet <{HATTINGEN}>, "
     f"nicht für das Gebiet <{RATINGEN}>."),
    (Grant(VHS, HATTINGEN), HATTINGEN, None,
     f"Der Zugangsschlüssel gilt nur für die Organisation <{VHS}> im Gebiet <{HATTINGEN}>, nicht für die Daten "
     f"des ganzen Gebiets <{HATTINGEN}> (dafür ist ein Schlüssel des Gebiets nötig)."),
    (Grant(VHS, HATTINGEN), HATTINGEN, H + "akteur/andere",
     f"Der Zugangsschlüssel gilt nur für die Organisation <{VHS}> im Gebiet <{HATTINGEN}>, "
     f"nicht für die Organisation <{H}akteur/andere>."),
])
def test_scope_refusal_says_what_the_key_covers_and_what_was_asked(grant, gebiet, akteur, message):
    with pytest.raises(NotAllowed) as e:
        grant.require(gebiet, akteur)
    assert str(e.value) == message and e.value.status == 403


def test_what_a_grant_covers():
    town, actor = Grant(None, HATTINGEN), Grant(VHS, HATTINGEN)
    assert town.require(HATTINGEN) is town and town.require(HATTINGEN, VHS) is town
    assert actor.require(HATTINGEN, VHS) is actor
    assert town.town_wide and not actor.town_wide


def test_no_tokens_file_configured_says_which_setting(settings):
    from inko_graph.tokens import lookup

    with pytest.raises(ConfigError) as e:
        lookup(None, "abc")
    assert str(e.value) == "Es ist keine Datei für Zugangsschlüssel eingestellt (INKO_TOKENS_FILE)."


def test_tokens_file_missing_means_no_keys(tmp_path):
    from inko_graph.tokens import load_tokens

    assert load_tokens(tmp_path / "fehlt.json") == {}


@pytest.mark.parametrize("content, says", [
    ("{kaputt", "kann nicht gelesen werden"),
    ('["a"]', "hat nicht die Form"),
    ('{"h": {"akteur": null}}', "hat nicht die Form"),                      # no gebiet
    ('{"h": {"akteur": 5, "gebiet": "g"}}', "hat nicht die Form"),          # akteur neither IRI nor null
    ('{"h": "g"}', "hat nicht die Form"),
])
def test_a_damaged_tokens_file_is_named(tmp_path, content, says):
    from inko_graph.tokens import load_tokens

    path = tmp_path / "tokens.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_tokens(path)
    assert str(e.value).startswith(f"Die Datei der Zugangsschlüssel {str(path)!r} ") and says in str(e.value)
    if says == "hat nicht die Form":
        assert '{Prüfsumme: {"akteur": IRI oder null, "gebiet": IRI}}.' in str(e.value)


def test_a_stored_hash_with_other_characters_is_no_crash(tmp_path):
    import json

    from inko_graph.tokens import load_tokens, lookup, token_hash

    path = tmp_path / "tokens.json"
    path.write_text(json.dumps({"ä" * 64: {"akteur": None, "gebiet": HATTINGEN},
                                token_hash("richtig"): {"akteur": None, "gebiet": HATTINGEN}}), encoding="utf-8")
    assert len(load_tokens(path)) == 2
    with pytest.raises(InvalidToken):
        lookup(path, "falsch")
    assert lookup(path, "richtig") == Grant(None, HATTINGEN)
    assert lookup(path, " richtig ") == Grant(None, HATTINGEN)  # pasted with spaces around
