"""The versions (Fassungen) of a concept, and what changed between two of them.

A concept has up to three kinds of version, oldest first:

- the version of its source document, if the graph was built with one (``graph_data/``): what the
  document graphs say about the concept (query ``konzept-fassung-dokument``);
- each upload of its Konzept workbook that the journal recorded (a store on disk);
- the uploaded version in the store now, if the journal does not hold it (a store in memory
  keeps only the newest upload).

Versions are compared as the statements the Konzept workbook carries (``carried``): the concept,
its Handlungsfelder and Ziele, the Maßnahmen serving them, the Indikatoren measuring them and the
organisations named as Herausgeber or zuständig, each with the properties the workbook has a
column for. What a workbook cannot say (Kernaussagen, notes, further labels) is no change, and
neither is where an item stands in the workbook („Blatt Ziele, Zeile 5“), the graph or the time of
the upload. ``compare`` gives the ``diff.Diff`` of two versions.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import GRAPH, PREFIXES
from .mapping import ROW_PLACE

__all__ = ["Fassung", "versions", "uploaded", "carried", "compare", "quoted", "DOKUMENT", "AKTUELL"]

KONZEPT_GRAPHS = GRAPH + "konzept/"
DOKUMENT, AKTUELL = "dokument", "aktuell"
_I, _S, _D = PREFIXES["inko"], PREFIXES["skos"], PREFIXES["dcterms"]
_RDF = PREFIXES["rdf"] + "type"
_ORG = PREFIXES["org"] + "Organization"
_GOAL_TYPES = {_I + x for x in ("Ziel", "Leitziel", "Teilziel", "Leitthema", "Monitoringziel", "Jahresziel")}
_DE_TEXT = {_S + "prefLabel", _D + "description"}
_OWN_TYPE = {"konzept": _I + "Konzept", "feld": _I + "Handlungsfeld", "massnahme": _I + "Massnahme",
             "indikator": _I + "Indikator"}
#: Per kind: the properties the workbook has a column for.
_CARRIED = {
    "konzept": {_RDF, _S + "prefLabel", _I + "gebiet", _D + "date", _D + "publisher", _D + "source"},
    "feld": {_RDF, _S + "prefLabel", _S + "inScheme", _S + "notation", _D + "description", _I + "abschnitt",
             _D + "source"},
    "ziel": {_RDF, _S + "prefLabel", _S + "inScheme", _S + "notation", _S + "broader", _I + "handlungsfeld",
             _I + "lebensphase", _I + "zielgruppe", _D + "description", _I + "abschnitt", _D + "source",
             _S + "broadMatch"},
    "massnahme": {_RDF, _S + "prefLabel", _S + "notation", _D + "description", _I + "dient", _I + "handlungsfeld",
                  _I + "zustaendig", _I + "zustaendigkeit", _I + "wer", _I + "wann", _I + "lebensphase",
                  _I + "zielgruppe", _I + "zeithorizont", _I + "indikator", _I + "abschnitt", _D + "source"},
    "indikator": {_RDF, _S + "prefLabel", _S + "notation", _I + "indikatorart", _I + "misst", _I + "einheit",
                  _I + "datenquelle", _I + "abschnitt", _D + "source"},
    "org": {_S + "prefLabel", _I + "akteursart", _I + "gebiet"},
}


@dataclass
class Fassung:
    """One version of a concept: an id for the URL, its name in plain German, its statements."""

    id: str
    name: str
    load: Callable[[], list[ox.Triple]] = field(repr=False)
    zeit: str = ""          # ISO time of the upload ("" for the source document)

    def triples(self) -> list[ox.Triple]:
        return self.load()


def carried(triples, konzept: str) -> list[ox.Triple]:
    """The statements of a version that the Konzept workbook carries (see the module's description)."""
    st: dict[str, dict[str, list]] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            values = st.setdefault(t.subject.value, {}).setdefault(t.predicate.value, [])
            if t.object not in values:
                values.append(t.object)

    def iris(s: str, p: str) -> set[str]:
        return {o.value for o in st.get(s, {}).get(p, ()) if isinstance(o, ox.NamedNode)}

    members = [s for s in st if konzept in iris(s, _S + "inScheme")]
    fields = {s for s in members if _I + "Handlungsfeld" in iris(s, _RDF)}
    goals = {s for s in members if iris(s, _RDF) & _GOAL_TYPES}
    measures = {s for s in st if _I + "Massnahme" in iris(s, _RDF)
                and (iris(s, _I + "dient") & goals or iris(s, _I + "handlungsfeld") & fields)}
    indicators = {s for s in st if _I + "Indikator" in iris(s, _RDF) and iris(s, _I + "misst") & goals}
    orgs = iris(konzept, _D + "publisher") | {o for m in measures for o in iris(m, _I + "zustaendig")}
    inside = {_S + "broader": goals, _I + "dient": goals, _I + "misst": goals, _I + "handlungsfeld": fields,
              _I + "indikator": indicators}
    out: list[ox.Triple] = []
    for kind, subjects in (("konzept", {konzept}), ("feld", fields), ("ziel", goals), ("massnahme", measures),
                           ("indikator", indicators), ("org", orgs)):
        for s in sorted(subjects):
            node = ox.NamedNode(s)
            if kind == "org":
                out.append(ox.Triple(node, ox.NamedNode(_RDF), ox.NamedNode(_ORG)))
            for p in sorted(_CARRIED[kind]):
                for o in st.get(s, {}).get(p, ()):
                    if p in inside and kind != "konzept" and o.value not in inside[p]:
                        continue
                    if p == _D + "source" and o.value.startswith(GRAPH):
                        continue    # the graph of the upload: where, not what
                    if p in _DE_TEXT and getattr(o, "language", None) != "de":
                        continue
                    if p == _RDF and (o.value not in _GOAL_TYPES if kind == "ziel" else o.value != _OWN_TYPE[kind]):
                        continue
                    if p == _I + "abschnitt" and ROW_PLACE.match(o.value):
                        continue    # the row in the workbook moves when rows are inserted
                    out.append(ox.Triple(node, ox.NamedNode(p), o))
    return out


# -- where the versions are ------------------------------------------------------------------------

#: Journal entries read before: path -> (size, mtime, header or parsed triples). Entries never change
#: once written; the size and time guard against a file replaced under the same name.
_HEADERS: dict[str, tuple[int, int, dict | None]] = {}
_BODIES: dict[str, tuple[int, int, dict]] = {}


def _journal_headers(settings) -> list[tuple[int, Path, dict]]:
    """(number, path, header) of each journal entry of kind „konzept“; only the first line is read."""
    from ..store.journal import journal_dir

    folder = journal_dir(settings)
    if folder is None or not folder.is_dir():
        return []
    out = []
    for name in sorted(os.listdir(folder)):
        if not (name.endswith(".nq") and name[:-3].isdigit()):
            continue
        path = folder / name
        try:
            st = path.stat()
            got = _HEADERS.get(str(path))
            if got is None or got[:2] != (st.st_size, st.st_mtime_ns):
                with open(path, "rb") as f:
                    head = f.readline()
                header = None
                if head.startswith(b"# inko-journal "):
                    try:
                        header = json.loads(head[len(b"# inko-journal "):])
                    except ValueError:
                        header = None
                got = _HEADERS[str(path)] = (st.st_size, st.st_mtime_ns, header)
        except OSError:
            continue
        if got[2] is not None and got[2].get("kind") == "konzept":
            out.append((int(name[:-3]), path, got[2]))
    return out


def _entry_graph(path: Path, seq: int, graph: str) -> list[ox.Triple]:
    """The triples of ``graph`` in a journal entry (read once per process)."""
    from ..store.journal import _read_entry

    st = path.stat()
    got = _BODIES.get(str(path))
    if got is None or got[:2] != (st.st_size, st.st_mtime_ns):
        if len(_BODIES) > 32:
            _BODIES.clear()
        got = _BODIES[str(path)] = (st.st_size, st.st_mtime_ns, _read_entry(path, seq).replace)
    return got[2].get(graph, [])


def _when(iso: str) -> str:
    """„7.12.2026, 20:03 Uhr“ in German time (UTC if the time zones are not installed)."""
    try:
        t = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    try:
        from zoneinfo import ZoneInfo

        t, zone = t.astimezone(ZoneInfo("Europe/Berlin")), ""
    except Exception:   # no time zone data: say that it is UTC
        t, zone = t.astimezone(timezone.utc), " (UTC)"
    return f"{t.day}.{t.month}.{t.year}, {t:%H:%M} Uhr{zone}"


def quoted(text: str) -> str:
    """„text“, with quotes inside it as the inner German quotes ‚…‘ (not „…„…““)."""
    inner = text.replace("„", "‚").replace("“", "‘").replace("”", "‘")
    return f"„{inner}“"


def _upload_name(iso: str, datei: str | None) -> str:
    return f"Hochgeladen am {_when(iso)}" + (f" ({datei})" if datei else "")


def _generated(triples, graph: str) -> tuple[str, str | None]:
    """Time and file name the uploaded graph says of itself."""
    zeit, datei = "", None
    for t in triples:
        if t.subject.value == graph:
            if t.predicate.value == PREFIXES["prov"] + "generatedAtTime":
                zeit = t.object.value
            elif t.predicate.value == _D + "source" and isinstance(t.object, ox.Literal):
                datei = t.object.value
    return zeit, datei


def uploaded(rows, settings) -> set[str]:
    """The concepts with an upload: a graph of their own (``rows``: query ``konzept-fassungen``) or
    an entry in the journal."""
    out = {r.konzept for r in rows.itertuples() if isinstance(r.graph, str)} if len(rows) else set()
    return out | {(h.get("meta") or {}).get("konzept") for _, _, h in _journal_headers(settings)} - {None}


def versions(store, settings, catalogue, konzept: str) -> list[Fassung]:
    """The versions of ``konzept``, oldest first (see the module's description)."""
    from ..query.catalogue import run

    df = run(store, catalogue.get("konzept-fassungen"), {"konzept": konzept})
    out: list[Fassung] = []
    if len(df) and bool(df["dokument"].any()):
        row = df.iloc[0]
        titel, jahr = row["dokumenttitel"], row["dokumentjahr"]
        name = "Fassung aus dem Quelldokument" + (f" {quoted(titel)}" if isinstance(titel, str) else "") + \
               (f" ({str(jahr)[:4]})" if isinstance(jahr, (str, int)) and str(jahr)[:4].isdigit() else "")
        q = catalogue.get("konzept-fassung-dokument").text
        out.append(Fassung(DOKUMENT, name, lambda: [ox.Triple(r["s"], r["p"], r["o"]) for r in
                                                  store.query(q, {"konzept": ox.NamedNode(konzept)})]))
    graphs = [g for g in df["graph"] if isinstance(g, str)] if len(df) else []
    last_seen = None
    for seq, path, header in _journal_headers(settings):
        if (header.get("meta") or {}).get("konzept") != konzept:
            continue
        for g in header.get("replace") or []:
            if not g.startswith(KONZEPT_GRAPHS):
                continue
            try:
                triples = _entry_graph(path, seq, g)
            except (OSError, InputError):
                continue    # unreadable: ``inko-graph journal`` names it; the other versions still count
            if not any(t.subject.value == konzept and t.predicate.value == _RDF
                       and t.object.value == _OWN_TYPE["konzept"] for t in triples):
                continue    # another graph of the same write
            zeit, datei = _generated(triples, g)
            out.append(Fassung(str(seq), _upload_name(zeit or header.get("time", ""), datei),
                               (lambda ts=triples: ts), zeit or header.get("time", "")))
            last_seen = (g, zeit)
    for g in graphs:
        now = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(g)]
        zeit, datei = _generated(now, g)
        if last_seen is not None and last_seen == (g, zeit):
            continue    # the journal's newest upload is what the store holds
        out.append(Fassung(AKTUELL, _upload_name(zeit, datei) if zeit else "Aktuelle hochgeladene Fassung",
                           (lambda ts=now: ts), zeit))
    return out


def compare(old: Fassung, new: Fassung, konzept: str, labels: dict[str, str] | None = None):
    """What changed from ``old`` to ``new`` (a ``diff.Diff``): goals, measures and actors added,
    removed or reworded, and their links (served goals, Lebensphasen …) added or removed."""
    from ..analysis.diff import diff_triples

    return diff_triples(carried(old.triples(), konzept), carried(new.triples(), konzept),
                        old_name=old.name, new_name=new.name, labels=labels)
