"""Time series and comparisons across areas, read from the observations of one indicator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..query.catalogue import run
from .model import Gebiet, areas, catalogue, format_number, format_period, period_sort_key

__all__ = ["Series", "time_series", "area_order", "focus_areas", "comparison_period", "source_text"]


@dataclass
class Series:
    """The observations of one indicator as a table (one row per observation), plus its areas."""

    indikator: str
    rows: "object"  # pandas.DataFrame
    gebiete: dict[str, Gebiet]

    @property
    def empty(self) -> bool:
        return self.rows.empty

    def periods(self) -> list[str]:
        return sorted(set(self.rows["zeitraum"]), key=period_sort_key)

    def area_iris(self) -> list[str]:
        return area_order(set(self.rows["gebiet"]), self.gebiete)

    def unit(self) -> str:
        units = [u for u in self.rows["einheit"].dropna().unique() if u]
        return units[0] if units else ""

    def value_table(self) -> list[dict]:
        """Rows for a table: period, area, value (German), unit, source; conflicting values marked."""
        out = []
        counts = self.rows.groupby(["gebiet", "zeitraum"])["wert"].nunique()
        order = {g: i for i, g in enumerate(self.area_iris())}
        rows = self.rows.assign(_o=self.rows["gebiet"].map(order),
                                _p=self.rows["zeitraum"].map(period_sort_key))
        for r in rows.sort_values(["_p", "_o", "quelle_text"]).itertuples(index=False):
            out.append({
                "zeitraum": format_period(r.zeitraum),
                "gebiet": r.gebiet,
                "gebietname": r.gebietname,
                "wert": format_number(r.wert),
                "einheit": r.einheit or "",
                "quelle": r.quelle_text,
                "widerspruch": bool(counts.get((r.gebiet, r.zeitraum), 1) > 1),
                "beobachtung": r.beobachtung,
            })
        return out


def source_text(quelle, quellname, abschnitt) -> str:
    """``Integrationskonzept des Ennepe-Ruhr-Kreises, Tabelle 3`` – the source as a person cites it."""
    parts = []
    if isinstance(quellname, str) and quellname:
        parts.append(quellname)
    elif isinstance(quelle, str) and quelle:
        from ..namespaces import shorten

        parts.append(shorten(quelle) if quelle.startswith("http") else quelle)
    if isinstance(abschnitt, str) and abschnitt and abschnitt not in parts:
        parts.append(abschnitt)
    return ", ".join(parts)


def time_series(store, indikator: str, gebiet: str | None = None, *, queries_dir: Path | None = None,
                gebiete: dict[str, Gebiet] | None = None) -> Series:
    """Every observation of ``indikator`` (in ``gebiet`` only, if given), one row each."""
    params = {"indikator": ox.NamedNode(indikator)}
    if gebiet:
        params["gebiet"] = ox.NamedNode(gebiet)
    df = run(store, catalogue(queries_dir).get("monitoring-zeitreihe"), params)
    if not df.empty:
        df["quelle_text"] = [source_text(q, n, a) for q, n, a in zip(df["quelle"], df["quellname"], df["abschnitt"])]
        # An observation with several sources is one row whose source names them all.
        df = (df.groupby("beobachtung", as_index=False, sort=False)
                .agg({**{c: "first" for c in df.columns if c not in ("beobachtung", "quelle_text")},
                      "quelle_text": lambda s: "; ".join(dict.fromkeys(x for x in s if x))}))
        df["gebietname"] = [n if isinstance(n, str) else g.rsplit("/", 1)[-1] for g, n in zip(df["gebiet"], df["gebietname"])]
        df["einheit"] = [e if isinstance(e, str) else "" for e in df["einheit"]]
    else:
        df["quelle_text"] = []
    return Series(indikator, df, gebiete if gebiete is not None else areas(store, queries_dir))


def _depth(iri: str, gebiete: dict[str, Gebiet]) -> int:
    d, seen = 0, set()
    cur = gebiete.get(iri)
    while cur is not None and cur.parent and cur.parent not in seen:
        seen.add(cur.parent)
        d += 1
        cur = gebiete.get(cur.parent)
    return d


def area_order(iris, gebiete: dict[str, Gebiet]) -> list[str]:
    """Land first, then Kreise, then towns, each by name: the order of a comparison."""
    return sorted(iris, key=lambda i: (_depth(i, gebiete), gebiete[i].name if i in gebiete else i))


def focus_areas(town: str, gebiete: dict[str, Gebiet]) -> list[str]:
    """The town and every area it lies in: Hattingen, Ennepe-Ruhr-Kreis, Nordrhein-Westfalen."""
    out, cur = [], town
    while cur and cur not in out:
        out.append(cur)
        g = gebiete.get(cur)
        cur = g.parent if g else None
    return out


def comparison_period(series: Series, wanted: str | None = None) -> str | None:
    """The period to compare areas in: the one asked for, else the newest with most areas."""
    if series.empty:
        return None
    periods = series.periods()
    if wanted and wanted in periods:
        return wanted
    per = series.rows.groupby("zeitraum")["gebiet"].nunique()
    best = max(periods, key=lambda p: (min(per.get(p, 0), 2), period_sort_key(p)))
    return best
