"""The example Raster submissions in ``graph_data/raster/`` that the build reads, one graph per
actor and year. (Accepted uploads are in the journal, :mod:`inko_graph.store.journal`.)

Each example file (``.csv`` in the one-file layout, or ``.xlsx``) goes through the same reading and
mapping as an upload, against the vocabularies, goals and actors of the documents read before it;
the build then validates it with everything else. A file with a problem stops the build with
the file's problems listed.

Reading and mapping the workbooks is the slow part of a build, so its result is kept in a cache
(``var/store-cache`` beside the store, else the user's cache folder), keyed by the content hashes
of the example files and of everything the mapping depends on: the files of the documents read
before them, the queries, the Raster code and the settings it uses. Any change there maps again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["read_examples", "example_files", "cache_dir", "cache_key"]

_SUFFIXES = (".csv", ".xlsx")
_CODE = Path(__file__).resolve().parent.parent  # the package inko_graph


def example_files(settings) -> list[Path]:
    folder = settings.data_dir / "raster"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in _SUFFIXES and not p.name.startswith((".", "~$")))


def cache_dir(settings) -> Path | None:
    given = (settings.extra or {}).get("cache_dir") or os.environ.get("INKO_CACHE_DIR")
    if given:
        return Path(given)
    if settings.store_path is not None:
        store = Path(settings.store_path)
        return store.parent / f"{store.name}-cache"
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "inko-graph"


def cache_key(settings, dataset, files: list[Path]) -> str:
    """A hash of every input of the mapping (see the module's description)."""
    h = hashlib.sha256()

    def add_file(p: Path) -> None:
        h.update(str(p.name).encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())

    for p in files:
        add_file(p)
    h.update(b"--documents--")
    for graph in sorted(dataset.files):
        h.update(graph.encode() + b"\0")
        for p in dataset.files[graph]:
            add_file(p)
    h.update(b"--queries--")
    for p in sorted(Path(settings.queries_dir).glob("*.rq")):
        add_file(p)
    h.update(b"--code--")
    for p in sorted(_CODE.joinpath("raster").glob("*.py")) + [_CODE / "query" / "catalogue.py"]:
        add_file(p)
    h.update(repr((settings.base_iri, settings.language, settings.max_upload_bytes)).encode())
    return h.hexdigest()


def _load_cached(path: Path) -> dict | None:
    import pyoxigraph as ox

    try:
        head, _, data = path.read_bytes().partition(b"\n")
        if head != b"# sha256 " + hashlib.sha256(data).hexdigest().encode():
            return None  # cut short (e.g. by a power cut): map again
        out: dict = {}
        for q in ox.parse(data, format=ox.RdfFormat.N_QUADS):
            out.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
        return out
    except (OSError, SyntaxError, ValueError):
        return None


def _store_cached(folder: Path, path: Path, graphs: dict) -> None:
    """Written to a temporary file and renamed; a full or read-only disk only means no cache."""
    import pyoxigraph as ox

    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("raster-beispiele-*.nq"):
            old.unlink(missing_ok=True)  # one generation is enough
        body = ox.serialize([ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                             for g, ts in graphs.items() for t in ts], format=ox.RdfFormat.N_QUADS)
        tmp.write_bytes(b"# sha256 " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def read_examples(settings, dataset) -> dict:
    """``{graph IRI: triples}`` of every example submission, from the cache when nothing changed."""
    files = example_files(settings)
    if not files:
        return {}
    folder = cache_dir(settings)
    key = cache_key(settings, dataset, files)
    cached = folder / f"raster-beispiele-{key[:32]}.nq" if folder is not None else None
    if cached is not None and cached.exists():
        graphs = _load_cached(cached)
        if graphs is not None:
            return graphs
    graphs = _read_examples(settings, dataset, files)
    if cached is not None:
        _store_cached(folder, cached, graphs)
    return graphs


def _read_examples(settings, dataset, files: list[Path]) -> dict:
    from ..errors import InputError
    from .importer import prepare
    from ..store import OxigraphStore

    store = OxigraphStore.memory()  # the documents read so far, to match labels against
    store.load_quads(dataset.quads())
    out: dict = {}
    origin: dict[str, Path] = {}
    for path in files:
        mapped = prepare(path.read_bytes(), path.name, store, settings, lang=settings.language)
        if mapped.graph in out:
            raise InputError(f"meldet dasselbe Jahr desselben Akteurs wie {origin[mapped.graph].name} "
                             f"(„{mapped.actor_label}“, {mapped.year})", source=str(path))
        out[mapped.graph] = mapped.triples
        origin[mapped.graph] = path
        store.replace_graphs({mapped.graph: mapped.triples})  # later examples may name this actor as partner
    return out
