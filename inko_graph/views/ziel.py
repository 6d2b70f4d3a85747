"""The goal view: a goal, its sub-goals and higher goals, and everything that serves them."""

from __future__ import annotations

from .bestand import ABGLEICH, VORHABEN, ZIELARTEN, ZUSTAENDIG, Ansicht, Bestand, _ancestors, _descendants, _finish, _require, _view_graph

def ziel(b: Bestand, iri: str) -> Ansicht:
    """A goal, its sub-goals and higher goals, the measures serving them with their actors and
    Lebensphasen, and the goals of other documents aligned with them."""
    b.lade((iri,))
    data = _require(b, iri, ZIELARTEN, "Ziel")
    goals = {iri} | _descendants(b, iri)
    b.eingehend(goals)
    b.ausgehend(goals)
    vorhaben = {v for z in goals for v in b.into(z, {"dient"}) if b.node(v)["art"] in VORHABEN}
    b.ausgehend(vorhaben)
    akteure = {a for v in vorhaben for a in b.out(v, ZUSTAENDIG)}
    phasen = {p for v in vorhaben for p in b.out(v, {"lebensphase"})}
    aligned = {m for z in goals for m in b.both(z, ABGLEICH | {"gleicherWortlaut"})}
    nodes = goals | set(_ancestors(b, iri)) | vorhaben | akteure | phasen | aligned
    g = _view_graph(b, nodes)
    return _finish(Ansicht(
        "ziel", f"Zielansicht: {data['label']}",
        "Das Ziel mit seinen Unterzielen, den Maßnahmen und Aktivitäten, die ihm dienen, den "
        "zuständigen Akteuren, den Lebensphasen und den passenden Zielen der anderen Dokumente.",
        g, fokus=iri, parameter={"iri": iri}))

