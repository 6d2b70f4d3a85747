"""The protocol side of the remote store (``remote``): HTTP authentication, German error
messages without passwords, reading the server's answers into pyoxigraph objects, and the query
text as sent (the project's PREFIX lines first, parameters as ``VALUES``)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from ..errors import InkoError, QueryError, QueryTimeout
from ..namespaces import PREFIXES
from .sparql_tokens import TOKEN as _TOKEN

__all__ = ["RemoteStoreError", "RemoteTimeout", "form_body", "safe_url", "where_start", "with_values"]

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


#: Query texts already found well-formed (the named queries come again and again).
_CHECKED: dict[tuple[str, str | None], None] = {}


def _check_syntax(sparql: str, base_iri: str | None) -> None:
    """Parse locally, so that a syntax error reads the same as on the embedded store (nothing is evaluated)."""
    key = (sparql, base_iri)
    if key in _CHECKED:
        return
    _syntax_checker().query(sparql, prefixes=PREFIXES, base_iri=base_iri)
    if len(_CHECKED) >= 512:
        _CHECKED.clear()
    _CHECKED[key] = None


_GRAPH_WORD = re.compile(r"\bgraph\b", re.IGNORECASE)


def _uses_graph(sparql: str) -> bool:
    """Whether the query names graphs (the keyword GRAPH outside strings, IRIs and comments)."""
    if not _GRAPH_WORD.search(sparql):
        return False
    return any(m.lastgroup == "word" and m.group().upper() == "GRAPH" for m in _TOKEN.finditer(sparql))


#: Each UTF-8 byte (as a latin-1 character) as in ``urllib.parse.quote_plus``: letters, digits and
#: ``_.-~`` as they are, space as ``+``, everything else as ``%XX``.
_FORM_BYTES = {b: chr(b) if chr(b).isascii() and (chr(b).isalnum() or chr(b) in "_.-~") else
               ("+" if b == 32 else f"%{b:02X}") for b in range(256)}


def form_body(params: list[tuple[str, str]]) -> bytes:
    """``urlencode(params)`` done by ``str.translate`` in one pass per value: a query with its
    list of graphs is 10 to 100 KB, which ``urlencode`` quotes byte by byte in Python."""
    return "&".join(f"{k}={v.encode('utf-8').decode('latin-1').translate(_FORM_BYTES)}"
                    for k, v in params).encode("ascii")


def _prologue(base_iri: str | None) -> str:
    lines = [f"BASE <{base_iri}>"] if base_iri else []
    lines += [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()]
    return "\n".join(lines) + "\n"


def _binding_term(name: str, value):
    from .embedded import _binding_term as embedded

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
    start = where_start(sparql)
    return sparql[:start] + "\n" + values + sparql[start:]


def where_start(sparql: str) -> int:
    """The position just after the ``{`` that opens the query's WHERE group."""
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
                return m.end()
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

