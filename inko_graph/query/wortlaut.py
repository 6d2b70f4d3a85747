"""The current wording of a concept whose Konzept workbook was uploaded.

An upload is the concept's current version; the version of its source document is the previous one
(see ``fassungen``). Both stay in the graph: the document graphs say what the document says (it
stays citable, and ``/aenderungen/konzept`` compares the two), the upload's graph says what holds
now. So a goal reworded in the workbook has two labels in the union of the graphs. Pages show the
current one: ``replaced`` reads which wording an upload replaces (query ``konzept-wortlaut-ersetzt``),
``current_rows`` puts the new wording into a query's rows in place of the old and drops the rows that
then repeat another (a query's OPTIONAL label gives one row per label).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..namespaces import GRAPH

#: The graphs of the uploaded Konzept workbooks (as ``konzept.importer`` writes them).
KONZEPT_GRAPHS = GRAPH + "konzept/"

__all__ = ["Wortlaut", "replaced", "current_rows", "current_text"]


@dataclass
class Wortlaut:
    """Old text -> {resource: new text}; old text -> the other resources that have it (there it holds)."""

    neu: dict[str, dict[str, str]] = field(default_factory=dict)
    andere: dict[str, set[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.neu)


def replaced(store, catalogue) -> Wortlaut:
    """The wording the uploaded concepts replace (empty without uploads)."""
    out = Wortlaut()
    if not any(g.startswith(KONZEPT_GRAPHS) for g in store.graph_names()):
        return out      # no upload: nothing to ask
    for sol in store.query(catalogue.get("konzept-wortlaut-ersetzt").text):
        alt, s = sol["alt"].value, sol["s"].value
        out.neu.setdefault(alt, {})[s] = sol["neu"].value
        if sol["andere"] is not None:
            out.andere.setdefault(alt, set()).add(sol["andere"].value)
    return out


def current_text(w: Wortlaut, iri: str, text: str) -> str:
    """``text`` of ``iri`` as the current version words it."""
    return w.neu.get(text, {}).get(iri, text)


def _new(w: Wortlaut, row: list, old: str) -> str | None:
    """The new wording for ``old`` in a row, if one of the row's resources had it and no other
    resource in the row still has it as its own (then the cell may be that resource's label)."""
    holders = w.neu[old]
    mine = [v for v in row if isinstance(v, str) and v in holders]
    if not mine or w.andere.get(old, set()).intersection(v for v in row if isinstance(v, str)):
        return None
    news = {holders[v] for v in mine}
    return news.pop() if len(news) == 1 else None


def current_rows(df, w: Wortlaut):
    """``df`` (a query's rows) with the current wording; rows that then repeat an unchanged row, or
    another changed one, are dropped. Unchanged rows stay as they are, repeated or not."""
    if not w or df is None or not len(df):
        return df
    olds = set(w.neu)
    from pandas.api.types import is_numeric_dtype

    cols = [c for c in df.columns if not is_numeric_dtype(df[c].dtype)]
    hit = None
    for c in cols:
        m = df[c].isin(olds)
        hit = m if hit is None else (hit | m)
    if hit is None or not hit.any():
        return df
    df = df.copy()
    changed = set()
    for i in df.index[hit]:
        row = df.loc[i].tolist()
        for c in cols:
            v = df.at[i, c]
            if isinstance(v, str) and v in olds:
                new = _new(w, row, v)
                if new is not None:
                    df.at[i, c] = new
                    changed.add(i)
    if not changed:
        return df
    key = [tuple(r) for r in df.astype(str).itertuples(index=False)]
    seen = {k for i, k in zip(df.index, key) if i not in changed}
    keep = []
    for i, k in zip(df.index, key):
        if i in changed:
            if k in seen:
                continue
            seen.add(k)
        keep.append(i)
    return df.loc[keep].reset_index(drop=True)
