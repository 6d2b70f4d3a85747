"""The report's section on the network: the actors central to the network of actors,
undertakings and goals, and those that bridge otherwise separate groups."""

from __future__ import annotations

from .model import HTML_LIMIT, ReportContext, ReportSection, Table, catalogue, cell_text, limited_table, records

__all__ = ["network_section"]


_CENTRALITY: dict = {}


def _centrality(g):
    """``actor_centrality`` of ``g``, kept for the network as it is (nodes and edges with their data,
    in order: the groups depend on it); the betweenness costs about a second on the real graph."""
    from ..analysis.network import actor_centrality

    key = repr((list(g.nodes(data=True)), list(g.edges(data=True))))
    df = _CENTRALITY.get(key)
    if df is None:
        if len(_CENTRALITY) >= 8:
            _CENTRALITY.pop(next(iter(_CENTRALITY)))
        df = _CENTRALITY[key] = actor_centrality(g)
    return df.copy()


def network_section(ctx: ReportContext):
    from ..analysis.network import actor_network, town_network

    cat = catalogue(ctx.settings.queries_dir)  # read once, not for every report
    if ctx.gebiet:
        quellen = {q for k in ctx.konzepte for q in cell_text(k.get("quelle")).split()}
        g = town_network(ctx.store, ctx.alle_iris, quellen, {ctx.gebiet}, include_curated=ctx.include_curated,
                         catalogue=cat)
    else:
        g = actor_network(ctx.store, include_curated=ctx.include_curated, catalogue=cat)
    df = _centrality(g)
    n_actors = int((df["grad"] > 0).sum()) if len(df) else 0
    top = df[df["grad"] > 0].head(15)
    rows = [{"name": r["name"], "grad": r["grad"], "zwischen": f"{r['zwischen']:.3f}".replace(".", ","),
             "vorhaben": r["vorhaben"], "gruppen": r["gruppen"], "trenn": "ja" if r["trennstelle"] else "",
             "iri": r["akteur"]} for r in records(top)]
    bridges = df[(df["trennstelle"]) | (df["gruppen"] >= 2)]
    brows = [{"name": r["name"], "gruppen": r["gruppen"], "trenn": "ja" if r["trennstelle"] else "nein",
              "iri": r["akteur"]} for r in records(bridges.head(HTML_LIMIT))]
    sec = ReportSection("netzwerk", "Akteure im Netzwerk", slot="netzwerk", paragraphs=[
        f"Das Netz verbindet {n_actors} Akteure mit ihren Maßnahmen und Aktivitäten, diese mit ihren Zielen, "
        "Ziele mit übergeordneten und abgestimmten Zielen und Gremien mit ihren Mitgliedern"
        + (", für die Dokumente der Stadt und des Kreises." if ctx.gebiet else "."),
        "„Verbindungen“: Zahl der direkten Verbindungen. „Vermittlung“: Anteil der kürzesten Wege im Netz, die über den "
        "Akteur laufen (0 bis 1); hoch heißt, er verbindet Bereiche, die sonst wenig miteinander zu tun haben. "
        "„Gruppen“: aus wie vielen Gruppen des Netzes seine Nachbarn stammen (Gruppen: Teile, die untereinander "
        "dichter verbunden sind als nach außen). „Trennstelle“: ohne diesen Akteur zerfiele das Netz in Teile."],
        tables=[Table("Die zentralsten Akteure", [("name", "Akteur"), ("grad", "Verbindungen"), ("zwischen", "Vermittlung"),
                                                  ("vorhaben", "Vorhaben"), ("gruppen", "Gruppen"), ("trenn", "Trennstelle")], rows),
                limited_table("Brücken zwischen Gruppen", [("name", "Akteur"), ("gruppen", "Gruppen"), ("trenn", "Trennstelle")],
                         brows, note="Akteure, deren Nachbarn aus mehreren Gruppen stammen oder ohne die das Netz zerfiele.")])
    csv_df = df.rename(columns={"name": "akteur_name", "grad": "verbindungen", "zwischen": "vermittlung"})
    return sec, csv_df
