"""Who has reported indicator values for a year and who not: the areas of the chosen Gebiet
(the town and the places in it; a Kreis with its towns) by the values the graph holds for them
(query ``monitoring-meldungen``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph as ox

from ..query.catalogue import run
from .model import catalogue, records

__all__ = ["reporting"]


def reporting(store, jahr: int | None = None, gebiet: str | None = None, *,
              queries_dir: Path | None = None) -> dict:
    """``jahr`` (default: this year): ``gemeldet`` the areas with values for that year (with their
    number), ``fehlt`` the others (with the last year they have values for), ``jahre`` the years
    to choose from (every year with values and this year)."""
    params = {"gebiet": ox.NamedNode(gebiet)} if gebiet else None
    rows = records(run(store, catalogue(queries_dir).get("monitoring-meldungen"), params))
    this_year = date.today().year
    year = this_year if jahr is None else int(jahr)
    names: dict[str, str] = {}
    per_year: dict[str, dict[int, int]] = {}
    for r in rows:
        names[r["ort"]] = r["ortname"] or r["ort"].rsplit("/", 1)[-1]
        years = per_year.setdefault(r["ort"], {})
        if r["jahr"] is not None:
            years[int(r["jahr"])] = int(r["anzahl_werte"] or 0)
    done, missing = [], []
    for iri, years in per_year.items():
        if year in years:
            done.append({"iri": iri, "name": names[iri], "werte": years[year]})
        else:
            earlier = [y for y in years if y < year]
            missing.append({"iri": iri, "name": names[iri], "zuletzt": max(earlier) if earlier else None})
    key = lambda a: a["name"].casefold()  # noqa: E731
    all_years = sorted({y for years in per_year.values() for y in years} | {this_year, year})
    return {"jahr": year, "jahre": all_years, "gemeldet": sorted(done, key=key), "fehlt": sorted(missing, key=key)}
