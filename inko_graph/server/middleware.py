"""The outer layer for the open, read-only parts: CORS, and a short way to their handlers.

CORS: any web page may read the open data (SPARQL queries, linked data, dumps); none may write.

Short way: the SPARQL endpoint and the linked-data pages are the most requested routes, and
the router of the whole application (every page of every module) costs more per request than
the answer itself. Modules register such routes in ``app.state.fast_routes`` (exact paths) and
``app.state.fast_prefixes``; they are answered here with the same handlers and the same error
pages, and stay registered in the router as well (documentation, ``HEAD`` elsewhere).
"""

from __future__ import annotations

__all__ = ["ReadCORS", "READ_PREFIXES", "add_fast_route"]

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
        from .sparql import ensure_fresh

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
    key = (scope["method"], scope["path"], scope["query_string"], body, headers.get(b"accept", b""),
           headers.get(b"content-type", b""))
    hit = cache.get(key)
    if hit is not None:
        await send({"type": "http.response.start", "status": 200, "headers": hit[0]})
        await send({"type": "http.response.body", "body": hit[1]})
        return
    start, chunks = {}, []
    generation = state.data_generation

    async def keep(message):
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", [])) + _CORS
            message = {**message, "headers": headers}
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
        await send(message)

    await _answer(scope, receive, keep, handler, rest)
    if start.get("status") == 200 and generation == state.data_generation:
        kept = [(k, v) for k, v in start["headers"] if k.lower() != b"server-timing"] + [_HIT_TIMING]
        cache.put(key, kept, b"".join(chunks))
