"""Packaging hook: the data folders at the top of the repository (ontology/, queries/, graph_data/,
viz/) go into the wheel as ``inko_graph/_daten/``, where ``inko_graph.settings`` finds them when
the package is installed. Everything else is configured in pyproject.toml."""

from pathlib import Path
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_FOLDERS = ("ontology", "queries", "graph_data", "viz")
HERE = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "inko_graph" / "_daten"
        for name in DATA_FOLDERS:
            src = HERE / name
            if not src.is_dir():
                raise SystemExit(f"Der Datenordner {name}/ fehlt; das Paket kann nicht gebaut werden.")
            dest = target / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildWithData})
