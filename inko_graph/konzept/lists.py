"""The allowed values of the Konzept workbook, read from the graph, for one Gebiet or for all.

Kreisziele are the goals of the concepts of the larger Gebiete a town lies in (for a town of the
Ennepe-Ruhr-Kreis: the Kreis's concept); a town with no such concept gets an empty list.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..namespaces import ID, PREFIXES
from ..query.catalogue import run
from ..raster.vocab import Term, _goals, _scheme, catalogue, load_areas, load_vocabulary
from .columns import ZIELARTEN

__all__ = ["Lists", "load_lists", "for_area", "load_base", "ancestors"]

_V = ID + "vokabular/"


@dataclass
class Lists:
    area: Term | None
    lebensphasen: list[Term] = field(default_factory=list)
    zielgruppen: list[Term] = field(default_factory=list)
    zustaendigkeiten: list[Term] = field(default_factory=list)
    zeithorizonte: list[Term] = field(default_factory=list)
    indikatorarten: list[Term] = field(default_factory=list)
    akteursarten: list[Term] = field(default_factory=list)
    gebiete: list[Term] = field(default_factory=list)        # what the template offers
    alle_gebiete: list[Term] = field(default_factory=list)   # what the importer knows
    zielarten: list[Term] = field(default_factory=list)
    kreisziele: list[Term] = field(default_factory=list)
    akteure: list[Term] = field(default_factory=list)
    konzept_gebiet: dict[str, str] = field(default_factory=dict)  # concept IRI -> Gebiet IRI

    def sheets(self) -> dict[str, list[Term]]:
        """The list sheets of the template, in order."""
        return {"Lebensphasen": self.lebensphasen, "Zielgruppen": self.zielgruppen,
                "Zuständigkeiten": self.zustaendigkeiten, "Zeithorizonte": self.zeithorizonte,
                "Zielarten": self.zielarten, "Indikatorarten": self.indikatorarten,
                "Akteursarten": self.akteursarten, "Gebiete": self.gebiete, "Kreisziele": self.kreisziele,
                "Bekannte Akteure": self.akteure}


def ancestors(area: str, gebiete: list[Term]) -> list[str]:
    """The larger Gebiete ``area`` lies in, nearest first (``inko:liegtIn``, followed transitively)."""
    up = {t.iri: list(t.areas) for t in gebiete}
    out, todo = [], list(up.get(area, []))
    while todo:
        g = todo.pop(0)
        if g not in out and g != area:
            out.append(g)
            todo += up.get(g, [])
    return out


def _zielarten() -> list[Term]:
    return [Term(iri=PREFIXES["inko"] + local, label=name, display=name) for name, local in ZIELARTEN.items()]


def load_lists(store, queries_dir: Path, area: Term | None) -> Lists:
    """Every list, for ``area`` (a Gebiet term) or for all."""
    return for_area(load_base(store, queries_dir), area)


def load_base(store, queries_dir: Path) -> Lists:
    cat = catalogue(queries_dir)
    vocab = load_vocabulary(store, queries_dir, None)
    gebiete = load_areas(store, queries_dir)
    konzepte = run(store, cat.get("konzept-gebiete"))
    return Lists(
        area=None,
        lebensphasen=vocab.lebensphasen, zielgruppen=vocab.zielgruppen,
        zustaendigkeiten=_scheme(store, cat, _V + "zustaendigkeiten"),
        zeithorizonte=_scheme(store, cat, _V + "zeithorizonte"),
        indikatorarten=_scheme(store, cat, _V + "indikatorarten"),
        akteursarten=vocab.akteursarten, gebiete=gebiete, alle_gebiete=gebiete, zielarten=_zielarten(),
        kreisziele=_goals(store, cat, None),   # every goal here; for_area keeps those of the Kreis concepts
        akteure=vocab.akteure,
        konzept_gebiet={r.konzept: r.gebiet for r in konzepte.itertuples() if isinstance(r.gebiet, str)},
    )


def for_area(base: Lists, area: Term | None) -> Lists:
    """The lists for ``area`` from the lists of all (``base`` as :func:`load_base` read it)."""
    gebiete = base.alle_gebiete
    if area is not None:
        wanted = set(ancestors(area.iri, gebiete))
    else:  # every concept of a Gebiet that has others lying in it (a Kreis)
        wanted = {g for t in gebiete for g in t.areas}
    kreis_konzepte = {k for k, g in base.konzept_gebiet.items() if g in wanted}
    return replace(base, area=area, gebiete=[t for t in gebiete if area is None or t.iri == area.iri],
                   kreisziele=[t for t in base.kreisziele if t.group_iri in kreis_konzepte])
