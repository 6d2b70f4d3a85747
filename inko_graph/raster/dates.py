"""Dates, months and years as people write them in a spreadsheet (Zeitraum von / bis)."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

__all__ = ["parse_period_point"]

_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MY = re.compile(r"^(\d{1,2})[./](\d{4})$")
_YM = re.compile(r"^(\d{4})-(\d{2})$")
_Y = re.compile(r"^(\d{4})$")


def parse_period_point(value) -> tuple[str, tuple[int, int, int], tuple[int, int, int]] | None:
    """``(iso text, earliest day, latest day)`` of a date, month or year, or ``None`` if it is none."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        t = (value.year, value.month, value.day)
        return value.isoformat(), t, t
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 1900 <= int(value) <= 2100:
            y = int(value)
            return str(y), (y, 1, 1), (y, 12, 31)
        return None
    text = str(value).strip()
    for rx, order in ((_DMY, "dmy"), (_ISO, "ymd")):
        m = rx.match(text)
        if m:
            if order == "dmy":
                d, mo, y = (int(x) for x in m.groups())
            else:
                y, mo, d = (int(x) for x in m.groups())
            try:
                day = date(y, mo, d)
            except ValueError:
                return None
            t = (day.year, day.month, day.day)
            return day.isoformat(), t, t
    m = _MY.match(text) or _YM.match(text)
    if m:
        a, b = (int(x) for x in m.groups())
        mo, y = (a, b) if m.re is _MY else (b, a)
        if not 1 <= mo <= 12:
            return None
        return f"{y:04d}-{mo:02d}", (y, mo, 1), (y, mo, calendar.monthrange(y, mo)[1])
    m = _Y.match(text)
    if m:
        y = int(text)
        return str(y), (y, 1, 1), (y, 12, 31)
    return None
