"""Output files of the commands, written so that a failure (a full disk) leaves nothing behind:
files go to a hidden folder or file beside the target first and are renamed into place at the end."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..store import storage_error

__all__ = ["staged_folder", "write_file"]


@contextmanager
def staged_folder(out: Path):
    """Yield a temporary folder inside ``out``; on success its files move into ``out`` (the list of
    final paths is in ``moved``), on any failure it is removed, and ``out`` too if it was created here."""
    out = Path(out)
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".inko-", dir=out))
    except OSError as e:
        raise storage_error(e, out) from None
    moved: list[Path] = []
    try:
        yield tmp, moved
        for p in sorted(tmp.rglob("*")):
            if p.is_file():
                final = out / p.relative_to(tmp)
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(p, final)
                moved.append(final)
    except OSError as e:
        raise storage_error(e, out) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if created and not moved:
            shutil.rmtree(out, ignore_errors=True)


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise storage_error(e, path) from None
