"""The named SPARQL queries of ``queries/*.rq``: the catalogue and running a query with bound
parameters (``catalogue``), letting the parameters lead the evaluation (``focus``), and the one
query computed in Python, similar measures of different documents (``similarity``)."""
