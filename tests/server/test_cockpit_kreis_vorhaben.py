"""The measures per goal on the Kreisziele page (``cockpit_kreis.goal_measures``) are those of the
table „Wer dient welchem Ziel“ (``serves.serves_rows``) for the same Gebiet, names included."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from inko_graph.server import cockpit_kreis, serves
from inko_graph.server.gebiet import choices


@pytest.mark.parametrize("slug", ["ennepe-ruhr-kreis", "hattingen", "ratingen"])
def test_measures_per_goal_are_those_of_the_serves_table(real_server, slug):
    app = real_server.app
    request = SimpleNamespace(app=app, query_params={}, cookies={}, url=SimpleNamespace(path="/kreisziele"))
    g = choices(app)[slug]
    expected: dict[str, dict[str, str]] = {}
    for r in serves.serves_rows(request, gebiet=g):
        expected.setdefault(r["ziel"], {})[r["vorhaben"]] = r["vorhabenname"]
    got = cockpit_kreis.goal_measures(request, g)
    assert got == expected and sum(map(len, got.values())) > 20
