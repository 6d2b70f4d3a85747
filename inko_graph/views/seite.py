"""A view as a page: nodes, links and options for vis-network, the legend, and the HTML (served
page part, or one file that works from disk)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import networkx as nx

from ..errors import InputError
from ..settings import PROJECT_ROOT
from .auswahl import _view_params
from .bestand import ABGLEICH, AKTEURE, ART, ARTEN, VIZ_DIR, VORHABEN, _KANTEN, _RANK, Ansicht, Art
from .bestand import folds as _folds

@dataclass(frozen=True)
class Links:
    """Where a click leads: the linked-data page of a resource, and a view for a resource."""

    ressource: Callable[[str], str | None]
    ansicht: Callable[[str, dict], str | None]

    @classmethod
    def for_server(cls, base_iri: str, prefix: str = "") -> "Links":
        def page(iri: str) -> str | None:
            if not iri.startswith(base_iri):
                return None
            return prefix + "/" + quote(iri[len(base_iri):], safe="/:@!$&'()*+,;=-._~%")

        def view(name: str, params: dict) -> str:
            q = urlencode({k: v for k, v in params.items() if v not in (None, "")})
            return f"{prefix}/netzwerk/{name}" + (f"?{q}" if q else "")

        return cls(page, view)


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _safe_href(url: str | None) -> str | None:
    # Only our own paths and web addresses; never javascript: or data: from an odd IRI.
    if url and (url.startswith("/") and not url.startswith("//") or re.match(r"^https?://", url)):
        return url
    return None


def _centrality(g: nx.DiGraph) -> dict[str, float]:
    if g.number_of_nodes() < 2:
        return {n: 1.0 for n in g}
    c = nx.degree_centrality(g)
    top = max(c.values()) or 1.0
    return {n: v / top for n, v in c.items()}


def _tooltip(d: dict) -> str:
    lines = [d["label"], f"Art: {ART[d['art']].name}" + (" (Gruppe)" if d.get("gruppe") else "")]
    if d.get("kontext"):
        lines.append(d["kontext"])
    if d.get("quellnamen"):
        lines.append("Quelle: " + "; ".join(d["quellnamen"]))
    if d.get("akteursart") and not d.get("gruppe"):
        lines.append(f"Art des Akteurs: {d['akteursart']}")
    if d.get("luecke"):
        lines.append("Lücke: Diesem Ziel dient keine Maßnahme und keine Aktivität.")
    for phase, n in d.get("ueberschneidung") or []:
        lines.append(f"Überschneidung: {n} Akteure für die Lebensphase {phase}")
    return "\n".join(lines)


_LUECKE = "#C00000"
_UEBER = "#111111"


def _group_style(art: Art, boxes: bool) -> dict:
    """How vis-network draws a kind: set once per kind (a vis group), not once per node."""
    style = {"shape": "box" if boxes else art.shape,
             "color": {"background": "#FFFFFF" if boxes and art.key != "konzept" else art.color,
                       "border": art.color,
                       "highlight": {"background": art.color, "border": "#000000"},
                       "hover": {"background": art.color, "border": "#000000"}},
             "borderWidth": 2, "borderWidthSelected": 4}
    if boxes:
        style["widthConstraint"] = {"minimum": 300, "maximum": 300}
        style["font"] = {"size": 17, "color": "#FFFFFF" if art.key == "konzept" else "#111111",
                         "align": "left", "strokeWidth": 0}
        style["margin"] = 10
    elif art.shape == "box":
        style["font"] = {"size": art.font, "color": "#FFFFFF", "strokeWidth": 0}
        style["margin"] = 12
        style["widthConstraint"] = {"maximum": 320}
    else:
        style["font"] = {"size": art.font}
        style["widthConstraint"] = {"maximum": 200}
    return style


#: Up to this many nodes every label is drawn; above, the focus, its neighbours and the anchors.
ALL_LABELS = 40


def folds(a: Ansicht, geoeffnet: Iterable[str] = ()) -> dict[str, list[str]]:
    """Gremium -> its members folded into it (those that link to nothing else in the view), but
    for the Gremien opened (``geoeffnet``: the page's ``offen`` parameters)."""
    opened = set(geoeffnet)
    return {body: ms for body, ms in _folds(a).items() if body not in opened}


def _free_spot(centre: tuple[float, float], others: list[tuple[float, float]]) -> tuple[float, float]:
    """A place beside ``centre`` for a Gremium's fold node, as far as possible from the other nodes
    (boxes are wider than high, so sideways distance counts half), below it where all are equal."""
    x, y = centre
    spots = [(round(x + r * math.sin(t), 1), round(y + r * math.cos(t), 1))
             for r in (90.0, 140.0) for t in (i * math.pi / 4 for i in range(8))]

    def room(p):
        return min((((p[0] - q[0]) / 2) ** 2 + (p[1] - q[1]) ** 2 for q in others if q != centre), default=1e12)

    return max(spots, key=lambda p: (round(room(p), -2), -abs(p[0] - x), p[1]))


def fold_text(g, body: str, members: list[str]) -> str:
    """"17 Mitglieder", or with the members' own members that come along "8 Mitglieder (mit deren Mitgliedern 12)"."""
    direct = sum(1 for m in members if g.has_edge(body, m) and "hasMember" in g.edges[body, m]["arten"])
    return f"{direct} Mitglieder" + (f" (mit deren Mitgliedern {len(members)})" if direct != len(members) else "")


def labelled(a: Ansicht, folded: dict[str, list[str]] | None = None) -> set[str] | None:
    """The nodes whose labels are drawn from the start (``None``: all). The others show their
    label on hover and when zoomed in, so that a large picture is not a pile of text. Folded
    members do not count; an actor's view also labels the goals its undertakings serve."""
    g = a.graph
    folded = folds(a) if folded is None else folded
    shown = g.number_of_nodes() - sum(len(ms) for ms in folded.values())
    if a.kaesten or shown <= ALL_LABELS:
        return None
    if a.fokus in g:
        near = {a.fokus} | set(g.predecessors(a.fokus)) | set(g.successors(a.fokus))
        if g.nodes[a.fokus]["art"] in AKTEURE:
            near |= {z for v in near if g.nodes[v]["art"] in VORHABEN for z in g.successors(v)
                     if "dient" in g.edges[v, z]["arten"]}
        return near
    return {n for n, d in g.nodes(data=True) if d["art"] in ("konzept", "leitthema", "lebensphase") or d.get("gruppe")}


def vis_data(a: Ansicht, links: Links, geoeffnet: Iterable[str] = ()) -> dict:
    """Nodes, links and options for vis-network, held in a pyvis ``Network`` (imported in the
    server's warm-up, so that the first view does not wait for it)."""
    g = a.graph
    n = g.number_of_nodes()
    big = n > 400
    cent = _centrality(g)
    used: set[str] = set()
    nodes = []
    folded = folds(a, geoeffnet)
    shown = labelled(a, folded)
    member_of = {m: body for body, ms in folded.items() for m in ms}
    # In a large picture the documents and Lebensphasen keep labels legible at the first zoom.
    anchor_font = {}
    if n > 150 and a.positionen and not a.kaesten:
        xs = [x for x, _ in a.positionen.values()]
        zoom = 1150 / max(1.0, max(xs) - min(xs))
        anchor_font = {"konzept": min(140, max(30, round(18 / zoom))),
                       "lebensphase": min(90, max(20, round(15 / zoom)))}
    for node, d in g.nodes(data=True):
        art = ART[d["art"]]
        used.add(art.key)
        x, y = a.positionen.get(node, (0.0, 0.0))
        if d.get("gruppe"):
            size = 14 + 10 * math.log2(1 + d["gruppe"])
        else:
            size = 12 + 26 * math.sqrt(cent.get(node, 0.0))
        iri = d.get("iri")
        href = _safe_href(links.ressource(iri)) if iri else None
        if d.get("gruppe") and d.get("feld"):
            view_href = _safe_href(links.ansicht("feld", {"handlungsfeld": d["feld"]}))
        else:
            view_href = _safe_href(links.ansicht(*_view_params(d))) if iri else None
        name = d["label"] if a.kaesten else _short(d["label"])
        item = {
            "id": node, "group": art.key, "label": name if shown is None or node in shown else "", "name": name,
            "title": _tooltip(d), "x": x, "y": y, "size": round(size, 1),
            "art": art.name, "volltext": d["label"], "quelle": "; ".join(d.get("quellnamen") or []),
            "iri": iri, "href": href, "ansicht": view_href,
            "luecke": bool(d.get("luecke")), "ueberschneidung": bool(d.get("ueberschneidung")),
        }
        # A colour of its own replaces the kind's whole colour object: state hover and selection too.
        same = {"background": art.color, "border": "#000000"}
        if d.get("luecke"):
            item["color"] = {"border": _LUECKE, "background": "#FDECEC" if a.kaesten else art.color,
                             "highlight": same, "hover": same}
            item["borderWidth"] = 4
            item["shapeProperties"] = {"borderDashes": [6, 4]}
        elif d.get("ueberschneidung"):
            item["color"] = {"border": _UEBER, "background": "#FFFFFF" if a.kaesten else art.color,
                             "highlight": same, "hover": same}
            item["borderWidth"] = 6
        if art.key in anchor_font and g.degree(node):
            item["font"] = {"size": anchor_font[art.key]}
            item["widthConstraint"] = {"maximum": anchor_font[art.key] * 11}
        if node == a.fokus and not a.kaesten and art.shape != "box":
            item["size"] = max(size, 34)
            item["font"] = {"size": 26}
        if node in member_of:
            item["hidden"] = True
            item["mitglied_von"] = member_of[node]
        nodes.append(item)
    rest = [p for n_, p in a.positionen.items() if n_ not in member_of and n_ in g]
    for body, members in sorted(folded.items()):
        x, y = a.positionen.get(body, (0.0, 0.0))
        fx, fy = _free_spot((x, y), rest)
        rest.append((fx, fy))
        label = f"{fold_text(g, body, members)} – zum Öffnen klicken"
        nodes.append({"id": "mitglieder:" + body, "group": "gremium", "label": label, "name": label,
                      "title": f"{g.nodes[body]['label']}: {fold_text(g, body, members)}, die sonst mit nichts "
                               "verbunden sind. Ein Klick zeigt sie einzeln.",
                      "x": fx, "y": fy, "size": 16, "shape": "box", "art": "Mitglieder eines Gremiums",
                      "volltext": f"Mitglieder: {g.nodes[body]['label']}", "quelle": "", "iri": None, "href": None,
                      "ansicht": None, "luecke": False, "ueberschneidung": False, "oeffnet": members,
                      "color": {"background": "#E6F2EE", "border": ART["gremium"].color},
                      "font": {"color": "#111111", "size": 15, "strokeWidth": 0}, "margin": 8})
    edges = []
    for u, v, d in g.edges(data=True):
        arten = d["arten"]
        match = bool(set(arten) & ABGLEICH)
        words = ", ".join(_KANTEN[k][1] for k in arten)
        title = f"{g.nodes[u]['label']}\n{words}\n{g.nodes[v]['label']}"
        if d.get("anzahl", 1) > 1:
            title += f"\n({d['anzahl']} Verbindungen)"
        if d["kuratiert"]:
            title += "\nkuratiert: durch Auslegung ergänzt, nicht wörtlich im Dokument"
        edge = {"from": u, "to": v, "title": title}
        if match:
            edge["color"] = {"color": "#7B3294", "highlight": "#000000", "hover": "#000000"}
            edge["width"] = 3
            if a.kaesten:
                edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15}
        elif not big:
            edge["arrows"] = "to"
        if d.get("anzahl", 1) > 1:
            edge["width"] = edge.get("width", 1.5) + math.log2(d["anzahl"])
        if d["kuratiert"]:
            edge["dashes"] = [8, 6]
        edges.append(edge)
    for body in sorted(folded):
        edges.append({"from": body, "to": "mitglieder:" + body, "title": "hat als Mitglieder", "dashes": [2, 4]})
    options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "groups": {key: _group_style(ART[key], a.kaesten) for key in sorted(used)},
        "interaction": {"hover": n <= 2000, "tooltipDelay": 120, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False},
                        "hideEdgesOnDrag": big, "hideEdgesOnZoom": n > 2000, "multiselect": False},
        "nodes": {"font": {"size": 17, "face": "Arial, Helvetica, sans-serif", "color": "#111111",
                           "strokeWidth": 4, "strokeColor": "#FFFFFF"},
                  "scaling": {"label": {"drawThreshold": 8}}},
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1, "width": 1.5,
                  "color": {"color": "#8A8A8A", "highlight": "#000000", "hover": "#000000", "inherit": False},
                  "arrows": {"to": {"enabled": False, "scaleFactor": 0.6}}},
    }
    # vis draws in list order: the anchors (documents, main goals) last, on top of the rest.
    nodes.sort(key=lambda item: -_RANK[item["group"]])
    # pyvis holds the network and gives it in vis-network's form (node and link lists, options).
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="local", heading=a.titel)
    # Whole lists at once: pyvis' add_node checks a list for every node (quadratic).
    net.nodes, net.edges, net.node_ids, net.options = nodes, edges, [item["id"] for item in nodes], options
    nodes_out, edges_out, heading, _h, _w, options_json = net.get_network_data()
    start_nodes = sorted({a.fokus} | set(g.predecessors(a.fokus)) | set(g.successors(a.fokus))) \
        if a.start == "fokus" and a.fokus in g else []
    return {"titel": heading, "knoten": nodes_out, "kanten": edges_out, "optionen": json.loads(options_json),
            "fokus": a.fokus, "start": a.start, "startknoten": start_nodes,
            "alle_beschriftet": shown is None}


def json_for_script(data) -> str:
    """JSON that can stand inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def legend(a: Ansicht) -> list[dict]:
    """The kinds present in the view, with how many of each."""
    counts = Counter(d["art"] for _, d in a.graph.nodes(data=True))
    return [{"name": art.name, "plural": art.plural, "shape": art.shape, "color": art.color,
             "anzahl": counts[art.key]} for art in ARTEN if counts[art.key]]


def _environment():
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

    return Environment(loader=ChoiceLoader([FileSystemLoader(str(PROJECT_ROOT / "inko_graph" / "templates")),
                                            FileSystemLoader(str(VIZ_DIR))]),
                       autoescape=select_autoescape(default=True, default_for_string=True))


def _open_href(hier: str | None, body: str) -> str | None:
    """The page again with this Gremium opened (``offen``): the way to its members without script."""
    if not hier:
        return None
    return hier + ("&" if "?" in hier else "?") + urlencode({"offen": body}) + "#knotenliste"


def node_list(a: Ansicht, links: Links, folded: dict[str, list[str]] | None = None,
              hier: str | None = None) -> list[dict]:
    """Every node of the view for the list under the picture (part of the page, read without
    script); a folded Gremium's members stand under it ("17 Mitglieder"), not among the others."""
    folded = folds(a) if folded is None else folded
    inside = {m for ms in folded.values() for m in ms}

    def entry(node: str) -> dict:
        d = a.graph.nodes[node]
        iri = d.get("iri")
        marks = (["Lücke"] if d.get("luecke") else []) + (["Überschneidung"] if d.get("ueberschneidung") else [])
        return {"id": node, "text": d["label"], "href": _safe_href(links.ressource(iri)) if iri else None,
                "art": ART[d["art"]].name, "hinweise": marks, "rang": _RANK[d["art"]], "mitglieder": []}

    out = []
    for node in a.graph:
        if node in inside:
            continue
        e = entry(node)
        if node in folded:
            e["mitglieder"] = [entry(m) for m in folded[node]]
            e["gefaltet"] = fold_text(a.graph, node, folded[node])
            e["oeffnen"] = _safe_href(_open_href(hier, node))
        out.append(e)
    out.sort(key=lambda e: (e["rang"], e["text"].lower()))
    return out


def page_context(a: Ansicht, links: Links, *, geoeffnet: Iterable[str] = (), hier: str | None = None) -> dict:
    """What the network part of a page (``netzwerk_teil.html.j2``) needs; ``geoeffnet``: the
    Gremien shown with their members, ``hier``: the page's address (for the links that open one)."""
    data = vis_data(a, links, geoeffnet)
    folded = folds(a, geoeffnet)
    focus = a.graph.nodes[a.fokus] if a.fokus in a.graph else None
    return {
        "knotenliste": node_list(a, links, folded, hier),
        "alle_beschriftet": data["alle_beschriftet"],
        "gefaltet": sum(1 for item in data["knoten"] if item.get("oeffnet")),
        "ansicht": a,
        "daten_json": json_for_script(data),
        "legende": legend(a),
        "luecken": sum(1 for _, d in a.graph.nodes(data=True) if d.get("luecke")),
        "ueberschneidungen": sum(1 for _, d in a.graph.nodes(data=True) if d.get("ueberschneidung")),
        "fokus": focus,
        "fokus_href": _safe_href(links.ressource(a.fokus)) if focus is not None else None,
        "farbe_luecke": _LUECKE,
        "farbe_ueberschneidung": _UEBER,
    }


def render(a: Ansicht, links: Links) -> str:
    """One HTML file that works from disk without network: vis-network and the page's own script
    and style are written into it."""
    env = _environment()
    vendor = VIZ_DIR / "vendor" / "vis-network"
    ctx = page_context(a, links)
    ctx.update(
        css=_read(vendor / "vis-network.min.css") + "\n" + _read(VIZ_DIR / "netzwerk.css"),
        js_vendor=_read(vendor / "vis-network.min.js"),
        js=_read(VIZ_DIR / "netzwerk.js"),
    )
    return env.get_template("netzwerk.html.j2").render(ctx)


def _read(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    # Inlined into <script>/<style>: a closing tag inside would end the element early.
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise InputError("Die Datei enthält ein schließendes script/style-Tag und kann nicht eingebettet werden.",
                         source=str(path))
    return text
