"""The build maps the example Raster workbooks only when they or what they depend on changed."""

from __future__ import annotations

import shutil

from inko_graph.load.build import read_all


def _calls(monkeypatch) -> list[str]:
    import inko_graph.raster.importer as importer

    calls: list[str] = []
    real = importer.prepare

    def counting(data, filename, *args, **kwargs):
        calls.append(filename)
        return real(data, filename, *args, **kwargs)

    monkeypatch.setattr(importer, "prepare", counting)
    return calls


def _graphs(ds) -> dict:
    # the time of mapping (prov:generatedAtTime) is the only thing that may differ
    return {g: sorted(str(t) for t in ts if "generatedAtTime" not in str(t.predicate))
            for g, ts in ds.graphs.items() if "/raster/" in g}


def test_unchanged_examples_are_not_read_again(settings, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data)
    for extra in sorted((data / "raster").glob("*.csv"))[2:]:
        extra.unlink()  # two examples are enough, and quicker to map
    s = settings.with_(data_dir=data, extra={"cache_dir": str(tmp_path / "cache")})
    calls = _calls(monkeypatch)
    first = _graphs(read_all(s))
    n = len(calls)
    assert n == len(list((data / "raster").glob("*.csv"))) > 0 and first
    assert _graphs(read_all(s)) == first and len(calls) == n  # from the cache: nothing mapped
    # A changed example is mapped again ...
    example = sorted((data / "raster").glob("*.csv"))[0]
    example.write_bytes(example.read_bytes() + b"\n")
    read_all(s)
    assert len(calls) == 2 * n
    # ... and so are all of them when a document they are matched against changed.
    vocab = data / "vokabular" / "akteursarten.ttl"
    vocab.write_text(vocab.read_text(encoding="utf-8") + "\n# geändert\n", encoding="utf-8")
    assert _graphs(read_all(s)) == first and len(calls) == 3 * n


def test_a_cut_short_cache_file_is_not_trusted(settings, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data)
    for extra in sorted((data / "raster").glob("*.csv"))[1:]:
        extra.unlink()
    s = settings.with_(data_dir=data, extra={"cache_dir": str(tmp_path / "cache")})
    calls = _calls(monkeypatch)
    first = _graphs(read_all(s))
    (cached,) = (tmp_path / "cache").glob("raster-beispiele-*.nq")
    text = cached.read_bytes()
    cached.write_bytes(text[: text.rindex(b"\n", 0, len(text) // 2) + 1])  # whole lines, half of them
    assert _graphs(read_all(s)) == first and len(calls) == 2
