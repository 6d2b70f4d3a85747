"""The example Raster submissions in ``graph_data/raster/``, read into one graph per actor and year.

The Raster importer fills this in; until then there are no examples to read.
"""

from __future__ import annotations

__all__ = ["read_examples"]


def read_examples(settings, dataset) -> dict:
    return {}
