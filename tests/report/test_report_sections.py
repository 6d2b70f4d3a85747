"""The report's sections for changes since the year before and for monitoring, on the real graph."""

from __future__ import annotations

import re

from inko_graph.report import build_report, render_html


def test_report_shows_changes_and_monitoring(store, settings):
    report = build_report(store, settings, town="Hattingen")
    ids = [s.id for s in report.sections]
    assert "aenderungen" in ids and "monitoring" in ids
    assert ids.index("aenderungen") < ids.index("monitoring")
    page = render_html(report)
    assert "Änderungen seit dem Vorjahr" in page
    # The example submissions are of 2014 and there is none of 2013: all of them count as new.
    assert "Für 2013 liegen keine Meldungen vor" in page
    assert "Raster 2013 → Raster 2014" in page
    assert "Monitoring" in page
    assert not re.search(r"""(src|href)=["']https?://""", page)


def test_changes_section_without_submissions(settings):
    from inko_graph.load.build import read_all
    from inko_graph.report import ReportContext
    from inko_graph.report.changes import section
    from inko_graph.store import OxigraphStore

    ds = read_all(settings)
    st = OxigraphStore.memory()
    st.load_quads(q for q in ds.quads() if "/graph/raster/" not in q.graph_name.value)
    import datetime

    ctx = ReportContext(st, settings, None, None, [], [], True, datetime.date(2026, 11, 22))
    sec = section(ctx)
    assert sec.html is None and "noch keine Raster-Meldungen" in sec.paragraphs[0]
