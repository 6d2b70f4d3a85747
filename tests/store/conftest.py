"""Real SPARQL servers with the real graph built onto them, shared by the remote-store tests
(``test_remote_*.py``): each server is started once per session and stopped at its end."""

from __future__ import annotations

import pytest

from inko_graph.load.build import build
from inko_graph.settings import Settings
from remote_fixtures import server_env
from remote_servers import STARTERS


@pytest.fixture(scope="session", params=sorted(STARTERS))
def running(request):
    run = STARTERS[request.param]()
    yield run
    run.stop()


@pytest.fixture(scope="session")
def remote_settings(running, tmp_path_factory) -> Settings:
    """With a journal folder of its own (the default would be var/store-journal of the checkout)."""
    folder = tmp_path_factory.mktemp(f"journal-{running.name}") / "store-journal"
    return Settings.from_env(env=server_env(running.server), extra={"journal_dir": str(folder)})


@pytest.fixture(scope="session")
def remote(remote_settings):
    """The real graph built onto the server (once per server)."""
    return build(remote_settings).store
