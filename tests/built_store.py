"""Copying the session's on-disk build (conftest fixture ``built_on_disk``) for tests that need a
freshly built store of their own. A module of its own: ``from conftest import`` would find
whichever conftest.py was imported last (tests/store has one)."""

from __future__ import annotations

import shutil
from pathlib import Path


def copy_built(template: Path, store_path: Path) -> None:
    """Copy the built store folder (and its journal) to ``store_path``: as if just built there.
    ``current`` is a relative link, so the copy points at its own database."""
    store_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(template / "store", store_path, symlinks=True)
    journal = template / "store-journal"
    if journal.exists():
        shutil.copytree(journal, store_path.parent / (store_path.name + "-journal"), symlinks=True)
