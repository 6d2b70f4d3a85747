"""The outer layers: limits on every request head, security headers on every answer; CORS and a
short way to the handlers of the open, read-only parts.

Limits (``RequestGuard``, outermost): a request whose header lines, headers in all, number of
headers, address or declared body are too large is answered 431, 414 or 413 in German before any
handler, parser or negotiation sees it. (A 6 MB ``Accept`` header used to hold the event loop
for seconds in the negotiation of formats.) Bodies sent without a length are cut by each route's
own reader at its limit (``sparql._read_body``, ``raster._read_body``).

CORS: any web page may read the open data (SPARQL queries, linked data, dumps); none may write.

Short way: the SPARQL endpoint and the linked-data pages are the most requested routes, and
the router of the whole application (every page of every module) costs more per request than
the answer itself. Modules register such routes in ``app.state.fast_routes`` (exact paths) and
``app.state.fast_prefixes``; they are answered here with the same handlers and the same error
pages, and stay registered in the router as well (documentation, ``HEAD`` elsewhere).
"""

from __future__ import annotations

import re

__all__ = ["ReadCORS", "RequestGuard", "READ_PREFIXES", "add_fast_route", "MAX_HEADER_FIELD_BYTES",
           "MAX_HEADER_BYTES", "MAX_HEADER_FIELDS", "SECURITY_HEADERS", "body_limit", "url_limit"]

READ_PREFIXES = ("/sparql", "/id/", "/def", "/graph/", "/rdf-graphs/", "/download/", "/.well-known/")
_READ_METHODS = {"GET", "HEAD", "POST"}
_EXPOSE = b"X-Inko-Rows, X-Inko-Truncated, Content-Disposition, Server-Timing"
_CORS = [(b"access-control-allow-origin", b"*"), (b"access-control-expose-headers", _EXPOSE)]
_PREFLIGHT = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
    (b"access-control-allow-headers", b"Accept, Content-Type"),
    (b"access-control-max-age", b"86400"),
    (b"content-length", b"0"),
    (b"vary", b"Origin"),
]


#: One header line (name and value), all header lines together, and their number.
MAX_HEADER_FIELD_BYTES = 8 * 1024
MAX_HEADER_BYTES = 32 * 1024
MAX_HEADER_FIELDS = 100
#: Room for the form fields and multipart framing around an uploaded file.
FORM_OVERHEAD = 64 * 1024


def url_limit(settings) -> int:
    """Longest path with query string: a query of ``INKO_MAX_QUERY_BYTES``, percent-encoded, and room."""
    return settings.max_query_bytes * 3 + 4096


def body_limit(settings) -> int:
    """Largest declared body let through to a route: four times what any route takes (an upload with
    its form, or a query as a form). The routes that read bodies refuse beyond their own limit,
    before reading and in their own format (JSON for the API); this catches the absurd rest."""
    return 4 * max(settings.max_upload_bytes + FORM_OVERHEAD, settings.max_query_bytes * 3 + 4096)


def _security_headers() -> list[tuple[bytes, bytes]]:
    from .templating import PAGE_HEADERS

    headers = {**PAGE_HEADERS, "X-Frame-Options": "SAMEORIGIN"}
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]


SECURITY_HEADERS = _security_headers()


def _head_problem(scope, settings) -> tuple[int, str] | None:
    headers = scope["headers"]
    if len(headers) > MAX_HEADER_FIELDS:
        return 431, (f"Die Anfrage hat {len(headers)} Kopfzeilen; erlaubt sind höchstens {MAX_HEADER_FIELDS}.")
    total = 0
    for name, value in headers:
        size = len(name) + len(value) + 4
        if size > MAX_HEADER_FIELD_BYTES:
            shown = name.decode("latin-1")[:60]
            return 431, (f"Die Kopfzeile „{shown}“ ist {size} Bytes lang; erlaubt sind höchstens "
                         f"{MAX_HEADER_FIELD_BYTES} Bytes je Kopfzeile.")
        total += size
    if total > MAX_HEADER_BYTES:
        return 431, f"Die Kopfzeilen sind zusammen {total} Bytes lang; erlaubt sind höchstens {MAX_HEADER_BYTES} Bytes."
    length = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
    if length > url_limit(settings):
        return 414, (f"Die Adresse ist {length} Bytes lang; erlaubt sind höchstens {url_limit(settings)}. "
                     "Lange Abfragen bitte mit POST senden (höchstens INKO_MAX_QUERY_BYTES Bytes).")
    for name, value in headers:
        if name == b"content-length":
            declared = value.strip()
            if declared.isdigit() and int(declared) > body_limit(settings):
                return 413, (f"Der Inhalt ist {int(declared)} Bytes groß; erlaubt sind höchstens "
                             f"{body_limit(settings)} Bytes (INKO_MAX_UPLOAD_BYTES).")
    return None


class RequestGuard:
    """Pure ASGI, outermost: refuses oversized request heads before any work; adds the security
    headers (Content-Security-Policy, nosniff, frame-ancestors, Referrer-Policy) to every answer
    that does not set its own."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        problem = _head_problem(scope, scope["app"].state.settings)
        if problem is not None:
            status, message = problem
            body = (message + "\n").encode("utf-8")
            await send({"type": "http.response.start", "status": status, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"), *SECURITY_HEADERS]})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_secured(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                if extra:
                    message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_secured)


def add_fast_route(app, path: str, methods: tuple[str, ...], handler, *, prefix: bool = False) -> None:
    """Answer ``path`` (or every path below a ``prefix``) with ``handler(request[, rest])``."""
    table = app.state.fast_prefixes if prefix else app.state.fast_routes
    for m in methods:
        if prefix:
            table.append((path, m, handler))
        else:
            table[(path, m)] = handler


class ReadCORS:
    """Pure ASGI: cheap on every request. Writes (PUT, DELETE, updates) get no CORS headers."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(READ_PREFIXES):
            return await self.app(scope, receive, send)
        method = scope["method"]
        if method == "OPTIONS":
            await send({"type": "http.response.start", "status": 204, "headers": _PREFLIGHT})
            await send({"type": "http.response.body", "body": b""})
            return
        if method not in _READ_METHODS or scope["path"].startswith("/sparql/update"):
            return await self.app(scope, receive, send)

        async def send_with_cors(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + _CORS}
            await send(message)

        handler, rest = _find(scope)
        if handler is None:
            return await self.app(scope, receive, send_with_cors)
        app = scope["app"]
        if app.state.settings.query_cache_bytes <= 0:
            return await _answer(scope, receive, send_with_cors, handler, rest)
        return await _cached_answer(app, scope, receive, send, handler, rest)


def _find(scope):
    state = scope["app"].state
    path, method = scope["path"], scope["method"]
    handler = state.fast_routes.get((path, method))
    if handler is not None:
        return handler, None
    for prefix, m, h in state.fast_prefixes:
        if m == method and path.startswith(prefix) and len(path) > len(prefix):
            return h, path[len(prefix):]
    return None, None


async def _answer(scope, receive, send, handler, rest):
    from starlette.exceptions import HTTPException
    from starlette.requests import Request

    from ..errors import InkoError
    from .http_errors import error_response, status_for

    request = Request(scope, receive)
    try:
        response = await (handler(request) if rest is None else handler(request, rest))
    except InkoError as e:
        status = status_for(e)
        response = error_response(request, status, str(e), {"Retry-After": "5"} if status == 503 else None,
                                  getattr(e, "problems", None))
    except HTTPException as e:
        from .http_errors import german_detail

        response = error_response(request, e.status_code, german_detail(e), getattr(e, "headers", None))
    await response(scope, receive, send)


_HIT_TIMING = (b"server-timing", b"cache;desc=zwischengespeichert")
#: The cockpit's Gebiet cookie: a resource page's header (chooser, menu links) depends on it.
_GEBIET_COOKIE = re.compile(rb"(?:^|;)\s*inko_gebiet=([^;]*)")


async def _read_body(receive, limit: int):
    """The whole request body if it has at most ``limit`` bytes, and a ``receive`` that replays it."""
    messages, size, more = [], 0, True
    while more:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
        if size > limit:
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request") if not more else None
    pending = list(messages)

    async def replay():
        return pending.pop(0) if pending else await receive()

    return body, replay


async def _cached_answer(app, scope, receive, send, handler, rest):
    """Answer from the cache of read answers, or answer and keep a successful answer there.
    ``send`` is the plain one: kept answers carry their CORS headers already."""
    state = app.state
    if state.data_generation != getattr(state.store, "generation", 0):
        from .freshness import ensure_fresh

        ensure_fresh(app)
    cache = state.cache.get("antworten")
    if cache is None:
        from .answer_cache import AnswerCache

        cache = state.cache["antworten"] = AnswerCache(state.settings.query_cache_bytes)
    body = b""
    if scope["method"] == "POST":
        body, receive = await _read_body(receive, app.state.settings.max_query_bytes * 3 + 4096)
        if body is None:
            return await _answer(scope, receive, send, handler, rest)
    headers = dict(scope["headers"])
    gebiet = _GEBIET_COOKIE.search(headers.get(b"cookie", b""))
    key = (scope["method"], scope["path"], scope["query_string"], body, headers.get(b"accept", b""),
           headers.get(b"content-type", b""), gebiet.group(1) if gebiet else b"")
    hit = await cache.lookup(key)  # kept, or being answered for another client right now
    if hit is not None:
        await send({"type": "http.response.start", "status": hit[0], "headers": hit[1]})
        await send({"type": "http.response.body", "body": hit[2]})
        return
    start, chunks = {}, []
    generation = state.data_generation
    # An answer larger than the cache would keep is not held in memory (a long streamed answer).
    kept_bytes, too_big = [0], cache.largest

    async def keep(message):
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", [])) + _CORS
            message = {**message, "headers": headers}
            start.update(message)
        elif message["type"] == "http.response.body" and kept_bytes[0] <= too_big:
            body = message.get("body", b"")
            kept_bytes[0] += len(body)
            chunks.append(body)
            if kept_bytes[0] > too_big:
                chunks.clear()
        await send(message)

    flight, answer = cache.begin(key), None
    try:
        await _answer(scope, receive, keep, handler, rest)
        if (start.get("status") == 200 and generation == state.data_generation and kept_bytes[0] <= too_big
                and not any(k.lower() == b"set-cookie" for k, _ in start["headers"])):
            kept = [(k, v) for k, v in start["headers"] if k.lower() != b"server-timing"] + [_HIT_TIMING]
            answer = (200, kept, b"".join(chunks))
            cache.put(key, kept, answer[2])
        elif start.get("status") == 503 and kept_bytes[0] <= too_big:
            answer = (503, start["headers"], b"".join(chunks))  # time limit or no free place: not kept
    finally:
        cache.end(key, flight, answer)  # those asking the same meanwhile get it, or answer themselves
