"""Terms of the monitoring model, and reading what people type: names, numbers and periods.

Indicators and areas can be given by IRI, prefixed name, label or the last part of the IRI;
a name that matches nothing gets "meinten Sie …?" suggestions. Numbers are read the German way
(decimal comma, thousands dots) and written as ``xsd:decimal``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import ID, INKO, PREFIXES
from ..query.catalogue import Catalogue, run

__all__ = [
    "DSD", "GA_STATISTIK", "IA_QUALITATIV", "XSD", "catalogue", "Gebiet", "Indikator", "Names",
    "areas", "indicators", "slug", "parse_number", "parse_period", "format_number", "format_period",
    "period_year", "period_sort_key", "normalise_unit", "node",
]

XSD = PREFIXES["xsd"]
#: The default data structure: a qb:DataSet without qb:structure uses it.
DSD = ID + "vokabular/datenstruktur"
GA_STATISTIK = ID + "vokabular/graphart/statistik"
IA_QUALITATIV = ID + "vokabular/indikatorart/qualitativ"
IA_KENNZAHL = ID + "vokabular/indikatorart/kennzahl"

#: The columns of the CSV import, and its template, which the workbook template follows too.
COLUMNS = ["indikator", "gebiet", "zeitraum", "wert", "einheit", "quelle"]
TEMPLATE_PATH = Path(__file__).with_name("vorlage.csv")


def node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@lru_cache(maxsize=8)
def _catalogue(folder: str) -> Catalogue:
    return Catalogue(Path(folder))


def catalogue(queries_dir: Path | None = None) -> Catalogue:
    """The named queries (read once per folder)."""
    if queries_dir is None:
        from ..settings import DATA_ROOT

        queries_dir = DATA_ROOT / "queries"
    return _catalogue(str(queries_dir))


# -- names --------------------------------------------------------------------------------------

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "–": "-", "—": "-"})


def _key(text: str) -> str:
    """A forgiving comparison key: case, umlauts, dashes, brackets and spacing do not matter."""
    s = unicodedata.normalize("NFC", text).casefold().translate(_TRANSLIT)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(re.findall(r"[0-9a-z]+", s))


def slug(text: str) -> str:
    """``Bevölkerung 2012.csv`` -> ``bevoelkerung-2012-csv``: lower case ASCII joined with ``-``."""
    return _key(text).replace(" ", "-") or "import"


@dataclass(frozen=True)
class Gebiet:
    iri: str
    name: str
    names: tuple[str, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class Indikator:
    iri: str
    name: str
    names: tuple[str, ...] = ()
    art: str | None = None
    einheit: str | None = None
    artname: str | None = None

    @property
    def qualitativ(self) -> bool:
        return self.art == IA_QUALITATIV


def areas(store, queries_dir: Path | None = None) -> dict[str, Gebiet]:
    """Every inko:Gebiet by IRI, with its names and the area it lies in directly."""
    df = run(store, catalogue(queries_dir).get("monitoring-gebiete"))
    out: dict[str, Gebiet] = {}
    for row in df.itertuples(index=False):
        names = [n for n in (row.andere_namen if isinstance(row.andere_namen, str) else "").split(" | ") if n]
        name = row.gebietname if isinstance(row.gebietname, str) else row.gebiet.rsplit("/", 1)[-1]
        parent = row.liegt_in if isinstance(row.liegt_in, str) else None
        prev = out.get(row.gebiet)
        if prev is None or (parent and not prev.parent):
            out[row.gebiet] = Gebiet(row.gebiet, name, tuple(names), parent)
    return out


def indicators(store, queries_dir: Path | None = None) -> dict[str, Indikator]:
    """Every inko:Indikator by IRI, with all its labels, kind and unit."""
    df = run(store, catalogue(queries_dir).get("monitoring-indikator-namen"))
    acc: dict[str, dict] = {}
    for row in df.itertuples(index=False):
        d = acc.setdefault(row.indikator, {"name": None, "names": [], "art": None, "einheit": None, "artname": None})
        if isinstance(row.name, str):
            if row.vorzug is True and d["name"] is None:
                d["name"] = row.name
            if row.name not in d["names"]:
                d["names"].append(row.name)
        d["art"] = d["art"] or (row.art if isinstance(row.art, str) else None)
        d["einheit"] = d["einheit"] or (row.einheit if isinstance(row.einheit, str) else None)
        d["artname"] = d["artname"] or (row.artname if isinstance(row.artname, str) else None)
    return {iri: Indikator(iri, d["name"] or iri.rsplit("/", 1)[-1], tuple(d["names"]), d["art"], d["einheit"],
                           d["artname"])
            for iri, d in acc.items()}


class Names:
    """Find a resource by IRI, prefixed name, label or the last part of its IRI, forgivingly."""

    def __init__(self, things: dict[str, object], what: str):
        self.things = things
        self.what = what
        self._by_key: dict[str, set[str]] = {}
        for iri, thing in things.items():
            labels = [getattr(thing, "name", "")] + list(getattr(thing, "names", ()))
            labels.append(iri.rsplit("/", 1)[-1])
            if iri.startswith(ID):
                labels.append(iri[len(ID):])
            for label in labels:
                k = _key(label)
                if k:
                    self._by_key.setdefault(k, set()).add(iri)

    def label(self, iri: str) -> str:
        return getattr(self.things.get(iri), "name", iri)

    def find(self, text: str) -> tuple[str | None, str]:
        """(IRI, "") when ``text`` names exactly one thing, else (None, what is wrong and what to try)."""
        raw = text.strip()
        if not raw:
            return None, f"{self.what} fehlt"
        iri = _as_iri(raw)
        if iri is not None:
            if iri in self.things:
                return iri, ""
            return None, f"{self.what} <{iri}> gibt es nicht{self._suggest(iri.rsplit('/', 1)[-1])}"
        hits = self._by_key.get(_key(raw), set())
        if len(hits) == 1:
            return next(iter(hits)), ""
        if len(hits) > 1:
            listed = "; ".join(f"„{self.label(i)}“ ({_short(i)})" for i in sorted(hits))
            return None, f"„{raw}“ ist mehrdeutig: {listed}. Bitte die IRI oder den Kurznamen angeben"
        return None, f"{self.what} „{raw}“ ist unbekannt{self._suggest(raw)}"

    def _suggest(self, raw: str) -> str:
        close = difflib.get_close_matches(_key(raw), list(self._by_key), n=3, cutoff=0.6)
        iris: list[str] = []
        for k in close:
            for i in sorted(self._by_key[k]):
                if i not in iris:
                    iris.append(i)
        if not iris:
            return ""
        return "; meinten Sie " + " oder ".join(f"„{self.label(i)}“ ({_short(i)})" for i in iris[:3]) + "?"


def _short(iri: str) -> str:
    from ..namespaces import shorten

    return shorten(iri)


def _as_iri(text: str) -> str | None:
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if re.match(r"^https?://", text):
        return text
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return None


# -- numbers ------------------------------------------------------------------------------------

_THOUSANDS_DOTS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_THOUSANDS_DOTS_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$")
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")


def parse_number(text: str) -> Decimal:
    """A number as people write it in German tables: ``19,6``, ``326.049``, ``1.234,5``, ``7.2``.

    A dot followed by groups of exactly three digits is a thousands separator (as the documents
    print ``326.049``); otherwise a single dot or comma is the decimal mark. Raises ValueError.
    """
    s = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not s:
        raise ValueError("leer")
    if _THOUSANDS_DOTS.match(s) or _THOUSANDS_DOTS_COMMA.match(s):
        s = s.replace(".", "").replace(",", ".")
    elif _PLAIN.match(s):
        s = s.replace(",", ".")
    else:
        raise ValueError(s)
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ValueError(s) from None
    if not value.is_finite():
        raise ValueError(s)
    return value


def decimal_lexical(value: Decimal) -> str:
    """The canonical ``xsd:decimal`` form: no exponent, no trailing zeros beyond one decimal."""
    s = format(value, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"


def format_number(value, decimals: int | None = None) -> str:
    """``326049`` -> ``326.049``; ``19.6`` -> ``19,6`` (German)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if decimals is None:
        text = decimal_lexical(d)
        whole, _, frac = text.partition(".")
    else:
        text = f"{d:.{decimals}f}"
        whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


# -- periods ------------------------------------------------------------------------------------

_YEAR = re.compile(r"^(\d{4})$")
_DE_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_period(text: str) -> ox.Literal:
    """``2012`` -> ``"2012"^^xsd:gYear``; ``31.12.2012`` or ``2012-12-31`` -> ``xsd:date``. Raises ValueError."""
    s = text.strip()
    m = _YEAR.match(s)
    if m:
        return ox.Literal(s, datatype=ox.NamedNode(XSD + "gYear"))
    m = _DE_DATE.match(s)
    if m:
        d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    else:
        m = _ISO_DATE.match(s)
        if not m:
            raise ValueError(s)
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return ox.Literal(d.isoformat(), datatype=ox.NamedNode(XSD + "date"))


def period_year(period: str) -> int:
    return int(str(period)[:4])


def period_sort_key(period: str) -> tuple[int, str]:
    """A year sorts before any date in it: 2011 < 2011-12-31 < 2012."""
    p = str(period)
    return (period_year(p), p[4:])


def period_position(period: str) -> float:
    """Where a period sits on a time axis: a year in its middle, a date on its day."""
    p = str(period)
    if len(p) == 4:
        return period_year(p) + 0.5
    d = date.fromisoformat(p[:10])
    return d.year + (d.timetuple().tm_yday - 0.5) / 366


def format_period(period: str) -> str:
    """``2011`` stays; ``2010-12-31`` -> ``31.12.2010``."""
    p = str(period)
    if _ISO_DATE.match(p):
        y, m, d = p.split("-")
        return f"{d}.{m}.{y}"
    return p


_PERCENT = {"prozent", "in prozent", "anteil in prozent", "prozentanteil", "prozentsatz"}


def normalise_unit(unit: str | None) -> str:
    """A comparison key for units: ``%``, ``Prozent`` and ``in %`` are one unit."""
    if not unit:
        return ""
    s = " ".join(unit.strip().casefold().replace("%", " prozent ").split())
    return "prozent" if s in _PERCENT else _key(s)


@dataclass
class Problem:
    """One thing wrong with one cell (or the file): row, column, value, what is wrong, what is allowed."""

    line: int | None
    column: str | None
    value: str | None
    message: str
    allowed: str = ""
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"Zeile {self.line}")
        if self.column:
            where.append(f"Spalte „{self.column}“")
        head = ", ".join(where)
        val = f" Wert „{self.value}“:" if self.value not in (None, "") else ""
        text = f"{head}:{val} {self.message}" if head else f"{val.strip()} {self.message}".strip()
        if self.allowed:
            text += ("" if text.endswith((".", "?")) else ".") + f" Erlaubt: {self.allowed}"
        return text if text.endswith((".", "?")) else text + "."


def records(df) -> list[dict]:
    """Rows of a result table as dicts, with missing values as ``None`` (not NaN)."""
    return df.astype(object).where(df.notna(), None).to_dict("records")


def input_error(message: str, problems: list[Problem], source: str | None) -> InputError:
    err = InputError(message, source=source, problems=[str(p) for p in problems])
    err.details = problems  # the structured problems, for callers that show them as a table
    return err


def inko(local: str) -> ox.NamedNode:
    return ox.NamedNode(INKO + local)
