"""Helpers of the remote-store tests (fixtures: ``conftest.py``)."""

from __future__ import annotations

from inko_graph.settings import SparqlServer


def server_env(server: SparqlServer) -> dict:
    """The environment that points inko-graph at ``server``."""
    env = {"INKO_SPARQL_QUERY_URL": server.query_url, "INKO_SPARQL_UPDATE_URL": server.update_url}
    if server.graph_store_url:
        env["INKO_GRAPH_STORE_URL"] = server.graph_store_url
    if server.user:
        env["INKO_SPARQL_USER"] = server.user
        env["INKO_SPARQL_PASSWORD"] = server.password
    return env
