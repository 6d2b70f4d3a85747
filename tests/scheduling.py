"""The order in which the test files are handed to the workers of ``make test`` (pytest-xdist,
``--dist loadfile``): the longest files first, so that the workers end together instead of one
waiting for the other to finish a long file it took last.

xdist's own order (files with the most tests first) hands out the few long tests last: a killed
server, the wheel, the load test. ``COST`` holds the files' measured run times (seconds of test
time in a whole-suite run on a loaded machine; only their order matters); files not named come
after them in collection order. Files sharing session-wide servers (``GROUPS``) go to one worker
together, so the servers start once instead of once per worker.
"""

from __future__ import annotations

from pathlib import PurePosixPath

#: Files (relative to the repository) that share a costly session fixture: one unit of work each.
GROUPS = {
    # Oxigraph and Virtuoso servers with the real graph built onto them (tests/store/conftest.py).
    "tests/store/test_remote_*.py": "Entfernte SPARQL-Server",
}

#: Seconds of test time per file or group, measured; the longest first.
COST = {
    "Entfernte SPARQL-Server": 250,
    "tests/server/test_browser_cockpit.py": 220,
    "tests/cli/test_cli_server_rebuild.py": 190,
    "tests/cli/test_cli_core.py": 160,
    "tests/server/test_bench_load.py": 140,
    "tests/server/test_browser_views.py": 130,
    "tests/server/test_kill_server.py": 120,
    "tests/konzept/test_konzept_import.py": 115,
    "tests/load/test_kill.py": 105,
    "tests/server/test_query_worker.py": 105,
    "tests/query/test_query_focus.py": 100,
    "tests/test_fuzz_importers.py": 90,
    "tests/test_wheel.py": 85,
    "tests/server/test_browser_resources.py": 85,
    "tests/workbook/test_workbooks_libreoffice.py": 75,
    "tests/server/test_fuzz_openapi.py": 70,
    "tests/server/test_browser_sparql.py": 70,
    "tests/server/test_clients.py": 60,
    "tests/store/test_store.py": 50,
    "tests/server/test_server_browser.py": 50,
    "tests/server/test_security_hostile.py": 45,
    "tests/workbook/test_workbooks_choices.py": 45,
    "tests/konzept/test_konzept_export.py": 45,
    "tests/server/test_browser_kreisvergleich.py": 40,
    "tests/server/test_server_lod.py": 40,
    "tests/load/test_build_faults.py": 35,
    "tests/validation/test_validate_graph.py": 35,
    "tests/server/test_kreisvergleich.py": 30,
    "tests/server/test_konzept_server.py": 30,
    "tests/raster/test_build_cache.py": 30,
}


def unit(path: str) -> str:
    """The unit of work of a test file (its path relative to the repository, with ``/``)."""
    p = PurePosixPath(path)
    for pattern, group in GROUPS.items():
        if p.match(pattern):
            return group
    return path


def order(items, root) -> None:
    """Sort ``items`` (pytest items) in place: the costliest unit first. Stable, so the order inside
    a file and pytest's own grouping of session fixtures' parameters stay as they were."""
    def cost(item) -> int:
        rel = PurePosixPath(item.path.relative_to(root).as_posix()) if item.path.is_relative_to(root) else item.path
        return -COST.get(unit(str(rel)), 0)

    items.sort(key=cost)


def scheduler(config, log):
    """xdist's file scheduling with the units above, in the order of the collection."""
    from xdist.scheduler import LoadFileScheduling

    class CostFirst(LoadFileScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            # The collection is already sorted by cost; xdist's re-sorting by number of tests would undo it.
            config.option.loadscopereorder = False

        def _split_scope(self, nodeid: str) -> str:
            return unit(super()._split_scope(nodeid))

    return CostFirst(config, log)
