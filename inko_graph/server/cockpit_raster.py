"""Who has sent the Raster for a year and who not, for the Raster page and the chosen Gebiet.

Expected to report: the actors of the Gebiet who carry a measure or activity, and everyone who
has ever reported (queries ``raster-meldungen`` and ``cockpit-akteure``)."""

from __future__ import annotations

from datetime import date

from fastapi import Request

from . import gebiet as gb
from .cockpit_base import natural, run, text

__all__ = ["reporting"]


def reporting(request: Request) -> dict:
    import pandas as pd

    g = gb.chosen(request)
    subs = run(request, "raster-meldungen")
    if g is None:
        acts = run(request, "cockpit-akteure")
    else:
        acts = pd.concat([run(request, "cockpit-akteure", {"gebiet": iri}) for iri in g.gebiet_iris], ignore_index=True)
    names = {r.akteur: text(r.label) for r in acts.itertuples(index=False) if text(r.label)}
    in_area = set(acts["akteur"])
    subs = subs[subs["akteur"].isin(in_area)] if g is not None and len(subs) else subs
    years = sorted({int(str(y)[:4]) for y in subs["jahr"].dropna()}) if len(subs) else []
    this_year = date.today().year
    try:
        year = int(request.query_params.get("jahr", "") or this_year)
    except ValueError:
        year = this_year
    expected = {r.akteur for r in acts.itertuples(index=False)
                if (r.aktivitaeten == r.aktivitaeten and r.aktivitaeten) or (r.massnahmen == r.massnahmen and r.massnahmen)}
    expected |= set(subs["akteur"]) if len(subs) else set()
    done = {}
    for r in subs.itertuples(index=False):
        if int(str(r.jahr)[:4]) == year:
            done[r.akteur] = {"iri": r.akteur, "name": text(r.akteurname) or names.get(r.akteur, ""),
                              "datei": text(r.datei), "aktivitaeten": int(r.aktivitaeten or 0)}
    last = {}
    for r in subs.itertuples(index=False):
        last[r.akteur] = max(last.get(r.akteur, 0), int(str(r.jahr)[:4]))
    missing = [{"iri": a, "name": names.get(a, "") or a.rsplit("/", 1)[-1], "zuletzt": last.get(a)}
               for a in expected - set(done)]
    return {"jahr": year, "jahre": sorted(set(years) | {this_year}),
            "gemeldet": sorted(done.values(), key=lambda x: natural(x["name"])),
            "fehlt": sorted(missing, key=lambda x: natural(x["name"])), "gebiet": g}
