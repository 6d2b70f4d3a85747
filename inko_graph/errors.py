"""Typed errors. Each names where the problem is; the CLI maps them to exit codes, the server to HTTP."""

from __future__ import annotations

__all__ = ["InkoError", "InputError", "NotConformant", "QueryError", "ConfigError", "QueryRefused",
           "QueryTimeout", "TooLarge", "PersonalData", "StoreBusy", "StorageError", "JournalConflict"]


class InkoError(Exception):
    """Base of every error that inko-graph reports to a user."""

    exit_code = 2


class InputError(InkoError):
    """Bad input: a file, row or value that cannot be read. Nothing was changed."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None,
                 column: int | None = None, problems: list[str] | None = None):
        self.source = source
        self.line = line
        self.column = column
        self.problems = problems or []
        where = ""
        if source:
            where = source
            if line is not None:
                where += f", Zeile {line}"
                if column is not None:
                    where += f", Spalte {column}"
            where += ": "
        super().__init__(where + message)


class NotConformant(InkoError):
    """The data does not conform to the shapes (SHACL violations). Nothing was written."""

    exit_code = 1

    def __init__(self, report):
        self.report = report
        super().__init__(
            f"Die Daten verletzen {report.violation_count} Regel(n); nichts wurde gespeichert."
        )


class QueryError(InkoError):
    """An unknown query, an unknown or wrong parameter, or a query the engine rejects."""


class ConfigError(InkoError):
    """A setting is missing or has a value that cannot be used."""


class QueryRefused(QueryError):
    """A request the server will not carry out: a change on the read-only endpoint, SERVICE, LOAD."""


class QueryTimeout(QueryError):
    """A query ran longer than the time limit and was stopped."""


class TooLarge(InputError):
    """A query or upload is larger than the configured limit."""


class PersonalData(InkoError):
    """An export would contain personal data (persons, e-mail addresses, phone numbers)."""

    exit_code = 1

    def __init__(self, message: str, problems: list[str]):
        self.problems = problems
        super().__init__(message)


class StoreBusy(InkoError):
    """The store cannot be written now: another program holds it, or its folder is read-only."""


class StorageError(InkoError):
    """Writing to the disk failed (full, read-only, no permission). Nothing was changed."""


class JournalConflict(NotConformant):
    """Accepted writes (journal entries) no longer conform after a change in graph_data/."""

    def __init__(self, report, problems: list[str]):
        super().__init__(report)
        self.problems = problems
        self.args = (f"Die Daten verletzen {report.violation_count} Regel(n), darunter in angenommenen Änderungen "
                     "aus dem Journal; nichts wurde gespeichert. Bitte graph_data/ anpassen oder die genannte "
                     "Meldung neu einreichen.",)
