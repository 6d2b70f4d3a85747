"""Build: read every source, validate the whole, and only then write the store in one step."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import ConfigError, JournalConflict, NotConformant
from ..faults import point
from ..namespaces import IMPORT_GRAPH_PREFIXES
from ..settings import Settings
from ..store import journal
from ..store import (OxigraphStore, commit_store_dir, fill_with_union, new_store_dir, open_store, storage_error,
                     store_from_settings)
from .sources import Dataset, read_sources

if TYPE_CHECKING:  # the validation modules load pySHACL: only the build needs them, not the readers
    from ..validation.shacl import Report

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
    from ..raster.examples import read_examples  # the example Raster submissions of graph_data/raster

    for graph, triples in read_examples(settings, ds).items():
        ds.add(graph, triples)
    return ds


def validate_dataset(ds: Dataset, settings: Settings, *, infos: bool = True, engine: str = "sparql",
                     workers: int = 1, extra=()) -> Report:
    """Validate everything with the shapes.

    ``engine="sparql"`` compiles the shapes to one SPARQL query per rule (``shapecheck``, about ten
    times faster); ``"pyshacl"`` is the reference engine. Tests hold both to the same results."""
    triples = [t for ts in ds.graphs.values() for t in ts] + list(extra)
    shapes = settings.ontology_dir / "shapes.ttl"
    if engine == "pyshacl":
        from ..validation.shacl import validate_triples

        return validate_triples(triples, shapes, infos=infos, workers=workers)
    from ..validation.shapecheck import check

    return check(triples, [], shapes, infos=infos)


def _journal_problems(report: Report, ds: Dataset, replayed) -> list[str]:
    """The violations inside graphs written by journal entries, each naming its entry."""
    if not replayed.origin:
        return []
    where: dict[str, set[str]] = {}
    for g in replayed.origin:
        for t in ds.graphs.get(g, ()):
            where.setdefault(t.subject.value, set()).add(g)
    out = []
    for r in report.results:
        if r.severity != "Violation":
            continue
        for g in sorted(where.get(r.focus, ())):
            entry = replayed.origin[g]
            out.append(f"{entry.describe()}, Graph <{g}>: {report.labels.get(r.focus, r.focus)}: {r.message_de}")
    return out


def _all_quads(ds: Dataset, replayed):
    """The dataset's quads, then the default-graph triples the journal replayed."""
    yield from ds.quads()
    for t in replayed.default:
        yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())


def _write_store(settings: Settings, ds: Dataset, replayed) -> OxigraphStore:
    """A new database beside the current one, filled, marked with the journal entries it holds, and
    switched to in one step. A failure (a full disk) removes the new database again."""
    root = Path(settings.store_path)
    target = None
    try:
        target = new_store_dir(root)
        inner = ox.Store(str(target))
        fill_with_union(inner, _all_quads(ds, replayed))  # with the default graph of queries: each triple once
        point("build.vor-flush")
        inner.flush()
        del inner  # release the database lock before it is opened through ``current``
        journal.mark_applied(target, replayed.last)
        point("build.vor-umschalten")
        commit_store_dir(root, target)
    except OSError as e:
        _discard(root, target)
        raise storage_error(e, root) from None
    except BaseException:
        _discard(root, target)
        raise
    store = open_store(root)
    _follow_journal(settings, store)
    return store


def _discard(root: Path, target: Path | None) -> None:
    """Remove a new database that did not become the current one."""
    if target is None:
        return
    try:
        if os.readlink(root / "current") == target.name:
            return
    except OSError:
        pass
    shutil.rmtree(target, ignore_errors=True)
    (root / f"applied-{target.name}").unlink(missing_ok=True)


def _follow_journal(settings: Settings, store: OxigraphStore) -> None:
    """Apply journal entries the database lacks, now and whenever the store reopens after a rebuild."""
    def on_reopen(st):
        journal.catch_up(settings, st)

    store.on_reopen = on_reopen
    store.write_lock = journal.write_lock()
    journal.catch_up(settings, store)


def _check_store_path(settings: Settings) -> None:
    p = settings.store_path
    if p is not None and Path(p).exists() and not Path(p).is_dir():
        raise ConfigError(f"Der Speicher {p} ist eine Datei, kein Ordner. Bitte mit --store (oder INKO_STORE) "
                          "einen Ordner angeben.")


def build(settings: Settings, *, engine: str = "sparql", workers: int = 1) -> BuildResult:
    """Read graph_data/ and replay the journal, validate, and write a new store.
    On any error the old store stays as it was."""
    _check_store_path(settings)
    t0 = time.perf_counter()
    ds = read_all(settings)
    replayed = journal.replay(settings, ds)
    if settings.sparql_server is not None:  # a SPARQL server keeps the imports itself
        from ..store.remote import carry_over_imports

        carry_over_imports(settings, ds, IMPORT_GRAPH_PREFIXES)
    t1 = time.perf_counter()
    report = validate_dataset(ds, settings, engine=engine, workers=workers, extra=replayed.default)
    t2 = time.perf_counter()
    if not report.conforms:
        problems = _journal_problems(report, ds, replayed)
        if problems:
            raise JournalConflict(report, problems)
        raise NotConformant(report)
    if settings.sparql_server is not None:
        store = store_from_settings(settings)
        store.replace_all(ds.graphs, journal_seq=replayed.last)  # staged, then swapped in one update request
        journal.catch_up(settings, store)  # entries accepted while this build ran
    elif settings.store_path is None:
        store = OxigraphStore.memory()
        # One load: a second would bring the union graphs up to date by comparing the whole store.
        store.load_quads(_all_quads(ds, replayed))
    else:
        store = _write_store(settings, ds, replayed)
    t3 = time.perf_counter()
    return BuildResult(store=store, report=report, triples=len(store), graphs=len(ds.graphs),
                       seconds={"lesen": t1 - t0, "prüfen": t2 - t1, "speichern": t3 - t2})


def ensure_built(settings: Settings) -> OxigraphStore:
    """The store, built first if it is empty (a fresh clone, or an in-memory store).

    A store another program holds (the server) or on a read-only folder is opened read-only;
    ``settings.extra["nur_lesen"]`` asks for read-only directly (the commands that only read)."""
    _check_store_path(settings)
    if settings.sparql_server is not None:
        store = store_from_settings(settings)
        if not store.graph_names():
            return build(settings).store
        if not (settings.extra or {}).get("nur_lesen"):
            journal.catch_up(settings, store)  # an entry whose writer stopped before applying it
        return store
    if settings.store_path is not None and (settings.store_path / "current").exists():
        store = open_store(settings.store_path, read_only=bool((settings.extra or {}).get("nur_lesen")))
        if len(store):
            if not store.read_only:
                _follow_journal(settings, store)
            return store
        del store
    return build(settings).store
