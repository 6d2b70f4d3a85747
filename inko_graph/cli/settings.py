"""The settings of a command: the environment with ``--store`` and ``--lang`` of the command line, and
read-only for commands that only read."""

from __future__ import annotations

from ..settings import Settings

__all__ = ["settings_from_args", "reading"]


def settings_from_args(args) -> Settings:
    overrides = {}
    if getattr(args, "store", None):
        from pathlib import Path

        overrides["store_path"] = None if args.store == ":memory:" else Path(args.store)
    if getattr(args, "lang", None):
        overrides["language"] = args.lang
    return Settings.from_env(**overrides)


def reading(settings: Settings) -> Settings:
    """Settings for a command that only reads: the store is opened read-only (beside a running
    server, on a read-only folder)."""
    return settings.with_(extra={**(settings.extra or {}), "nur_lesen": True})
