"""``load``: RDF files into the store, one named graph at a time or a whole dataset at once.

    inko-graph load DATEI --graph IRI      replace one named graph with the file's triples
    inko-graph load DATEI.nq|.trig         replace each named graph the file holds
    inko-graph load DATEI.nq --ganz        a new database with the file's quads only (fast bulk load)

The first two go through the journal like every upload: the file is read completely first (bad
input changes nothing), then the graphs are replaced in one transaction, and a rebuild keeps
them; the other graphs stay as they are. ``--ganz`` is for large datasets (benchmarks, a Land):
the file is bulk-loaded into a fresh database beside the current one, which is switched to only
when the load is complete, as ``build`` does; the store's union graphs are written in the same
pass. A progress bar shows how far the file is read.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError

__all__ = ["register", "FORMATS"]

#: File endings and their formats.
FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
           ".ttl": ox.RdfFormat.TURTLE, ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
           ".jsonld": ox.RdfFormat.JSON_LD}
_QUADS = {ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD}
#: From this size on the CLI shows a progress bar.
PROGRESS_FROM = 5_000_000


def register(sub) -> None:
    p = sub.add_parser(
        "load", help="RDF-Dateien in den Speicher laden (einen benannten Graphen oder einen ganzen Datenbestand)",
        description="Lädt eine RDF-Datei in den Speicher. Mit --graph ersetzt sie genau diesen Graphen, "
                    "eine N-Quads- oder TriG-Datei ohne --graph ersetzt die Graphen, die sie enthält; die übrigen "
                    "bleiben unberührt. --ganz legt aus der Datei einen neuen Datenbestand an (schnell, für große Mengen).")
    p.add_argument("datei", type=Path, metavar="DATEI", help="Turtle, N-Triples, N-Quads, TriG, RDF/XML oder JSON-LD")
    p.add_argument("--graph", metavar="IRI", help="der benannte Graph, den die Datei ersetzt")
    p.add_argument("--ganz", action="store_true",
                   help="den ganzen Speicher durch die Datei ersetzen (Massenladen in eine neue Datenbank)")
    p.add_argument("--ohne-fortschritt", dest="no_progress", action="store_true", help="keinen Fortschrittsbalken zeigen")
    p.set_defaults(func=cmd_load)


def _format(path: Path) -> ox.RdfFormat:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"Unbekannte Dateiendung {path.suffix or '(keine)'}; erwartet: {', '.join(FORMATS)}.",
                         source=str(path))
    return fmt


class _Bar:
    """A progress bar (rich) over a number of bytes, moved by ``advance``. Once all bytes are
    read it says that the data is still being stored: the bulk loader sorts and writes the
    last part after the file is read, which takes seconds at 10^6."""

    def __init__(self, total: int):
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        self.total = total
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                                 transient=True, console=_console())
        self.task = self.progress.add_task("Lesen", total=total)
        self.progress.start()

    def advance(self, n: int) -> None:
        self.progress.advance(self.task, n)
        if self.progress.tasks[0].completed >= self.total:
            self.progress.update(self.task, description="Lesen fertig, Speichern …")

    def stop(self) -> None:
        self.progress.stop()


class _Reading:
    """A binary file whose reads move a progress bar, so long loads show how far they are."""

    def __init__(self, path: Path, show: bool):
        self.fh = path.open("rb")
        self.bar = _Bar(path.stat().st_size) if show else None
        self.progress = self.bar.progress if self.bar else None

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        if self.bar is not None:
            self.bar.advance(len(data))
        return data

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
        self.fh.close()


def _console():
    from rich.console import Console

    return Console(file=sys.stderr)


def _syntax_error(e: SyntaxError, path: Path, after: str = "") -> InputError:
    """The reader's syntax error in German, with the line and column it names."""
    line = e.lineno if isinstance(e.lineno, int) else None
    col = e.offset if isinstance(e.offset, int) and line is not None else None
    detail = re.sub(r"^Parser error (at|between) [^:]*: ", "", str(e.msg))
    return InputError(f"Die Datei ist kein gültiges RDF ({detail}){after}.", source=str(path), line=line, column=col)


def _parse(path: Path, fmt: ox.RdfFormat, show: bool) -> list:
    reader = _Reading(path, show)
    try:
        return list(ox.parse(reader, format=fmt))
    except SyntaxError as e:
        raise _syntax_error(e, path, "; nichts wurde geändert") from None
    finally:
        reader.close()


def _graph_iri(raw: str) -> str:
    from ..namespaces import PREFIXES

    s = raw.strip().removeprefix("<").removesuffix(">")
    prefix, sep, local = s.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        s = PREFIXES[prefix] + local
    try:
        ox.NamedNode(s)
    except ValueError:
        s = ""
    if not s.startswith(("http://", "https://", "urn:")):
        raise InputError(f"--graph braucht eine IRI (z. B. https://w3id.org/inko/graph/…), nicht {raw!r}.")
    return s


def cmd_load(args, settings) -> int:
    path: Path = args.datei
    if not path.is_file():
        raise InputError("Datei nicht gefunden", source=str(path))
    fmt = _format(path)
    show = not args.no_progress and path.stat().st_size >= PROGRESS_FROM and sys.stderr.isatty()
    t0 = time.perf_counter()
    if args.ganz:
        if args.graph:
            raise InputError("--ganz und --graph schließen sich aus: --ganz ersetzt den ganzen Speicher.")
        if settings.store_path is None:
            raise InputError("--ganz braucht einen Speicher auf der Platte (--store ORDNER).")
        from ..store.bulk_load import bulk_load_reads
        from ..store import bulk_load_new

        # The bar follows the bytes parsed; quads and their union copies are indexed meanwhile.
        bar = _Bar(path.stat().st_size * bulk_load_reads(fmt)) if show else None
        try:
            n = bulk_load_new(settings.store_path, path, fmt, progress=bar.advance if bar else None)
        except SyntaxError as e:
            raise _syntax_error(e, path, "; der Speicher bleibt, wie er war") from None
        finally:
            if bar is not None:
                bar.stop()
        print(f"{n} Tripel aus {path.name} in {time.perf_counter() - t0:.1f} s als neuen Datenbestand geladen "
              f"({settings.store_path}).", file=sys.stderr)
        return 0

    items = _parse(path, fmt, show)
    if args.graph:
        graph = _graph_iri(args.graph)
        replace = {graph: [ox.Triple(q.subject, q.predicate, q.object) if isinstance(q, ox.Quad) else q for q in items]}
    elif fmt in _QUADS:
        replace: dict[str, list] = {}
        for q in items:
            if not isinstance(q.graph_name, ox.NamedNode):
                raise InputError("Die Datei enthält Tripel ohne benannten Graphen; bitte mit --graph IRI laden.",
                                 source=str(path))
            replace.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    else:
        raise InputError("Eine Datei mit Tripeln (Turtle, N-Triples, RDF/XML) braucht --graph IRI: "
                         "den benannten Graphen, den sie ersetzt.", source=str(path))
    if not replace:
        raise InputError("Die Datei enthält keine Tripel; nichts wurde geändert.", source=str(path))
    from ..store import journal
    from ..store import store_from_settings

    store = store_from_settings(settings)
    journal.commit(settings, store, replace=replace, kind="laden", meta={"datei": path.name})
    n = sum(len(v) for v in replace.values())
    print(f"{n} Tripel aus {path.name} in {len(replace)} Graph(en) in {time.perf_counter() - t0:.1f} s geladen; "
          f"die übrigen Graphen bleiben unverändert.", file=sys.stderr)
    return 0
