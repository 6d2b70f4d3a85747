"""Charts as SVG bytes, drawn directly: a time series per indicator, a comparison across areas and
two areas side by side.

Each SVG is small, text stays text, every text from the data is escaped, and it carries a
``<title>``, a ``<desc>`` with all its numbers and ``role="img"`` with an ``aria-label``, so a
screen reader gets the numbers without the picture. The same data give the same bytes.
"""

from __future__ import annotations

import math
import textwrap
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from .model import format_number, format_period, period_position, period_sort_key, period_year
from .series import Series, area_order

__all__ = ["time_series_chart", "comparison_chart", "pair_chart", "MEDIA_TYPES", "nice_ticks"]

MEDIA_TYPES = {"svg": "image/svg+xml"}

# Colour-blind safe (Okabe–Ito); the Land grey, the Kreis blue, a town in focus orange.
_LAND, _KREIS, _STADT, _FOKUS = "#6f6f6f", "#0072B2", "#56B4E9", "#E69F00"
_TOWNS = ["#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"]
_MARKERS = ["circle", "square", "diamond", "triangle"]
_FONT = 'font-family="DejaVu Sans, Arial, Helvetica, sans-serif"'
_TEXT, _GRID, _AXIS = "#1d2733", "#dddddd", "#555555"


def _check(fmt: str) -> None:
    if fmt not in MEDIA_TYPES:
        raise ValueError(f"unbekanntes Bildformat {fmt!r} (möglich: {', '.join(MEDIA_TYPES)})")


def _width(text: str, size: float) -> float:
    """Rough width of ``text`` in px: enough to lay out labels without a font engine."""
    return len(text) * size * 0.56


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [text]


def _num(v: float) -> str:
    """A coordinate, short and always the same for the same value."""
    return f"{v:.1f}".rstrip("0").rstrip(".")


def nice_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values covering ``lo``..``hi`` (steps of 1, 2, 2.5 or 5 times a power of ten)."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi, lo = hi + (abs(hi) * 0.1 or 1), lo - (abs(lo) * 0.1 or 1)
    raw = (hi - lo) / max(1, most - 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    d = Decimal(str(step))
    first = math.floor(lo / step)
    out, k = [], first
    while True:
        v = float(Decimal(k) * d)
        out.append(v)
        if v >= hi - 1e-9:
            break
        k += 1
    return out


class _Svg:
    """An SVG document under construction; every text goes through ``text`` and is escaped."""

    def __init__(self, width: float, height: float, title: str, desc: str):
        self.w, self.h = width, height
        self.parts: list[str] = []
        self.title, self.desc = title, desc

    def add(self, element: str) -> None:
        self.parts.append(element)

    def text(self, x, y, s: str, *, size: float = 11, anchor: str = "start", weight: str = "normal",
             fill: str = _TEXT, rotate: float | None = None) -> None:
        rot = f' transform="rotate({_num(rotate)} {_num(x)} {_num(y)})"' if rotate else ""
        bold = ' font-weight="bold"' if weight != "normal" else ""
        self.parts.append(f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" text-anchor="{anchor}" '
                          f'fill="{fill}"{bold}{rot}>{escape(s)}</text>')

    def line(self, x1, y1, x2, y2, colour: str, width: float = 1, dash: str = "") -> None:
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
                          f'stroke="{colour}" stroke-width="{_num(width)}"{d}/>')

    def rect(self, x, y, w, h, colour: str, label: str = "") -> None:
        t = f"<title>{escape(label)}</title>" if label else ""
        self.parts.append(f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(max(0.0, w))}" height="{_num(h)}" '
                          f'fill="{colour}">{t}</rect>')

    def marker(self, kind: str, x, y, colour: str, label: str = "") -> None:
        t = f"<title>{escape(label)}</title>" if label else ""
        if kind == "square":
            shape = f'<rect x="{_num(x - 4)}" y="{_num(y - 4)}" width="8" height="8" fill="{colour}">{t}</rect>'
        elif kind == "diamond":
            pts = f"{_num(x)},{_num(y - 5.5)} {_num(x + 5.5)},{_num(y)} {_num(x)},{_num(y + 5.5)} {_num(x - 5.5)},{_num(y)}"
            shape = f'<polygon points="{pts}" fill="{colour}">{t}</polygon>'
        elif kind == "triangle":
            pts = f"{_num(x)},{_num(y - 5.5)} {_num(x + 5)},{_num(y + 4)} {_num(x - 5)},{_num(y + 4)}"
            shape = f'<polygon points="{pts}" fill="{colour}">{t}</polygon>'
        elif kind == "cross":
            shape = (f'<path d="M{_num(x - 5)} {_num(y - 5)}L{_num(x + 5)} {_num(y + 5)}M{_num(x - 5)} {_num(y + 5)}'
                     f'L{_num(x + 5)} {_num(y - 5)}" stroke="{colour}" stroke-width="2.2">{t}</path>')
        else:
            shape = f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4.5" fill="{colour}">{t}</circle>'
        self.parts.append(shape)

    def bytes(self) -> bytes:
        head = ('<?xml version="1.0" encoding="utf-8"?>\n'
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(self.w)}" height="{_num(self.h)}" '
                f'viewBox="0 0 {_num(self.w)} {_num(self.h)}" role="img" aria-label={quoteattr(self.title)} {_FONT}>'
                f"<title>{escape(self.title)}</title><desc>{escape(self.desc)}</desc>"
                f'<rect width="100%" height="100%" fill="#ffffff"/>')
        return (head + "".join(self.parts) + "</svg>").encode("utf-8")


def _title_lines(svg: _Svg, title: str, x: float, y: float) -> float:
    """Writes the title (wrapped) and returns where the plot may start."""
    for line in _wrap(title, 80) if title else []:
        svg.text(x, y, line, size=12, weight="bold")
        y += 16
    return y


def _unit_suffix(unit: str) -> str:
    return " %" if unit and unit.strip().casefold() in ("%", "prozent") else ""


# -- the time series ----------------------------------------------------------------------------

def time_series_chart(series: Series, *, title: str = "", gebiete: list[str] | None = None,
                      fmt: str = "svg") -> bytes:
    """Values over time, one line per area; conflicting values of a period shown as crosses."""
    _check(fmt)
    rows = series.rows
    shown = gebiete or series.area_iris()
    unit = series.unit() or ""
    lines = []  # (name, colour, marker, [(period, first value)], [(period, other value)])
    towns = 0
    present = set(rows["gebiet"]) if len(rows) else set()
    for area in area_order([a for a in shown if a in present], series.gebiete):
        part = rows[rows["gebiet"] == area]
        periods = sorted(set(part["zeitraum"]), key=period_sort_key)
        points, others = [], []
        for p in periods:
            vals = list(part[part["zeitraum"] == p]["wert"])
            points.append((p, float(vals[0])))
            others += [(p, float(v)) for v in vals[1:] if v != vals[0]]
        colour = _role_colour(area, series)
        if colour is None:
            colour = _TOWNS[towns % len(_TOWNS)]
            towns += 1
        lines.append((str(part["gebietname"].iloc[0]), colour, _MARKERS[len(lines) % len(_MARKERS)], points, others))
    desc = "; ".join(f"{name}: " + ", ".join(f"{format_period(p)} {format_number(v)}{_unit_suffix(unit)}" for p, v in pts)
                     + ("; abweichende Werte: " + ", ".join(f"{format_period(p)} {format_number(v)}" for p, v in oth)
                        if oth else "")
                     for name, _, _, pts, oth in lines)
    label = title or "Zeitreihe" + (f" ({unit})" if unit else "")
    svg = _Svg(750, 420 + 18 * max(0, (len(lines) - 1) // 3), label,
               (desc or "Keine Werte vorhanden") + ".")
    top = _title_lines(svg, title, 12, 20) + 6
    left, right, bottom = 78, svg.w - 20, 330
    values = [v for _, _, _, pts, oth in lines for _, v in pts + oth]
    if not values:
        svg.line(left, bottom, right, bottom, _AXIS)
        svg.text((left + right) / 2, (top + bottom) / 2, "Keine Werte vorhanden", size=13, anchor="middle")
        svg.text((left + right) / 2, bottom + 36, "Jahr", anchor="middle")
        return svg.bytes()
    years = sorted({period_year(p) for _, _, _, pts, _ in lines for p, _ in pts})
    lo_x, hi_x = years[0] - 0.2, years[-1] + 1.2
    yt = nice_ticks(min(values), max(values))
    lo_y, hi_y = yt[0], yt[-1]

    def px(pos: float) -> float:
        return left + (pos - lo_x) / (hi_x - lo_x) * (right - left)

    def py(v: float) -> float:
        return bottom - (v - lo_y) / (hi_y - lo_y) * (bottom - top)

    for t in yt:
        svg.line(left, py(t), right, py(t), _GRID, 0.6)
        svg.text(left - 6, py(t) + 4, format_number(round(t, 6)), size=10, anchor="end")
    step = max(1, len(range(years[0], years[-1] + 1)) // 10)
    for y in range(years[0], years[-1] + 1, step):
        svg.line(px(y + 0.5), bottom, px(y + 0.5), bottom + 4, _AXIS)
        svg.text(px(y + 0.5), bottom + 17, str(y), size=10, anchor="middle")
    svg.line(left, top, left, bottom, _AXIS)
    svg.line(left, bottom, right, bottom, _AXIS)
    svg.text((left + right) / 2, bottom + 36, "Jahr", anchor="middle")
    ylabel = f"Wert ({unit})" if unit else "Wert"
    svg.text(18, (top + bottom) / 2, ylabel, anchor="middle", rotate=-90)
    for name, colour, mark, pts, oth in lines:
        coords = " ".join(f"{_num(px(period_position(p)))},{_num(py(v))}" for p, v in pts)
        svg.add(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for p, v in pts:
            svg.marker(mark, px(period_position(p)), py(v), colour, f"{name}, {format_period(p)}: {format_number(v)}")
            if len(pts) <= 8:  # few points: each value beside its point, read without the axis
                svg.text(px(period_position(p)) + 7, py(v) - 6, format_number(v), size=9, fill=_AXIS)
        for p, v in oth:
            svg.marker("cross", px(period_position(p)), py(v), colour,
                       f"{name}, {format_period(p)}: abweichender Wert {format_number(v)}")
    # The legend under the axis, three entries a row; a cross for conflicting values.
    entries = [(n, c, m) for n, c, m, _, _ in lines] + [(f"{n}: abweichender Wert", c, "cross")
                                                      for n, c, _, _, oth in lines if oth]
    for i, (name, colour, mark) in enumerate(entries):
        x, y = left + (i % 3) * 220, bottom + 58 + (i // 3) * 18
        svg.marker(mark, x, y - 4, colour)
        svg.text(x + 10, y, name if len(name) <= 34 else name[:33] + "…", size=10)
    return svg.bytes()


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


# -- bars ---------------------------------------------------------------------------------------

def _bars(title: str, desc: str, labels: list[str], groups: list[list[tuple[float | None, str, str]]],
          xlabel: str, legend: list[tuple[str, str]], suffix: str = "") -> bytes:
    """Horizontal bars: one row per label, in each row one bar per (value, colour, tooltip)."""
    per = max(1, max((len(g) for g in groups), default=1))
    bar_h = 22 if per == 1 else 14
    row_h = bar_h * per + 12
    label_lines = [_wrap(lb, 40) for lb in labels]
    left = min(330, 16 + max([_width(line, 10) for ls in label_lines for line in ls] + [40]))
    top_title = _title_lines(_Svg(0, 0, "", ""), title, 0, 20)  # lines only counted
    top = top_title + 8
    height = top + row_h * max(1, len(labels)) + 50 + (20 if legend else 0)
    svg = _Svg(750, height, title or xlabel, desc)
    _title_lines(svg, title, 12, 20)
    right = svg.w - 70
    values = [v for g in groups for v, _, _ in g if v is not None]
    lo = min([0.0] + values)
    ticks = nice_ticks(lo, max(values) if values and max(values) > lo else lo + 1, 6)
    lo, hi = ticks[0], ticks[-1]

    def px(v: float) -> float:
        return left + (v - lo) / (hi - lo) * (right - left)

    bottom = top + row_h * max(1, len(labels))
    for t in ticks:
        svg.line(px(t), top, px(t), bottom, _GRID, 0.6)
        svg.text(px(t), bottom + 15, format_number(round(t, 6)), size=10, anchor="middle")
    for i, (ls, group) in enumerate(zip(label_lines, groups)):
        y0 = top + i * row_h + 6
        mid = y0 + bar_h * per / 2
        for k, line in enumerate(ls):
            svg.text(left - 6, mid + 4 + (k - (len(ls) - 1) / 2) * 12, line, size=10, anchor="end")
        for j, (v, colour, tip) in enumerate(group):
            if v is None:
                continue
            y = y0 + j * bar_h
            x0, x1 = px(min(0.0, v) if lo <= 0 else lo), px(v)
            svg.rect(min(x0, x1), y, abs(x1 - x0), bar_h - 2, colour, tip)
            svg.text(max(x0, x1) + 4, y + bar_h / 2 + 3, format_number(v) + suffix, size=9 if per > 1 else 10)
    svg.line(px(max(lo, 0.0)), top, px(max(lo, 0.0)), bottom, _AXIS)
    svg.line(left, bottom, right, bottom, _AXIS)
    svg.text((left + right) / 2, bottom + 34, xlabel, anchor="middle")
    x = left
    for name, colour in legend:
        svg.rect(x, bottom + 44, 10, 10, colour)
        svg.text(x + 14, bottom + 53, name, size=10)
        x += 24 + _width(name, 10)
    return svg.bytes()


def comparison_chart(series: Series, period: str, *, title: str = "", gebiete: list[str] | None = None,
                     focus: str | None = None, fmt: str = "svg") -> bytes:
    """One bar per area for one period: Land, Kreis, towns; the town in focus highlighted."""
    _check(fmt)
    rows = series.rows[series.rows["zeitraum"] == period]
    present = list(dict.fromkeys(rows["gebiet"]))
    order = area_order([a for a in present if not gebiete or a in gebiete], series.gebiete)
    values = [float(rows[rows["gebiet"] == a]["wert"].iloc[0]) for a in order]
    names = [str(rows[rows["gebiet"] == a]["gebietname"].iloc[0]) for a in order]
    unit = series.unit() or ""
    suffix = _unit_suffix(unit)
    xlabel = (f"Wert ({unit})" if unit else "Wert") + f", {format_period(period)}"
    desc = f"{format_period(period)}: " + "; ".join(f"{n} {format_number(v)}{suffix}" for n, v in zip(names, values))
    groups = [[(v, _bar_colour(a, series, focus), f"{n}: {format_number(v)}{suffix}")]
              for a, n, v in zip(order, names, values)]
    return _bars(title, desc + ".", names, groups, xlabel, [], suffix)


def pair_chart(items: list[tuple[str, float | None, float | None]], names: tuple[str, str], *,
               title: str = "", unit: str = "", fmt: str = "svg") -> bytes:
    """Several indicators, two areas side by side (e.g. Kreis against Land): grouped bars."""
    _check(fmt)
    groups, parts = [], []
    for label, a, b in items:
        groups.append([(None if a is None else float(a), _KREIS, f"{label}, {names[0]}: {format_number(a)}"),
                       (None if b is None else float(b), _LAND, f"{label}, {names[1]}: {format_number(b)}")])
        parts.append(f"{label}: {names[0]} {format_number(a) or 'kein Wert'}, {names[1]} {format_number(b) or 'kein Wert'}")
    xlabel = f"Wert ({unit})" if unit else "Wert"
    return _bars(title, "; ".join(parts) + ".", [it[0] for it in items], groups, xlabel,
                 [(names[0], _KREIS), (names[1], _LAND)])
