"""pyrudof (a SHACL engine in Rust, on PyPI) against pySHACL (the project's reference) on the shapes
of ontology/shapes.ttl: the same results on every fixture of tests/data/shapes, and the time.

    .venv/bin/pip install pyrudof && .venv/bin/python bench/bench_pyrudof.py [--tripel 100000]

For each fixture (with the ontology and the vocabularies as context, as tests/validation/test_validate.py
does) the results are compared as sets of (focus node, severity); the first differences are
printed. Then both engines and the project's own engine (shapes compiled to SPARQL) validate a
synthetic graph of ``--tripel`` triples (0: skip). pyrudof is not a dependency of the project.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

SHAPES = ROOT / "ontology" / "shapes.ttl"
FIXTURES = ROOT / "tests" / "data" / "shapes"
_SEV = {"violation": "Violation", "warning": "Warning", "info": "Info"}


def context_triples() -> list[ox.Triple]:
    out = list(ox.parse(path=str(ROOT / "ontology" / "inko.ttl"), format=ox.RdfFormat.TURTLE))
    for p in sorted((ROOT / "graph_data" / "vokabular").glob("*.ttl")):
        out += list(ox.parse(path=str(p), format=ox.RdfFormat.TURTLE))
    return out


def fixture_triples(path: Path) -> list[ox.Triple]:
    text = (FIXTURES / "_prefixes.ttl").read_text(encoding="utf-8") + "\n" + path.read_text(encoding="utf-8")
    return list(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))


def ntriples(triples) -> str:
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)


def rudof_results(triples) -> set[tuple[str, str]]:
    import pyrudof

    r = pyrudof.Rudof(pyrudof.RudofConfig())
    r.read_data(ntriples(triples), format=pyrudof.RDFFormat.NTriples)
    r.read_shacl(SHAPES.read_text(encoding="utf-8"), format=pyrudof.ShaclFormat.Turtle)
    report = r.validate_shacl()
    out = set()
    for e in report:
        sev = str(e.severity).rsplit("#", 1)[-1].rsplit(":", 1)[-1].lower()
        out.add((str(e.focus_node).strip("<>"), _SEV.get(sev, sev)))
    return out


def pyshacl_results(triples) -> set[tuple[str, str]]:
    from inko_graph.validation.shacl import validate_triples

    return {(r.focus, r.severity) for r in validate_triples(triples, SHAPES).results}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tripel", type=int, default=100_000)
    args = ap.parse_args(argv)
    try:
        import pyrudof  # noqa: F401
    except ImportError:
        print("pyrudof fehlt: .venv/bin/pip install pyrudof", file=sys.stderr)
        return 2
    ctx = context_triples()
    agree, differ = 0, []
    for path in sorted(FIXTURES.glob("*.ttl")):
        if path.name.startswith("_"):
            continue
        data = ctx + fixture_triples(path)
        try:
            mine, theirs = pyshacl_results(data), rudof_results(data)
        except Exception as e:  # an engine that cannot read the shapes or the data
            differ.append((path.name, f"Fehler: {type(e).__name__}: {str(e)[:200]}"))
            continue
        if mine == theirs:
            agree += 1
        else:
            differ.append((path.name, f"nur pySHACL: {sorted(mine - theirs)[:3]}; nur pyrudof: {sorted(theirs - mine)[:3]}"))
    print(f"Prüffälle mit gleichem Ergebnis: {agree} von {agree + len(differ)}")
    for name, why in differ:
        print(f"- {name}: {why}")
    if args.tripel:
        from inko_graph.load import synth
        from inko_graph.validation.shapecheck import check

        buf = io.StringIO()
        synth.generate(buf, args.tripel, towns=max(9, args.tripel // synth.PER_DOCUMENT))
        triples = [ox.Triple(q.subject, q.predicate, q.object)
                   for q in ox.parse(buf.getvalue().encode(), format=ox.RdfFormat.N_QUADS)]
        for name, fn in (("pyrudof", rudof_results), ("Regeln als SPARQL (shapecheck)", lambda t: check(t, [], SHAPES)),
                         ("pySHACL", pyshacl_results)):
            t0, c0 = time.perf_counter(), time.process_time()
            fn(triples)
            print(f"{name}: {len(triples)} Tripel in {time.perf_counter() - t0:.1f} s "
                  f"({time.process_time() - c0:.1f} s Prozessorzeit)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
