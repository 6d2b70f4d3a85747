"""Konzept upload in the cockpit: a form at ``/konzept``, the JSON API ``POST /api/konzept``, the templates.

A town's staff upload the filled-in Konzept workbook (.xlsx or .ods) with a token for their whole
town (``inko_graph.tokens.authorize`` with the town chosen in the form, checked before the file is
looked at); the workbook's Gebiet must be that town. The import is that of ``inko-graph konzept
import``: every problem with sheet, row, column, value and what is expected, nothing stored from a
faulty file; a new upload of the same concept replaces it. Answers: 200 saved (or checked), 400
problems in the file, 401 no or unknown token, 403 token for another town or for one actor only,
413 too large, 415 not a form upload, 422 the data breaks a rule of the shapes, 503 uploads off.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from ..errors import ConfigError, InputError, NotConformant, TooLarge
from ..tokens import NotAllowed, authenticate, authorize
from .raster import _EXPECTED, _mb, _message, _problems, _safe_name, _status, read_multipart

__all__ = ["router", "setup"]

router = APIRouter()
_FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "ods": "application/vnd.oasis.opendocument.spreadsheet"}


def setup(app) -> None:
    app.state.konzept_lock = asyncio.Lock()


async def _form(request: Request, limit: int) -> dict:
    from starlette.datastructures import UploadFile

    form = await read_multipart(request, limit)
    out = {"token": None, "gebiet": "", "probelauf": False, "data": None, "filename": "konzept"}
    upload = form.get("datei") or form.get("file")
    if isinstance(upload, UploadFile):
        out["data"] = await upload.read(limit + 1)
        out["filename"] = _safe_name(upload.filename)
        await upload.close()
    for key in ("token", "gebiet"):
        v = form.get(key)
        out[key] = v.strip() if isinstance(v, str) else out[key]
    dry = form.get("probelauf") or ""
    out["probelauf"] = isinstance(dry, str) and dry.lower() in ("1", "ja", "true", "on", "yes")
    return out


def _area(request: Request, name: str):
    from ..raster.template import resolve_town

    if not name:
        raise InputError("Bitte die Stadt (das Gebiet) angeben, für die das Konzept gilt.")
    return resolve_town(request.app.state.store, request.app.state.settings, name)


async def _upload(request: Request):
    """Token and town first (before the file is read), then the import; returns the result or raises."""
    from starlette.concurrency import run_in_threadpool

    from ..konzept.importer import import_file

    settings = request.app.state.settings
    auth = request.headers.get("authorization")
    # a token sent in the header is checked before the body is read; its scope once the town is known
    grant = authenticate(settings, auth) if auth or settings.tokens_file is None else None
    form = await _form(request, settings.max_upload_bytes)
    area = _area(request, form["gebiet"])
    names = _area_names(request)   # a refusal names the towns, not their web addresses
    if grant is not None:
        grant.require(area.iri, names=names)
    else:
        authorize(settings, None, gebiet=area.iri, token=form["token"], names=names)
    if not form["data"]:
        raise InputError("Es wurde keine Datei mitgeschickt.")
    async with request.app.state.konzept_lock:
        result = await run_in_threadpool(import_file, form["data"], form["filename"], request.app.state.store, settings,
                                         dry_run=form["probelauf"], lang="de", allowed_gebiet=area.iri)
    if not form["probelauf"]:
        from .freshness import data_changed

        data_changed(request.app)
    return result


def _area_names(request: Request) -> dict[str, str]:
    """IRI -> name of each Gebiet."""
    from ..raster.vocab import load_areas

    key = ("konzept-gebiet-namen",)
    cache = request.app.state.cache
    if key not in cache:
        cache[key] = {t.iri: t.label for t in load_areas(request.app.state.store, request.app.state.settings.queries_dir)}
    return cache[key]


def _areas(request: Request) -> list[str]:
    """The names of the Gebiete a concept can be for: the Kreise and their towns (not the Land, not
    a town's districts), and any Gebiet that has a concept already; the Kreise first."""
    from ..raster.vocab import load_areas
    from .gebiet import choices

    key = ("konzept-gebiete",)
    cache = request.app.state.cache
    names = cache.get(key)
    if names is None:
        areas = load_areas(request.app.state.store, request.app.state.settings.queries_dir)
        cache[key] = names = concept_areas(areas, choices(request.app).values())
    return names


def concept_areas(areas, with_concept) -> list[str]:
    """Names of the Kreise and their towns among ``areas`` (the Gebiete of the vocabulary, each
    with every Gebiet it lies in), and of the Gebiete ``with_concept`` (the cockpit's choices).
    A Kreis is a Gebiet the cockpit shows as a Kreis or one a town with a concept lies in."""
    depth = {t.iri: len(t.areas) for t in areas}

    def parent(t) -> str | None:   # the Gebiet it lies in directly: the deepest of those it lies in
        return max(t.areas, key=lambda a: depth.get(a, 0)) if t.areas else None

    has = {g.iri: g for g in with_concept}
    kreise = {g.iri for g in has.values() if g.ist_kreis} | {g.liegt_in for g in has.values()
                                                           if not g.ist_kreis and g.liegt_in}
    kreise -= {a for t in areas if t.iri in kreise for a in t.areas}   # a Land holding a Kreis is none
    keep = [t for t in areas if t.iri in kreise or t.iri in has or parent(t) in kreise]
    keep.sort(key=lambda t: (t.iri not in kreise, t.label.casefold()))
    return [t.label for t in keep]


@router.get("/konzept", include_in_schema=False)
def form_page(request: Request, gebiet: str | None = None):
    from .templating import render

    from . import gebiet as gb

    settings = request.app.state.settings
    names = _areas(request)
    remembered = gb.chosen(request)   # the Gebiet chosen in the cockpit (URL or cookie)
    if gebiet not in names and remembered is not None and remembered.name in names:
        gebiet = remembered.name
    chosen = gebiet if gebiet in names else ("Sprockhövel" if "Sprockhövel" in names else (names[0] if names else ""))
    # the export offers the towns whose concept is in the graph: for the others there is nothing to export
    with_concept = {g.name for g in gb.choices(request.app).values()}
    return render(request, "konzept_formular.html.j2", title="Konzept hochladen", gebiete=names, gebiet=chosen,
                  mit_konzept=[n for n in names if n in with_concept],
                  limit=_mb(settings.max_upload_bytes), enabled=settings.tokens_file is not None)


@router.post("/konzept", include_in_schema=False)
async def upload_page(request: Request):
    from .templating import render

    try:
        result = await _upload(request)
    except _EXPECTED as exc:
        status = _status(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return render(request, "konzept_ergebnis.html.j2", status_code=status, headers=headers,
                      title="Konzept: nicht gespeichert", ok=False, message=_message(exc), problems=_problems(exc))
    data = result.as_dict()
    return render(request, "konzept_ergebnis.html.j2", title="Konzept: geprüft" if result.dry_run else "Konzept: gespeichert",
                  ok=True, data=data, vergleich=None if result.dry_run else _comparison_href(data),
                  uebersicht=None if result.dry_run else _overview_href(data), gebiet_name=result.mapped.gebiet_label)


def _overview_href(data: dict) -> str:
    """The cockpit's overview for the concept's Gebiet, where its goals now count."""
    from .gebiet import _slug

    return "/?gebiet=" + _slug(data["gebiet"])


def _comparison_href(data: dict) -> str:
    """The concept comparison (``/aenderungen/konzept``) of the stored concept, for its Gebiet."""
    from urllib.parse import urlencode

    from .cockpit_base import local
    from .gebiet import _slug

    return "/aenderungen/konzept?" + urlencode({"gebiet": _slug(data["gebiet"]), "konzept": local(data["konzept"])})


@router.post("/api/konzept", include_in_schema=False)
async def upload_api(request: Request):
    """Upload a Konzept workbook (multipart: ``datei``, ``gebiet``, ``token`` or ``Authorization: Bearer``,
    optional ``probelauf``). Answers JSON with the summary or every problem."""
    from starlette.responses import JSONResponse

    try:
        result = await _upload(request)
    except _EXPECTED as exc:
        status = _status(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"ok": False, "meldung": _message(exc), "fehler": _problems(exc)}, status_code=status,
                            headers=headers)
    return JSONResponse(result.as_dict())


@router.get("/konzept/vorlage.{fmt}", include_in_schema=False)
async def template_download(request: Request, fmt: str, gebiet: str | None = None):
    """The empty Konzept workbook (.xlsx or .ods) with the lists of one town (``?gebiet=Sprockhövel``) or all."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    if fmt not in _FORMATS:
        raise InputError("Die Vorlage gibt es als .xlsx (Excel) und .ods (LibreOffice).")
    app = request.app
    key = ("konzept-vorlage", (gebiet or "").strip().casefold(), fmt)
    data = app.state.cache.get(key)
    if data is None:
        data = await run_in_threadpool(_template, app.state.store, app.state.settings, gebiet, fmt)
        app.state.cache[key] = data
    from ..raster.mapping import slug

    name = "konzept" + (f"-{slug(gebiet)}" if gebiet else "") + "." + fmt   # Sprockhövel -> konzept-sprockhoevel
    return Response(data, media_type=_FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/konzept/export.{fmt}", include_in_schema=False)
async def export_download(request: Request, fmt: str, gebiet: str | None = None):
    """A town's concept as it stands in the graph, as a filled-in workbook to change and upload again
    (what ``inko-graph konzept export`` writes). The graph is public, so no token."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    from ..konzept.export import export_book
    from ..konzept.template import template_bytes
    from ..raster.mapping import slug

    if fmt not in _FORMATS:
        raise InputError("Die Mappe gibt es als .xlsx (Excel) und .ods (LibreOffice).")
    if not gebiet:
        raise InputError("Bitte die Stadt angeben, deren Konzept heruntergeladen werden soll.")
    app = request.app
    key = ("konzept-export", gebiet.strip().casefold(), fmt)
    data = app.state.cache.get(key)
    if data is None:
        try:
            book, _ = await run_in_threadpool(export_book, app.state.store, app.state.settings, gebiet)
        except InputError as exc:
            if "noch kein Konzept" not in str(exc):
                raise
            # the command-line hint of the message does not help on the page: point to the template instead
            raise InputError(f"Für {gebiet} gibt es noch kein Konzept mit Zielen im Graphen. Bitte mit der leeren "
                             "Vorlage beginnen (unter „Konzept hochladen“, Schritt 1).") from None
        data = app.state.cache[key] = template_bytes(book, fmt)
    name = f"konzept-{slug(gebiet)}-stand.{fmt}"
    return Response(data, media_type=_FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _template(store, settings, gebiet: str | None, fmt: str) -> bytes:
    from ..konzept.lists import load_lists
    from ..konzept.template import build_book, template_bytes
    from ..raster.template import resolve_town

    area = resolve_town(store, settings, gebiet)
    return template_bytes(build_book(load_lists(store, settings.queries_dir, area)), fmt)


_ = (ConfigError, NotConformant, TooLarge, NotAllowed)  # the errors the answers above map (see _status)
