"""Content negotiation: the best of the offered formats for an ``Accept`` header (RFC 9110).

Each format has a short key (used for ``?format=`` and file suffixes) and media types; the first
media type is the one the response carries. Among equally acceptable formats the order of the
offer decides, so the first offered format is the default for ``*/*`` or a missing header.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Format", "FORMATS", "RESULT_FORMATS", "GRAPH_FORMATS", "negotiate", "by_key", "by_suffix", "nearest"]


@dataclass(frozen=True)
class Format:
    key: str
    media_types: tuple[str, ...]
    suffix: str
    label: str

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        mt = self.media_types[0]
        return mt + "; charset=utf-8" if mt.startswith("text/") or mt.endswith(("+json", "+xml", "/json")) else mt


FORMATS: dict[str, Format] = {f.key: f for f in (
    Format("json", ("application/sparql-results+json", "application/json"), ".srj", "SPARQL-JSON"),
    Format("xml", ("application/sparql-results+xml", "application/xml", "text/xml"), ".srx", "SPARQL-XML"),
    Format("csv", ("text/csv",), ".csv", "CSV"),
    Format("tsv", ("text/tab-separated-values",), ".tsv", "TSV"),
    Format("turtle", ("text/turtle", "application/x-turtle"), ".ttl", "Turtle"),
    Format("ntriples", ("application/n-triples", "text/plain"), ".nt", "N-Triples"),
    Format("nquads", ("application/n-quads",), ".nq", "N-Quads"),
    Format("trig", ("application/trig",), ".trig", "TriG"),
    Format("jsonld", ("application/ld+json",), ".jsonld", "JSON-LD"),
    Format("rdfxml", ("application/rdf+xml",), ".rdf", "RDF/XML"),
    Format("html", ("text/html", "application/xhtml+xml"), ".html", "HTML"),
)}

#: Offers, in order of preference, for SELECT, for ASK and for graphs (CONSTRUCT, DESCRIBE, pages).
RESULT_FORMATS = ("json", "xml", "csv", "tsv", "html")
BOOLEAN_FORMATS = ("json", "xml", "csv", "tsv", "html")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml", "html")

_ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml",
            "srj": "json", "srx": "xml", "nq": "nquads", "application/sparql-results+json": "json",
            # names clients send in ?format= (SPARQLWrapper: n3, rdf+xml, json-ld); Turtle is valid N3
            "n3": "turtle", "text/n3": "turtle", "text/rdf+n3": "turtle", "rdf+xml": "rdfxml", "rdf/xml": "rdfxml",
            "xml-rdf": "rdfxml", "ld+json": "jsonld", "tab-separated-values": "tsv", "htm": "html"}

#: For a format that a kind of result cannot take, the nearest one it can: ``format=xml`` asks for
#: XML, which a graph gives as RDF/XML; ``format=json`` for a graph means JSON-LD; and back.
_NEAREST = {"xml": "rdfxml", "rdfxml": "xml", "json": "jsonld", "jsonld": "json", "nquads": "ntriples", "trig": "turtle"}


def by_key(key: str) -> Format | None:
    key = key.strip().lower()
    key = _ALIASES.get(key, key)
    if key in FORMATS:
        return FORMATS[key]
    for f in FORMATS.values():
        if key in f.media_types:
            return f
    return None


def nearest(fmt: Format, offers: tuple[str, ...]) -> Format | None:
    """``fmt`` if it is offered, else the nearest offered format of the same family (see
    ``_NEAREST``), else ``None`` (then the ``Accept`` header decides)."""
    if fmt.key in offers:
        return fmt
    near = _NEAREST.get(fmt.key)
    return FORMATS[near] if near in offers else None


def by_suffix(suffix: str) -> Format | None:
    return by_key(suffix.lstrip("."))


@lru_cache(maxsize=512)
def _parse(accept: str) -> tuple[tuple[str, str, float, int], ...]:
    ranges = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mt = fields[0].lower()
        if not mt:
            continue
        if "/" not in mt:
            mt = "*/*" if mt == "*" else mt + "/*"
        q = 1.0
        for f in fields[1:]:
            name, _, value = f.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        typ, _, sub = mt.partition("/")
        ranges.append((typ, sub, q, i))
    return tuple(ranges)


def _quality(ranges, media_type: str) -> tuple[float, int]:
    """The q of the most specific range that matches, with its specificity (-1: none matches)."""
    typ, _, sub = media_type.partition("/")
    best_spec, best_q = -1, 0.0
    for rt, rs, q, _ in ranges:
        if rt == typ and rs == sub:
            spec = 2
        elif rt == typ and rs == "*":
            spec = 1
        elif rt == "*" and rs == "*":
            spec = 0
        else:
            continue
        if spec > best_spec or (spec == best_spec and q > best_q):
            best_spec, best_q = spec, q
    return best_q, best_spec


@lru_cache(maxsize=1024)
def negotiate(accept: str | None, offers: tuple[str, ...]) -> Format | None:
    """The best format of ``offers`` (format keys) for ``accept``; ``None`` if none is acceptable."""
    if not accept or not accept.strip():
        return FORMATS[offers[0]]
    ranges = _parse(accept)
    if not ranges:
        return FORMATS[offers[0]]
    best, best_q = None, 0.0
    for key in offers:
        fmt = FORMATS[key]
        # The most specific range naming any of the format's types decides (so an explicit q=0 excludes).
        q, _ = max((_quality(ranges, mt) for mt in fmt.media_types), key=lambda qs: (qs[1], qs[0]))
        # Strictly greater: among equals the earlier offer wins.
        if q > best_q:
            best, best_q = fmt, q
    return best
