"""Shared fixtures: the real graph, built once per test session in memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from built_store import copy_built  # noqa: F401  (tests import it from built_store)
from inko_graph.load.build import build
from inko_graph.settings import PROJECT_ROOT, Settings

DATA = Path(__file__).parent / "data"


@pytest.hookimpl(trylast=True)  # after pytest has grouped the parameters of session fixtures
def pytest_collection_modifyitems(config, items):
    """The costliest test files first (see scheduling.py): the workers of ``make test`` end together."""
    from scheduling import order

    order(items, config.rootpath)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Whole files per worker (``--dist loadfile``) in the order above, files sharing servers together."""
    if config.getvalue("dist") != "loadfile":
        return None
    from scheduling import scheduler

    return scheduler(config, log)


def _journal_listing() -> list[str]:
    folder = PROJECT_ROOT / "var" / "store-journal"
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".nq") if folder.is_dir() else []


@pytest.fixture(scope="session", autouse=True)
def checkout_journal_untouched():
    """No test writes into the checkout's own journal (``var/store-journal``): the user's next
    ``make run`` would replay what a test accepted there (a Raster upload of the test world)."""
    before = _journal_listing()
    yield
    after = _journal_listing()
    assert after == before, f"Tests wrote into {PROJECT_ROOT / 'var' / 'store-journal'}: {sorted(set(after) - set(before))}"


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


@pytest.fixture(scope="session")
def real_server(settings, store):
    """The server on the real graph with the default settings, started once per worker for the test
    files that only read from it over HTTP (a file that writes or changes settings starts its own)."""
    from inko_graph.server import create_app
    from live_server import LiveServer

    srv = LiveServer(create_app(settings, store)).start(timeout=60)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def protocol_server(store):
    """``live_server.start_server(store)`` (the real graph plus the protocol test graphs, default
    settings), started once per worker for the files that only read from it."""
    from live_server import start_server

    srv = start_server(store)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def built_on_disk(settings, tmp_path_factory) -> Path:
    """A folder with the real graph built on disk once (``store/``, ``store-journal/`` if any). Tests
    that need a freshly built on-disk store copy it (``built_store.copy_built``) instead of building."""
    root = tmp_path_factory.mktemp("gebaut-auf-platte")
    del build(settings.with_(store_path=root / "store")).store
    return root
