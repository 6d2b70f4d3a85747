"""The SPARQL endpoint: SPARQL 1.1 Protocol for queries, the service description, the query page.

Every query is checked here (size, updates, SERVICE, LOAD, acceptable format) and then run in
the worker pool (``query_pool``), which enforces the time limit. Queries without a dataset see
the union of all named graphs (``sd:UnionDefaultGraph``). Updates are refused on ``/sparql``;
``/sparql/update`` exists only when a write token is configured.
"""

from __future__ import annotations

import hmac
import json
import time
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from ..errors import QueryError, QueryRefused
from ..namespaces import PREFIXES
from . import openapi_docs as docs
from .freshness import data_changed, ensure_fresh
from .limits import check_size, inspect_query_async, inspect_update_async, syntax_message, warm_up
from .negotiation import BOOLEAN_FORMATS, FORMATS, GRAPH_FORMATS, RESULT_FORMATS, by_key, nearest, negotiate
from .query_pool import QueryPool

__all__ = ["router", "setup", "service_description"]

router = APIRouter()

_READ_ONLY = "Dieser Endpunkt ist nur zum Lesen da: Änderungen (SPARQL Update) sind hier nicht erlaubt."
_SD_OFFERS = ("turtle", "html", "rdfxml", "ntriples", "jsonld")
_KIND_OFFERS = {"solutions": RESULT_FORMATS, "boolean": BOOLEAN_FORMATS, "graph": GRAPH_FORMATS}
_FORM_KIND = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
_KIND_NAME = {"solutions": "SELECT", "boolean": "ASK", "graph": "CONSTRUCT/DESCRIBE"}
_ALL_KEYS = tuple(k for k in FORMATS if k != "html")


def setup(app) -> None:
    settings = app.state.settings
    pool = QueryPool(app.state.store, settings.query_workers, settings.query_timeout)
    app.state.query_pool = pool
    app.state.data_generation = getattr(app.state.store, "generation", 0)

    async def start(app):
        pool.start()
        warm_up()  # the checking grammar loads beside the start, not in the first query's time

    async def stop(app):
        pool.close()

    app.state.startup.append(start)
    app.state.shutdown.append(stop)
    if settings.write_token:
        app.add_api_route("/sparql/update", sparql_update, methods=["POST"], response_class=Response,
                          responses=docs.answers(None, 400, 401, 403, 413, 415, 503, ok_status=204),
                          openapi_extra=docs.body("application/sparql-update", form_field="update"))
    from .middleware import add_fast_route

    add_fast_route(app, "/sparql", ("GET", "HEAD"), sparql_get)
    add_fast_route(app, "/sparql", ("POST",), sparql_post)


# -- request parsing ------------------------------------------------------------------------------

def _fail(status: int, message: str):
    raise HTTPException(status_code=status, detail=message)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        _fail(413, f"Der Inhalt ist größer als {limit} Bytes (INKO_MAX_QUERY_BYTES).")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            _fail(413, f"Der Inhalt ist größer als {limit} Bytes (INKO_MAX_QUERY_BYTES).")
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(request: Request) -> tuple[str, str | None]:
    raw = request.headers.get("content-type", "")
    parts = [p.strip() for p in raw.split(";")]
    charset = None
    for p in parts[1:]:
        name, _, value = p.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _decode(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        _fail(415, f"Der Zeichensatz {charset!r} wird nicht angenommen; bitte UTF-8 senden.")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise QueryError(f"Der Inhalt ist kein gültiges UTF-8 (Byte {e.start}).") from None


def _single_query(queries: list[str]) -> str:
    if len(queries) > 1:
        raise QueryError("Bitte genau eine Abfrage senden: der Parameter 'query' kam mehrfach vor.")
    return queries[0]


def _graph_list(values: list[str], name: str) -> list[str]:
    out = []
    for v in values:
        try:
            ox.NamedNode(v)
        except ValueError:
            raise QueryError(f"{name}: {v!r} ist keine gültige IRI.") from None
        if ":" not in v:
            raise QueryError(f"{name}: {v!r} ist keine absolute IRI.")
        out.append(v)
    return out


@router.get("/sparql", response_class=Response, responses=docs.answers(docs.RESULTS, 400, 403, 406, 413, 422, 503),
            openapi_extra=docs.query_params("query", "default-graph-uri", "named-graph-uri", "format"))
@router.head("/sparql", include_in_schema=False)
async def sparql_get(request: Request):
    params = request.query_params
    if "update" in params:
        raise QueryRefused(_READ_ONLY)
    queries = params.getlist("query")
    if not queries:
        return _service_or_page(request)
    return await answer(request, _single_query(queries), params.getlist("default-graph-uri"),
                        params.getlist("named-graph-uri"))


@router.post("/sparql", response_class=Response, responses=docs.answers(docs.RESULTS, 400, 403, 406, 413, 415, 422, 503),
             openapi_extra=docs.body("application/sparql-query", form_field="query"))
async def sparql_post(request: Request):
    settings = request.app.state.settings
    ctype, charset = _content_type(request)
    params = request.query_params
    if ctype == "application/x-www-form-urlencoded":
        body = _decode(await _read_body(request, settings.max_query_bytes * 3 + 4096), charset)
        form = parse_qs(body, keep_blank_values=True)
        if "update" in form or "update" in params:
            raise QueryRefused(_READ_ONLY)
        queries = form.get("query", []) + params.getlist("query")
        if not queries:
            raise QueryError("Im Formular fehlt der Parameter 'query'.")
        return await answer(request, _single_query(queries),
                            form.get("default-graph-uri", []) + params.getlist("default-graph-uri"),
                            form.get("named-graph-uri", []) + params.getlist("named-graph-uri"))
    if ctype == "application/sparql-query":
        if "query" in params:
            raise QueryError("Bitte genau eine Abfrage senden: im Inhalt und zugleich als Parameter 'query'.")
        body = _decode(await _read_body(request, settings.max_query_bytes), charset)
        return await answer(request, body, params.getlist("default-graph-uri"), params.getlist("named-graph-uri"))
    if ctype == "application/sparql-update":
        raise QueryRefused(_READ_ONLY)
    _fail(415, "Bitte die Abfrage als application/sparql-query oder als Formular "
               "(application/x-www-form-urlencoded, Feld 'query') senden.")


# -- answering ------------------------------------------------------------------------------------

def _choose_formats(request: Request) -> dict[str, str | None]:
    """The format key for each kind of result (``None``: not acceptable).

    ``?format=`` (also ``output=``/``results=``, which some clients send with it) names the wish
    for every kind at once; each kind takes the nearest format it can give (``xml``: SPARQL XML
    for SELECT and ASK, RDF/XML for a graph). Where the wish fits no format of a kind, or is
    unknown, the ``Accept`` header decides: a good ``Accept`` never becomes an error."""
    accept = request.headers.get("accept")
    by_accept = {kind: (f.key if (f := negotiate(accept, offers)) else None) for kind, offers in _KIND_OFFERS.items()}
    if None in by_accept.values():
        # Accept names only formats of another kind (roqet asks for SPARQL XML also for a graph):
        # the nearest format of this kind (RDF/XML) rather than an error.
        liked = negotiate(accept, _ALL_KEYS)
        for kind, offers in _KIND_OFFERS.items():
            if by_accept[kind] is None and liked is not None and (near := nearest(liked, offers)) is not None:
                by_accept[kind] = near.key
    wish = next((v for k in ("format", "output", "results") if (v := request.query_params.get(k))), None)
    if not wish:
        return by_accept
    fmt = by_key(wish)
    if fmt is None:
        if accept and accept.strip() and not accept.strip().startswith("*/*"):
            return by_accept
        raise QueryError(f"Unbekanntes Format {wish!r}; möglich: json, xml, csv, tsv, ttl, nt, jsonld, rdfxml, html.")
    out = {}
    for kind, offers in _KIND_OFFERS.items():
        near = nearest(fmt, offers)
        out[kind] = near.key if near is not None else by_accept[kind]
    return out


def _not_acceptable(request: Request, kind: str):
    offers = ", ".join(FORMATS[k].media_type for k in _KIND_OFFERS[kind])
    asked = request.query_params.get("format") or request.headers.get("accept", "")
    _fail(406, f"Für eine {_KIND_NAME[kind]}-Abfrage kann der Server liefern: {offers}. Angefragt war: {asked}.")


async def answer(request: Request, query: str, default_graphs: list[str], named_graphs: list[str]):
    app = request.app
    settings = app.state.settings
    ensure_fresh(app)
    check_size(query, settings.max_query_bytes)
    info = await inspect_query_async(query)  # depth, then the parse: no SERVICE, no update (limits.py)
    formats = _choose_formats(request)
    if info.form in _FORM_KIND and formats[_FORM_KIND[info.form]] is None:
        _not_acceptable(request, _FORM_KIND[info.form])
    html = {k for k, v in formats.items() if v == "html"}
    # HTML is drawn here from the worker's JSON or N-Triples.
    worker_formats = {k: (("ntriples" if k == "graph" else "json") if v == "html" else v) for k, v in formats.items()}
    dataset_given = bool(default_graphs or named_graphs)
    job = {
        "query": query,
        "base_iri": settings.base_iri,
        "union": not info.has_dataset,
        "default_graphs": _graph_list(default_graphs, "default-graph-uri") if dataset_given else None,
        "named_graphs": _graph_list(named_graphs, "named-graph-uri") if dataset_given else None,
        "formats": worker_formats,
        # The results page shows at most PAGE_ROWS and says where it cut; every other answer is whole
        # up to INKO_MAX_RESULT_ROWS, long ones through the spill folder (query_worker.deliver).
        "max_rows": min(settings.max_result_rows, PAGE_ROWS) if html else settings.max_result_rows,
        "truncate": bool(html),
        "spill_dir": spill_dir(app),
    }
    t0 = time.perf_counter()
    reply = await app.state.query_pool.run(job)
    elapsed = (time.perf_counter() - t0) * 1000
    status = reply[0]
    if status == "syntax":
        raise QueryError(syntax_message(reply[1])[0])
    if status == "error":
        raise QueryError(f"Die Abfrage konnte nicht ausgewertet werden: {reply[1]}")
    if status == "unacceptable":
        _not_acceptable(request, reply[1])
    if status == "too_many":
        limit = f"{reply[1]:,}".replace(",", ".")
        _fail(422, f"Die Antwort hätte mehr als {limit} Zeilen (bzw. Tripel); so lange Antworten gibt dieser "
                   "Server nicht heraus (INKO_MAX_RESULT_ROWS), auch nicht zum Teil. Bitte die Abfrage enger fassen "
                   "oder mit LIMIT und OFFSET seitenweise abfragen; den ganzen Datenbestand gibt es unter /downloads.")
    _, kind, fmt, body, rows, truncated = reply
    headers = {"X-Inko-Rows": str(rows), "Vary": "Accept", "Server-Timing": f"abfrage;dur={elapsed:.1f};desc=ausgewertet"}
    if truncated:
        headers["X-Inko-Truncated"] = str(job["max_rows"])
    if kind in html:
        return _results_page(request, query, kind, body, rows, truncated, headers)
    if isinstance(body, tuple):
        return _spilled(body[1], FORMATS[fmt].content_type, headers)
    return Response(body, media_type=FORMATS[fmt].content_type, headers=headers)


#: Rows shown on the HTML results page; more would not help a reader and would slow the browser.
PAGE_ROWS = 10_000


def spill_dir(app) -> str:
    """The folder where query workers write long answers; made once per server and removed at its end."""
    path = getattr(app.state, "spill_dir", None)
    if path is None:
        import shutil
        import tempfile

        path = app.state.spill_dir = tempfile.mkdtemp(prefix="inko-antworten-")

        async def remove(_app):
            shutil.rmtree(path, ignore_errors=True)

        app.state.shutdown.append(remove)
    return path


def _spilled(path: str, media_type: str, headers: dict):
    """A long answer from the spill folder, read and sent in pieces. The file is unlinked at once:
    it lives as long as the open file, also when the client goes away mid-answer."""
    import asyncio
    import os

    from starlette.responses import StreamingResponse

    f = open(path, "rb")
    os.unlink(path)
    size = os.fstat(f.fileno()).st_size

    async def pieces():
        with f:
            while chunk := await asyncio.to_thread(f.read, 1 << 20):
                yield chunk

    return StreamingResponse(pieces(), media_type=media_type, headers={**headers, "Content-Length": str(size)})


# -- the service description --------------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS_NS = "http://www.w3.org/ns/formats/"


def service_description(app) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of this endpoint, with the named graphs and their sizes."""
    from ..export.dumps import graph_stats

    settings = app.state.settings
    base = settings.base_iri
    N = ox.NamedNode
    rdf_type = N(PREFIXES["rdf"] + "type")
    void = PREFIXES["void"]
    endpoint = N(base + "sparql")
    svc = ox.BlankNode("dienst")
    ds = ox.BlankNode("datensatz")
    dg = ox.BlankNode("standardgraph")
    out = [
        ox.Triple(svc, rdf_type, N(SD + "Service")),
        ox.Triple(svc, N(SD + "endpoint"), endpoint),
        ox.Triple(svc, N(SD + "supportedLanguage"), N(SD + "SPARQL11Query")),
        ox.Triple(svc, N(SD + "feature"), N(SD + "UnionDefaultGraph")),
        ox.Triple(svc, N(PREFIXES["dcterms"] + "title"), ox.Literal("SPARQL-Endpunkt von inko-graph", language="de")),
        ox.Triple(svc, N(PREFIXES["rdfs"] + "comment"), ox.Literal(
            "Nur lesend. Abfragen ohne GRAPH sehen die Vereinigung aller benannten Graphen. "
            f"Grenzen: {settings.query_timeout:g} s je Abfrage, höchstens {settings.max_result_rows} Zeilen, "
            f"höchstens {settings.max_query_bytes} Bytes je Abfrage; SERVICE und LOAD sind gesperrt.", language="de")),
        ox.Triple(svc, N(SD + "defaultDataset"), ds),
        ox.Triple(ds, rdf_type, N(SD + "Dataset")),
        ox.Triple(ds, N(SD + "defaultGraph"), dg),
        ox.Triple(dg, rdf_type, N(SD + "Graph")),
    ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        out.append(ox.Triple(svc, N(SD + "resultFormat"), N(_FORMATS_NS + name)))
    stats = graph_stats(app.state.store, settings, cache=app.state.cache)
    out.append(ox.Triple(dg, N(void + "triples"), ox.Literal(str(stats.union_triples), datatype=N(PREFIXES["xsd"] + "integer"))))
    for i, g in enumerate(stats.graphs):
        ng = ox.BlankNode(f"g{i}")
        gg = ox.BlankNode(f"gg{i}")
        out += [
            ox.Triple(ds, N(SD + "namedGraph"), ng),
            ox.Triple(ng, rdf_type, N(SD + "NamedGraph")),
            ox.Triple(ng, N(SD + "name"), N(g.iri)),
            ox.Triple(ng, N(SD + "graph"), gg),
            ox.Triple(gg, rdf_type, N(SD + "Graph")),
            ox.Triple(gg, N(void + "triples"), ox.Literal(str(g.triples), datatype=N(PREFIXES["xsd"] + "integer"))),
        ]
    return out


def _service_or_page(request: Request):
    ensure_fresh(request.app)
    fmt = negotiate(request.headers.get("accept"), _SD_OFFERS)
    if fmt is None:
        _fail(406, "Die Beschreibung des Dienstes gibt es als Turtle, RDF/XML, N-Triples, JSON-LD oder HTML.")
    if fmt.key == "html":
        return _query_page(request)
    from .results import graph_bytes

    body = graph_bytes(fmt.key, service_description(request.app))
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


# -- pages ----------------------------------------------------------------------------------------

def _examples(settings) -> list[dict]:
    from ..query.catalogue import Catalogue

    try:
        cat = Catalogue(settings.queries_dir)
    except QueryError:
        return []
    return [{"name": q.name, "title": q.title, "purpose": q.purpose, "text": q.text,
             "params": [p.name for p in q.params]} for q in cat]


def _query_page(request: Request, *, query: str | None = None, result: dict | None = None, status_code: int = 200,
                headers: dict | None = None):
    from .templating import render

    settings = request.app.state.settings
    examples = _examples(settings)
    if query is None:
        chosen = request.query_params.get("beispiel")
        query = next((e["text"] for e in examples if e["name"] == chosen), None) or _DEFAULT_QUERY
    return render(request, "sparql.html.j2", status_code=status_code, headers=headers, title="SPARQL-Abfrage",
                  query=query, examples=examples, result=result, settings=settings,
                  prefixes=sorted(PREFIXES.items()))


_DEFAULT_QUERY = """# Die Leitziele mit ihrer Bezeichnung; Präfixe wie skos: und inko: sind schon bekannt.
SELECT ?ziel ?bezeichnung WHERE {
  ?ziel a inko:Leitziel ;
        skos:prefLabel ?bezeichnung .
}
ORDER BY ?ziel
LIMIT 50
"""


def _cell(term: dict | None, base: str) -> dict:
    """One table cell from a SPARQL-JSON term: text, optional link, optional note (language, type)."""
    from .templating import safe_href

    if term is None:
        return {"text": "", "href": None, "note": None}
    t = term["type"]
    if t == "uri":
        return {"text": term["value"], "href": safe_href(term["value"], base), "note": None}
    if t == "bnode":
        return {"text": "_:" + term["value"], "href": None, "note": None}
    note = term.get("xml:lang") or (term.get("datatype", "").rsplit("#", 1)[-1] or None)
    return {"text": term["value"], "href": None, "note": note}


def _ox_cell(term, base: str) -> dict:
    from .results import term_json

    return _cell(term_json(term), base)


def _results_page(request: Request, query: str, kind: str, body: bytes, rows: int, truncated: bool, headers: dict):
    base = request.app.state.settings.base_iri
    result: dict = {"kind": kind, "rows": rows, "truncated": truncated,
                    "limit": min(request.app.state.settings.max_result_rows, PAGE_ROWS)}
    if kind == "solutions":
        data = json.loads(body)
        variables = data["head"]["vars"]
        result["columns"] = variables
        result["table"] = [[_cell(b.get(v), base) for v in variables] for b in data["results"]["bindings"]]
    elif kind == "boolean":
        result["boolean"] = json.loads(body)["boolean"]
    else:
        result["columns"] = ["Subjekt", "Prädikat", "Objekt"]
        result["table"] = [[_ox_cell(t.subject, base), _ox_cell(t.predicate, base), _ox_cell(t.object, base)]
                           for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    return _query_page(request, query=query, result=result, headers=headers)


# -- updates (only with a write token) ----------------------------------------------------------

def check_token(request: Request) -> None:
    """The write token in ``Authorization: Bearer …``, whole: the hashes are compared in constant time
    (equal lengths, so not even the token's length shows in the time of the answer)."""
    import hashlib

    from ..tokens import bearer_token

    expected = request.app.state.settings.write_token
    if not expected:
        raise QueryRefused("Schreiben ist auf diesem Server abgeschaltet (kein INKO_WRITE_TOKEN gesetzt).")
    token = bearer_token(request.headers.get("authorization"))
    given = hashlib.sha256((token or "").encode("utf-8")).digest()
    if token is None or not hmac.compare_digest(given, hashlib.sha256(expected.encode("utf-8")).digest()):
        raise HTTPException(status_code=401, detail="Zum Schreiben ist ein gültiges Token nötig (Authorization: Bearer …).",
                            headers={"WWW-Authenticate": 'Bearer realm="inko-graph"'})


async def sparql_update(request: Request):
    import asyncio

    check_token(request)
    settings = request.app.state.settings
    ctype, charset = _content_type(request)
    if ctype == "application/x-www-form-urlencoded":
        form = parse_qs(_decode(await _read_body(request, settings.max_query_bytes * 3 + 4096), charset),
                        keep_blank_values=True)
        updates = form.get("update", [])
        if len(updates) != 1:
            raise QueryError("Bitte genau eine Änderung im Feld 'update' senden.")
        text = updates[0]
    elif ctype == "application/sparql-update":
        text = _decode(await _read_body(request, settings.max_query_bytes), charset)
    else:
        _fail(415, "Bitte die Änderung als application/sparql-update oder als Formular (Feld 'update') senden.")
    check_size(text, settings.max_query_bytes)
    await inspect_update_async(text)  # depth, then the parse: no LOAD, no SERVICE (limits.py)
    from ..store import journal

    store = request.app.state.store
    try:
        # Recorded in the journal first, then applied; a rebuild replays it.
        await asyncio.to_thread(journal.commit, settings, store, update=text, kind="sparql-update")
    except SyntaxError as e:
        raise QueryError(syntax_message(str(e))[0]) from None
    data_changed(request.app)
    return Response(status_code=204)
