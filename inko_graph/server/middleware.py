"""CORS for the read-only parts: any web page may read the open data, none may write."""

from __future__ import annotations

__all__ = ["ReadCORS", "READ_PREFIXES"]

READ_PREFIXES = ("/sparql", "/id/", "/def", "/graph/", "/rdf-graphs/", "/download/", "/.well-known/")
_READ_METHODS = {"GET", "HEAD", "POST"}
_EXPOSE = b"X-Inko-Rows, X-Inko-Truncated, Content-Disposition, Server-Timing"
_PREFLIGHT = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
    (b"access-control-allow-headers", b"Accept, Content-Type"),
    (b"access-control-max-age", b"86400"),
    (b"content-length", b"0"),
    (b"vary", b"Origin"),
]


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
                headers = list(message.get("headers", []))
                headers.append((b"access-control-allow-origin", b"*"))
                headers.append((b"access-control-expose-headers", _EXPOSE))
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_cors)
