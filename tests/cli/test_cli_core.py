"""The core commands: exit codes 0 (ok), 1 (violations), 2 (bad input), German by default."""

from __future__ import annotations

from pathlib import Path

import pytest

from inko_graph.cli import main

SHAPES = Path(__file__).parent.parent / "data" / "shapes"


def _fixture(tmp_path, name):
    p = tmp_path / name
    p.write_text((SHAPES / "_prefixes.ttl").read_text(encoding="utf-8") + (SHAPES / name).read_text(encoding="utf-8"),
                 encoding="utf-8")
    return p


def test_build_prints_counts_per_graph(capsys):
    assert main(["--store", ":memory:", "build", "--ausfuehrlich"]) == 0
    out = capsys.readouterr().out
    assert "Aussagen des Hattinger Integrationskonzepts" in out
    assert "Leitziel" in out and "Tripel in" in out


def test_build_prints_a_short_summary(capsys):
    assert main(["--store", ":memory:", "build"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    # Valid or not with the counts, where to read the details, what was stored: no lists.
    assert len(out) == 3
    assert out[0].startswith("Gültig.") and "Fehler" in out[0] and "Warnung" in out[0] and "Hinweis" in out[0]
    assert "inko-graph validate" in out[1] and "Tripel in" in out[2]


def test_validate_good_file_exits_0(tmp_path, capsys):
    assert main(["validate", str(_fixture(tmp_path, "good.ttl"))]) == 0
    assert capsys.readouterr().out.startswith("Gültig.")


def test_validate_bad_file_exits_1_and_names_resource(tmp_path, capsys):
    assert main(["validate", str(_fixture(tmp_path, "unbekannte-lebensphase.ttl"))]) == 1
    err = capsys.readouterr().err
    assert "https://w3id.org/inko/id/test/m" in err and "Erlaubt sind" in err


def test_validate_in_english(tmp_path, capsys):
    assert main(["--lang", "en", "validate", str(_fixture(tmp_path, "ziel-ohne-quelle.ttl"))]) == 1
    assert "Source missing" in capsys.readouterr().err


def test_validate_broken_turtle_exits_2_with_file_and_line(tmp_path, capsys):
    p = tmp_path / "kaputt.ttl"
    p.write_text("@prefix ex: <http://example.org/> .\n\nex:a ex:b .\n", encoding="utf-8")
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err
    assert "kaputt.ttl" in err and "Zeile 3" in err


def test_validate_missing_file_exits_2(capsys):
    assert main(["validate", "gibt-es-nicht.ttl"]) == 2
    assert "nicht gefunden" in capsys.readouterr().err


def test_stats(capsys, built_on_disk, tmp_path):
    from built_store import copy_built

    copy_built(built_on_disk, tmp_path / "store")  # a built store (building is tested above)
    assert main(["--store", str(tmp_path / "store"), "stats"]) == 0
    assert "Insgesamt" in capsys.readouterr().out


def test_no_command_shows_help(capsys):
    assert main([]) == 2


@pytest.mark.parametrize("name", ["unbekannte-lebensphase.ttl", "massnahme-ohne-zustaendigkeit.ttl", "good.ttl"])
def test_validate_file_same_answer_with_pyshacl(tmp_path, capsys, name):
    path = str(_fixture(tmp_path, name))
    fast = main(["validate", "--hinweise", path])
    out_fast = capsys.readouterr()
    ref = main(["validate", "--hinweise", "--pyshacl", path])
    out_ref = capsys.readouterr()
    assert fast == ref
    assert sorted((out_fast.out + out_fast.err).splitlines()) == sorted((out_ref.out + out_ref.err).splitlines())


def test_build_with_pyshacl(capsys):
    assert main(["--store", ":memory:", "build", "--pyshacl"]) == 0
    assert "Gültig." in capsys.readouterr().out


def test_each_command_word_names_the_module_that_registers_it():
    import argparse
    import importlib

    from inko_graph.cli import COMMAND_MODULES, COMMAND_OF

    registered = {}
    for name in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"inko_graph.cli.{name}").register(sub)
        registered.update({word: name for word in sub.choices})
    assert COMMAND_OF == registered


def test_build_loads_neither_pyshacl_nor_networkx(tmp_path):
    """A build in a fresh process (the example Raster read anew): the command's own module only, and
    the shapes checked without pySHACL."""
    import os
    import subprocess
    import sys

    code = ("import sys\nfrom inko_graph.cli import main\n"
            "assert main(['--store', ':memory:', 'build']) == 0\n"
            "print(sorted(m for m in ('pyshacl', 'networkx') if m in sys.modules))")
    env = {**os.environ, "INKO_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path, env=env)
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("argv, word", [(["--store", "x", "build"], "build"), (["--lang", "en", "load", "d.nq"], "load"),
                                        (["--store=x", "viz", "ziel"], "viz"), (["-h"], None), ([], None)])
def test_command_word(argv, word):
    from inko_graph.cli import _command

    assert _command(argv) == word
