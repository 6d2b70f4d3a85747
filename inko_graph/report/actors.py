"""The report's actors without an activity, counted as the cockpit's actor list (``/akteure``) shows
them: one organisation one actor (IRIs curated as the same organisation merged, sub-units under the
organisation they belong to), from the same named queries (``cockpit-akteure``,
``cockpit-akteur-einheiten``). An organisation is without activity when its row and those of all its
sub-units show no activity and no measure; a sub-unit that works makes its organisation active."""

from __future__ import annotations

from .model import ReportContext

__all__ = ["idle_organisations"]


def _nested(ctx: ReportContext) -> list[dict]:
    """The rows of ``/akteure`` for the report's Gebiet (all actors without one)."""
    import pandas as pd

    from ..views.akteursliste import Einheiten, actors, nest_actors, with_parents

    links = ctx.run("cockpit-akteur-einheiten")
    e = Einheiten(zip(links["einheit"], links["beziehung"], links["organisation"]))
    if not ctx.areas:
        return nest_actors(actors(ctx.run("cockpit-akteure")), e)
    rows = actors(pd.concat([ctx.run("cockpit-akteure", {"gebiet": a}) for a in ctx.areas], ignore_index=True))
    have = {e.canon(a["iri"]) for a in rows}
    if any(e.ancestors(a["iri"]) - have for a in rows):  # an organisation seated elsewhere: asked only then
        rows = with_parents(rows, actors(ctx.run("cockpit-akteure")), e)
    return nest_actors(rows, e)


def _idle(a: dict) -> bool:
    return not a["aktivitaeten"] and not a["massnahmen"] and all(_idle(u) for u in a["untereinheiten"])


def idle_organisations(ctx: ReportContext) -> list[dict]:
    """The organisations of ``/akteure`` without activity: ``akteur`` (name), ``art``, ``untereinheiten``
    (names, "; "), ``iri``; in the list's order."""
    out = []
    for a in _nested(ctx):
        if _idle(a):
            art = a["artname"] + (f": {a['akteursart']}" if a["akteursart"] and a["akteursart"] != a["artname"] else "")
            out.append({"akteur": a["label"], "art": art, "iri": a["iri"],
                        "untereinheiten": "; ".join(u["label"] for u in a["untereinheiten"])})
    return out
