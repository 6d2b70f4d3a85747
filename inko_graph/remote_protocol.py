"""The protocol side of the remote store (``remote_store``): HTTP authentication, German error
messages without passwords, reading the server's answers into pyoxigraph objects, and the query
text as sent (the project's PREFIX lines first, parameters as ``VALUES``)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from .errors import InkoError, QueryError, QueryTimeout
from .namespaces import PREFIXES
from .server.limits import _TOKEN

__all__ = ["RemoteStoreError", "RemoteTimeout", "safe_url", "with_values", "class_tests", "with_class_lists", "path_triples", "with_path_lists"]

_RESULT_TYPES = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                 "application/json": ox.QueryResultsFormat.JSON,
                 "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                 "text/tab-separated-values": ox.QueryResultsFormat.TSV}
_GRAPH_TYPES = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML,
                "application/ld+json": ox.RdfFormat.JSON_LD, "application/trig": ox.RdfFormat.TRIG,
                "application/n-quads": ox.RdfFormat.N_QUADS}

class RemoteStoreError(InkoError):
    """The SPARQL server is unreachable, refused the login or answered with an error."""

    exit_code = 3


class RemoteTimeout(QueryTimeout):
    """The SPARQL server did not answer within the time limit."""


def safe_url(url: str) -> str:
    """The URL without user name and password, for messages."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def _reason(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "keine Verbindung (läuft der Server, stimmen Rechnername und Port?)"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return "die Verbindung brach ab"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "die Adresse ist keine http(s)-Adresse"
    return "die Verbindung schlug fehl"


def _snippet(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + " …"


class _Auth(httpx.Auth):
    """HTTP Basic or Digest, whichever the server asks for (Virtuoso: Digest; Fuseki, GraphDB: Basic)."""

    def __init__(self, user: str, password: str):
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request):
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        if challenge.startswith("digest"):
            self._scheme = "digest"
            flow = self._digest.auth_flow(request)
            next(flow)  # the unauthenticated request, already answered with the challenge
            try:
                retry = flow.send(response)
            except StopIteration:
                return
            response = yield retry
            try:
                flow.send(response)
            except StopIteration:
                pass
        else:
            self._scheme = "basic"
            yield from self._basic.auth_flow(request)


@lru_cache(maxsize=1)
def _syntax_checker() -> ox.Store:
    return ox.Store()


def _check_syntax(sparql: str, base_iri: str | None) -> None:
    """Parse locally, so that a syntax error reads the same as on the embedded store (nothing is evaluated)."""
    _syntax_checker().query(sparql, prefixes=PREFIXES, base_iri=base_iri)


def _prologue(base_iri: str | None) -> str:
    lines = [f"BASE <{base_iri}>"] if base_iri else []
    lines += [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()]
    return "\n".join(lines) + "\n"


def _binding_term(name: str, value):
    from .store import _binding_term as embedded

    term = embedded(name, value)
    if isinstance(term, ox.BlankNode):
        raise QueryError(f"Der Parameter {name!r} ist ein leerer Knoten; einem SPARQL-Server lässt er sich nicht übergeben.")
    return term


def with_values(sparql: str, bindings: Mapping[str, object]) -> str:
    """The query with ``VALUES`` for the bound variables as the first element of its WHERE group.

    Joined there, the values act like the embedded store's substitutions: every pattern, FILTER,
    GROUP BY and projection of the query sees the variables bound."""
    names = list(bindings)
    terms = [str(_binding_term(n, bindings[n])) for n in names]
    values = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(terms) + ") }\n"
    form = None
    skip_template = False
    braces = parens = 0
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup == "word" and form is None and m.group().upper() in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            form = m.group().upper()
            skip_template = form == "CONSTRUCT"
            continue
        if m.lastgroup == "word" and skip_template and braces == 0 and m.group().upper() == "WHERE":
            raise QueryError("Eine Abfrage der Form CONSTRUCT WHERE { … } lässt sich auf einem SPARQL-Server nicht mit "
                             "Parametern ausführen; bitte CONSTRUCT { … } WHERE { … } schreiben.")
        if m.lastgroup != "other" or form is None:
            continue
        ch = m.group()
        if ch == "(":
            parens += 1
        elif ch == ")":
            parens -= 1
        elif ch == "{" and parens == 0:
            if braces == 0 and not skip_template:
                return sparql[:m.end()] + "\n" + values + sparql[m.end():]
            braces += 1
        elif ch == "}" and parens == 0:
            braces -= 1
            if braces == 0 and skip_template:
                skip_template = False
    raise QueryError("In der Abfrage fehlt der WHERE-Teil { … }, an den die Parameter gebunden werden.")


def _form(sparql: str) -> str | None:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first such keyword outside strings, IRIs and comments."""
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup == "word" and m.group().upper() in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            return m.group().upper()
    return None


def _iri(name: str) -> str:
    return str(ox.NamedNode(name))


class _Triples:
    """The triples of a CONSTRUCT or DESCRIBE answer (iterable like pyoxigraph's ``QueryTriples``)."""

    def __init__(self, triples: list[ox.Triple]):
        self._triples = triples

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)


# -- Virtuoso: class tests as lists --------------------------------------------------------------------

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
