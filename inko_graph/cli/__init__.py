"""The ``inko-graph`` command: a thin layer over the library.

Exit codes: 0 ok, 1 data not conformant (SHACL violations), 2 bad input or bad call.
Each sub-command lives in a module of this package with ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import InkoError
from ..settings import Settings

__all__ = ["main"]

#: Modules of this package that add sub-commands, in the order ``--help`` lists them.
COMMAND_MODULES = ["core", "query", "report", "viz", "monitoring", "raster", "diff", "serve", "export"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="inko-graph",
        description="Wissensgraph der Integrationskonzepte: Ziele, Akteure, Maßnahmen.",
    )
    p.add_argument("--store", help="Ordner des Speichers (Standard: var/store; ':memory:' für nur im Arbeitsspeicher)")
    p.add_argument("--lang", choices=["de", "en"], help="Sprache der Meldungen (Standard: de)")
    sub = p.add_subparsers(dest="command", metavar="BEFEHL")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return p


def settings_from_args(args) -> Settings:
    overrides = {}
    if getattr(args, "store", None):
        from pathlib import Path

        overrides["store_path"] = None if args.store == ":memory:" else Path(args.store)
    if getattr(args, "lang", None):
        overrides["language"] = args.lang
    return Settings.from_env(**overrides)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        settings = settings_from_args(args)
        return int(args.func(args, settings) or 0)
    except InkoError as e:
        print(f"Fehler: {e}" if (getattr(args, "lang", None) or "de") == "de" else f"Error: {e}", file=sys.stderr)
        for p in getattr(e, "problems", []) or []:
            print(f"  - {p}", file=sys.stderr)
        report = getattr(e, "report", None)
        if report is not None:
            print(report.format_text(settings.language if 'settings' in dir() else "de", limit=50), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
