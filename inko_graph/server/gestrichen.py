"""The sentence on the page of an item that the uploaded version of its concept no longer contains
(``query.gestrichen``): which version that is, and where the changes are listed."""

from __future__ import annotations

from fastapi import Request

from . import gebiet as gb
from .cockpit_base import catalogue, gestrichen

__all__ = ["hinweis"]

_I = "https://w3id.org/inko/def#"
#: „… enthält <dieses Ziel> nicht mehr“, by class.
_WORDS = {_I + "Massnahme": "diese Maßnahme", _I + "Handlungsfeld": "dieses Handlungsfeld",
          _I + "Indikator": "diesen Indikator", _I + "Leitziel": "dieses Leitziel", _I + "Teilziel": "dieses Teilziel",
          _I + "Leitthema": "dieses Leitthema", _I + "Monitoringziel": "dieses Monitoringziel",
          _I + "Jahresziel": "dieses Jahresziel"}


def hinweis(request: Request, iri: str) -> dict | None:
    """``{"text", "href"}`` for a struck item: the current version by its name (as the changes page
    names it), the link to the changes of the concept; ``None`` for any other resource."""
    from ..konzept.fassungen import quoted, versions

    e = gestrichen(request).eintraege.get(iri)
    if e is None:
        return None
    app = request.app
    towns = [g for g in gb.choices(app).values() if e.konzept in g.konzept_iris | {k for k, _ in g.kontext}]
    town = next((g for g in towns if not g.ist_kreis), towns[0] if towns else None)
    name = next((n for k, n in (town.konzepte + town.kontext if town else []) if k == e.konzept), None)
    fassungen = versions(app.state.store, app.state.settings, catalogue(app), e.konzept)
    current = fassungen[-1].name if fassungen else ""
    konzept = f"des Konzepts {quoted(name)}" if name else "des Konzepts"
    # „…, hochgeladen am 8.12.2026, 02:43 Uhr (datei.xlsx), enthält …“ (the changes page's name)
    when = f", {current[:1].lower() + current[1:]}," if current.startswith("Hochgeladen am") else ""
    text = (f"In der hochgeladenen Fassung gestrichen: Die aktuelle Fassung {konzept}{when} "
            f"enthält {_WORDS.get(e.art, 'dieses Ziel')} nicht mehr. "
            "Das Cockpit zählt und zeigt den Eintrag darum nicht mehr; die Angaben hier stammen aus der früheren "
            "Fassung.")
    slug = e.konzept.rstrip("/").rsplit("/", 1)[-1]
    return {"text": text, "href": gb.href("/aenderungen/konzept", town, konzept=slug)}
