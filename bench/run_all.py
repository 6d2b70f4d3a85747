"""Run every benchmark of bench/ one after the other, each with its own defaults.

    .venv/bin/python bench/run_all.py [NAME ...]     (NAME: build, queries, server, views, raster, monitoring)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["build", "queries", "server", "views", "raster", "monitoring"]


def main(argv: list[str]) -> int:
    names = argv or ORDER
    unknown = [n for n in names if n not in ORDER]
    if unknown:
        print(f"Unbekannte Messung: {', '.join(unknown)}. Verfügbar: {', '.join(ORDER)}.", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        print(f"\n## {name}\n", flush=True)
        if subprocess.run([sys.executable, str(HERE / f"bench_{name}.py")]).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nFehlgeschlagen: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
