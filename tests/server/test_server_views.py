"""The network views' data as the server keeps it (``server/views.py``): whether a resource page
links to a network view is answered without reading all of it, and says the same as the data."""

from __future__ import annotations

import pytest

from inko_graph.server import create_app
from inko_graph.server.views import bestand, im_netz


@pytest.fixture(scope="module")
def app(settings, store):
    return create_app(settings, store)


def _iris(store, b):
    """Every node of the views, and as many subjects of the data that are no node (documents,
    graphs, vocabulary, observations)."""
    nodes = sorted(b.graph)
    others = sorted({q.subject.value for q in store.quads() if hasattr(q.subject, "value")} - set(nodes))
    others = [o for o in others if o.startswith("http")]
    assert len(nodes) > 100 and len(others) > 100
    return nodes, others[:: max(1, len(others) // 150)] + ["https://w3id.org/inko/id/gibt/es/nicht"]


def test_im_netz_says_what_the_views_data_say_also_before_it_is_read(app, store):
    b = bestand(app)
    nodes, others = _iris(store, b)
    sample = nodes[:: max(1, len(nodes) // 150)]
    for cached in (True, False):
        if not cached:
            del app.state.views_bestand  # as after a change of the data: the page must not wait for all of it
        assert all(im_netz(app, n) for n in sample), cached
        assert not any(im_netz(app, o) for o in others), cached
    assert not hasattr(app.state, "views_bestand")  # answered by the query for the one resource
