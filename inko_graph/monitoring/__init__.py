"""Monitoring: indicators, figures as RDF Data Cube observations, statistics import, charts,
gaps and conflicts.

Modules: ``model`` (terms, names, numbers, periods), ``series`` (time series and comparisons),
``csvimport`` (the CSV import), ``charts`` (SVG/PNG), ``gaps``, ``conflicts``, ``integrity``
(Data Cube integrity constraints), ``bericht`` (the section of the Steuerungsgruppe report).
Nothing heavy is imported here; the functions below load their module when called.
"""

from __future__ import annotations

__all__ = ["report_section", "import_csv", "time_series", "find_conflicts"]


def report_section(store, town=None, **options) -> str:
    """The monitoring section of the Steuerungsgruppe report as an HTML fragment (see ``bericht``)."""
    from .bericht import report_section as _section

    return _section(store, town, **options)


def import_csv(store, path, *, dry_run: bool = False):
    from .csvimport import import_csv as _import

    return _import(store, path, dry_run=dry_run)


def time_series(store, indikator: str, gebiet: str | None = None):
    from .series import time_series as _ts

    return _ts(store, indikator, gebiet)


def find_conflicts(store, indikator: str | None = None):
    from .conflicts import find_conflicts as _fc

    return _fc(store, indikator)
