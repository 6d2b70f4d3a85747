"""Typed errors of the library as HTTP answers: a status per error type, the message in German.

Browsers get a page, every other client plain text (what SPARQL clients show to their users).
"""

from __future__ import annotations

from ..errors import (ConfigError, InkoError, InputError, NotConformant, PersonalData, QueryError, QueryRefused,
                      QueryTimeout, StorageError, StoreBusy, TooLarge)

__all__ = ["STATUS", "status_for", "error_response", "install_error_handlers", "german_detail"]

#: Most specific first.
STATUS: list[tuple[type, int]] = [
    (TooLarge, 413),
    (QueryRefused, 403),
    (QueryTimeout, 503),
    (StoreBusy, 503),
    (StorageError, 503),
    (QueryError, 400),
    (InputError, 400),
    (NotConformant, 422),
    (PersonalData, 500),
    (ConfigError, 500),
    (InkoError, 500),
]

_TITLES = {400: "Fehlerhafte Anfrage", 401: "Zugangsschlüssel nötig", 403: "Nicht erlaubt", 404: "Nicht gefunden",
           405: "Methode nicht erlaubt", 406: "Format nicht lieferbar", 413: "Zu groß", 414: "Adresse zu lang",
           415: "Falscher Inhaltstyp", 422: "Daten nicht gültig", 431: "Kopfzeilen zu groß", 500: "Interner Fehler",
           503: "Abgebrochen oder ausgelastet"}


def status_for(exc: Exception) -> int:
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def _wants_html(request) -> bool:
    from .negotiation import negotiate

    fmt = negotiate(request.headers.get("accept"), ("ntriples", "html"))
    return fmt is not None and fmt.key == "html"


def error_response(request, status: int, message: str, headers: dict | None = None, problems=None):
    from starlette.responses import PlainTextResponse

    if _wants_html(request):
        from .templating import render

        return render(request, "fehler.html.j2", status_code=status, headers=headers,
                      title=_TITLES.get(status, "Fehler"), status=status, message=message, problems=problems or [])
    text = message + "".join(f"\n  - {p}" for p in (problems or []))
    return PlainTextResponse(text + "\n", status_code=status, headers=headers)


def german_detail(exc) -> str:
    """The message of an ``HTTPException``; the framework's English default phrases in German."""
    detail = exc.detail if isinstance(exc.detail, str) else None
    if not detail or detail == _ENGLISH.get(exc.status_code):
        detail = _GERMAN.get(exc.status_code, _TITLES.get(exc.status_code, "Fehler"))
    return detail


def install_error_handlers(app) -> None:
    async def inko_error(request, exc: InkoError):
        status = status_for(exc)
        headers = {"Retry-After": "5"} if status == 503 else None
        return error_response(request, status, str(exc), headers, getattr(exc, "problems", None))

    async def http_error(request, exc):
        return error_response(request, exc.status_code, german_detail(exc), getattr(exc, "headers", None))

    from starlette.exceptions import HTTPException

    app.add_exception_handler(InkoError, inko_error)
    app.add_exception_handler(HTTPException, http_error)


_ENGLISH = {404: "Not Found", 405: "Method Not Allowed", 400: "Bad Request", 401: "Unauthorized",
            403: "Forbidden", 406: "Not Acceptable", 413: "Request Entity Too Large", 415: "Unsupported Media Type",
            422: "Unprocessable Entity", 500: "Internal Server Error"}
_GERMAN = {404: "Diese Seite gibt es nicht.", 405: "Diese Methode ist hier nicht erlaubt.",
           401: "Dafür ist eine Anmeldung mit Token nötig."}
