"""The Konzept workbook: a town brings its own integration concept into the graph without Turtle.

``columns`` names the sheets and columns; ``lists`` reads the allowed values from the graph (for a
Gebiet); ``template`` writes the empty workbook (.xlsx, .ods, .csv); ``reading`` reads a filled-in
one; ``mapping`` turns its rows into the triples of the concept's own graph with every check;
``importer`` validates them with the shapes and writes them in one step; ``export`` writes a concept
of the graph back as a workbook; ``alignment`` suggests the Kreis goals closest to each goal.
"""
