"""The integrity constraints of the W3C RDF Data Cube (section 11.1) that apply to this graph.

Each is an ASK query ``queries/monitoring-ic-NN.rq`` that is true when the constraint is broken.
Adapted to the default data structure: a data set without ``qb:structure`` uses
``id:vokabular/datenstruktur``. Not applicable, hence not run: IC-7 to IC-10 and IC-18 (no
slices), IC-15 to IC-17 (no ``qb:measureType``), IC-20 and IC-21 (no hierarchical code lists).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError
from .model import catalogue

__all__ = ["Constraint", "constraints", "broken_constraints"]


@dataclass(frozen=True)
class Constraint:
    name: str
    title: str
    purpose: str
    broken: bool


def constraints(store, *, queries_dir: Path | None = None) -> list[Constraint]:
    """Every monitoring-ic-* query, run on the whole graph."""
    out = []
    for q in catalogue(queries_dir):
        if not q.name.startswith("monitoring-ic-"):
            continue
        result = store.query(q.text)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError(f"Die Abfrage {q.name!r} muss eine ASK-Abfrage sein.")
        out.append(Constraint(q.name, q.title, q.purpose, bool(result)))
    return out


def broken_constraints(store, *, queries_dir: Path | None = None) -> list[Constraint]:
    return [c for c in constraints(store, queries_dir=queries_dir) if c.broken]
