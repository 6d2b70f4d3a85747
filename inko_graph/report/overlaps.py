"""The report's section on overlaps: the same work planned twice, in two concepts or by town
and Kreis (several actors on one goal, the same goal text, similar measures)."""

from __future__ import annotations

from ..namespaces import shorten
from .model import ReportContext, ReportSection, cell_text, limited_table, records

__all__ = ["overlaps_section", "similar_measures"]


_SIMILARITY = 0.3


def overlaps_section(ctx: ReportContext):
    mine, alle = ctx.konzept_iris, ctx.alle_iris
    csv_rows: list[dict] = []
    sec = ReportSection("ueberschneidungen", "Überschneidungen", slot="ueberschneidungen", paragraphs=[
        "Wo mehrere dasselbe tun oder dasselbe zweimal steht. Das kann gewollt sein; es lohnt, darüber zu sprechen."])

    m = ctx.mine("mehrere-akteure-gleiches-ziel")
    rows = [{"dokument": cell_text(r.get("konzeptname")), "ziel": cell_text(r.get("zielname")), "lebensphase": cell_text(r.get("lebensphasename")),
             "akteure": "; ".join(sorted(cell_text(r.get("akteure")).split("; "))), "vorhaben": cell_text(r.get("vorhaben")),
             "iri": r["ziel"]} for r in records(m)]
    sec.subsections.append(ReportSection("mehrere-akteure", f"Mehrere Akteure, gleiches Ziel, gleiche Lebensphase ({len(rows)})",
        paragraphs=["Verschiedene Organisationen verfolgen mit verschiedenen Vorhaben dasselbe Ziel für dieselbe Lebensphase."],
        tables=[limited_table("Mehrere Akteure für dasselbe Ziel", [("dokument", "Dokument"), ("ziel", "Ziel"),
                                                              ("lebensphase", "Lebensphase"), ("akteure", "Akteure"),
                                                              ("vorhaben", "Vorhaben")], rows)]))
    csv_rows += [{"ueberschneidung": "mehrere Akteure, gleiches Ziel", "dokument": r["dokument"], "erstes": r["ziel"],
                  "zweites": r["vorhaben"], "beteiligte": r["akteure"], "lebensphase": r["lebensphase"],
                  "aehnlichkeit": "", "iri": r["iri"]} for r in rows]

    g = ctx.run("gleicher-zieltext")
    if len(g):
        g = g[(g["konzept1"].isin(mine) | g["konzept2"].isin(mine)) & g["konzept1"].isin(alle) & g["konzept2"].isin(alle)]
    rows = [{"ziel": cell_text(r.get("zielname1")),
             "ort1": " – ".join(x for x in (cell_text(r.get("konzeptname1")), cell_text(r.get("handlungsfeldname1"))) if x),
             "ort2": " – ".join(x for x in (cell_text(r.get("konzeptname2")), cell_text(r.get("handlungsfeldname2"))) if x),
             "ziel2": cell_text(r.get("zielname2")), "grund": cell_text(r.get("grund")), "iri": f"{r['ziel1']} {r['ziel2']}"}
            for r in records(g)]
    sec.subsections.append(ReportSection("gleicher-zieltext", f"Gleicher Zieltext an mehreren Stellen ({len(rows)})",
        paragraphs=["Dasselbe Ziel steht unter mehreren Handlungsfeldern oder in mehreren Dokumenten."],
        tables=[limited_table("Gleicher Zieltext", [("ziel", "Ziel"), ("ort1", "steht in"), ("ort2", "und in"),
                                               ("grund", "Grund")], rows)]))
    csv_rows += [{"ueberschneidung": "gleicher Zieltext", "dokument": f"{r['ort1']} | {r['ort2']}", "erstes": r["ziel"],
                  "zweites": r["ziel2"], "beteiligte": "", "lebensphase": "", "aehnlichkeit": "", "iri": r["iri"]}
                 for r in rows]

    s = similar_measures(ctx, per_area=bool(ctx.gebiet) and not ctx.scope.ist_kreis)
    rows = [{"erstes": cell_text(r.get("vorhabenname1")), "dok1": cell_text(r.get("konzeptname1")) or shorten(cell_text(r.get("dokument1"))),
             "zweites": cell_text(r.get("vorhabenname2")), "dok2": cell_text(r.get("konzeptname2")) or shorten(cell_text(r.get("dokument2"))),
             "aehnlichkeit": f"{float(r['aehnlichkeit']):.2f}".replace(".", ","), "woerter": cell_text(r.get("gemeinsame_woerter")),
             "iri": f"{r['vorhaben1']} {r['vorhaben2']}"} for r in records(s)]
    sec.subsections.append(ReportSection("aehnliche-massnahmen", f"Maßnahmen, die fast dasselbe sagen ({len(rows)})",
        paragraphs=[f"Maßnahmen und Aktivitäten verschiedener Dokumente mit sehr ähnlichem Wortlaut (Ähnlichkeit ab "
                    f"{_SIMILARITY:.1f}".replace(".", ",") + " auf einer Skala von 0 bis 1; gezählt werden gemeinsame "
                    "Wörter, seltene stärker als häufige)."],
        tables=[limited_table("Ähnliche Maßnahmen", [("erstes", "Maßnahme"), ("dok1", "Dokument"), ("zweites", "ähnliche Maßnahme"),
                                                ("dok2", "Dokument"), ("aehnlichkeit", "Ähnlichkeit"),
                                                ("woerter", "gemeinsame Wörter")], rows)]))
    csv_rows += [{"ueberschneidung": "ähnliche Maßnahmen", "dokument": f"{r['dok1']} | {r['dok2']}", "erstes": r["erstes"],
                  "zweites": r["zweites"], "beteiligte": "", "lebensphase": "", "aehnlichkeit": r["aehnlichkeit"],
                  "iri": r["iri"]} for r in rows]
    return sec, csv_rows


def similar_measures(ctx: ReportContext, per_area: bool):
    """The rows of aehnliche-massnahmen with a measure of the subject and both of the documents
    chosen. ``per_area``: the measures read for the areas of the documents alone, the words
    weighted over every measure in the graph (massnahmen-woerter: wording only, no documents), so
    the pairs are those of the whole answer; at 10^5 triples a town's reading and weighing every
    measure with its documents took over a second. A Kreis's areas hold nearly every measure: one
    run for all (224 ms at 10^5 triples) costs less than a run per area and the weights (550 ms)."""
    from ..query.similarity import compute

    mine, alle = ctx.konzept_iris, ctx.alle_iris
    if per_area:
        import pandas as pd

        areas = sorted({k["gebiet"] for k in ctx.konzepte + ctx.kontext if isinstance(k.get("gebiet"), str)})
        texts = pd.concat([ctx.run("massnahmen-texte", {"gebiet": a}) for a in areas], ignore_index=True)
        return compute(texts, {"schwelle": _SIMILARITY}, among=(mine, alle), weights=ctx.run("massnahmen-woerter"))
    return compute(ctx.run("massnahmen-texte"), {"schwelle": _SIMILARITY}, among=(mine, alle))
