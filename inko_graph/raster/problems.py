"""One problem of a Raster file (where, which value, what is allowed), in German and English.

The classes are shared by every workbook import (:mod:`inko_graph.workbook.problems`)."""

from __future__ import annotations

from ..workbook.problems import Problem, SheetError as RasterError

__all__ = ["Problem", "RasterError"]
