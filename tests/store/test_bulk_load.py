"""``bulk_load.fill_new``: a new database gets its quads and the store's union graphs in one pass,
the same union graphs the store's SPARQL upkeep computes (``store.UNION_RESYNC``)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from inko_graph.store.bulk_load import _lines_naming, fill_new
from inko_graph.store.union import _D, _U, UNION_RESYNC

EX = "https://example.org/"
GRAPHART = "<https://w3id.org/inko/def#graphart>"
KURATIERT = "<https://w3id.org/inko/id/vokabular/graphart/kuratiert>"
#: A triple in a curated graph only, one in a curated and a document graph, a blank node, the
#: default graph, a quad naming a union graph (left to the store), and the description of the
#: curated graph at the end (after its triples).
DATA = (f'<{EX}a> <{EX}p> "nur kuratiert" <{EX}g/kur> .\n'
        f'<{EX}b> <{EX}p> "beides" <{EX}g/kur> .\n'
        f'<{EX}b> <{EX}p> "beides" <{EX}g/dok> .\n'
        f'_:x <{EX}p> <{EX}c> <{EX}g/dok> .\n'
        f'<{EX}d> <{EX}p> "Standardgraph" .\n'
        f'<{EX}e> <{EX}p> "fremd" <urn:x-inko:vereinigung> .\n'
        f'<{EX}g/kur> {GRAPHART} {KURATIERT} <{EX}g/meta> .\n')


def _plain(quads) -> set:
    """The quads with their one blank node named alike (loaders may rename blank nodes)."""
    b = ox.BlankNode("b")
    return {ox.Quad(b if isinstance(q.subject, ox.BlankNode) else q.subject, q.predicate, q.object, q.graph_name)
            for q in quads}


def _reference(data: bytes) -> set:
    ref = ox.Store()
    ref.load(data, format=ox.RdfFormat.N_QUADS)
    ref.remove_graph(_U)
    ref.update(UNION_RESYNC)
    return _plain(ref)


@pytest.mark.parametrize("data", [DATA, DATA.replace("graphart>", "graph\\u0061rt>")], ids=["klar", "maskiert"])
def test_union_graphs_as_the_store_keeps_them(data):
    st = ox.Store()
    assert fill_new(st, data.encode(), ox.RdfFormat.N_QUADS) == 7
    got = set(st)
    assert _plain(got) == _reference(data.encode())
    # The curated graph's own triple is in the union but not in the union without curated graphs;
    # one also stated in a document graph is in both; so is the blank node, the same node.
    a = ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("nur kuratiert"))
    assert ox.Quad(*a, _U) in got and ox.Quad(*a, _D) not in got
    b = ox.Triple(ox.NamedNode(EX + "b"), ox.NamedNode(EX + "p"), ox.Literal("beides"))
    assert ox.Quad(*b, _D) in got
    blank = {q.subject for q in got if isinstance(q.subject, ox.BlankNode)}
    assert len(blank) == 1
    assert not any(q.subject == ox.NamedNode(EX + "e") for q in got)


def test_trig_with_anonymous_blank_nodes_keeps_one_node_per_blank():
    trig = f"<{EX}g/dok> {{ <{EX}s> <{EX}p> [ <{EX}q> 1 ] }}".encode()
    st = ox.Store()
    assert fill_new(st, trig, ox.RdfFormat.TRIG) == 2
    blank = {q.object for q in st if q.predicate == ox.NamedNode(EX + "p")}
    assert len(blank) == 1 and len(set(st)) == 6


def test_lines_naming_finds_lines_across_chunk_ends():
    import io

    data = b"".join(b"<x> <y> <z%d> .\n" % i for i in range(50)) + b"<k> " + GRAPHART.encode() + b" <v> <g> ."
    lines = _lines_naming(io.BytesIO(data), GRAPHART.encode(), size=7)
    assert lines == b"<k> " + GRAPHART.encode() + b" <v> <g> .\n"
    two = b"a\n" + GRAPHART.encode() + b" 1\nb\n" + GRAPHART.encode() + b" 2\n"
    assert _lines_naming(io.BytesIO(two), GRAPHART.encode(), size=5).splitlines() == [GRAPHART.encode() + b" 1",
                                                                                          GRAPHART.encode() + b" 2"]


def test_a_new_store_gets_the_same_union_graphs_in_one_load():
    """``OxigraphStore.load_quads`` on an empty store (the build) bulk-loads quads and union copies
    at once; a second call brings the unions up to date the SPARQL way; both agree with it."""
    from inko_graph.store import OxigraphStore

    quads = list(ox.parse(DATA.encode(), format=ox.RdfFormat.N_QUADS))
    first = OxigraphStore.memory()
    first.load_quads(q for q in quads if q.graph_name != _U)
    assert _plain(first.inner) == _reference(DATA.encode())
    half = OxigraphStore.memory()
    half.load_quads(quads[:3])
    half.load_quads(q for q in quads[3:] if q.graph_name != _U)
    assert _plain(half.inner) == _reference(DATA.encode())


#: Two blank nodes, each used on lines far apart (in subject and object place), a triple stated in
#: a curated and a document graph, one in the default graph, and the description of the curated
#: graph in the middle of the file.
_FAR = "".join(f'<{EX}f{i}> <{EX}p> "{i}" <{EX}g/dok> .\n' for i in range(200))
FILE = (f'_:eins <{EX}p> _:zwei <{EX}g/dok> .\n'
        f'<{EX}b> <{EX}p> "beides" <{EX}g/kur> .\n' + _FAR
        + f'<{EX}g/kur> {GRAPHART} {KURATIERT} <{EX}g/meta> .\n'
        f'<{EX}c> <{EX}q> _:eins <{EX}g/kur> .\n'
        f'_:zwei <{EX}q> "zwei" .\n' + _FAR.replace("g/dok", "g/andere")
        + f'<{EX}b> <{EX}p> "beides" <{EX}g/dok> .\n'
        f'_:eins <{EX}q> "eins" <{EX}g/andere> .\n')


def _canonical(quads) -> set:
    """The quads with their blank nodes named canonically (loaders may rename them)."""
    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(ds)


@pytest.mark.parametrize("fmt, suffix", [(ox.RdfFormat.N_QUADS, "nq"), (ox.RdfFormat.TRIG, "trig")])
def test_bulk_load_on_disk_equals_write_union_graph(tmp_path, fmt, suffix):
    """The fast load (a file into a new database on disk) and the reference (the file's quads,
    then ``write_union_graph``) hold the same quads, blank nodes included."""
    from inko_graph.store import bulk_load_new, open_store, write_union_graph

    quads = list(ox.parse(FILE.encode(), format=ox.RdfFormat.N_QUADS))
    path = tmp_path / f"d.{suffix}"
    path.write_bytes(ox.serialize(quads, format=fmt))
    assert bulk_load_new(tmp_path / "store", path, fmt) == len(quads)
    st = open_store(tmp_path / "store", read_only=True)
    got = list(st.inner)
    del st
    ref = ox.Store()
    ref.extend(quads)
    write_union_graph(ref)
    assert _canonical(got) == _canonical(ref)
    # Each blank node stays one node: in its graph and in both unions.
    assert len({t for q in got for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}) == 2
    b = ox.Triple(ox.NamedNode(EX + "b"), ox.NamedNode(EX + "p"), ox.Literal("beides"))
    c = [q for q in got if q.subject == ox.NamedNode(EX + "c")]
    assert ox.Quad(*b, _D) in got and {q.graph_name for q in c} == {ox.NamedNode(EX + "g/kur"), _U}
