"""Bulk loading into a new database together with the store's union graphs, in one pass
(``inko-graph load --ganz``; :func:`inko_graph.store.bulk_load_new` switches to the result)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .union import _D, _GRAPHART, _HIDDEN, _union_copies, curated_graphs, curated_in

__all__ = ["bulk_load_reads", "fill_new"]

#: Formats of one statement per line: the graphs described as curated are found by looking only
#: at the lines that name ``inko:graphart`` (checked against the loaded data afterwards).
_LINE_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES)


def bulk_load_reads(fmt: ox.RdfFormat) -> int:
    """How often :func:`fill_new` reads a source of this format through (for a progress bar's
    total): once for line formats, twice for the others (the curated graphs first)."""
    return 1 if fmt in _LINE_FORMATS else 2


class _Counted:
    """A binary file whose reads are reported (``progress(number_of_bytes)``)."""

    def __init__(self, fh, progress):
        self.fh, self.progress = fh, progress

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        if self.progress is not None:
            self.progress(len(data))
        return data

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.fh.close()


def _opener(source):
    """A function opening ``source`` (a path, bytes, or pieces of bytes) afresh for reading."""
    if isinstance(source, (str, Path)):
        return lambda progress=None: _Counted(open(source, "rb"), progress)
    data = source if isinstance(source, (bytes, bytearray)) else b"".join(source)
    return lambda progress=None: _Counted(io.BytesIO(data), progress)


def _lines_naming(fh, key: bytes, size: int = 16 << 20) -> bytes:
    """The lines of a line-based file that contain ``key``, found without parsing the others."""
    out, rest = [], b""
    while chunk := fh.read(size):
        data = rest + chunk
        cut = data.rfind(b"\n") + 1
        data, rest = data[:cut], data[cut:]
        pos = data.find(key)
        while pos >= 0:
            end = data.find(b"\n", pos) + 1
            out.append(data[data.rfind(b"\n", 0, pos) + 1:end])
            pos = data.find(key, end)
    if key in rest:
        out.append(rest + b"\n")
    return b"".join(out)


def fill_new(inner: ox.Store, source, fmt: ox.RdfFormat, progress=None) -> int:
    """Bulk-load ``source`` into the new database ``inner`` together with its union graphs, in one
    pass: each quad and its union copies go to the bulk loader as the file is parsed. The graphs
    described as curated are needed first (their triples stay out of one union): for line formats
    from the few lines naming ``inko:graphart``, otherwise from a first parse. Returns the number
    of quads read."""
    opened = _opener(source)
    if fmt == ox.RdfFormat.N_TRIPLES:
        curated: set = set()  # triples only: no named graph to describe
    elif fmt in _LINE_FORMATS:
        with opened() as fh:
            try:
                curated = curated_in(ox.parse(_lines_naming(fh, str(_GRAPHART).encode()), format=fmt))
            except SyntaxError:  # a broken line: the full pass below names its true line number
                curated = set()
    else:
        with opened(progress) as fh:
            curated = curated_in(ox.parse(fh, format=fmt))
    read = 0

    def counted(quads):
        nonlocal read
        for q in quads:
            read += 1
            yield q

    with opened(progress) as fh:
        inner.bulk_extend(_union_copies(counted(ox.parse(fh, format=fmt)), curated))
    for h in _HIDDEN:
        inner.add_graph(h)
    found = curated_graphs(inner)
    if found != curated:  # written in a way the line search missed (e.g. escaped characters)
        inner.clear_graph(_D)
        keep = [ox.Quad(q.subject, q.predicate, q.object, _D) for q in inner.quads_for_pattern(None, None, None)
                if q.graph_name not in _HIDDEN and q.graph_name not in found]
        inner.bulk_extend(keep)
    return read
