"""Writing template files: the format from the file name, and no half-written file on failure."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError
from .book import FORMATS, format_of

__all__ = ["checked_format", "write_atomic"]


def checked_format(out: Path, fmt: str | None = None, allowed: tuple[str, ...] = FORMATS) -> str:
    """The format ``out``'s extension names (.xlsx, .ods, .csv); an error for any other, or a mismatch with ``fmt``."""
    by_name = format_of(str(out))
    names = ", ".join("." + f for f in allowed)
    if by_name is None or by_name not in allowed:
        raise InputError(f"Die Vorlage kann als {names} geschrieben werden, nicht als „{Path(out).name}“. "
                         "Bitte den Dateinamen mit einer dieser Endungen angeben.")
    if fmt and fmt != by_name:
        raise InputError(f"--format {fmt} passt nicht zum Dateinamen „{Path(out).name}“ (.{by_name}).")
    return by_name


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
