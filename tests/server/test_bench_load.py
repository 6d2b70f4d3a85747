"""The load test of bench/load.py, short: 50 clients for 10 s against a real `inko-graph serve`.

A regression guard, not a benchmark: no server error and no lost connection under load, the
server still running afterwards, and generous bounds on the tail latency and on memory. The full
run (`bench/load.py`, 60 s) gives the figures in docs/security.md. (Named after the script:
tests/cli/test_load.py tests the command ``inko-graph load``.)
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

LOAD = Path(__file__).resolve().parents[2] / "bench" / "load.py"


@pytest.fixture(scope="module")
def load():
    spec = importlib.util.spec_from_file_location("bench_load", LOAD)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result(load, built_on_disk, tmp_path_factory):
    """The session's on-disk build copied (the script's own build is the command line's, tested
    elsewhere); a request without an answer after 60 s counts as an error (a time-out)."""
    from built_store import copy_built

    store = tmp_path_factory.mktemp("last") / "store"
    copy_built(built_on_disk, store)
    return load.run(clients=50, seconds=10, timeout=60, store=store)


def test_every_kind_of_the_mix_was_sent(result, load):
    for kind in load.KINDS:
        assert result["mix"][kind] > 0, kind
        assert result["arten"][kind]["anfragen"] > 0, kind
    # Every named query without required parameters is part of the mix.
    assert result["mix"]["abfrage"] == len(load.named_queries()) >= 20


def test_no_server_error_and_no_lost_connection(result, load):
    assert result["fehler"] == 0, load.report(result)
    assert result["server_lief_durch"]
    # The mix asks only for what exists: anything but 2xx is a fault of the server or the mix.
    assert result["arten"]["alle"]["andere_status"] == 0, result["beispiele_fehler"]


def test_tail_latency_stays_within_generous_bounds(result, load):
    # Reading one resource, a named query or the dataset description must not wait behind slow pages.
    for kind in ("abfrage", "ressource", "void"):
        assert result["arten"][kind]["p99_ms"] < 10_000, load.report(result)
    assert result["arten"]["alle"]["p99_ms"] < 30_000, load.report(result)
    assert result["arten"]["alle"]["pro_sekunde"] > 5, load.report(result)


def test_memory_is_sampled_every_second_and_stays_bounded(result):
    mem = result["speicher_mib"]
    assert len(mem["kurve"]) >= 10
    assert all(server > 20 for _, server, _ in mem["kurve"])
    assert mem["max"] < 2_048
