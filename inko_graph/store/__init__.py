"""The store behind one small interface: the embedded pyoxigraph store (``embedded``) with its union
graphs (``union``), its folders on disk (``disk``) and its bulk load (``bulk_load``); a SPARQL 1.1
server in its place (``remote``, ``remote_protocol``, ``remote_virtuoso``); the journal of accepted
writes (``journal``); the tokens of SPARQL text (``sparql_tokens``). Callers take the interface from
the package; the modules import each other."""

from __future__ import annotations

from .disk import (bulk_load_new, commit_store_dir, new_store_dir, open_store, remove_unused, storage_error,
                   store_from_settings)
from .embedded import OxigraphStore
from .union import (DOCUMENTS_GRAPH, UNION_GRAPH, curated_graphs, curated_in, fill_with_union, union_dataset,
                    write_union_graph)

__all__ = ["OxigraphStore", "open_store", "store_from_settings", "new_store_dir", "commit_store_dir", "remove_unused",
           "bulk_load_new", "storage_error", "UNION_GRAPH", "DOCUMENTS_GRAPH", "write_union_graph", "fill_with_union",
           "curated_graphs", "curated_in", "union_dataset"]
