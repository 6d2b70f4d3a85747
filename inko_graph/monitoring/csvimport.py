"""Import of yearly values from a CSV file into one named graph per import.

Columns (German headers, in any order): ``indikator, gebiet, zeitraum, wert, einheit, quelle``;
``einheit`` may be left out or empty (the indicator's unit holds). Separator ``;`` (as German
spreadsheet programs write it), ``,`` or tab; lines starting with ``#`` are comments.

Every row is checked before anything is written; any error stops the whole import and every
error is listed with row, column, value and what is allowed. The graph is written in one
transaction (``Store.replace_graphs``), so a store never holds half an import.

The graph is ``gr:statistik/<file>-<years>``: importing the same file for the same year again
replaces the earlier import, so a corrected file can simply be imported anew.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import GRAPH, ID, INKO, PREFIXES, shorten
from ..query.catalogue import run
from .model import (COLUMNS, DSD, GA_STATISTIK, TEMPLATE_PATH, XSD, Names, Problem, _as_iri, areas, catalogue,
                    decimal_lexical, format_number, format_period, indicators, input_error, normalise_unit,
                    parse_number, parse_period, period_year, slug)

__all__ = ["COLUMNS", "ImportPlan", "plan_import", "import_csv", "import_bytes", "template_text", "TEMPLATE_PATH"]

_REQUIRED = ["indikator", "gebiet", "zeitraum", "wert", "quelle"]
# Other spellings people use for the same columns.
_ALIASES = {"jahr": "zeitraum", "stichtag": "zeitraum", "zeit": "zeitraum", "kennzahl": "indikator",
            "grundzahl": "indikator", "raum": "gebiet", "stadt": "gebiet", "zahl": "wert",
            "datenquelle": "quelle"}

_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_QB = PREFIXES["qb"]
_SDMX_DIM = PREFIXES["sdmx-dimension"]
_DCT = PREFIXES["dcterms"]
_SKOS = PREFIXES["skos"]
_PROV = PREFIXES["prov"]

_ALLOWED_NUMBER = "eine Zahl, z. B. 19,6 oder 326.049 oder 1.234,5 (Komma oder Punkt als Dezimalzeichen)"
_ALLOWED_PERIOD = "ein Jahr (2012) oder ein Stichtag (31.12.2012 oder 2012-12-31)"


@dataclass
class Row:
    line: int
    indikator: str
    gebiet: str
    zeitraum: ox.Literal
    wert: Decimal
    einheit: str
    quelle: ox.NamedNode | ox.Literal


@dataclass
class ImportPlan:
    """What an import writes (or, on a dry run, would write)."""

    source_name: str
    graph: str
    dataset: str
    rows: list[Row]
    triples: list[ox.Triple]
    notes: list[str] = field(default_factory=list)
    replaces: bool = False
    written: bool = False
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted({period_year(r.zeitraum.value) for r in self.rows})

    def summary(self) -> str:
        n = len(self.rows)
        werte = "Wert" if n == 1 else "Werte"
        years = ", ".join(str(y) for y in self.years)
        if self.written:
            head = f"{n} {werte} ({years}) aus {self.source_name} gespeichert im Graphen <{self.graph}>."
        else:
            head = f"Probelauf: {n} {werte} ({years}) aus {self.source_name} sind in Ordnung; nichts wurde gespeichert."
        if self.replaces:
            head += " Er ersetzt den früheren Import derselben Datei für dieselben Jahre."
        return head


# -- reading ------------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet programs on Windows save CSV in Windows-1252.
        return data.decode("cp1252", errors="replace")


def _header_key(name: str) -> str:
    k = name.strip().strip('"').strip().casefold()
    return _ALIASES.get(k, k)


def _read_table(text: str, source: str) -> list[tuple[int, dict[str, str]]]:
    # Comment lines become empty lines, so that line numbers stay those of the file.
    lines = ["" if ln.lstrip().startswith("#") else ln for ln in text.splitlines()]
    body = "\n".join(lines)
    first = next((ln for ln in lines if ln.strip()), None)
    if first is None:
        raise input_error("Die Datei enthält keine Kopfzeile und keine Werte; nichts wurde gespeichert.",
                          [Problem(1, None, None, "Kopfzeile fehlt", "eine Kopfzeile " + ";".join(COLUMNS))], source)
    delim = max((";", ",", "\t"), key=lambda d: (
        len(set(_header_key(h) for h in next(csv.reader([first], delimiter=d))) & set(COLUMNS)), first.count(d)))
    reader = csv.reader(io.StringIO(body), delimiter=delim)
    problems: list[Problem] = []
    header: list[str] | None = None
    header_line = 0
    records: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if header is None:
            header_line = line
            header = [_header_key(c) for c in cells]
            for i, h in enumerate(header):
                if h not in COLUMNS:
                    problems.append(Problem(line, f"{i + 1}", cells[i].strip(), "unbekannte Spalte",
                                            ", ".join(COLUMNS)))
                elif header.index(h) != i:
                    problems.append(Problem(line, h, cells[i].strip(), "die Spalte steht zweimal in der Kopfzeile"))
            for h in _REQUIRED:
                if h not in header:
                    problems.append(Problem(line, h, None, f"die Spalte „{h}“ fehlt in der Kopfzeile",
                                            "Kopfzeile " + ";".join(COLUMNS) + " (einheit darf fehlen)"))
            if problems:
                break
            continue
        if len(cells) != len(header):
            problems.append(Problem(line, None, delim.join(cells),
                                    f"erwartet {len(header)} Spalten, gefunden {len(cells)}",
                                    f"je Zeile {len(header)} Werte, getrennt durch „{delim}“; "
                                    "Zahlen mit Dezimalkomma in Anführungszeichen, wenn das Komma trennt"))
            continue
        records.append((line, {h: c.strip() for h, c in zip(header, cells)}))
    if not problems and header is not None and not records:
        problems.append(Problem(header_line, None, None, "nach der Kopfzeile folgen keine Werte",
                                "eine Zeile je Wert"))
    if problems:
        raise input_error(f"Die Datei kann nicht gelesen werden ({len(problems)} Fehler); nichts wurde gespeichert.",
                          problems, source)
    return records


# -- checking -----------------------------------------------------------------------------------

def _period_problem(raw: str) -> str:
    if not raw:
        return "Zeitraum fehlt"
    if re.match(r"^(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})$", raw.strip()):
        return "diesen Tag gibt es nicht"
    return "kein Jahr und kein Datum"


def _sources(store) -> dict[str, str]:
    df = run(store, catalogue().get("monitoring-quellen"))
    return {r.quelle: (r.titel if isinstance(r.titel, str) else r.quelle) for r in df.itertuples(index=False)}


def _check(store, records, source: str) -> tuple[list[Row], dict[str, str]]:
    inds = indicators(store)
    gebiete = areas(store)
    ind_names = Names(inds, "Indikator")
    area_names = Names(gebiete, "Gebiet")
    docs = _sources(store)
    problems: list[Problem] = []
    rows: list[Row] = []
    seen: dict[tuple, int] = {}
    allowed_areas = ", ".join(f"„{g.name}“" for g in sorted(gebiete.values(), key=lambda g: g.name))
    for line, rec in records:
        bad = len(problems)
        raw_ind = rec.get("indikator", "")
        ind, why = ind_names.find(raw_ind)
        if ind is None:
            problems.append(Problem(line, "indikator", raw_ind, why,
                                    "Bezeichnung, Kurzname (id:…) oder IRI eines Indikators; "
                                    "Liste: inko-graph monitoring indikatoren"))
        elif inds[ind].qualitativ:
            problems.append(Problem(line, "indikator", raw_ind,
                                    f"„{inds[ind].name}“ ist ein qualitativer Indikator und hat keine Zahlenwerte",
                                    "Grundzahlen und Kennzahlen"))
        raw_area = rec.get("gebiet", "")
        area, why = area_names.find(raw_area)
        if area is None:
            problems.append(Problem(line, "gebiet", raw_area, why, allowed_areas))
        raw_period = rec.get("zeitraum", "")
        try:
            period = parse_period(raw_period)
        except ValueError:
            period = None
            problems.append(Problem(line, "zeitraum", raw_period, _period_problem(raw_period), _ALLOWED_PERIOD))
        raw_value = rec.get("wert", "")
        percent_sign = raw_value.rstrip().endswith("%")
        try:
            value = parse_number(raw_value.rstrip().rstrip("%"))
        except ValueError:
            value = None
            problems.append(Problem(line, "wert", raw_value, "keine Zahl" if raw_value else "Wert fehlt",
                                    _ALLOWED_NUMBER))
        raw_unit = rec.get("einheit", "")
        unit = raw_unit
        if ind is not None and not inds[ind].qualitativ:
            expected = inds[ind].einheit
            given = raw_unit or ("%" if percent_sign else "")
            if given and expected and normalise_unit(given) != normalise_unit(expected):
                problems.append(Problem(line, "einheit" if raw_unit else "wert", raw_unit or raw_value,
                                        f"passt nicht zur Einheit des Indikators „{expected}“",
                                        f"leer lassen oder „{expected}“"))
            elif not given and not expected:
                problems.append(Problem(line, "einheit", raw_unit,
                                        "Einheit fehlt, und der Indikator nennt keine",
                                        "eine Einheit, z. B. Anzahl oder Prozent"))
            unit = expected or given
        raw_source = rec.get("quelle", "")
        quelle: ox.NamedNode | ox.Literal | None = None
        if not raw_source:
            problems.append(Problem(line, "quelle", raw_source, "Quelle fehlt",
                                    "woher die Zahl stammt, z. B. „IT.NRW, Bevölkerungsstand 31.12.2012“"))
        else:
            iri = _as_iri(raw_source)
            if iri is None:
                quelle = ox.Literal(raw_source)
            elif iri in docs:
                quelle = ox.NamedNode(iri)
            else:
                problems.append(Problem(line, "quelle", raw_source, "dieses Quelldokument gibt es nicht",
                                        "ein Text oder eines von " + ", ".join(shorten(d) for d in sorted(docs))))
        if ind is not None and area is not None and period is not None:
            key = (ind, area, str(period))
            if key in seen:
                problems.append(Problem(line, None, None,
                                        f"doppelte Zeile: {ind_names.label(ind)}, {area_names.label(area)}, "
                                        f"{format_period(period.value)} steht schon in Zeile {seen[key]}",
                                        "je Indikator, Gebiet und Zeitraum eine Zeile"))
            else:
                seen[key] = line
        if len(problems) == bad:
            rows.append(Row(line, ind, area, period, value, unit, quelle))
    if problems:
        raise input_error(f"Die Datei enthält {len(problems)} Fehler; nichts wurde gespeichert.", problems, source)
    labels = {i: ind_names.label(i) for i in {r.indikator for r in rows}}
    labels.update({a: area_names.label(a) for a in {r.gebiet for r in rows}})
    return rows, labels


# -- mapping ------------------------------------------------------------------------------------

def _names_for(source_name: str, rows: list[Row]) -> tuple[str, str]:
    years = sorted({period_year(r.zeitraum.value) for r in rows})
    span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    stem = slug(Path(source_name).stem)
    key = f"{stem}-{span}"
    return GRAPH + "statistik/" + key, ID + "statistik/" + key


def _t(s, p: str, o) -> ox.Triple:
    return ox.Triple(s, ox.NamedNode(p), o)


def _triples(rows: list[Row], graph: str, dataset: str, source_name: str, when: datetime) -> list[ox.Triple]:
    g, ds = ox.NamedNode(graph), ox.NamedNode(dataset)
    years = sorted({period_year(r.zeitraum.value) for r in rows})
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    label = ox.Literal(f"Statistikimport {source_name} ({span})", language="de")
    stamp = ox.Literal(when.isoformat(timespec="seconds"), datatype=ox.NamedNode(XSD + "dateTime"))
    out = [
        # The graph describes itself: what it is, from which file, when.
        ox.Triple(g, _RDF_TYPE, ox.NamedNode(INKO + "Quellgraph")),
        _t(g, INKO + "graphart", ox.NamedNode(GA_STATISTIK)),
        _t(g, _SKOS + "prefLabel", label),
        _t(g, _DCT + "source", ox.Literal(source_name)),
        _t(g, _PROV + "generatedAtTime", stamp),
        ox.Triple(ds, _RDF_TYPE, ox.NamedNode(_QB + "DataSet")),
        _t(ds, _QB + "structure", ox.NamedNode(DSD)),
        _t(ds, _SKOS + "prefLabel", label),
        _t(ds, _DCT + "source", ox.Literal(source_name)),
        _t(ds, _PROV + "generatedAtTime", stamp),
    ]
    for r in rows:
        h = hashlib.sha1(f"{r.indikator}|{r.gebiet}|{r.zeitraum}".encode()).hexdigest()[:10]
        obs = ox.NamedNode(f"{dataset}/{r.gebiet.rsplit('/', 1)[-1]}-{r.zeitraum.value}-{h}")
        out += [
            ox.Triple(obs, _RDF_TYPE, ox.NamedNode(_QB + "Observation")),
            _t(obs, _QB + "dataSet", ds),
            _t(obs, INKO + "indikator", ox.NamedNode(r.indikator)),
            _t(obs, _SDMX_DIM + "refArea", ox.NamedNode(r.gebiet)),
            _t(obs, _SDMX_DIM + "refPeriod", r.zeitraum),
            _t(obs, INKO + "wert", ox.Literal(decimal_lexical(r.wert), datatype=ox.NamedNode(XSD + "decimal"))),
            _t(obs, _DCT + "source", r.quelle),
            _t(obs, INKO + "abschnitt", ox.Literal(f"{source_name}, Zeile {r.line}")),
        ]
        if r.einheit:
            out.append(_t(obs, INKO + "einheit", ox.Literal(r.einheit)))
    return out


def _notes(store, rows: list[Row], graph: str, labels: dict[str, str]) -> list[str]:
    """Where a new value meets a value already in the graph: conflicts (kept, shown) and repeats."""
    from .series import time_series

    notes = []
    for ind in sorted({r.indikator for r in rows}):
        existing = time_series(store, ind, gebiete={}).rows
        if existing.empty:
            continue
        # Values of other graphs by area and period (this import's own graph is replaced).
        known: dict[tuple[str, str], list[tuple[float, str]]] = {}
        for g, p, w, src, gr in zip(existing["gebiet"], existing["zeitraum"], existing["wert"],
                                    existing["quelle_text"], existing["graph"]):
            if gr != graph:
                known.setdefault((g, str(p)), []).append((w, src or gr))
        for r in rows:
            if r.indikator != ind:
                continue
            for value, where in known.get((r.gebiet, r.zeitraum.value), []):
                what = f"Zeile {r.line}: {labels[ind]}, {labels[r.gebiet]}, {format_period(r.zeitraum.value)}"
                if Decimal(str(value)) == r.wert:
                    notes.append(f"{what}: derselbe Wert {format_number(r.wert)} steht schon im Graphen ({where}).")
                else:
                    notes.append(f"{what}: der neue Wert {format_number(r.wert)} weicht ab von "
                                 f"{format_number(value)} ({where}). Beide Werte bleiben erhalten; "
                                 "der Widerspruch wird angezeigt.")
    return notes


# -- the import ---------------------------------------------------------------------------------

def plan_import(store, data: bytes, source_name: str, *, now: datetime | None = None) -> ImportPlan:
    """Read and check ``data`` (a CSV file's bytes, or an .xlsx/.ods workbook) and map it to triples; write nothing."""
    from ..workbook.reading import detect

    fmt = detect(data, source_name) if data.strip() else "csv"
    if fmt != "csv":
        from .vorlage import workbook_as_csv

        data = workbook_as_csv(data, source_name, fmt, max_bytes=max(len(data), 5_000_000))
    records = _read_table(_decode(data), source_name)
    rows, labels = _check(store, records, source_name)
    graph, dataset = _names_for(source_name, rows)
    when = now or datetime.now(timezone.utc)
    triples = _triples(rows, graph, dataset, source_name, when)
    plan = ImportPlan(source_name, graph, dataset, rows, triples, labels=labels,
                      replaces=graph in set(store.graph_names()))
    plan.notes = _notes(store, rows, graph, labels)
    return plan


def import_bytes(store, data: bytes, source_name: str, *, dry_run: bool = False,
                 now: datetime | None = None, settings=None) -> ImportPlan:
    """Check and write; with ``settings`` the write goes through the journal (kept for every rebuild)."""
    plan = plan_import(store, data, source_name, now=now)
    if not dry_run:
        if settings is not None:
            from ..store import journal

            journal.commit(settings, store, replace={plan.graph: plan.triples}, kind="monitoring",
                           meta={"datei": source_name, "datensatz": plan.dataset})
        else:
            store.replace_graphs({plan.graph: plan.triples})
            if hasattr(store, "flush"):
                store.flush()
        plan.written = True
    return plan


def import_csv(store, path: Path, *, dry_run: bool = False, now: datetime | None = None,
               settings=None) -> ImportPlan:
    """Import the CSV file at ``path``; on any error raise InputError and write nothing."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"Datei kann nicht gelesen werden: {e.strerror}", source=str(path)) from None
    return import_bytes(store, data, path.name, dry_run=dry_run, now=now, settings=settings)


def template_text() -> str:
    """The CSV template: header, and comment lines that explain each column."""
    return TEMPLATE_PATH.read_text(encoding="utf-8")
