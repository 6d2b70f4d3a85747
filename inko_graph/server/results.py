"""Query results in the SPARQL 1.1 result formats (JSON, XML, CSV, TSV), at most ``max_rows`` rows.

The engine's own serializers write every row; these stop at the row limit, which is why they
exist. They are plain functions over pyoxigraph terms and run in the query workers.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..namespaces import PREFIXES

__all__ = ["take_rows", "solutions_bytes", "boolean_bytes", "graph_bytes", "term_json"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def take(items, max_rows: int) -> tuple[list, bool]:
    """Up to ``max_rows`` items of an iterator, and whether more were left."""
    out = []
    for item in items:
        if len(out) >= max_rows:
            return out, True
        out.append(item)
    return out, False


def take_rows(solutions, max_rows: int) -> tuple[list[str], list[tuple], bool]:
    """Variables, up to ``max_rows`` rows (tuples of terms or ``None``), and whether more were left."""
    variables = [v.value for v in solutions.variables]
    rows, truncated = take((tuple(sol) for sol in solutions), max_rows)
    return variables, rows, truncated


def term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.Literal):
        d = {"type": "literal", "value": term.value}
        if term.language:
            d["xml:lang"] = term.language
        else:
            dt = term.datatype.value
            if dt != _XSD_STRING:
                d["datatype"] = dt
        return d
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    raise TypeError(f"unbekannter Term {term!r}")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        dt = term.datatype.value
        if dt != _XSD_STRING:
            return f"<literal datatype={quoteattr(dt)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return ("<triple>" + "".join(f"<{k}>{_xml_term(getattr(term, k))}</{k}>"
                                     for k in ("subject", "predicate", "object")) + "</triple>")
    raise TypeError(f"unbekannter Term {term!r}")


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _json_rows(variables: list[str], rows: list[tuple]) -> str:
    # Results repeat the same terms row after row: each term is encoded once.
    names = [json.dumps(v, ensure_ascii=False) + ":" for v in variables]
    memo: dict = {}
    out = []
    for row in rows:
        items = []
        for name, t in zip(names, row):
            if t is None:
                continue
            frag = memo.get(t)
            if frag is None:
                frag = memo[t] = json.dumps(term_json(t), ensure_ascii=False, separators=(",", ":"))
            items.append(name + frag)
        out.append("{" + ",".join(items) + "}")
    return ",".join(out)


def solutions_bytes(fmt: str, variables: list[str], rows: list[tuple]) -> bytes:
    if fmt == "json":
        head = json.dumps({"vars": variables}, ensure_ascii=False, separators=(",", ":"))
        return ('{"head":' + head + ',"results":{"bindings":[' + _json_rows(variables, rows) + "]}}").encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
        out.append("</head>\n<results>\n")
        for row in rows:
            out.append("<result>")
            for v, t in zip(variables, row):
                if t is not None:
                    out.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
            out.append("</result>\n")
        out.append("</results>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in rows:
            w.writerow([_csv_value(t) for t in row])
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        for row in rows:
            lines.append("\t".join("" if t is None else str(t) for t in row))
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"kein Ergebnisformat {fmt!r}")


def boolean_bytes(fmt: str, value: bool) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
                f"<head/>\n<boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n").encode("utf-8")
    # CSV and TSV define no boolean result; this is the form Jena and Virtuoso answer with.
    if fmt == "csv":
        return f"_askResult\r\n{'true' if value else 'false'}\r\n".encode("utf-8")
    if fmt == "tsv":
        return f"?_askResult\n{'true' if value else 'false'}\n".encode("utf-8")
    raise ValueError(f"kein Ergebnisformat {fmt!r}")


def graph_bytes(fmt: str, triples) -> bytes:
    f = _RDF_FORMATS[fmt]
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
    return ox.serialize(triples, format=f, prefixes=prefixes)
