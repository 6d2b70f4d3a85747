"""What an uploaded concept no longer contains („in der hochgeladenen Fassung gestrichen“).

An upload of the Konzept workbook is the concept's current version (see ``wortlaut``). The source
document's graphs keep what they say, so a goal or measure the upload left out is still stated
there and would go on counting. ``struck`` reads these items (query ``konzept-gestrichen``: a
Handlungsfeld, Ziel, Maßnahme or Indikator stated for the concept outside its upload, absent from
the upload, and stated for no other concept).

The pages then ask their queries of the current statements (``current_store``): a copy of the
embedded store without the statements outside the uploads that name a struck item. So every
count the queries make (COUNT, HAVING, a goal whose only measure was struck becoming a gap)
follows, not only the rows that name the item. A store elsewhere (a SPARQL server) is not copied;
there ``without_struck`` drops the rows that name a struck item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..namespaces import INKO, PREFIXES
from .wortlaut import KONZEPT_GRAPHS

_RDF_TYPE = PREFIXES["rdf"] + "type"
_KONZEPT = INKO + "Konzept"

__all__ = ["Gestrichen", "Eintrag", "struck", "current_store", "without_struck"]


@dataclass(frozen=True)
class Eintrag:
    """A struck item: its class, the concept and the graph of the upload that no longer has it."""

    art: str
    konzept: str
    fassung: str


@dataclass
class Gestrichen:
    """The struck items (IRI -> ``Eintrag``) and, if made, the store of the current statements."""

    eintraege: dict[str, Eintrag] = field(default_factory=dict)
    store: object | None = None

    def __bool__(self) -> bool:
        return bool(self.eintraege)

    def __contains__(self, iri) -> bool:
        return iri in self.eintraege


def struck(store, catalogue, *, copy: bool = True) -> Gestrichen:
    """The items the uploaded concepts no longer contain (empty without uploads), with the store of
    the current statements if there are any and the store is the embedded one (``copy``)."""
    from .catalogue import run

    out = Gestrichen()
    uploads = [g for g in store.graph_names() if g.startswith(KONZEPT_GRAPHS)]
    if not uploads:
        return out      # no upload: nothing to ask
    # The concept of each upload (its graph is small), so that the query is asked per concept:
    # a bound concept leads it (at 10^5 triples 60 ms instead of a second).
    konzepte = sorted({q.subject.value for g in uploads for q in store.quads(g)
                       if q.predicate.value == _RDF_TYPE and q.object.value == _KONZEPT})
    query = catalogue.get("konzept-gestrichen")
    for k in konzepte:
        for r in run(store, query, {"konzept": k}).itertuples(index=False):
            out.eintraege.setdefault(r.s, Eintrag(r.art, r.konzept, r.fassung))
    if out and copy:
        out.store = current_store(store, set(out.eintraege))
    return out


def current_store(store, items: set[str]):
    """A copy of ``store`` without the statements of other graphs than the uploads whose subject or
    object is one of ``items`` (removed from the union graphs too, unless an upload states them
    itself); ``None`` for a store that is not the embedded one.

    A store on disk is copied as a checkpoint of its database beside it (hard links: a fifth of a
    second at 10^5 triples) that goes when the copy is no longer used; a store in memory, or a
    checkpoint that cannot be made, through an N-Quads dump in memory (seconds at 10^5)."""
    import pyoxigraph as ox

    from ..store import OxigraphStore
    from ..store.union import _HIDDEN

    if not isinstance(store, OxigraphStore):
        return None
    out = _checkpoint(store) if store.path is not None else None
    if out is None:
        inner = ox.Store()
        inner.bulk_load(store.inner.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        for h in _HIDDEN:
            if store.inner.contains_named_graph(h):
                inner.add_graph(h)
        out = OxigraphStore(inner)
    inner = out.inner
    nodes = [ox.NamedNode(i) for i in items]
    naming = {q for n in nodes for q in (*inner.quads_for_pattern(n, None, None, None),
                                         *inner.quads_for_pattern(None, None, n, None))}
    uploads = {q.graph_name for q in naming
               if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(KONZEPT_GRAPHS)}
    stated = {q.triple for q in naming if q.graph_name in uploads}
    for q in naming:
        if q.graph_name not in uploads and not (q.graph_name in _HIDDEN and q.triple in stated):
            inner.remove(q)
    return out


def _checkpoint(store):
    """A checkpoint of the database of ``store`` in a new folder beside its store folder, opened
    for writing; the folder is removed with the copy. ``None`` if the file system refuses."""
    import shutil
    import tempfile
    import weakref
    from pathlib import Path

    import pyoxigraph as ox

    from ..store import OxigraphStore

    base = Path(store.root or store.path.parent)
    try:
        folder = Path(tempfile.mkdtemp(prefix=base.name + "-aktuell-", dir=base.parent))
    except OSError:
        return None
    try:
        store.inner.backup(str(folder / "db"))
        out = OxigraphStore(ox.Store(str(folder / "db")))
    except (OSError, RuntimeError):   # no room, no hard links, a database that refuses
        shutil.rmtree(folder, ignore_errors=True)
        return None
    # Set after the database: a copy's attributes go in the order they were set, so the database
    # is closed before its folder is removed (else it could write its last files into it).
    out.checkpoint_folder = _Folder()
    weakref.finalize(out.checkpoint_folder, shutil.rmtree, str(folder), True)
    return out


class _Folder:
    """Stands for the folder of a checkpoint: removed when this goes (see ``_checkpoint``)."""


def without_struck(df, g: Gestrichen):
    """``df`` (a query's rows) without the rows that name a struck item."""
    if not g or df is None or not len(df):
        return df
    from pandas.api.types import is_numeric_dtype

    items = set(g.eintraege)
    hit = None
    for c in df.columns:
        if not is_numeric_dtype(df[c].dtype):
            m = df[c].isin(items)
            hit = m if hit is None else (hit | m)
    if hit is None or not hit.any():
        return df
    return df[~hit].reset_index(drop=True)
