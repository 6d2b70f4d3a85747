"""``inko-graph monitoring …``: exit 0 when all is well, 2 for bad input (nothing written), German output."""

from __future__ import annotations

import pytest
from monitoring_fixtures import DATA, fixture_store

from inko_graph.cli import main
from inko_graph.store import open_store


@pytest.fixture
def disk(tmp_path):
    """The fixture graph in an on-disk store, closed again so that the command can open it."""
    path = tmp_path / "store"
    st = open_store(path)
    st.load_quads(fixture_store().quads())
    st.flush()
    n = len(st)
    del st
    return path, n


def _len(path) -> int:
    st = open_store(path, read_only=True)
    try:
        return len(st)
    finally:
        del st


def test_import_writes_and_reports(disk, capsys):
    path, n = disk
    assert main(["--store", str(path), "monitoring", "import", str(DATA / "gut-2012.csv")]) == 0
    out = capsys.readouterr().out
    assert "4 Werte (2012) aus gut-2012.csv gespeichert im Graphen <https://w3id.org/inko/graph/statistik/gut-2012-2012>" in out
    assert _len(path) > n
    assert main(["--store", str(path), "monitoring", "zeige", "Anteil Personen mit Migrationshintergrund",
                 "--gebiet", "Hattingen"]) == 0
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if "Hattingen" in ln]
    assert [ln.split()[0] for ln in lines] == ["2010", "2011", "2012"]
    assert "22,9" in lines[-1] and "IT.NRW, Zensusfortschreibung 2012" in lines[-1]


def test_dry_run_writes_nothing(disk, capsys):
    path, n = disk
    assert main(["--store", str(path), "monitoring", "import", "--dry-run", str(DATA / "gut-2012.csv")]) == 0
    assert "Probelauf" in capsys.readouterr().out
    assert _len(path) == n


def test_bad_file_exits_2_lists_errors_and_writes_nothing(disk, capsys):
    path, n = disk
    assert main(["--store", str(path), "monitoring", "import", str(DATA / "schlecht-zahl.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fehler: schlecht-zahl.csv: Die Datei enthält 3 Fehler; nichts wurde gespeichert.")
    assert "  - Zeile 3, Spalte „wert“: Wert „12,3,4“: keine Zahl. Erlaubt: eine Zahl" in err
    assert err.count("\n  - Zeile ") == 3
    assert _len(path) == n


def test_missing_file_exits_2(disk, capsys, tmp_path):
    path, _ = disk
    assert main(["--store", str(path), "monitoring", "import", str(tmp_path / "gibt-es-nicht.csv")]) == 2
    assert "kann nicht gelesen werden" in capsys.readouterr().err


def test_template(tmp_path, capsys):
    out = tmp_path / "vorlage.csv"
    assert main(["monitoring", "vorlage", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("indikator;gebiet;zeitraum;wert;einheit;quelle\n")
    assert main(["monitoring", "vorlage"]) == 0
    assert capsys.readouterr().out.count("indikator;gebiet;zeitraum;wert;einheit;quelle") == 1
    assert main(["monitoring", "vorlage", "-o", str(tmp_path)]) == 2


def test_show_unknown_indicator_suggests(disk, capsys):
    path, _ = disk
    assert main(["--store", str(path), "monitoring", "zeige", "Anteil Persnen mit Migrationshintergrund"]) == 2
    assert "meinten Sie „Anteil Personen mit Migrationshintergrund“" in capsys.readouterr().err


def test_lists_gaps_conflicts_and_checks(disk, capsys):
    path, _ = disk
    assert main(["--store", str(path), "monitoring", "indikatoren"]) == 0
    out = capsys.readouterr().out
    assert "id:test/mh-anteil" in out and "5 Indikatoren." in out
    assert main(["--store", str(path), "monitoring", "luecken", "--gebiet", "Hattingen", "--jahre", "3"]) == 0
    out = capsys.readouterr().out
    assert "Ziele ohne Indikator (1):" in out and "Ziel ohne Indikator" in out
    assert "Bevölkerungszahl (Grundzahl): letzter Wert 2008" in out
    assert main(["--store", str(path), "monitoring", "widersprueche"]) == 0
    assert "326.049 (Testbericht, Tabelle 1) gegen 362.049 (Testbericht, Tabelle 2)" in capsys.readouterr().out
    assert main(["--store", str(path), "monitoring", "pruefen"]) == 0
    assert "11 von 11 Regeln erfüllt." in capsys.readouterr().out


def test_without_action_shows_help(capsys):
    assert main(["monitoring"]) == 2
    assert "import" in capsys.readouterr().out
