"""Raster upload: a German form at ``/raster``, the JSON API ``POST /api/raster``, the template download.

An upload needs a token for one town, or for one actor in it (``inko_graph.tokens``). The token
is checked before the workbook is opened (sent as ``Authorization: Bearer``, before the body is
read at all); the town named in the sheet „Akteur“ must be the token's (403 before any problem
of the file is reported), and with an actor's token the actor must be the token's, so an actor
can only replace its own submission. The request body is read up to the size limit and no further; the import runs in a
worker thread, one at a time, and writes its graph in one transaction to the shared store.
Answers: 200 saved (or checked, for a trial run), 400 problems in the file (each with sheet, row,
column, value and what is allowed), 401 no or unknown token, 403 token for another actor or town,
413 too large, 415 not a form upload, 422 the data breaks a rule of the shapes.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date

from fastapi import APIRouter, Request

from ..errors import ConfigError, InputError, NotConformant, TooLarge
from ..tokens import InvalidToken, NotAllowed, authenticate
from . import openapi_docs as docs

__all__ = ["router", "setup"]

router = APIRouter()

#: Room for the form fields and multipart framing on top of the file itself.
_FORM_OVERHEAD = 64 * 1024


def setup(app) -> None:
    app.state.raster_lock = asyncio.Lock()


class _Upload:
    """The parts of an upload form that matter, read within the size limit."""

    def __init__(self, token: str | None, filename: str, data: bytes | None, year: str, dry_run: bool):
        self.token, self.filename, self.data, self.year, self.dry_run = token, filename, data, year, dry_run


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f}".replace(".", ",") + " MB"


def _too_large(limit: int) -> TooLarge:
    return TooLarge(f"Die Anfrage ist zu groß; erlaubt sind Dateien bis {_mb(limit)} "
                    f"({limit:,} Bytes).".replace(",", ".").replace(_mb(limit).replace(",", "."), _mb(limit)))


async def _read_body(request: Request, limit: int) -> bytes:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit + _FORM_OVERHEAD:
        raise _too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit + _FORM_OVERHEAD:
            raise _too_large(limit)
    return bytes(body)


def _safe_name(name: str | None) -> str:
    name = (name or "raster").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip() or "raster"
    return name[:120]


async def read_multipart(request: Request, limit: int):
    """An upload form (one file, a few fields), read whole within ``limit`` bytes; shared by the
    upload routes (Raster, Konzept, Kennzahlen)."""
    from starlette.formparsers import MultiPartException, MultiPartParser

    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise _Unsupported()
    body = await _read_body(request, limit)

    async def chunks():
        yield body

    try:
        return await MultiPartParser(request.headers, chunks(), max_files=1, max_fields=10,
                                     max_part_size=_FORM_OVERHEAD).parse()
    except MultiPartException as e:
        raise InputError(f"Das Formular kann nicht gelesen werden ({e.message}).") from None


async def _form(request: Request, limit: int) -> _Upload:
    from starlette.datastructures import UploadFile

    form = await read_multipart(request, limit)
    upload = form.get("datei") or form.get("file")
    data = None
    filename = "raster"
    if isinstance(upload, UploadFile):
        data = await upload.read(limit + 1)
        filename = _safe_name(upload.filename)
        await upload.close()
    token = form.get("token")
    year = form.get("jahr") or form.get("year") or ""
    dry = form.get("probelauf") or form.get("dry_run") or ""
    return _Upload(token if isinstance(token, str) else None, filename, data,
                   year.strip() if isinstance(year, str) else "",
                   isinstance(dry, str) and dry.lower() in ("1", "ja", "true", "on", "yes"))


class _Unsupported(Exception):
    pass


async def _checked_form(request: Request):
    """The token first, then the form: with ``Authorization: Bearer`` a wrong token is refused before
    the body is read; a token in the form is checked before the file in it is looked at."""
    settings = request.app.state.settings
    auth = request.headers.get("authorization")
    grant = authenticate(settings, auth) if auth else None
    if grant is None and settings.tokens_file is None:
        authenticate(settings)  # uploads are off: say so before reading anything
    up = await _form(request, settings.max_upload_bytes)
    if grant is None:
        grant = authenticate(settings, token=up.token)
    return up, grant


async def _import(request: Request, up: _Upload, grant):
    """Import for a checked token; returns the :class:`ImportResult` or raises a typed error."""
    from starlette.concurrency import run_in_threadpool

    from ..raster.importer import import_raster

    settings = request.app.state.settings
    if not up.data:
        raise InputError("Es wurde keine Datei mitgeschickt.")
    year = None
    if up.year:
        if not re.fullmatch(r"\d{4}", up.year):
            raise InputError(f"Das Berichtsjahr muss eine Jahreszahl sein, nicht „{up.year}“.")
        year = int(up.year)
    async with request.app.state.raster_lock:
        result = await run_in_threadpool(import_raster, up.data, up.filename, request.app.state.store, settings,
                                         year=year, dry_run=up.dry_run, lang="de", grant=grant)
    if not up.dry_run:
        from .freshness import data_changed

        data_changed(request.app)  # cached figures and the query workers see the new data
    return result


def _status(exc: Exception) -> int:
    from ..raster.problems import RasterError

    if isinstance(exc, _Unsupported):
        return 415
    if isinstance(exc, TooLarge):
        return 413
    if isinstance(exc, InvalidToken):
        return 401
    if isinstance(exc, NotAllowed):
        return 403
    if isinstance(exc, NotConformant):
        return 422
    if isinstance(exc, RasterError | InputError):
        return 400
    return 503  # ConfigError: uploads are not set up here


_EXPECTED = (_Unsupported, TooLarge, InputError, NotAllowed, NotConformant, ConfigError)


def _problems(exc: Exception) -> list[dict]:
    items = getattr(exc, "items", None)
    if items:
        return [p.as_dict("de") for p in items]
    report = getattr(exc, "report", None)
    if report is not None:
        return [{"blatt": None, "zeile": None, "spalte": None, "wert": r.value,
                 "meldung": f"{report.labels.get(r.focus, r.focus)}: {r.message_de}", "erlaubt": None}
                for r in report.results if r.severity == "Violation"]
    return []


def _message(exc: Exception) -> str:
    if isinstance(exc, _Unsupported):
        return "Bitte die Datei als Formular mit multipart/form-data senden (Feld „datei“)."
    return str(exc)


@router.get("/raster", include_in_schema=False)
def form_page(request: Request):
    from .templating import render

    from .cockpit_raster import reporting

    from .gebiet import choices

    settings = request.app.state.settings
    m = reporting(request)
    return render(request, "raster_formular.html.j2", title="Raster",
                  limit=_mb(settings.max_upload_bytes), year=date.today().year,
                  enabled=settings.tokens_file is not None, meldungen=m, cockpit_gebiet=m["gebiet"],
                  cockpit_gebiete=list(choices(request.app).values()))


@router.post("/raster", include_in_schema=False)
async def upload_page(request: Request):
    from .templating import render

    from .gebiet import chosen, choices

    # The cockpit's Gebiet (the cookie): the header's chooser and the links back keep it.
    area = {"cockpit_gebiet": chosen(request), "cockpit_gebiete": list(choices(request.app).values())}
    try:
        up, grant = await _checked_form(request)
        result = await _import(request, up, grant)
    except _EXPECTED as exc:
        status = _status(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return render(request, "raster_ergebnis.html.j2", status_code=status, headers=headers,
                      title="Raster: nicht gespeichert", ok=False, message=_message(exc), problems=_problems(exc), **area)
    return render(request, "raster_ergebnis.html.j2", title="Raster: geprüft" if result.dry_run else "Raster: gespeichert",
                  ok=True, result=result, summary=result.summary("de"), data=result.as_dict("de"), **area)


@router.post("/api/raster", openapi_extra=docs.RASTER_UPLOAD,
             responses=docs.answers(docs.JSON, 400, 401, 403, 413, 415, 422, 503, error_content=docs.JSON))
async def upload_api(request: Request):
    """Upload a filled-in Raster (multipart: ``datei``, ``token`` or ``Authorization: Bearer``, optional
    ``jahr`` and ``probelauf``). Answers JSON with the summary or every problem."""
    from starlette.responses import JSONResponse

    try:
        up, grant = await _checked_form(request)
        result = await _import(request, up, grant)
    except _EXPECTED as exc:
        status = _status(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"ok": False, "meldung": _message(exc), "fehler": _problems(exc)}, status_code=status,
                            headers=headers)
    return JSONResponse(result.as_dict("de"))


@router.get("/raster/vorlage.xlsx", include_in_schema=False)
@router.get("/raster/vorlage.ods", include_in_schema=False)
async def template_download(request: Request, stadt: str | None = None):
    """The empty Raster workbook (.xlsx or .ods), with the lists of one town (``?stadt=Hattingen``) or all."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    from ..raster.template import workbook_bytes

    app = request.app
    year = date.today().year
    fmt = "ods" if request.url.path.endswith(".ods") else "xlsx"
    key = ("raster-vorlage", (stadt or "").strip().casefold(), year, fmt)
    data = app.state.cache.get(key)
    if data is None:
        data = await run_in_threadpool(workbook_bytes, app.state.store, app.state.settings, town=stadt, year=year,
                                       fmt=fmt)
        app.state.cache[key] = data
    from ..raster.mapping import slug

    name = "raster" + (f"-{slug(stadt)}" if stadt else "") + "." + fmt   # Sprockhövel -> raster-sprockhoevel
    media = ("application/vnd.oasis.opendocument.spreadsheet" if fmt == "ods"
             else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
