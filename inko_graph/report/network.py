"""The report's section on the network: the actors central to the network of actors,
undertakings and goals, and those that bridge otherwise separate groups.

For a town the network is the town's own: the goals and undertakings of the town's concepts and,
for context, of its Kreis's; the actors that work on those undertakings (responsible, carrier,
involved, a step's responsible) and the members of such an actor that is a Gremium; the links
among them. Centralities are computed within it. The nodes are asked for the areas of those
concepts (``akteursnetz-knoten`` and ``akteursnetz-kanten-gebiet`` with ``gebiet``), not for the whole
graph."""

from __future__ import annotations

from .model import HTML_LIMIT, ReportContext, ReportSection, Table, catalogue, limited_table, records

__all__ = ["network_section", "town_graph"]


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


_WORKS_ON = ("zuständig", "Träger", "beteiligt", "Umsetzungsschritt")
_MEMBER = "hat als Mitglied"


def town_graph(ctx: ReportContext, cat):
    """The network of the town's and its Kreis's concepts (see the module's description)."""
    from ..analysis.network import SAME, _merge_same, _Net, _records, add_link_record, add_node_record
    from ..query.catalogue import run

    konzepte = ctx.alle_iris
    areas = sorted({k["gebiet"] for k in ctx.konzepte + ctx.kontext if isinstance(k.get("gebiet"), str)})
    q_nodes = cat.get("akteursnetz-knoten")

    def node_rows(params):
        return _records(run(ctx.current, q_nodes, params, include_curated=ctx.include_curated))

    g = _Net()

    def add_rows(rows):
        for rec in rows:
            if rec["art"] != "akteur" and rec.get("konzept") not in konzepte:
                continue  # a goal or undertaking of another concept of the area
            add_node_record(g, rec)

    add_rows([r for a in areas for r in node_rows({"gebiet": a})])
    # The links at the areas' goals and undertakings (and among the organisations working on them),
    # asked per area: at 10^5 triples a town and its Kreis cost half of the whole graph's links.
    q_edges = cat.get("akteursnetz-kanten-gebiet")
    edges = [r for a in areas for r in _records(run(ctx.current, q_edges, {"gebiet": a}, include_curated=ctx.include_curated))]
    work = {n for n, a in g.nodes.items() if a["kind"] != "akteur"}
    same = _merge_same(g, [(r["von"], r["nach"]) for r in edges if r["beziehung"] == SAME])
    links = [(same.get(r["von"], r["von"]), same.get(r["nach"], r["nach"]), r) for r in edges if r["beziehung"] != SAME]
    actors = {a for a, b, r in links if r["beziehung"] in _WORKS_ON and b in work}

    def known(iris):
        # Actors seated outside the town and the Kreis: their own rows, one node each.
        missing = sorted(n for n in iris if n not in g.nodes or g.nodes[n]["label"] == n)
        add_rows([r for n in missing for r in node_rows({"knoten": n})])

    known(actors)
    actors |= {b for a, b, r in links if r["beziehung"] == _MEMBER and a in actors
               and g.nodes.get(a, {}).get("gremium") and r["nach_art"] == "akteur"}
    known(actors)
    keep = work | actors
    for a, b, rec in links:
        if a == b or a not in keep or b not in keep:
            continue
        add_link_record(g, a, b, rec)
    return g.graph(keep)


def network_section(ctx: ReportContext):
    from ..analysis.network import actor_network

    cat = catalogue(ctx.settings.queries_dir)  # read once, not for every report
    if ctx.gebiet:
        g = town_graph(ctx, cat)
    else:
        g = actor_network(ctx.current, include_curated=ctx.include_curated, catalogue=cat)
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
        + ((", für die Dokumente des Kreises und seiner Städte." if ctx.scope.ist_kreis else
            ", für die Dokumente der Stadt und des Kreises.") if ctx.gebiet else "."),
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
