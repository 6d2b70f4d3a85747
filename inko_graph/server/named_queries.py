"""The catalogue of named queries of the running application, shared by the cockpit, the choice of
Gebiet and the network views."""

from __future__ import annotations

__all__ = ["catalogue"]


def catalogue(app):
    """The named queries, read once per application (parsing the folder costs about 0.2 s); the
    network views' data (``views.bestand``) reads the same one through ``app.state.catalogue``."""
    from ..query.catalogue import Catalogue

    cat = getattr(app.state, "cockpit_catalogue", None)
    if cat is None:
        cat = getattr(app.state, "catalogue", None) or Catalogue(app.state.settings.queries_dir)
        app.state.cockpit_catalogue = cat
        if getattr(app.state, "catalogue", None) is None:
            app.state.catalogue = cat
    return cat
