"""Misuse of the command line as a user would do it: every answer German, exit code 2, no traceback,
no file left behind."""

from __future__ import annotations

import io
import socket
import zipfile
from pathlib import Path

import pytest

from inko_graph.cli import main

DATA = Path(__file__).parent.parent / "data"
ENGLISH = ("usage:", "error:", "invalid choice", "the following arguments", "unrecognized arguments",
           "expected one argument", "invalid int value", "show this help", "positional arguments", "options:",
           "Traceback")

MISUSE = [
    ["--bla"],
    ["gibtsnicht"],
    ["--lang", "fr", "stats"],
    ["raster"],
    ["raster", "xyz"],
    ["raster", "template"],
    ["raster", "template", "-o"],
    ["raster", "template", "--year", "zwei", "-o", "x.xlsx"],
    ["raster", "import"],
    ["viz", "--radius", "5", "-o", "x.html", "gesamt"],
    ["serve", "--port", "abc"],
    ["serve", "--port", "99999"],
    ["serve", "--port", "0"],
    ["export"],
    ["query", "--format", "xml", "x"],
]


@pytest.mark.parametrize("argv", MISUSE, ids=[" ".join(a) for a in MISUSE])
def test_argument_errors_are_german(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Fehler:" in err and "Aufruf:" in err
    assert not any(e in err for e in ENGLISH), err


def test_help_is_german(capsys):
    with pytest.raises(SystemExit) as info:
        main(["raster", "template", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "Aufruf:" in out and "Optionen:" in out and "diese Hilfe zeigen" in out
    assert not any(e in out for e in ENGLISH), out


def test_port_out_of_range_is_named(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--port", "99999"])
    assert "99999 ist keine gültige Portnummer" in capsys.readouterr().err


def test_busy_port_says_so_before_starting(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        assert main(["--store", ":memory:", "serve", "--port", str(port)]) == 2
    captured = capsys.readouterr()
    assert f"Der Port {port} ist schon belegt" in captured.err
    assert "läuft" not in captured.out


def test_template_into_a_missing_folder(tmp_path, capsys):
    target = tmp_path / "fehlt" / "ordner" / "raster.xlsx"
    assert main(["--store", ":memory:", "raster", "template", "-o", str(target)]) == 2
    assert "Den Ordner" in capsys.readouterr().err and not (tmp_path / "fehlt").exists()


def test_store_pointing_at_a_file(tmp_path, capsys):
    f = tmp_path / "datei.txt"
    f.write_text("kein Speicher")
    for argv in (["stats"], ["build"], ["raster", "meldungen"]):
        assert main(["--store", str(f), *argv]) == 2
        assert "ist eine Datei, kein Ordner" in capsys.readouterr().err
    assert f.read_text() == "kein Speicher"


def _broken_deflate(src: bytes) -> bytes:
    """The workbook with the compressed bytes of its largest part damaged (the zip directory intact)."""
    zf = zipfile.ZipFile(io.BytesIO(src))
    info = max(zf.infolist(), key=lambda i: i.compress_size)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    out = bytearray(src)
    for k in range(start + 20, start + 60):
        out[k] ^= 0x5A
    return bytes(out)


def test_damaged_workbook_gets_a_message_per_file(tmp_path, capsys):
    bad = tmp_path / "kaputt.xlsx"
    bad.write_bytes(_broken_deflate((DATA / "raster" / "gut.xlsx").read_bytes()))
    assert main(["--store", ":memory:", "raster", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "kaputt.xlsx" in err and "beschädigt" in err and "Unerwartet" not in err
