"""What is computed from query answers beyond a query: the network of actors, undertakings and
goals with the actors central to it (``network``), and what changed between two versions of the
graph (``diff``)."""
