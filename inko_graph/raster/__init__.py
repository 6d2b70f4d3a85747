"""The Raster: the form in which actors report their activities, and its import into the graph.

``template`` makes the workbook (or CSV) with drop-downs from the graph's vocabularies;
``reading`` reads a filled-in file with all checks of the file itself; ``matching`` maps what was
written to allowed values (forgiving, with suggestions); ``mapping`` turns rows into the triples
of the actor's submission graph; ``inko_graph.validation.shapecheck`` validates them with the shapes; ``importer`` does
all of it and writes atomically. Nothing heavy is imported here.
"""
