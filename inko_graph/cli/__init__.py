"""The ``inko-graph`` command: a thin layer over the library.

Exit codes: 0 ok, 1 data not conformant (SHACL violations), 2 bad input or bad call (also a
full disk, a read-only folder, a store in use). Each sub-command lives in a module of this
package with ``register(subparsers)``. No traceback reaches a user: every error ends as a German
message here (``INKO_DEBUG=1`` shows the traceback of an unexpected error).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from ..errors import InkoError
from ..settings import Settings
from .german import GermanParser
from .settings import settings_from_args

__all__ = ["main"]

#: Modules of this package that add sub-commands, in the order ``--help`` lists them.
COMMAND_MODULES = ["core", "query", "report", "viz", "monitoring", "raster", "konzept", "diff", "serve", "export", "load", "synth", "journal"]


#: The module of each command: a call loads only its command's module (heavy libraries such as
#: networkx stay unloaded for ``build``); ``--help`` and unknown words load them all.
COMMAND_OF = {"build": "core", "validate": "core", "stats": "core",
              **{m: m for m in COMMAND_MODULES if m != "core"}}


def _command(argv: list[str]) -> str | None:
    """The command word of ``argv``: the first word that is not a global option or its value."""
    words = iter(argv)
    for w in words:
        if w in ("--store", "--lang"):
            next(words, None)
        elif not w.startswith("-"):
            return w
    return None


def _parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    p = GermanParser(
        prog="inko-graph",
        description="Wissensgraph der Integrationskonzepte: Ziele, Akteure, Maßnahmen.",
    )
    p.add_argument("--store", metavar="ORDNER", help="Ordner des Speichers (Standard: var/store; ':memory:' für nur im Arbeitsspeicher)")
    p.add_argument("--lang", choices=["de", "en"], metavar="SPRACHE", help="Sprache der Meldungen: de oder en (Standard: de)")
    sub = p.add_subparsers(dest="command", metavar="BEFEHL", title="Befehle")
    word = _command(sys.argv[1:] if argv is None else argv)
    for name in [COMMAND_OF[word]] if word in COMMAND_OF else COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return p


def _print_error(e: InkoError, settings: Settings | None, lang: str) -> None:
    print(f"Fehler: {e}" if lang == "de" else f"Error: {e}", file=sys.stderr)
    for p in getattr(e, "problems", []) or []:
        print(f"  - {p}", file=sys.stderr)
    report = getattr(e, "report", None)
    if report is not None:
        print(report.format_text(settings.language if settings is not None else lang, limit=50), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = _parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    lang = getattr(args, "lang", None) or "de"
    settings = None
    try:
        settings = settings_from_args(args)
        return int(args.func(args, settings) or 0)
    except InkoError as e:
        _print_error(e, settings, lang)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except OSError as e:
        from ..store import storage_error

        where = getattr(e, "filename", None) or (settings.store_path if settings is not None else None) or "Datei"
        _print_error(storage_error(e, where), settings, "de")
        return 2
    except Exception as e:  # the last line of defence: a German message, never a traceback
        if os.environ.get("INKO_DEBUG"):
            raise
        print(f"Fehler: Unerwarteter Fehler ({type(e).__name__}: {e}). Nichts wurde geändert. "
              "Mit INKO_DEBUG=1 erscheinen Einzelheiten für eine Fehlermeldung an die Entwickler.", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
