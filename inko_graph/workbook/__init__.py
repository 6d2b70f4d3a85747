"""Workbooks in the formats the town halls' tools write: Excel (.xlsx) and OpenDocument (.ods).

``book`` describes a template independent of its format (sheets, cells, drop-downs bound to
list sheets); ``xlsx`` and ``ods`` write such a description; ``reading`` opens a filled-in file
of either format as plain rows of cells, with one set of checks and German messages. The Raster,
the monitoring template and the Konzept workbook all use these, so each format works the same
everywhere.
"""
