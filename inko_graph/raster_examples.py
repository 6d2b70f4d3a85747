"""The example Raster submissions in ``graph_data/raster/``, read into one graph per actor and year.

Each file (``.csv`` in the one-file layout, or ``.xlsx``) goes through the same reading and
mapping as an upload, against the vocabularies, goals and actors of the documents read before it;
the build then validates it with everything else. A file with a problem stops the build with
the file's problems listed.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["read_examples", "example_files"]

_SUFFIXES = (".csv", ".xlsx")


def example_files(settings) -> list[Path]:
    folder = settings.data_dir / "raster"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in _SUFFIXES and not p.name.startswith((".", "~$")))


def read_examples(settings, dataset) -> dict:
    """``{graph IRI: triples}`` of every example submission."""
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
