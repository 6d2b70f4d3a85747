"""Build: read every source, validate the whole, and only then write the store in one step."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import NotConformant
from .namespaces import GRAPH
from .settings import Settings
from .sources import Dataset, read_sources
from .store import OxigraphStore, commit_store_dir, new_store_dir, open_store
from .validate import Report, validate_triples

__all__ = ["BuildResult", "build", "read_all", "validate_dataset", "ensure_built"]


@dataclass
class BuildResult:
    store: OxigraphStore
    report: Report
    triples: int
    graphs: int
    seconds: dict[str, float] = field(default_factory=dict)


def read_all(settings: Settings) -> Dataset:
    """The document graphs of ``graph_data/`` plus the example Raster submissions."""
    ds = read_sources(settings)
    from .raster_examples import read_examples  # the example Raster submissions of graph_data/raster

    for graph, triples in read_examples(settings, ds).items():
        ds.add(graph, triples)
    return ds


def validate_dataset(ds: Dataset, settings: Settings, *, infos: bool = True, engine: str = "sparql",
                     workers: int = 1) -> Report:
    """Validate everything with the shapes.

    ``engine="sparql"`` compiles the shapes to one SPARQL query per rule (``shapecheck``, about ten
    times faster); ``"pyshacl"`` is the reference engine. Tests hold both to the same results."""
    triples = [t for ts in ds.graphs.values() for t in ts]
    shapes = settings.ontology_dir / "shapes.ttl"
    if engine == "pyshacl":
        return validate_triples(triples, shapes, infos=infos, workers=workers)
    from .shapecheck import check

    return check(triples, [], shapes, infos=infos)


#: Graphs written by imports (actors' Raster submissions, statistics), not by graph_data/.
IMPORT_GRAPH_PREFIXES = (GRAPH + "raster/", GRAPH + "statistik/")


def _carry_over_imports(settings: Settings, ds: Dataset) -> int:
    """Add the imported graphs of the current on-disk store, so that a rebuild loses no submission.

    They are validated again with everything else: a change in graph_data/ that breaks an import
    stops the build instead of dropping the import."""
    if settings.store_path is None or not (settings.store_path / "current").exists():
        return 0
    old = open_store(settings.store_path)
    carried = 0
    for name in old.graph_names():
        if name.startswith(IMPORT_GRAPH_PREFIXES) and name not in ds.graphs:
            ds.add(name, [ox.Triple(q.subject, q.predicate, q.object) for q in old.quads(name)])
            carried += 1
    del old  # release the database before the new one is written
    return carried


def build(settings: Settings, *, engine: str = "sparql", workers: int = 1) -> BuildResult:
    """Read, validate, and write a new store. On any error the old store stays as it was."""
    t0 = time.perf_counter()
    ds = read_all(settings)
    _carry_over_imports(settings, ds)
    t1 = time.perf_counter()
    report = validate_dataset(ds, settings, engine=engine, workers=workers)
    t2 = time.perf_counter()
    if not report.conforms:
        raise NotConformant(report)
    if settings.store_path is None:
        store = OxigraphStore.memory()
        store.load_quads(ds.quads())
    else:
        target = new_store_dir(settings.store_path)
        inner = ox.Store(str(target))
        inner.bulk_extend(ds.quads())
        inner.flush()
        del inner  # release the database lock before it is opened through ``current``
        commit_store_dir(settings.store_path, target)
        store = open_store(settings.store_path)
    t3 = time.perf_counter()
    return BuildResult(store=store, report=report, triples=len(store), graphs=len(ds.graphs),
                       seconds={"lesen": t1 - t0, "prüfen": t2 - t1, "speichern": t3 - t2})


def ensure_built(settings: Settings) -> OxigraphStore:
    """The store, built first if it is empty (a fresh clone, or an in-memory store)."""
    if settings.store_path is not None and (settings.store_path / "current").exists():
        store = open_store(settings.store_path)
        if len(store):
            return store
        del store
    return build(settings).store
