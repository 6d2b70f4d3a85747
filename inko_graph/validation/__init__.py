"""SHACL validation against ``ontology/shapes.ttl``: with pySHACL and the report grouped by resource
(``shacl``), the shapes compiled to SPARQL for pyoxigraph (``shapecheck``), and one named graph
checked against its neighbourhood in the store (``graphcheck``)."""
