"""Read ``graph_data/`` and ``ontology/`` into named graphs, following the mapping in ``graphs.ttl``.

Turtle and TriG files are parsed as they are; CSV files of curated links are mapped to a triple
plus an ``inko:Kuratierung`` that carries the reason. Nothing here touches the store.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import GRAPH, INKO, PREFIXES
from ..settings import Settings

__all__ = ["Dataset", "read_sources", "parse_rdf_file", "read_curated_csv", "expand"]

RDF = PREFIXES["rdf"]
RDF_TYPE = ox.NamedNode(RDF + "type")
META_GRAPH = GRAPH + "meta"


@dataclass
class Dataset:
    """Named graphs as lists of triples, plus where each graph's files came from."""

    graphs: dict[str, list[ox.Triple]] = field(default_factory=dict)
    files: dict[str, list[Path]] = field(default_factory=dict)

    def add(self, graph: str, triples, path: Path | None = None) -> None:
        self.graphs.setdefault(graph, []).extend(triples)
        if path is not None:
            self.files.setdefault(graph, []).append(path)

    def quads(self):
        for g, triples in self.graphs.items():
            gn = ox.NamedNode(g)
            for t in triples:
                yield ox.Quad(t.subject, t.predicate, t.object, gn)

    def __len__(self) -> int:
        return sum(len(t) for t in self.graphs.values())


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


#: RDF formats by file suffix.
RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
               ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
               ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
               ".n3": ox.RdfFormat.N3}


def parse_rdf_file(path: Path) -> list[ox.Triple]:
    """Parse one RDF file (graphs merged); a syntax error names the file, line and column."""
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unbekanntes Dateiformat {path.suffix!r} (erlaubt: {', '.join(sorted(RDF_FORMATS))})",
                         source=_rel(path))
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"Datei kann nicht gelesen werden: {e.strerror}", source=_rel(path)) from None
    try:
        quads = list(ox.parse(data, format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as e:
        line = e.lineno if isinstance(e.lineno, int) else None
        col = e.offset if isinstance(e.offset, int) else None
        msg = str(e.msg if hasattr(e, "msg") else e)
        raise InputError(f"Syntaxfehler: {msg}", source=_rel(path), line=line, column=col) from None
    return [ox.Triple(q.subject, q.predicate, q.object) if isinstance(q, ox.Quad) else q for q in quads]


def expand(term: str, *, where: str) -> ox.NamedNode | ox.Literal:
    """A prefixed name (``lp:alter``) or ``<iri>`` as a term; anything else is an error."""
    term = term.strip()
    if term.startswith("<") and term.endswith(">"):
        return ox.NamedNode(term[1:-1])
    if term.startswith("http://") or term.startswith("https://"):
        return ox.NamedNode(term)
    prefix, sep, local = term.partition(":")
    if sep and prefix in PREFIXES:
        return ox.NamedNode(PREFIXES[prefix] + local)
    raise InputError(f"{term!r} ist kein bekannter Name (erwartet z. B. lp:alter oder <https://…>)", source=where)


CURATED_COLUMNS = ["subjekt", "praedikat", "objekt", "begruendung"]
#: Curated links whose inverse is added too (a sub-unit and its organisation, as W3C ORG has them).
_INVERSE = {PREFIXES["org"] + "subOrganizationOf": PREFIXES["org"] + "hasSubOrganization"}


def read_curated_csv(path: Path) -> list[ox.Triple]:
    """Map a CSV of curated links to triples and one ``inko:Kuratierung`` per link."""
    out: list[ox.Triple] = []
    where = _rel(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise InputError(f"Datei kann nicht gelesen werden: {e.strerror}", source=where) from None
    except UnicodeDecodeError as e:
        line = path.read_bytes()[:e.start].count(b"\n") + 1
        raise InputError("die Datei ist nicht als UTF-8 gespeichert; bitte als „CSV UTF-8“ speichern",
                         source=where, line=line) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != CURATED_COLUMNS:
        raise InputError(f"die Kopfzeile muss {','.join(CURATED_COLUMNS)} lauten, ist aber {header!r}",
                         source=where, line=1)
    for lineno, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if len(row) != 4:
            raise InputError(f"erwartet 4 Spalten, gefunden {len(row)}", source=where, line=lineno)
        s, p, o, reason = row
        if not reason.strip():
            raise InputError("die Begründung fehlt", source=where, line=lineno, column=4)
        loc = f"{where}, Zeile {lineno}"
        st, pt, ot = expand(s, where=loc), expand(p, where=loc), expand(o, where=loc)
        links = [(st, pt, ot)]
        if pt.value in _INVERSE:  # W3C ORG names both directions; both are stated, each with its reason
            links.append((ot, ox.NamedNode(_INVERSE[pt.value]), st))
        for st, pt, ot in links:
            out.append(ox.Triple(st, pt, ot))
            key = hashlib.sha1(f"{st}{pt}{ot}".encode()).hexdigest()[:16]
            k = ox.NamedNode(f"{PREFIXES['id']}kuratierung/{key}")
            out += [
                ox.Triple(k, RDF_TYPE, ox.NamedNode(INKO + "Kuratierung")),
                ox.Triple(k, ox.NamedNode(RDF + "subject"), st),
                ox.Triple(k, ox.NamedNode(RDF + "predicate"), pt),
                ox.Triple(k, ox.NamedNode(RDF + "object"), ot),
                ox.Triple(k, ox.NamedNode(INKO + "begruendung"), ox.Literal(reason.strip(), language="de")),
                ox.Triple(k, ox.NamedNode(PREFIXES["dcterms"] + "source"), ox.Literal(f"{path.name}, Zeile {lineno}")),
            ]
    return out


def _graph_folders(meta: list[ox.Triple]) -> dict[str, str]:
    verz = ox.NamedNode(INKO + "verzeichnis")
    return {t.subject.value: t.object.value for t in meta if t.predicate == verz}


def read_sources(settings: Settings) -> Dataset:
    """Every graph declared in ``graphs.ttl``, read from its folder."""
    ds = Dataset()
    manifest = settings.data_dir / "graphs.ttl"
    if not manifest.exists():
        raise InputError("graphs.ttl fehlt: ohne sie ist unklar, welcher Ordner in welchen Graphen gehört",
                         source=_rel(manifest))
    meta = parse_rdf_file(manifest)
    ds.add(META_GRAPH, meta, manifest)
    for graph, folder in sorted(_graph_folders(meta).items()):
        base = settings.ontology_dir if folder == "../ontology" else settings.data_dir / folder
        if not base.is_dir():
            raise InputError(f"der Ordner {folder!r} für den Graphen <{graph}> fehlt", source=_rel(manifest))
        ds.graphs.setdefault(graph, [])
        for path in sorted(base.iterdir()):
            if path.name == "shapes.ttl" and folder == "../ontology":
                continue  # the shapes validate the data; they are not part of it
            if path.suffix in (".ttl", ".trig", ".nt"):
                ds.add(graph, parse_rdf_file(path), path)
            elif path.suffix == ".csv":
                ds.add(graph, read_curated_csv(path), path)
    return ds
