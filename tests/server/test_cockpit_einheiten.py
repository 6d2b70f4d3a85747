"""One organisation, one actor: the actor list and the Akteur filter of /wer-dient show each
organisation once, its sub-units under it (on the real graph, and on small cases)."""

from __future__ import annotations

import html
import re

import pytest

from inko_graph.server.cockpit_einheiten import Einheiten, nest_actors, nest_options, with_parents

A = "https://w3id.org/inko/id/akteur/"
TEIL, GLEICH = "Teil von", "dieselbe wie"


def _row(iri, label, n=0):
    return {"iri": A + iri, "label": label, "aktivitaeten": n, "massnahmen": 0}


def test_same_organisation_is_merged_and_sub_units_go_under_the_top_most():
    e = Einheiten([(A + "cv", GLEICH, A + "cv-e-v"), (A + "mbe", TEIL, A + "cv"),
                   (A + "ak", TEIL, A + "mbe"), (A + "x", TEIL, A + "y"), (A + "y", TEIL, A + "x")])
    rows = nest_actors([_row("cv", "Caritasverband", 2), _row("cv-e-v", "Caritasverband e.V.", 1),
                        _row("mbe", "Beratung"), _row("ak", "Arbeitskreis"), _row("x", "X"), _row("y", "Y")], e)
    tops = {a["label"]: a for a in rows}
    # A cycle of sub-units keeps both at the top rather than losing them.
    assert set(tops) == {"Caritasverband e.V.", "X", "Y"}
    cv = tops["Caritasverband e.V."]
    assert cv["auch"] == ["Caritasverband"] and cv["aktivitaeten"] == 3
    assert [u["label"] for u in cv["untereinheiten"]] == ["Arbeitskreis", "Beratung"]
    assert e.family(A + "cv-e-v") == {A + "cv", A + "cv-e-v", A + "mbe", A + "ak"}
    assert e.family(A + "mbe") == {A + "mbe", A + "ak"}


def test_the_parent_is_listed_when_only_its_sub_unit_is_in_the_area():
    e = Einheiten([(A + "jmd", TEIL, A + "awo")])
    every = [_row("awo", "AWO"), _row("jmd", "AWO Jugendmigrationsdienst"), _row("z", "Z")]
    rows = nest_actors(with_parents([every[1]], every, e), e)
    assert [(a["label"], [u["label"] for u in a["untereinheiten"]]) for a in rows] == \
        [("AWO", ["AWO Jugendmigrationsdienst"])]
    options, families = nest_options([(A + "jmd", "AWO Jugendmigrationsdienst"), (A + "awo", "AWO")], e)
    assert options == [(A + "awo", "AWO"), (A + "jmd", "– AWO Jugendmigrationsdienst (AWO)")]
    assert families[A + "awo"] == {A + "awo", A + "jmd"} and families[A + "jmd"] == {A + "jmd"}


@pytest.fixture(scope="module")
def client(real_server):
    import httpx

    with httpx.Client(base_url=real_server.url, timeout=60) as c:
        yield c


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def _actor_rows(page: str) -> list[tuple[str, str]]:
    """(name cell, sub-unit cell) of each row of the actor table."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    out = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        out.append((_text(cells[0]), _text(cells[5])))
    return out


@pytest.mark.parametrize("organisation, units", [
    ("AWO", ["AWO Jugendmigrationsdienst"]),
    ("Caritasverband", ["Caritasverband Migrationserstberatung"]),
    ("Stadt Hattingen", ["Fachbereich Personal, Organisation und EDV"]),
])
def test_hattingen_lists_each_organisation_once_with_its_sub_units(client, organisation, units):
    rows = _actor_rows(client.get("/akteure", params={"gebiet": "hattingen"}).text)
    # The organisation, under any of its names ("Caritasverband" and "Caritasverband
    # Hattingen/Schwelm e.V." are one), is one row at the top level.
    mine = [(name, sub) for name, sub in rows if name == organisation or name.startswith(organisation + " ")
            or f"auch: {organisation}" in name]
    assert len(mine) == 1, mine
    name, sub = mine[0]
    for unit in units:
        assert unit in sub, (name, sub)
        assert not any(n == unit for n, _ in rows), unit  # not a row of its own


def test_the_akteur_filter_puts_sub_units_under_their_organisation(client):
    page = client.get("/wer-dient", params={"gebiet": "hattingen"}).text
    select = re.search(r'<select[^>]*name="akteur".*?</select>', page, re.S).group(0)
    options = [(v, _text(n)) for v, n in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select, re.S)]
    names = [n for _, n in options]
    assert names.count("AWO") == 1 and "AWO Jugendmigrationsdienst" not in names
    i = names.index("AWO")
    assert names[i + 1] == "– AWO Jugendmigrationsdienst (AWO)"
    assert "Fachbereich Personal, Organisation und EDV" not in names
    # Choosing the organisation keeps the rows of its sub-unit; choosing the sub-unit only its own.
    awo, jmd = options[i][0], options[i + 1][0]

    def shown(akteur):
        r = client.get("/wer-dient", params={"gebiet": "hattingen", "akteur": akteur, "format": "csv"})
        assert r.status_code == 200
        return r.text

    both, own = shown(awo), shown(jmd)
    assert "AWO Jugendmigrationsdienst" in both and "AWO Jugendmigrationsdienst" in own
    assert len(both.splitlines()) > len(own.splitlines())


def test_no_organisation_is_responsible_under_two_of_its_names(store):
    """The overlap queries count an organisation once over its sub-units (org:subOrganizationOf),
    not over IRIs curated as the same organisation (owl:sameAs): so the data must not give such
    IRIs responsible roles under both names (today the Caritasverband acts only as
    ``caritasverband-hattingen``)."""
    from pathlib import Path

    from inko_graph.query.catalogue import NamedQuery, run

    q = NamedQuery("gleich", """SELECT ?a ?b WHERE {
      ?a owl:sameAs ?b .
      ?v1 inko:zustaendig|inko:traeger|(inko:umsetzungsschritt/inko:zustaendig) ?a .
      ?v2 inko:zustaendig|inko:traeger|(inko:umsetzungsschritt/inko:zustaendig) ?b .
    }""", Path("gleich.rq"))
    assert run(store, q).empty
    pairs = NamedQuery("paare", "SELECT ?a ?b WHERE { ?a owl:sameAs ?b }", Path("paare.rq"))
    assert (A + "caritasverband-hattingen", A + "caritasverband-hattingen-schwelm") in \
        set(map(tuple, run(store, pairs)[["a", "b"]].values.tolist()))
