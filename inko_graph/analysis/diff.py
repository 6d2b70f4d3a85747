"""Fortschreibung: what changed between two versions of the graph.

Two versions are two sets of triples: two dump files (any RDF format, graphs merged), or the
Raster submissions of two years (of one actor or of all). The report lists goals, measures,
activities and actors that were added, removed or changed (same IRI, different properties, with
old and new values), and the links between resources (``inko:dient``, ``inko:traeger``,
``skos:broader`` …) that were added or removed, each by IRI and label; as Markdown or HTML.

Between years, an activity keeps its IRI except for the year (``id:raster/<actor>/<year>/<slug>``);
the comparison therefore takes IRIs of Raster submissions without their year, and leaves out
what only records where a statement stands (``dcterms:source``, ``inko:abschnitt``, the time of
the import). ``changes_since(store, year)`` is the comparison the report of the Steuerungsgruppe
shows: the submissions of ``year`` against those of the year before.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..load.sources import parse_rdf_file
from ..namespaces import GRAPH, ID, PREFIXES, shorten

__all__ = ["Diff", "Resource", "Changed", "diff_triples", "load_dump", "labels_for", "submissions", "changes_since",
           "KINDS"]

_RDF_TYPE = PREFIXES["rdf"] + "type"
_SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
_PREF = PREFIXES["skos"] + "prefLabel"
_INKO = PREFIXES["inko"]

#: The kinds of resource the report follows: key, German and English heading, classes.
KINDS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("ziele", "Ziele", "Goals", (_INKO + "Ziel", _INKO + "Leitziel", _INKO + "Teilziel", _INKO + "Jahresziel",
                                 _INKO + "Monitoringziel", _INKO + "Leitthema")),
    ("massnahmen", "Maßnahmen", "Measures", (_INKO + "Massnahme",)),
    ("aktivitaeten", "Aktivitäten", "Activities", (_INKO + "Aktivitaet",)),
    ("akteure", "Akteure", "Actors", (PREFIXES["org"] + "Organization", PREFIXES["org"] + "FormalOrganization",
                                      PREFIXES["cv"] + "PublicOrganisation", _INKO + "Gremium")),
]
#: Statements about where something stands, not what it is; left out when comparing years.
PROVENANCE = frozenset({PREFIXES["dcterms"] + "source", _INKO + "abschnitt", PREFIXES["prov"] + "generatedAtTime"})

#: Names of the common properties from other vocabularies (the ontology names its own).
PROPERTY_LABELS = {
    PREFIXES["skos"] + "prefLabel": "Bezeichnung", PREFIXES["skos"] + "altLabel": "weitere Bezeichnung",
    PREFIXES["skos"] + "notation": "Nummer", PREFIXES["skos"] + "definition": "Erläuterung",
    PREFIXES["skos"] + "note": "Anmerkung", PREFIXES["skos"] + "inScheme": "gehört zu",
    PREFIXES["skos"] + "broader": "übergeordnet", PREFIXES["dcterms"] + "description": "Beschreibung",
    PREFIXES["dcterms"] + "title": "Titel", PREFIXES["dcterms"] + "date": "Datum", _RDF_TYPE: "Art",
    PREFIXES["rdfs"] + "comment": "Kommentar", PREFIXES["foaf"] + "homepage": "Internetseite",
    PREFIXES["org"] + "subOrganizationOf": "gehört zur Organisation", PREFIXES["org"] + "hasMember": "Mitglied",
}

_RASTER_YEAR = re.compile(r"^(" + re.escape(ID) + r"raster/[^/]+/|" + re.escape(GRAPH) + r"raster/[^/]+/)\d{4}(?=/|$)")

_TEXT = {
    "de": {"title": "Fortschreibung", "summary": "Überblick", "kind": "Art", "added": "neu", "removed": "entfallen",
           "changed": "geändert", "links": "Verknüpfungen", "none": "Keine Änderungen.", "old": "vorher",
           "new": "nachher", "property": "Eigenschaft", "from": "von", "to": "nach", "empty": "–"},
    "en": {"title": "Changes", "summary": "Summary", "kind": "Kind", "added": "added", "removed": "removed",
           "changed": "changed", "links": "Links", "none": "No changes.", "old": "before", "new": "after",
           "property": "Property", "from": "from", "to": "to", "empty": "–"},
}


def year_free(iri: str) -> str:
    """The IRI of a Raster submission or activity without its year (``…/raster/vhs/*/kurs``)."""
    return _RASTER_YEAR.sub(r"\1*", iri)


def _term_key(term, key) -> str:
    if isinstance(term, ox.NamedNode):
        return "I" + key(term.value)
    if isinstance(term, ox.Literal):
        return f"L{term.value}\x00{term.language or ''}\x00{term.datatype.value if not term.language else ''}"
    return "B" + term.value


@dataclass
class Resource:
    iri: str
    kind: str
    label: str
    props: dict[str, list] = field(default_factory=dict)   # predicate -> terms


@dataclass
class Changed:
    iri: str
    old_iri: str
    kind: str
    label: str
    props: list[tuple[str, list, list]] = field(default_factory=list)  # predicate, old terms, new terms


@dataclass
class Diff:
    old_name: str
    new_name: str
    added: dict[str, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    removed: dict[str, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    changed: dict[str, list[Changed]] = field(default_factory=lambda: defaultdict(list))
    links_added: list[tuple[str, str, str]] = field(default_factory=list)
    links_removed: list[tuple[str, str, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (any(self.added.values()) or any(self.removed.values()) or any(self.changed.values())
                    or self.links_added or self.links_removed)

    def counts(self) -> dict[str, tuple[int, int, int]]:
        return {k: (len(self.added.get(k, [])), len(self.removed.get(k, [])), len(self.changed.get(k, [])))
                for k, *_ in KINDS}

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or self.labels.get(year_free(iri)) or shorten(iri)

    # -- rendering ----------------------------------------------------------------------------
    def _value(self, term) -> str:
        if isinstance(term, ox.NamedNode):
            lab = self.label(term.value)
            return lab if lab != shorten(term.value) else shorten(term.value)
        return term.value

    def to_markdown(self, lang: str = "de") -> str:
        t = _TEXT["en" if lang == "en" else "de"]
        out = [f"# {t['title']}: {_md(self.old_name)} → {_md(self.new_name)}", ""]
        if self.is_empty():
            return "\n".join(out + [t["none"], ""])
        out += [f"## {t['summary']}", "", f"| {t['kind']} | {t['added']} | {t['removed']} | {t['changed']} |",
                "| --- | ---: | ---: | ---: |"]
        for key, de, en, _ in KINDS:
            a, r, c = self.counts()[key]
            out.append(f"| {en if lang == 'en' else de} | {a} | {r} | {c} |")
        out.append(f"| {t['links']} | {len(self.links_added)} | {len(self.links_removed)} | |")
        out.append("")
        for key, de, en, _ in KINDS:
            added, removed, changed = self.added.get(key, []), self.removed.get(key, []), self.changed.get(key, [])
            if not (added or removed or changed):
                continue
            out += [f"## {en if lang == 'en' else de}", ""]
            for head, items in ((t["added"], added), (t["removed"], removed)):
                if items:
                    out += [f"### {head.capitalize()} ({len(items)})", ""]
                    out += [f"- **{_md(r.label)}** (`{shorten(r.iri)}`)" for r in items]
                    out.append("")
            if changed:
                out += [f"### {t['changed'].capitalize()} ({len(changed)})", ""]
                for c in changed:
                    ids = f"`{shorten(c.iri)}`" + (f", {t['old']} `{shorten(c.old_iri)}`" if c.old_iri != c.iri else "")
                    out.append(f"- **{_md(c.label)}** ({ids})")
                    for pred, old, new in c.props:
                        out.append(f"  - {_md(self.label(pred))}: {t['old']} {self._md_values(old)}; "
                                   f"{t['new']} {self._md_values(new)}")
                out.append("")
        if self.links_added or self.links_removed:
            out += [f"## {t['links']}", ""]
            for head, items in ((t["added"], self.links_added), (t["removed"], self.links_removed)):
                if items:
                    out += [f"### {head.capitalize()} ({len(items)})", ""]
                    out += [f"- {_md(self.label(s))} — {_md(self.label(p))} → {_md(self.label(o))}" for s, p, o in items]
                    out.append("")
        return "\n".join(out)

    def _md_values(self, terms) -> str:
        return ", ".join(f"„{_md(self._value(x))}“" for x in terms) if terms else "–"

    def to_html(self, lang: str = "de", *, full: bool = True) -> str:
        """The report as HTML (every text escaped); ``full=False`` gives a fragment for another page."""
        t = _TEXT["en" if lang == "en" else "de"]
        e = html.escape
        out = [f"<section class=\"fortschreibung\"><h2>{e(t['title'])}: {e(self.old_name)} → {e(self.new_name)}</h2>"]
        if self.is_empty():
            out.append(f"<p>{e(t['none'])}</p></section>")
        else:
            out.append(f"<table><caption>{e(t['summary'])}</caption><thead><tr><th scope=\"col\">{e(t['kind'])}</th>"
                       f"<th scope=\"col\">{e(t['added'])}</th><th scope=\"col\">{e(t['removed'])}</th>"
                       f"<th scope=\"col\">{e(t['changed'])}</th></tr></thead><tbody>")
            for key, de, en, _ in KINDS:
                a, r, c = self.counts()[key]
                out.append(f"<tr><th scope=\"row\">{e(en if lang == 'en' else de)}</th><td class=\"zahl\">{a}</td>"
                           f"<td class=\"zahl\">{r}</td><td class=\"zahl\">{c}</td></tr>")
            out.append(f"<tr><th scope=\"row\">{e(t['links'])}</th><td class=\"zahl\">{len(self.links_added)}</td>"
                       f"<td class=\"zahl\">{len(self.links_removed)}</td><td></td></tr></tbody></table>")
            for key, de, en, _ in KINDS:
                added, removed, changed = self.added.get(key, []), self.removed.get(key, []), self.changed.get(key, [])
                if not (added or removed or changed):
                    continue
                out.append(f"<h3>{e(en if lang == 'en' else de)}</h3>")
                for head, items in ((t["added"], added), (t["removed"], removed)):
                    if items:
                        out.append(f"<h4>{e(head.capitalize())} ({len(items)})</h4><ul>")
                        out += [f"<li><strong>{e(r.label)}</strong> <code>{e(shorten(r.iri))}</code></li>" for r in items]
                        out.append("</ul>")
                if changed:
                    out.append(f"<h4>{e(t['changed'].capitalize())} ({len(changed)})</h4><ul>")
                    for c in changed:
                        out.append(f"<li><strong>{e(c.label)}</strong> <code>{e(shorten(c.iri))}</code>")
                        out.append(f"<table><thead><tr><th scope=\"col\">{e(t['property'])}</th>"
                                   f"<th scope=\"col\">{e(t['old'])}</th><th scope=\"col\">{e(t['new'])}</th></tr></thead><tbody>")
                        for pred, old, new in c.props:
                            out.append(f"<tr><td>{e(self.label(pred))}</td><td>{self._html_values(old)}</td>"
                                       f"<td>{self._html_values(new)}</td></tr>")
                        out.append("</tbody></table></li>")
                    out.append("</ul>")
            if self.links_added or self.links_removed:
                out.append(f"<h3>{e(t['links'])}</h3>")
                for head, items in ((t["added"], self.links_added), (t["removed"], self.links_removed)):
                    if items:
                        out.append(f"<h4>{e(head.capitalize())} ({len(items)})</h4><ul>")
                        out += [f"<li>{e(self.label(s))} — {e(self.label(p))} → {e(self.label(o))}</li>"
                                for s, p, o in items]
                        out.append("</ul>")
            out.append("</section>")
        body = "\n".join(out)
        if not full:
            return body
        title = e(f"{t['title']}: {self.old_name} → {self.new_name}")
        return (f"<!doctype html>\n<html lang=\"{'en' if lang == 'en' else 'de'}\"><head><meta charset=\"utf-8\">"
                f"<title>{title}</title></head><body>\n{body}\n</body></html>\n")

    def _html_values(self, terms) -> str:
        return "<br>".join(html.escape(self._value(x)) for x in terms) if terms else "–"


def _md(text: str) -> str:
    """Text for Markdown: no line breaks, and the characters that would format escaped."""
    text = " ".join(str(text).split())
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


def _kinds_of(triples: list[ox.Triple]) -> dict[str, str]:
    """kind key of each class, including subclasses declared in the data."""
    of_class = {c: k for k, _, _, classes in KINDS for c in classes}
    subs = defaultdict(set)
    for t in triples:
        if t.predicate.value == _SUBCLASS and isinstance(t.object, ox.NamedNode) and isinstance(t.subject, ox.NamedNode):
            subs[t.object.value].add(t.subject.value)
    todo = list(of_class)
    while todo:
        c = todo.pop()
        for s in subs.get(c, ()):
            if s not in of_class:
                of_class[s] = of_class[c]
                todo.append(s)
    return of_class


def _index(triples, key, ignore) -> tuple[dict, dict, dict]:
    """(subject key -> IRI, subject key -> {predicate: {term key: term}}, labels) of one version."""
    iris: dict[str, str] = {}
    props: dict[str, dict[str, dict[str, object]]] = defaultdict(lambda: defaultdict(dict))
    labels: dict[str, str] = {}
    for t in triples:
        if not isinstance(t.subject, ox.NamedNode):
            continue
        p = t.predicate.value
        if p == _PREF and isinstance(t.object, ox.Literal) and t.object.language == "de":
            labels.setdefault(t.subject.value, t.object.value)
        if p in ignore:
            continue
        k = key(t.subject.value)
        iris.setdefault(k, t.subject.value)
        props[k][p][_term_key(t.object, key)] = t.object
    return iris, props, labels


def diff_triples(old, new, *, old_name: str = "vorher", new_name: str = "nachher", by_year: bool = False,
                 labels: dict[str, str] | None = None) -> Diff:
    """Compare two versions (iterables of pyoxigraph triples or quads)."""
    old = [ox.Triple(t.subject, t.predicate, t.object) for t in old]
    new = [ox.Triple(t.subject, t.predicate, t.object) for t in new]
    key = year_free if by_year else (lambda iri: iri)
    ignore = PROVENANCE if by_year else frozenset()
    classes = _kinds_of(old + new)
    o_iris, o_props, o_labels = _index(old, key, ignore)
    n_iris, n_props, n_labels = _index(new, key, ignore)
    d = Diff(old_name=old_name, new_name=new_name)
    d.labels.update(PROPERTY_LABELS)
    d.labels.update(labels or {})
    d.labels.update(o_labels)
    d.labels.update(n_labels)
    for iri, lab in list(d.labels.items()):
        d.labels.setdefault(year_free(iri), lab)

    def kind(props) -> str | None:
        for c in props.get(_RDF_TYPE, {}).values():
            if isinstance(c, ox.NamedNode) and c.value in classes:
                return classes[c.value]
        return None

    def is_link(p: str, term) -> bool:
        return isinstance(term, ox.NamedNode) and p != _RDF_TYPE

    tracked = {}
    for k in set(o_props) | set(n_props):
        kd = kind(n_props.get(k, {})) or kind(o_props.get(k, {}))
        if kd:
            tracked[k] = kd
    order = {key_: i for i, (key_, *_rest) in enumerate(KINDS)}
    for k in sorted(tracked, key=lambda k: (order[tracked[k]], d.label(n_iris.get(k) or o_iris[k]).casefold())):
        kd = tracked[k]
        if k not in o_props:
            iri = n_iris[k]
            d.added[kd].append(Resource(iri, kd, d.label(iri), {p: list(v.values()) for p, v in n_props[k].items()}))
        elif k not in n_props:
            iri = o_iris[k]
            d.removed[kd].append(Resource(iri, kd, d.label(iri), {p: list(v.values()) for p, v in o_props[k].items()}))
        else:
            op, np_ = o_props[k], n_props[k]
            changes = []
            for p in sorted(set(op) | set(np_), key=lambda p: d.label(p)):
                ov, nv = op.get(p, {}), np_.get(p, {})
                if set(ov) == set(nv):
                    continue
                link_keys = {x for x, term in {**ov, **nv}.items() if is_link(p, term)}
                for x in sorted(set(nv) - set(ov)):
                    if x in link_keys:
                        d.links_added.append((n_iris[k], p, nv[x].value))
                for x in sorted(set(ov) - set(nv)):
                    if x in link_keys:
                        d.links_removed.append((o_iris[k], p, ov[x].value))
                old_vals = [ov[x] for x in sorted(ov) if x not in link_keys]
                new_vals = [nv[x] for x in sorted(nv) if x not in link_keys]
                if {_term_key(x, key) for x in old_vals} != {_term_key(x, key) for x in new_vals}:
                    changes.append((p, old_vals, new_vals))
            if changes:
                d.changed[kd].append(Changed(n_iris[k], o_iris[k], kd, d.label(n_iris[k]), changes))
    return d


def load_dump(path: Path) -> list[ox.Triple]:
    """All triples of a dump file (graphs merged); the format follows the file name."""
    return parse_rdf_file(path)


def _labels(store, queries_dir) -> dict[str, str]:
    from ..query.catalogue import run
    from ..raster.vocab import catalogue

    df = run(store, catalogue(queries_dir).get("diff-bezeichnungen"))
    return {r.s: r.bezeichnung for r in df.itertuples() if isinstance(r.bezeichnung, str)}


def labels_for(store, query, triples) -> dict[str, str]:
    """German names of what ``triples`` use but do not name themselves (properties, vocabulary
    terms, goals of other documents), asked one by one with ``query`` (``diff-bezeichnungen``): a
    few dozen one-row queries instead of every label of the graph."""
    named = {t.subject.value for t in triples if t.predicate.value == _PREF}
    wanted = {t.predicate.value for t in triples}
    wanted |= {t.object.value for t in triples if isinstance(t.object, ox.NamedNode) and t.predicate.value != _RDF_TYPE}
    out = {}
    for iri in sorted(wanted - named):
        for row in store.query(query.text, {"s": ox.NamedNode(iri)}):
            if row["bezeichnung"] is not None:
                out[iri] = row["bezeichnung"].value
    return out


def submissions(store, year: int, queries_dir, akteur: str | None = None) -> list[ox.Triple]:
    """The triples of all Raster submissions for ``year`` (of one actor, if given)."""
    from ..query.catalogue import run
    from ..raster.vocab import catalogue

    df = run(store, catalogue(queries_dir).get("raster-meldungen"), {"akteur": akteur, "jahr": str(year)})
    out = []
    for g in sorted(set(df["graph"])) if len(df) else []:
        out += [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(g)]
    return out


def compare_years(store, old_year: int, new_year: int, queries_dir, akteur: str | None = None) -> Diff:
    old = submissions(store, old_year, queries_dir, akteur)
    new = submissions(store, new_year, queries_dir, akteur)
    who = f" ({shorten(akteur)})" if akteur else ""
    return diff_triples(old, new, old_name=f"Raster {old_year}{who}", new_name=f"Raster {new_year}{who}",
                        by_year=True, labels=_labels(store, queries_dir))


def changes_since(store, year: int, queries_dir=None, akteur: str | None = None) -> Diff:
    """What the Raster submissions of ``year`` changed against the year before (for the report)."""
    if queries_dir is None:
        from ..settings import Settings

        queries_dir = Settings().queries_dir
    return compare_years(store, year - 1, year, queries_dir, akteur)
