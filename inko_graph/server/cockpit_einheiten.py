"""One organisation, one actor: the actor list and the actor filter show an organisation once, its
sub-units (``org:subOrganizationOf``, stated or curated) under it and the IRIs curated as the same
organisation (``owl:sameAs``) merged into one entry. The links come from the named query
``cockpit-akteur-einheiten``, read once per state of the data."""

from __future__ import annotations

from fastapi import Request

from ..views.akteursliste import Einheiten, nest_actors, nest_options, with_parents
from .cockpit_base import run

__all__ = ["Einheiten", "einheiten", "nest_actors", "nest_options", "with_parents"]


def einheiten(request: Request) -> Einheiten:
    cache = request.app.state.cache
    e = cache.get("cockpit-einheiten")
    if e is None:
        df = run(request, "cockpit-akteur-einheiten")
        e = cache["cockpit-einheiten"] = Einheiten(zip(df["einheit"], df["beziehung"], df["organisation"]))
    return e
