"""From the files to the store: reading ``graph_data/`` and ``ontology/`` into named graphs
(``sources``), the build that validates the whole and writes the store in one step (``build``),
and synthetic data of the same shape for benchmarks (``synth``)."""
