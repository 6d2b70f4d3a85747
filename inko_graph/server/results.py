"""Query results in the SPARQL 1.1 result formats (JSON, XML, CSV, TSV) and RDF formats.

The writers take rows one at a time and write to a binary file, so a long answer goes to disk
row by row with flat memory (``query_worker`` spills answers above ``SPILL_ROWS`` that way);
``solutions_bytes``/``graph_bytes`` are the same writers into memory for short answers. They are
plain functions over pyoxigraph terms and run in the query workers.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..namespaces import PREFIXES

__all__ = ["take_rows", "solutions_bytes", "write_solutions", "boolean_bytes", "graph_bytes", "write_graph",
           "term_json"]

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


#: Distinct terms whose JSON encoding is kept for reuse; bounded so that a long answer keeps flat memory.
_MEMO_TERMS = 4096


def _json_writer(variables: list[str]):
    # Results repeat the same terms row after row: each term is encoded once (up to _MEMO_TERMS).
    names = [json.dumps(v, ensure_ascii=False) + ":" for v in variables]
    memo: dict = {}

    def row_json(row) -> str:
        items = []
        for name, t in zip(names, row):
            if t is None:
                continue
            frag = memo.get(t)
            if frag is None:
                if len(memo) >= _MEMO_TERMS:
                    memo.clear()
                frag = memo[t] = json.dumps(term_json(t), ensure_ascii=False, separators=(",", ":"))
            items.append(name + frag)
        return "{" + ",".join(items) + "}"

    return row_json


def _xml_row(variables: list[str], row) -> str:
    return ("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                 for v, t in zip(variables, row) if t is not None) + "</result>\n")


def write_solutions(fmt: str, variables: list[str], rows, out) -> None:
    """Write the rows (an iterable of tuples of terms or ``None``) in ``fmt`` to the binary file ``out``,
    in pieces of about 64 KiB."""
    if fmt == "json":
        head = json.dumps({"vars": variables}, ensure_ascii=False, separators=(",", ":"))
        row_text, opening, sep, closing = _json_writer(variables), '{"head":' + head + ',"results":{"bindings":[', ",", "]}}"
    elif fmt == "xml":
        opening = ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>'
                   + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head>\n<results>\n")
        row_text, sep, closing = (lambda row: _xml_row(variables, row)), "", "</results>\n</sparql>\n"
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        opening, sep, closing = buf.getvalue(), "", ""

        def row_text(row) -> str:
            buf.seek(0)
            buf.truncate()
            w.writerow([_csv_value(t) for t in row])
            return buf.getvalue()
    elif fmt == "tsv":
        opening, sep, closing = "\t".join("?" + v for v in variables) + "\n", "", ""

        def row_text(row) -> str:
            return "\t".join("" if t is None else str(t) for t in row) + "\n"
    else:
        raise ValueError(f"kein Ergebnisformat {fmt!r}")
    pieces, size, first = [opening], len(opening), True
    for row in rows:
        text = row_text(row) if first else sep + row_text(row)
        first = False
        pieces.append(text)
        size += len(text)
        if size >= 1 << 16:
            out.write("".join(pieces).encode("utf-8"))
            pieces, size = [], 0
    pieces.append(closing)
    out.write("".join(pieces).encode("utf-8"))


def solutions_bytes(fmt: str, variables: list[str], rows: list[tuple]) -> bytes:
    buf = io.BytesIO()
    write_solutions(fmt, variables, rows, buf)
    return buf.getvalue()


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


def write_graph(fmt: str, triples, out) -> None:
    """Write the triples (any iterable) in ``fmt`` to the binary file ``out``; the engine's serializer
    takes them one at a time."""
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
    ox.serialize(triples, out, format=_RDF_FORMATS[fmt], prefixes=prefixes)


def graph_bytes(fmt: str, triples) -> bytes:
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
    return ox.serialize(triples, format=_RDF_FORMATS[fmt], prefixes=prefixes)
