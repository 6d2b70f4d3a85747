"""What the store's union graphs cost (``store.UNION_GRAPH``, ``store.DOCUMENTS_GRAPH``): writing
them after a bulk load, keeping them up to date when one graph is replaced and after a SPARQL
Update, and a whole-store count through them against the engine's own union view (a bag).

    .venv/bin/python bench/bench_union.py --quads 100000 300000

Synthetic data: 50 graphs, every tenth triple stated in two graphs.
"""

from __future__ import annotations

import argparse
import time

import pyoxigraph as ox

from inko_graph.store import OxigraphStore, write_union_graph


def _data(n: int) -> list[ox.Quad]:
    preds = [ox.NamedNode(f"http://example.org/p/{i}") for i in range(20)]
    out = []
    for i in range(n):
        t = (ox.NamedNode(f"http://example.org/s/{i // 3}"), preds[i % 20], ox.Literal(f"v{i}"))
        out.append(ox.Quad(*t, ox.NamedNode(f"http://example.org/g/{i % 50}")))
        if i % 10 == 0 and len(out) < n:
            out.append(ox.Quad(*t, ox.NamedNode(f"http://example.org/g/{(i + 1) % 50}")))
    return out[:n]


def _timed(f) -> float:
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def run(n: int) -> None:
    inner = ox.Store()
    inner.bulk_extend(_data(n))
    write = _timed(lambda: write_union_graph(inner))
    st = OxigraphStore(inner)
    g = "http://example.org/g/7"
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in st.quads(g)]
    replace = _timed(lambda: st.replace_graphs({g: triples[: len(triples) // 2]}))
    update = _timed(lambda: st.update("INSERT DATA { GRAPH <http://example.org/g/neu> { <urn:x:a> <urn:x:b> 1 } }"))
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    via_union = _timed(lambda: list(st.query(q)))
    via_bag = _timed(lambda: list(inner.query(q, use_default_graph_as_union=True)))
    print(f"{n:>9} Quads: Vereinigung schreiben {write:.2f} s; einen Graphen ({len(triples)} Tripel) ersetzen "
          f"{replace:.3f} s; SPARQL Update (ganze Vereinigung vergleichen) {update:.2f} s; "
          f"COUNT(*) über die Vereinigung {via_union:.3f} s, über die Sicht der Engine {via_bag:.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quads", type=int, nargs="+", default=[100_000])
    for n in ap.parse_args().quads:
        run(n)


if __name__ == "__main__":
    main()
