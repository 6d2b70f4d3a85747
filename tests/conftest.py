"""Shared fixtures: the real graph, built once per test session in memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from inko_graph.build import build
from inko_graph.settings import PROJECT_ROOT, Settings

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env(env={}, store_path=None)


@pytest.fixture(scope="session")
def built(settings):
    """The result of building the real graph_data/ (store, report, counts)."""
    return build(settings)


@pytest.fixture(scope="session")
def store(built):
    return built.store
