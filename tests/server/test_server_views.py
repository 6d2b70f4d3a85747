"""The network views' data as the server keeps it (``server/views.py``): whether a resource page
links to a network view is answered without reading all of it, and says the same as the data."""

from __future__ import annotations

import pytest

from inko_graph.server import create_app
from inko_graph.server.views import bestand, im_netz


@pytest.fixture(scope="module")
def app(settings, store):
    return create_app(settings, store)


def _iris(store, b):
    """Every node of the views, and as many subjects of the data that are no node (documents,
    graphs, vocabulary, observations)."""
    nodes = sorted(b.graph)
    others = sorted({q.subject.value for q in store.quads() if hasattr(q.subject, "value")} - set(nodes))
    others = [o for o in others if o.startswith("http")]
    assert len(nodes) > 100 and len(others) > 100
    return nodes, others[:: max(1, len(others) // 150)] + ["https://w3id.org/inko/id/gibt/es/nicht"]


def test_im_netz_says_what_the_views_data_say_also_before_it_is_read(app, store):
    b = bestand(app)
    nodes, others = _iris(store, b)
    sample = nodes[:: max(1, len(nodes) // 150)]
    for cached in (True, False):
        if not cached:
            del app.state.views_bestand  # as after a change of the data: the page must not wait for all of it
        assert all(im_netz(app, n) for n in sample), cached
        assert not any(im_netz(app, o) for o in others), cached
    assert not hasattr(app.state, "views_bestand")  # answered by the query for the one resource


# -- pages of the views ------------------------------------------------------------------------------

import json  # noqa: E402
import re  # noqa: E402
from urllib.parse import quote  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402

from inko_graph import views  # noqa: E402
from inko_graph.query.catalogue import Catalogue  # noqa: E402

I = "https://w3id.org/inko/id/"
VHS = I + "akteur/vhs-hattingen"
STEUERUNGSGRUPPE = I + "akteur/steuerungsgruppe-integrationskonzept-ennepe-ruhr-kreis"


@pytest.fixture(scope="module")
def whole(store, settings):
    return views.load(store, Catalogue(settings.queries_dir))


@pytest.fixture()
def client(settings, store):
    with TestClient(create_app(settings, store)) as c:
        yield c


def _data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="netzdaten">(.*?)</script>', html, re.S).group(1))


def _list(html: str) -> str:
    return html[html.index('<ol id="knotenliste-inhalt">'):html.index('<script type="application/json"')]


@pytest.mark.parametrize("path,view,params", [
    ("/netzwerk/ziel?iri=" + quote(I + "hattingen/leitziel/5", safe=""), "ziel", {"iri": I + "hattingen/leitziel/5"}),
    ("/netzwerk/akteur?umkreis=2&iri=" + quote(VHS, safe=""), "akteur", {"iri": VHS, "radius": 2}),
    ("/netzwerk/gesamt?gebiet=hattingen", "gesamt", {"town": "hattingen"}),
])
def test_view_pages_read_only_what_they_show_and_show_what_everything_shows(client, whole, path, view, params,
                                                                           monkeypatch):
    import inko_graph.server.views as server_views

    def everything(app):
        raise AssertionError("the page read all nodes and links")

    monkeypatch.setattr(server_views, "bestand", everything)
    html = client.get(path).text
    expected = views.build(whole, view, **params)
    ids = {k["id"] for k in _data(html)["knoten"] if not k["id"].startswith("mitglieder:")}
    assert ids == set(expected.graph)
    assert f"<strong>{expected.knoten}</strong> Knoten" in html


def test_a_gremium_s_members_open_without_javascript(client):
    path = "/netzwerk/akteur?iri=" + quote(VHS, safe="")
    html = client.get(path).text
    listed = _list(html)
    n = len([k for k in _data(html)["knoten"] if k.get("mitglied_von") == STEUERUNGSGRUPPE])
    assert n >= 15 and re.search(r"<summary>(\d+) Mitglieder( \(mit deren Mitgliedern (\d+)\))?</summary>", listed)
    direct, _, total = re.search(r"<summary>(\d+) Mitglieder( \(mit deren Mitgliedern (\d+)\))?</summary>", listed).groups()
    assert int(total or direct) == n and int(direct) >= 15
    link = re.search(r'<a class="netz-oeffnen" href="([^"]+)" data-gremium="' + re.escape(STEUERUNGSGRUPPE), listed)
    href = link.group(1).replace("&amp;", "&")
    assert "offen=" + quote(STEUERUNGSGRUPPE, safe="") in href
    opened = client.get(href).text
    data = _data(opened)
    assert "mitglieder:" + STEUERUNGSGRUPPE not in {k["id"] for k in data["knoten"]}
    assert not any(k.get("hidden") for k in data["knoten"])
    assert "<summary>" not in _list(opened).replace('<summary>Alle', "")
    # the same count of nodes, now every one at the top of the list
    assert _list(opened).count("<li>") == _list(html).count("<li>")


def test_the_gebiet_chooser_keeps_the_view_s_focus(client):
    path = "/netzwerk/akteur?iri=" + quote(VHS, safe="") + "&umkreis=2"
    html = client.get(path).text
    form = html[html.index('<form class="gebietswahl"'):html.index("</form>", html.index('<form class="gebietswahl"'))]
    assert 'action="/netzwerk/akteur"' in form
    assert f'<input type="hidden" name="iri" value="{VHS}">' in form
    assert '<input type="hidden" name="umkreis" value="2">' in form
    chosen = client.get(path + "&gebiet=hattingen")
    assert chosen.cookies.get("inko_gebiet") == "hattingen" or client.cookies.get("inko_gebiet") == "hattingen"
    assert '<option value="hattingen" selected>' in chosen.text
    assert "Akteursansicht: " in chosen.text
    # The overall view follows the choice made on any view page.
    assert "Gesamtbild: Hattingen" in client.get("/netzwerk/gesamt").text


def test_the_menu_of_a_town_lists_its_own_goals(client):
    html = client.get("/netzwerk?gebiet=hattingen").text
    assert f'<option value="{I}hattingen/leitziel/5">' in html
    assert f'<option value="{I}ratingen/' not in html
    assert f'<option value="{VHS}">' in html
    everything = client.get("/netzwerk?gebiet=alle").text
    assert f'<option value="{I}ratingen/' in everything
