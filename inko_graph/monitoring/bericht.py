"""What the Steuerungsgruppe sees: per goal how its indicators moved, where the Kreis stands
against the Land, the gaps and the conflicts. Shared by the report section and the cockpit.

``report_section(store, town=None)`` returns an HTML fragment (escaped by Jinja2, charts as
``data:`` SVG images) for the Steuerungsgruppe report.
"""

from __future__ import annotations

import base64
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..query.catalogue import run
from .model import (Gebiet, Names, areas, catalogue, format_number, format_period, indicators, period_sort_key,
                    records)
from .series import Series, area_order, comparison_period, focus_areas, time_series

__all__ = ["Entwicklung", "GoalView", "IndicatorView", "PairView", "goal_views", "indicator_view", "pair_views",
           "resolve_town", "chart_for", "report_section", "data_uri"]


@dataclass
class Entwicklung:
    """How one indicator moved in one area: first and last value and the change."""

    gebiet: str
    gebietname: str
    erster_zeitraum: str
    erster_wert: float
    letzter_zeitraum: str
    letzter_wert: float
    anzahl: int

    @property
    def aenderung(self) -> Decimal | None:
        if self.anzahl < 2:
            return None
        return Decimal(str(self.letzter_wert)) - Decimal(str(self.erster_wert))

    def text(self, unit: str = "") -> str:
        u = " %" if unit.strip().casefold() in ("%", "prozent") else (f" {unit}" if unit and unit != "Anzahl" else "")
        last = f"{format_number(self.letzter_wert)}{u} ({format_period(self.letzter_zeitraum)})"
        if self.anzahl < 2:
            return f"{last}; noch kein früherer Wert"
        ch = self.aenderung
        sign = "+" if ch > 0 else ("±" if ch == 0 else "")
        points = " Prozentpunkte" if u == " %" else u
        return (f"{last}; {format_period(self.erster_zeitraum)}: {format_number(self.erster_wert)}{u}, "
                f"Veränderung {sign}{format_number(ch)}{points}")


@dataclass
class IndicatorView:
    iri: str
    name: str
    art: str | None
    einheit: str
    series: Series
    shown: list[str]
    entwicklungen: list[Entwicklung] = field(default_factory=list)
    artname: str | None = None

    @property
    def qualitativ(self) -> bool:
        return bool(self.art and self.art.endswith("/qualitativ"))

    @property
    def has_values(self) -> bool:
        return not self.series.empty

    def periods_shown(self) -> list[str]:
        rows = self.series.rows
        if rows.empty:
            return []
        return sorted(set(rows[rows["gebiet"].isin(self.shown)]["zeitraum"]), key=period_sort_key)


@dataclass
class GoalView:
    iri: str
    name: str
    nummer: str
    art: str
    konzept: str
    indikatoren: list[IndicatorView]


@dataclass
class PairView:
    """Two areas side by side over every indicator both have a value for (newest common period)."""

    gebiet: Gebiet
    vergleich: Gebiet
    rows: list[dict]

    def percent_items(self) -> list[tuple[str, float, float]]:
        return [(r["bezeichnung"], r["wert"], r["vergleichswert"]) for r in self.rows
                if r["prozent"] and not r["widerspruch"]]


def resolve_town(store, town, gebiete: dict[str, Gebiet] | None = None) -> str | None:
    """A town given as IRI, prefixed name or label, as IRI; ``None`` stays ``None``."""
    if town is None or town == "":
        return None
    if isinstance(town, ox.NamedNode):
        town = town.value
    gebiete = gebiete if gebiete is not None else areas(store)
    iri, why = Names(gebiete, "Gebiet").find(str(town))
    if iri is None:
        raise InputError(why, source="Gebiet")
    return iri


def developments(series: Series, shown: list[str]) -> list[Entwicklung]:
    out = []
    rows = series.rows
    for area in area_order([a for a in shown if a in set(rows["gebiet"])], series.gebiete):
        part = rows[rows["gebiet"] == area]
        periods = sorted(set(part["zeitraum"]), key=period_sort_key)
        first = part[part["zeitraum"] == periods[0]]["wert"].iloc[0]
        last = part[part["zeitraum"] == periods[-1]]["wert"].iloc[0]
        out.append(Entwicklung(area, part["gebietname"].iloc[0], periods[0], first, periods[-1], last, len(periods)))
    return out


def indicator_view(store, iri: str, town: str | None = None, *, gebiete=None, inds=None,
                   queries_dir: Path | None = None) -> IndicatorView:
    gebiete = gebiete if gebiete is not None else areas(store, queries_dir)
    inds = inds if inds is not None else indicators(store, queries_dir)
    info = inds.get(iri)
    series = time_series(store, iri, gebiete=gebiete, queries_dir=queries_dir)
    present = set(series.rows["gebiet"]) if not series.empty else set()
    if town:
        # The area, the areas it lies in (to compare with) and the places in it (a Kreis's towns).
        chain = focus_areas(town, gebiete)
        shown = [a for a in chain if a in present]
        shown += area_order([a for a in present if a not in chain and town in focus_areas(a, gebiete)], gebiete)
    else:
        shown = area_order(present, gebiete)
    unit = (info.einheit if info and info.einheit else series.unit() if not series.empty else "") or ""
    view = IndicatorView(iri, info.name if info else iri, info.art if info else None, unit, series, shown,
                         artname=info.artname if info else None)
    if not series.empty:
        view.entwicklungen = developments(series, shown)
    return view


def goal_views(store, town: str | None = None, *, queries_dir: Path | None = None) -> list[GoalView]:
    """Every goal that an indicator measures (of the town's concepts, if a town is given)."""
    gebiete = areas(store, queries_dir)
    inds = indicators(store, queries_dir)
    params = {"gebiet": ox.NamedNode(town)} if town else None
    df = run(store, catalogue(queries_dir).get("monitoring-indikator-ziele"), params)
    cache: dict[str, IndicatorView] = {}
    goals: dict[str, GoalView] = {}
    for r in df.itertuples(index=False):
        g = goals.get(r.ziel)
        if g is None:
            g = goals[r.ziel] = GoalView(r.ziel, r.zielname if isinstance(r.zielname, str) else r.ziel,
                                         r.zielnummer if isinstance(r.zielnummer, str) else "",
                                         r.zielart if isinstance(r.zielart, str) else "Ziel",
                                         r.konzeptname if isinstance(r.konzeptname, str) else "", [])
        if r.indikator not in cache:
            cache[r.indikator] = indicator_view(store, r.indikator, town, gebiete=gebiete, inds=inds,
                                                queries_dir=queries_dir)
        if all(i.iri != r.indikator for i in g.indikatoren):
            g.indikatoren.append(cache[r.indikator])
    return list(goals.values())


def pair_views(store, town: str | None = None, *, queries_dir: Path | None = None) -> list[PairView]:
    """Town against its Kreis and the Kreis against the Land; without a town every Kreis against its Land."""
    gebiete = areas(store, queries_dir)
    pairs: list[tuple[str, str]] = []
    if town:
        chain = focus_areas(town, gebiete)
        pairs = list(zip(chain, chain[1:]))
    else:
        for g in gebiete.values():
            parent = gebiete.get(g.parent) if g.parent else None
            if parent is not None and not parent.parent:
                pairs.append((g.iri, parent.iri))
    q = catalogue(queries_dir).get("monitoring-gebietsvergleich")
    out = []
    # A town first, then its Kreis against the Land; without a town the areas in their usual order.
    for a, b in (pairs if town else sorted(pairs, key=lambda p: area_order([p[0]], gebiete))):
        df = run(store, q, {"gebiet": ox.NamedNode(a), "vergleich": ox.NamedNode(b)})
        if df.empty:
            continue
        rows = []
        for ind, part in df.groupby("indikator", sort=False):
            newest = max(part["zeitraum"], key=period_sort_key)
            now = part[part["zeitraum"] == newest]
            r = now.iloc[0]
            unit = r["einheit"] if isinstance(r["einheit"], str) else ""
            percent = unit.strip().casefold() in ("%", "prozent")
            werte = list(dict.fromkeys(now["wert"]))
            vergleichswerte = list(dict.fromkeys(now["vergleichswert"]))
            rows.append({"indikator": ind, "bezeichnung": r["bezeichnung"] if isinstance(r["bezeichnung"], str) else ind,
                         "einheit": unit, "zeitraum": newest, "wert": werte[0], "vergleichswert": vergleichswerte[0],
                         "werte": werte, "vergleichswerte": vergleichswerte, "prozent": percent,
                         # Sources that disagree: all values are shown, no difference is computed.
                         "widerspruch": len(werte) > 1 or len(vergleichswerte) > 1,
                         # Only shares compare across areas of different size; counts do not.
                         "differenz": (Decimal(str(werte[0])) - Decimal(str(vergleichswerte[0])))
                         if percent and len(werte) == 1 and len(vergleichswerte) == 1 else None})
        rows.sort(key=lambda r: (not r["prozent"], r["bezeichnung"]))
        out.append(PairView(gebiete[a], gebiete[b], rows))
    return out


def chart_for(view: IndicatorView, kind: str = "auto", fmt: str = "svg", town: str | None = None) -> bytes | None:
    """The chart of one indicator: a time series when it has two periods or more, else a comparison."""
    from .charts import comparison_chart, time_series_chart

    if not view.has_values or not view.shown:
        return None
    periods = view.periods_shown()
    if kind == "auto":
        kind = "zeitreihe" if len(periods) > 1 else "vergleich"
    if kind == "zeitreihe":
        return time_series_chart(view.series, gebiete=view.shown, fmt=fmt)
    period = comparison_period(view.series)
    return comparison_chart(view.series, period, gebiete=None if not town else view.shown, focus=town, fmt=fmt)


def data_uri(data: bytes, media_type: str = "image/svg+xml") -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


@functools.lru_cache(maxsize=1)
def _environment():
    """One environment: it compiles a template once (about 0.1 s) and again only when the file changes."""
    import jinja2

    from ..settings import PROJECT_ROOT

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(PROJECT_ROOT / "inko_graph" / "templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["zahl"] = format_number
    env.filters["zeitraum"] = format_period
    return env


def report_section(store, town=None, *, jahre: int | None = None, queries_dir: Path | None = None,
                   charts: bool = True) -> str:
    """The monitoring section of the Steuerungsgruppe report, as an escaped HTML fragment.

    ``town``: an area (IRI, prefixed name or label) to focus on: goals of its concepts, values of
    the town, its Kreis and the Land. ``jahre``: how many years count as current for the gaps.
    """
    from .charts import pair_chart
    from .conflicts import find_conflicts
    from .gaps import default_years, goals_without_indicator, indicators_without_current_value

    gebiete = areas(store, queries_dir)
    town_iri = resolve_town(store, town, gebiete)
    n = default_years() if jahre is None else jahre
    goals = goal_views(store, town_iri, queries_dir=queries_dir)
    images: dict[str, str] = {}
    if charts:
        for g in goals:
            for v in g.indikatoren:
                if v.iri not in images:
                    img = chart_for(v, town=town_iri)
                    if img is not None:
                        images[v.iri] = data_uri(img)
    pairs = pair_views(store, town_iri, queries_dir=queries_dir)
    pair_images = {}
    if charts:
        for p in pairs:
            items = p.percent_items()
            if items:
                period = max((r["zeitraum"] for r in p.rows if r["prozent"]), key=period_sort_key)
                pair_images[p.gebiet.iri] = data_uri(pair_chart(
                    items, (p.gebiet.name, p.vergleich.name), unit="Prozent",
                    title=f"{p.gebiet.name} und {p.vergleich.name}, {format_period(period)}"))
    goal_gaps = goals_without_indicator(store, town_iri, queries_dir=queries_dir)
    value_gaps = indicators_without_current_value(store, n, town_iri, queries_dir=queries_dir)
    conflicts = find_conflicts(store, gebiet=town_iri, gebiete=gebiete, queries_dir=queries_dir)
    newest = value_gaps["neuestes_jahr"].dropna()
    context = {
        "town": gebiete[town_iri] if town_iri else None,
        "goals": goals, "images": images, "pairs": pairs, "pair_images": pair_images,
        "goal_gaps": records(goal_gaps), "value_gaps": records(value_gaps),
        "conflicts": conflict_rows(conflicts), "jahre": n,
        "neuestes_jahr": int(newest.iloc[0]) if len(newest) else None,
    }
    return _environment().get_template("monitoring_bericht.html.j2").render(**context)


def conflict_rows(df) -> list[dict]:
    """The conflicts with each side's source as a person cites it."""
    from .series import source_text

    out = []
    for r in records(df):
        r["text_a"] = source_text(r["quelle_a"], r["titel_a"], r["abschnitt_a"])
        r["text_b"] = source_text(r["quelle_b"], r["titel_b"], r["abschnitt_b"])
        out.append(r)
    return out
