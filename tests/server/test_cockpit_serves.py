"""„Wer dient welchem Ziel?“ on the real graph: rows as the named query gives them, filters,
sorting, paging, and the table for a goal's and an actor's page (``serves.serves_table``)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from inko_graph.query.catalogue import Catalogue, run
from inko_graph.server import serves
from inko_graph.server.cockpit_base import PAGE_SIZE

ID = "https://w3id.org/inko/id/"
LEITZIEL_5 = ID + "hattingen/leitziel/5"
INTEGRATION = ID + "konzept/hattingen-integrationskonzept"


@pytest.fixture(scope="module")
def server(real_server):
    return real_server


@pytest.fixture(scope="module")
def client(server):
    import httpx

    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def q(settings, store):
    cat = Catalogue(settings.queries_dir)
    return lambda name, **params: run(store, cat.get(name), params)


def _rows(html: str) -> list[list[str]]:
    table = html.split('class="liste dient"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _total(html: str) -> int:
    return int(re.search(r'<p class="ergebnis" id="ergebnis">(\d+) Zeile', html).group(1))


def test_one_row_per_goal_undertaking_and_actor(client, q):
    df = q("cockpit-wer-dient", konzept=INTEGRATION)
    keys = {(r.ziel, r.vorhaben, r.akteur if isinstance(r.akteur, str) else None, r.rolle if isinstance(r.rolle, str) else "")
            for r in df.itertuples()}
    html = client.get("/wer-dient", params={"gebiet": "hattingen"}).text
    assert _total(html) == len(keys) > 50


def test_filter_by_lebensphase_and_actor(client, q):
    lp = ID + "vokabular/lebensphase/schulalter"
    df = q("cockpit-wer-dient", konzept=INTEGRATION)
    with_lp = df[df["lebensphase"] == lp]
    expected = {(r.ziel, r.vorhaben, r.akteur if isinstance(r.akteur, str) else None) for r in with_lp.itertuples()}
    html = client.get("/wer-dient", params={"gebiet": "hattingen", "lebensphase": lp}).text
    assert _total(html) == len(expected) > 0
    assert all("Schulalter" in row[3] for row in _rows(html))
    assert "für Lebensphase „Schulalter“" in html and "(von " in html
    # a value that is none of the choices (a stale link) filters nothing instead of "0 Zeilen für Lebensphase „“"
    everything = client.get("/wer-dient", params={"gebiet": "hattingen"}).text
    stale = client.get("/wer-dient", params={"gebiet": "hattingen", "lebensphase": ID + "gibt-es-nicht"}).text
    assert _total(stale) == _total(everything) > 0 and "„“" not in stale and "(von " not in everything
    vhs = ID + "akteur/vhs-hattingen"
    html = client.get("/wer-dient", params={"gebiet": "hattingen", "akteur": vhs}).text
    rows = _rows(html)
    assert rows and all(row[2].startswith("vhs Hattingen") for row in rows)


def test_sorting_and_paging(client):
    first = client.get("/wer-dient", params={"gebiet": "hattingen", "sortierung": "vorhaben"}).text
    names = [r[1] for r in _rows(first)]
    assert len(names) == PAGE_SIZE == 50
    key = [re.sub(r"\s*(Maßnahme|Aktivität)$", "", n).lower() for n in names]
    assert key == sorted(key, key=lambda s: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)])
    desc = client.get("/wer-dient", params={"gebiet": "hattingen", "sortierung": "-vorhaben"}).text
    assert 'aria-sort="descending"' in desc and _rows(desc)[0] != _rows(first)[0]
    total = _total(first)
    second = client.get("/wer-dient", params={"gebiet": "hattingen", "sortierung": "vorhaben", "seite": "2"}).text
    assert len(_rows(second)) == min(50, total - 50)
    assert f"Zeilen 51 bis {min(100, total)} von {total}" in second
    assert "Seite 2 von" in second and 'rel="prev"' in second
    # An unknown sort key or page number is no error.
    assert client.get("/wer-dient", params={"sortierung": "xyz", "seite": "abc"}).status_code == 200


def test_table_for_a_goal_and_an_actor_page(server, q):
    request = SimpleNamespace(app=server.app, query_params={}, url=SimpleNamespace(path="/id/hattingen/leitziel/5"),
                              cookies={})
    ctx = serves.serves_table(request, ziel=LEITZIEL_5)
    assert "ziel" not in [c for c, _ in ctx["spalten"]] and ctx["ueberschrift"] == "Dient diesem Ziel"
    df = q("cockpit-wer-dient", ziel=LEITZIEL_5)
    assert {r["vorhaben"] for r in ctx["zeilen"]} == set(df["vorhaben"])
    env = server.app.state.templates
    html = env.get_template("cockpit_dient_tabelle.html.j2").render(request=request, dient=ctx)
    assert "<h2 id=\"dient\">Dient diesem Ziel</h2>" in html and html.count("<tr>") == len(ctx["zeilen"]) + 1
    actor = serves.serves_table(request, akteur=ID + "akteur/vhs-hattingen")
    assert "akteur" not in [c for c, _ in actor["spalten"]] and actor["zeilen"]


def test_the_next_page_does_not_filter_and_sort_the_whole_table_again(client, server, monkeypatch):
    """A view (Gebiet, filters, sorting) is computed once; its pages and a download reuse it."""
    calls = []
    real = serves._sorted

    def spy(rows, *a, **k):
        calls.append(len(rows))
        return real(rows, *a, **k)

    monkeypatch.setattr(serves, "_sorted", spy)
    server.app.state.cache.clear()  # the views, and the pages drawn by the tests before
    params = {"gebiet": "hattingen", "sortierung": "-akteur"}
    first = client.get("/wer-dient", params=params).text
    second = client.get("/wer-dient", params={**params, "seite": "2"}).text
    csv = client.get("/wer-dient", params={**params, "format": "csv", "tabelle": "wer-dient"})
    assert len(calls) == 1 and calls[0] == _total(first) > 50
    assert _rows(first) != _rows(second) and "Seite 2 von" in second
    assert csv.status_code == 200 and len(csv.text.strip().splitlines()) == _total(first) + 1
    # Another sorting is another view; a sort key that is none of the columns is the default view.
    client.get("/wer-dient", params={"gebiet": "hattingen", "sortierung": "vorhaben"})
    client.get("/wer-dient", params={"gebiet": "hattingen", "sortierung": "xyz"})
    client.get("/wer-dient", params={"gebiet": "hattingen", "sortierung": "ziel"})
    client.get("/wer-dient", params={**params, "lebensphase": "keine-lebensphase"})  # a stale filter value
    assert len(calls) == 3


def _reference_group(df) -> list[dict]:
    """The grouping as first written (pandas rows, ``natural`` per comparison): the fast path must
    give the same rows in the same order."""
    from inko_graph.server.cockpit_base import natural, text

    rows: dict[tuple, dict] = {}
    for r in df.itertuples(index=False):
        akteur = r.akteur if isinstance(r.akteur, str) else None
        row = rows.setdefault((r.ziel, r.vorhaben, akteur, text(r.rolle)), {
            "ziel": r.ziel, "zielname": text(r.zielname) or "(ohne Bezeichnung)", "zielnummer": text(r.zielnummer),
            "konzept": r.konzept, "vorhaben": r.vorhaben, "vorhabenname": text(r.vorhabenname) or "(ohne Bezeichnung)",
            "vorhabenart": text(r.vorhabenart), "belegt": text(r.belegt), "akteur": akteur,
            "akteurname": text(r.akteurname) if akteur else "", "rolle": text(r.rolle),
            "lebensphasen": {}, "zielgruppen": {}, "handlungsfelder": {}})
        for col, name, target in ((r.lebensphase, r.lebensphasename, "lebensphasen"),
                                  (r.zielgruppe, r.zielgruppename, "zielgruppen"),
                                  (r.handlungsfeld, r.handlungsfeldname, "handlungsfelder")):
            if isinstance(col, str):
                row[target][col] = text(name) or col.rsplit("/", 1)[-1]
    out = []
    for row in rows.values():
        for k in ("lebensphasen", "zielgruppen", "handlungsfelder"):
            row[k] = sorted(row[k].items(), key=lambda kv: natural(kv[1]))
        row["zielsort"] = f"{row['zielnummer']} {row['zielname']}"
        for k, src in (("lpsort", "lebensphasen"), ("zgsort", "zielgruppen"), ("hfsort", "handlungsfelder")):
            row[k] = ", ".join(n for _, n in row[src])
        out.append(row)
    out.sort(key=lambda r: (natural(r["zielnummer"]), natural(r["zielname"]), natural(r["vorhabenname"]),
                            natural(r["akteurname"]), r["rolle"]))
    return out


@pytest.mark.parametrize("slug", ["ennepe-ruhr-kreis", "hattingen", "ratingen", "alle"])
def test_grouping_and_sorting_give_the_rows_of_the_reference(server, q, slug):
    """The Kreis's, the towns' and all rows, grouped and sorted by every column both ways, are
    those of the plain implementation (``_reference_group``, ``sort_rows``), in the same order."""
    import pandas as pd

    from inko_graph.server.cockpit_base import sort_rows
    from inko_graph.server.gebiet import choices

    gebiete = choices(server.app)
    konzepte = sorted(gebiete[slug].konzept_iris) if slug != "alle" else [None]
    df = pd.concat([q("cockpit-wer-dient", **({"konzept": k} if k else {})) for k in konzepte], ignore_index=True)
    rows = serves._group(df)
    assert len(rows) > 50 and rows == _reference_group(df)
    for col in serves._SORT:
        for desc in (False, True):
            expected, _, _ = sort_rows(rows, ("-" if desc else "") + col, serves._SORT, "ziel")
            assert serves._sorted(rows, col, desc) == expected, (col, desc)


def test_belegt_is_what_an_exists_per_graph_gives(store, q):
    """``belegt`` comes from the curated graphs read once and joined; it is what asking each
    statement's graph gives (the query's former EXISTS), for every undertaking and goal."""
    reference = """PREFIX inko: <https://w3id.org/inko/def#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?vorhaben ?ziel (MIN(?kur) AS ?kurmin) WHERE {
      GRAPH ?g { ?vorhaben inko:dient ?ziel }
      ?ziel skos:inScheme ?konzept . ?konzept a inko:Konzept .
      BIND(IF(EXISTS { GRAPH ?m { ?g inko:graphart <https://w3id.org/inko/id/vokabular/graphart/kuratiert> } }, 1, 0) AS ?kur)
    } GROUP BY ?vorhaben ?ziel"""
    got = {(r.vorhaben, r.ziel, r.belegt) for r in q("cockpit-wer-dient").itertuples()}
    expected = {(s["vorhaben"].value, s["ziel"].value, "kuratiert" if s["kurmin"].value == "1" else "Dokument")
                for s in store.query(reference)}
    assert got == expected and {b for _, _, b in got} == {"kuratiert", "Dokument"}


@pytest.mark.parametrize("params", [{}, {"konzept": INTEGRATION}, {"ziel": LEITZIEL_5},
                                    {"akteur": ID + "akteur/vhs-hattingen"}])
def test_goal_fields_read_only_without_own_field_give_the_same_rows(settings, store, params):
    """The goal's Handlungsfeld is read only for a measure without its own: every row is as when
    it is read for every row."""
    import dataclasses

    q = Catalogue(settings.queries_dir).get("cockpit-wer-dient")
    guard = "FILTER(!BOUND(?hf_eigen))"
    assert guard in q.text
    reference = dataclasses.replace(q, text=q.text.replace(guard, ""))
    got, expected = run(store, q, params), run(store, reference, params)
    cols = list(expected.columns)
    norm = lambda df: df[cols].fillna("").sort_values(cols).reset_index(drop=True)
    assert len(got) > 0 and norm(got).equals(norm(expected))
    assert got["handlungsfeld"].notna().any()
