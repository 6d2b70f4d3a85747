"""Upload tokens: each for one area (town or county), either for the whole area or for one actor in it.

The tokens file (``Settings.tokens_file``, JSON) keeps only the SHA-256 of each token:
``{"<sha256 hex>": {"akteur": "<IRI>" or null, "gebiet": "<IRI>", "erstellt": "<date>"}}``. A token
is shown once when it is made. An actor's token may replace that actor's Raster submissions and
nothing else; a token for a whole area (``"akteur": null``) may write that area's data (its
concept, its indicator values, the submissions of its actors) and nothing of another area.

Every upload route calls :func:`authorize` (or :func:`authenticate` and then
:meth:`Grant.require` once the area is known) before it looks at the content: 401 without a
valid token, 403 outside its scope. Tokens are compared by their hashes in constant time, never
written to a log or into a message. Writes go to a temporary file that replaces the old one in
one step.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import ConfigError, InkoError

__all__ = ["Grant", "NotAllowed", "InvalidToken", "create_token", "lookup", "revoke", "load_tokens", "token_hash",
           "bearer_token", "authenticate", "authorize", "list_tokens", "KEY_ID_LENGTH"]

#: Hex digits of the hash shown as a key's name in ``raster token --liste`` (enough to withdraw it).
KEY_ID_LENGTH = 12


class NotAllowed(InkoError):
    """The token does not allow this (another actor's or another town's data)."""

    status = 403


class InvalidToken(NotAllowed):
    """No token, or one that is not in the tokens file."""

    status = 401


@dataclass(frozen=True)
class Grant:
    """What a token allows: ``akteur`` ``None`` means the whole ``gebiet``."""

    akteur: str | None
    gebiet: str

    @property
    def town_wide(self) -> bool:
        return self.akteur is None

    def covers(self, gebiet: str, akteur: str | None = None) -> bool:
        """May the holder write ``akteur``'s data in ``gebiet`` (``akteur`` ``None``: the area's own data)?"""
        if gebiet != self.gebiet:
            return False
        return self.akteur is None or (akteur is not None and akteur == self.akteur)

    def require(self, gebiet: str, akteur: str | None = None, names: dict[str, str] | None = None) -> "Grant":
        """``self`` if it covers the write, else :class:`NotAllowed` saying what it does cover;
        ``names`` (IRI -> label) lets the message name towns and organisations as people call them."""
        if self.covers(gebiet, akteur):
            return self

        def n(iri: str) -> str:
            return f"„{names[iri]}“" if names and names.get(iri) else f"<{iri}>"

        mine = f"das Gebiet {n(self.gebiet)}" if self.akteur is None else \
            f"die Organisation {n(self.akteur)} im Gebiet {n(self.gebiet)}"
        if gebiet != self.gebiet:
            asked = f"das Gebiet {n(gebiet)}"
        elif akteur is None:
            asked = f"die Daten des ganzen Gebiets {n(gebiet)} (dafür ist ein Schlüssel des Gebiets nötig)"
        else:
            asked = f"die Organisation {n(akteur)}"
        raise NotAllowed(f"Der Zugangsschlüssel gilt nur für {mine}, nicht für {asked}.")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def _require(path: Path | None) -> Path:
    if path is None:
        raise ConfigError("Es ist keine Datei für Zugangsschlüssel eingestellt (INKO_TOKENS_FILE).")
    return path


def load_tokens(path: Path | None) -> dict[str, dict]:
    path = _require(path)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ConfigError(f"Die Datei der Zugangsschlüssel {str(path)!r} kann nicht gelesen werden: {e}") from None
    if not isinstance(data, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("gebiet"), str) and isinstance(v.get("akteur"), str | None)
            for v in data.values()):
        raise ConfigError(f"Die Datei der Zugangsschlüssel {str(path)!r} hat nicht die Form "
                          "{Prüfsumme: {\"akteur\": IRI oder null, \"gebiet\": IRI}}.")
    return data


def lookup(path: Path | None, token: str | None) -> Grant:
    """The grant a token stands for; :class:`InvalidToken` if there is none.

    Every stored hash is compared, each in constant time, so the answer takes as long for a
    nearly right token as for a wrong one."""
    if not token or not token.strip():
        raise InvalidToken("Für das Hochladen ist ein Zugangsschlüssel nötig.")
    wanted = token_hash(token).encode("ascii")
    found = None
    for h, entry in load_tokens(path).items():
        if hmac.compare_digest(h.encode("ascii", "replace"), wanted):
            found = entry
    if found is None:
        raise InvalidToken("Der Zugangsschlüssel ist ungültig oder wurde entzogen.")
    return Grant(akteur=found.get("akteur"), gebiet=found["gebiet"])


def bearer_token(authorization: str | None) -> str | None:
    """The token of ``Authorization: Bearer <token>``; ``None`` for any other form (no scheme, another
    scheme, nothing after it, more than one word)."""
    scheme, _, rest = (authorization or "").strip().partition(" ")
    rest = rest.strip()
    if scheme.lower() != "bearer" or not rest or any(c.isspace() for c in rest):
        return None
    return rest


def authenticate(settings, authorization: str | None = None, *, token: str | None = None) -> Grant:
    """The grant of the token in the ``Authorization`` header (or given as ``token``, e.g. from a form
    field): :class:`InvalidToken` (401) without a valid one, :class:`ConfigError` if uploads are off."""
    if settings.tokens_file is None:
        raise ConfigError("Das Hochladen ist auf diesem Server nicht eingerichtet (keine Zugangsschlüssel).")
    if authorization and token is None:
        token = bearer_token(authorization)
        if token is None:
            raise InvalidToken("Der Zugangsschlüssel muss als „Authorization: Bearer <Schlüssel>“ gesendet werden.")
    return lookup(settings.tokens_file, token)


def authorize(settings, authorization: str | None, *, gebiet: str, akteur: str | None = None,
              token: str | None = None, names: dict[str, str] | None = None) -> Grant:
    """The grant, if the token may write ``akteur``'s data in ``gebiet`` (``akteur`` ``None``: the area's
    own data, which needs a token for the whole area); 401 :class:`InvalidToken`, 403 :class:`NotAllowed`.
    Call it before reading the content of an upload."""
    return authenticate(settings, authorization, token=token).require(gebiet, akteur, names)


def _update(path: Path, change) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    with open(lock, "a") as lf:
        fcntl.flock(lf, fcntl.LOCK_EX)
        data = load_tokens(path)
        change(data)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)


def create_token(path: Path | None, akteur: str | None, gebiet: str) -> str:
    """A new token for ``akteur`` in ``gebiet`` (``akteur`` ``None``: the whole area); only its hash is stored."""
    path = _require(path)
    token = secrets.token_urlsafe(32)
    entry = {"akteur": akteur, "gebiet": gebiet, "erstellt": date.today().isoformat()}
    _update(path, lambda data: data.__setitem__(token_hash(token), entry))
    return token


def list_tokens(path: Path | None) -> list[dict]:
    """The stored keys without their secret: ``kennung`` (start of the hash), ``akteur``, ``gebiet``, ``erstellt``."""
    return sorted(({"kennung": h[:KEY_ID_LENGTH], "akteur": e.get("akteur"), "gebiet": e["gebiet"],
                    "erstellt": e.get("erstellt", "")} for h, e in load_tokens(path).items()),
                  key=lambda e: (e["gebiet"], e["akteur"] or "", e["erstellt"]))


def revoke(path: Path | None, token: str) -> bool:
    """Remove a key, given the key itself or its ``kennung`` from :func:`list_tokens`; ``True`` if it was there."""
    path = _require(path)
    h = token_hash(token)
    ident = token.strip().lower()
    found = []

    def change(data):
        if h in data:
            found.append(data.pop(h))
        elif len(ident) >= KEY_ID_LENGTH and all(c in "0123456789abcdef" for c in ident):
            matches = [k for k in data if k.startswith(ident)]
            if len(matches) == 1:
                found.append(data.pop(matches[0]))

    _update(path, change)
    return bool(found)
