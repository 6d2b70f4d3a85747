"""New indicator values uploaded in the browser, like the Raster: ``/monitoring/hochladen``.

The form names the Gebiet; the token must be one for that whole Gebiet (the coordinating office:
``inko_graph.tokens.authorize`` before the file is read). Every value in the file must be for that
Gebiet (for a Kreis: the Kreis or one of its towns). The file is the CSV of
``/monitoring/vorlage.csv`` (or the same table as .xlsx/.ods); it is checked as a whole by
``inko_graph.monitoring.csvimport``: one bad row and nothing is stored.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from . import gebiet as gb

__all__ = ["router"]

router = APIRouter()
_LOCK = asyncio.Lock()


def _choices(request: Request):
    return list(gb.choices(request.app).values())


async def _upload(request: Request):
    from starlette.concurrency import run_in_threadpool

    from ..errors import InputError
    from ..monitoring.csvimport import import_bytes
    from ..tokens import NotAllowed, authenticate, authorize
    from .konzept import _form

    settings = request.app.state.settings
    auth = request.headers.get("authorization")
    grant = authenticate(settings, auth) if auth or settings.tokens_file is None else None
    form = await _form(request, settings.max_upload_bytes)
    area = next((g for g in _choices(request) if form["gebiet"] in (g.slug, g.iri)), None)
    if area is None:
        raise InputError("Bitte das Gebiet wählen, für das die Werte gelten.")
    if grant is not None:
        grant.require(area.iri)
    else:
        authorize(settings, None, gebiet=area.iri, token=form["token"])
    if not form["data"]:
        raise InputError("Es wurde keine Datei mitgeschickt.")
    async with _LOCK:
        plan = await run_in_threadpool(import_bytes, request.app.state.store, form["data"], form["filename"],
                                       dry_run=True)
        allowed = set(area.gebiet_iris)
        outside = sorted({(r.line, r.gebiet) for r in plan.rows if r.gebiet not in allowed})
        if outside:
            line, iri = outside[0]
            name = plan.labels.get(iri) or iri.rsplit("/", 1)[-1]
            raise NotAllowed(f"{form['filename']}, Zeile {line}: ein Wert für {name}. Der Zugangsschlüssel gilt "
                             f"nur für {area.name}" + (" und seine Städte" if area.ist_kreis else "") +
                             f"; nichts wurde gespeichert ({len(outside)} solche Zeilen).")
        if not form["probelauf"]:
            plan = await run_in_threadpool(import_bytes, request.app.state.store, form["data"], form["filename"],
                                           settings=settings)
            from .freshness import data_changed

            data_changed(request.app)
    return plan, form["probelauf"], area


@router.get("/monitoring/hochladen", include_in_schema=False)
def form_page(request: Request):
    from .raster import _mb
    from .templating import render

    settings = request.app.state.settings
    g = gb.chosen(request)
    return render(request, "monitoring_hochladen.html.j2", title="Kennzahlen hochladen", gewaehlt=g,
                  auswahl=_choices(request), limit=_mb(settings.max_upload_bytes),
                  enabled=settings.tokens_file is not None, cockpit_gebiet=g, cockpit_gebiete=_choices(request))


@router.post("/monitoring/hochladen", include_in_schema=False)
async def upload_page(request: Request):
    from .raster import _EXPECTED, _message, _status
    from .templating import render

    # The result keeps the cockpit's Gebiet (header, menu and links), like the form.
    chosen = {"cockpit_gebiet": gb.chosen(request), "cockpit_gebiete": _choices(request)}
    try:
        plan, dry, area = await _upload(request)
    except _EXPECTED as exc:
        status = _status(exc)
        problems = getattr(exc, "problems", None) or []
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return render(request, "monitoring_ergebnis.html.j2", status_code=status, headers=headers,
                      title="Kennzahlen: nicht gespeichert", ok=False, message=_message(exc), problems=problems,
                      **chosen)
    return render(request, "monitoring_ergebnis.html.j2", title="Kennzahlen: geprüft" if dry else "Kennzahlen: gespeichert",
                  ok=True, dry=dry, area=area, n=len(plan.rows), years=plan.years, notes=plan.notes,
                  source=plan.source_name, replaces=plan.replaces, **chosen)


@router.get("/monitoring/vorlage.csv", include_in_schema=False)
def template(request: Request):
    from starlette.responses import Response

    from ..monitoring.csvimport import template_text

    return Response(("\ufeff" + template_text()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="kennzahlen-vorlage.csv"'})
