"""What the OpenAPI document (``/api/openapi.json``) says a route answers: statuses and media types.

The routes negotiate their formats and answer errors as plain text or as an HTML page
(``http_errors``), which the framework cannot see; each route's decorator names its answers with
``answers(...)`` (and its request with ``query_params``/``body``), and tests/server/test_fuzz_openapi.py
holds the server to the document.
"""

from __future__ import annotations

from .negotiation import FORMATS

__all__ = ["answers", "formats", "JSON", "HTML", "query_params", "body", "multipart", "write_request", "RESULTS",
           "GRAPHS", "DATASETS", "PAGES", "IMAGES", "NO_CONTENT", "RASTER_UPLOAD"]

_TEXT = {"schema": {"type": "string"}}
#: Errors: plain text for programs, a page for browsers (see http_errors.error_response).
_ERROR = {"text/plain": _TEXT, "text/html": _TEXT}
_WHY = {
    400: "Fehlerhafte Anfrage (die Meldung sagt, was und wo)",
    401: "Token fehlt oder ist ungültig",
    403: "nicht erlaubt (nur lesend, SERVICE/LOAD, fremder Bereich)",
    404: "nicht gefunden",
    405: "Methode nicht erlaubt (z. B. Schreiben ohne eingerichtetes Token)",
    406: "kein lieferbares Format für den Accept-Kopf",
    413: "zu groß (Abfrage oder Upload über der Grenze)",
    415: "falscher Inhaltstyp",
    422: "Daten verletzen die Regeln (SHACL), oder die Antwort wäre länger als INKO_MAX_RESULT_ROWS",
    431: "Kopfzeilen zu groß",
    500: "Export abgelehnt: die Daten sehen wie personenbezogene Daten aus",
    503: "Zeitgrenze überschritten, ausgelastet oder Speicher nicht beschreibbar (Retry-After)",
}

JSON = {"application/json": {"schema": {"type": "object"}}}
HTML = {"text/html": _TEXT}


def formats(*keys: str) -> dict:
    """The content of an answer in the negotiated formats (keys of ``negotiation.FORMATS``)."""
    return {FORMATS[k].media_type: _TEXT for k in keys}


#: SELECT/ASK results, graphs and the service description of /sparql.
RESULTS = formats("json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml", "html")
#: A resource, the ontology, the dataset description: RDF or a page.
GRAPHS = formats("html", "turtle", "jsonld", "ntriples", "rdfxml")
#: Dumps and the Graph Store Protocol, with named graphs.
DATASETS = formats("turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads")
PAGES = HTML
IMAGES = {"image/svg+xml": _TEXT}


def answers(ok: dict | None, *errors: int, ok_status: int = 200, error_content: dict | None = None,
            also: dict | None = None) -> dict:
    """``responses=`` for a route: ``ok`` is the content of the success answer (``None``: no body)."""
    out: dict = {ok_status: {"description": "Erfolg", **({"content": ok} if ok is not None else {})}}
    for status in errors:
        out[status] = {"description": _WHY.get(status, "Fehler"), "content": error_content or _ERROR}
    out.update(also or {})
    return out


def query_params(*names: str, required: tuple[str, ...] = ()) -> dict:
    """``openapi_extra=`` for query parameters the route reads itself (free text)."""
    return {"parameters": [{"name": n, "in": "query", "required": n in required, "schema": {"type": "string"}}
                           for n in names]}


def body(*media_types: str, form_field: str | None = None) -> dict:
    """``openapi_extra=`` for a body the route reads itself: text, or a form with ``form_field``."""
    content = {m: _TEXT for m in media_types}
    if form_field:
        content["application/x-www-form-urlencoded"] = {"schema": {
            "type": "object", "properties": {form_field: {"type": "string"}}, "required": [form_field]}}
    return {"requestBody": {"required": True, "content": content}}


def multipart(fields: dict[str, dict], required: tuple[str, ...]) -> dict:
    """``openapi_extra=`` for a form upload (multipart/form-data)."""
    schema = {"type": "object", "properties": fields, "required": list(required)}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}


NO_CONTENT = {204: {"description": "Erfolg, ohne Inhalt"}}
_AUTH = {"name": "Authorization", "in": "header", "required": False, "schema": {"type": "string"},
         "description": "Bearer <Token>"}


def write_request(*, body: bool) -> dict:
    """``openapi_extra=`` of a Graph Store write: the graph, the token, and (PUT/POST) the triples."""
    doc = query_params("graph", "default")
    doc["parameters"].append(_AUTH)
    if body:
        doc["requestBody"] = {"required": True, "content": formats("turtle", "ntriples", "jsonld", "rdfxml")}
    return doc


RASTER_UPLOAD = multipart({"datei": {"type": "string", "format": "binary"}, "token": {"type": "string"},
                           "jahr": {"type": "string"}, "probelauf": {"type": "string"}}, required=("datei",))
RASTER_UPLOAD["parameters"] = [_AUTH]
