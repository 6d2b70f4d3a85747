"""Import a filled-in Konzept workbook: read, map, validate with the shapes, and only then write, in one step.

Any problem of the file means nothing is written: all of them are raised together
(:class:`~inko_graph.workbook.problems.SheetError`, exit code 2); a violation of the shapes raises
:class:`~inko_graph.errors.NotConformant` (exit code 1). The write goes through the journal
(:func:`inko_graph.store.journal.commit`: durable record, then one transaction), so a rebuild keeps it.

A new import of the same concept replaces its graph. The version it replaces is returned
(``ImportResult.previous``) and, beside an on-disk store, kept as N-Quads in
``var/konzept-fassungen/<key>/`` together with the new one, for ``inko-graph diff ALT NEU``.
"""

from __future__ import annotations

import re
import time
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ..errors import NotConformant
from ..namespaces import GRAPH, ONTOLOGY_GRAPH, PREFIXES
from ..raster.importer import VOCABULARY_GRAPH
from ..raster.messages import plain_report
from ..raster.vocab import catalogue
from ..validation.shacl import Report
from ..validation.shapecheck import check
from ..workbook.problems import Problem, SheetError
from .lists import load_lists
from .mapping import Mapped, map_konzept
from .reading import KonzeptFile, read_konzept

__all__ = ["ImportResult", "import_konzept", "import_file", "prepare", "versions_dir", "KONZEPT_GRAPHS"]

#: The graphs this importer writes.
KONZEPT_GRAPHS = GRAPH + "konzept/"
INKO, RDF_TYPE = PREFIXES["inko"], PREFIXES["rdf"] + "type"
#: Where an item stands in the workbook, as its provenance says it (see ``mapping``).
_ROW = re.compile(r"Blatt (.+), Zeile (\d+)")


@dataclass
class ImportResult:
    mapped: Mapped
    report: Report
    previous: list[ox.Triple] | None     # the version replaced, if there was one
    dry_run: bool
    kept: list[Path] = field(default_factory=list)   # files of the old and new version (on-disk store)
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self, lang: str = "de") -> str:
        m, c = self.mapped, self.mapped.counts
        what = (f"das Konzept „{m.label}“ ({m.gebiet_label}): {c['ziele']} Ziele, {c['handlungsfelder']} "
                f"Handlungsfelder, {c['massnahmen']} Maßnahmen, {c['indikatoren']} Indikatoren, {c['akteure']} Akteure.")
        lines = [("Probelauf: Die Datei ist in Ordnung; nichts wurde gespeichert. Gespeichert würde "
                  if self.dry_run else "Gespeichert: ") + what]
        if self.previous is not None:
            lines.append(f"Die frühere Fassung ({len(self.previous)} Aussagen) "
                         f"{'würde ersetzt' if self.dry_run else 'wurde ersetzt'}.")
        if len(self.kept) == 2:
            lines.append(f"Vergleich der Fassungen: inko-graph diff {self.kept[0]} {self.kept[1]}")
        warnings = [f"{self.report.labels.get(r.focus, r.focus)}: {r.message(lang)}" for r in self.report.results
                    if r.severity == "Warning"]
        if warnings:
            lines.append("Hinweise:")
            lines += [f"  - {w}" for w in warnings[:30]]
        return "\n".join(lines)

    def as_dict(self) -> dict:
        m = self.mapped
        return {"ok": True, "probelauf": self.dry_run, "graph": m.graph, "konzept": m.konzept, "titel": m.label,
                "gebiet": m.gebiet, **m.counts, "ersetzt": self.previous is not None, "zusammenfassung": self.summary()}


def prepare(kf: KonzeptFile, store, settings, *, lang: str = "de", now: datetime | None = None,
            allowed_gebiet: str | None = None) -> Mapped:
    """Map a read workbook; raises :class:`SheetError` with every problem. Nothing is validated or written."""
    raw = kf.konzept.get("gebiet")
    lists = load_lists(store, settings.queries_dir, None)
    mapped, problems = map_konzept(kf, lists, now=now)
    def town(iri: str) -> str:   # the town by its name, as the page shows it
        return _town(iri, lists.gebiete)

    if mapped is not None and not problems and allowed_gebiet is not None and mapped.gebiet != allowed_gebiet:
        allowed = town(allowed_gebiet)
        problems.append(Problem(f"Der Zugangsschlüssel gilt für {allowed}, das Konzept ist für "
                                f"„{mapped.gebiet_label}“.", f"The access key is for {allowed}.",
                                *kf.where_konzept("gebiet"), str(raw)))
    if mapped is not None and not problems and allowed_gebiet is not None:
        foreign = sorted(_owners(store, settings, mapped) - {allowed_gebiet})
        if foreign:
            problems.append(Problem(f"Das Konzept „{mapped.label}“ gehört zu {town(foreign[0])}; der "
                                    f"Zugangsschlüssel gilt nur für {town(allowed_gebiet)}. "
                                    "Bei einem neuen Konzept die Kennung leer lassen.",
                                    f"The concept belongs to {town(foreign[0])}, the access key is for "
                                    f"{town(allowed_gebiet)}.",
                                    *kf.where_konzept("kennung"), str(kf.konzept.get("kennung") or "")))
    if mapped is not None and not problems and allowed_gebiet is not None:
        problems += _foreign_items(store, settings, mapped, allowed_gebiet, lists.gebiete)
    if problems:
        problems.sort(key=lambda p: (_sheet_order(p.sheet), p.row or 0))
        raise SheetError(kf.filename, problems, lang)
    return mapped


def _owners(store, settings, mapped: Mapped) -> set[str]:
    """The areas the concept, or the concept held in its graph, already belongs to: a town's key may not
    replace another area's concept by naming its Kennung."""
    gebiet, konzept_class = INKO + "gebiet", ox.NamedNode(INKO + "Konzept")
    out = set()
    if mapped.graph in set(store.graph_names()):
        old = list(store.quads(mapped.graph))
        konzepte = {q.subject for q in old if q.predicate.value == RDF_TYPE and q.object == konzept_class}
        out |= {q.object.value for q in old if q.predicate.value == gebiet and q.subject in konzepte}
    q = catalogue(settings.queries_dir).get("raster-ressource")
    out |= {row["o"].value for row in store.query(q.text, {"s": ox.NamedNode(mapped.konzept)})
            if row["p"].value == gebiet}
    return out


def _town(iri: str, gebiete) -> str:
    """A Gebiet by its name in quotes; one not in the lists by the last part of its address, in words."""
    name = next((t.label for t in gebiete if t.iri == iri), None)
    return f"„{name or iri.rstrip('/').rsplit('/', 1)[-1].replace('-', ' ')}“"


def _foreign_items(store, settings, mapped: Mapped, allowed_gebiet: str, gebiete=()) -> list:
    """Items whose Kennung names a goal, field or measure of another area's concept: a town's key
    may not write statements about them (they would appear on the other town's pages)."""
    q = catalogue(settings.queries_dir).get("raster-ressource").text
    graph = ox.NamedNode(mapped.graph)
    scheme, dient, gebiet = PREFIXES["skos"] + "inScheme", INKO + "dient", INKO + "gebiet"

    def stated(iri: str, pred: str) -> set[str]:
        """The values of ``pred`` for ``iri`` in graphs other than this concept's."""
        return {r["o"].value for r in store.query(q, {"s": ox.NamedNode(iri), "ausser": graph})
                if r["p"].value == pred and isinstance(r["o"], ox.NamedNode)}

    subjects = {t.subject.value for t in mapped.triples if isinstance(t.subject, ox.NamedNode)}
    out = []
    for iri in sorted(subjects - {mapped.graph, mapped.konzept}):
        schemes = stated(iri, scheme)
        for goal in stated(iri, dient):
            schemes |= stated(goal, scheme)
        owners = {a for k in schemes for a in stated(k, gebiet)} - {allowed_gebiet}
        if not owners:
            continue
        where = next((m for t in mapped.triples if t.subject.value == iri and t.predicate.value == INKO + "abschnitt"
                      and (m := _ROW.fullmatch(t.object.value))), None)
        sheet, row = (where.group(1), int(where.group(2))) if where else (None, None)
        owner, own = _town(sorted(owners)[0], gebiete), _town(allowed_gebiet, gebiete)
        out.append(Problem(f"Diese Kennung gehört zum Konzept eines anderen Gebiets ({owner}); der Zugangsschlüssel "
                           f"gilt nur für {own}. Bei neuen Einträgen die Kennung leer lassen.",
                           f"This Kennung belongs to the concept of another area ({owner}).",
                           sheet, row, "Kennung", iri))
    return out


def _sheet_order(sheet: str | None) -> int:
    order = ["Konzept", "Handlungsfelder", "Ziele", "Maßnahmen", "Akteure", "Indikatoren"]
    return order.index(sheet) if sheet in order else len(order)


def context_triples(store, mapped: Mapped, queries_dir) -> list[ox.Triple]:
    """Vocabularies, ontology and what the concept names, without the concept's old version."""
    out = [ox.Triple(q.subject, q.predicate, q.object) for g in (VOCABULARY_GRAPH, ONTOLOGY_GRAPH)
           for q in store.quads(g)]
    q = catalogue(queries_dir).get("raster-ressource")
    old = ox.NamedNode(mapped.graph)
    for iri in sorted(mapped.referenced):
        for row in store.query(q.text, {"s": ox.NamedNode(iri), "ausser": old}):
            out.append(ox.Triple(row["s"], row["p"], row["o"]))
    return out


def versions_dir(settings) -> Path | None:
    """Where old and new versions are kept beside an on-disk store; ``None`` for a store in memory."""
    return None if settings.store_path is None else Path(settings.store_path).parent / "konzept-fassungen"


def _keep(settings, mapped: Mapped, previous, now: datetime) -> list[Path]:
    """The two versions as files for ``diff``, written after the concept is saved (the journal holds
    both): a failure here (full disk, a file in the way) leaves no partial file and does not turn
    the saved import into an error; fewer than two files only means no diff line in the summary."""
    folder = versions_dir(settings)
    if folder is None:
        return []
    folder = folder / mapped.key
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    g = ox.NamedNode(mapped.graph)
    out = []
    for name, triples in ((f"{stamp}-vorher.nq", previous), (f"{stamp}.nq", mapped.triples)):
        if triples is None:
            continue
        path = folder / name
        tmp = folder / f".{name}.tmp"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(ox.serialize([ox.Quad(t.subject, t.predicate, t.object, g) for t in triples],
                                         format=ox.RdfFormat.N_QUADS))
            tmp.replace(path)
        except OSError:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)
            return out
        out.append(path)
    return out


def _confirmed(kf: KonzeptFile, mapped: Mapped, store, settings, lang: str) -> list[ox.Triple] | None:
    """The confirmed rows of the sheet „Abgleich“ as the concept's curated graph; ``None`` without the sheet."""
    if kf.abgleich is None:
        return None
    from ..namespaces import shorten
    from ..raster.vocab import _goals
    from .alignment import curated_triples

    goals = {}
    for g in mapped.goals:
        goals.update({g.iri: g.iri, shorten(g.iri): g.iri})
    candidates = {}
    for t in _goals(store, catalogue(settings.queries_dir), None):
        candidates.update({t.display: t.iri, t.code: t.iri, t.iri: t.iri})
    triples, problems = curated_triples(kf.abgleich, goals, candidates, mapped.key, kf.filename, "Abgleich")
    if problems:
        raise SheetError(kf.filename, problems, lang)
    return triples if len(triples) > 3 else []


def _write(settings, store, mapped: Mapped, curated: list[ox.Triple] | None = None) -> None:
    from .alignment import curated_graph

    replace = {mapped.graph: mapped.triples}
    drop = []
    if curated:
        replace[curated_graph(mapped.key)] = curated
    elif curated is not None:
        drop.append(curated_graph(mapped.key))   # the sheet is there, nothing confirmed (any more)
    from ..store import journal

    journal.commit(settings, store, replace=replace, drop=drop, kind="konzept",
                   meta={"konzept": mapped.konzept, "gebiet": mapped.gebiet})


def import_konzept(kf: KonzeptFile, store, settings, *, dry_run: bool = False, lang: str = "de",
                   now: datetime | None = None, allowed_gebiet: str | None = None) -> ImportResult:
    """Validate and store a read Konzept workbook; see the module's description."""
    now = now or datetime.now(timezone.utc)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    mapped = prepare(kf, store, settings, lang=lang, now=now, allowed_gebiet=allowed_gebiet)
    curated = _confirmed(kf, mapped, store, settings, lang)
    t1 = time.perf_counter()
    context = context_triples(store, mapped, settings.queries_dir)
    report = check(mapped.triples + (curated or []), context, settings.ontology_dir / "shapes.ttl", infos=False)
    plain_report(report, mapped.triples + context)
    seconds.update({"zuordnen": t1 - t0, "prüfen": time.perf_counter() - t1})
    if not report.conforms:
        raise NotConformant(report)
    previous = None
    if mapped.graph in set(store.graph_names()):
        previous = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(mapped.graph)]
    kept: list[Path] = []
    if not dry_run:
        t2 = time.perf_counter()
        _write(settings, store, mapped, curated)
        kept = _keep(settings, mapped, previous, now)
        seconds["speichern"] = time.perf_counter() - t2
    return ImportResult(mapped, report, previous, dry_run, kept, seconds)


def import_file(data: bytes, filename: str, store, settings, **kw) -> ImportResult:
    """Read (.xlsx, .ods or one CSV of the Konzept sheet … see :func:`.reading.read_konzept`) and import."""
    kf = read_konzept(data, filename, max_bytes=settings.max_upload_bytes, lang=kw.get("lang", "de"))
    return import_konzept(kf, store, settings, **kw)

