"""Import a filled-in Raster: read, map, validate with the shapes, and only then write, in one step.

The submission replaces the actor's earlier submission for the same year (same graph IRI) in one
transaction, after it was recorded in the journal (:mod:`inko_graph.store.journal`), which the build
replays, so rebuilding the store from graph_data/ does not lose the uploads. Any problem means nothing is written: the
file's problems are collected and raised together (:class:`RasterError`, exit code 2), a
violation of the shapes raises :class:`NotConformant` (exit code 1).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

from ..errors import NotConformant
from ..namespaces import GRAPH, ID, ONTOLOGY_GRAPH
from ..query.catalogue import run
from ..tokens import Grant, NotAllowed
from ..validation.shacl import Report
from ..validation.shapecheck import check
from .mapping import Mapped, map_raster, resolve_area, slug
from .messages import plain_report
from .problems import Problem, RasterError
from .reading import read_raster
from .vocab import Term, catalogue, load_areas, load_vocabulary

__all__ = ["ImportResult", "import_raster", "prepare", "context_triples", "archive_dir", "archive_name"]

VOCABULARY_GRAPH = GRAPH + "vokabular"


@dataclass
class ImportResult:
    mapped: Mapped
    report: Report
    replaced: int | None          # activities of the earlier submission for that year, if there was one
    dry_run: bool
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        return self.notes_of_rules("de")

    def notes_of_rules(self, lang: str = "de") -> list[str]:
        return [f"{self.report.labels.get(r.focus, r.focus)}: {r.message(lang)}" for r in self.report.results
                if r.severity == "Warning"]

    def summary(self, lang: str = "de") -> str:
        m = self.mapped
        en = lang == "en"
        lines = []
        if en:
            head = (f"Trial run: the file is fine; nothing was saved. It would store" if self.dry_run
                    else "Saved:")
            lines.append(f"{head} the Raster submission of „{m.actor_label}“ for {m.year} "
                         f"({len(m.activities)} activit{'y' if len(m.activities) == 1 else 'ies'} serving "
                         f"{len(m.goals)} goal{'s' if len(m.goals) != 1 else ''}).")
            lines.append(f"Shown as the source „Raster-Meldung {m.actor_label} {m.year}“.")
            if m.new_partners:
                lines.append("New partner organisations: " + ", ".join(f"„{n}“" for _, n in m.new_partners))
            if self.replaced is not None:
                lines.append(f"{'It would replace' if self.dry_run else 'It replaces'} the earlier submission for "
                             f"{m.year} ({self.replaced} activities).")
        else:
            n = len(m.activities)
            what = (f"die Raster-Meldung von „{m.actor_label}“ für {m.year}: {n} Aktivität{'en' if n != 1 else ''}, "
                    f"die {len(m.goals)} Ziel{'en' if len(m.goals) != 1 else ''} dien{'en' if n != 1 else 't'}.")
            lines.append(("Probelauf: Die Datei ist in Ordnung; nichts wurde gespeichert. Gespeichert würde "
                          if self.dry_run else "Gespeichert: ") + what)
            lines.append(f"Quelle auf den Seiten: „Raster-Meldung {m.actor_label} {m.year}“.")
            if m.new_partners:
                lines.append("Neu angelegte Partner-Organisationen: " + ", ".join(f"„{n}“" for _, n in m.new_partners))
            if self.replaced is not None:
                lines.append(f"Die frühere Meldung für {m.year} ({self.replaced} Aktivitäten) "
                             f"{'würde ersetzt' if self.dry_run else 'wurde ersetzt'}.")
        notes = [p.text(lang) for p in m.notes]
        notes += [f"{self.report.labels.get(r.focus, r.focus)}: {r.message(lang)}" for r in self.report.results
                  if r.severity == "Warning"]
        if notes:
            lines.append("Notes:" if en else "Hinweise:")
            lines += [f"  - {x}" for x in notes]
        return "\n".join(lines)

    def as_dict(self, lang: str = "de") -> dict:
        m = self.mapped
        return {"ok": True, "probelauf": self.dry_run, "graph": m.graph, "akteur": m.actor,
                "akteurname": m.actor_label, "jahr": m.year, "aktivitaeten": len(m.activities),
                "ziele": len(m.goals), "neue_partner": [n for _, n in m.new_partners],
                "ersetzt": self.replaced, "hinweise": [p.text(lang) for p in m.notes] + self.notes_of_rules(lang),
                "zusammenfassung": self.summary(lang)}


def _year(rf, given: int | None, problems: list[Problem]) -> int | None:
    raw = rf.actor.get("jahr")
    where = rf.where_actor("jahr")
    sheet_year = None
    if raw is not None:
        text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
        if re.fullmatch(r"\d{4}", text) and 1990 <= int(text) <= 2100:
            sheet_year = int(text)
        else:
            problems.append(Problem("Das Berichtsjahr muss eine Jahreszahl sein (z. B. 2026).",
                                    "The reporting year must be a year (e.g. 2026).", *where, str(raw)))
            return given
    if given is not None and sheet_year is not None and given != sheet_year:
        problems.append(Problem(f"Im Blatt steht das Berichtsjahr {sheet_year}, beim Import wurde {given} angegeben. "
                                "Bitte eines von beiden anpassen.",
                                f"The sheet says reporting year {sheet_year}, the import was asked for {given}. "
                                "Please change one of them.", *where, str(raw)))
        return given
    year = given if given is not None else sheet_year
    if year is None:
        problems.append(Problem("Das Berichtsjahr fehlt: bitte im Blatt angeben (oder beim Import --year).",
                                "The reporting year is missing: please give it in the sheet (or --year).", *where))
    return year


def context_triples(store, mapped: Mapped, queries_dir) -> list[ox.Triple]:
    """What the submission refers to: vocabularies, ontology and the resources it names (not its old version)."""
    out = [ox.Triple(q.subject, q.predicate, q.object) for g in (VOCABULARY_GRAPH, ONTOLOGY_GRAPH)
           for q in store.quads(g)]
    q = catalogue(queries_dir).get("raster-ressource")
    old = ox.NamedNode(mapped.graph)
    for iri in sorted(mapped.referenced | {mapped.actor}):
        for row in store.query(q.text, {"s": ox.NamedNode(iri), "ausser": old}):
            out.append(ox.Triple(row["s"], row["p"], row["o"]))
    return out


def _name(iri: str, terms: list[Term], lang: str) -> str:
    """A Gebiet or organisation as people call it (its label, quoted), not its web address."""
    label = next((t.label for t in terms if t.iri == iri), None)
    if label is None:   # not in the lists: the last part of the address, in words
        label = iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
    return f'"{label}"' if lang == "en" else f"„{label}“"


def _check_area(grant: Grant, area: Term | None, areas: list[Term], lang: str) -> None:
    """The token's area against the sheet's, as soon as the sheet names it: 403 before any 400."""
    if area is not None and area.iri != grant.gebiet:
        own = _name(grant.gebiet, areas, lang)
        raise NotAllowed(f"The access key is for {own}, the submission is for „{area.label}“."
                         if lang == "en" else
                         f"Der Zugangsschlüssel gilt für {own}, die Meldung ist für „{area.label}“.")


def _check_grant(grant: Grant, mapped: Mapped, area: Term | None, vocab_actors: list[Term], areas: list[Term],
                 lang: str) -> tuple | None:
    """``None`` if the token allows the submission, else the override (IRI, slug) for a new actor; raises otherwise."""
    en = lang == "en"
    _check_area(grant, area, areas, lang)
    if grant.akteur is None or mapped.actor == grant.akteur:
        return None  # a token for the whole area, or the actor's own
    token_known = any(t.iri == grant.akteur for t in vocab_actors)
    if mapped.actor_new and not token_known:
        # A new organisation: the token decides its IRI; the sheet gives its name.
        local = grant.akteur.rsplit("/", 1)[-1]
        return grant.akteur, slug(local)
    own = _name(grant.akteur, vocab_actors, lang)
    raise NotAllowed(
        f"The access key is for {own}; the sheet names „{mapped.actor_label}“. "
        "An actor may only replace its own submission." if en else
        f"Der Zugangsschlüssel gilt für {own}; im Blatt steht „{mapped.actor_label}“. "
        "Ein Akteur kann nur seine eigene Meldung ersetzen.")


def prepare(data: bytes, filename: str, store, settings, *, year: int | None = None, lang: str = "de",
            grant: Grant | None = None, now: datetime | None = None, seconds: dict | None = None):
    """Read and map a Raster; raises :class:`RasterError` with every problem. Nothing is validated or written."""
    seconds = seconds if seconds is not None else {}
    t0 = time.perf_counter()
    rf = read_raster(data, filename, max_bytes=settings.max_upload_bytes, lang=lang)
    t1 = time.perf_counter()
    problems: list[Problem] = []
    areas = load_areas(store, settings.queries_dir)
    area = resolve_area(rf, areas, problems)
    if grant is not None:
        _check_area(grant, area, areas, lang)
    vocab = load_vocabulary(store, settings.queries_dir, area.iri if area else None)
    the_year = _year(rf, year, problems)
    placeholder = area or Term(iri=ID + "gebiet/unbekannt", label="?", display="?")
    mapped, more = map_raster(rf, vocab, placeholder, year=the_year or 0, now=now)
    problems = more + problems
    # A known actor other than the token's is refused (403) even if the sheet has other problems.
    if grant is not None and (not problems or not mapped.actor_new):
        override = _check_grant(grant, mapped, area, vocab.akteure, areas, lang)
        if override is not None:
            mapped, problems = map_raster(rf, vocab, placeholder, year=the_year, now=now, actor_override=override)
    if problems:
        problems.sort(key=lambda p: (p.sheet != rf.actor_sheet, p.row or 0))
        raise RasterError(filename, problems, lang)
    seconds.update({"lesen": t1 - t0, "zuordnen": time.perf_counter() - t1})
    return mapped


def archive_dir(settings) -> Path | None:
    """Where accepted submissions were kept before the journal (``var/raster`` for ``var/store``);
    the journal takes them over once (see :mod:`inko_graph.store.journal`)."""
    return None if settings.store_path is None else Path(settings.store_path).parent / "raster"


def archive_name(mapped: Mapped) -> str:
    """``<actor-slug>--<year>.nq``: the name a submission had in the old archive."""
    rest = mapped.graph[len(GRAPH + "raster/"):]
    return rest.replace("/", "--") + ".nq"


def import_raster(data: bytes, filename: str, store, settings, *, year: int | None = None, dry_run: bool = False,
                  lang: str = "de", grant: Grant | None = None, now: datetime | None = None) -> ImportResult:
    """Import one Raster file into ``store``; see the module's description."""
    seconds: dict[str, float] = {}
    mapped = prepare(data, filename, store, settings, year=year, lang=lang, grant=grant, now=now, seconds=seconds)
    t0 = time.perf_counter()
    context = context_triples(store, mapped, settings.queries_dir)
    report = check(mapped.triples, context, settings.ontology_dir / "shapes.ttl", infos=False)
    plain_report(report, mapped.triples + context)
    seconds["prüfen"] = time.perf_counter() - t0
    if not report.conforms:
        raise NotConformant(report)
    previous = run(store, catalogue(settings.queries_dir).get("raster-meldungen"),
                   {"akteur": mapped.actor, "jahr": str(mapped.year)})
    previous = previous[previous["graph"] == mapped.graph]
    replaced = int(previous["aktivitaeten"].iloc[0]) if len(previous) else None
    t1 = time.perf_counter()
    if not dry_run:
        from ..store import journal

        journal.commit(settings, store, replace={mapped.graph: mapped.triples}, kind="raster",
                       meta={"akteur": mapped.actor, "jahr": mapped.year, "datei": filename})
    seconds["speichern"] = time.perf_counter() - t1
    return ImportResult(mapped=mapped, report=report, replaced=replaced, dry_run=dry_run, seconds=seconds)
