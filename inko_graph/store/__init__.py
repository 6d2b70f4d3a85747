"""The store behind one small interface: the embedded pyoxigraph store (``embedded``), a SPARQL 1.1
server in its place (``remote``, ``remote_protocol``), and the journal of accepted writes
(``journal``). Callers take the interface from the package; the modules import each other."""

from __future__ import annotations

from .embedded import (DOCUMENTS_GRAPH, UNION_GRAPH, OxigraphStore, bulk_load_new, commit_store_dir, new_store_dir,
                       open_store, remove_unused, storage_error, store_from_settings, union_dataset, write_union_graph)

__all__ = ["OxigraphStore", "open_store", "store_from_settings", "new_store_dir", "commit_store_dir", "remove_unused",
           "bulk_load_new", "storage_error", "UNION_GRAPH", "DOCUMENTS_GRAPH", "write_union_graph", "union_dataset"]
