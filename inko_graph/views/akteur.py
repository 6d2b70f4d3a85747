"""The actor view: an actor with its bodies, undertakings, goals and partners."""

from __future__ import annotations

import networkx as nx

from ..errors import InputError
from .bestand import _KANTEN, AKTEURE, ART, PARTNER, VORHABEN, Ansicht, Bestand, _finish, _require, _view_graph

_KEYS = set(_KANTEN)

def _actor_ring(b: Bestand, actor: str) -> tuple[set[str], set[str]]:
    """Nodes around one actor, and the partners among them (actors one step away)."""
    b.ausgehend((actor,))
    b.eingehend((actor,))
    bodies = set(b.into(actor, {"hasMember"})) | set(b.out(actor, {"hasMember"}))
    orgs = set(b.both(actor, {"subOrganizationOf"}))
    vorhaben = {v for v in b.into(actor, PARTNER) if b.node(v)["art"] in VORHABEN}
    b.ausgehend(vorhaben | bodies)
    goals = {z for v in vorhaben for z in b.out(v, {"dient"})}
    partners = {a for v in vorhaben for a in b.out(v, PARTNER)} | orgs
    partners |= {m for body in bodies for m in b.out(body, {"hasMember"})}
    partners |= {body for body in bodies}
    partners.discard(actor)
    return {actor} | bodies | orgs | vorhaben | goals | partners, partners


def _read_rings(b: Bestand, actors: list[str]) -> None:
    """Read what the rings of these actors need, for all at once (one query per step, not per actor)."""
    b.ausgehend(actors)
    b.eingehend(actors)
    vorhaben = {v for a in actors for v in b.into(a, PARTNER) if b.node(v)["art"] in VORHABEN}
    bodies = {x for a in actors for x in b.both(a, {"hasMember"})}
    b.ausgehend(vorhaben | bodies)


def akteur(b: Bestand, iri: str, radius: int = 1) -> Ansicht:
    """An actor with its bodies, activities and measures, the goals these serve and its partners;
    with radius 2 the same again for each partner. Any other node gets its plain neighbourhood."""
    if radius not in (1, 2):
        raise InputError(f"Der Umkreis muss 1 oder 2 sein, nicht {radius!r}.")
    b.lade((iri,))
    data = _require(b, iri, None, "Akteur")
    if data["art"] in AKTEURE:
        nodes, partners = _actor_ring(b, iri)
        if radius == 2:
            _read_rings(b, [p for p in partners if b.node(p)["art"] in AKTEURE])
            for p in list(partners):
                if b.node(p)["art"] in AKTEURE:
                    nodes |= _actor_ring(b, p)[0]
        titel = f"Akteursansicht: {data['label']}"
        text = ("Der Akteur mit seinen Gremien, Aktivitäten und Maßnahmen, den Zielen, denen sie dienen, "
                "und seinen Partnern" + (" – und deren Umfeld." if radius == 2 else "."))
    else:
        # Everything within ``radius`` steps: the links of the node (and of its neighbours).
        b.ausgehend((iri,))
        b.eingehend((iri,))
        if radius == 2:
            near = [n for n in b.both(iri, _KEYS - {"inScheme"})]
            b.ausgehend(near)
            b.eingehend(near)
        undirected = nx.Graph()
        undirected.add_edges_from((u, v) for u, v, k in b.graph.edges(keys=True) if k != "inScheme")
        undirected.add_node(iri)
        nodes = set(nx.ego_graph(undirected, iri, radius=radius))
        titel = f"Umfeld: {data['label']}"
        text = f"{ART[data['art']].name} mit allem, was {'direkt' if radius == 1 else 'bis zu zwei Schritte weit'} mit ihr verbunden ist."
    g = _view_graph(b, nodes)
    return _finish(Ansicht("akteur", titel, text, g, fokus=iri, parameter={"iri": iri, "umkreis": radius}))

