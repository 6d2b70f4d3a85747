"""``inko-graph raster …`` on the test world: template, import (good, bad, trial run), token, list."""

from __future__ import annotations

import json

import openpyxl
import pytest

import inko_graph.load.build
from inko_graph.cli import main
from inko_graph.tokens import lookup
from raster_fixtures import DATA, H, snapshot, world_store


@pytest.fixture()
def store(monkeypatch, tmp_path):
    st = world_store()
    monkeypatch.setattr(inko_graph.load.build, "ensure_built", lambda settings: st)
    # Accepted imports go to the journal beside the configured store: a folder of the test's own,
    # never the checkout's var/ (a user's next build would replay them).
    monkeypatch.setenv("INKO_STORE", str(tmp_path / "store"))
    return st


def test_template_xlsx_and_csv(tmp_path, store, capsys):
    out = tmp_path / "raster.xlsx"
    assert main(["raster", "template", "--town", "Hattingen", "-o", str(out)]) == 0
    assert "Geschrieben" in capsys.readouterr().out
    assert openpyxl.load_workbook(out)["Akteur"]["B4"].value == "Hattingen"
    assert main(["raster", "template", "--format", "csv", "-o", str(tmp_path / "raster.csv")]) == 0
    assert (tmp_path / "raster-ziele.csv").exists() and (tmp_path / "raster-anleitung.txt").exists()


def test_import_good_file(store, capsys):
    assert main(["raster", "import", str(DATA / "gut.xlsx")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Gespeichert: die Raster-Meldung von „vhs Hattingen“ für 2026: 3 Aktivitäten")
    assert "https://w3id.org/inko/graph/raster/vhs-hattingen/2026" in store.graph_names()


def test_import_bad_file_exit_2_and_every_problem(store, capsys):
    before = snapshot(store)
    assert main(["raster", "import", str(DATA / "schlecht-unbekannt.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "Fehler: schlecht-unbekannt.xlsx: 3 Fehler gefunden; nichts wurde gespeichert." in err
    assert "  - Blatt Aktivitäten, Zeile 2, Spalte Handlungsfeld: „Bildung und Kutlur“ – Unbekanntes Handlungsfeld." in err
    assert "Zeile 4, Spalte Lebensphasen: „Rentenalter“" in err
    assert snapshot(store) == before


def test_import_in_english(store, capsys):
    assert main(["--lang", "en", "raster", "import", str(DATA / "schlecht-datum.xlsx")]) == 2
    assert "That is not a date" in capsys.readouterr().err


def test_dry_run(store, capsys):
    before = snapshot(store)
    assert main(["raster", "import", str(DATA / "gut.csv"), "--dry-run"]) == 0
    assert capsys.readouterr().out.startswith("Probelauf")
    assert snapshot(store) == before


def test_missing_file(store, capsys):
    assert main(["raster", "import", str(DATA / "gibt-es-nicht.xlsx")]) == 2
    assert "kann nicht gelesen werden" in capsys.readouterr().err


def test_token_is_printed_once_and_stored_as_hash(tmp_path, store, capsys):
    path = tmp_path / "t.json"
    assert main(["raster", "token", "--akteur", "id:akteur/vhs-hattingen", "--gebiet", "g:hattingen",
                 "--datei", str(path)]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert lookup(path, token).akteur == H + "akteur/vhs-hattingen"
    assert token not in path.read_text() and len(json.loads(path.read_text())) == 1
    assert main(["raster", "token", "--akteur", "id:akteur/x", "--gebiet", "g:atlantis", "--datei", str(path)]) == 2
    assert "Unbekanntes Gebiet" in capsys.readouterr().err
    assert main(["raster", "token", "--entziehen", token, "--datei", str(path)]) == 0
    assert json.loads(path.read_text()) == {}


def test_list_submissions(store, capsys):
    main(["raster", "import", str(DATA / "gut.xlsx")])
    capsys.readouterr()
    assert main(["raster", "meldungen", "--jahr", "2026"]) == 0
    out = capsys.readouterr().out
    assert "2026  vhs Hattingen" in out and "3 Aktivitäten" in out
