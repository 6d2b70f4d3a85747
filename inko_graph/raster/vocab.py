"""The allowed values of the Raster, read from the graph with the queries ``queries/raster-*.rq``.

Each list holds :class:`Term` objects. A term's ``display`` is the text shown in the workbook's
lists and drop-downs; it is unique within its list, so an unchanged choice maps back to exactly
one IRI. ``code`` is the short form of the IRI (``lp:alter``, ``id:hattingen/leitziel/3``) that
a volunteer may also type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..namespaces import ID, shorten
from ..query.catalogue import Catalogue, run

__all__ = ["Term", "Vocabulary", "load_vocabulary", "load_areas", "SCHEMES", "catalogue"]

_V = ID + "vokabular/"
#: The vocabularies of the Raster and their schemes in ``graph_data/vokabular/``.
SCHEMES = {
    "lebensphasen": _V + "lebensphasen",
    "zielgruppen": _V + "zielgruppen",
    "akteursarten": _V + "akteursarten",
    "gebiete": _V + "gebiete",
}
#: Longest label shown in a drop-down; longer goals are cut (the full wording stays in the list sheet).
DISPLAY_MAX = 160


@dataclass(frozen=True, eq=False)  # one object per term of a loaded list: compared by identity
class Term:
    iri: str
    label: str
    display: str
    notation: str = ""
    synonyms: tuple[str, ...] = ()
    group: str = ""          # the concept (document) a goal or field belongs to
    group_iri: str = ""
    kind: str = ""           # Leitziel, Teilziel … for goals
    field_notation: str = ""  # the number of the goal's Handlungsfeld, where the goal has one
    sections: tuple[str, ...] = ()
    note: str = ""           # a definition, shown in the list sheet
    areas: tuple[str, ...] = ()  # organisations: their Gebiete; Gebiete: the larger ones they lie in

    @property
    def code(self) -> str:
        return shorten(self.iri)


@dataclass
class Vocabulary:
    """Every list of allowed values, for one town (``area``) or for all."""

    area: str | None
    handlungsfelder: list[Term] = field(default_factory=list)
    ziele: list[Term] = field(default_factory=list)
    lebensphasen: list[Term] = field(default_factory=list)
    zielgruppen: list[Term] = field(default_factory=list)
    akteursarten: list[Term] = field(default_factory=list)
    gebiete: list[Term] = field(default_factory=list)
    akteure: list[Term] = field(default_factory=list)
    area_label: str = ""
    #: Fields and goals of the other towns' concepts (only with ``area``): to say whose a value is.
    fremde_handlungsfelder: list[Term] = field(default_factory=list)
    fremde_ziele: list[Term] = field(default_factory=list)
    #: Concept IRI -> the name of its Gebiet.
    konzept_gebiet: dict[str, str] = field(default_factory=dict)

    def lists(self) -> dict[str, list[Term]]:
        return {"Handlungsfelder": self.handlungsfelder, "Ziele": self.ziele,
                "Lebensphasen": self.lebensphasen, "Zielgruppen": self.zielgruppen,
                "Akteursarten": self.akteursarten, "Gebiete": self.gebiete, "Akteure": self.akteure}


@lru_cache(maxsize=8)
def _catalogue(folder: Path, _mtime: float) -> Catalogue:
    return Catalogue(folder)


def catalogue(folder: Path) -> Catalogue:
    """The query catalogue of ``folder``, read again only when a file in it changed."""
    stamp = max((p.stat().st_mtime for p in folder.glob("*.rq")), default=0.0)
    return _catalogue(folder, stamp)


def _split(value) -> tuple[str, ...]:
    if not isinstance(value, str) or not value:
        return ()
    return tuple(sorted({v for v in value.split("|") if v}))


def _text(value) -> str:
    """A result cell as text; missing values (None, or NaN from pandas) as ""."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _cut(text: str, limit: int = DISPLAY_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _unique_displays(terms: list[Term]) -> list[Term]:
    """Make every display text unique by adding the short IRI to those that repeat."""
    seen: dict[str, int] = {}
    for t in terms:
        seen[t.display] = seen.get(t.display, 0) + 1
    out = []
    for t in terms:
        if seen[t.display] > 1:
            t = Term(**{**t.__dict__, "display": f"{t.display} ({t.code})"})
        out.append(t)
    return out


def _fields(store, cat, area) -> list[Term]:
    df = run(store, cat.get("raster-handlungsfelder"), {"gebiet": area})
    labels = [r.bezeichnung for r in df.itertuples()]
    terms = []
    for r in df.itertuples():
        label = _text(r.bezeichnung)
        group = _text(r.konzeptname)
        display = label if labels.count(label) == 1 else f"{label} ({group})"
        terms.append(Term(iri=r.handlungsfeld, label=label, display=display, notation=_text(r.notation),
                          synonyms=_split(r.synonyme), group=group, group_iri=r.konzept))
    return _unique_displays(terms)


def _goals(store, cat, area) -> list[Term]:
    df = run(store, cat.get("raster-ziele"), {"gebiet": area})
    terms = []
    for r in df.itertuples():
        label, group, kind, notation = _text(r.bezeichnung), _text(r.konzeptname), _text(r.artname), _text(r.notation)
        fieldno = _text(r.feldnotation)
        head = ", ".join(x for x in (group, f"Handlungsfeld {fieldno}" if fieldno else "",
                                     f"{kind} {notation}".strip()) if x)
        display = f"{head}: {_cut(label)}" if head else _cut(label)
        terms.append(Term(iri=r.ziel, label=label, display=display, notation=notation, synonyms=_split(r.synonyme),
                          group=group, group_iri=r.konzept, kind=kind, field_notation=fieldno,
                          sections=_split(r.abschnitte)))
    return _unique_displays(terms)


def _scheme(store, cat, scheme: str) -> list[Term]:
    df = run(store, cat.get("raster-vokabular"), {"schema": scheme})
    terms = [Term(iri=r.begriff, label=_text(r.bezeichnung), display=_text(r.bezeichnung), notation=_text(r.notation),
                  synonyms=_split(r.synonyme), note=_text(r.erlaeuterung), areas=_split(r.liegt_in))
             for r in df.itertuples()]
    return _unique_displays(terms)


def _actors(store, cat) -> list[Term]:
    df = run(store, cat.get("raster-akteure"))
    terms = [Term(iri=r.akteur, label=_text(r.bezeichnung), display=_text(r.bezeichnung),
                  synonyms=_split(r.synonyme), areas=_split(r.gebiete)) for r in df.itertuples()]
    return _unique_displays(terms)


def _foreign(store, cat, area: str | None, vocab: Vocabulary) -> None:
    """The other towns' fields and goals, and the Gebiet of every concept."""
    df = run(store, cat.get("konzept-gebiete"))
    vocab.konzept_gebiet = {r.konzept: _text(r.gebietname) for r in df.itertuples() if _text(r.gebietname)}
    if area is None:
        return
    gebiete = {t.iri: t.label for t in vocab.gebiete}
    vocab.area_label = gebiete.get(area, area)
    own_f = {t.iri for t in vocab.handlungsfelder}
    own_z = {t.iri for t in vocab.ziele}
    vocab.fremde_handlungsfelder = [t for t in _fields(store, cat, None) if t.iri not in own_f]
    vocab.fremde_ziele = [t for t in _goals(store, cat, None) if t.iri not in own_z]


def load_vocabulary(store, queries_dir: Path, area: str | None = None) -> Vocabulary:
    """All lists of the Raster from ``store``; ``area`` (a Gebiet IRI) limits goals and fields to its concepts."""
    cat = catalogue(queries_dir)
    vocab = _load(store, cat, area)
    _foreign(store, cat, area, vocab)
    return vocab


def _load(store, cat, area: str | None) -> Vocabulary:
    return Vocabulary(
        area=area,
        handlungsfelder=_fields(store, cat, area),
        ziele=_goals(store, cat, area),
        lebensphasen=_scheme(store, cat, SCHEMES["lebensphasen"]),
        zielgruppen=_scheme(store, cat, SCHEMES["zielgruppen"]),
        akteursarten=_scheme(store, cat, SCHEMES["akteursarten"]),
        gebiete=_scheme(store, cat, SCHEMES["gebiete"]),
        akteure=_actors(store, cat),
    )


def load_areas(store, queries_dir: Path) -> list[Term]:
    """Only the Gebiete: needed first, to know which town's lists apply."""
    return _scheme(store, catalogue(queries_dir), SCHEMES["gebiete"])
