"""What a report is made of: tables, figures and sections, the context every section reads
from (the store, the documents chosen, the named queries), and small helpers for the rows of
query answers."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path


__all__ = ["ReportSection", "Table", "Figure", "ReportContext", "Report", "Scope", "catalogue", "scopes", "find_scope",
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


@dataclass(frozen=True)
class Scope:
    """What a report covers: the documents the cockpit counts for its choice of Gebiet
    (``server.gebiet``), so that every count of the report is the cockpit's.

    A town's concepts count; a concept another concept of the same area builds on (the
    Strategiekonzept Hattingen 2020) is "Rahmen": shown with what the integration goals contribute
    to, never a gap. A Kreis counts its own concepts and those of its towns. ``gebiet`` ``None``:
    the whole graph, every concept but the Rahmen ones."""

    gebiet: str | None
    name: str | None = None
    areas: tuple[str, ...] = ()  # the Gebiet and, for a Kreis, its towns: what the queries' ``gebiet`` takes
    zaehlt: frozenset[str] = frozenset()  # the concepts that count
    rahmen: frozenset[str] = frozenset()  # the Gebiet's general strategies (all of them without a Gebiet)
    liegt_in: str | None = None  # the Kreis of a town: its concepts come in for comparison
    ist_kreis: bool = False
    kontext_alle: frozenset[str] = frozenset()  # every Rahmen concept of the graph (never for comparison)


def _flag(value) -> bool:
    return value is True or value == "true"


def scopes(store, queries) -> dict[str | None, Scope]:
    """Area IRI -> its Scope, and ``None`` -> the whole graph's, by the cockpit's rule from the rows
    of ``cockpit-gebiete`` (``server.gebiet.choices`` reads the same; a test holds the two equal)."""
    from ..query.catalogue import run

    df = run(store, queries.get("cockpit-gebiete"))
    names: dict[str, str] = {}
    parent: dict[str, str | None] = {}
    own: dict[str, list[str]] = {}
    frame: dict[str, set[str]] = {}
    for r in records(df):
        g = r["gebiet"]
        names.setdefault(g, cell_text(r.get("gebietname")) or g.rstrip("/").rsplit("/", 1)[-1])
        parent.setdefault(g, r.get("liegt_in") if isinstance(r.get("liegt_in"), str) else None)
        target = frame.setdefault(g, set()) if _flag(r.get("kontext")) else own.setdefault(g, [])
        if isinstance(target, set):
            target.add(r["konzept"])
        elif r["konzept"] not in target:
            target.append(r["konzept"])
    every_frame = frozenset(k for ks in frame.values() for k in ks)
    out: dict[str | None, Scope] = {None: Scope(None, rahmen=every_frame, kontext_alle=every_frame)}
    for g in names:
        towns = sorted((t for t, p in parent.items() if p == g), key=lambda t: names[t].casefold())
        counting = set(own.get(g, [])).union(*(own.get(t, []) for t in towns))
        out[g] = Scope(g, names[g], (g, *towns), frozenset(counting), frozenset(frame.get(g, set())), parent[g],
                       bool(towns), every_frame)
    return out


def find_scope(known: dict[str | None, Scope], town: str | None) -> Scope:
    """The Scope of ``town`` (a name like "Hattingen", an area IRI or its last part; empty: all)."""
    from ..errors import InputError

    if not town:
        return known[None]
    want = town.strip().casefold()
    for g, s in known.items():
        if g and want in (s.name.casefold(), g.casefold(), g.rstrip("/").rsplit("/", 1)[-1].casefold()):
            return s
    from ..namespaces import shorten

    for g, s in known.items():
        if g and want == shorten(g).casefold():
            return s
    names = ", ".join(sorted(s.name for g, s in known.items() if g))
    raise InputError(f"Für {town!r} gibt es kein Konzept im Graphen. Bekannt sind: {names}.")


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
    scope: Scope = field(default_factory=lambda: Scope(None))
    gestrichen: object = None  # what uploaded concepts no longer contain (query.gestrichen), read on the first run
    _answers: dict = field(default_factory=dict, repr=False)  # (name, params) -> rows, once per report

    @property
    def current(self):
        """The store of the current statements: without what an uploaded concept leaves out, as the
        cockpit asks its queries (``query.gestrichen``); the store itself without such uploads."""
        if self.gestrichen is None:
            from ..query.gestrichen import struck

            self.gestrichen = struck(self.store, self._catalogue())
        return self.gestrichen.store or self.store

    def _catalogue(self):
        if self.queries is None:
            self.queries = catalogue(self.settings.queries_dir)
        return self.queries

    @property
    def areas(self) -> tuple[str, ...]:
        """The Gebiet and, for a Kreis, its towns (empty: the whole graph)."""
        return self.scope.areas

    def run(self, name: str, params: dict | None = None):
        """The rows of the named query ``name``, with the report's choice of curated links, from what
        the current version of each concept states and in its wording (``query.gestrichen``,
        ``query.wortlaut``), as the cockpit's pages ask them. A query asked twice with the same
        parameters (the actors of the Gebiet: idle ones and changes) runs once; each caller gets its
        own copy of the rows."""
        key = (name, repr(sorted((params or {}).items())))
        if key not in self._answers:
            self._answers[key] = self._run(name, params)
        return self._answers[key].copy()

    def _run(self, name: str, params: dict | None):
        from ..query.catalogue import run
        from ..query.gestrichen import without_struck
        from ..query.wortlaut import current_rows, replaced

        cat = self._catalogue()
        if self.wortlaut is None:
            self.wortlaut = replaced(self.store, cat)
        store = self.current
        df = run(store, cat.get(name), params, include_curated=self.include_curated)
        if self.gestrichen.store is None:
            df = without_struck(df, self.gestrichen)
        return current_rows(df, self.wortlaut)

    def mine(self, name: str):
        """The rows of ``name`` for the subject concepts: one run per Gebiet of those concepts
        (every query used so takes ``gebiet``, which leads its evaluation), also for the whole graph
        when every concept has its Gebiet: at 10^5 triples a whole-graph run costs seconds, a town's
        a tenth of it; on the real graph vorhaben-je-handlungsfeld-lebensphase 412 ms for all
        against some 20 ms per area."""
        import pandas as pd

        areas = {k.get("gebiet") for k in self.konzepte}
        if areas and all(isinstance(a, str) for a in areas):
            df = pd.concat([self.run(name, {"gebiet": a}) for a in sorted(areas)], ignore_index=True)
        else:
            df = self.run(name)
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
