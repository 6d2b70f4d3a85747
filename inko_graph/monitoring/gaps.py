"""Monitoring gaps: goals that no indicator measures, indicators without a current value."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from ..errors import ConfigError
from ..query.catalogue import run
from .model import XSD, catalogue

__all__ = ["DEFAULT_YEARS", "default_years", "goals_without_indicator", "indicators_without_current_value"]

#: An indicator counts as current when it has a value in the last N years (relative to the
#: newest period in the graph). Change with INKO_MONITORING_JAHRE or per call.
DEFAULT_YEARS = 3


def default_years(env: dict | None = None) -> int:
    env = os.environ if env is None else env
    raw = env.get("INKO_MONITORING_JAHRE", "")
    if not raw:
        return DEFAULT_YEARS
    try:
        n = int(raw)
    except ValueError:
        raise ConfigError(f"Die Einstellung INKO_MONITORING_JAHRE muss eine ganze Zahl sein, ist aber {raw!r}.") from None
    if n < 1:
        raise ConfigError(f"Die Einstellung INKO_MONITORING_JAHRE muss mindestens 1 sein, ist aber {n}.")
    return n


def goals_without_indicator(store, gebiet: str | None = None, *, queries_dir: Path | None = None):
    """Leitziele, Leitthemen and Monitoringziele that no indicator measures (nor a sub-goal of them)."""
    params = {"gebiet": ox.NamedNode(gebiet)} if gebiet else None
    return run(store, catalogue(queries_dir).get("monitoring-luecken-ziele"), params)


def indicators_without_current_value(store, jahre: int | None = None, gebiet: str | None = None, *,
                                     queries_dir: Path | None = None):
    """Grundzahlen and Kennzahlen with no value in the last ``jahre`` years (default: see above)."""
    n = default_years() if jahre is None else int(jahre)
    if n < 1:
        raise ConfigError(f"Die Anzahl der Jahre muss mindestens 1 sein, ist aber {n}.")
    params: dict = {"jahre": ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))}
    if gebiet:
        params["gebiet"] = ox.NamedNode(gebiet)
    return run(store, catalogue(queries_dir).get("monitoring-luecken-werte"), params)
