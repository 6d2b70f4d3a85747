"""Virtuoso 7.2 and SPARQL 1.1: query text it answers like the embedded store.

Virtuoso loses rows or fails for some property paths: ``?x a/rdfs:subClassOf* C`` in an OPTIONAL,
after a UNION or beside a second such path; a ``*``/``+`` path whose start a ``VALUES`` binds (the
value is ignored, or "transitive start not given"). The remote store sends such queries to it
with the path's answers written in: each path is asked alone first (a form Virtuoso answers
right), from the same dataset, and its rows go into the query as ``VALUES`` or ``FILTER … IN``.
Same rows by construction: a path's answers are distinct, and a join with them is the join with
the path. A path with both ends free after a ``UNION`` or a ``|`` path of its group gets what
precedes it in the group as a sub-query (``with_isolated_paths``). A parameter's ``VALUES`` goes
into the branches of a UNION too (``with_values_in_unions``). Other servers get the text as
written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from ..namespaces import PREFIXES
from .remote_protocol import _RESULT_TYPES, _iri, form_body, where_start
from .sparql_tokens import TOKEN as _TOKEN

__all__ = ["adapt", "class_tests", "with_class_lists", "path_triples", "with_path_lists", "with_isolated_paths",
           "with_values_in_unions", "with_dataset"]

_RESULTS_ACCEPT = "application/sparql-results+xml, application/sparql-results+json;q=0.9"


def adapt(store, sparql: str, dataset: list[tuple[str, str]], timeout: float | None, bound: dict[str, str]) -> str:
    """The query for Virtuoso: class tests and paths with a known end as lists, the other paths
    after a UNION apart from it, parameters in UNION branches too (see above). Kept per text,
    dataset, parameters and state of the data: the named queries come again and again, and the
    five passes over their text cost more than a short answer of the server."""
    key = ("adapt", sparql, tuple(dataset), store._generation, tuple(sorted(bound.items())))
    if key not in store._closures:
        text = _path_lists(store, _class_lists(store, sparql, dataset, timeout), dataset, timeout, bound)
        _remember(store, key, with_values_in_unions(with_isolated_paths(text), bound))
    return store._closures[key]


_DEFINES = {"default-graph-uri": "input:default-graph-uri", "named-graph-uri": "input:named-graph-uri"}


def with_dataset(text: str, dataset: list[tuple[str, str]]) -> str:
    """The dataset as Virtuoso's own ``define input:…`` lines before the query, not as protocol
    parameters: Virtuoso repeats each ``named-graph-uri`` as a response header, and with a
    thousand graphs (10^6 triples) the headers outgrow what an HTTP client reads ("Receive buffer
    too long"). Virtuoso turns the parameters into these very lines itself."""
    return "".join(f"define {_DEFINES[k]} {_iri(v)}\n" for k, v in dataset) + text


def _ask(store, text: str, dataset, timeout, what: str):
    r = store._send("POST", store.server.query_url, what, timeout=timeout,
                    content=form_body([("query", with_dataset(text, dataset))]),
                    headers={"Accept": _RESULTS_ACCEPT, "Content-Type": "application/x-www-form-urlencoded"})
    ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
    return ox.parse_query_results(r.content, _RESULT_TYPES.get(ctype, ox.QueryResultsFormat.XML))


def _remember(store, key, value) -> None:
    if len(store._closures) > 256:
        store._closures.clear()
    store._closures[key] = value


def _class_lists(store, sparql: str, dataset: list[tuple[str, str]], timeout: float | None) -> str:
    """Virtuoso 7.2 loses rows for ``?x a/rdfs:subClassOf* C`` in an OPTIONAL, after a UNION or
    beside a second such path. It gets the class and its subclasses as a list instead, read from
    the same dataset just before (the same rows; see ``with_class_lists``)."""
    tests = class_tests(sparql)
    if not tests:
        return sparql
    closures = {}
    for iri in {t[2] for t in tests}:
        key = (iri, tuple(dataset), store._generation)
        if key not in store._closures:
            text = f"SELECT DISTINCT ?c WHERE {{ ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* {_iri(iri)} }}"
            rows = _ask(store, text, dataset, timeout, "Unterklassen lesen")
            found = {row["c"].value for row in rows if isinstance(row["c"], ox.NamedNode)}
            _remember(store, key, sorted(found | {iri}))
        closures[iri] = store._closures[key]
    return with_class_lists(sparql, tests, closures)


def _path_lists(store, sparql: str, dataset: list[tuple[str, str]], timeout: float | None,
                bound: dict[str, str]) -> str:
    """Virtuoso 7.2 ignores a VALUES binding at a ``*``/``+`` path's start and loses rows with two
    such paths in one query. A path with a known start or end (an IRI, a parameter's value) goes
    to it as the list of its answers, read just before from the same dataset (``with_path_lists``)."""
    triples = path_triples(sparql, bound)
    if not triples:
        return sparql
    rows = {}
    for _, _, subj, pred, op, obj in triples:
        key = (subj, pred, op, obj)
        if key in rows:
            continue
        names = list(dict.fromkeys(t for t in (subj, obj) if t.startswith(("?", "$"))))
        free = [n for n in names if n[1:] not in bound]
        s_, o_ = (bound.get(t[1:], t) if t.startswith(("?", "$")) else t for t in (subj, obj))
        # Both ends free (rdfs:subClassOf+): the start as the subject of one step, which Virtuoso needs.
        start = f"{s_} {_iri(pred)} [] . " if len(free) == 2 else ""
        text = (f"SELECT DISTINCT {' '.join(free)} WHERE {{ {start}{s_} {_iri(pred)}{op} {o_} }}" if free
                else f"ASK {{ {s_} {_iri(pred)}{op} {o_} }}")
        cache = (text, tuple(dataset), store._generation)
        if cache not in store._closures:
            result = _ask(store, text, dataset, timeout, "Pfad lesen")
            if isinstance(result, bool):
                found = [()] if result else []
            else:
                found = [tuple(str(row[n[1:]]) for n in free) for row in result]
            _remember(store, cache, found)
        rows[key] = (free, store._closures[cache])
    return with_path_lists(sparql, triples, rows)


_KLASSE = "inko_klasse_"
_PREFIX_DECL = re.compile(r"PREFIX\s+([^\W\d][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


def _significant(sparql: str) -> list[re.Match]:
    return [m for m in _TOKEN.finditer(sparql) if m.lastgroup not in ("ws", "comment")]


def class_tests(sparql: str) -> list[tuple[int, int, str, int]]:
    """Each ``a/rdfs:subClassOf* C`` outside a GRAPH block: (start, end, IRI of C, position of the
    ``}`` closing its group); a triple ``?k rdfs:subClassOf* C`` of its own (after ``.``, ``{`` or
    ``}``, before ``.`` or ``}``) with -1 as position. Empty for ``SELECT *`` (a new variable
    would become a column)."""
    toks = _significant(sparql)
    prefixes = {**PREFIXES, **{(m.group(1) or ""): m.group(2) for m in _PREFIX_DECL.finditer(sparql)}}
    found: list[tuple[int, int, str, int]] = []
    stack: list[tuple[bool, list]] = []  # per open group: inside GRAPH?, its class tests
    for i, m in enumerate(toks):
        text, kind = m.group(), m.lastgroup
        if kind == "word" and text.upper() == "SELECT":
            nxt = [t.group().upper() for t in toks[i + 1:i + 3]]
            if nxt[:1] == ["*"] or nxt == ["DISTINCT", "*"] or nxt == ["REDUCED", "*"]:
                return []
        if kind == "other" and text == "{":
            graph = i >= 2 and toks[i - 2].lastgroup == "word" and toks[i - 2].group().upper() == "GRAPH"
            stack.append((graph or any(g for g, _ in stack), []))
        elif kind == "other" and text == "}" and stack:
            _, tests = stack.pop()
            found += [(a, b, c, m.start()) for a, b, c in tests]
        elif (kind == "var" and stack and not stack[-1][0] and i + 4 < len(toks) and toks[i - 1].group() in ".{}"
              and [t.group() for t in toks[i + 1:i + 3]] == ["rdfs:subClassOf", "*"] and toks[i + 4].group() in (".", "}")):
            iri = _class_iri(toks[i + 3], prefixes)
            if iri is not None:
                found.append((m.start(), toks[i + 3].end(), iri, -1))
        elif (kind == "word" and text == "a" and stack and not stack[-1][0] and i + 4 < len(toks)
              and [t.group() for t in toks[i + 1:i + 4]] == ["/", "rdfs:subClassOf", "*"]):
            cls = toks[i + 4]
            if cls.lastgroup == "iri":
                iri = cls.group()[1:-1]
            elif cls.lastgroup == "pname" and (cls.group("prefix") or "") in prefixes:
                iri = prefixes[cls.group("prefix") or ""] + cls.group().split(":", 1)[1]
            else:
                continue
            stack[-1][1].append((m.start(), cls.end(), iri))
    return sorted(found)


def _class_iri(tok: re.Match, prefixes: dict) -> str | None:
    if tok.lastgroup == "iri":
        return tok.group()[1:-1]
    if tok.lastgroup == "pname" and (tok.group("prefix") or "") in prefixes:
        return prefixes[tok.group("prefix") or ""] + tok.group().split(":", 1)[1]
    return None


def with_class_lists(sparql: str, tests: list[tuple[int, int, str, int]], closures: Mapping[str, list[str]]) -> str:
    """``?x a/rdfs:subClassOf* C`` as ``?x a ?k . FILTER(?k IN (C and its subclasses))`` at the end of
    its group: the same rows (the path's classes are distinct), without a property path."""
    edits: list[tuple[int, int, str]] = []
    for n, (start, end, iri, close) in enumerate(tests):
        if close < 0:  # ?k rdfs:subClassOf* C as VALUES ?k { … }
            subject = sparql[start:end].split(None, 1)[0]
            edits.append((start, end, f"VALUES {subject} {{ {' '.join(str(ox.NamedNode(c)) for c in closures[iri])} }}"))
            continue
        var = f"?{_KLASSE}{n}"
        edits.append((start, end, f"a {var}"))
        members = ", ".join(str(ox.NamedNode(c)) for c in closures[iri])
        edits.append((close, close, f" FILTER({var} IN ({members})) "))
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        sparql = sparql[:start] + text + sparql[end:]
    return sparql



_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


def path_triples(sparql: str, bound: Mapping[str, str]) -> list[tuple[int, int, str, str, str, str]]:
    """Triples ``S P* O`` / ``S P+ O`` of their own (a single IRI as P) outside GRAPH blocks, whose
    start or end is known: an IRI, or a parameter's value (``bound``: name -> term, outside
    sub-queries); both free only for ``rdfs:subClassOf+`` (the class hierarchy is small).
    Each as (start, end, S, P IRI, ``*`` or ``+``, O), S and O as variables or ``<IRI>``."""
    toks = _significant(sparql)
    prefixes = {**PREFIXES, **{(m.group(1) or ""): m.group(2) for m in _PREFIX_DECL.finditer(sparql)}}
    found = []
    stack: list[tuple[bool, bool, bool]] = []  # per open group: in GRAPH?, in a sub-query?, in EXISTS?
    sub_next = False
    for i, m in enumerate(toks):
        text, kind = m.group(), m.lastgroup
        if kind == "word" and text.upper() == "SELECT" and stack:
            sub_next = True
        if kind == "other" and text == "{":
            graph = i >= 2 and toks[i - 2].lastgroup == "word" and toks[i - 2].group().upper() == "GRAPH"
            exists = i >= 1 and toks[i - 1].lastgroup == "word" and toks[i - 1].group().upper() == "EXISTS"
            stack.append((graph or any(g[0] for g in stack), sub_next or any(g[1] for g in stack),
                          exists or any(g[2] for g in stack)))
            sub_next = False
            continue
        if kind == "other" and text == "}" and stack:
            stack.pop()
            continue
        if not stack or stack[-1][0] or i + 4 >= len(toks) or toks[i - 1].group() not in (".", "{", "}", ")"):
            continue
        s_tok, p_tok, op, o_tok, after = toks[i:i + 5]
        if op.group() not in ("*", "+") or after.group() not in (".", "}") or p_tok.lastgroup not in ("iri", "pname"):
            continue
        if s_tok.lastgroup not in ("var", "iri", "pname") or o_tok.lastgroup not in ("var", "iri", "pname"):
            continue
        pred = _class_iri(p_tok, prefixes)
        if pred is None:
            continue

        def known(tok):
            if tok.lastgroup == "var":
                return not stack[-1][1] and tok.group()[1:] in bound
            return _class_iri(tok, prefixes) is not None

        # Both free: rdfs:subClassOf+ only, and not in EXISTS (Virtuoso cannot compile VALUES there
        # that bind a variable of the enclosing query).
        both_free = pred == _SUBCLASS and op.group() == "+" and not known(s_tok) and not stack[-1][2]
        if known(s_tok) == known(o_tok) and not both_free:
            continue
        def written(tok):
            return tok.group() if tok.lastgroup == "var" else str(ox.NamedNode(_class_iri(tok, prefixes)))

        found.append((s_tok.start(), o_tok.end(), written(s_tok), pred, op.group(), written(o_tok)))
    return found


def with_path_lists(sparql: str, triples: list, rows: Mapping[tuple, tuple[list[str], list[tuple]]]) -> str:
    """Each triple of ``path_triples`` as ``VALUES`` of its free variables with the rows the server
    gave for it alone (``rows[(S, P, op, O)]`` = (variables, rows)): the same rows, as a path's
    answers are distinct. A parameter keeps its value from the query's own VALUES."""
    for start, end, subj, pred, op, obj in sorted(triples, reverse=True):
        names, found = rows[(subj, pred, op, obj)]
        if names:
            body = " ".join("(" + " ".join(row) + ")" for row in found)
            text = f"VALUES ({' '.join(names)}) {{ {body} }}"
        else:  # both ends known: the path holds (nothing to add) or not (no rows)
            text = "" if found else "VALUES ?inko_nichts { }"
        sparql = sparql[:start] + text + sparql[end:]
    return sparql



def _free_path_after_union(sparql: str) -> tuple[int, int] | None:
    """The first triple ``S P* O`` / ``S P+ O`` (a single IRI as P) preceded in its own group by a
    ``UNION`` or a ``|`` path: (end of the group's ``{``, start of the triple). None when the part
    before it holds a FILTER (which holds for the whole group), a blank node label (scoped by
    its pattern) or lies in a GRAPH or EXISTS block."""
    toks = _significant(sparql)
    stack: list[dict] = []
    depth = 0  # parentheses
    for i, m in enumerate(toks):
        text, kind = m.group(), m.lastgroup
        if kind == "other" and text in "()":
            depth += 1 if text == "(" else -1
            continue
        if kind == "other" and text == "{":
            word = toks[i - 1].group().upper() if i >= 1 and toks[i - 1].lastgroup == "word" else ""
            graph = i >= 2 and toks[i - 2].lastgroup == "word" and toks[i - 2].group().upper() == "GRAPH"
            outer = stack[-1] if stack else {"skip": False}
            stack.append({"open": m.end(), "base": depth, "skip": outer["skip"] or graph or word == "EXISTS",
                          "mixed": False, "blocked": False})
            continue
        if kind == "other" and text == "}":
            if stack:
                stack.pop()
            continue
        if not stack:
            continue
        group = stack[-1]
        if kind == "bnode" or (kind == "word" and text.upper() == "FILTER" and depth == group["base"]):
            group["blocked"] = True
        elif (kind == "word" and text.upper() == "UNION") or (kind == "other" and text == "|"):
            group["mixed"] = True
        elif (group["mixed"] and not group["blocked"] and not group["skip"] and depth == group["base"]
              and kind in ("var", "iri", "pname") and toks[i - 1].group() in (".", "{", "}", ")")
              and i + 4 < len(toks)):
            p_tok, op, o_tok, after = toks[i + 1:i + 5]
            if (p_tok.lastgroup in ("iri", "pname") and op.group() in ("*", "+")
                    and o_tok.lastgroup in ("var", "iri", "pname") and after.group() in (".", "}")):
                return group["open"], m.start()
    return None


def with_isolated_paths(sparql: str) -> str:
    """Virtuoso 7.2 answers nothing for a ``*``/``+`` path with both ends free that follows a
    ``UNION`` or a ``|`` path with ``^`` in its group (``hoehere-ziele``: 208 of 746 rows). What
    precedes the path in the group goes into ``{ SELECT * WHERE { … } }``: the same solutions in
    the same order of joins (no FILTER in that part, which would hold for the whole group), a
    form Virtuoso answers right. Only for Virtuoso: Oxigraph plans a sub-query apart from the
    rest, several times slower there."""
    for _ in range(32):
        cut = _free_path_after_union(sparql)
        if cut is None:
            break
        start, end = cut
        sparql = f"{sparql[:start]} {{ SELECT * WHERE {{{sparql[start:end]}}} }}\n{sparql[end:]}"
    return sparql



#: Elements after which a group's ``VALUES`` would no longer be a plain join with all of it.
_NOT_JOIN = {"OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE", "SELECT", "VALUES"}


def with_values_in_unions(sparql: str, bound: Mapping[str, str]) -> str:
    """Virtuoso 7.2 drops the rows of a UNION branch that does not name a variable the WHERE
    group's ``VALUES`` binds (``view-gebiet``: the life stages, for every Gebiet). The parameters'
    ``VALUES`` go also first into each branch of a UNION of the WHERE group (and of UNIONs within
    those branches). The same rows: the branches are joined with these values anyway (a join
    distributes over a UNION), and only branches of triples, paths, nested groups and UNIONs get
    them (an OPTIONAL, MINUS, FILTER or BIND in a branch would see them earlier than written)."""
    if not bound:
        return sparql
    names = list(bound)
    values = " VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(bound[n] for n in names) + ") } "
    root = where_start(sparql)
    toks = [m for m in _significant(sparql) if m.start() >= root]
    # Each group: start (after its "{"), the token before it, words at its top level, children.
    groups: list[dict] = []
    stack = [{"start": root, "before": "WHERE", "words": set(), "children": [], "after": ""}]
    depth = 0
    for i, m in enumerate(toks):
        text, kind = m.group(), m.lastgroup
        if kind == "other" and text in "()":
            depth += 1 if text == "(" else -1
        elif kind == "other" and text == "{":
            before = toks[i - 1].group().upper() if i else ""
            group = {"start": m.end(), "before": before, "words": set(), "children": [], "after": "", "depth": depth}
            stack[-1]["children"].append(group)
            stack.append(group)
            groups.append(group)
        elif kind == "other" and text == "}":
            if len(stack) == 1:
                break
            group = stack.pop()
            group["after"] = toks[i + 1].group().upper() if i + 1 < len(toks) else ""
        elif kind == "word" and depth == stack[-1].get("depth", 0):
            stack[-1]["words"].add(text.upper())
    inserts: list[int] = []

    def visit(group: dict) -> None:
        for child in group["children"]:
            plain = child["before"] in ("{", "}", ".", "UNION") and not child["words"] & _NOT_JOIN
            if not plain:
                continue
            if child["before"] == "UNION" or child["after"] == "UNION":
                inserts.append(child["start"])
            visit(child)

    visit(stack[0])
    for pos in sorted(inserts, reverse=True):
        sparql = sparql[:pos] + values + sparql[pos:]
    return sparql
