"""A SPARQL 1.1 server as the store: Query, Update and the Graph Store Protocol over HTTP.

Callers get the same pyoxigraph terms and result objects as from the embedded store. Three
things differ on a server and are handled here:

* **The graphs.** inko-graph keeps its graphs under ``GRAPH`` (https://w3id.org/inko/graph/);
  other graphs of the server (its system graphs, other projects) are left alone and unseen.
* **The default graph.** Queries see the union of inko-graph's graphs *as a set*, whatever the
  server's own default (Oxigraph and Virtuoso both repeat a triple once per graph that holds it,
  also for a list of ``default-graph-uri``). So the union is kept on the server as one more graph,
  ``UNION_GRAPH``, updated in the same request as every write; a query without its own dataset
  is sent with ``default-graph-uri=UNION_GRAPH`` and, if it names graphs (``GRAPH``), the named
  graphs listed (from ``REGISTRY_GRAPH``, also kept with every write). The query text is sent as
  written, after the project's PREFIX/BASE lines.
* **Writes.** New contents go into fresh staging graphs first; one update request then moves
  them into place and updates the union. On a server that runs an update request as one
  transaction (Oxigraph) that is all or nothing; on Virtuoso the request's operations are
  applied one by one (see README, "Andere SPARQL-Server").
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator, Mapping

import httpx
import pyoxigraph as ox

from ..errors import InkoError, QueryError, QueryRefused
from ..namespaces import GRAPH, PREFIXES
from ..settings import Settings, SparqlServer
from .remote_protocol import (_GRAPH_TYPES, _RESULT_TYPES, RemoteStoreError, RemoteTimeout, _Auth, _binding_term,
                              _check_syntax, _form, _iri, _prologue, _reason, _snippet, _Triples, _uses_graph, form_body,
                              safe_url, with_values)

__all__ = ["RemoteStore", "RemoteStoreError", "RemoteTimeout", "UNION_GRAPH", "REGISTRY_GRAPH", "OWN_GRAPHS", "bulk_quads"]

OWN_GRAPHS = GRAPH
UNION_GRAPH = "urn:x-inko:vereinigung"
#: The names of inko-graph's graphs (``<g> a sd:NamedGraph``), kept with every write, so that
#: listing them (needed for each query) does not scan every quad.
REGISTRY_GRAPH = "urn:x-inko:graphen"
_NAMED_GRAPH = "<http://www.w3.org/ns/sparql-service-description#NamedGraph>"
#: A new value with every write, so that other processes (a running server) see that the data changed.
_STAMP = "<urn:x-inko:stand>"
#: The number of the last journal entry the server's graphs hold (``journal.applied_seq``).
_JOURNAL = "<urn:x-inko:journal>"
#: How often a reader looks at the stamp (a request to the server, at most once in this time).
_STAMP_TTL = 1.0
_STAGING = "urn:x-inko:neu:"
#: Triples per INSERT DATA request when writing without the Graph Store Protocol.
_CHUNK = 5000
#: How long the list of graphs sent with each query may be reused (writes of other processes).
_GRAPHS_TTL = 2.0

_TRIPLE_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}
_QUAD_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
#: XML first: pyoxigraph reads it about three times faster than JSON (7915 rows: 0.32 s against 1.17 s).
_RESULTS_ACCEPT = "application/sparql-results+xml, application/sparql-results+json;q=0.9"
_OWN_FILTER = f'FILTER(STRSTARTS(STR(?g), "{OWN_GRAPHS}"))'


class RemoteStore:
    """The store on a SPARQL 1.1 server; see the module docstring."""

    remote = True
    path = None

    def __init__(self, server: SparqlServer, *, timeout: float = 60.0):
        self.server = server
        self.timeout = timeout
        self._generation = 0
        self._stamp: str | None = None
        self._stamp_read = -_STAMP_TTL
        auth = _Auth(server.user, server.password or "") if server.user else None
        self._client = httpx.Client(auth=auth, timeout=timeout, headers={"User-Agent": "inko-graph"})
        self._graphs: tuple[int, float, list[str]] | None = None
        #: Virtuoso (from its ``Server`` header): class tests go to it as lists (``_class_lists``).
        self._virtuoso: bool | None = None
        self._closures: dict[tuple, list[str]] = {}

    @property
    def generation(self) -> int:
        """Changes with every write, through this object or any other (``inko-graph build`` or an
        import in another process): the server's caches compare it on each request."""
        now = time.monotonic()
        if now - self._stamp_read >= _STAMP_TTL:
            self._stamp_read = now
            try:
                rows = self._select(f"SELECT ?v WHERE {{ GRAPH {_iri(REGISTRY_GRAPH)} {{ {_iri(REGISTRY_GRAPH)} {_STAMP} ?v }} }}",
                                    "Stand der Daten", timeout=min(2.0, self.timeout))
            except InkoError:
                rows = None  # unreachable for a moment: the next request says so itself
            if rows is not None:
                stamp = rows[0]["v"].value if rows else None
                if stamp != self._stamp:
                    self._stamp = stamp
                    self._generation += 1
        return self._generation

    @generation.setter
    def generation(self, value: int) -> None:
        self._generation = value

    def _new_stamp(self) -> list[str]:
        """The operations that give the data a new stamp (the last ones of each write request)."""
        self._stamp = uuid.uuid4().hex
        reg = _iri(REGISTRY_GRAPH)
        return [f"DELETE WHERE {{ GRAPH {reg} {{ {reg} {_STAMP} ?v }} }}",
                f'INSERT DATA {{ GRAPH {reg} {{ {reg} {_STAMP} "{self._stamp}" }} }}']

    def journal_seq(self) -> int:
        """The number of the last journal entry the server's graphs hold (0: none)."""
        reg = _iri(REGISTRY_GRAPH)
        rows = self._select(f"SELECT ?n WHERE {{ GRAPH {reg} {{ {reg} {_JOURNAL} ?n }} }}", "Stand des Journals lesen")
        return max((int(r["n"].value) for r in rows if r["n"].value.isdigit()), default=0)

    def set_journal_seq(self, seq: int) -> None:
        self._update(self._journal_ops(seq), "Stand des Journals schreiben")

    @staticmethod
    def _journal_ops(seq: int) -> list[str]:
        reg = _iri(REGISTRY_GRAPH)
        return [f"DELETE WHERE {{ GRAPH {reg} {{ {reg} {_JOURNAL} ?n }} }}",
                f'INSERT DATA {{ GRAPH {reg} {{ {reg} {_JOURNAL} "{int(seq)}" }} }}']

    @classmethod
    def from_settings(cls, settings: Settings) -> "RemoteStore":
        return cls(settings.sparql_server, timeout=max(60.0, settings.query_timeout))

    def __repr__(self) -> str:
        return f"RemoteStore({safe_url(self.server.query_url)!r})"

    def close(self) -> None:
        self._client.close()

    def __del__(self):
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()

    # -- HTTP ---------------------------------------------------------------------------------
    def _send(self, method: str, url: str, what: str, *, timeout: float | None = None, **kw) -> httpx.Response:
        shown = safe_url(url.split("?", 1)[0])
        limit = self.timeout if timeout is None else timeout
        try:
            r = self._client.request(method, url, timeout=limit, **kw)
        except httpx.TimeoutException:
            raise RemoteTimeout(f"Der SPARQL-Server {shown} hat nicht innerhalb von {limit:g} s geantwortet ({what}).") from None
        except httpx.HTTPError as e:
            raise RemoteStoreError(f"Der SPARQL-Server {shown} ist nicht erreichbar ({what}): {_reason(e)}.") from None
        if self._virtuoso is None:
            self._virtuoso = r.headers.get("server", "").lower().startswith("virtuoso")
        if r.status_code in (401, 403):
            raise RemoteStoreError(
                f"Der SPARQL-Server {shown} hat die Anmeldung abgelehnt ({what}, HTTP {r.status_code}): Benutzername oder "
                "Passwort (INKO_SPARQL_USER, INKO_SPARQL_PASSWORD) stimmen nicht, oder dem Benutzer fehlt das Recht dazu.")
        if r.status_code >= 400:
            message = f"Der SPARQL-Server {shown} meldet einen Fehler ({what}, HTTP {r.status_code}): {_snippet(r.text)}"
            if self.server.password:
                message = message.replace(self.server.password, "…")
            raise (QueryError if r.status_code == 400 and what in ("Abfrage", "Änderung") else RemoteStoreError)(message)
        return r

    def _update(self, operations: list[str], what: str) -> None:
        if operations:
            self._send("POST", self.server.update_url, what, data={"update": " ;\n".join(operations)})

    # -- reading ------------------------------------------------------------------------------
    def raw_query(self, sparql: str, *, prefixes=None, base_iri: str | None = None, default_graph=None,
                  use_default_graph_as_union: bool = False, named_graphs=None, substitutions=None,
                  timeout: float | None = None):
        """Like ``pyoxigraph.Store.query`` (the keywords the query workers use), on the server."""
        _check_syntax(sparql, base_iri)
        if substitutions:
            sparql = with_values(sparql, {v.value: t for v, t in substitutions.items()})
        params: list[tuple[str, str]] = [("query", _prologue(base_iri) + sparql)]
        # inko-graph's graphs as the named graphs only for a query that names graphs (GRAPH): for
        # the others the list (one more request when it is old) and its 165 to 1625 parameters
        # would change nothing.
        own_named = named_graphs is None and _uses_graph(sparql)
        if default_graph is not None:
            params += [("default-graph-uri", g.value) for g in default_graph]
            if own_named:
                params += [("named-graph-uri", g) for g in self._graph_list()]
        elif use_default_graph_as_union:
            params.append(("default-graph-uri", UNION_GRAPH))
            if own_named:
                params += [("named-graph-uri", g) for g in self._graph_list()]
        if named_graphs is not None:
            params += [("named-graph-uri", g.value) for g in named_graphs]
        if self._virtuoso is None:
            self._send("POST", self.server.query_url, "Art des Servers", data={"query": "ASK {}"},
                       headers={"Accept": _RESULTS_ACCEPT})  # _send reads the Server header
        if self._virtuoso:
            from .remote_virtuoso import adapt, with_dataset

            sparql = adapt(self, sparql, params[1:], timeout, {v.value: str(t) for v, t in (substitutions or {}).items()})
            params = [("query", with_dataset(_prologue(base_iri) + sparql, params[1:]))]
        else:
            params[0] = ("query", _prologue(base_iri) + sparql)
        form = _form(sparql)
        accept = ("application/n-triples, text/turtle;q=0.9" if form in ("CONSTRUCT", "DESCRIBE")
                  else _RESULTS_ACCEPT)
        r = self._send("POST", self.server.query_url, "Abfrage", timeout=timeout, content=form_body(params),
                       headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if ctype in _RESULT_TYPES:
                return ox.parse_query_results(r.content, _RESULT_TYPES[ctype])
            if ctype in _GRAPH_TYPES:
                return _Triples([ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(r.content, _GRAPH_TYPES[ctype])])
        except SyntaxError as e:
            raise RemoteStoreError(f"Die Antwort des SPARQL-Servers {safe_url(self.server.query_url)} ist nicht lesbar: {e}") from None
        raise RemoteStoreError(f"Der SPARQL-Server {safe_url(self.server.query_url)} antwortete im unbekannten Format {ctype!r}.")

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
              union: bool = True, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, base_iri: str | None = None, timeout: float | None = None):
        kwargs: dict = {"prefixes": PREFIXES, "base_iri": base_iri, "timeout": timeout}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = union
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if bindings:
            kwargs["substitutions"] = {ox.Variable(k): _binding_term(k, v) for k, v in bindings.items()}
        try:
            return self.raw_query(sparql, **kwargs)
        except SyntaxError as e:
            raise QueryError(f"SPARQL-Syntaxfehler: {e}") from None

    def engine(self, timeout: float) -> "_Engine":
        """What the endpoint's query pool runs a job on: ``query`` with pyoxigraph's keywords."""
        return _Engine(self, timeout)

    def _select(self, sparql: str, what: str, timeout: float | None = None) -> list[ox.QuerySolution]:
        r = self._send("POST", self.server.query_url, what, timeout=timeout, data={"query": sparql},
                       headers={"Accept": _RESULTS_ACCEPT})
        ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
        guess = ox.QueryResultsFormat.XML if r.content.lstrip()[:1] == b"<" else ox.QueryResultsFormat.JSON
        return list(ox.parse_query_results(r.content, _RESULT_TYPES.get(ctype, guess)))

    def graph_names(self) -> list[str]:
        rows = self._select(f"SELECT ?g WHERE {{ GRAPH {_iri(REGISTRY_GRAPH)} {{ ?g a {_NAMED_GRAPH} }} {_OWN_FILTER} }}",
                            "Liste der Graphen")
        if not rows:  # data written by other means than inko-graph: look at every quad
            rows = self._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OWN_FILTER} }}", "Liste der Graphen")
        names = sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))
        self._graphs = (self._generation, time.monotonic(), names)
        return names

    def _graph_list(self) -> list[str]:
        cached = self._graphs
        if cached and cached[0] == self._generation and time.monotonic() - cached[1] < _GRAPHS_TTL:
            return cached[2]
        return self.graph_names()

    def _graph_triples(self, graph: str) -> list[ox.Triple]:
        if self.server.graph_store_url:
            r = self._send("GET", self.server.graph_store_url, f"Graph {graph} lesen", params={"graph": graph},
                           headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
            if r.status_code == 204 or not r.content:
                return []
            ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
            fmt = _GRAPH_TYPES.get(ctype, ox.RdfFormat.TURTLE)
        else:
            r = self._send("POST", self.server.query_url, f"Graph {graph} lesen",
                           data={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}"},
                           headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
            ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
            fmt = _GRAPH_TYPES.get(ctype, ox.RdfFormat.TURTLE)
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(r.content, fmt)]

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        names = [graph] if graph else self.graph_names()
        for name in names:
            g = ox.NamedNode(name)
            for t in self._graph_triples(name):
                yield ox.Quad(t.subject, t.predicate, t.object, g)

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        prefixes = PREFIXES if fmt in ("turtle", "trig", "rdfxml") else None
        if fmt in _TRIPLE_FORMATS:
            # The whole dataset in a triple format: the union of all graphs, which the server keeps.
            triples = self._graph_triples(graph or UNION_GRAPH)
            return ox.serialize(triples, format=_TRIPLE_FORMATS[fmt], prefixes=prefixes)
        return ox.serialize(list(self.quads(graph)), format=_QUAD_FORMATS[fmt], prefixes=prefixes)

    def __len__(self) -> int:
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OWN_FILTER} }}", "Zählen")
        return int(rows[0]["n"].value) if rows else 0

    # -- writing ------------------------------------------------------------------------------
    @staticmethod
    def _check_own(names: Iterable[str]) -> None:
        for name in names:
            if not name.startswith(OWN_GRAPHS):
                raise QueryRefused(f"Auf einem SPARQL-Server schreibt inko-graph nur Graphen unter {OWN_GRAPHS}, "
                                   f"nicht {name}.")

    def _stage(self, graphs: Mapping[str, Iterable[ox.Triple]]) -> dict[str, str | None]:
        """Write each content into a fresh staging graph; ``None`` for an empty one. On failure none remain."""
        token = uuid.uuid4().hex[:12]
        staged: dict[str, str | None] = {}
        try:
            for i, (name, triples) in enumerate(graphs.items()):
                triples = list(triples)
                if not triples:
                    staged[name] = None
                    continue
                tmp = f"{_STAGING}{token}:{i}"
                staged[name] = tmp
                self._put(tmp, triples)
        except BaseException:
            self._drop_quietly([t for t in staged.values() if t])
            raise
        return staged

    def _put(self, graph: str, triples: list[ox.Triple]) -> None:
        what = f"neuen Inhalt für {graph} schreiben"
        if self.server.graph_store_url:
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            # N-Triples is Turtle; text/turtle is what every Graph Store implementation accepts.
            self._send("PUT", self.server.graph_store_url, what, params={"graph": graph}, content=body,
                       headers={"Content-Type": "text/turtle; charset=utf-8"})
            return
        # Blank nodes keep their identity only within one request: such graphs go in one piece.
        has_bnodes = any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)
        step = len(triples) if has_bnodes else _CHUNK
        for start in range(0, len(triples), step):
            body = " .\n".join(f"{t.subject} {t.predicate} {t.object}" for t in triples[start:start + step])
            self._update([f"INSERT DATA {{ GRAPH {_iri(graph)} {{\n{body} .\n}} }}"], what)

    def _drop_quietly(self, graphs: list[str]) -> None:
        try:
            self._update([f"DROP SILENT GRAPH {_iri(g)}" for g in graphs], "Zwischengraphen entfernen")
        except InkoError:
            pass  # the server is gone; staging graphs are not part of the data (not under OWN_GRAPHS)

    def _swap(self, operations: list[str], staged: dict[str, str | None], what: str) -> None:
        try:
            self._update(operations + self._new_stamp(), what)
        except InkoError as e:
            self._drop_quietly([t for t in staged.values() if t])
            self._generation += 1  # a server without transactions may hold part of it: forget what was cached
            raise type(e)(f"{e} Ein Server, der eine Update-Anfrage nicht als Ganzes ausführt (Virtuoso), kann "
                          "einen Teil davon übernommen haben; bitte denselben Schritt wiederholen (z. B. inko-graph build).") from None
        except BaseException:
            self._drop_quietly([t for t in staged.values() if t])
            raise
        self._generation += 1

    @staticmethod
    def _moves(staged: dict[str, str | None]) -> list[str]:
        """Each staging graph into its place. What MOVE does, but spelled out: Oxigraph copies
        this way about four times faster than with MOVE on a store on disk."""
        ops = []
        for name, tmp in staged.items():
            ops.append(f"DROP SILENT GRAPH {_iri(name)}")
            if tmp:
                ops.append(f"INSERT {{ GRAPH {_iri(name)} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {_iri(tmp)} {{ ?s ?p ?o }} }}")
                ops.append(f"DROP SILENT GRAPH {_iri(tmp)}")
        return ops

    @staticmethod
    def _union_remove(names: list[str]) -> str:
        """Remove from the union the triples of ``names`` that no other graph holds."""
        others = ", ".join(_iri(n) for n in names)
        return (f"DELETE {{ GRAPH {_iri(UNION_GRAPH)} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?r {{ {' '.join(_iri(n) for n in names)} }} "
                f"GRAPH ?r {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} {_OWN_FILTER} FILTER(?g NOT IN ({others})) }} }}")

    @staticmethod
    def _union_add(names: list[str]) -> str:
        return (f"INSERT {{ GRAPH {_iri(UNION_GRAPH)} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?r {{ {' '.join(_iri(n) for n in names)} }} "
                f"GRAPH ?r {{ ?s ?p ?o }} }}")

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Triple]]) -> None:
        """Replace the named graphs given: staged first, then one update request (see module docstring)."""
        if not graphs:
            return
        self._check_own(graphs)
        staged = self._stage(graphs)
        names = list(staged)
        ops = [self._union_remove(names)] + self._moves(staged)
        filled = [n for n, t in staged.items() if t]
        if filled:
            ops.append(self._union_add(filled))
        ops.append(self._registry("DELETE", names))
        if filled:
            ops.append(self._registry("INSERT", filled))
        self._swap(ops, staged, "Graphen ersetzen")

    @staticmethod
    def _registry(verb: str, names: list[str]) -> str:
        body = " ".join(f"{_iri(n)} a {_NAMED_GRAPH} ." for n in names)
        return f"{verb} DATA {{ GRAPH {_iri(REGISTRY_GRAPH)} {{ {body} }} }}"

    def drop_graphs(self, names: Iterable[str]) -> None:
        names = list(names)
        if names:
            self._check_own(names)
            self.replace_graphs({n: [] for n in names})

    def replace_all(self, graphs: Mapping[str, Iterable[ox.Triple]], *, journal_seq: int = 0) -> None:
        """The build: these graphs become all of inko-graph's graphs on the server, with a new union,
        marked (in the same request) as holding the journal up to entry ``journal_seq``."""
        graphs = {name: list(triples) for name, triples in graphs.items()}
        self._check_own(graphs)
        union = list({t for triples in graphs.values() for t in triples})
        old = [g for g in self.graph_names() if g not in graphs]
        staged = self._stage({**graphs, UNION_GRAPH: union})
        ops = [f"DROP SILENT GRAPH {_iri(g)}" for g in old] + self._moves(staged)
        ops += [f"DROP SILENT GRAPH {_iri(REGISTRY_GRAPH)}"]
        filled = [n for n, t in staged.items() if t and n != UNION_GRAPH]
        if filled:
            ops.append(self._registry("INSERT", filled))
        ops += self._journal_ops(journal_seq)[1:]
        self._swap(ops, staged, "Graphen austauschen")

    def load_quads(self, quads: Iterable[ox.Quad]) -> None:
        graphs: dict[str, list[ox.Triple]] = {}
        for q in quads:
            graphs.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
        self.replace_graphs(graphs)

    def update(self, text: str, base_iri: str | None = None) -> None:
        """A SPARQL update as written (the write endpoint), then the union made anew from all graphs."""
        self._update([(f"BASE <{base_iri}>\n" if base_iri else "") + text], "Änderung")
        self._generation += 1
        self._update([f"DROP SILENT GRAPH {_iri(UNION_GRAPH)}",
                      f"INSERT {{ GRAPH {_iri(UNION_GRAPH)} {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OWN_FILTER} }}",
                      f"DELETE WHERE {{ GRAPH {_iri(REGISTRY_GRAPH)} {{ ?g a {_NAMED_GRAPH} }} }}",
                      f"INSERT {{ GRAPH {_iri(REGISTRY_GRAPH)} {{ ?g a {_NAMED_GRAPH} }} }} WHERE "
                      f"{{ SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OWN_FILTER} }} }}"] + self._new_stamp(),
                     "Vereinigung und Liste der Graphen erneuern")

    def flush(self) -> None:
        """Nothing to do: the server keeps its data itself."""


def bulk_quads(graphs: Mapping[str, Iterable[ox.Triple]], *, journal_seq: int = 0) -> Iterator[ox.Quad]:
    """What ``replace_all`` leaves on the server, as quads for the server's own bulk loader
    (``oxigraph load``, Virtuoso's ``ld_dir``/``rdf_loader_run``) into an empty store: the graphs,
    their union as a set, the list of graphs, a stamp and the journal's number. Much faster for
    millions of triples than staging graphs and a swap through the protocol."""
    union_g, reg = ox.NamedNode(UNION_GRAPH), ox.NamedNode(REGISTRY_GRAPH)
    union: set[ox.Triple] = set()
    filled = []
    for name, triples in graphs.items():
        RemoteStore._check_own([name])
        g, before = ox.NamedNode(name), len(filled)
        for t in triples:
            union.add(t)
            yield ox.Quad(t.subject, t.predicate, t.object, g)
            if len(filled) == before:
                filled.append(g)  # listed only with triples, as replace_all does
    for t in union:
        yield ox.Quad(t.subject, t.predicate, t.object, union_g)
    kind, a = ox.NamedNode(_NAMED_GRAPH[1:-1]), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for g in filled:
        yield ox.Quad(g, a, kind, reg)
    yield ox.Quad(reg, ox.NamedNode(_STAMP[1:-1]), ox.Literal(uuid.uuid4().hex), reg)
    yield ox.Quad(reg, ox.NamedNode(_JOURNAL[1:-1]), ox.Literal(str(int(journal_seq))), reg)


class _Engine:
    def __init__(self, store: RemoteStore, timeout: float):
        self._store = store
        self._timeout = timeout

    def query(self, sparql: str, **kwargs):
        return self._store.raw_query(sparql, timeout=self._timeout, **kwargs)


def carry_over_imports(settings: Settings, ds, prefixes: tuple[str, ...]) -> int:
    """Add the imported graphs on the server to ``ds``, so that a rebuild loses no submission
    (validated again with everything else, like on the embedded store)."""
    store = RemoteStore.from_settings(settings)
    carried = 0
    for name in store.graph_names():
        if name.startswith(prefixes) and name not in ds.graphs:
            ds.add(name, [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(name)])
            carried += 1
    store.close()
    return carried
