"""One problem of a filled-in workbook or CSV file (where, which value, what is allowed), in German and English.

The Raster, the Konzept workbook and the monitoring template report their problems with these."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError

__all__ = ["Problem", "SheetError"]


@dataclass(frozen=True)
class Problem:
    de: str
    en: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    allowed_de: str | None = None
    allowed_en: str | None = None

    def message(self, lang: str = "de") -> str:
        return self.en if lang == "en" else self.de

    def allowed(self, lang: str = "de") -> str | None:
        return self.allowed_en if lang == "en" else self.allowed_de

    def where(self, lang: str = "de") -> str:
        en = lang == "en"
        parts = []
        if self.sheet:
            parts.append(f"{'sheet' if en else 'Blatt'} {self.sheet}")
        if self.row is not None:
            parts.append(f"{'row' if en else 'Zeile'} {self.row}")
        if self.column:
            parts.append(f"{'column' if en else 'Spalte'} {self.column}")
        return ", ".join(parts)

    def text(self, lang: str = "de") -> str:
        en = lang == "en"
        out = self.where(lang)
        if self.value is not None:
            shown = self.value if len(self.value) <= 120 else self.value[:119] + "…"
            out += (": " if out else "") + (f'"{shown}"' if en else f"„{shown}“")
        out += (" – " if out else "") + self.message(lang)
        allowed = self.allowed(lang)
        if allowed:
            out += f" {'Allowed' if en else 'Erlaubt'}: {allowed}"
        return out

    def as_dict(self, lang: str = "de") -> dict:
        return {"blatt": self.sheet, "zeile": self.row, "spalte": self.column, "wert": self.value,
                "meldung": self.message(lang), "erlaubt": self.allowed(lang)}


class SheetError(InputError):
    """A file with one or more problems. Nothing was changed."""

    def __init__(self, source: str, items: list[Problem], lang: str = "de"):
        self.items = list(items)
        self.lang = lang
        n = len(self.items)
        if lang == "en":
            head = f"{n} problem{'s' if n != 1 else ''} found; nothing was saved."
        else:
            head = f"{n} Fehler gefunden; nichts wurde gespeichert."
        super().__init__(head, source=source, problems=[p.text(lang) for p in self.items])
