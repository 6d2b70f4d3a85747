"""Charts as SVG (or PNG) bytes: a time series per indicator and a comparison across areas.

matplotlib is imported only when a chart is drawn, and only its object API with the Agg/SVG
canvases is used: no pyplot state, so charts can be drawn side by side in a server.
"""

from __future__ import annotations

import functools
import io
import textwrap
import threading

from .model import format_number, format_period, period_position, period_sort_key, period_year
from .series import Series, area_order

__all__ = ["time_series_chart", "comparison_chart", "pair_chart", "MEDIA_TYPES"]

MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}

# Colour-blind safe (Okabe–Ito); the Land grey, the Kreis blue, a town in focus orange.
_LAND, _KREIS, _STADT, _FOKUS = "#7f7f7f", "#0072B2", "#56B4E9", "#E69F00"
_TOWNS = ["#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"]


# matplotlib's settings (rcParams) are process-wide: charts are drawn one at a time.
_LOCK = threading.RLock()


def _serialised(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import matplotlib

        with _LOCK, matplotlib.rc_context({"font.size": 11, "axes.titlesize": 12}):
            return fn(*args, **kwargs)

    return wrapper


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig


def _render(fig, fmt: str) -> bytes:
    if fmt not in MEDIA_TYPES:
        raise ValueError(f"unbekanntes Bildformat {fmt!r}")
    import matplotlib

    buf = io.BytesIO()
    # Text stays text in the SVG (readable, searchable, small); a fixed salt and no date make the
    # output the same for the same data.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "inko-graph"}):
        if fmt == "svg":
            from matplotlib.backends.backend_svg import FigureCanvasSVG

            FigureCanvasSVG(fig)
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        else:
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            FigureCanvasAgg(fig)
            fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _german_axis(ax, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: format_number(round(v, 6)))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _wrap(text: str, width: int = 48) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _style(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(True, axis="both", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


@_serialised
def time_series_chart(series: Series, *, title: str = "", gebiete: list[str] | None = None,
                      fmt: str = "svg") -> bytes:
    """Values over time, one line per area; conflicting values of a period all shown as points."""
    rows = series.rows
    shown = gebiete or series.area_iris()
    fig = _figure(7.5, 4.2)
    ax = fig.add_subplot()
    _style(ax)
    years: set[int] = set()
    towns = 0
    for area in area_order([a for a in shown if a in set(rows["gebiet"])], series.gebiete):
        part = rows[rows["gebiet"] == area]
        periods = sorted(set(part["zeitraum"]), key=period_sort_key)
        xs = [period_position(p) for p in periods]
        firsts = [part[part["zeitraum"] == p]["wert"].iloc[0] for p in periods]
        years.update(period_year(p) for p in periods)
        name = part["gebietname"].iloc[0]
        colour = _role_colour(area, series)
        if colour is None:
            colour = _TOWNS[towns % len(_TOWNS)]
            towns += 1
        ax.plot(xs, firsts, marker="o", color=colour, linewidth=2, label=name)
        # A second value for the same period that differs from the first: a conflict, shown apart.
        first_of = dict(zip(periods, firsts))
        others = part[part.duplicated(["zeitraum"], keep="first")]
        others = others[[v != first_of[p] for p, v in zip(others["zeitraum"], others["wert"])]]
        if not others.empty:
            ax.scatter([period_position(p) for p in others["zeitraum"]], others["wert"], marker="x",
                       color=colour, s=60, zorder=3, label=f"{name}: abweichender Wert")
    if years:
        lo, hi = min(years), max(years)
        ticks = list(range(lo, hi + 1))
        step = max(1, len(ticks) // 10)
        ax.set_xticks([y + 0.5 for y in ticks[::step]], [str(y) for y in ticks[::step]])
        ax.set_xlim(lo - 0.2, hi + 1.2)
    ax.set_xlabel("Jahr")
    unit = series.unit()
    ax.set_ylabel(f"Wert ({unit})" if unit else "Wert")
    _german_axis(ax, "y")
    if title:
        ax.set_title(_wrap(title, 70), fontsize=11, loc="left")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False, fontsize=9)
    else:
        ax.text(0.5, 0.5, "Keine Werte vorhanden", ha="center", va="center", transform=ax.transAxes)
    return _render(fig, fmt)


def _role_colour(area: str, series: Series) -> str | None:
    """Grey for a Land, blue for a Kreis (an area in a Land); ``None`` for towns and smaller."""
    g = series.gebiete.get(area)
    if g is None or not g.parent:
        return _LAND
    parent = series.gebiete.get(g.parent)
    return _KREIS if parent is not None and not parent.parent else None


def _bar_colour(area: str, series: Series, focus: str | None) -> str:
    if focus and area == focus:
        return _FOKUS
    return _role_colour(area, series) or _STADT


@_serialised
def comparison_chart(series: Series, period: str, *, title: str = "", gebiete: list[str] | None = None,
                     focus: str | None = None, fmt: str = "svg") -> bytes:
    """One bar per area for one period: Land, Kreis, towns; the town in focus highlighted."""
    rows = series.rows[series.rows["zeitraum"] == period]
    present = list(dict.fromkeys(rows["gebiet"]))
    order = area_order([a for a in present if not gebiete or a in gebiete], series.gebiete)
    values = [rows[rows["gebiet"] == a]["wert"].iloc[0] for a in order]
    names = [rows[rows["gebiet"] == a]["gebietname"].iloc[0] for a in order]
    fig = _figure(7.5, max(1.8, 0.42 * len(order) + 1.2))
    ax = fig.add_subplot()
    _style(ax)
    ax.grid(False, axis="y")
    ys = list(range(len(order)))[::-1]
    bars = ax.barh(ys, values, color=[_bar_colour(a, series, focus) for a in order], height=0.65)
    ax.set_yticks(ys, names)
    unit = series.unit()
    for bar, v in zip(bars, values):
        ax.annotate(format_number(v) + (" %" if unit and unit.strip() in ("%", "Prozent") else ""),
                    (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=9)
    ax.set_xlabel((f"Wert ({unit})" if unit else "Wert") + f", {format_period(period)}")
    _german_axis(ax, "x")
    if values:
        ax.set_xlim(min(0, min(values)), max(values) * 1.18 if max(values) > 0 else 1)
    if title:
        ax.set_title(_wrap(title, 70), fontsize=11, loc="left")
    return _render(fig, fmt)


@_serialised
def pair_chart(items: list[tuple[str, float | None, float | None]], names: tuple[str, str], *,
               title: str = "", unit: str = "", fmt: str = "svg") -> bytes:
    """Several indicators, two areas side by side (e.g. Kreis against Land): grouped bars."""
    fig = _figure(7.5, max(2.2, 0.55 * len(items) + 1.3))
    ax = fig.add_subplot()
    _style(ax)
    ax.grid(False, axis="y")
    h = 0.38
    ys = list(range(len(items)))[::-1]
    for k, (colour, name) in enumerate(zip((_KREIS, _LAND), names)):
        vals = [it[1 + k] for it in items]
        pos = [y + (h / 2 if k == 0 else -h / 2) for y in ys]
        bars = ax.barh([p for p, v in zip(pos, vals) if v is not None], [v for v in vals if v is not None],
                       height=h, color=colour, label=name)
        for bar, v in zip(bars, [v for v in vals if v is not None]):
            ax.annotate(format_number(v), (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(ys, [_wrap(it[0], 42) for it in items], fontsize=8)
    ax.set_xlabel(f"Wert ({unit})" if unit else "Wert")
    _german_axis(ax, "x")
    allv = [v for it in items for v in it[1:] if v is not None]
    if allv:
        ax.set_xlim(0, max(allv) * 1.15)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.3 / max(1, len(items))), ncol=2, frameon=False,
              fontsize=9)
    if title:
        ax.set_title(_wrap(title, 70), fontsize=11, loc="left")
    return _render(fig, fmt)
