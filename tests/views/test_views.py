"""Network views: exact answers on tests/data/views/netz.trig, and properties on the real graph."""

from __future__ import annotations

import json
import math
import re
from urllib.parse import quote

import networkx as nx
import pytest

from inko_graph import views
from inko_graph.cli import main
from inko_graph.errors import InputError
from inko_graph.query.catalogue import Catalogue
from inko_graph.store import open_store
from inko_graph.views import layout
from views_fixtures import (AKT1, ALTER, G, HF_A, HF_B, I, KA, KB, L1, L2, LT1, M1, M2, SCHULALTER, T11, T12, X, XSS, Y,
                            Z, fixture_store)

@pytest.fixture(scope="module")
def bestand(settings):
    return views.load(fixture_store(), Catalogue(settings.queries_dir))


@pytest.fixture(scope="module")
def real(store, settings):
    return views.load(store, Catalogue(settings.queries_dir))


LINKS = views.Links.for_server("https://w3id.org/inko/")


# -- the data ------------------------------------------------------------------------------------

def test_load_kinds_labels_and_links(bestand):
    g = bestand.graph
    assert g.number_of_nodes() == 18
    assert g.nodes[L1]["art"] == "leitziel" and g.nodes[LT1]["art"] == "leitthema"
    assert g.nodes[Y]["art"] == "akteur"          # org:Organization and org:FormalOrganization: one kind
    assert g.nodes[G]["art"] == "gremium"         # inko:Gremium wins over org:Organization
    assert g.nodes[Z]["label"] == XSS             # labels are kept as they are; escaping is the page's job
    assert g.nodes[M1]["quellnamen"] == ["Testkonzept A (Quelle)"]
    assert g.has_edge(M1, T11, key="dient") and g.has_edge(T11, L1, key="broader")
    # A link only in the curated graph is marked; one stated in a document is not.
    assert g.edges[LT1, L1, "closeMatch"]["kuratiert"] is True
    assert g.edges[M1, T11, "dient"]["kuratiert"] is False


def test_gaps_and_overlaps(bestand):
    # L1 is served by the activity, T1-1 by two measures; L2, T1-2 and the theme of B by nobody.
    assert bestand.luecken == {L2, T12, LT1}
    assert bestand.ueberschneidungen == {T11: [("Schulalter", 2)]}


def test_gaps_and_overlaps_are_read_on_first_use(settings, monkeypatch):
    import inko_graph.query.catalogue as q

    asked = []
    real = q.run
    monkeypatch.setattr(q, "run", lambda store, query, *a, **k: asked.append(query.name) or real(store, query, *a, **k))
    b = views.load(fixture_store(), Catalogue(settings.queries_dir))
    assert asked == ["view-knoten", "view-kanten"]  # the menu of /netzwerk needs no more
    assert b.luecken == {L2, T12, LT1} and b.ueberschneidungen == {T11: [("Schulalter", 2)]}
    # cockpit-gebiete: which concepts are context (their goals are no gaps), read once
    assert asked[2:] == ["ziele-ohne-massnahme", "mehrere-akteure-gleiches-ziel", "cockpit-gebiete"]
    b.luecken, b.ueberschneidungen
    assert len(asked) == 5  # once


def test_goals_of_a_context_concept_are_neither_gaps_nor_overlaps(real, store, settings):
    """The Strategiekonzept Hattingen 2020 is context for the town's integration concept (the
    cockpit's rule, cockpit-gebiete): none of its goals is marked as a gap or overlap, in the whole
    view's marks or concept by concept, while the integration concept's goals still are."""
    from inko_graph.query.catalogue import run

    cat = Catalogue(settings.queries_dir)
    df = run(store, cat.get("cockpit-gebiete"))
    rahmen = {k for k, f in zip(df["konzept"], df["kontext"]) if f is True or f == "true"}
    assert any("strategiekonzept" in k for k in rahmen)
    of_rahmen = {n for n in real.of_kind(views.ZIELARTEN) if real.schemes.get(n) and real.schemes[n] <= rahmen}
    assert len(of_rahmen) > 40  # the strategy's goals are in the network
    assert not of_rahmen & real.luecken and not of_rahmen & set(real.ueberschneidungen)
    few = views.load(store, cat)
    few.MARKS_ONE_BY_ONE = 10**6
    assert not any(few.luecke(n) or few.ueberschneidung(n) for n in of_rahmen)
    assert real.luecken  # other concepts' gaps are still marked


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_gaps_and_overlaps_of_a_few_concepts_are_those_of_all(which, settings, store):
    """A goal's or an actor's view reads the marks of its nodes' concepts only: for every node the
    same answer as from the whole queries, without reading them."""
    cat = Catalogue(settings.queries_dir)
    data = fixture_store() if which == "fixture" else store
    whole, few = views.load(data, cat), views.load(data, cat)
    few.MARKS_ONE_BY_ONE = 10**6
    goals = few.of_kind(views.ZIELARTEN)
    assert any(whole.ueberschneidungen.get(n) for n in goals) and any(n in whole.luecken for n in goals)
    for n in sorted(few.graph):
        assert few.luecke(n) == (n in whole.luecken), n
        assert few.ueberschneidung(n) == whole.ueberschneidungen.get(n, []), n
    assert few._marks is None and len(few._marks_of) > 1


def test_the_menu_reads_every_node_and_only_the_links_to_concepts(real, store, settings):
    light = views.load(store, Catalogue(settings.queries_dir), eigenschaft="inScheme")
    assert dict(light.graph.nodes(data=True)) == dict(real.graph.nodes(data=True))
    assert set(light.graph.edges(keys=True, data="kuratiert")) == {
        e for e in real.graph.edges(keys=True, data="kuratiert") if e[2] == "inScheme"}
    assert 0 < light.graph.number_of_edges() < real.graph.number_of_edges() / 3
    nodes = sorted(real.graph)
    labels = views.menu_labels(real, nodes)
    assert views.menu_labels(light, nodes) == labels and len(set(labels.values())) > len(nodes) * 0.9


def test_a_view_over_many_concepts_reads_the_marks_of_all_at_once(bestand, settings):
    b = views.load(fixture_store(), Catalogue(settings.queries_dir))
    b.MARKS_ONE_BY_ONE = 0
    b.read_marks(b.graph)
    assert b._marks is not None and not b._marks_of


# -- the views -----------------------------------------------------------------------------------

def test_goal_view(bestand):
    a = views.ziel(bestand, L1)
    assert set(a.graph) == {L1, T11, T12, M1, M2, AKT1, X, Y, SCHULALTER, ALTER, LT1}
    assert Z not in a.graph            # only involved, not responsible
    assert a.fokus == L1 and a.titel == "Zielansicht: Alle lernen gemeinsam"
    assert set(a.graph.edges[LT1, L1]["arten"]) == {"closeMatch"}
    assert a.graph.nodes[T12]["luecke"] and not a.graph.nodes[L1]["luecke"]
    assert a.graph.nodes[T11]["ueberschneidung"] == [("Schulalter", 2)]
    # A sub-goal's view shows its higher goal for context.
    sub = views.ziel(bestand, T11)
    assert set(sub.graph) == {T11, L1, M1, M2, X, Y, SCHULALTER}


def test_goal_view_rejects_other_kinds(bestand):
    with pytest.raises(views.UnknownNode, match="kein"):
        views.ziel(bestand, X)
    with pytest.raises(views.UnknownNode):
        views.ziel(bestand, I + "gibt/es/nicht")


def test_actor_view_radius_1_and_2(bestand):
    one = views.akteur(bestand, X, 1)
    assert set(one.graph) == {X, G, M1, AKT1, T11, L1, Z, Y}
    two = views.akteur(bestand, X, 2)
    assert set(two.graph) == set(one.graph) | {M2}   # the partner Y brings its measure
    with pytest.raises(InputError):
        views.akteur(bestand, X, 3)


def test_neighbourhood_of_other_nodes(bestand):
    a = views.akteur(bestand, M1, 1)
    assert set(a.graph) == {M1, T11, X, HF_A, SCHULALTER}
    assert a.titel.startswith("Umfeld: ")


def test_field_view(bestand):
    a = views.feld(bestand, handlungsfeld=HF_A)
    # The matching field of B comes along; goals of the field with their sub-goals; what serves them.
    assert set(a.graph) == {HF_A, HF_B, L1, T11, T12, M1, M2, AKT1, X, Y, Z, SCHULALTER, ALTER}
    b = views.feld(bestand, lebensphase=SCHULALTER)
    assert set(b.graph) == {SCHULALTER, M1, M2, T11, HF_A, X, Y}
    both = views.feld(bestand, handlungsfeld=HF_A, lebensphase=ALTER)
    assert {AKT1, ALTER} <= set(both.graph) and not ({M1, M2} & set(both.graph))
    with pytest.raises(InputError):
        views.feld(bestand)


def test_alignment_view_columns(bestand):
    a = views.abgleich(bestand)
    assert set(a.graph) == {KA, KB, L1, L2, T11, T12, LT1}
    assert [set(d["arten"]) for _, _, d in a.graph.edges(data=True)] == [{"closeMatch"}]
    pos = a.positionen
    # One column per concept, the concept on top; sub-goals under and right of their goal.
    assert pos[KA][0] == pos[L1][0] == pos[L2][0] and pos[KB][0] == pos[LT1][0] != pos[KA][0]
    assert pos[KA][1] < pos[L1][1] < pos[T11][1] < pos[T12][1] < pos[L2][1]
    assert pos[T11][0] > pos[L1][0]
    assert not a.hinweise


def test_whole_view_and_town(bestand):
    a = views.gesamt(bestand)
    assert set(a.graph) == set(bestand.graph)
    assert a.graph.has_edge(L1, KA)        # the link to its concept shows a goal's document
    b = views.gesamt(bestand, town="Stadt B")
    assert set(b.graph) == {KB, LT1, HF_B, Z}
    assert set(views.gesamt(bestand, town="g:stadt-b").graph) == set(b.graph)
    with pytest.raises(InputError, match="Unbekanntes Gebiet"):
        views.gesamt(bestand, town="Atlantis")


def _synthetic(n_measures: int) -> views.Bestand:
    """Measures spread over 4 documents and 5 fields, each serving one of 40 goals."""
    g = nx.MultiDiGraph()

    def add(iri, art, doc, label):
        g.add_node(iri, iri=iri, art=art, label=label, quellen=[doc], quellnamen=[doc], gebiete=[],
                   akteursart="", notation="")

    for d in range(4):
        doc = f"q{d}"
        for f in range(5):
            add(f"hf{d}-{f}", "handlungsfeld", doc, f"Feld {f}")
        for z in range(10):
            add(f"z{d}-{z}", "teilziel", doc, f"Ziel {z}")
            g.add_edge(f"z{d}-{z}", f"hf{d}-{z % 5}", key="handlungsfeld", kuratiert=False)
    for i in range(n_measures):
        d = i % 4
        add(f"m{i}", "massnahme", f"q{d}", f"Maßnahme {i}")
        g.add_edge(f"m{i}", f"z{d}-{i % 10}", key="dient", kuratiert=False)
        g.add_edge(f"m{i}", f"hf{d}-{i % 5}", key="handlungsfeld", kuratiert=False)
    return views.Bestand(graph=g)


def test_whole_view_is_reduced_when_large_and_nothing_is_lost():
    b = _synthetic(1000)
    full = views.gesamt(b, max_nodes=0)
    assert full.knoten == b.graph.number_of_nodes() == 1060
    small = views.gesamt(b, max_nodes=300)
    assert small.knoten <= 300
    groups = [d for _, d in small.graph.nodes(data=True) if d.get("gruppe")]
    kept = [n for n, d in small.graph.nodes(data=True) if not d.get("gruppe")]
    # Every node is either kept or counted in exactly one group.
    assert len(kept) + sum(d["gruppe"] for d in groups) == 1060
    assert small.hinweise and "zusammengefasst" in small.hinweise[0]
    assert all(d["art"] == "massnahme" for d in groups)


def test_build_resolves_labels_and_prefixed_names(bestand):
    assert views.build(bestand, "ziel", iri="Alle lernen gemeinsam").fokus == L1
    assert views.build(bestand, "ziel", iri="id:test-a/leitziel/1").fokus == L1
    assert views.build(bestand, "akteur", iri="verein x").fokus == X          # case and spacing folded
    assert views.build(bestand, "feld", iri="Schulalter").fokus == SCHULALTER
    with pytest.raises(views.UnknownNode, match="2 Ressourcen passen"):
        views.build(bestand, "feld", iri="Bildung")                          # Bildung A and Bildung B
    with pytest.raises(views.UnknownNode, match="Keine"):
        views.build(bestand, "ziel", iri="Gibt es nicht")
    with pytest.raises(InputError, match="Unbekannte Ansicht"):
        views.build(bestand, "kreis")


def test_view_for_each_kind(bestand):
    assert views.view_for(bestand, L1) == ("ziel", {"iri": L1})
    assert views.view_for(bestand, X) == ("akteur", {"iri": X})
    assert views.view_for(bestand, HF_A) == ("feld", {"handlungsfeld": HF_A})
    assert views.view_for(bestand, ALTER) == ("feld", {"lebensphase": ALTER})
    assert views.view_for(bestand, KA) == ("abgleich", {})
    assert views.view_for(bestand, M1) == ("akteur", {"iri": M1})


# -- layout --------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [30, 700])
def test_force_directed_places_every_node_apart(n):
    g = nx.barabasi_albert_graph(n, 2, seed=3)
    pos = layout.force_directed(g, group=lambda v: v % 3)
    assert set(pos) == set(g)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert len({(round(x), round(y)) for x, y in pos.values()}) > 0.95 * n
    # Linked nodes end up nearer to each other than nodes on average.
    def dist(u, v):
        return math.dist(pos[u], pos[v])
    linked = sum(dist(u, v) for u, v in g.edges()) / g.number_of_edges()
    pairs = [(u, (u * 7 + 3) % n) for u in range(n)]
    assert linked < sum(dist(u, v) for u, v in pairs) / len(pairs)


def test_nodes_without_links_go_into_rows_below(bestand):
    pos = layout.grid_below({"a": (0.0, 0.0), "b": (400.0, 100.0)}, ["c", "d", "e"])
    assert all(pos[v][1] > 100 for v in "cde")
    assert pos["c"][1] == pos["d"][1] and pos["c"][0] < pos["d"][0]


# -- HTML ----------------------------------------------------------------------------------------

def _data_of(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="netzdaten">(.*?)</script>', html, re.S)
    assert m, "no data element"
    return json.loads(m.group(1))


def test_json_for_script_cannot_close_the_element():
    text = views.json_for_script({"a": "</script><script>alert(1)</script>", "b": "<!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "<!-- & -->"}


def test_render_is_self_contained_and_escapes_labels(bestand):
    a = views.akteur(bestand, X, 2)
    html = views.render(a, LINKS)
    # Everything inline: no script, style or image from anywhere else.
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', html)
    assert "@version 10.1.5" in html and "new vis.Network(" in html
    # The hostile labels appear only escaped.
    assert XSS not in html and "</script><script>alert(2)" not in html
    data = _data_of(html)
    assert len(data["knoten"]) == a.knoten == 9
    assert {n["volltext"] for n in data["knoten"]} >= {XSS}
    # The page states the count it expects, computed from the same graph.
    assert f'data-knoten-erwartet="{a.knoten}"' in html
    # Positions come from Python; the browser simulates nothing.
    assert data["optionen"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["knoten"])


def test_node_links_go_to_the_resource_page(bestand):
    data = views.vis_data(views.ziel(bestand, L1), LINKS)
    by_id = {n["id"]: n for n in data["knoten"]}
    assert by_id[L1]["href"] == "/id/test-a/leitziel/1"
    assert by_id[X]["ansicht"] == "/netzwerk/akteur?iri=https%3A%2F%2Fw3id.org%2Finko%2Fid%2Fakteur%2Fverein-x"
    assert by_id[T12]["luecke"] is True and by_id[T12]["shapeProperties"]["borderDashes"]
    assert by_id[T11]["ueberschneidung"] is True
    assert "Überschneidung: 2 Akteure für die Lebensphase Schulalter" in by_id[T11]["title"]
    # Tooltips are plain text lines, not HTML.
    assert by_id[L1]["title"].split("\n")[:2] == ["Alle lernen gemeinsam", "Art: Leitziel"]
    # Legend: the kinds that occur, with counts.
    legend = {e["name"]: e["anzahl"] for e in views.legend(views.ziel(bestand, L1))}
    assert legend == {"Leitthema": 1, "Leitziel": 1, "Teilziel": 2, "Maßnahme": 2, "Aktivität": 1, "Akteur": 2,
                      "Lebensphase": 2}


def test_links_only_to_own_paths_or_web_addresses():
    links = views.Links.for_server("https://w3id.org/inko/")
    assert links.ressource("https://example.org/x") is None
    assert views._safe_href("javascript:alert(1)") is None
    assert views._safe_href("//evil.example/x") is None
    assert views._safe_href("/id/x") == "/id/x"


# -- command line --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("store")
    s = open_store(path)
    s.load_quads(fixture_store().inner)
    s.flush()
    del s
    return path


@pytest.mark.parametrize("args,count", [
    (["ziel", "--id", "Alle lernen gemeinsam"], 11),
    (["akteur", "--id", "id:akteur/verein-x", "--radius", "2"], 9),
    (["feld", "--id", "Schulalter"], 7),
    (["abgleich"], 7),
    (["gesamt", "--town", "stadt-b"], 4),
])
def test_cli_writes_an_offline_file(store_dir, tmp_path, capsys, args, count):
    out = tmp_path / "ansicht.html"
    assert main(["--store", str(store_dir), "viz", *args, "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert len(_data_of(html)["knoten"]) == count
    assert not re.search(r'<(script|link)[^>]+(src|href)=', html)
    assert f"{count} Knoten" in capsys.readouterr().out


def test_cli_links_point_at_the_given_server(store_dir, tmp_path):
    out = tmp_path / "z.html"
    assert main(["--store", str(store_dir), "viz", "ziel", "--id", L1, "--server", "http://localhost:9000",
                 "-o", str(out)]) == 0
    node = next(n for n in _data_of(out.read_text(encoding="utf-8"))["knoten"] if n["id"] == L1)
    assert node["href"] == "http://localhost:9000/id/test-a/leitziel/1"


@pytest.mark.parametrize("args,message", [
    (["ziel", "--id", "Gibt es nicht"], "Keine"),
    (["ziel"], "braucht ein Ziel"),
    (["gesamt", "--town", "Atlantis"], "Unbekanntes Gebiet"),
    (["abgleich", "--server", "ftp://x"], "--server"),
])
def test_cli_bad_input_exits_2(store_dir, tmp_path, capsys, args, message):
    assert main(["--store", str(store_dir), "viz", *args, "-o", str(tmp_path / "x.html")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


# -- the real graph ------------------------------------------------------------------------------

HATTINGEN_LEITZIELE = [I + f"hattingen/leitziel/{n}" for n in range(1, 9)]


def test_real_alignment_view_shows_the_hattingen_leitziele(real):
    a = views.abgleich(real)
    assert set(HATTINGEN_LEITZIELE) <= set(a.graph)
    xs = {a.positionen[z][0] for z in HATTINGEN_LEITZIELE}
    assert len(xs) == 1                        # one column: the Hattingen concept


def test_real_views_build_for_every_leitziel_and_actor(real):
    for z in HATTINGEN_LEITZIELE:
        a = views.ziel(real, z)
        assert z in a.graph and a.positionen.keys() == set(a.graph)
    actors = real.of_kind(views.AKTEURE)
    assert actors
    for actor in actors[:25]:
        a = views.akteur(real, actor, 2)
        assert actor in a.graph and a.positionen.keys() == set(a.graph)


def test_real_whole_view_within_limit(real):
    assert views.gesamt(real, max_nodes=0).knoten == real.graph.number_of_nodes()
    a = views.gesamt(real)
    assert a.knoten <= views.GESAMT_MAX
    data = views.vis_data(a, LINKS)
    folds = [k for k in data["knoten"] if k.get("oeffnet")]
    assert len(data["knoten"]) - len(folds) == a.knoten and len(data["kanten"]) - len(folds) == a.kanten


# -- networks that read ---------------------------------------------------------------------------

HATTINGEN_KONZEPT = "https://w3id.org/inko/id/konzept/hattingen-integrationskonzept"
STEUERUNGSGRUPPE_KREIS = "https://w3id.org/inko/id/akteur/steuerungsgruppe-integrationskonzept-ennepe-ruhr-kreis"


def test_town_overview_opens_on_its_integration_concept(real):
    a = views.gesamt(real, "hattingen")
    assert a.fokus == HATTINGEN_KONZEPT and a.start == "fokus"
    data = views.vis_data(a, LINKS)
    around = set(a.graph.predecessors(a.fokus)) | set(a.graph.successors(a.fokus))
    assert set(data["startknoten"]) == around | {a.fokus}
    assert sum(1 for n in around if a.graph.nodes[n]["art"] == "leitziel") == 8
    # The concept's goals stand on a ring around it, far enough apart for their labels.
    pos = [a.positionen[n] for n in around]
    closest = min(math.dist(p, q) for i, p in enumerate(pos) for q in pos[i + 1:])
    assert closest > 150
    # Only the concept and its neighbours are labelled from the start; the others keep their name for later.
    labelled = {k["id"] for k in data["knoten"] if k["label"]}
    assert labelled == around | {a.fokus}
    assert all(k["name"] for k in data["knoten"])
    # The Strategiekonzept 2020 is context, not the concept the overview opens on.
    assert views.gesamt(real, "ratingen").fokus == "https://w3id.org/inko/id/konzept/ratingen-integrationskonzept"


def test_small_views_label_everything(real):
    a = views.ziel(real, "https://w3id.org/inko/id/hattingen/leitziel/5")
    assert a.knoten <= 40
    assert all(k["label"] for k in views.vis_data(a, LINKS)["knoten"])


def test_a_gremium_s_members_are_folded_until_opened(real):
    a = views.akteur(real, "https://w3id.org/inko/id/akteur/awo-ennepe-ruhr")
    folded = views.seite.folds(a)
    assert STEUERUNGSGRUPPE_KREIS in folded and len(folded[STEUERUNGSGRUPPE_KREIS]) >= 10
    data = views.vis_data(a, LINKS)
    by_id = {k["id"]: k for k in data["knoten"]}
    fold = by_id["mitglieder:" + STEUERUNGSGRUPPE_KREIS]
    assert fold["oeffnet"] == folded[STEUERUNGSGRUPPE_KREIS]
    assert fold["label"] == views.seite.fold_text(a.graph, STEUERUNGSGRUPPE_KREIS, fold["oeffnet"]) + " – zum Öffnen klicken"
    assert re.match(r"^\d+ Mitglieder", fold["label"])
    assert all(by_id[m]["hidden"] and by_id[m]["mitglied_von"] == STEUERUNGSGRUPPE_KREIS for m in fold["oeffnet"])
    # Members that link to something else in the view stay visible (the AWO itself is a member).
    assert "https://w3id.org/inko/id/akteur/awo-ennepe-ruhr" not in fold["oeffnet"]
    assert {"from": STEUERUNGSGRUPPE_KREIS, "to": fold["id"]}.items() <= next(
        e for e in data["kanten"] if e["to"] == fold["id"]).items()


def test_node_list_is_part_of_the_page(real):
    from jinja2 import Environment, FileSystemLoader

    a = views.akteur(real, "https://w3id.org/inko/id/akteur/awo-ennepe-ruhr")
    here = "/netzwerk/akteur?iri=x"
    ctx = views.page_context(a, LINKS, hier=here)
    # A folded Gremium's members stand under it, not among the others; together: every node.
    entries = ctx["knotenliste"]
    assert len(entries) + sum(len(e["mitglieder"]) for e in entries) == a.knoten
    body = next(e for e in entries if e["id"] == STEUERUNGSGRUPPE_KREIS)
    folded = views.seite.folds(a)[STEUERUNGSGRUPPE_KREIS]
    assert [m["id"] for m in body["mitglieder"]] == folded
    assert body["oeffnen"] == here + "&offen=" + quote(STEUERUNGSGRUPPE_KREIS, safe="") + "#knotenliste"
    env = Environment(loader=FileSystemLoader(str(views.VIZ_DIR)), autoescape=True)
    html = env.get_template("netzwerk_teil.html.j2").render(ctx)
    items = html[html.index('<ol id="knotenliste-inhalt">'):html.index("</details>\n  <script")]
    assert items.count("<li>") == a.knoten
    assert f"<summary>{views.seite.fold_text(a.graph, STEUERUNGSGRUPPE_KREIS, folded)}</summary>" in items
    assert '<a href="/id/akteur/awo-jugendmigrationsdienst-ennepe-ruhr">AWO Jugendmigrationsdienst</a>' in items
    # Opened (the link's ``offen``), the members stand in the list and in the picture like the others.
    opened = views.page_context(a, LINKS, geoeffnet={STEUERUNGSGRUPPE_KREIS}, hier=here)
    assert len(opened["knotenliste"]) == len(entries) + len(folded)
    nodes = {k["id"]: k for k in json.loads(opened["daten_json"])["knoten"]}
    assert "mitglieder:" + STEUERUNGSGRUPPE_KREIS not in nodes and not any(nodes[m].get("hidden") for m in folded)


def test_menu_labels_name_the_concept_where_labels_repeat(real):
    for kinds in ({"handlungsfeld"}, views.ZIELARTEN, views.AKTEURE):
        nodes = real.of_kind(kinds)
        labels = views.menu_labels(real, nodes)
        assert len(set(labels.values())) == len(nodes), kinds
    fields = views.menu_labels(real, real.of_kind({"handlungsfeld"}))
    assert "Bildung und Kultur (Strategiekonzept Hattingen 2020)" in fields.values()
    assert "Bildung und Kultur (Integrationskonzept der Stadt Hattingen)" in fields.values()
    # A label that does not repeat stays as it is.
    assert fields["https://w3id.org/inko/id/ratingen/handlungsfeld/2-4"] == real.node(
        "https://w3id.org/inko/id/ratingen/handlungsfeld/2-4")["label"]


def test_raster_submissions_are_named_as_sources(real):
    names = {q for _, d in real.graph.nodes(data=True) for q in d["quellnamen"]}
    assert "Raster-Meldung: vhs Hattingen, 2014" in names and "2014" not in names


def test_whole_picture_follows_the_chosen_town(store):
    import httpx

    from live_server import start_server

    srv = start_server(store)
    try:
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            assert '<h1 id="netz-titel">Gesamtbild</h1>' in c.get("/netzwerk/gesamt?gebiet=alle").text
            c.cookies.set("inko_gebiet", "ratingen")
            assert "Gesamtbild: Ratingen" in c.get("/netzwerk/gesamt").text
            assert "Gesamtbild: Hattingen" in c.get("/netzwerk/gesamt?gebiet=hattingen").text
            assert '<h1 id="netz-titel">Gesamtbild</h1>' in c.get("/netzwerk/gesamt?gebiet=alle").text
    finally:
        srv.stop()


def test_the_cycle_collector_runs_again_after_loading_also_after_an_error(settings):
    import gc

    from inko_graph.views.laden import without_gc

    assert gc.isenabled()
    views.load(fixture_store(), Catalogue(settings.queries_dir))
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        with without_gc():
            assert not gc.isenabled()
            1 / 0
    assert gc.isenabled()


# -- reading only what a view shows ------------------------------------------------------------------

def _same_view(whole: views.Ansicht, part: views.Ansicht) -> None:
    assert dict(whole.graph.nodes(data=True)) == dict(part.graph.nodes(data=True))
    assert sorted(whole.graph.edges(data=True)) == sorted(part.graph.edges(data=True))
    assert whole.positionen == part.positionen
    assert (whole.titel, whole.fokus, whole.hinweise) == (part.titel, part.fokus, part.hinweise)
    assert views.vis_data(whole, LINKS) == views.vis_data(part, LINKS)


def test_views_read_around_their_focus_are_those_read_from_everything(real, store, settings):
    """Every goal view and actor view (radius 1 and 2) and every town's overall view of the real
    graph, once cut from all nodes and links and once from what the view reads around its focus."""
    cat = Catalogue(settings.queries_dir)
    for z in real.of_kind(views.ZIELARTEN)[::7]:
        _same_view(views.ziel(real, z), views.ziel(views.umfeld(store, cat), z))
    actors = sorted(real.of_kind(views.AKTEURE), key=lambda n: -real.graph.degree(n))
    for radius in (1, 2):
        for a in actors[:6] + actors[6::40]:
            _same_view(views.akteur(real, a, radius), views.akteur(views.umfeld(store, cat), a, radius))
    for m in real.of_kind(views.VORHABEN)[:4]:  # any other node: its plain neighbourhood
        _same_view(views.akteur(real, m, 2), views.akteur(views.umfeld(store, cat), m, 2))
    for town in ("hattingen", "ratingen", "ennepe-ruhr-kreis"):
        b = views.umfeld(store, cat, mit_gebieten=True)
        part = views.fuer_gebiet(store, cat, views.resolve_town(b, town), b)
        _same_view(views.gesamt(real, town), views.gesamt(part, town))
    assert views.resolve_town(views.umfeld(store, cat, mit_gebieten=True), "Hattingen") == I.replace("id/", "id/gebiet/") + "hattingen"


def test_a_view_around_a_focus_reads_neither_all_nodes_nor_all_links(store, settings, monkeypatch):
    import inko_graph.query.catalogue as q

    asked = []
    real_run = q.run
    monkeypatch.setattr(q, "run", lambda s, query, *a, **k: asked.append(query.name) or real_run(s, query, *a, **k))
    cat = Catalogue(settings.queries_dir)
    a = views.ziel(views.umfeld(store, cat), I + "hattingen/leitziel/5")
    b = views.akteur(views.umfeld(store, cat), VHS_HATTINGEN, 2)
    c = views.gesamt(views.fuer_gebiet(store, cat, I.replace("id/", "id/gebiet/") + "hattingen"), "hattingen")
    assert a.knoten > 10 and b.knoten > 10 and c.knoten > 100
    assert "view-knoten" not in asked and "view-kanten" not in asked
    # Links are read a list at a time: a handful of queries per view, not one per node.
    assert asked.count("view-umfeld-von") + asked.count("view-umfeld-nach") < 60


def test_an_unknown_focus_is_reported_as_before(store, settings):
    cat = Catalogue(settings.queries_dir)
    with pytest.raises(views.UnknownNode, match="Keine Ressource"):
        views.build(views.umfeld(store, cat), "ziel", iri=I + "gibt/es/nicht")
    with pytest.raises(views.UnknownNode, match="kein"):
        views.build(views.umfeld(store, cat), "ziel", iri=VHS_HATTINGEN)
    assert views.build(views.umfeld(store, cat), "ziel", iri="id:hattingen/leitziel/1").fokus == I + "hattingen/leitziel/1"


def test_the_menu_of_a_town_holds_its_nodes_and_every_lebensphase(real, store, settings):
    cat = Catalogue(settings.queries_dir)
    hattingen = I.replace("id/", "id/gebiet/") + "hattingen"
    m = views.menue(store, cat, [hattingen])
    towns = views.gesamt(real, "hattingen", max_nodes=0).graph
    goals = set(m.of_kind(views.ZIELARTEN))
    assert HATTINGEN_LEITZIELE[0] in goals and goals <= set(towns)
    assert not any("ratingen" in z for z in goals)
    assert set(m.of_kind({"lebensphase"})) == set(real.of_kind({"lebensphase"}))
    assert {n for n in m.of_kind(views.AKTEURE)} >= {n for n in real.of_kind(views.AKTEURE) if hattingen in real.node(n)["gebiete"]}
    nodes = sorted(m.graph)
    assert views.menu_labels(m, nodes) == {n: v for n, v in views.menu_labels(real, nodes).items()}


# -- a Hattingen actor's view reads ---------------------------------------------------------------------

VHS_HATTINGEN = "https://w3id.org/inko/id/akteur/vhs-hattingen"


def test_a_hattingen_actor_s_view_folds_the_kreis_steuerungsgruppe_and_labels_its_goals(real):
    a = views.akteur(real, VHS_HATTINGEN)
    folded = views.seite.folds(a)
    assert len(folded[STEUERUNGSGRUPPE_KREIS]) >= 15
    members = set(folded[STEUERUNGSGRUPPE_KREIS])
    # The members take no room in the layout: opened, they stand on a ring around their Gremium.
    centre = a.positionen[STEUERUNGSGRUPPE_KREIS]
    radii = [math.dist(centre, a.positionen[m]) for m in members]
    assert max(radii) - min(radii) < 1
    data = views.vis_data(a, LINKS)
    by_id = {k["id"]: k for k in data["knoten"]}
    served = {z for v in a.graph.predecessors(VHS_HATTINGEN) if a.graph.nodes[v]["art"] in views.VORHABEN
              for z in a.graph.successors(v) if "dient" in a.graph.edges[v, z]["arten"]}
    assert served and all(by_id[z]["label"] for z in served)
    assert all(by_id[m]["hidden"] for m in members)
