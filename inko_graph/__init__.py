"""inko-graph: the knowledge graph of integration goals, actors and measures."""

__version__ = "0.1.0"
