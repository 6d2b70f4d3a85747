"""Node positions for the network views, computed in Python so that the browser need not simulate.

vis-network's own physics never settles on large graphs, and networkx's ``spring_layout`` needs
SciPy above 500 nodes; so the force-directed layout here is a small Fruchterman-Reingold in NumPy.
Up to ``DENSE_LIMIT`` nodes every pair repels; above it each node is pushed by a random sample of
the others (scaled up), which keeps one step linear in the number of nodes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable

import networkx as nx

__all__ = ["force_directed", "columns", "grid_below", "spread", "ring", "DENSE_LIMIT"]

#: Above this many nodes, repulsion is estimated from a sample of the other nodes.
DENSE_LIMIT = 600
_SAMPLE = 160


def force_directed(graph: nx.Graph, *, seed: int = 7, iterations: int | None = None,
                   group: Callable[[Hashable], Hashable] | None = None,
                   spacing: float = 140.0) -> dict[Hashable, tuple[float, float]]:
    """Positions in pixels for ``graph``; ``group`` (node -> key) starts each group in its own area."""
    import numpy as np

    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    pairs = [(index[u], index[v]) for u, v in graph.edges() if u != v]
    edges = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float64)
    if group is not None:
        # Groups start on a circle, each in a disc of its own, so that documents stay apart.
        keys = sorted({str(group(v)) for v in nodes})
        if len(keys) > 1:
            centre = {key: (0.5 + 0.35 * math.cos(2 * math.pi * i / len(keys)),
                            0.5 + 0.35 * math.sin(2 * math.pi * i / len(keys))) for i, key in enumerate(keys)}
            offsets = (rng.random((n, 2)) - 0.5) * (0.6 / math.sqrt(len(keys)))
            for i, v in enumerate(nodes):
                cx, cy = centre[str(group(v))]
                pos[i] = (cx + offsets[i, 0], cy + offsets[i, 1])
    if iterations is None:
        iterations = 80 if n <= 300 else 60 if n <= DENSE_LIMIT else 45
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    gravity = 0.02 if n < 200 else 0.05
    dense = n <= DENSE_LIMIT
    buf = np.empty((n, n)) if dense else None
    for _ in range(iterations):
        if dense:
            # The same forces as the sampled branch, with few passes over the n x n array (the cost
            # here): squared distances as |p|^2 + |q|^2 - 2 p.q, and the sum over j of
            # (p_i - p_j) * rep_ij as p_i * sum_j rep_ij - (rep @ p)_i. The products go through
            # einsum, not BLAS: its threads cost more than they save on a busy server.
            sq = np.einsum("ij,ij->i", pos, pos)
            d2 = np.einsum("ik,jk->ij", pos, pos, out=buf)
            d2 *= -2.0
            d2 += sq[:, None]
            d2 += sq[None, :]
            np.maximum(d2, 1e-6, out=d2)
            rep = np.divide(k * k, d2, out=d2)
            np.fill_diagonal(rep, 0.0)
            disp = pos * rep.sum(axis=1)[:, None] - np.einsum("ij,jk->ik", rep, pos)
        else:
            sample = rng.choice(n, size=_SAMPLE, replace=False)
            dx = pos[:, 0, None] - pos[None, sample, 0]
            dy = pos[:, 1, None] - pos[None, sample, 1]
            d2 = dx * dx + dy * dy
            np.maximum(d2, 1e-6, out=d2)
            rep = (k * k) / d2 * (n / _SAMPLE)
            disp = np.stack(((dx * rep).sum(axis=1), (dy * rep).sum(axis=1)), axis=1)
        if len(edges):
            d = pos[edges[:, 0]] - pos[edges[:, 1]]
            length = np.hypot(d[:, 0], d[:, 1])
            np.maximum(length, 1e-3, out=length)
            pull = d * (length / k)[:, None]
            np.add.at(disp, edges[:, 0], -pull)
            np.add.at(disp, edges[:, 1], pull)
        # A weak pull to the middle keeps separate components on the screen.
        disp -= (pos - pos.mean(axis=0)) * (gravity * n * k)
        size = np.hypot(disp[:, 0], disp[:, 1])
        np.maximum(size, 1e-9, out=size)
        pos += disp * (np.minimum(size, temperature) / size)[:, None]
        temperature -= cooling
    return _to_pixels(nodes, pos, spacing)


#: Width to height of the drawing: screens and projectors are wider than high.
ASPECT = 1.6


def _to_pixels(nodes: list, pos, spacing: float) -> dict[Hashable, tuple[float, float]]:
    import numpy as np

    pos = pos - pos.mean(axis=0)
    extent = float(np.abs(pos).max()) or 1.0
    # About one node per spacing x spacing pixels, spread wider than high.
    half = spacing * math.sqrt(len(nodes)) / 2
    pos = pos / extent * half
    pos[:, 0] *= math.sqrt(ASPECT)
    pos[:, 1] /= math.sqrt(ASPECT)
    return {v: (round(float(pos[i, 0]), 1), round(float(pos[i, 1]), 1)) for i, v in enumerate(nodes)}


def columns(groups: Iterable[tuple[Hashable, list[tuple[Hashable, int, float]]]], *,
            width: float = 380.0, gap: float = 160.0, indent: float = 28.0,
            top: float = 0.0) -> dict[Hashable, tuple[float, float]]:
    """Side-by-side columns: ``groups`` is ``[(column, [(node, depth, height), ...]), ...]`` in order.

    Each column stacks its nodes from top to bottom; ``depth`` indents a node, ``height`` is the
    space the node needs (its label wraps).
    """
    pos: dict[Hashable, tuple[float, float]] = {}
    for ci, (_column, entries) in enumerate(groups):
        x0 = ci * (width + gap)
        y = top
        for node, depth, height in entries:
            pos[node] = (round(x0 + depth * indent, 1), round(y + height / 2, 1))
            y += height + 14
    return pos


def spread(pos: dict[Hashable, tuple[float, float]], factor: float) -> dict[Hashable, tuple[float, float]]:
    """The same positions, ``factor`` times further apart."""
    return {v: (round(x * factor, 1), round(y * factor, 1)) for v, (x, y) in pos.items()}


def grid_below(pos: dict[Hashable, tuple[float, float]], nodes: list[Hashable], *,
               cell: tuple[float, float] = (210.0, 130.0), gap: float = 160.0) -> dict[Hashable, tuple[float, float]]:
    """``nodes`` (in the order given) in rows under the nodes already placed in ``pos``.

    Nodes without any link would otherwise drift to a ring around the picture; in rows they read
    like a list of what stands alone.
    """
    out = dict(pos)
    if not nodes:
        return out
    if pos:
        xs = [x for x, _ in pos.values()]
        ys = [y for _, y in pos.values()]
        left, right, top = min(xs), max(xs), max(ys) + gap
    else:
        left, right, top = 0.0, 0.0, 0.0
    per_row = max(4, int((right - left) // cell[0]) + 1, math.ceil(math.sqrt(len(nodes) * 1.6)))
    for i, v in enumerate(nodes):
        row, col = divmod(i, per_row)
        out[v] = (round(left + col * cell[0], 1), round(top + row * cell[1], 1))
    return out


def ring(centre: tuple[float, float], nodes: list[Hashable], *, gap: float = 150.0,
         least: float = 170.0) -> dict[Hashable, tuple[float, float]]:
    """``nodes`` (in the order given) on a circle around ``centre``, ``gap`` pixels apart."""
    if not nodes:
        return {}
    cx, cy = centre
    radius = max(least, gap * len(nodes) / (2 * math.pi))
    out = {}
    for i, v in enumerate(nodes):
        angle = 2 * math.pi * i / len(nodes) - math.pi / 2
        out[v] = (round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1))
    return out
