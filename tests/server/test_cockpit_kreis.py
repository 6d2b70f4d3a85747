"""„Kreisziele“ reads for a town with many links (Hattingen): a summary table, one row per Kreis goal
with counts, and each goal's serving goals and measures folded under it (``<details>``, no script);
every fact still on the page and in the download."""

from __future__ import annotations

import csv
import html as htmllib
import io
import re

import httpx
import pytest

from inko_graph.query.catalogue import Catalogue, run

ID = "https://w3id.org/inko/id/"
KREIS = ID + "gebiet/ennepe-ruhr-kreis"
HATTINGEN = ID + "gebiet/hattingen"
PAGE = "/kreisziele?gebiet=hattingen"


@pytest.fixture(scope="module")
def client(real_server):
    with httpx.Client(base_url=real_server.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def q(settings, store):
    cat = Catalogue(settings.queries_dir)
    return lambda name, **params: run(store, cat.get(name), params)


def _table(html: str, cls: str) -> str:
    return re.search(rf'<table class="liste {cls}".*?</table>', html, re.S).group(0)


def _text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def test_the_summary_has_one_row_per_kreis_goal_with_the_counts_of_the_download(client, q):
    page = client.get(PAGE).text
    table = _table(page, "kreisziele-uebersicht")
    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    every = q("cockpit-kreisziele", kreis=KREIS)
    assert len(rows) == every["kreisziel"].nunique()
    served = q("cockpit-kreisziele", kreis=KREIS, stadt=HATTINGEN)
    csv_rows = list(csv.reader(io.StringIO(client.get(PAGE + "&format=csv&tabelle=uebersicht").content
                                           .decode("utf-8-sig")), delimiter=";"))
    assert csv_rows[0] == ["Nummer", "Kreisziel", "Ziele, die ihm dienen", "davon kuratiert", "Maßnahmen dazu"]
    by_name = {r[1]: r for r in csv_rows[1:]}
    for head, cells in rows:
        name = re.sub(r"^\S+ ", "", _text(head)) if '<span class="nummer">' in head else _text(head)
        numbers = re.findall(r'<td class="zahl">(\d+)</td>', cells)
        if name in set(served["kreiszielname"]):
            assert numbers == by_name[name][2:] and int(numbers[0]) >= 1
        else:
            assert not numbers and "nichts dient diesem Kreisziel" in cells
    # a Kreis goal's town goals, counted, are those the query names for Hattingen
    first = served.iloc[0]
    assert int(by_name[first["kreiszielname"]][2]) == served[served["kreisziel"] == first["kreisziel"]]["ziel"].nunique()


def test_details_are_folded_without_script_and_every_served_goal_has_its_section(client, q):
    page = client.get(PAGE).text
    main = re.search(r"<main.*?</main>", page, re.S).group(0)
    assert "<script" not in main
    sections = re.findall(r'<details class="kreisziel" id="(kreisziel-\d+)">', main)
    served = q("cockpit-kreisziele", kreis=KREIS, stadt=HATTINGEN)
    assert len(sections) == served["kreisziel"].nunique()
    for anchor in sections:                        # the summary links to each section
        assert f'href="#{anchor}"' in main
    opened = client.get(PAGE + "&aufgeklappt=1").text
    assert len(re.findall(r'<details class="kreisziel" id="kreisziel-\d+" open>', opened)) == len(sections)


def test_every_fact_of_the_download_is_on_the_page(client):
    page = htmllib.unescape(client.get(PAGE).text)
    got = list(csv.reader(io.StringIO(client.get(PAGE + "&format=csv&tabelle=kreisziele").content
                                      .decode("utf-8-sig")), delimiter=";"))
    assert got[0] == ["Nummer", "Kreisziel", "Stadt", "Ziel der Stadt", "Beziehung", "Zuordnung", "Begründung",
                      "Maßnahmen dazu"]
    measures = 0
    for nummer, kreisziel, _, ziel, beziehung, _, begruendung, vorhaben in got[1:]:
        assert kreisziel in page
        if ziel:
            assert re.sub(r"^\S+ ", "", ziel) in page and f"({beziehung})" in page
            assert not begruendung or begruendung in page
        for name in filter(None, vorhaben.split("; ")):
            measures += 1
            assert name in page, name
    assert measures > 50       # Hattingen: many measures serve the Kreis goals
