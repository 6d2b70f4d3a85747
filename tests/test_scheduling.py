"""The order of test files for the workers (tests/scheduling.py): the costliest first, files sharing
the remote servers as one unit, and the hooks in conftest.py really used."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

import scheduling
from scheduling import COST, GROUPS, order, unit

ROOT = Path(__file__).resolve().parents[1]


def test_every_named_file_exists():
    """A renamed or split file would silently lose its place at the front."""
    groups = set(GROUPS.values())
    for name in COST:
        if name in groups:
            pattern = next(p for p, g in GROUPS.items() if g == name)
            assert list(ROOT.glob(pattern)), pattern
        else:
            assert (ROOT / name).is_file(), name


def test_remote_server_files_are_one_unit():
    group = GROUPS["tests/store/test_remote_*.py"]
    assert unit("tests/store/test_remote_store.py") == unit("tests/store/test_remote_virtuoso.py") == group
    assert unit("tests/store/test_store.py") == "tests/store/test_store.py"


class _Item:
    def __init__(self, rel: str, name: str):
        self.path = ROOT / rel
        self.nodeid = f"{rel}::{name}"


def test_order_puts_the_costliest_first_and_keeps_each_files_order():
    items = [_Item("tests/analysis/test_diff.py", "a"), _Item("tests/test_wheel.py", "w"),
             _Item("tests/analysis/test_diff.py", "b"), _Item("tests/server/test_browser_cockpit.py", "c1"),
             _Item("tests/server/test_browser_cockpit.py", "c2")]
    order(items, ROOT)
    assert [i.nodeid.split("::")[1] for i in items] == ["c1", "c2", "w", "a", "b"]


class _Node:
    shutting_down = False

    def __init__(self, name):
        self.name, self.sent = name, []
        self.gateway = SimpleNamespace(id=name)

    def send_runtest_some(self, indexes):
        self.sent.append(indexes)

    def shutdown(self):
        self.shutting_down = True


def test_the_workers_get_the_costliest_unit_first_with_the_remote_files_together(request):
    pytest.importorskip("xdist")
    # The hook of tests/conftest.py as pytest registered it (``from conftest import`` may find another).
    impls = request.config.pluginmanager.hook.pytest_xdist_make_scheduler.get_hookimpls()
    pytest_xdist_make_scheduler = next(i.function for i in impls
                                       if Path(i.function.__code__.co_filename) == ROOT / "tests" / "conftest.py")

    option = SimpleNamespace(loadscopereorder=True)
    config = SimpleNamespace(option=option, getvalue=lambda name: {"dist": "loadfile", "tx": ["2*popen"]}[name])
    sched = pytest_xdist_make_scheduler(config, None)
    assert sched is not None and option.loadscopereorder is False
    # A collection as the workers send it: ordered by conftest's hook; the cheap file has most tests.
    collection = ([f"tests/analysis/test_diff.py::t{i}" for i in range(20)]
                  + ["tests/store/test_remote_store.py::a[oxigraph]", "tests/store/test_remote_virtuoso.py::b[oxigraph]",
                     "tests/store/test_remote_store.py::a[virtuoso]", "tests/test_wheel.py::w",
                     "tests/server/test_kill_server.py::k"])
    items = [_Item(*n.split("::")) for n in collection]
    order(items, ROOT)
    collection = [i.nodeid for i in items]
    nodes = [_Node("gw0"), _Node("gw1")]
    for n in nodes:
        sched.add_node(n)
        sched.add_node_collection(n, collection)
    sched.schedule()
    first = [collection[i] for i in nodes[0].sent[0]]
    assert first == collection[:3] and all("test_remote_" in n for n in first)  # one unit, both servers
    assert [collection[i] for i in nodes[1].sent[0]] == ["tests/server/test_kill_server.py::k"]
    assert config.getvalue("dist") == "loadfile" and pytest_xdist_make_scheduler(
        SimpleNamespace(option=option, getvalue=lambda name: "load"), None) is None
    assert scheduling.COST[GROUPS["tests/store/test_remote_*.py"]] == max(COST.values())
