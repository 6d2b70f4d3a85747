"""The SHACL shapes of ``ontology/shapes.ttl`` evaluated as SPARQL queries by pyoxigraph.

pySHACL checks one focus node at a time and parses each SPARQL-based constraint again for every
node; a Raster of 1,000 activities takes minutes that way. Here every constraint of the shapes
becomes one SPARQL query that finds all focus nodes breaking it at once. The shapes file stays
the one source of the rules: the queries are compiled from it, and results carry the shapes'
own messages and severities, in the form of :class:`inko_graph.validation.shacl.Report`.

Only the focus nodes of one graph (the new submission) are checked; the rest of the data (the
vocabularies, the ontology, the goals and organisations it refers to) is context. The compiler
knows the part of SHACL Core and SHACL-SPARQL that the shapes use (targets by class, subject,
object or node; paths; min/max count, datatype, class, node kind, ``sh:in``, ``sh:hasValue``,
``sh:pattern``, ``sh:uniqueLang``, ``sh:node``, ``sh:or``, ``sh:sparql``). Shapes that use anything
else are validated by pySHACL instead (slower, same results), so a new kind of rule never goes
unchecked. Results read as those of ``validate.validate_triples`` (the same values, and the
allowed values after the message of a vocabulary rule); tests compare both on every shape
fixture and on the whole graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from ..namespaces import shorten
from .shacl import Report, Result, _allowed, _scheme_of_shape, load_shapes, to_rdflib, validate_triples

__all__ = ["check", "compile_shapes", "Unsupported", "NEW_GRAPH"]

#: The graph that holds the data under check inside the private store of :func:`check`.
NEW_GRAPH = "urn:x-inko:pruefung:neu"
_CONTEXT_GRAPH = "urn:x-inko:pruefung:kontext"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}
_IGNORED = {RDF.type, RDFS.comment, RDFS.label, SH.name, SH.description, SH.order, SH.group,
            SH.severity, SH.message, SH.deactivated}
_NODE_KEYS = _TARGETS | _IGNORED | {SH.property, SH.sparql, SH["or"]}
_PROPERTY_KEYS = _IGNORED | _TARGETS | {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.uniqueLang,
                                        SH.nodeKind, SH["in"], SH.hasValue, SH.pattern, SH.flags, SH["or"], SH.node}
_VALUE_KEYS = {SH.datatype, SH["class"], SH.nodeKind, SH["in"]}

# Lexical forms of the datatypes whose values can be ill-formed in a way SPARQL does not see.
_LEXICAL = {
    _XSD + "integer": re.compile(r"[+-]?\d+"),
    _XSD + "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    _XSD + "boolean": re.compile(r"true|false|1|0"),
    _XSD + "gYear": re.compile(r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?"),
    _XSD + "date": re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?"),
    _XSD + "dateTime": re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"),
}


class Unsupported(Exception):
    """The shapes use a SHACL feature this compiler does not know; pySHACL takes over."""


@dataclass
class _Constraint:
    query: str
    severity: str
    messages: dict[str, str]
    shape: str
    path: str | None = None
    lexical: str | None = None       # a datatype whose lexical form is checked in Python
    sparql: bool = False             # from sh:sparql: without ?value the focus node is the value
    per_focus: bool = False          # a SPARQL constraint run once per focus node
    target: str = ""                 # the target pattern, for per-focus constraints
    scheme: str | None = None        # a vocabulary shape: the message adds the scheme's allowed values


@dataclass
class _Compiled:
    constraints: list[_Constraint] = field(default_factory=list)


def _n(term) -> str:
    """A term of the shapes graph in SPARQL syntax (the shapes are code, not user input)."""
    if isinstance(term, rdflib.URIRef):
        return str(ox.NamedNode(str(term)))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return str(ox.Literal(str(term), language=term.language))
        if term.datatype:
            return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
        return str(ox.Literal(str(term)))
    raise Unsupported(f"blank node {term!r} as a value")


def _list(g: rdflib.Graph, node) -> list:
    return list(rdflib.collection.Collection(g, node))


def _path(g: rdflib.Graph, node) -> str:
    if isinstance(node, rdflib.URIRef):
        return _n(node)
    if (node, RDF.first, None) in g:
        return "(" + "/".join(_path(g, p) for p in _list(g, node)) + ")"
    for pred, fmt in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"),
                      (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
        inner = g.value(node, pred)
        if inner is not None:
            return fmt.format(_path(g, inner))
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(_path(g, p) for p in _list(g, alt)) + ")"
    raise Unsupported(f"path {node!r}")


def _messages(g: rdflib.Graph, node) -> dict[str, str]:
    out = {}
    for m in g.objects(node, SH.message):
        if isinstance(m, rdflib.Literal):
            out[m.language or ""] = str(m)
    return out


def _severity(g: rdflib.Graph, node) -> str:
    sev = g.value(node, SH.severity)
    return _SEVERITY.get(sev, "Violation") if sev is not None else "Violation"


def _keys(g: rdflib.Graph, node, allowed: set, what: str) -> None:
    for p in set(g.predicates(node, None)):
        if p not in allowed and str(p).startswith(str(SH)):
            raise Unsupported(f"{p} in {what}")


def _target_pattern(g: rdflib.Graph, shape) -> str:
    if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, rdflib.OWL.Class) in g:
        raise Unsupported("implicit class target")
    parts = []
    classes = sorted(g.objects(shape, SH.targetClass), key=str)
    if classes:
        # instances of the classes and their subclasses; the classes first, which is fast
        parts.append("{ VALUES ?_tc { " + " ".join(_n(c) for c in classes) + " } "
                     "?_c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?_tc . ?this a ?_c }")
    for p in sorted(g.objects(shape, SH.targetSubjectsOf), key=str):
        parts.append(f"{{ ?this {_n(p)} ?_t }}")
    for p in sorted(g.objects(shape, SH.targetObjectsOf), key=str):
        parts.append(f"{{ ?_t {_n(p)} ?this }}")
    nodes = sorted(g.objects(shape, SH.targetNode), key=str)
    if nodes:
        parts.append("{ VALUES ?this { " + " ".join(_n(n) for n in nodes) + " } }")
    return " UNION ".join(parts)


def _focus(target: str) -> str:
    """A sub-select of the focus nodes: targets of the shape that are subjects of the new graph."""
    return (f"{{ SELECT DISTINCT ?this WHERE {{ {target} "
            f"FILTER EXISTS {{ GRAPH <{NEW_GRAPH}> {{ ?this ?_p ?_o }} }} }} }}")


_NESTED_KEYS = _IGNORED | {SH.path, SH.property, SH.minCount, SH.maxCount, SH.hasValue, SH.node, SH["or"]} | _VALUE_KEYS


class _Vars:
    """Fresh variable names for nested conditions."""

    def __init__(self):
        self.n = 0

    def new(self) -> str:
        self.n += 1
        return f"?_x{self.n}"


def _value_condition(g: rdflib.Graph, member, var: str, vs: "_Vars") -> list[str]:
    """Conditions on ``var`` itself: datatype, class, node kind, sh:in, sh:hasValue, sh:node, sh:or."""
    conds = []
    for d in g.objects(member, SH.datatype):
        conds.append(f"(isLiteral({var}) && datatype({var}) = {_n(d)})")
    for c in g.objects(member, SH["class"]):
        conds.append(f"EXISTS {{ {var} a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {_n(c)} }}")
    for k in g.objects(member, SH.nodeKind):
        conds.append(_node_kind(k, var))
    for lst in g.objects(member, SH["in"]):
        conds.append(f"({var} IN ({', '.join(_n(v) for v in _list(g, lst))}))")
    for node in g.objects(member, SH.node):
        conds.append(_conforms(g, node, var, vs))
    for lst in g.objects(member, SH["or"]):
        conds.append("(" + " || ".join(_conforms(g, m, var, vs) for m in _list(g, lst)) + ")")
    return conds


def _conforms(g: rdflib.Graph, shape, var: str, vs: "_Vars") -> str:
    """A SPARQL expression that holds when the node in ``var`` conforms to ``shape`` (nested shapes,
    members of sh:or, the shape of sh:node)."""
    if (shape, SH.deactivated, rdflib.Literal(True)) in g:
        return "true"
    for p in set(g.predicates(shape, None)):
        if p not in _NESTED_KEYS and str(p).startswith(str(SH)):
            raise Unsupported(f"{p} in a nested shape")
    if (shape, SH.path, None) in g:
        return _property_condition(g, shape, var, vs)
    conds = [c for c in _value_condition(g, shape, var, vs)]
    for v in g.objects(shape, SH.hasValue):
        conds.append(f"sameTerm({var}, {_n(v)})")
    for prop in g.objects(shape, SH.property):
        conds.append(_property_condition(g, prop, var, vs))
    return "(" + " && ".join(conds) + ")" if conds else "true"


def _property_condition(g: rdflib.Graph, prop, var: str, vs: "_Vars") -> str:
    pe = _path(g, g.value(prop, SH.path))
    conds = []
    mc = g.value(prop, SH.minCount)
    if mc is not None and int(mc) > 0:
        if int(mc) > 1:
            raise Unsupported("sh:minCount > 1 in a nested shape")
        x = vs.new()
        conds.append(f"EXISTS {{ {var} {pe} {x} }}")
    xc = g.value(prop, SH.maxCount)
    if xc is not None:
        if int(xc) > 0:
            raise Unsupported("sh:maxCount > 0 in a nested shape")
        x = vs.new()
        conds.append(f"NOT EXISTS {{ {var} {pe} {x} }}")
    for v in g.objects(prop, SH.hasValue):
        conds.append(f"EXISTS {{ {var} {pe} {_n(v)} }}")
    x = vs.new()
    value = _value_condition(g, prop, x, vs)
    if value:
        conds.append(f"NOT EXISTS {{ {var} {pe} {x} FILTER(!({' && '.join(value)})) }}")
    return "(" + " && ".join(conds) + ")" if conds else "true"


def _node_kind(kind, var: str) -> str:
    table = {
        SH.IRI: f"isIRI({var})", SH.Literal: f"isLiteral({var})", SH.BlankNode: f"isBlank({var})",
        SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
        SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
        SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
    }
    if kind not in table:
        raise Unsupported(f"node kind {kind}")
    return table[kind]


def _property_constraints(g: rdflib.Graph, prop, target: str, shape_id: str) -> list[_Constraint]:
    if (prop, SH.deactivated, rdflib.Literal(True)) in g:
        return []
    _keys(g, prop, _PROPERTY_KEYS, "property shape")
    path_node = g.value(prop, SH.path)
    if path_node is None:
        raise Unsupported("property shape without sh:path")
    pe = _path(g, path_node)
    sev, msgs = _severity(g, prop), _messages(g, prop)
    rpath = str(path_node) if isinstance(path_node, rdflib.URIRef) else None
    foc = _focus(target)
    out: list[_Constraint] = []

    scheme = _scheme_of_shape(g, prop)

    def add(query: str, **kw):
        out.append(_Constraint(query=query, severity=sev, messages=msgs, shape=shape_id, path=rpath,
                               scheme=str(scheme) if scheme is not None else None, **kw))

    mc = g.value(prop, SH.minCount)
    if mc is not None and int(mc) > 0:
        add(f"SELECT ?this WHERE {{ {foc} OPTIONAL {{ ?this {pe} ?_v }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {int(mc)})")
    xc = g.value(prop, SH.maxCount)
    if xc is not None:
        add(f"SELECT ?this WHERE {{ {foc} ?this {pe} ?_v }} GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {int(xc)})")
    for d in g.objects(prop, SH.datatype):
        add(f"SELECT ?this ?value WHERE {{ {foc} ?this {pe} ?value "
            f"FILTER(!isLiteral(?value) || datatype(?value) != {_n(d)}) }}")
        if str(d) in _LEXICAL:
            add(f"SELECT ?this ?value WHERE {{ {foc} ?this {pe} ?value "
                f"FILTER(isLiteral(?value) && datatype(?value) = {_n(d)}) }}", lexical=str(d))
    for c in g.objects(prop, SH["class"]):
        add(f"SELECT ?this ?value WHERE {{ {foc} ?this {pe} ?value "
            f"FILTER NOT EXISTS {{ ?value a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {_n(c)} }} }}")
    for k in g.objects(prop, SH.nodeKind):
        add(f"SELECT ?this ?value WHERE {{ {foc} ?this {pe} ?value FILTER(!{_node_kind(k, '?value')}) }}")
    for lst in g.objects(prop, SH["in"]):
        add(f"SELECT ?this ?value WHERE {{ {foc} ?this {pe} ?value "
            f"FILTER(?value NOT IN ({', '.join(_n(v) for v in _list(g, lst))})) }}")
    for v in g.objects(prop, SH.hasValue):
        add(f"SELECT ?this WHERE {{ {foc} FILTER NOT EXISTS {{ ?this {pe} {_n(v)} }} }}")
    for pat in g.objects(prop, SH.pattern):
        flags = g.value(prop, SH.flags)
        fl = f", {_n(rdflib.Literal(str(flags)))}" if flags is not None else ""
        add(f"SELECT ?this ?value WHERE {{ {foc} ?this {pe} ?value "
            f"FILTER(isBlank(?value) || !REGEX(STR(?value), {_n(rdflib.Literal(str(pat)))}{fl})) }}")
    if (prop, SH.uniqueLang, rdflib.Literal(True)) in g:
        add(f"SELECT ?this WHERE {{ {foc} ?this {pe} ?_v BIND(lang(?_v) AS ?_l) FILTER(?_l != \"\") }} "
            f"GROUP BY ?this ?_l HAVING (COUNT(DISTINCT ?_v) > 1)")
    for lst in g.objects(prop, SH["or"]):
        vs = _Vars()
        conds = [_conforms(g, m, "?value", vs) for m in _list(g, lst)]
        add(f"SELECT ?this ?value WHERE {{ {foc} ?this {pe} ?value FILTER(!({' || '.join(conds)})) }}")
    for node in g.objects(prop, SH.node):
        add(f"SELECT ?this ?value WHERE {{ {foc} ?this {pe} ?value FILTER(!{_conforms(g, node, '?value', _Vars())}) }}")
    return out


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_NESTED_SELECT = re.compile(r"\{\s*SELECT\b(.*)", re.IGNORECASE | re.DOTALL)


def _prefixes(g: rdflib.Graph, constraint) -> str:
    lines = []
    for pnode in g.objects(constraint, SH.prefixes):
        for decl in g.objects(pnode, SH.declare):
            prefix, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(lines)


def _sparql_constraint(g: rdflib.Graph, node, target: str, shape_id: str, sev: str) -> _Constraint:
    if (node, SH.deactivated, rdflib.Literal(True)) in g:
        raise Unsupported("deactivated SPARQL constraint")  # rare; let pySHACL decide
    select = g.value(node, SH.select)
    if select is None:
        raise Unsupported("SPARQL constraint without sh:select")
    text = str(select)
    for var in ("$PATH", "$shapesGraph", "$currentShape", "$value"):
        if var in text:
            raise Unsupported(f"{var} in a SPARQL constraint")
    body = text.replace("$this", "?this")
    msgs = _messages(g, node)
    m = _WHERE.search(body)
    if m is None:
        raise Unsupported("SPARQL constraint without WHERE")
    nested = _NESTED_SELECT.search(body, m.end())
    prefixes = _prefixes(g, node)
    if nested and "?this" in nested.group(1):
        # $this inside a sub-select: bulk joining would change the meaning; bind it per focus node.
        if not re.search(r"SELECT\s[^{]*\?this\b", body[: m.start()], re.IGNORECASE):
            raise Unsupported("SPARQL constraint that does not select $this")
        return _Constraint(query=prefixes + "\n" + body, severity=sev, messages=msgs, shape=shape_id,
                           sparql=True, per_focus=True, target=target)
    # Join the focus nodes first in the outermost group: FILTER (NOT) EXISTS then sees ?this bound,
    # as it would with pre-binding.
    query = prefixes + "\n" + body[: m.end()] + " " + _focus(target) + " " + body[m.end():]
    return _Constraint(query=query, severity=sev, messages=msgs, shape=shape_id, sparql=True)


def compile_shapes(g: rdflib.Graph) -> _Compiled:
    """Every constraint of the shapes graph as a query; raises :class:`Unsupported`."""
    compiled = _Compiled()
    shapes = set()
    for t in _TARGETS:
        shapes.update(g.subjects(t, None))
    for shape in sorted(shapes, key=str):
        if (shape, SH.deactivated, rdflib.Literal(True)) in g:
            continue
        shape_id = str(shape)
        target = _target_pattern(g, shape)
        if (shape, SH.path, None) in g:  # a property shape with its own targets
            compiled.constraints += _property_constraints(g, shape, target, shape_id)
            continue
        _keys(g, shape, _NODE_KEYS, "node shape")
        sev = _severity(g, shape)
        for prop in g.objects(shape, SH.property):
            compiled.constraints += _property_constraints(g, prop, target, shape_id)
        for lst in g.objects(shape, SH["or"]):
            vs = _Vars()
            conds = [_conforms(g, m, "?this", vs) for m in _list(g, lst)]
            compiled.constraints.append(_Constraint(
                query=f"SELECT ?this ?value WHERE {{ {_focus(target)} BIND(?this AS ?value) "
                      f"FILTER(!({' || '.join(conds)})) }}",
                severity=sev, messages=_messages(g, shape), shape=shape_id))
        for node in g.objects(shape, SH.sparql):
            compiled.constraints.append(_sparql_constraint(g, node, target, shape_id, sev))
    return compiled


_COMPILED: dict[Path, tuple[float, _Compiled | None]] = {}


def _compiled_for(shapes_path: Path) -> _Compiled | None:
    key = shapes_path.resolve()
    stamp = key.stat().st_mtime
    hit = _COMPILED.get(key)
    if hit is None or hit[0] != stamp:
        try:
            compiled: _Compiled | None = compile_shapes(load_shapes(shapes_path))
        except Unsupported:
            compiled = None
        _COMPILED[key] = (stamp, compiled)
    return _COMPILED[key][1]


def _text(term) -> str:
    """A term as pySHACL writes it into a message: the IRI or the lexical form."""
    return term.value if term is not None else ""


def _fill(message: str, row, names: list[str]) -> str:
    for name in names:
        term = row[name]
        message = message.replace("{?" + name + "}", _text(term)).replace("{$" + name + "}", _text(term))
    return message


def _value_repr(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)  # as validate.py writes values
    return term.value


def _result(c: _Constraint, row, names: list[str]) -> Result:
    de = c.messages.get("de") or c.messages.get("") or ""
    en = c.messages.get("en") or de
    path = c.path
    if path is None and "path" in names and isinstance(row["path"], ox.NamedNode):
        path = row["path"].value
    value = row["value"] if "value" in names else None
    if value is None and c.sparql:
        value = row["this"]  # SHACL-SPARQL: without ?value the focus node is the value
    return Result(focus=row["this"].value, severity=c.severity, message_de=_fill(de, row, names),
                  message_en=_fill(en, row, names), path=path, value=_value_repr(value), shape=c.shape)


def _run(store: ox.Store, c: _Constraint, focus_nodes) -> list[Result]:
    out = []
    if c.per_focus:
        for node in focus_nodes(c.target):
            res = store.query(c.query, use_default_graph_as_union=True, substitutions={ox.Variable("this"): node})
            names = [v.value for v in res.variables]
            out += [_result(c, row, names) for row in res]
        return out
    res = store.query(c.query, use_default_graph_as_union=True)
    names = [v.value for v in res.variables]
    lexical = _LEXICAL.get(c.lexical) if c.lexical else None
    for row in res:
        if lexical is not None and lexical.fullmatch(row["value"].value):
            continue
        out.append(_result(c, row, names))
    return out


def check(new_triples, context_triples, shapes_path: Path, *, infos: bool = True) -> Report:
    """Validate the subjects of ``new_triples`` against the shapes, with ``context_triples`` as context."""
    compiled = _compiled_for(shapes_path)
    new_triples = list(new_triples)
    context_triples = list(context_triples)
    if compiled is None:
        report = validate_triples(context_triples + new_triples, shapes_path, infos=infos)
        mine = {t.subject.value for t in new_triples if isinstance(t.subject, ox.NamedNode)}
        report.results = [r for r in report.results if r.focus in mine]
        return report
    store = ox.Store()
    ng, cg = ox.NamedNode(NEW_GRAPH), ox.NamedNode(_CONTEXT_GRAPH)
    store.bulk_extend([ox.Quad(t.subject, t.predicate, t.object, ng) for t in new_triples]
                      + [ox.Quad(t.subject, t.predicate, t.object, cg) for t in context_triples])

    def focus_nodes(target: str):
        return [row["this"] for row in store.query(f"SELECT ?this WHERE {_focus(target)}", use_default_graph_as_union=True)]

    report = Report()
    data = None
    allowed_cache: dict = {}
    for c in compiled.constraints:
        if c.severity == "Info" and not infos:
            continue
        results = _run(store, c, focus_nodes)
        if c.scheme is not None and results:
            # the same words as validate.py: the allowed values of the vocabulary after the message
            if data is None:
                data = to_rdflib(context_triples + new_triples)
            allowed_de, allowed_en = _allowed(data, rdflib.URIRef(c.scheme), allowed_cache)
            for r in results:
                r.message_de = f"{r.message_de} Erlaubt sind: {allowed_de}."
                r.message_en = f"{r.message_en} Allowed values: {allowed_en}."
        report.results += results
    pref = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    focus = {r.focus for r in report.results}
    for t in new_triples + context_triples:
        if t.predicate == pref and t.subject.value in focus and getattr(t.object, "language", None) == "de":
            report.labels[t.subject.value] = t.object.value
    return report
