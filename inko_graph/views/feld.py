"""The field view: one Handlungsfeld (with its matches in other documents) and/or one Lebensphase."""

from __future__ import annotations

from ..errors import InputError
from .bestand import ABGLEICH, PARTNER, VORHABEN, ZIELARTEN, Ansicht, Bestand, _descendants, _finish, _require, _view_graph

def feld(b: Bestand, handlungsfeld: str | None = None, lebensphase: str | None = None) -> Ansicht:
    """One Handlungsfeld (with the matching fields of the other documents) and/or one Lebensphase:
    the goals, measures, activities and actors in it."""
    if not handlungsfeld and not lebensphase:
        raise InputError("Bitte ein Handlungsfeld oder eine Lebensphase angeben.")
    nodes: set[str] = set()
    teile = []
    vorhaben: set[str] | None = None
    if handlungsfeld:
        hf = _require(b, handlungsfeld, {"handlungsfeld"}, "Handlungsfeld")
        fields = {handlungsfeld} | {m for m in b.both(handlungsfeld, ABGLEICH) if b.node(m)["art"] == "handlungsfeld"}
        goals = {z for f in fields for z in b.into(f, {"handlungsfeld"}) if b.node(z)["art"] in ZIELARTEN}
        goals |= {s for z in list(goals) for s in _descendants(b, z)}
        vorhaben = {v for f in fields for v in b.into(f, {"handlungsfeld"}) if b.node(v)["art"] in VORHABEN}
        vorhaben |= {v for z in goals for v in b.into(z, {"dient"}) if b.node(v)["art"] in VORHABEN}
        nodes |= fields | goals
        teile.append(hf["label"])
    if lebensphase:
        lp = _require(b, lebensphase, {"lebensphase"}, "Lebensphase")
        in_phase = {v for v in b.into(lebensphase, {"lebensphase"}) if b.node(v)["art"] in VORHABEN}
        vorhaben = in_phase if vorhaben is None else vorhaben & in_phase
        nodes.add(lebensphase)
        if not handlungsfeld:
            nodes |= {z for v in vorhaben for z in b.out(v, {"dient"})}
            nodes |= {f for v in vorhaben for f in b.out(v, {"handlungsfeld"})}
        teile.append(lp["label"])
    assert vorhaben is not None
    nodes |= vorhaben
    nodes |= {a for v in vorhaben for a in b.out(v, PARTNER)}
    nodes |= {p for v in vorhaben for p in b.out(v, {"lebensphase"})}
    g = _view_graph(b, nodes)
    return _finish(Ansicht(
        "feld", "Feldansicht: " + " · ".join(teile),
        "Ziele, Maßnahmen, Aktivitäten und Akteure " + (
            "im Handlungsfeld und den passenden Handlungsfeldern der anderen Dokumente"
            if handlungsfeld else "aller Dokumente") + (" für diese Lebensphase." if lebensphase else "."),
        g, fokus=handlungsfeld or lebensphase,
        parameter={k: v for k, v in (("handlungsfeld", handlungsfeld), ("lebensphase", lebensphase)) if v}))

