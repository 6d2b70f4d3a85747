"""Network views of the graph: built as networkx graphs, drawn by vis-network (data in the form pyvis gives it).

``load(store, catalogue)`` (``laden.py``) reads the nodes and links of every view once (queries
``view-knoten``, ``view-kanten``, ``ziele-ohne-massnahme``, ``mehrere-akteure-gleiches-ziel``) into
a ``Bestand`` (``bestand.py``); ``umfeld`` and ``fuer_gebiet`` read only around a focus or one
town, the rest as the view asks (``Umfeld``). Each view (``ziel``, ``akteur``, ``feld``,
``abgleich``, ``gesamt``, one module each) cuts its part out as an ``nx.DiGraph``; ``auswahl.py``
finds nodes and builds a view by name; ``seite.py`` turns a view into the page's data and HTML.

Positions are computed in Python (``layout``) and the browser's physics stays off, so that a
large view is drawn at once instead of never settling. Labels and tooltips are plain text: vis
draws labels on a canvas and sets string tooltips with ``innerText``; the page's own script uses
``textContent`` only.
"""

from __future__ import annotations

from .abgleich import abgleich
from .akteur import akteur
from .auswahl import build, resolve, view_for
from .bestand import (ABGLEICH, AKTEURE, ANSICHTEN, ART, ARTEN, GESAMT_MAX, PARTNER, VIZ_DIR, VORHABEN, ZIELARTEN,
                      ZUSTAENDIG, _ART_OF_CLASS, Ansicht, Art, Bestand, UnknownNode, menu_labels)
from .laden import Umfeld, fuer_gebiet, load, menue, umfeld, without_gc
from .feld import feld
from .gesamt import gesamt, resolve_town
from .seite import Links, _safe_href, json_for_script, legend, page_context, render, vis_data
from .ziel import ziel

__all__ = [
    "ARTEN", "ANSICHTEN", "Art", "Bestand", "Ansicht", "Links", "UnknownNode", "load",
    "Umfeld", "umfeld", "fuer_gebiet", "menue", "without_gc",
    "ziel", "akteur", "feld", "abgleich", "gesamt", "build", "view_for", "resolve", "resolve_town",
    "render", "vis_data", "json_for_script", "VIZ_DIR", "legend", "page_context",
    "ABGLEICH", "AKTEURE", "ART", "GESAMT_MAX", "PARTNER", "VORHABEN", "ZIELARTEN", "ZUSTAENDIG",
    "_ART_OF_CLASS", "_safe_href", "menu_labels",
]
