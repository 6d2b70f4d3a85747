"""A query worker: a separate process that opens the store and answers one query at a time.

The engine cannot stop a running query, so queries run here and the server kills a worker that
takes too long. Started as ``python -m inko_graph.server.query_worker KIND PATH``: KIND ``disk``
opens the on-disk store read-only, ``file`` loads an N-Quads dump into memory; both hold the
store's union graph, which queries use as their default graph (as the embedded store does). Messages on
stdin/stdout are pickles with a 4-byte length before each; stdout is kept for them alone.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys

_HEADER = struct.Struct(">I")
_EMPTY = "urn:x-inko:leerer-graph"
#: The store's named graphs without its union graph (the data of a worker does not change).
VISIBLE: list[str] | None = None


def read_frame(stream) -> object | None:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (n,) = _HEADER.unpack(head)
    data = stream.read(n)
    if len(data) < n:
        return None
    return pickle.loads(data)


def frame(obj) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def _die_with_parent() -> None:
    """Ask Linux to end this process when the server ends, even in the middle of a query."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def cut_network() -> bool:
    """Defence in depth: put this process into a new, empty network namespace, so that the engine's
    own HTTP client (``SERVICE``) reaches nothing even if a spelling got past the server's check
    (``limits``). Works as root, or where the kernel allows user namespaces; ``False`` otherwise."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return False
    newnet, newuser = 0x40000000, 0x10000000
    return libc.unshare(newnet) == 0 or libc.unshare(newuser | newnet) == 0


def open_source(kind: str, path: str):
    import pyoxigraph as ox

    if kind == "disk":
        return ox.Store.read_only(path)
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    return store


def execute(store, job: dict) -> tuple:
    """Run one job; returns the reply tuple sent to the server."""
    import pyoxigraph as ox

    from ..namespaces import PREFIXES
    from . import results

    kwargs: dict = {"prefixes": PREFIXES, "base_iri": job.get("base_iri")}
    if getattr(store, "remote", False) or not isinstance(store, ox.Store):
        # A SPARQL server's engine: its own dataset rules.
        if job.get("default_graphs") is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]] or [ox.NamedNode(_EMPTY)]
        else:
            kwargs["use_default_graph_as_union"] = job.get("union", True)
        if job.get("named_graphs") is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    else:
        # The same dataset as the embedded store's queries: the store's union graph (each triple once)
        # as default graph, every other graph named (inko_graph.store.union_dataset).
        from ..store import union_dataset

        default_graphs = job.get("default_graphs")
        if default_graphs is not None and not default_graphs:
            default_graphs = [_EMPTY]  # only named graphs given: the default graph is empty
        named = job.get("named_graphs")
        if named is not None and not named:
            named = [_EMPTY]
        kwargs.update(union_dataset(store, union=job.get("union", True), default_graphs=default_graphs,
                                    named_graphs=named, visible=VISIBLE))
    try:
        res = store.query(job["query"], **kwargs)
        formats = job["formats"]
        if isinstance(res, ox.QuerySolutions):
            fmt = formats.get("solutions")
            if fmt is None:
                return ("unacceptable", "solutions")
            variables = [v.value for v in res.variables]
            return deliver("solutions", fmt, (tuple(sol) for sol in res), job,
                           lambda items, out: results.write_solutions(fmt, variables, items, out))
        if isinstance(res, ox.QueryBoolean):
            fmt = formats.get("boolean")
            if fmt is None:
                return ("unacceptable", "boolean")
            return ("ok", "boolean", fmt, results.boolean_bytes(fmt, bool(res)), 1, False)
        fmt = formats.get("graph")
        if fmt is None:
            return ("unacceptable", "graph")
        return deliver("graph", fmt, iter(res), job, lambda items, out: results.write_graph(fmt, items, out))
    except SyntaxError as e:
        return ("syntax", str(e))
    except (OSError, ValueError, TypeError, RuntimeError) as e:
        # Evaluation errors of the engine (e.g. a type error in an aggregate); the query, not the worker, failed.
        return ("error", f"{type(e).__name__}: {e}")


#: Answers up to this many rows travel in the reply; longer ones are written to a file in the
#: server's spill folder row by row, so neither process holds them in memory.
SPILL_ROWS = 10_000


class _TooMany(Exception):
    pass


def _counted(first: list, rest, limit: int, seen: list):
    """The rows of ``first`` then ``rest``, counted into ``seen[0]``; past ``limit`` rows: _TooMany."""
    import itertools

    n = 0
    for item in itertools.chain(first, rest):
        n += 1
        if n > limit:
            raise _TooMany
        seen[0] = n
        yield item


def deliver(kind: str, fmt: str, items, job: dict, write) -> tuple:
    """The reply for an answer of rows or triples: in memory when short, else through a file.

    ``job["max_rows"]`` bounds the answer. With ``job["truncate"]`` (the HTML results page) the first
    ``max_rows`` are sent and the cut is said; otherwise a longer answer is refused as a whole
    (``("too_many", limit)``), never sent in part without a sign a client would see."""
    import itertools
    import tempfile

    from . import results

    limit = job["max_rows"]
    spill_dir = job.get("spill_dir")
    keep = limit if job.get("truncate") or not spill_dir else min(limit, job.get("spill_rows", SPILL_ROWS))
    first = list(itertools.islice(items, keep))
    extra = next(items, None)
    if extra is None:
        return ("ok", kind, fmt, _in_memory(write, first), len(first), False)
    if job.get("truncate"):
        return ("ok", kind, fmt, _in_memory(write, first), len(first), True)
    if not spill_dir or keep >= limit:
        return ("too_many", limit)
    fd, path = tempfile.mkstemp(dir=spill_dir, suffix=".antwort")
    seen = [0]
    try:
        with os.fdopen(fd, "wb") as out:
            write(_counted(first + [extra], items, limit, seen), out)
    except _TooMany:
        os.unlink(path)
        return ("too_many", limit)
    except BaseException:
        os.unlink(path)
        raise
    return ("ok", kind, fmt, ("datei", path), seen[0], False)


def _in_memory(write, items) -> bytes:
    import io

    buf = io.BytesIO()
    write(items, buf)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    global VISIBLE
    _die_with_parent()
    kind, path = argv[1], argv[2]
    cut_network()  # before any thread starts (a user namespace needs a single thread)
    # Ctrl+C in the terminal reaches the whole process group: the server handles it and ends the
    # workers; a worker's own KeyboardInterrupt would only print a traceback.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Keep the real stdout for messages; anything printed by accident goes to stderr.
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    inp = os.fdopen(os.dup(0), "rb", buffering=0)
    inp_buf = _Reader(inp)
    store = open_source(kind, path)
    from ..store import DOCUMENTS_GRAPH, UNION_GRAPH

    VISIBLE = [g.value for g in store.named_graphs() if getattr(g, "value", None) not in (UNION_GRAPH, DOCUMENTS_GRAPH)]
    _write_all(out, frame(("ready", os.getpid())))
    while True:
        job = read_frame(inp_buf)
        if job is None:
            return 0
        _write_all(out, frame(execute(store, job)))


def _write_all(out, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = out.write(view)
        view = view[n:]


class _Reader:
    """Read exactly ``n`` bytes from an unbuffered pipe."""

    def __init__(self, raw):
        self.raw = raw

    def read(self, n: int) -> bytes:
        chunks = []
        while n > 0:
            b = self.raw.read(n)
            if not b:
                break
            chunks.append(b)
            n -= len(b)
        return b"".join(chunks)


if __name__ == "__main__":  # pragma: no cover - runs as a subprocess
    sys.exit(main(sys.argv))
