"""Upload tokens, each tied to one actor and one area (town or county).

The tokens file (``Settings.tokens_file``, JSON) keeps only the SHA-256 of each token:
``{"<sha256 hex>": {"akteur": "<IRI>", "gebiet": "<IRI>", "erstellt": "<date>"}}``. A token is
shown once when it is made; whoever holds it may replace that actor's Raster submissions and
nothing else. Writes go to a temporary file that replaces the old one in one step.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import ConfigError, InkoError

__all__ = ["Grant", "NotAllowed", "InvalidToken", "create_token", "lookup", "revoke", "load_tokens", "token_hash"]


class NotAllowed(InkoError):
    """The token does not allow this (another actor's or another town's submission)."""

    status = 403


class InvalidToken(NotAllowed):
    """No token, or one that is not in the tokens file."""

    status = 401


@dataclass(frozen=True)
class Grant:
    akteur: str
    gebiet: str


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
    if not isinstance(data, dict) or not all(isinstance(v, dict) and "akteur" in v and "gebiet" in v
                                             for v in data.values()):
        raise ConfigError(f"Die Datei der Zugangsschlüssel {str(path)!r} hat nicht die Form "
                          "{{Prüfsumme: {{\"akteur\": IRI, \"gebiet\": IRI}}}}.")
    return data


def lookup(path: Path | None, token: str | None) -> Grant:
    """The actor and area a token stands for; :class:`InvalidToken` if there is none."""
    if not token or not token.strip():
        raise InvalidToken("Für das Hochladen ist ein Zugangsschlüssel nötig.")
    entry = load_tokens(path).get(token_hash(token))
    if entry is None:
        raise InvalidToken("Der Zugangsschlüssel ist ungültig oder wurde entzogen.")
    return Grant(akteur=entry["akteur"], gebiet=entry["gebiet"])


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


def create_token(path: Path | None, akteur: str, gebiet: str) -> str:
    """A new token for ``akteur`` in ``gebiet``; only its hash is stored."""
    path = _require(path)
    token = secrets.token_urlsafe(32)
    entry = {"akteur": akteur, "gebiet": gebiet, "erstellt": date.today().isoformat()}
    _update(path, lambda data: data.__setitem__(token_hash(token), entry))
    return token


def revoke(path: Path | None, token: str) -> bool:
    """Remove a token; ``True`` if it was there."""
    path = _require(path)
    h = token_hash(token)
    found = []

    def change(data):
        found.append(data.pop(h, None) is not None)

    _update(path, change)
    return found[0]
