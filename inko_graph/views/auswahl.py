"""Choosing a view: the view that suits a resource, finding a node by IRI or label, building a view by name."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import InputError
from ..namespaces import PREFIXES
from .abgleich import abgleich
from .akteur import akteur
from .bestand import ANSICHTEN, ART, GESAMT_MAX, ZIELARTEN, _RANK, Ansicht, Bestand, UnknownNode, _fold, _require
from .feld import feld
from .gesamt import gesamt
from .ziel import ziel

def view_for(b: Bestand, iri: str) -> tuple[str, dict]:
    """The view that suits a resource of this kind, and its parameters."""
    return _view_params(_require(b, iri, None, ""))



def resolve(b: Bestand, text: str, kinds: Iterable[str] | None = None) -> str:
    """An IRI from an IRI, a prefixed name (``id:hattingen/leitziel/1``) or a label (exact, else part)."""
    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        t = t[1:-1]
    prefix, sep, local = t.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        t = PREFIXES[prefix] + local
    kinds = set(kinds) if kinds else None
    b.lade((t,))
    if t in b.graph:
        return t
    if re.match(r"^https?://", t):
        raise UnknownNode(f"Keine Ressource mit der IRI {t!r} in den Netzwerkansichten.", source=t)
    wanted = _fold(t)
    candidates = [(n, d) for n, d in b.graph.nodes(data=True) if kinds is None or d["art"] in kinds]
    exact = [n for n, d in candidates if _fold(d["label"]) == wanted]
    hits = exact or [n for n, d in candidates if wanted and wanted in _fold(d["label"])]
    if len(hits) == 1:
        return hits[0]
    what = "/".join(ART[k].name for k in sorted(kinds, key=_RANK.__getitem__)) if kinds else "Ressource"
    if not hits:
        raise UnknownNode(f"Keine {what} mit der Bezeichnung {text!r} gefunden.")
    shown = "; ".join(f"{b.node(n)['label']} <{n}>" for n in sorted(hits)[:8])
    raise UnknownNode(f"{len(hits)} Ressourcen passen zu {text!r}; bitte genauer oder mit IRI angeben: {shown}"
                      + (" …" if len(hits) > 8 else ""))


def build(b: Bestand, view: str, *, iri: str | None = None, radius: int = 1, town: str | None = None,
          handlungsfeld: str | None = None, lebensphase: str | None = None,
          max_nodes: int = GESAMT_MAX) -> Ansicht:
    """The view called ``view`` (``ziel``, ``akteur``, ``feld``, ``abgleich``, ``gesamt``)."""
    if view == "ziel":
        if not iri:
            raise InputError("Die Zielansicht braucht ein Ziel (IRI oder Bezeichnung).")
        return ziel(b, resolve(b, iri, ZIELARTEN))
    if view == "akteur":
        if not iri:
            raise InputError("Die Akteursansicht braucht einen Akteur (IRI oder Bezeichnung).")
        return akteur(b, resolve(b, iri), radius)
    if view == "feld":
        if iri and not (handlungsfeld or lebensphase):
            found = resolve(b, iri, {"handlungsfeld", "lebensphase"})
            if b.node(found)["art"] == "handlungsfeld":
                handlungsfeld = found
            else:
                lebensphase = found
        return feld(b, handlungsfeld and resolve(b, handlungsfeld, {"handlungsfeld"}),
                    lebensphase and resolve(b, lebensphase, {"lebensphase"}))
    if view == "abgleich":
        return abgleich(b)
    if view == "gesamt":
        return gesamt(b, town, max_nodes)
    raise InputError(f"Unbekannte Ansicht {view!r}. Möglich: {', '.join(ANSICHTEN)}.")



def _view_params(d: dict) -> tuple[str, dict]:
    art = d["art"]
    iri = d["iri"]
    if art in ZIELARTEN:
        return "ziel", {"iri": iri}
    if art == "handlungsfeld":
        return "feld", {"handlungsfeld": iri}
    if art == "lebensphase":
        return "feld", {"lebensphase": iri}
    if art == "konzept":
        return "abgleich", {}
    return "akteur", {"iri": iri}

