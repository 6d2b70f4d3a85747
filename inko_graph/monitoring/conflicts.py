"""Conflicting values: the same indicator, area and period with different values.

Both values stay in the graph with their sources. The conflicts are found by a query
(``monitoring-widersprueche``) rather than stored as ``inko:widerspruch`` links: a query sees
every graph as it is now, so a conflict that an import creates or removes shows at once and no
stored link can go stale. Links that someone did write are shown in the column ``markiert``.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..query.catalogue import run
from .model import areas, catalogue
from .series import focus_areas

__all__ = ["find_conflicts"]


def find_conflicts(store, indikator: str | None = None, *, gebiet: str | None = None, gebiete=None,
                   queries_dir: Path | None = None):
    """One row per pair of conflicting observations (see the query's columns).

    ``gebiet`` (IRI): only values for that area and the places in it (a Kreis's towns), by the
    areas' ``inko:liegtIn`` chain (``gebiete``: the areas, if the caller has read them already);
    the conflicts are few, so they are narrowed here."""
    params = {"indikator": ox.NamedNode(indikator)} if indikator else None
    df = run(store, catalogue(queries_dir).get("monitoring-widersprueche"), params)
    if not gebiet or df.empty:
        return df
    gebiete = gebiete if gebiete is not None else areas(store, queries_dir)
    inside = [gebiet in focus_areas(a, gebiete) for a in df["gebiet"]]
    return df[inside].reset_index(drop=True)
