"""The Raster submissions the build reads: the examples in ``graph_data/raster/`` and the uploads kept
beside an on-disk store (``var/raster/``), one graph per actor and year.

Each example file (``.csv`` in the one-file layout, or ``.xlsx``) goes through the same reading and
mapping as an upload, against the vocabularies, goals and actors of the documents read before it;
the build then validates it with everything else. A file with a problem stops the build with
the file's problems listed. The kept uploads are the graphs as they were accepted (N-Quads); a
kept upload replaces an example of the same actor and year.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["read_examples", "example_files", "kept_uploads"]

_SUFFIXES = (".csv", ".xlsx")


def example_files(settings) -> list[Path]:
    folder = settings.data_dir / "raster"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in _SUFFIXES and not p.name.startswith((".", "~$")))


def kept_uploads(settings) -> list[Path]:
    from .raster.importer import archive_dir

    folder = archive_dir(settings)
    if folder is None or not folder.is_dir():
        return []
    return sorted(folder.glob("*.nq"))


def _read_kept(path: Path) -> dict:
    import pyoxigraph as ox

    from .errors import InputError

    try:
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    except (SyntaxError, OSError) as e:
        raise InputError(f"gespeicherte Raster-Meldung kann nicht gelesen werden: {e}", source=str(path)) from None
    out: dict = {}
    for q in quads:
        out.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    return out


def read_examples(settings, dataset) -> dict:
    """``{graph IRI: triples}`` of every example submission and every kept upload."""
    out = _read_examples(settings, dataset)
    for path in kept_uploads(settings):
        out.update(_read_kept(path))
    return out


def _read_examples(settings, dataset) -> dict:
    files = example_files(settings)
    if not files:
        return {}
    from .errors import InputError
    from .raster.importer import prepare
    from .store import OxigraphStore

    store = OxigraphStore.memory()  # the documents read so far, to match labels against
    store.load_quads(dataset.quads())
    out: dict = {}
    origin: dict[str, Path] = {}
    for path in files:
        mapped = prepare(path.read_bytes(), path.name, store, settings, lang=settings.language)
        if mapped.graph in out:
            raise InputError(f"meldet dasselbe Jahr desselben Akteurs wie {origin[mapped.graph].name} "
                             f"(<{mapped.graph}>)", source=str(path))
        out[mapped.graph] = mapped.triples
        origin[mapped.graph] = path
        store.replace_graphs({mapped.graph: mapped.triples})  # later examples may name this actor as partner
    return out
