"""Measures of different documents that say nearly the same thing.

TF-IDF vectors over the German label and description of each measure or activity (German stop
words left out, words reduced to a light stem), compared by cosine similarity. Pairs of the same
document are not reported: the point is to find the same work planned twice in two concepts.

The texts come from the named query ``massnahmen-texte``; :data:`NAME` is offered as a named
query of its own (``inko-graph query aehnliche-massnahmen --param schwelle=0.3``), computed here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..errors import QueryError

__all__ = ["NAME", "SOURCE", "TITLE", "TITLE_EN", "PURPOSE", "PARAMS", "COLUMNS", "DEFAULT_THRESHOLD",
           "STOPWORDS", "stem", "tokens", "Corpus", "WordStats", "word_stats", "similar_pairs", "compute"]

NAME = "aehnliche-massnahmen"
#: The named SPARQL query that provides the texts.
SOURCE = "massnahmen-texte"
TITLE = "Maßnahmen verschiedener Dokumente, die fast dasselbe sagen"
TITLE_EN = "Measures of different documents that say nearly the same"
PURPOSE = ("Paare von Maßnahmen und Aktivitäten aus verschiedenen Dokumenten, deren Bezeichnung und "
           "Beschreibung sich stark ähneln (Kosinus-Ähnlichkeit der TF-IDF-Vektoren, ohne Füllwörter, "
           "Wörter auf ihren Stamm gekürzt). 1 heißt gleicher Wortlaut, 0 kein gemeinsames Wort.")
DEFAULT_THRESHOLD = 0.3
#: (name, type, description) of the parameters this step adds to those of :data:`SOURCE`.
PARAMS = (("schwelle", "decimal", f"Mindestähnlichkeit zwischen 0 und 1, optional (Standard {DEFAULT_THRESHOLD})"),)
COLUMNS = (
    ("vorhaben1", "erste Maßnahme oder Aktivität (IRI)"),
    ("vorhabenname1", "ihre Bezeichnung"),
    ("dokument1", "ihr Dokument (Konzept, sonst Quelldokument; IRI)"),
    ("konzeptname1", "Bezeichnung ihres Konzepts"),
    ("vorhaben2", "zweite Maßnahme oder Aktivität (IRI)"),
    ("vorhabenname2", "ihre Bezeichnung"),
    ("dokument2", "ihr Dokument (IRI)"),
    ("konzeptname2", "Bezeichnung ihres Konzepts"),
    ("aehnlichkeit", "Kosinus-Ähnlichkeit, 0 bis 1"),
    ("gemeinsame_woerter", "die Wörter, die am meisten zur Ähnlichkeit beitragen"),
)

# German function words and words that every measure of an integration concept uses, so they
# say nothing about what a measure is about.
STOPWORDS = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
auch auf aus bei beim bis bisher bzw da dabei dadurch dafür dagegen daher damit dann dar daran
darauf daraus darin darum darüber das dass daß dem den denen der deren des dessen deshalb die
dies diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer eines einige
einmal er es etwa etwas euch für gegen gibt hat hatte haben hier ihm ihn ihnen ihr ihre ihrem
ihren ihrer ihres im in indem ins ist ja je jede jedem jeden jeder jedes jedoch jetzt kann kein
keine können könnte man mehr mit muss müssen nach nicht noch nun nur ob oder ohne per pro sehr
sei seine seinem seinen seiner seit sich sie sind so solche soll sollen sollte sondern sowie
über um und uns unser unter usw viel vom von vor wann war waren was weil weiter weitere welche
welchem welchen welcher wenn wer werden wird wie wieder will wir wo wurde wurden zu zum zur
zwischen z b bzw ggf u a sowie insbesondere einschließlich sowohl
maßnahme maßnahmen massnahme massnahmen
""".split())

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
# Inflection endings, longest first; a stem keeps at least four letters.
_SUFFIXES = ("erinnen", "innen", "ungen", "heiten", "keiten", "ern", "em", "en", "er", "es", "e", "s", "n")


def stem(word: str) -> str:
    """A light stem of a lower-case German word: umlauts folded, one inflection ending removed.

    ``Kindertagesstätten`` and ``Kindertagesstätte`` give the same stem, as do ``Sprachkurse``
    and ``Sprachkursen``; ``Förderungen`` becomes ``forderung``.
    """
    w = word.translate(_FOLD)
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            if suf == "ungen":
                return w[:-2]  # Förderungen -> forderung
            if suf in ("heiten", "keiten"):
                return w[:-2]
            return w[: -len(suf)]
    return w


def tokens(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order."""
    text = unicodedata.normalize("NFC", text or "").lower()
    return [stem(w) for w in _WORD.findall(text) if len(w) > 2 and w not in STOPWORDS]


@dataclass
class Corpus:
    """TF-IDF vectors of a list of texts, stored row by row as compressed sparse arrays."""

    indptr: "object"
    indices: "object"
    weights: "object"
    vocabulary: list[str]
    surface: list[str]  # for each term the word form seen most often, to show people

    @classmethod
    def from_texts(cls, texts: list[str], only: set[int] | None = None, stats: "WordStats | None" = None) -> "Corpus":
        """The vectors of ``texts``; with ``only``, the weights of those rows only, the others left
        empty. With ``stats`` (:func:`word_stats` of a larger set of texts that holds these) the
        words are weighted and named as in that set: a town's report compares its own and its
        Kreis's measures with the weights of every measure in the graph, without their vectors."""
        import numpy as np

        vocab: dict[str, int] = {}
        seen: dict[str, int] = {}  # word form -> how often, in the order first seen
        rows: list[dict[int, int]] = []
        stems: dict[str, str | None] = {}  # word -> stem (None: left out); texts repeat their words
        for text in texts:
            counts: dict[int, int] = {}
            low = unicodedata.normalize("NFC", text or "").lower()
            for w, k in Counter(_WORD.findall(low)).items():
                s = stems.get(w, "")
                if s == "":
                    s = stems[w] = None if len(w) <= 2 or w in STOPWORDS else stem(w)
                if s is None:
                    continue
                t = vocab.setdefault(s, len(vocab))
                counts[t] = counts.get(t, 0) + k
                seen[w] = seen.get(w, 0) + k
            rows.append(counts)
        n = len(rows)
        df = np.zeros(len(vocab), dtype=np.int64)
        for counts in rows:
            for t in counts:
                df[t] += 1
        if stats is not None:
            n = stats.n
            for s, t in vocab.items():
                df[t] = stats.df.get(s, df[t])
        # Smoothed idf as in common practice: rare words weigh more, no word weighs zero.
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        indptr = np.zeros(n + 1, dtype=np.int64)
        idx_parts, w_parts = [], []
        for i, counts in enumerate(rows):
            if counts and (only is None or i in only):
                idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                w = (1.0 + np.log(tf)) * idf[idx]
                w /= math.sqrt(float(np.dot(w, w)))
                order = np.argsort(idx)
                idx_parts.append(idx[order])
                w_parts.append(w[order])
                indptr[i + 1] = indptr[i] + len(counts)
            else:
                indptr[i + 1] = indptr[i]
        indices = np.concatenate(idx_parts) if idx_parts else np.zeros(0, dtype=np.int64)
        weights = np.concatenate(w_parts) if w_parts else np.zeros(0, dtype=np.float64)
        terms = [""] * len(vocab)
        for s, t in vocab.items():
            terms[t] = s
        # The form of each stem seen most often (the first seen of equally frequent ones).
        best: dict[str, tuple[str, int]] = {}
        for w, k in seen.items():
            s = stems[w]
            if s not in best or k > best[s][1]:
                best[s] = (w, k)
        surface = [best[s][0] for s in terms] if stats is None else [stats.surface.get(s) or best[s][0] for s in terms]
        return cls(indptr, indices, weights, terms, surface)

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def row(self, i: int):
        a, b = self.indptr[i], self.indptr[i + 1]
        return self.indices[a:b], self.weights[a:b]


@dataclass
class WordStats:
    """What the weights of words need from a set of texts: how many texts, in how many of them each
    stem occurs, and the word form of each stem seen most often (the first seen of equally frequent)."""

    n: int
    df: dict[str, int]
    surface: dict[str, str]


def word_stats(texts: list[str]) -> WordStats:
    """:class:`WordStats` of ``texts``, as :meth:`Corpus.from_texts` counts them, without building
    vectors (at 10^5 triples a fraction of the time for some 5,000 measures)."""
    words = [_WORD.findall(unicodedata.normalize("NFC", t or "").lower()) for t in texts]
    seen: Counter = Counter()
    for w in words:
        seen.update(w)  # insertion order: first seen
    stems = {w: None if len(w) <= 2 or w in STOPWORDS else stem(w) for w in seen}
    df: Counter = Counter()
    get = stems.__getitem__
    for w in words:
        df.update(set(map(get, set(w))))
    df.pop(None, None)
    best: dict[str, tuple[str, int]] = {}
    for w, k in seen.items():
        s = stems[w]
        if s is not None and (s not in best or k > best[s][1]):
            best[s] = (w, k)
    return WordStats(len(texts), dict(df), {s: w for s, (w, _) in best.items()})


def similar_pairs(corpus: Corpus, groups: list[frozenset], threshold: float,
                  among: tuple[set[int], set[int]] | None = None):
    """Pairs ``(i, j, score)`` with ``i < j``, cosine >= ``threshold`` and disjoint groups, best first.

    Exact, without comparing every pair: each vector is split into a head (its heaviest terms)
    and a tail whose squared norm is below the threshold. Two vectors that share no head term of
    either have cosine <= |tail_i| * |tail_j| < threshold (Cauchy-Schwarz), so only pairs that
    share a head term are scored. Common words weigh little and end up in the tails.

    ``among`` = (some, within): only the pairs with both rows in ``within`` and one in ``some``
    (a town's report: its measures against those of the town and the Kreis). The weights stay
    those of the whole corpus; only the rows compared are fewer.
    """
    n = len(corpus)
    within = range(n) if among is None else sorted(among[1])
    rows: dict[int, dict] = {}
    for i in within:
        idx, w = corpus.row(i)
        rows[i] = dict(zip(idx.tolist(), w.tolist()))
    postings: dict[int, list[int]] = {}
    for i, r in rows.items():
        for t in r:
            postings.setdefault(t, []).append(i)
    bound = threshold - 1e-12  # a little more head than needed, against rounding
    candidates: set[tuple[int, int]] = set()
    for i, r in rows.items():
        rest = sum(w * w for w in r.values())
        for t, w in sorted(r.items(), key=lambda kv: (-kv[1], kv[0])):
            if rest < bound:
                break
            rest -= w * w
            for j in postings[t]:
                if j != i:
                    candidates.add((i, j) if i < j else (j, i))
    some = None if among is None else among[0]
    out: list[tuple[int, int, float]] = []
    for i, j in candidates:
        if groups[i] & groups[j] or (some is not None and i not in some and j not in some):
            continue
        a, b = rows[i], rows[j]
        if len(b) < len(a):
            a, b = b, a
        score = sum(w * b.get(t, 0.0) for t, w in a.items())
        if score >= bound:
            out.append((i, j, score))
    out.sort(key=lambda p: (-p[2], p[0], p[1]))
    return out


def _shared_words(corpus: Corpus, i: int, j: int, limit: int = 5) -> str:
    ti, wi = corpus.row(i)
    tj, wj = corpus.row(j)
    common = {int(t): float(w) for t, w in zip(ti, wi)}
    contrib = [(common[int(t)] * float(w), int(t)) for t, w in zip(tj, wj) if int(t) in common]
    contrib.sort(key=lambda c: (-c[0], corpus.surface[c[1]]))
    return ", ".join(corpus.surface[t] for _, t in contrib[:limit])


def _text(value) -> str:
    """A cell as text; missing values (None, or NaN from pandas) as the empty string."""
    return value if isinstance(value, str) else ""


def _entries(texts) -> tuple[list[str], list[dict]]:
    """(measure IRIs in order, one entry each) from rows of ``massnahmen-texte`` or
    ``massnahmen-woerter``: a measure of two concepts (serving goals of both) has two rows."""
    by_iri: dict[str, dict] = {}
    cols = list(texts.columns)
    for rec in (dict(zip(cols, row)) for row in zip(*(texts[c].tolist() for c in cols))):  # quicker than to_dict
        e = by_iri.setdefault(rec["vorhaben"], {"name": _text(rec.get("vorhabenname")), "beschreibung": "",
                                                "dokumente": set(), "quellen": set(), "konzeptnamen": set()})
        desc = _text(rec.get("beschreibung"))
        if desc and desc not in e["beschreibung"]:
            e["beschreibung"] = (e["beschreibung"] + " " + desc).strip()
        if _text(rec.get("dokument")):
            e["dokumente"].add(rec["dokument"])
        if _text(rec.get("quelle")):
            e["quellen"].add(rec["quelle"])
        if _text(rec.get("konzeptname")):
            e["konzeptnamen"].add(rec["konzeptname"])
    iris = sorted(by_iri)
    return iris, [by_iri[i] for i in iris]


def compute(texts, params: dict, *, among: tuple[set[str], set[str]] | None = None, weights=None):
    """The rows of ``aehnliche-massnahmen`` from the rows of ``massnahmen-texte``.

    ``among`` = (some, within), sets of documents: only the pairs whose two measures both have a
    document in ``within`` and one of them a document in ``some``; the same rows as filtering the
    whole answer, without comparing the measures of other towns. ``weights``: the rows of
    ``massnahmen-woerter`` (every measure of the graph) when ``texts`` holds only some measures
    (those of a town and its Kreis): the words weigh as in the whole answer, so the rows are the same.
    """
    import pandas as pd

    threshold = params.get("schwelle", DEFAULT_THRESHOLD)
    threshold = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    if not 0.0 < threshold <= 1.0:
        raise QueryError(f"Der Parameter 'schwelle' muss zwischen 0 und 1 liegen (z. B. 0.3), nicht {threshold!r}.")
    iris, entries = _entries(texts)
    # Same document: the same concept or the same source document.
    groups = [frozenset(e["dokumente"] | e["quellen"]) or frozenset({iri}) for iri, e in zip(iris, entries)]
    index = None
    if among is not None:
        index = tuple({i for i, e in enumerate(entries) if e["dokumente"] & set(docs)} for docs in among)
    stats = None
    if weights is not None:
        stats = word_stats([f"{e['name']} {e['beschreibung']}" for e in _entries(weights)[1]])
    corpus = Corpus.from_texts([f"{e['name']} {e['beschreibung']}" for e in entries], None if index is None else index[1],
                               stats)
    rows = []
    for i, j, score in similar_pairs(corpus, groups, threshold, index):
        a, b = entries[i], entries[j]
        rows.append([iris[i], a["name"], "; ".join(sorted(a["dokumente"])), "; ".join(sorted(a["konzeptnamen"])) or None,
                     iris[j], b["name"], "; ".join(sorted(b["dokumente"])), "; ".join(sorted(b["konzeptnamen"])) or None,
                     round(min(score, 1.0), 3), _shared_words(corpus, i, j)])
    return pd.DataFrame(rows, columns=[c for c, _ in COLUMNS])
