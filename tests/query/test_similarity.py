"""TF-IDF similarity of measures (inko_graph/query/similarity.py)."""

from __future__ import annotations

import math
import random
from collections import Counter

import pandas as pd
import pytest

from inko_graph.errors import QueryError
from inko_graph.query.similarity import Corpus, compute, similar_pairs, stem, tokens, word_stats


@pytest.mark.parametrize("a, b", [
    ("Kindertagesstätten", "Kindertagesstätte"), ("Sprachkurse", "Sprachkursen"), ("Kinder", "Kindern"),
    ("Kitas", "Kita"), ("Förderungen", "Förderung"), ("Migrantinnen", "Migranten"), ("Möglichkeiten", "Möglichkeit"),
])
def test_stem_joins_inflected_forms(a, b):
    assert stem(a.lower()) == stem(b.lower())


def test_stem_keeps_short_words_whole():
    assert stem("haus") == "haus"  # four letters: no ending taken off
    assert stem("rat") == "rat"


def test_tokens_drop_stop_words_numbers_and_short_words():
    assert tokens("Die Förderung der Kinder in 3 Kitas und für alle Eltern") == ["forderung", "kind", "kita", "elter"]
    assert tokens("") == [] and tokens(None) == []


def _naive_cosine(texts: list[str]) -> list[list[float]]:
    """The textbook computation, for comparison: dense vectors, same weighting."""
    docs = [Counter(tokens(t)) for t in texts]
    n = len(docs)
    df = Counter(w for d in docs for w in d)
    idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
    vecs = []
    for d in docs:
        v = {w: (1 + math.log(c)) * idf[w] for w, c in d.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({w: x / norm for w, x in v.items()})
    return [[sum(a.get(w, 0.0) * x for w, x in b.items()) for b in vecs] for a in vecs]


@pytest.mark.parametrize("threshold", [0.15, 0.4, 0.7])
def test_similar_pairs_equal_the_naive_computation(threshold):
    rnd = random.Random(7)
    words = ["Sprachförderung", "Kinder", "Eltern", "Schule", "Beratung", "Arbeit", "Senioren", "Wohnung",
             "Gesundheit", "Sport", "Verein", "Kita", "Ausbildung", "Betrieb", "Frauen", "Jugend", "Quartier"]
    texts = [" ".join(rnd.choice(words) for _ in range(rnd.randint(2, 7))) for _ in range(70)]
    texts[5] = ""  # a measure without content words
    groups = [frozenset({f"dok{i % 3}"}) for i in range(len(texts))]
    corpus = Corpus.from_texts(texts)
    got = {(i, j): s for i, j, s in similar_pairs(corpus, groups, threshold)}
    want = _naive_cosine(texts)
    expected = {(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))
                if want[i][j] >= threshold - 1e-9 and groups[i] != groups[j]}
    assert set(got) == expected and expected
    for (i, j), s in got.items():
        assert s == pytest.approx(want[i][j], abs=1e-9)


def test_identical_texts_score_one_and_pairs_come_best_first():
    texts = ["Sprachkurse für Kinder in Kitas", "Sprachkurse für Kinder in Kitas", "Beratung für Senioren",
             "Sprachkurse für Kinder"]
    groups = [frozenset({"a"}), frozenset({"b"}), frozenset({"c"}), frozenset({"d"})]
    pairs = similar_pairs(Corpus.from_texts(texts), groups, 0.1)
    assert pairs[0][:2] == (0, 1) and pairs[0][2] == pytest.approx(1.0)
    assert all(p[2] >= q[2] for p, q in zip(pairs, pairs[1:]))
    assert not any(2 in p[:2] for p in pairs)  # nothing in common with the others


def test_measures_of_the_same_document_are_not_compared():
    texts = ["Hausaufgabenhilfe in Grundschulen", "Hausaufgabenhilfe in Grundschulen"]
    assert similar_pairs(Corpus.from_texts(texts), [frozenset({"a"}), frozenset({"a", "b"})], 0.1) == []


def _texts(rows):
    return pd.DataFrame(rows, columns=["vorhaben", "vorhabenname", "beschreibung", "vorhabenart", "dokument",
                                       "konzept", "konzeptname", "gebiet", "quelle"])


def test_compute_joins_rows_of_one_measure_and_names_shared_words():
    df = _texts([
        ["x:1", "Sprachkurse für Kinder in Kitas", None, "Maßnahme", "k:a", "k:a", "A", None, "q:1"],
        ["x:2", "Sprachkurse für Kinder in Kindertagesstätten", "Sprachkurse für Kinder.", "Maßnahme", "k:b", "k:b", "B", None, "q:2"],
        # the same measure under a second concept (it serves goals of both)
        ["x:2", "Sprachkurse für Kinder in Kindertagesstätten", None, "Maßnahme", "k:c", "k:c", "C", None, "q:2"],
        ["x:3", "Seniorenberatung", None, "Aktivität", "q:000", None, None, None, "q:000"],
        # a measure of document 1 without a goal: the same document as x:1 by its source
        ["x:4", "Sprachkurse für Kinder in Kitas", None, "Maßnahme", "q:1", None, None, None, "q:1"],
    ])
    out = compute(df, {"schwelle": 0.3})
    assert out[["vorhaben1", "vorhaben2", "dokument1", "dokument2", "konzeptname2"]].values.tolist()[0] == \
        ["x:1", "x:2", "k:a", "k:b; k:c", "B; C"]
    assert out.iloc[0]["gemeinsame_woerter"].split(", ")[0] in {"sprachkurse", "kinder"}
    # x:4 has the text of x:1 and is compared with x:2, but not with x:1: same source document
    assert list(zip(out["vorhaben1"], out["vorhaben2"])) == [("x:1", "x:2"), ("x:2", "x:4")]
    assert len(compute(df, {})) == 2  # default threshold 0.3


@pytest.mark.parametrize("value", [0, -0.1, 1.5])
def test_compute_rejects_a_threshold_outside_0_1(value):
    with pytest.raises(QueryError, match="zwischen 0 und 1"):
        compute(_texts([]), {"schwelle": value})


def test_compute_on_no_measures_gives_the_columns():
    out = compute(_texts([]), {"schwelle": 0.5})
    assert len(out) == 0 and "aehnlichkeit" in out.columns


def test_among_gives_the_rows_of_the_whole_answer_that_it_names():
    # A town's report compares only its own and its Kreis's measures: the rows (and their scores,
    # weighted over the whole corpus) are those of the whole answer with a measure of the town.
    rnd = random.Random(11)
    words = ["Sprachförderung", "Kinder", "Eltern", "Schule", "Beratung", "Arbeit", "Senioren", "Wohnung",
             "Gesundheit", "Sport", "Verein", "Kita", "Ausbildung", "Betrieb", "Frauen", "Jugend"]
    rows = []
    for i in range(90):
        doc = f"k:{i % 5}"
        rows.append([f"x:{i}", " ".join(rnd.choice(words) for _ in range(rnd.randint(2, 6))), None, "Maßnahme",
                     doc, doc, doc.upper(), None, f"q:{i % 5}"])
    df = _texts(rows)
    whole = compute(df, {"schwelle": 0.3})
    some, within = {"k:1"}, {"k:1", "k:2", "k:3"}
    got = compute(df, {"schwelle": 0.3}, among=(some, within))
    want = whole[[(a in some or b in some) and a in within and b in within
                  for a, b in zip(whole["dokument1"], whole["dokument2"])]].reset_index(drop=True)
    assert len(want) and len(got) < len(whole)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want)


def test_weights_of_every_measure_give_the_rows_of_the_whole_answer():
    # A town's report reads only its own and its Kreis's measures with their documents, and the
    # wording of every measure (massnahmen-woerter) for the weights: the rows, scores and shared
    # words are those of the whole answer. Word forms differ in number across documents, so the
    # word shown for a stem (the form seen most often) depends on the other towns' texts too.
    rnd = random.Random(5)
    words = ["Sprachförderung", "Kinder", "Kindern", "Eltern", "Schule", "Schulen", "Beratung", "Arbeit", "Senioren",
             "Wohnung", "Gesundheit", "Sport", "Verein", "Vereine", "Kita", "Kitas", "Ausbildung", "Frauen", "Jugend"]
    rows = []
    for i in range(120):
        doc = f"k:{i % 6}"
        rows.append([f"x:{i:03d}", " ".join(rnd.choice(words) for _ in range(rnd.randint(2, 6))),
                     " ".join(rnd.choice(words[i % 3::2]) for _ in range(rnd.randint(0, 4))) or None, "Maßnahme",
                     doc, doc, doc.upper(), None, f"q:{i % 6}"])
    df = _texts(rows)
    some, within = {"k:1"}, {"k:1", "k:2"}
    part = df[df["dokument"].isin(within)]
    wording = df[["vorhaben", "vorhabenname", "beschreibung"]]
    for threshold in (0.1, 0.3):
        whole = compute(df, {"schwelle": threshold}, among=(some, within))
        got = compute(part, {"schwelle": threshold}, among=(some, within), weights=wording)
        assert len(whole) > 5
        pd.testing.assert_frame_equal(got, whole)
    # Without the wording of the others the words weigh otherwise: the scores differ.
    alone = compute(part, {"schwelle": 0.1}, among=(some, within))
    assert list(alone["aehnlichkeit"]) != list(compute(df, {"schwelle": 0.1}, among=(some, within))["aehnlichkeit"])


def test_word_stats_count_as_the_corpus_does():
    texts = ["Kinder und Kindern in Kitas", "", "Die Kita der Kinder", "Sport für Senioren, Sport im Verein"]
    stats = word_stats(texts)
    corpus = Corpus.from_texts(texts)
    assert stats.n == 4 and stats.df == {"kind": 2, "kita": 2, "sport": 1, "senior": 1, "verei": 1}
    assert [stats.surface[t] for t in corpus.vocabulary] == corpus.surface
    same = Corpus.from_texts(texts, stats=stats)
    assert same.weights.tolist() == corpus.weights.tolist() and same.surface == corpus.surface
