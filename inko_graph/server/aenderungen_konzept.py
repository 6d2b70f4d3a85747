"""„Änderungen“ of a concept: what changed between two of its versions (``konzept.fassungen``),
for the concepts of the chosen Gebiet, as a page and as CSV/Excel.

``/aenderungen/konzept?konzept=hattingen-integrationskonzept&von=dokument&bis=aktuell``: the
concept by the last part of its IRI, the versions by their id (``dokument``: the source document,
a number: an upload in the journal, ``aktuell``: the upload in the store). Without them, the
concept of the Gebiet with the most versions (an uploaded one first, then the one its workbook is
made from), and its two newest versions.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request

from ..konzept.fassungen import quoted
from . import gebiet as gb
from .cockpit_base import Tabelle, catalogue, local, natural, page, run

__all__ = ["router", "konzept_changes", "rows_of"]

router = APIRouter()

_I = "https://w3id.org/inko/def#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
_LEBENSPHASE = _I + "lebensphase"
#: The kinds of item the page names, by class (goals by their own kind: Leitziel, Teilziel …).
_KIND_OF_CLASS = {_I + "Massnahme": "Maßnahme", "http://www.w3.org/ns/org#Organization": "Akteur",
                  _I + "Handlungsfeld": "Handlungsfeld", _I + "Indikator": "Indikator", _I + "Konzept": "Konzept",
                  _I + "Leitziel": "Leitziel", _I + "Teilziel": "Teilziel", _I + "Leitthema": "Leitthema",
                  _I + "Monitoringziel": "Monitoringziel", _I + "Jahresziel": "Jahresziel", _I + "Ziel": "Ziel"}
_ORDER = ["Konzept", "Leitthema", "Leitziel", "Ziel", "Teilziel", "Monitoringziel", "Jahresziel", "Handlungsfeld",
          "Maßnahme", "Indikator", "Akteur"]
#: The kinds ``diff`` follows, as the overview names them.
_COUNTED = {"ziele": "Ziele", "massnahmen": "Maßnahmen", "akteure": "Akteure"}
_COLUMNS = ["Art", "Nr.", "Bezeichnung", "Änderung", "vorher", "nachher"]


def _concepts(request: Request, g: gb.Gebiet | None) -> list[tuple[str, str]]:
    """(IRI, name) of the concepts of the Gebiet (all, without one), own concepts before context."""
    if g is not None:
        out = list(g.konzepte) + [k for k in g.kontext if k not in g.konzepte]
    else:
        out = []
        for x in gb.choices(request.app).values():
            out += [k for k in x.konzepte + x.kontext if k not in out]
    # integration concepts first (what the steering group works with), then by name
    context = {k for k, _ in (g.kontext if g is not None else [])}
    return sorted(out, key=lambda k: (k[0] in context, "integrationskonzept" not in k[0], k[1].casefold()))


def _versions(request: Request, konzept: str):
    from ..konzept.fassungen import versions

    key = ("konzept-fassungen", konzept)
    cache = request.app.state.cache
    if key not in cache:
        app = request.app
        cache[key] = versions(app.state.store, app.state.settings, catalogue(app), konzept)
    return cache[key]


def _uploaded(request: Request) -> set[str]:
    """The concepts with an uploaded version (only they can have two)."""
    from ..konzept.fassungen import uploaded

    key = ("konzept-hochgeladen",)
    cache = request.app.state.cache
    if key not in cache:
        cache[key] = uploaded(run(request, "konzept-fassungen"), request.app.state.settings)
    return cache[key]


def _exported(request: Request, g: gb.Gebiet | None) -> str | None:
    """The concept the Konzept workbook of the Gebiet is made from: among concepts with equally many
    versions the one a town's office uploads again."""
    from ..errors import InputError
    from ..konzept.export import choose_konzept

    if g is None:
        return None
    key = ("konzept-export-iri", g.name)
    cache = request.app.state.cache
    if key not in cache:
        try:
            cache[key] = choose_konzept(request.app.state.store, request.app.state.settings, g.name)[0]
        except InputError:
            cache[key] = None
    return cache[key]


def konzept_changes(request: Request, konzept: str, old, new):
    """The diff of two versions, with the kind and number of each item (cached per state of the data)."""
    from ..analysis.diff import diff_triples, labels_for
    from ..konzept.fassungen import carried

    key = ("konzept-aenderungen", konzept, old.id, new.id)
    cache = request.app.state.cache
    if key not in cache:
        o, n = carried(old.triples(), konzept), carried(new.triples(), konzept)
        labels = labels_for(request.app.state.store, catalogue(request.app).get("diff-bezeichnungen"), o + n)
        d = diff_triples(o, n, old_name=old.name, new_name=new.name, labels=labels)
        kinds, numbers = {}, {}
        for t in o + n:   # the newer version's statements come last and win
            p = t.predicate.value
            if p == _RDF_TYPE and t.object.value in _KIND_OF_CLASS:
                if t.object.value != _I + "Ziel" or t.subject.value not in kinds:   # Leitziel before Ziel
                    kinds[t.subject.value] = _KIND_OF_CLASS[t.object.value]
            elif p == _NOTATION:
                numbers[t.subject.value] = t.object.value
        cache[key] = (d, kinds, numbers)
    return cache[key]


def _values(d, terms) -> str:
    import pyoxigraph as ox

    return "; ".join(d.label(t.value) if isinstance(t, ox.NamedNode) else t.value for t in terms) or "–"


def _details(d, props: dict) -> str:
    """What a new or removed item says: its links and values, without its name, kind and number."""
    skip = {_RDF_TYPE, _PREF, _NOTATION, "http://www.w3.org/2004/02/skos/core#inScheme",
            "http://purl.org/dc/terms/source", _I + "abschnitt"}
    parts = [f"{d.label(p)}: {_values(d, vs)}" for p, vs in sorted(props.items(), key=lambda x: d.label(x[0]))
             if p not in skip and vs]
    return "; ".join(parts) or "–"


def rows_of(d, kinds: dict[str, str], numbers: dict[str, str]) -> list[dict]:
    """One row per new or removed item, per changed property and per added or removed link."""
    rows = []

    def row(iri, what, before, after, label=None):
        rows.append({"art": kinds.get(iri, "Eintrag"), "nr": numbers.get(iri, ""), "iri": iri,
                     "bezeichnung": label or d.label(iri), "was": what, "vorher": before, "nachher": after})

    for key in _COUNTED:
        for x in d.added.get(key, []):
            row(x.iri, "neu", "–", _details(d, x.props), x.label)
        for x in d.removed.get(key, []):
            row(x.iri, "entfallen", _details(d, x.props), "–", x.label)
        for c in d.changed.get(key, []):
            for p, old, new in c.props:
                row(c.iri, f"{d.label(p)} geändert", _values(d, old), _values(d, new), c.label)
    for what, links in (("neu", d.links_added), ("entfallen", d.links_removed)):
        for s, p, o in links:
            before, after = ("–", d.label(o)) if what == "neu" else (d.label(o), "–")
            row(s, f"{d.label(p)} {what}", before, after)
    order = {k: i for i, k in enumerate(_ORDER)}
    rows.sort(key=lambda r: (order.get(r["art"], len(order)), natural(r["nr"]), natural(r["bezeichnung"]), r["was"]))
    return rows


def _counts(d) -> list[dict]:
    out = []
    for key, name in _COUNTED.items():
        a, r, c = d.counts()[key]
        out.append({"art": name, "neu": a, "entfallen": r, "geaendert": c})
    lp_added = sum(1 for _, p, _o in d.links_added if p == _LEBENSPHASE)
    lp_removed = sum(1 for _, p, _o in d.links_removed if p == _LEBENSPHASE)
    out.append({"art": "Zuordnungen zu Lebensphasen", "neu": lp_added, "entfallen": lp_removed, "geaendert": None})
    out.append({"art": "weitere Zuordnungen", "neu": len(d.links_added) - lp_added,
                "entfallen": len(d.links_removed) - lp_removed, "geaendert": None})
    return out


@router.get("/aenderungen/konzept", include_in_schema=False)
def aenderungen_konzept(request: Request):
    g = gb.chosen(request)
    konzepte = _concepts(request, g)
    wanted = request.query_params.get("konzept", "")
    konzept = next((k for k in konzepte if local(k[0]) == wanted), None)
    if konzept is None and konzepte:   # the one with the most versions: something to compare
        uploaded, export = _uploaded(request), _exported(request, g)
        konzept = min(enumerate(konzepte), key=lambda x: (-len(_versions(request, x[1][0])), x[1][0] not in uploaded,
                                                           x[1][0] != export, x[0]))[1]
    fassungen = _versions(request, konzept[0]) if konzept else []
    by_id = {f.id: f for f in fassungen}
    new = by_id.get(request.query_params.get("bis", "")) or (fassungen[-1] if fassungen else None)
    old = by_id.get(request.query_params.get("von", "")) or (fassungen[-2] if len(fassungen) > 1 else None)
    rows, counts = [], []
    if konzept and old is not None and new is not None and old.id != new.id:
        d, kinds, numbers = konzept_changes(request, konzept[0], old, new)
        rows, counts = rows_of(d, kinds, numbers), _counts(d)
    tab = Tabelle("konzept-aenderungen", "Änderungen des Konzepts", _COLUMNS,
                  [[r["art"], r["nr"], r["bezeichnung"], r["was"], r["vorher"], r["nachher"]] for r in rows])
    upload = "/konzept" + (f"?gebiet={quote(g.name)}" if g is not None else "")
    return page(request, "cockpit_aenderungen_konzept.html.j2", "Änderungen eines Konzepts", tabellen=[tab],
                dateiname="Änderungen " + (konzept[1] if konzept else "Konzept"),
                konzepte=[(local(i), n) for i, n in konzepte],
                konzept=konzept, konzept_slug=local(konzept[0]) if konzept else "", fassungen=fassungen,
                von=old, bis=new, zeilen=rows, zaehlung=counts, hochladen=upload,
                # the browser download of the workbook (``konzept.export_download``), with a town only
                herunterladen=f"gebiet={quote(g.name)}" if g is not None else None,
                konzept_zitiert=quoted(konzept[1]) if konzept else "")
