"""The town (Gebiet) the cockpit is for: chosen once, kept in the URL and remembered in a cookie.

``?gebiet=hattingen`` (the last part of the Gebiet's IRI) chooses a town or the Kreis,
``?gebiet=alle`` shows everything. Without the parameter the cookie ``inko_gebiet`` decides.
The choices are the Gebiete that have a concept in the graph (query ``cockpit-gebiete``).

A town's own concepts count (its integration concept); a concept that another concept of the
same town builds on (the Strategiekonzept Hattingen 2020) is context: shown as what the
integration goals contribute to, never counted as gaps. A Kreis's view holds its own concepts and
those of the towns that lie in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

__all__ = ["Gebiet", "COOKIE", "choices", "chosen", "remember", "href"]

COOKIE = "inko_gebiet"
ALLE = "alle"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")


@dataclass
class Gebiet:
    slug: str
    iri: str
    name: str
    liegt_in: str | None = None
    #: (IRI, name) of the concepts that count; for a Kreis also those of its towns.
    konzepte: list[tuple[str, str]] = field(default_factory=list)
    #: (IRI, name) of the context concepts (general town strategies).
    kontext: list[tuple[str, str]] = field(default_factory=list)
    #: For a Kreis: its towns with concepts, (IRI, name).
    staedte: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ist_kreis(self) -> bool:
        return bool(self.staedte)

    @property
    def konzept_iris(self) -> set[str]:
        return {k for k, _ in self.konzepte}

    @property
    def gebiet_iris(self) -> list[str]:
        """The Gebiet and, for a Kreis, its towns: what the ``gebiet`` parameters of queries take."""
        return [self.iri] + [s for s, _ in self.staedte]


def _slug(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1].lower()


def choices(app) -> dict[str, Gebiet]:
    """slug -> Gebiet, Kreise first, then the towns by name; read once per state of the data."""
    cache = app.state.cache
    got = cache.get("cockpit-gebiete")
    if got is not None:
        return got
    from ..query.catalogue import run
    from .named_queries import catalogue

    df = run(app.state.store, catalogue(app).get("cockpit-gebiete"))
    by_iri: dict[str, Gebiet] = {}
    for r in df.itertuples(index=False):
        g = by_iri.get(r.gebiet)
        if g is None:
            g = by_iri[r.gebiet] = Gebiet(_slug(r.gebiet), r.gebiet, r.gebietname if isinstance(r.gebietname, str)
                                          else _slug(r.gebiet), r.liegt_in if isinstance(r.liegt_in, str) else None)
        name = r.konzeptname if isinstance(r.konzeptname, str) else _slug(r.konzept)
        target = g.kontext if r.kontext is True or r.kontext == "true" else g.konzepte
        if (r.konzept, name) not in target:
            target.append((r.konzept, name))
    for g in list(by_iri.values()):
        kreis = by_iri.get(g.liegt_in or "")
        if kreis is not None:
            kreis.staedte.append((g.iri, g.name))
    for g in by_iri.values():
        own = list(g.konzepte)
        for town, _ in g.staedte:
            own += [k for k in by_iri[town].konzepte if k not in own]
        g.konzepte = own
        g.staedte.sort(key=lambda t: t[1].casefold())
    ordered = sorted(by_iri.values(), key=lambda g: (not g.ist_kreis, g.name.casefold()))
    out = {g.slug: g for g in ordered}
    cache["cockpit-gebiete"] = out
    return out


def chosen(request) -> Gebiet | None:
    """The Gebiet of this request: the URL's ``gebiet``, else the cookie; ``None`` for all."""
    raw = request.query_params.get("gebiet")
    if raw is None:
        raw = request.cookies.get(COOKIE, "")
    raw = raw.strip().lower()
    if not raw or raw == ALLE or not (_SLUG.match(raw) or raw.startswith(("http://", "https://"))):
        return None
    opts = choices(request.app)
    if raw in opts:
        return opts[raw]
    # A full IRI (older links, the query parameter of the catalogue) names a Gebiet too.
    for g in opts.values():
        if g.iri.lower() == raw:
            return g
    return None


def remember(request, response) -> None:
    """Keep a choice made in the URL in the cookie (a year; only this site, no script access)."""
    raw = request.query_params.get("gebiet")
    if raw is None:
        return
    g = chosen(request)
    value = g.slug if g else ALLE
    if request.cookies.get(COOKIE) != value:
        response.set_cookie(COOKIE, value, max_age=365 * 24 * 3600, httponly=True, samesite="lax", path="/")


def href(path: str, gebiet: Gebiet | None, **params) -> str:
    """``path`` with the Gebiet and ``params`` (empty values left out) as query string."""
    q = {k: v for k, v in params.items() if v not in (None, "")}
    if gebiet is not None:
        q = {"gebiet": gebiet.slug, **q}
    return path + ("?" + urlencode(q, doseq=True) if q else "")
