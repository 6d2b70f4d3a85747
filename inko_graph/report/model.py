"""What a report is made of: tables, figures and sections, the context every section reads
from (the store, the documents chosen, the named queries), and small helpers for the rows of
query answers."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path


__all__ = ["ReportSection", "Table", "Figure", "ReportContext", "Report", "catalogue", "framework_concepts",
           "cell_text", "records", "rows_in", "limited_table"]


HTML_LIMIT = 40  # rows per table on the page; the CSV files have them all


@dataclass
class Table:
    """A table on the page: ``columns`` are (key, heading); ``rows`` are dicts of plain values."""

    caption: str
    columns: list[tuple[str, str]]
    rows: list[dict]
    note: str = ""
    total: int | None = None  # rows before the page limit
    heat: bool = False  # colour the numeric cells by value (the heatmap table)


@dataclass
class Figure:
    alt: str
    data_uri: str
    caption: str = ""


@dataclass
class ReportSection:
    """A section of the report. All text is plain and escaped by the template.

    ``html`` is for a module that renders its own fragment (every text in it escaped, no
    ``src``/``href`` to other hosts): a ``markupsafe.Markup`` is inserted as it is after the
    paragraphs; a plain string would be escaped and shown as text. For the changes since the
    year before, e.g. ``Markup(diff.changes_since(ctx.store, year).html(full=False))``.
    """

    id: str
    title: str
    slot: str = "anhang"
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    html: object | None = None
    subsections: list["ReportSection"] = field(default_factory=list)


_CATALOGUES: dict = {}


def catalogue(folder):
    """The named queries of ``folder``, parsed once while its files stay as they are (parsing
    them all costs about 0.2 s, a report runs some thirty)."""
    from ..query.catalogue import Catalogue

    folder = Path(folder)
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.rq")))
    got = _CATALOGUES.get(folder)
    if got is None or got[0] != stamp:
        got = _CATALOGUES[folder] = (stamp, Catalogue(folder))
    return got[1]


def framework_concepts(store, queries, gebiet: str) -> set[str]:
    """The concepts of ``gebiet`` that are context ("Rahmen"), by the cockpit's rule and query
    (``cockpit-gebiete``, as the cockpit's choice of Gebiet runs it): a concept that another concept
    of the same area builds on, like the Strategiekonzept Hattingen 2020. Its goals are what the
    integration goals contribute to, not gaps of the town."""
    from ..query.catalogue import run

    df = run(store, queries.get("cockpit-gebiete"), {"gebiet": gebiet})
    if not len(df):
        return set()
    return {k for k, flag in zip(df["konzept"], df["kontext"]) if flag is True or flag == "true"}


@dataclass
class ReportContext:
    """What a section module gets: the store, the documents chosen and a way to run queries."""

    store: object
    settings: object
    town: str | None
    gebiet: str | None
    konzepte: list[dict]  # the subject: dicts with konzept, konzeptname, gebiet, quelle, …
    kontext: list[dict]  # concepts for context (the Kreis)
    include_curated: bool
    date: _dt.date

    wortlaut: object = None  # the wording uploaded concepts replace (read on the first run)
    queries: object = None  # the named queries, looked up once per report (not some thirty times)
    rahmen: list[dict] = field(default_factory=list)  # the town's general strategies: context, never gaps

    def run(self, name: str, params: dict | None = None):
        """The rows of the named query ``name``, with the report's choice of curated links, in the
        wording of each concept's current version (``query.wortlaut``)."""
        from ..query.wortlaut import current_rows, replaced
        from ..query.catalogue import run

        if self.queries is None:
            self.queries = catalogue(self.settings.queries_dir)
        cat = self.queries
        if self.wortlaut is None:
            self.wortlaut = replaced(self.store, cat)
        return current_rows(run(self.store, cat.get(name), params, include_curated=self.include_curated),
                            self.wortlaut)

    def mine(self, name: str):
        """The rows of ``name`` for the subject concepts. With a town, one run per Gebiet of those
        concepts (every query used so takes ``gebiet``, which leads its evaluation): at 10^5
        triples a whole-graph run costs seconds, the town's a tenth of it."""
        import pandas as pd

        areas = sorted({k["gebiet"] for k in self.konzepte if isinstance(k.get("gebiet"), str)}) if self.gebiet else []
        df = pd.concat([self.run(name, {"gebiet": a}) for a in areas], ignore_index=True) if areas else self.run(name)
        return rows_in(df, "konzept", self.konzept_iris)

    @property
    def konzept_iris(self) -> set[str]:
        return {k["konzept"] for k in self.konzepte}

    @property
    def alle_iris(self) -> set[str]:
        return self.konzept_iris | {k["konzept"] for k in self.kontext}


@dataclass
class Report:
    title: str
    context: ReportContext
    sections: list[ReportSection]
    csv: dict[str, object]  # file name -> DataFrame
    summary: list[tuple[str, int]]


def cell_text(value) -> str:
    """A cell as text: missing values (None, NaN) as empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def records(df) -> list[dict]:
    cols = list(df.columns)  # column by column: quicker than df.to_dict("records")
    return [{k: (None if isinstance(v, float) and v != v else v) for k, v in zip(cols, row)}
            for row in zip(*(df[c].tolist() for c in cols))]


def rows_in(df, column: str, allowed: set[str]):
    return df[df[column].isin(allowed)] if len(df) else df


def limited_table(caption, columns, rows, note="", **kw) -> Table:
    total = len(rows)
    if total > HTML_LIMIT:
        note = (note + " " if note else "") + f"Die ersten {HTML_LIMIT} von {total}; alle stehen in der CSV-Datei."
    return Table(caption, columns, rows[:HTML_LIMIT], note.strip(), total=total, **kw)
