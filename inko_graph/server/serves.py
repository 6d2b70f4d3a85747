"""„Wer dient welchem Ziel?“: Ziel → Maßnahme oder Aktivität → Akteur (Rolle) → Lebensphase → Zielgruppe.

The page ``/wer-dient`` (filtered by Ziel, Handlungsfeld, Lebensphase, Zielgruppe and Akteur,
sortable, paged, downloadable) and the same table for other pages:

- ``serves_rows(request, ziel=IRI)`` or ``serves_rows(request, akteur=IRI)``: the rows (dicts,
  one per goal, undertaking and actor with role; keys as in ``COLUMNS``, lists of (IRI, name) for
  Lebensphasen, Zielgruppen and Handlungsfelder), sorted by goal, undertaking, actor.
- ``serves_table(request, ziel=IRI)`` / ``serves_table(request, akteur=IRI)``: the context for
  the partial ``cockpit_dient_tabelle.html.j2``: ``{% with dient=serves_table(...) %}{% include
  "cockpit_dient_tabelle.html.j2" %}{% endwith %}`` renders the table (a goal page leaves out the
  goal column, an actor page the actor column).

The rows come from the named query ``cockpit-wer-dient`` (one row per combination), run with
the parameter that is given (goal, actor, or each concept of the chosen Gebiet).
"""

from __future__ import annotations

import threading

from fastapi import APIRouter, Request

from . import gebiet as gb
from .cockpit_base import Tabelle, natural, page, paged, run, text
from .cockpit_einheiten import einheiten, nest_options

__all__ = ["router", "serves_rows", "serves_table", "COLUMNS"]

router = APIRouter()

#: Column key -> heading, in the order of the page and of the downloads.
COLUMNS = {"ziel": "Ziel", "vorhaben": "Maßnahme oder Aktivität", "akteur": "Akteur (Rolle)",
           "lebensphasen": "Lebensphase", "zielgruppen": "Zielgruppe", "handlungsfelder": "Handlungsfeld",
           "belegt": "Zuordnung"}
_SORT = {"ziel": "zielsort", "vorhaben": "vorhabenname", "akteur": "akteurname", "lebensphasen": "lpsort",
         "zielgruppen": "zgsort", "handlungsfelder": "hfsort"}


def _group(df) -> list[dict]:
    """One row per goal, undertaking and actor with role, its Lebensphasen, Zielgruppen and
    Handlungsfelder gathered. Reads plain column lists (not pandas rows) and computes each distinct
    name's sort key once: a Kreis's table has thousands of rows with few distinct names."""
    rows: dict[tuple, dict] = {}
    nat = _natural_cached()
    names = list(df.columns)
    for values in zip(*(df[c].tolist() for c in names)):
        r = dict(zip(names, values))
        akteur = r["akteur"] if isinstance(r["akteur"], str) else None
        rolle = text(r["rolle"])
        key = (r["ziel"], r["vorhaben"], akteur, rolle)
        row = rows.get(key)
        if row is None:
            row = rows[key] = {
                "ziel": r["ziel"], "zielname": text(r["zielname"]) or "(ohne Bezeichnung)",
                "zielnummer": text(r["zielnummer"]), "konzept": r["konzept"], "vorhaben": r["vorhaben"],
                "vorhabenname": text(r["vorhabenname"]) or "(ohne Bezeichnung)",
                "vorhabenart": text(r["vorhabenart"]), "belegt": text(r["belegt"]), "akteur": akteur,
                "akteurname": text(r["akteurname"]) if akteur else "", "rolle": rolle,
                "lebensphasen": {}, "zielgruppen": {}, "handlungsfelder": {}}
        for col, name, target in (("lebensphase", "lebensphasename", "lebensphasen"),
                                  ("zielgruppe", "zielgruppename", "zielgruppen"),
                                  ("handlungsfeld", "handlungsfeldname", "handlungsfelder")):
            iri = r[col]
            if isinstance(iri, str):
                row[target][iri] = text(r[name]) or iri.rsplit("/", 1)[-1]
    out = []
    for row in rows.values():
        for k in ("lebensphasen", "zielgruppen", "handlungsfelder"):
            items = row[k]
            row[k] = sorted(items.items(), key=lambda kv: nat(kv[1])) if len(items) > 1 else list(items.items())
        row["zielsort"] = f"{row['zielnummer']} {row['zielname']}"
        row["lpsort"] = ", ".join(n for _, n in row["lebensphasen"])
        row["zgsort"] = ", ".join(n for _, n in row["zielgruppen"])
        row["hfsort"] = ", ".join(n for _, n in row["handlungsfelder"])
        out.append(row)
    out.sort(key=lambda r: (nat(r["zielnummer"]), nat(r["zielname"]), nat(r["vorhabenname"]),
                            nat(r["akteurname"]), r["rolle"]))
    return out


def _natural_cached():
    """``natural`` with each distinct text's key computed once (for one grouping or sorting)."""
    keys: dict[str, list] = {}

    def nat(s):
        k = keys.get(s)
        if k is None:
            k = keys[s] = natural(s)
        return k
    return nat


def _sorted(rows: list[dict], col: str, desc: bool) -> list[dict]:
    """The rows sorted like ``sort_rows`` (natural order of the column's field), each distinct
    value's key computed once."""
    field, nat = _SORT[col], _natural_cached()
    return sorted(rows, key=lambda r: nat(str(r.get(field) or "")), reverse=desc)


def serves_rows(request: Request, *, ziel: str | None = None, akteur: str | None = None,
                gebiet: gb.Gebiet | None = None) -> list[dict]:
    """The rows for one goal, one actor, or the concepts of ``gebiet`` (all when ``None``)."""
    key = ("cockpit-wer-dient-zeilen", ziel, akteur, gebiet.slug if gebiet else None)
    cache = request.app.state.cache
    if key not in cache:
        cache[key] = _rows_for(request, ziel, akteur, gebiet)
    return cache[key]


def _rows_for(request, ziel, akteur, gebiet):
    import pandas as pd

    if ziel or akteur:
        return _group(run(request, "cockpit-wer-dient", {"ziel": ziel, "akteur": akteur}))
    if gebiet is None:
        return _group(run(request, "cockpit-wer-dient"))
    parts = [run(request, "cockpit-wer-dient", {"konzept": k}) for k in sorted(gebiet.konzept_iris)]
    parts = [p for p in parts if len(p)]
    return _group(pd.concat(parts, ignore_index=True)) if parts else []


def _names(items) -> str:
    return ", ".join(n for _, n in items)


def tabelle(rows: list[dict], columns: list[str], id_: str = "wer-dient", titel: str = "Wer dient welchem Ziel") -> Tabelle:
    """The rows as a download with the columns shown."""
    def cell(r, c):
        if c == "ziel":
            return (r["zielnummer"] + " " if r["zielnummer"] else "") + r["zielname"]
        if c == "vorhaben":
            return f"{r['vorhabenname']} ({r['vorhabenart']})"
        if c == "akteur":
            return f"{r['akteurname']} ({r['rolle']})" if r["akteur"] else "nicht genannt"
        if c == "belegt":
            return "kuratiert" if r["belegt"] == "kuratiert" else "im Dokument"
        return _names(r[c])
    return Tabelle(id_, titel, [COLUMNS[c] for c in columns], [[cell(r, c) for c in columns] for r in rows])


def serves_table(request: Request, *, ziel: str | None = None, akteur: str | None = None) -> dict:
    """Context for ``cockpit_dient_tabelle.html.j2`` on a goal's or an actor's page."""
    rows = serves_rows(request, ziel=ziel, akteur=akteur)
    columns = [c for c in COLUMNS if not (c == "ziel" and ziel) and not (c == "akteur" and akteur)]
    return {"zeilen": rows, "spalten": [(c, COLUMNS[c]) for c in columns], "sortierbar": False,
            "ueberschrift": "Dient diesem Ziel" if ziel else "Dient diesen Zielen"}


def _options(rows, field):
    seen: dict[str, str] = {}
    for r in rows:
        if field == "akteur":
            if r["akteur"]:
                seen[r["akteur"]] = r["akteurname"]
        elif field == "ziel":
            seen[r["ziel"]] = r["zielsort"]
        else:
            seen.update(dict(r[field]))
    return sorted(seen.items(), key=lambda kv: natural(kv[1]))


_FILTERS = [("ziel", "Ziel"), ("handlungsfeld", "Handlungsfeld"), ("lebensphase", "Lebensphase"),
            ("zielgruppe", "Zielgruppe"), ("akteur", "Akteur")]
_FIELD = {"ziel": "ziel", "handlungsfeld": "handlungsfelder", "lebensphase": "lebensphasen",
          "zielgruppe": "zielgruppen", "akteur": "akteur"}


def _keep(row, name, value, families=None) -> bool:
    field = _FIELD[name]
    if field == "akteur" and families:  # an organisation keeps the rows of its sub-units too
        return row[field] in families.get(value, {value})
    if field in ("ziel", "akteur"):
        return row[field] == value
    return any(iri == value for iri, _ in row[field])


#: Filtered and sorted views of the table kept at once (each holds references to the rows only).
_VIEWS = 32
_LOCK = threading.Lock()


def _view(every: list[dict], options: dict, chosen: dict, col: str, desc: bool, families=None) -> tuple:
    """(rows after the filters, sorted; the filters with their choices) for one choice of valid
    filter values and sorting."""
    filters = []
    rows = every
    for name, label in _FILTERS:
        value = chosen[name]
        if value:
            rows = [r for r in rows if _keep(r, name, value, families)]
        filters.append({"name": name, "label": label, "wert": value, "optionen": options[name],
                        "gewaehlt": dict(options[name]).get(value, "")})
    rows = _sorted(rows, col, desc)
    return rows, filters


@router.get("/wer-dient", include_in_schema=False)
def wer_dient(request: Request, sortierung: str = ""):
    """One page of the table. The filtered and sorted rows are kept (the last ``_VIEWS`` choices of
    Gebiet, filters and sorting, until the data change and the cache is emptied), so that the next
    page costs its rows, not filtering and sorting the whole table again (72,000 rows at 10^6
    triples); the download is built only when it is asked for."""
    from collections import OrderedDict

    g = gb.chosen(request)
    every = serves_rows(request, gebiet=g)
    cache = request.app.state.cache
    slug = g.slug if g else None
    if ("wer-dient-optionen", slug) not in cache:
        opts = {name: _options(every, _FIELD[name]) for name, _ in _FILTERS}
        opts["akteur"], families = nest_options(opts["akteur"], einheiten(request))
        cache[("wer-dient-optionen", slug)] = (opts, len({r["konzept"] for r in every}), families)
    options, konzepte, families = cache[("wer-dient-optionen", slug)]
    # A stale or hand-edited link (a value that is none of the choices) filters nothing.
    chosen = {name: v if (v := request.query_params.get(name, "")) in dict(options[name]) else ""
              for name, _ in _FILTERS}
    raw = sortierung or "ziel"
    col, desc = (raw.lstrip("-"), raw.startswith("-")) if raw.lstrip("-") in _SORT else ("ziel", False)
    key = (slug, tuple(chosen.items()), col, desc)
    with _LOCK:  # requests run in threads; one computes a view, the others wait for it
        views = cache.setdefault("wer-dient-ansichten", OrderedDict())
        if key not in views:
            views[key] = _view(every, options, chosen, col, desc, families)
            while len(views) > _VIEWS:
                views.popitem(last=False)
        views.move_to_end(key)
        rows, filters = views[key]
    shown, pager = paged(rows, request)
    columns = list(COLUMNS)
    tabellen = [tabelle(rows, columns)] if request.query_params.get("format") else []
    return page(request, "cockpit_wer_dient.html.j2", "Wer dient welchem Ziel?",
                tabellen=tabellen, dient={"zeilen": shown, "spalten": [(c, COLUMNS[c]) for c in columns],
                                          "sortierbar": True, "sortierung": col, "absteigend": desc},
                filter=filters, seiten=pager, gesamt=len(every), konzepte=konzepte)
