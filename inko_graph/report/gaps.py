"""The report's section on gaps: goals without measures, fields of action without work for a
life stage (with the heat map of undertakings per field and life stage), measures without
someone responsible, goals without indicators, fields without alignment, actors without
activities."""

from __future__ import annotations

from ..namespaces import shorten
from .actors import idle_organisations
from .model import ReportContext, ReportSection, cell_text, limited_table, records

__all__ = ["heatmap", "gaps_section", "OHNE_FELD"]

#: The heat map's row for what serves a goal of the concept that belongs to none of its fields.
OHNE_FELD = "ohne Handlungsfeld"


def heatmap(ctx: ReportContext):
    """(table rows, life-stage columns, documents left out) of undertakings per field and life stage,
    counted and coloured as the cockpit's matrix: each cell's ``_klasse`` colours it (h0: a gap, also
    "Alle Lebensphasen" in a field that nothing covers for all stages). A document without any
    undertaking in its fields has no table (every cell would be a gap), only its name. A row
    "ohne Handlungsfeld" (query ``vorhaben-ohne-handlungsfeld``) holds what serves a goal of the
    concept outside its fields, as in the matrix: no field, so none of its cells is a gap."""
    df = ctx.mine("vorhaben-je-handlungsfeld-lebensphase")
    stages: dict[str, tuple[str, str]] = {}
    cells: dict[tuple[str, str], int] = {}
    fields: dict[str, dict] = {}
    for r in records(df) + records(ctx.mine("vorhaben-ohne-handlungsfeld")):
        lp = r.get("lebensphase") or ""
        if lp and lp not in stages:
            stages[lp] = (cell_text(r.get("lpnotation")), cell_text(r.get("lebensphasename")) or shorten(lp))
        hf = r.get("handlungsfeld") or "ohne-feld " + r["konzept"]
        fields.setdefault(hf, {"dokument": cell_text(r.get("konzeptname")) or shorten(r["konzept"]),
                               "handlungsfeld": (cell_text(r.get("handlungsfeldname")) or shorten(hf)) if r.get("handlungsfeld")
                               else OHNE_FELD, "nummer": cell_text(r.get("hfnotation")),
                               "iri": r.get("handlungsfeld") or ""})
        cells[(hf, lp)] = cells.get((hf, lp), 0) + int(r.get("anzahl") or 0)
    order = sorted(stages, key=lambda k: (stages[k][0].zfill(3), stages[k][1]))
    columns = [(lp, stages[lp][1]) for lp in order] + [("", "ohne Angabe")]
    rows = []
    alle = [lp for lp in order if lp.endswith("/alle-lebensphasen")]
    for hf, f in sorted(fields.items(), key=lambda kv: (kv[1]["dokument"], not kv[1]["iri"], kv[1]["nummer"].zfill(6),
                                                        kv[1]["handlungsfeld"])):
        row = dict(f)
        klasse = {}
        covered = any(cells.get((hf, lp), 0) for lp in alle)  # an undertaking for all life stages
        for key, _ in columns:
            n = cells.get((hf, key), 0)
            row[key or "ohne"] = n
            if not key or (n == 0 and not f["iri"]):
                klasse[key or "ohne"] = "hn"  # "no stage given" is no stage of life; "no field" no field
            elif n == 0:
                klasse[key] = "hn" if covered else "h0"
            else:
                klasse[key] = "h1" if n == 1 else ("h2" if n <= 3 else ("h3" if n <= 7 else "h4"))
        row["_klasse"] = klasse
        rows.append(row)
    busy = {r["dokument"] for r in rows if any(r[k or "ohne"] for k, _ in columns)}
    left_out = list(dict.fromkeys(r["dokument"] for r in rows if r["dokument"] not in busy))
    return [r for r in rows if r["dokument"] in busy], columns, left_out


def gaps_section(ctx: ReportContext, heat_rows, heat_columns, heat_left_out=()):
    """The gap section and the rows of luecken.csv."""
    csv_rows: list[dict] = []
    sec = ReportSection("luecken", "Lücken", slot="luecken", paragraphs=[
        "Wo die Konzepte etwas vorhaben, aber (noch) niemand etwas tut, niemand zuständig ist oder "
        "niemand misst, ob es gelingt. Eine Lücke ist ein Anlass zum Nachfragen, kein Fehler: manches "
        "geschieht, ist aber noch nicht erfasst."])

    z = ctx.mine("ziele-ohne-massnahme")
    rows = [{"dokument": cell_text(r.get("konzeptname")), "handlungsfeld": cell_text(r.get("handlungsfeldname")),
             "art": cell_text(r.get("zielart")), "nummer": cell_text(r.get("notation")), "ziel": cell_text(r.get("zielname")),
             "iri": r["ziel"]} for r in records(z)]
    sec.subsections.append(ReportSection("ziele-ohne-massnahme", f"Ziele ohne Maßnahme ({len(rows)})", paragraphs=[
        "Diesen Zielen dient keine Maßnahme und keine Aktivität, auch nicht über ein Unterziel."],
        tables=[limited_table("Ziele ohne Maßnahme", [("dokument", "Dokument"), ("handlungsfeld", "Handlungsfeld"),
                                                 ("art", "Art"), ("nummer", "Nr."), ("ziel", "Ziel")], rows)]))
    csv_rows += [{"luecke": "Ziel ohne Maßnahme", "dokument": r["dokument"], "handlungsfeld": r["handlungsfeld"],
                  "bezeichnung": r["ziel"], "lebensphase": "", "hinweis": r["art"], "iri": r["iri"]} for r in rows]

    if heat_rows or heat_left_out:
        stage_cols = [(k, h) for k, h in heat_columns if k]
        empty = [{"dokument": r["dokument"], "handlungsfeld": r["handlungsfeld"], "lebensphase": h, "iri": r["iri"]}
                 for r in heat_rows for k, h in stage_cols if r["_klasse"][k] == "h0"]
        csv_rows += [{"luecke": "Lebensphase ohne Vorhaben im Handlungsfeld", "dokument": e["dokument"],
                      "handlungsfeld": e["handlungsfeld"], "bezeichnung": "", "lebensphase": e["lebensphase"],
                      "hinweis": "", "iri": e["iri"]} for e in empty]
        sec.subsections.append(ReportSection("lebensphasen", f"Handlungsfelder und Lebensphasen ({len(empty)} leere Felder)", paragraphs=[
            "Wie viele Maßnahmen und Aktivitäten es je Handlungsfeld und Lebensphase gibt. Eine 0 ist eine "
            "Lücke, außer im selben Handlungsfeld gibt es ein Vorhaben für alle Lebensphasen (wie in der Matrix "
            "des Cockpits). „ohne Angabe“: Vorhaben, bei denen keine Lebensphase genannt ist."]
            + ([f"Ohne Maßnahmen in seinen Handlungsfeldern (daher keine Tabelle): {', '.join(heat_left_out)}."]
               if heat_left_out else [])))

    zl = ctx.mine("luecken-ziel-lebensphase")
    csv_rows += [{"luecke": "Lebensphase ohne Vorhaben für ein Ziel", "dokument": cell_text(r.get("konzeptname")), "handlungsfeld": "",
                  "bezeichnung": cell_text(r.get("zielname")), "lebensphase": cell_text(r.get("lebensphasename")),
                  "hinweis": f"{r.get('vorhaben_fuer_ziel')} Vorhaben für andere Lebensphasen", "iri": r["ziel"]}
                 for r in records(zl)]

    m = ctx.mine("massnahmen-ohne-zustaendigkeit")
    rows = [{"dokument": cell_text(r.get("konzeptname")), "vorhaben": cell_text(r.get("vorhabenname")), "art": cell_text(r.get("vorhabenart")),
             "wer": cell_text(r.get("wer")), "abschnitt": cell_text(r.get("abschnitt")), "iri": r["vorhaben"]} for r in records(m)]
    sec.subsections.append(ReportSection("ohne-zustaendigkeit", f"Maßnahmen ohne Zuständigkeit ({len(rows)})", paragraphs=[
        "Für diese Maßnahmen nennt das Dokument keine zuständige Organisation und keine Zuständigkeit "
        "(„wer“: was das Dokument in Worten sagt)."],
        tables=[limited_table("Maßnahmen ohne Zuständigkeit", [("dokument", "Dokument"), ("vorhaben", "Maßnahme"),
                                                          ("wer", "wer (Wortlaut)"), ("abschnitt", "Abschnitt")], rows)]))
    csv_rows += [{"luecke": "Maßnahme ohne Zuständigkeit", "dokument": r["dokument"], "handlungsfeld": "",
                  "bezeichnung": r["vorhaben"], "lebensphase": "", "hinweis": r["wer"], "iri": r["iri"]} for r in rows]

    i = ctx.mine("ziele-ohne-indikator")
    rows = [{"dokument": cell_text(r.get("konzeptname")), "art": cell_text(r.get("zielart")), "nummer": cell_text(r.get("notation")),
             "ziel": cell_text(r.get("zielname")), "iri": r["ziel"]} for r in records(i)]
    sec.subsections.append(ReportSection("ohne-indikator", f"Ziele ohne Indikator ({len(rows)})", paragraphs=[
        "Leitziele und Monitoringziele, deren Erreichung kein Indikator misst."],
        tables=[limited_table("Ziele ohne Indikator", [("dokument", "Dokument"), ("art", "Art"), ("nummer", "Nr."),
                                                  ("ziel", "Ziel")], rows)]))
    csv_rows += [{"luecke": "Ziel ohne Indikator", "dokument": r["dokument"], "handlungsfeld": "", "bezeichnung": r["ziel"],
                  "lebensphase": "", "hinweis": r["art"], "iri": r["iri"]} for r in rows]

    h = ctx.mine("handlungsfelder-ohne-abgleich")
    rows = [{"dokument": cell_text(r.get("konzeptname")), "nummer": cell_text(r.get("notation")),
             "handlungsfeld": cell_text(r.get("handlungsfeldname")), "iri": r["handlungsfeld"]} for r in records(h)]
    sec.subsections.append(ReportSection("ohne-abgleich", f"Handlungsfelder ohne Abgleich ({len(rows)})", paragraphs=[
        "Diese Handlungsfelder sind mit keinem Handlungsfeld oder Ziel eines anderen Konzepts abgeglichen."],
        tables=[limited_table("Handlungsfelder ohne Abgleich", [("dokument", "Dokument"), ("nummer", "Nr."),
                                                           ("handlungsfeld", "Handlungsfeld")], rows)]))
    csv_rows += [{"luecke": "Handlungsfeld ohne Abgleich", "dokument": r["dokument"], "handlungsfeld": r["handlungsfeld"],
                  "bezeichnung": "", "lebensphase": "", "hinweis": "", "iri": r["iri"]} for r in rows]

    # Those seated in the Gebiet (for a Kreis also in its towns), one organisation one actor, as the
    # cockpit's /akteure lists them (report.actors).
    rows = idle_organisations(ctx)
    sec.subsections.append(ReportSection("akteure-ohne-aktivitaet", f"Akteure ohne Aktivität ({len(rows)})", paragraphs=[
        "Organisationen und Gremien" + ((" mit Sitz im Kreis oder einer seiner Städte" if ctx.scope.ist_kreis else
                                         " mit Sitz in der Stadt") if ctx.gebiet else "") + ", die selbst und mit ihren "
        "Untereinheiten bei keiner Maßnahme oder Aktivität eingetragen sind, wie die Liste der Akteure sie zählt. "
        "Vielleicht tun sie etwas, das noch nicht erfasst ist."],
        tables=[limited_table("Akteure ohne Aktivität", [("akteur", "Akteur"), ("art", "Art"), ("untereinheiten", "Untereinheiten")], rows)]))
    csv_rows += [{"luecke": "Akteur ohne Aktivität", "dokument": "", "handlungsfeld": "", "bezeichnung": r["akteur"],
                  "lebensphase": "", "hinweis": r["art"], "iri": r["iri"]} for r in rows]
    return sec, csv_rows
