"""What leaves the store as files: the dumps of the whole dataset in every RDF format, its
VoID/DCAT description, and the check that no personal data leaves (``dumps``)."""
