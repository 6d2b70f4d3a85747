"""The report's first section: what the report covers and the counts of the gaps and overlaps
found."""

from __future__ import annotations

from ..namespaces import shorten
from .model import ReportContext, ReportSection, Table, cell_text

__all__ = ["overview_section"]


def overview_section(ctx: ReportContext, summary):
    docs = [{"dokument": cell_text(k.get("konzeptname")) or shorten(k["konzept"]), "rolle": "Gegenstand",
             "ziele": k.get("ziele"), "handlungsfelder": k.get("handlungsfelder"), "vorhaben": k.get("vorhaben")}
            for k in ctx.konzepte]
    docs += [{"dokument": cell_text(k.get("konzeptname")) or shorten(k["konzept"]), "rolle": "Rahmen",
              "ziele": k.get("ziele"), "handlungsfelder": k.get("handlungsfelder"), "vorhaben": k.get("vorhaben")}
             for k in ctx.rahmen]
    docs += [{"dokument": cell_text(k.get("konzeptname")) or shorten(k["konzept"]), "rolle": "zum Vergleich",
              "ziele": k.get("ziele"), "handlungsfelder": k.get("handlungsfelder"), "vorhaben": k.get("vorhaben")}
             for k in ctx.kontext]
    paras = []
    if ctx.town and ctx.scope.ist_kreis:
        paras.append(f"Gegenstand sind die Konzepte des Kreises ({ctx.town}) und seiner Städte, die Ziele, Handlungsfelder oder "
                     "Maßnahmen enthalten, wie in der Ansicht des Kreises im Cockpit.")
        paras += [_framework_text(ctx, k) for k in ctx.rahmen]
    elif ctx.town:
        paras.append(
            f"Gegenstand sind die Konzepte von {ctx.town}, die Ziele, Handlungsfelder oder Maßnahmen enthalten. "
            + ("Die Konzepte des Kreises sind zum Vergleich dabei: bei den Überschneidungen (plant die Stadt, was der "
               "Kreis schon plant?) und im Netzwerk der Akteure, nicht bei den Lücken." if ctx.kontext else ""))
        paras += [_framework_text(ctx, k) for k in ctx.rahmen]
    else:
        paras.append("Gegenstand sind alle Konzepte im Graphen, die Ziele, Handlungsfelder oder Maßnahmen enthalten"
                     + (", außer den allgemeinen Strategien der Städte (Rahmen)." if ctx.rahmen else "."))
        paras += [_framework_text(ctx, k) for k in ctx.rahmen]
    paras.append("Grundlage: was die Dokumente sagen"
                 + (" und kuratierte Verknüpfungen (Lebensphasen der Vorhaben und Abgleiche zwischen den Dokumenten, "
                    "von der Redaktion mit Begründung ergänzt)." if ctx.include_curated else
                    "; kuratierte Verknüpfungen sind weggelassen."))
    return ReportSection("ueberblick", "Überblick", slot="ueberblick", paragraphs=paras, tables=[
        Table("Berücksichtigte Dokumente", [("dokument", "Dokument"), ("rolle", "Rolle"), ("ziele", "Ziele"),
                                            ("handlungsfelder", "Handlungsfelder"), ("vorhaben", "Vorhaben")], docs),
        Table("Auf einen Blick", [("was", "Was"), ("anzahl", "Anzahl")],
              [{"was": w, "anzahl": n} for w, n in summary])])


def _framework_text(ctx: ReportContext, k: dict) -> str:
    """What a framework concept ("Rahmen") is in the report, and how many of its goals the goals of
    the subject concepts contribute to (query ``cockpit-beitraege``, as on the cockpit's goal page)."""
    name = cell_text(k.get("konzeptname")) or shorten(k["konzept"])
    links = ctx.run("cockpit-beitraege", {"konzept": k["konzept"]})
    if len(links):
        links = links[links["zielkonzept"].isin(ctx.konzept_iris)]
    served = links["rahmenziel"].nunique() if len(links) else 0
    own = links["ziel"].nunique() if len(links) else 0
    return (f"„{name}“ ist Rahmen: eine allgemeine Strategie der Stadt, auf der ihr Integrationskonzept aufbaut. "
            f"Seine Ziele zählen nicht als Lücken oder Überschneidungen; sie zeigen, wozu die Integrationsziele "
            f"beitragen: {own} {'Ziel trägt' if own == 1 else 'Ziele tragen'} zu "
            f"{'einem' if served == 1 else served} seiner Ziele bei.")
