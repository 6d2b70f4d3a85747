"""The catalogue of named queries as pages: ``/abfragen`` lists them, ``/abfragen/NAME`` runs one.

A query's answer comes one page at a time (:func:`inko_graph.query.catalogue.run_page`): ``?seite=N``
(from 1) and ``?zeilen=K`` (rows per page, at most ``MAX_ROWS``), the query's parameters as
further query-string values (``?gebiet=g:hattingen``). A page asks the store for its rows and
one more (whether a next page exists); with a parameter bound, its cost follows that parameter's
answer (the value leads the query). A listing that names its leading entity (e.g. the goals of
"Wer dient welchem Ziel?") is paged over it without parameters: ``zeilen`` then counts goals, the
page shows all their rows, and the sorted list of goals is kept in the server's cache (emptied
when the data change), so no page costs the whole table. Links to the previous and the next page. ``Accept: application/json`` (or ``?format=json``) gives the same page as JSON with
the links as ``zurueck``/``weiter``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse

from ..errors import QueryError

__all__ = ["router", "PAGE_ROWS", "MAX_ROWS"]

router = APIRouter()

PAGE_ROWS = 100
MAX_ROWS = 1000
_OWN = {"seite", "zeilen", "format"}


def _wants_json(request: Request) -> bool:
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _answer(request: Request, status: int, context: dict):
    from .templating import render

    if _wants_json(request):
        return JSONResponse({k: v for k, v in context.items() if k != "abfrage_obj"}, status_code=status)
    return render(request, "abfragen.html.j2", status_code=status, title=context.get("titel", "Abfragen"), **context)


def _number(raw: str | None, default: int, name: str) -> int:
    if raw in (None, ""):
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise QueryError(f"{name} muss eine ganze Zahl ab 1 sein, nicht {raw!r}.")
    return int(raw)


@router.get("/abfragen", include_in_schema=False)
def abfragen(request: Request):
    from ..query.catalogue import query_kind
    from .cockpit_base import catalogue

    items = [{"name": q.name, "titel": q.title, "zweck": q.purpose,
              "parameter": [{"name": p.name, "beschreibung": p.description} for p in q.params]}
             for q in catalogue(request.app) if q.meta.get("berechnet") or query_kind(q) == "select"]
    return _answer(request, 200, {"titel": "Benannte Abfragen", "abfragen": items})


@router.get("/abfragen/{name}", include_in_schema=False)
def abfrage(request: Request, name: str):
    from ..query.catalogue import query_kind, run_page, term_value
    from .cockpit_base import catalogue

    cat = catalogue(request.app)
    if name not in cat.names():
        return _answer(request, 404, {"titel": "Abfrage nicht gefunden",
                                      "fehler": f"Eine Abfrage „{name}“ gibt es nicht. Die Liste steht unter /abfragen."})
    q = cat.get(name)
    qp = request.query_params
    params = {k: v for k, v in qp.items() if k not in _OWN and v != ""}
    head = {"titel": q.title, "name": q.name, "zweck": q.purpose, "parameter_werte": params,
            "parameter": [{"name": p.name, "beschreibung": p.description} for p in q.params]}
    try:
        if not q.meta.get("berechnet") and query_kind(q) != "select":
            raise QueryError("Diese Abfrage gibt keine Tabelle; sie lässt sich über /sparql stellen.")
        seite = _number(qp.get("seite"), 1, "Die Seite")
        zeilen = min(_number(qp.get("zeilen"), PAGE_ROWS, "Die Zahl der Zeilen"), MAX_ROWS)
        page = run_page(request.app.state.store, q, params, limit=zeilen, offset=(seite - 1) * zeilen,
                        keys_cache=request.app.state.cache)
    except QueryError as e:
        return _answer(request, 400, {**head, "fehler": str(e)})
    cols = [str(c) for c in page.rows.columns]
    rows = [[None if v != v else term_value(v) if hasattr(v, "value") else v for v in r]  # NaN -> None
            for r in page.rows.astype(object).itertuples(index=False, name=None)]

    def link(n: int) -> str:
        return f"/abfragen/{q.name}?" + urlencode({**params, "seite": n, "zeilen": zeilen})

    count = page.entries if page.unit else len(rows)
    return _answer(request, 200, {**head, "spalten": cols, "zeilen": rows, "seite": seite, "zeilen_je_seite": zeilen,
                                  "einheit": page.unit or "Zeilen", "anzahl_zeilen": len(rows),
                                  "von": page.offset + 1 if count else 0, "bis": page.offset + count,
                                  "zurueck": link(seite - 1) if seite > 1 else None,
                                  "weiter": link(seite + 1) if page.more else None})
