"""The alignment view: the goals of every concept in columns, with the links between them."""

from __future__ import annotations

from collections import defaultdict

from . import layout
from .bestand import ABGLEICH, ZIELARTEN, _RANK, Ansicht, Bestand, _finish, _natural, _view_graph

def _box_height(label: str, chars_per_line: int = 31) -> float:
    """Height in pixels of a goal box (300 px wide, 17 px type), wrapping words as vis-network does."""
    lines = 0
    for part in label.split("\n"):
        width = 0
        lines += 1
        for word in part.split():
            if width and width + 1 + len(word) > chars_per_line:
                lines += 1
                width = len(word)
            else:
                width += (1 if width else 0) + len(word)
    return 36 + 17 * lines


def abgleich(b: Bestand) -> Ansicht:
    """The goals of every concept side by side, one column each, with the links between them."""
    konzepte = {}
    for z in b.of_kind(ZIELARTEN):
        for k in b.out(z, {"inScheme"}):
            if b.node(k)["art"] == "konzept":
                konzepte.setdefault(k, []).append(z)
                break
    order = sorted(konzepte, key=lambda k: (b.node(k)["quellen"][:1], _natural(b.node(k)["label"])))
    columns = []
    for k in order:
        members = set(konzepte[k])
        children = defaultdict(list)
        roots = []
        for z in members:
            parents = [p for p in b.out(z, {"broader"}) if p in members]
            (children[parents[0]] if parents else roots).append(z)

        def key(z):
            d = b.node(z)
            return (_RANK[d["art"]], _natural(d.get("notation", "") or ""), _natural(d["label"]))

        entries = [(k, 0, _box_height(b.node(k)["label"]) + 10)]
        seen = set()

        def walk(z, depth):
            if z in seen:
                return
            seen.add(z)
            entries.append((z, min(depth, 2), _box_height(b.node(z)["label"])))
            for c in sorted(children.get(z, []), key=key):
                walk(c, depth + 1)

        for r in sorted(roots, key=key):
            walk(r, 0)
        for z in sorted(members - seen, key=key):  # cycles in broader: still shown
            walk(z, 0)
        columns.append((k, entries))
    nodes = set(order) | {z for zs in konzepte.values() for z in zs}
    g = _view_graph(b, nodes, leave_out=("inScheme", "broader", "handlungsfeld"))
    a = Ansicht("abgleich", "Abgleich der Dokumente",
                "Die Ziele jedes Konzepts in einer Spalte, eingerückt unter ihrem übergeordneten Ziel; "
                "Linien verbinden Ziele verschiedener Dokumente, die einander entsprechen.",
                g, kaesten=True)
    a.positionen = layout.columns(columns, width=340, gap=50)
    a.start = "oben"
    links = sum(1 for _, _, d in g.edges(data=True) if set(d["arten"]) & ABGLEICH)
    if not links:
        a.hinweise.append("Zwischen den Zielen der Dokumente sind noch keine Entsprechungen erfasst.")
    return _finish(a)

