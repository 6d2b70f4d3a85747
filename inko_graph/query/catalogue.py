"""The catalogue of named SPARQL queries in ``queries/*.rq`` and running them with bound parameters.

Each file starts with a header of ``# key: value`` lines::

    # title: Wer dient welchem Ziel?
    # title_en: Who serves which goal?
    # purpose: …
    # param: akteur iri  Akteur (IRI), optional
    # param: lebensphase iri  Lebensphase (IRI), optional
    # column: akteur  Akteur (IRI)

A parameter is a variable of the query. Its value is bound by the engine (SEP-0007
substitution), never formatted into the query text; a parameter that is not given stays free.
The engine binds only variables that the query projects, so every parameter is also a column
(or the query uses ``SELECT *``).
Types: ``iri``, ``string``, ``integer``, ``decimal``, ``boolean``, ``year``.

A bound parameter also leads the evaluation (:mod:`inko_graph.query.focus`): its value goes, as
a ``VALUES`` block written from the pyoxigraph term, into every sub-query that projects it and
onto the query's ``#@wenn NAME: PATTERN`` lines, so that one actor's or one town's answer costs
what its rows cost. Same name, columns and rows with or without; ``run(..., focus=False)`` runs
the text as written. Long listings: :func:`run_page` (``limit``/``offset``, stable order, ``more``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError
from ..namespaces import GRAPH, PREFIXES
from .focus import focused_text, paged_text
from .paging import columns, entity_of, keys_text, page_text

__all__ = ["Param", "NamedQuery", "Catalogue", "COMPUTED_QUERIES", "coerce_param", "bind_params", "run", "run_page",
           "query_kind", "run_any",
           "Page", "MAX_PAGE",
           "term_value", "curated_graphs", "graphs_without_curated"]

_XSD = PREFIXES["xsd"]
_HEADER = re.compile(r"^#\s*([a-z_]+)\s*:\s*(.*)$")
_TYPES = {"iri", "string", "integer", "decimal", "boolean", "year", "lang"}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str = ""
    required: bool = False


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    path: Path
    title: str = ""
    title_en: str = ""
    purpose: str = ""
    params: tuple[Param, ...] = ()
    columns: tuple[tuple[str, str], ...] = ()
    meta: dict = field(default_factory=dict, hash=False, compare=False)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "keine"
        raise QueryError(f"Die Abfrage {self.name!r} kennt keinen Parameter {name!r}. Bekannte Parameter: {known}.")


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    columns: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1] not in _TYPES:
                raise QueryError(f"{path.name}: Parameterzeile {value!r} muss 'name typ beschreibung' sein; Typen: {', '.join(sorted(_TYPES))}.")
            desc = parts[2] if len(parts) > 2 else ""
            params.append(Param(parts[0], parts[1], desc, required="pflicht" in desc.lower() or "required" in desc.lower()))
        elif key == "column":
            parts = value.split(None, 1)
            columns.append((parts[0], parts[1] if len(parts) > 1 else ""))
        elif key == "seiten_muster" and key in meta:  # the pattern of the pages may take several lines
            meta[key] += "\n" + value
        else:
            meta[key] = value
    return NamedQuery(name=path.stem, text=text, path=path, title=meta.get("title", path.stem),
                      title_en=meta.get("title_en", ""), purpose=meta.get("purpose", ""),
                      params=tuple(params), columns=tuple(columns), meta=meta)


#: Named queries computed in Python from the rows of a SPARQL query of the catalogue: name ->
#: module with SOURCE (the query giving the rows), TITLE, TITLE_EN, PURPOSE, PARAMS, COLUMNS and
#: ``compute(rows, params)``. A fixed list: a query file cannot name code to run.
COMPUTED_QUERIES = {"aehnliche-massnahmen": "inko_graph.query.similarity"}


def _computed_query(name: str, module: str, queries: dict) -> "NamedQuery | None":
    import importlib

    mod = importlib.import_module(module)
    source = queries.get(mod.SOURCE)
    if source is None:
        return None
    own = tuple(Param(n, typ, desc, required=False) for n, typ, desc in mod.PARAMS)
    return NamedQuery(name=name, text=source.text, path=source.path, title=mod.TITLE, title_en=mod.TITLE_EN,
                      purpose=mod.PURPOSE, params=source.params + own, columns=tuple(mod.COLUMNS),
                      meta={"berechnet": module, "quelle": source.name, "berechnet_params": [p.name for p in own]})


class Catalogue:
    """All named queries of a folder, read once, plus the computed ones (COMPUTED_QUERIES)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._queries = {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}
        for name, module in COMPUTED_QUERIES.items():
            q = _computed_query(name, module, self._queries)
            if q is not None:
                self._queries[name] = q

    def __iter__(self):
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)

    def names(self) -> list[str]:
        return list(self._queries)

    def get(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise QueryError(f"Unbekannte Abfrage {name!r}. Verfügbar: {', '.join(self._queries)}.") from None


def coerce_param(q: NamedQuery, name: str, raw) -> ox.NamedNode | ox.Literal:
    """Turn a raw value (from the command line or a form) into a term of the declared type."""
    p = q.param(name)
    if isinstance(raw, (ox.NamedNode, ox.Literal)):
        return raw
    s = str(raw).strip()
    if p.type == "iri":
        if s.startswith("<") and s.endswith(">"):
            s = s[1:-1]
        prefix, sep, local = s.partition(":")
        if sep and prefix in PREFIXES and not local.startswith("//"):
            s = PREFIXES[prefix] + local
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", s):
            raise QueryError(f"Der Parameter {name!r} braucht eine IRI (z. B. https://w3id.org/inko/id/… oder lp:alter), nicht {raw!r}.")
        return ox.NamedNode(s)
    if p.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", s):
            raise QueryError(f"Der Parameter {name!r} braucht eine ganze Zahl, nicht {raw!r}.")
        return ox.Literal(s, datatype=ox.NamedNode(_XSD + "integer"))
    if p.type == "decimal":
        if not re.fullmatch(r"[+-]?\d+([.,]\d+)?", s):
            raise QueryError(f"Der Parameter {name!r} braucht eine Zahl, nicht {raw!r}.")
        return ox.Literal(s.replace(",", "."), datatype=ox.NamedNode(_XSD + "decimal"))
    if p.type == "boolean":
        if s.lower() not in ("true", "false", "ja", "nein", "1", "0"):
            raise QueryError(f"Der Parameter {name!r} braucht ja oder nein, nicht {raw!r}.")
        v = "true" if s.lower() in ("true", "ja", "1") else "false"
        return ox.Literal(v, datatype=ox.NamedNode(_XSD + "boolean"))
    if p.type == "year":
        if not re.fullmatch(r"\d{4}", s):
            raise QueryError(f"Der Parameter {name!r} braucht eine Jahreszahl (z. B. 2026), nicht {raw!r}.")
        return ox.Literal(s, datatype=ox.NamedNode(_XSD + "gYear"))
    if p.type == "lang":
        return ox.Literal(s)
    return ox.Literal(s)


_GRAPHART = PREFIXES["inko"] + "graphart"
_KURATIERT = PREFIXES["id"] + "vokabular/graphart/kuratiert"


def curated_graphs(store) -> set[str]:
    """Graphs described in the meta graph as curated (links added by interpretation)."""
    res = store.query(
        "SELECT ?g ?k WHERE { GRAPH ?m { ?g inko:graphart ?k } }",
        {"k": ox.NamedNode(_KURATIERT)}, union=False)
    return {row["g"].value for row in res}


def _dataset(store, include_curated: bool) -> dict:
    """The dataset of a query with or without the curated graphs. The embedded store keeps the union
    without them as a set (``curated=False``); other stores get the list of the other graphs."""
    if include_curated:
        return {}
    from ..store import OxigraphStore

    if isinstance(store, OxigraphStore):
        return {"curated": False}
    return {"default_graphs": graphs_without_curated(store)}


def graphs_without_curated(store) -> list[str]:
    cur = curated_graphs(store)
    return [g for g in store.graph_names() if g not in cur]


META_GRAPH = GRAPH + "meta"


_NUMERIC = {_XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")}


def term_value(term):
    """A result term as a plain Python value: IRIs and strings as str, numbers as numbers."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.datatype.value in _NUMERIC:
            try:
                return int(term.value) if term.datatype.value.endswith(("integer", "int", "long")) else float(term.value)
            except ValueError:
                return term.value
        if term.datatype.value == _XSD + "boolean":
            return term.value == "true"
        return term.value
    return term.value


def bind_params(q: NamedQuery, params: dict | None) -> dict:
    """Typed terms for the given parameters; unknown names, bad values and missing required ones raise.

    Checks everything without touching a store, so callers can report bad input first.
    """
    bindings = {}
    for name, raw in (params or {}).items():
        if raw is None or raw == "":
            q.param(name)  # an unknown name is an error even without a value
            continue
        bindings[name] = coerce_param(q, name, raw)
    missing = [p.name for p in q.params if p.required and p.name not in bindings]
    if missing:
        raise QueryError(f"Die Abfrage {q.name!r} braucht den Parameter {', '.join(missing)}.")
    return bindings


def _literal_int(term: ox.Literal):
    try:
        return int(term.value)
    except ValueError:
        return term.value


def _literal_float(term: ox.Literal):
    try:
        return float(term.value)
    except ValueError:
        return term.value


_CONVERT = {_XSD + t: _literal_int for t in ("integer", "int", "long", "nonNegativeInteger")}
_CONVERT.update({_XSD + t: _literal_float for t in ("decimal", "double", "float")})
_CONVERT[_XSD + "boolean"] = lambda term: term.value == "true"


def _rows(result, width: int) -> list[list]:
    """The solutions as lists of plain values, in the order of the variables.

    The hot loop of every query: strings and IRIs (nearly all terms) take one attribute read,
    only typed literals look up a converter.
    """
    convert = _CONVERT
    literal = ox.Literal
    rows = []
    append = rows.append
    for sol in result:
        row = [None] * width
        for i, term in enumerate(sol):
            if term is None:
                continue
            if type(term) is literal:
                f = convert.get(term.datatype.value)
                row[i] = f(term) if f is not None else term.value
            else:
                row[i] = term.value
        append(row)
    return rows


def run(store, q: NamedQuery, params: dict | None = None, *, include_curated: bool = True,
        focus: bool = True):
    """Run a named SELECT query with typed parameters; returns a pandas DataFrame.

    The bound parameters lead the evaluation (see :mod:`inko_graph.query.focus`); ``focus=False``
    runs the query text as written, with the values only substituted (the reference the tests
    compare with). A computed query (see COMPUTED_QUERIES) runs its source query with the
    parameters that query declares and hands the rows and its own parameters to the module's
    ``compute``. For long listings see :func:`run_page`.
    """
    df, _ = _run(store, q, params, include_curated=include_curated, focus=focus)
    return df


def _run(store, q: NamedQuery, params, *, include_curated: bool = True, focus: bool = True,
         tail: str = ""):
    import pandas as pd

    bindings = bind_params(q, params)
    computed = q.meta.get("berechnet")
    own: dict = {}
    if computed:
        for name in q.meta.get("berechnet_params", ()):
            if name in bindings:
                own[name] = term_value(bindings.pop(name))
    text = focused_text(q.text, bindings) if focus else q.text
    result = store.query(text + tail, bindings, **_dataset(store, include_curated))
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"Die Abfrage {q.name!r} ist keine SELECT-Abfrage.")
    cols = [v.value for v in result.variables]
    df = pd.DataFrame(_rows(result, len(cols)), columns=cols)
    if computed:
        import importlib

        return importlib.import_module(computed).compute(df, own), cols
    return df, cols


_KIND = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_SKIP = re.compile(r"#[^\n]*|<[^>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")


def query_kind(q: NamedQuery) -> str:
    """``select``, ``ask``, ``construct`` or ``describe``: the query form (its first keyword outside
    comments, IRIs and strings)."""
    m = _KIND.search(_SKIP.sub(" ", q.text))
    return m.group(1).lower() if m else "select"


def run_any(store, q: NamedQuery, params: dict | None = None, *, include_curated: bool = True):
    """Run a named query of any form: a DataFrame for SELECT (as :func:`run`), ``True``/``False``
    for ASK, a list of pyoxigraph triples for CONSTRUCT and DESCRIBE (each triple once)."""
    kind = query_kind(q)
    if kind == "select" or q.meta.get("berechnet"):
        return run(store, q, params, include_curated=include_curated)
    bindings = bind_params(q, params)
    result = store.query(q.text, bindings, **_dataset(store, include_curated))
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):  # the keyword guess was wrong: still a table
        cols = [v.value for v in result.variables]
        import pandas as pd

        return pd.DataFrame(_rows(result, len(cols)), columns=cols)
    return list(dict.fromkeys(result))


@dataclass
class Page:
    """One page of a listing: ``rows`` (a DataFrame), where it starts and whether more follow
    (``more``: fetch the page at ``offset + limit``). ``offset`` and ``limit`` count rows, or the
    entries of the query's leading entity when it names one (``unit``, e.g. "Ziele": the page
    holds all rows of ``entries`` goals)."""

    rows: "object"
    offset: int
    limit: int
    more: bool
    unit: str | None = None
    entries: int = 0


#: The largest page one call returns.
MAX_PAGE = 5000


def run_page(store, q: NamedQuery, params: dict | None = None, *, limit: int = 100, offset: int = 0,
             include_curated: bool = True, keys_cache: dict | None = None) -> Page:
    """One page of a named query from ``offset`` on, at most ``limit`` long, and a ``more`` flag.

    The order is stable from page to page: the query's own ORDER BY, then every column as a tie
    breaker. ``more`` comes from asking for one more than the page (no count of the whole table).
    A query that names its leading entity (header ``seiten``, :mod:`inko_graph.query.paging`) is
    paged over that entity when no parameter is bound: ``limit`` goals, say, with all their rows,
    ordered by the goal first; the page costs its goals' rows and a sorted list of the goals, not
    the whole table. With a parameter bound, rows are paged and the parameter leads the evaluation
    (the page costs that parameter's answer). Other listings are sorted as a whole before they are
    cut. Example: ``run_page(store, cat.get("wer-dient-welchem-ziel"), {"gebiet": "g:hattingen"},
    limit=50, offset=100)``. Computed queries (COMPUTED_QUERIES) are paged after computing.
    ``keys_cache``: a dict that lives as long as the data (the server's cache) keeps the sorted
    list of the entities, so that later pages skip sorting them.
    """
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_PAGE:
        raise QueryError(f"Die Seitengröße muss eine ganze Zahl von 1 bis {MAX_PAGE} sein, nicht {limit!r}.")
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise QueryError(f"Der Beginn der Seite muss eine ganze Zahl ab 0 sein, nicht {offset!r}.")
    if q.meta.get("berechnet"):
        df = run(store, q, params, include_curated=include_curated)
        part = df.iloc[offset:offset + limit + 1].reset_index(drop=True)
    else:
        entity = entity_of(q.meta)
        if entity is not None and not bind_params(q, params):
            return _entity_page(store, q, entity, limit, offset, include_curated, keys_cache)
        # Only integers checked above enter the text.
        text, tail = paged_text(q.text, limit + 1, offset)
        part, _ = _run(store, NamedQuery(q.name, text, q.path, params=q.params, meta=q.meta), params,
                       include_curated=include_curated, tail=tail)
    more = len(part) > limit
    return Page(part.iloc[:limit], offset, limit, more)


def _entity_page(store, q: NamedQuery, entity, limit: int, offset: int, include_curated: bool,
                 keys_cache: dict | None) -> Page:
    """The rows of the ``limit`` entities from ``offset`` on (see :mod:`inko_graph.query.paging`)."""
    import pandas as pd

    dataset = _dataset(store, include_curated)
    if keys_cache is not None:
        key = ("seiten", q.name, include_curated)
        if key not in keys_cache:
            keys_cache[key] = [list(sol) for sol in store.query(keys_text(entity), None, **dataset)]
        keys = keys_cache[key][offset:offset + limit + 1]
    else:
        # Only integers checked by run_page enter the text.
        keys = [list(sol) for sol in store.query(keys_text(entity) + f"LIMIT {int(limit) + 1} OFFSET {int(offset)}\n",
                                                 None, **dataset)]
    more = len(keys) > limit
    keys = keys[:limit]
    if not keys:
        return Page(pd.DataFrame([], columns=columns(q.text)), offset, limit, False, entity.unit, 0)
    text, _ = paged_text(page_text(q.text, entity, keys), 1, 0)
    part, _ = _run(store, NamedQuery(q.name, text, q.path, params=q.params, meta=q.meta), None,
                   include_curated=include_curated, focus=False)
    return Page(part, offset, limit, more, entity.unit, len(keys))
