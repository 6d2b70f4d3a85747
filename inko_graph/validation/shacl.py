"""SHACL validation with pySHACL, and a report grouped by resource in German (or English)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from ..namespaces import shorten

__all__ = ["Result", "Report", "validate_triples", "to_rdflib", "load_shapes"]

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_SEVERITY_DE = {"Violation": "Fehler", "Warning": "Warnung", "Info": "Hinweis"}


def _term(t):
    if isinstance(t, ox.NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return rdflib.BNode(t.value)
    if t.language:
        return rdflib.Literal(t.value, lang=t.language)
    return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))


def to_rdflib(triples) -> rdflib.Graph:
    g = rdflib.Graph()
    add = g.add
    for t in triples:
        add((_term(t.subject), _term(t.predicate), _term(t.object)))
    return g


_SHAPES_CACHE: dict[Path, rdflib.Graph] = {}
_TEMPLATES: dict[Path, list] = {}


def _message_templates(path: Path) -> list:
    """(regex, language) of each templated message: pySHACL drops the language of SPARQL messages."""
    import re

    key = path.resolve()
    if key not in _TEMPLATES:
        out = []
        for m in load_shapes(path).objects(None, SH.message):
            if isinstance(m, rdflib.Literal) and m.language:
                parts = re.split(r"\{[?$]\w+\}", str(m))
                out.append((re.compile("^" + "(.*?)".join(re.escape(p) for p in parts) + "$", re.S), m.language))
        _TEMPLATES[key] = out
    return _TEMPLATES[key]


def _language_of(message: str, templates) -> str | None:
    for rx, lang in templates:
        if rx.match(message):
            return lang
    return None


def load_shapes(path: Path) -> rdflib.Graph:
    key = path.resolve()
    if key not in _SHAPES_CACHE:
        _SHAPES_CACHE[key] = rdflib.Graph().parse(path, format="turtle")
    return _SHAPES_CACHE[key]


@dataclass
class Result:
    focus: str
    severity: str  # Violation | Warning | Info
    message_de: str
    message_en: str
    path: str | None = None
    value: str | None = None
    shape: str | None = None

    def message(self, lang: str = "de") -> str:
        return (self.message_en if lang == "en" else self.message_de) or self.message_de or self.message_en


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violation_count(self) -> int:
        return self.count("Violation")

    @property
    def conforms(self) -> bool:
        return self.violation_count == 0

    def by_resource(self, severities=("Violation", "Warning", "Info")) -> dict[str, list[Result]]:
        grouped: dict[str, list[Result]] = defaultdict(list)
        order = {"Violation": 0, "Warning": 1, "Info": 2}
        for r in sorted(self.results, key=lambda r: (order[r.severity], r.focus)):
            if r.severity in severities:
                grouped[r.focus].append(r)
        return dict(grouped)

    def format_text(self, lang: str = "de", severities=("Violation", "Warning"), limit: int | None = None) -> str:
        en = lang == "en"
        lines = []
        head = (f"{self.count('Violation')} violation(s), {self.count('Warning')} warning(s), {self.count('Info')} note(s)"
                if en else
                f"{self.count('Violation')} Fehler, {self.count('Warning')} Warnung(en), {self.count('Info')} Hinweis(e)")
        lines.append(("Conforms. " if en else "Gültig. ") + head if self.conforms else
                     ("Does not conform. " if en else "Nicht gültig. ") + head)
        shown = 0
        for focus, results in self.by_resource(severities).items():
            if limit is not None and shown >= limit:
                lines.append("…")
                break
            shown += 1
            label = self.labels.get(focus)
            lines.append("")
            lines.append(f"{label} <{focus}>" if label else f"<{focus}>")
            for r in results:
                sev = r.severity if en else _SEVERITY_DE[r.severity]
                extra = ""
                if r.path:
                    extra += f" [{shorten(r.path)}"
                    extra += f" = {r.value}]" if r.value else "]"
                lines.append(f"  {sev}: {r.message(lang)}{extra}")
        return "\n".join(lines)


def _scheme_of_shape(shapes: rdflib.Graph, shape) -> rdflib.URIRef | None:
    """The concept scheme a vocabulary shape requires (``sh:node [ sh:property [ sh:hasValue S ] ]``)."""
    for node in shapes.objects(shape, SH.node):
        for prop in shapes.objects(node, SH.property):
            if shapes.value(prop, SH.path) == rdflib.SKOS.inScheme:
                return shapes.value(prop, SH.hasValue)
    return None


def _allowed(data: rdflib.Graph, scheme, cache: dict) -> tuple[str, str]:
    """The allowed values of a scheme as German and English lists of labels with their short names."""
    if scheme not in cache:
        de, en = [], []
        for c in sorted(data.subjects(rdflib.SKOS.inScheme, scheme)):
            labels = {lab.language: str(lab) for lab in data.objects(c, rdflib.SKOS.prefLabel)}
            short = shorten(str(c))
            de.append(f"{labels.get('de', short)} ({short})")
            en.append(f"{labels.get('en', labels.get('de', short))} ({short})")
        cache[scheme] = (", ".join(de), ", ".join(en))
    return cache[scheme]


_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


def _raw_results(data: rdflib.Graph, shapes: rdflib.Graph, templates) -> list[tuple]:
    """Run pySHACL; each result as plain values (focus, severity, de, en, path, value, scheme)."""
    from pyshacl import validate as _pyshacl_validate  # loaded when used: the build checks without it

    _conforms, rg, _text = _pyshacl_validate(
        data, shacl_graph=shapes, inference="none", allow_infos=True, allow_warnings=True,
        advanced=True, abort_on_first=False)
    out = []
    for res in rg.subjects(rdflib.RDF.type, SH.ValidationResult):
        msgs = {}
        for m in rg.objects(res, SH.resultMessage):
            if isinstance(m, rdflib.Literal):
                msgs[m.language or _language_of(str(m), templates)] = str(m)
        de = msgs.get("de") or msgs.get(None) or ""
        path = rg.value(res, SH.resultPath)
        value = rg.value(res, SH.value)
        scheme = _scheme_of_shape(shapes, rg.value(res, SH.sourceShape))
        out.append((str(rg.value(res, SH.focusNode)), _SEVERITY.get(rg.value(res, SH.resultSeverity), "Violation"),
                    de, msgs.get("en") or de,
                    str(path) if isinstance(path, rdflib.URIRef) else None,
                    (shorten(str(value)) if isinstance(value, rdflib.URIRef) else str(value)) if value is not None else None,
                    scheme))
    return out


def _shape_groups(shapes: rdflib.Graph, n: int) -> list[rdflib.Graph]:
    """Split the shapes into ``n`` graphs: each keeps the targets of every n-th node shape only."""
    targeted = sorted({s for p in _TARGETS for s in shapes.subjects(p, None)}, key=str)
    groups = []
    for i in range(n):
        g = rdflib.Graph()
        g += shapes
        for j, shape in enumerate(targeted):
            if j % n != i:
                for p in _TARGETS:
                    g.remove((shape, p, None))
        groups.append(g)
    return groups


_FORK_STATE: tuple | None = None


def _run_group(i: int) -> list[tuple]:
    data, groups, templates = _FORK_STATE
    return _raw_results(data, groups[i], templates)


def _parallel_raw_results(data, shapes, templates, workers: int) -> list[tuple]:
    """The same results, computed by ``workers`` forked processes that share the parsed graphs."""
    import multiprocessing as mp

    global _FORK_STATE
    _FORK_STATE = (data, _shape_groups(shapes, workers), templates)
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_run_group, range(workers))
    finally:
        _FORK_STATE = None
    return [r for part in parts for r in part]


_MEMO: dict[str, Report] = {}


def _memo_key(triples: list, shapes_path: Path, infos: bool) -> str:
    import hashlib

    h = hashlib.sha256(shapes_path.read_bytes())
    h.update(b"infos" if infos else b"-")
    for line in sorted(f"{t.subject} {t.predicate} {t.object}" for t in triples):
        h.update(line.encode())
        h.update(b"\n")
    return h.hexdigest()


def validate_triples(triples, shapes_path: Path, *, infos: bool = True, workers: int = 1) -> Report:
    """Validate pyoxigraph triples (data plus ontology) against the shapes.

    ``workers > 1`` splits the shapes over forked processes (for the command line; a server with
    threads validates in-process). The same data and shapes are validated once per process:
    the report is remembered by a hash of both."""
    import copy

    triples = list(triples)
    key = _memo_key(triples, shapes_path, infos)
    if key not in _MEMO:
        if len(_MEMO) > 8:
            _MEMO.clear()
        _MEMO[key] = _validate(triples, shapes_path, infos=infos, workers=workers)
    return copy.deepcopy(_MEMO[key])


def _validate(triples: list, shapes_path: Path, *, infos: bool, workers: int) -> Report:
    data = to_rdflib(triples)
    shapes = load_shapes(shapes_path)
    templates = _message_templates(shapes_path)
    if workers > 1:
        raw = _parallel_raw_results(data, shapes, templates, workers)
    else:
        raw = _raw_results(data, shapes, templates)
    report = Report()
    allowed_cache: dict = {}
    for focus, sev, de, en, path, value, scheme in raw:
        if sev == "Info" and not infos:
            continue
        if scheme is not None:
            allowed_de, allowed_en = _allowed(data, scheme, allowed_cache)
            de = f"{de} Erlaubt sind: {allowed_de}."
            en = f"{en} Allowed values: {allowed_en}."
        report.results.append(Result(focus=focus, severity=sev, message_de=de, message_en=en, path=path, value=value))
    focus_set = {r.focus for r in report.results}
    for t in data.triples((None, rdflib.SKOS.prefLabel, None)):
        if str(t[0]) in focus_set and getattr(t[2], "language", None) == "de":
            report.labels[str(t[0])] = str(t[2])
    return report
