"""The report's monitoring section: how the indicators of the goals moved, town against Kreis and
Land, and the monitoring gaps (``monitoring.report_section``)."""

from __future__ import annotations

from markupsafe import Markup

from .model import ReportContext, ReportSection

__all__ = ["section"]


def section(ctx: ReportContext) -> ReportSection:
    from ..monitoring import report_section

    sec = ReportSection(id="monitoring", title="Monitoring: Kennzahlen und Indikatoren", slot="anhang")
    sec.html = Markup(report_section(ctx.store, ctx.gebiet))  # escaped fragment, charts inline
    return sec
