"""argparse in German: its own messages ("invalid choice", "the following arguments are required",
the ``--help`` headings) go through gettext hooks that this module answers in German."""

from __future__ import annotations

import argparse
import re
import sys

__all__ = ["GermanParser", "install"]

_DE = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Angaben",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    "the following arguments are required: %s": "diese Angaben fehlen: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ungültige Auswahl: %(value)r (möglich sind: %(choices)s)",
    "invalid %(type)s value: %(value)r": "ungültiger Wert %(value)r (erwartet: %(type)s)",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "expected one argument": "hier fehlt ein Wert",
    "expected at most one argument": "höchstens ein Wert erlaubt",
    "expected at least one argument": "mindestens ein Wert nötig",
    "ambiguous option: %(option)s could match %(matches)s": "mehrdeutige Option: %(option)s passt zu %(matches)s",
    "argument %(argument_name)s: %(message)s": "Angabe %(argument_name)s: %(message)s",
    "not allowed with argument %s": "nicht zusammen mit %s erlaubt",
    "one of the arguments %s is required": "eine dieser Angaben ist nötig: %s",
    "ignored explicit argument %r": "der Wert %r ist hier nicht erlaubt",
    "can't open '%(filename)s': %(error)s": "'%(filename)s' lässt sich nicht öffnen: %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "unbekannter Befehl %(parser_name)r (möglich sind: %(choices)s)",
    "unexpected option string: %s": "unerwartete Option: %s",
    "expected %s argument": "%s Wert erwartet",
    "expected %s arguments": "%s Werte erwartet",
}

#: German names of the value types in "ungültiger Wert … (erwartet: …)".
_TYPES = {"int": "eine ganze Zahl", "float": "eine Zahl", "Path": "ein Pfad", "str": "ein Text"}


def _gettext(message: str) -> str:
    return _DE.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
    """Route argparse's messages through the German table (process-wide; the CLI is one process)."""
    argparse._ = _gettext
    argparse.ngettext = _ngettext


class GermanParser(argparse.ArgumentParser):
    """An argument parser whose errors and help are German; errors exit with code 2."""

    def __init__(self, *args, **kwargs):
        install()
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        message = re.sub(r"\(erwartet: (\w+)\)", lambda m: f"(erwartet: {_TYPES.get(m.group(1), m.group(1))})", message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: Fehler: {message}\n")
