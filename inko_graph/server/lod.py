"""Linked data: every IRI under the base answers here, as a German page or as RDF.

``/id/…`` are the resources, ``/def`` the ontology (its terms are ``/def#Begriff``), ``/graph/…``
the named graphs. The format follows the ``Accept`` header or a file suffix (``.html``, ``.ttl``,
``.jsonld``, ``.nt``, ``.rdf``); the answer is always a direct 200 with ``Content-Location``
and ``Vary: Accept`` (no 303 redirects). Also here: the VoID/DCAT description
(``/.well-known/void``), the dumps (``/download/inko.*``), the downloads page and the SPARQL 1.1
Graph Store Protocol (``/rdf-graphs/service``), read-only unless a write token is configured.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from ..errors import InputError, QueryRefused
from ..export.dumps import (DCAT_AP_DE_PROFILES, DUMPS, LICENSE, LICENSE_LABEL, check_personal_data, dataset_description, dump,
                            dump_sizes, graph_stats, query_text)
from ..namespaces import GRAPH, PREFIXES
from ..namespaces import shorten as _shorten
from . import openapi_docs as docs
from .negotiation import FORMATS, by_suffix, negotiate
from .results import graph_bytes
from .templating import render, safe_href

__all__ = ["router", "setup", "describe"]

from .resource_page import (_graph_badge, describe, graph_description, graph_names, json_ld_block,  # noqa: E402
                            kind_word, main_view, render_with_gebiet)

router = APIRouter()
shorten = lru_cache(maxsize=8192)(_shorten)


def setup(app) -> None:
    from .middleware import add_fast_route

    add_fast_route(app, "/id/", ("GET", "HEAD"), id_resource, prefix=True)
    add_fast_route(app, "/def", ("GET", "HEAD"), ontology)
    add_fast_route(app, "/def.", ("GET", "HEAD"), ontology_file, prefix=True)
    add_fast_route(app, "/graph/", ("GET", "HEAD"), graph_page, prefix=True)

_OFFERS = ("html", "turtle", "jsonld", "ntriples", "rdfxml")
_RDF_OFFERS = ("turtle", "jsonld", "ntriples", "rdfxml")
_SUFFIXES = (".html", ".ttl", ".jsonld", ".nt", ".rdf")
_P = PREFIXES
_GOAL_CLASSES = {_P["inko"] + k for k in ("Ziel", "Leitziel", "Teilziel", "Jahresziel", "Monitoringziel", "Leitthema")}
_ACTOR_CLASSES = {_P["org"] + "Organization", _P["org"] + "FormalOrganization", _P["inko"] + "Gremium"}
_TERM_KIND = {_P["owl"] + "Class": "Klasse", _P["owl"] + "ObjectProperty": "Beziehung",
              _P["owl"] + "DatatypeProperty": "Angabe", _P["owl"] + "AnnotationProperty": "Anmerkung"}


def _fresh(request: Request) -> None:
    from .freshness import ensure_fresh

    ensure_fresh(request.app)


def _named(request: Request, name: str) -> str:
    return query_text(request.app.state.settings, name)


def _stats(request: Request):
    app = request.app
    return graph_stats(app.state.store, app.state.settings, cache=app.state.cache)


# -- negotiation helpers --------------------------------------------------------------------------

def _split(rest: str) -> tuple[str, str | None]:
    for suffix in _SUFFIXES:
        if rest.endswith(suffix) and len(rest) > len(suffix):
            return rest[: -len(suffix)], by_suffix(suffix).key
    return rest, None


def _format(request: Request, fixed: str | None, offers=_OFFERS):
    if fixed:
        return FORMATS[fixed]
    fmt = negotiate(request.headers.get("accept"), offers)
    if fmt is None:
        raise HTTPException(406, "Diese Ressource gibt es als HTML, Turtle, JSON-LD, N-Triples und RDF/XML.")
    return fmt


def _alternates(path: str) -> str:
    return ", ".join(f'<{path}{FORMATS[k].suffix}>; rel="alternate"; type="{FORMATS[k].media_type}"'
                     for k in _OFFERS)


def _page_data(request: Request, iri: str) -> str:
    triples = list(request.app.state.store.query(_named(request, "lod-beschreibung"), {"ressource": ox.NamedNode(iri)}))
    return json_ld_block(triples)


def _extras(request: Request, iri: str, d: dict) -> dict:
    """The main view, the table "Wer dient welchem Ziel" for a goal or an actor (the cockpit's), and
    the page's data as JSON-LD."""
    from .serves import serves_table

    m = main_view(request, iri, d)
    kinds = {t.get("iri") for t in d["types"]}
    table = None
    units: list[dict] = []
    if kinds & _GOAL_CLASSES:
        table = serves_table(request, ziel=iri)
        shown = {_P["inko"] + "dient"}
    elif kinds & _ACTOR_CLASSES:
        table = serves_table(request, akteur=iri)
        shown = {_P["inko"] + k for k in ("zustaendig", "traeger", "beteiligt", "umsetzungsschritt")}
        # One organisation, one actor: what its sub-units do is shown under it.
        for e in d["incoming"]:
            if e["iri"] == _P["org"] + "subOrganizationOf":
                for v in e["werte"]:
                    sub = serves_table(request, akteur=v["iri"])
                    if sub["zeilen"]:
                        units.append({"name": v["text"], "href": v["href"], "tabelle": {**sub, "ueberschrift": None}})
    if table is not None:
        m["eingehend"] = [e for e in m["eingehend"] if e["iri"] not in shown]
    from .views import im_netz

    m["im_netz"] = im_netz(request.app, iri)  # only what a network view can show is linked to one
    return {"m": m, "dient": table, "untereinheiten": units, "jsonld": _page_data(request, iri)}


def _rdf_response(body: bytes, fmt, path: str, negotiated: bool) -> Response:
    headers = {"Vary": "Accept", "Link": _alternates(path)}
    if negotiated:
        headers["Content-Location"] = path + fmt.suffix
    return Response(body, media_type=fmt.content_type, headers=headers)


def _not_found(request: Request, iri: str):
    from .http_errors import error_response

    return error_response(request, 404, f"Die Ressource {iri} ist in diesem Graphen nicht bekannt.")


# -- resources ------------------------------------------------------------------------------------

async def _resource(request: Request, rest: str):
    _fresh(request)
    base = request.app.state.settings.base_iri
    store = request.app.state.store
    stem, fixed = _split(rest)
    if fixed and not _known(store, request, base + stem) and _known(store, request, base + rest):
        stem, fixed = rest, None  # the suffix is part of the IRI itself
    fmt = _format(request, fixed)
    try:
        ox.NamedNode(base + stem)
    except ValueError:
        return _not_found(request, base + stem)  # not even a valid IRI (e.g. a space in the path)
    return await _resource_answer(request, base + stem, stem, fmt, fixed)


async def _resource_answer(request: Request, iri: str, stem: str, fmt, fixed):
    store = request.app.state.store
    path = "/" + quote(stem, safe="/:@!$&'()*+,;=-._~%")
    if fmt.key == "html":
        d = describe(request, iri)
        if d is None:
            return _not_found(request, iri)
        extras = _extras(request, iri, d)
        return render_with_gebiet(request, "resource.html.j2", title=extras["m"]["titel"], r=d, page_path=path,
                                  **extras, headers={"Vary": "Accept", "Link": _alternates(path)})
    triples = list(store.query(_named(request, "lod-beschreibung"), {"ressource": ox.NamedNode(iri)}))
    if not triples:
        return _not_found(request, iri)
    return _rdf_response(graph_bytes(fmt.key, triples), fmt, path, fixed is None)


def _known(store, request: Request, iri: str) -> bool:
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return bool(store.query(_named(request, "lod-bekannt"), {"ressource": node}))


@router.get("/id/{rest:path}", response_class=Response, responses=docs.answers(docs.GRAPHS, 404, 406))
@router.head("/id/{rest:path}", include_in_schema=False)
async def id_resource(request: Request, rest: str):
    return await _resource(request, "id/" + rest)


@router.get("/def", response_class=Response, responses=docs.answers(docs.GRAPHS, 406))
@router.head("/def", include_in_schema=False)
async def ontology(request: Request):
    return await _ontology(request, None)


@router.get("/def.{ext}", response_class=Response, responses=docs.answers(docs.GRAPHS, 404))
@router.head("/def.{ext}", include_in_schema=False)
async def ontology_file(request: Request, ext: str):
    fmt = by_suffix(ext)
    if fmt is None or fmt.key not in _OFFERS:
        raise HTTPException(404, f"Die Ontologie gibt es nicht als .{ext}; möglich: .html, .ttl, .jsonld, .nt, .rdf.")
    return await _ontology(request, fmt.key)


async def _ontology(request: Request, fixed: str | None):
    _fresh(request)
    fmt = _format(request, fixed)
    return await _ontology_answer(request, fmt, fixed)


async def _ontology_answer(request: Request, fmt, fixed: str | None):
    base = request.app.state.settings.base_iri
    store = request.app.state.store
    iri = base + "def"
    if fmt.key == "html":
        d = describe(request, iri)
        if d is None:
            return _not_found(request, iri)
        terms = []
        for sol in store.query(_named(request, "lod-begriffe")):
            t = sol["begriff"].value
            terms.append({"iri": t, "anchor": t.rsplit("#", 1)[-1], "short": shorten(t),
                          "kind": _TERM_KIND.get(sol["art"].value, shorten(sol["art"].value)) if sol["art"] else "",
                          "label": sol["label"].value if sol["label"] else shorten(t),
                          "definition": sol["definition"].value if sol["definition"] else ""})
        ontology = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(GRAPH + "ontologie")]
        return render(request, "resource.html.j2", title=d["title"], r=d, terms=terms, page_path="/def",
                      jsonld=json_ld_block(ontology), headers={"Vary": "Accept", "Link": _alternates("/def")})
    body = store.dump(fmt.key, GRAPH + "ontologie")
    return _rdf_response(body, fmt, "/def", fixed is None)


# -- named graphs ---------------------------------------------------------------------------------

@router.get("/graph/{rest:path}", response_class=Response, responses=docs.answers(docs.GRAPHS, 404, 406))
@router.head("/graph/{rest:path}", include_in_schema=False)
async def graph_page(request: Request, rest: str):
    _fresh(request)
    base = request.app.state.settings.base_iri
    stats = _stats(request)
    stem, fixed = _split(rest)
    if fixed and stats.graph(base + "graph/" + stem) is None:
        stem, fixed = rest, None
    iri = base + "graph/" + stem
    info = stats.graph(iri)
    fmt = _format(request, fixed)
    if info is None:
        return _not_found(request, iri)
    return await _graph_answer(request, iri, stem, info, fmt, fixed)


async def _graph_answer(request: Request, iri: str, stem: str, info, fmt, fixed):
    base = request.app.state.settings.base_iri
    path = "/graph/" + quote(stem, safe="/:@!$&'()*+,;=-._~%")
    if fmt.key != "html":
        body = await asyncio.to_thread(_graph_with_description, request, iri, info, fmt.key)
        return _rdf_response(body, fmt, path, fixed is None)
    store = request.app.state.store
    members = []
    for sol in store.query(_named(request, "lod-graph-ressourcen"), {"graph": ox.NamedNode(iri)}):
        members.append({"iri": sol["s"].value, "href": safe_href(sol["s"].value, base),
                        "label": sol["label"].value if sol["label"] else shorten(sol["s"].value),
                        "kind": sol["artname"].value if sol["artname"] else kind_word(sol["art"].value if sol["art"] else "")})
    d = describe(request, iri)
    source = None
    if info.source:
        title = graph_names(request).get(iri, {}).get("name") or info.source
        source = {"text": title, "href": safe_href(info.source, base)}
    return render(request, "resource.html.j2", title=info.label or shorten(iri), r=d or _empty(iri, info),
                  graph=info, graph_source=source, licence={"text": LICENSE_LABEL, "href": LICENSE},
                  members=members[:2000], members_truncated=len(members) > 2000, page_path=path,
                  jsonld=json_ld_block(graph_description(request, iri, info)),
                  headers={"Vary": "Accept", "Link": _alternates(path)})


def _graph_with_description(request: Request, iri: str, info, key: str) -> bytes:
    store = request.app.state.store
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(iri)}
    triples.update(graph_description(request, iri, info))
    return graph_bytes(key, list(triples))


def _empty(iri: str, info) -> dict:
    return {"iri": iri, "title": info.label or iri, "types": [], "properties": [], "incoming": [],
            "incoming_truncated": False, "provenance": [], "graphs": []}


# -- dataset description and dumps ----------------------------------------------------------------

@router.get("/.well-known/void", response_class=Response, responses=docs.answers(docs.GRAPHS, 406))
@router.head("/.well-known/void", include_in_schema=False)
async def void(request: Request):
    _fresh(request)
    fmt = _format(request, None, _RDF_OFFERS)
    app = request.app
    sizes = await asyncio.to_thread(dump_sizes, app.state.store, app.state.cache)
    profile = request.query_params.get("profil", "3.0")
    if profile not in DCAT_AP_DE_PROFILES:
        raise HTTPException(400, f"Unbekanntes DCAT-AP.de-Profil {profile!r}; möglich: {', '.join(DCAT_AP_DE_PROFILES)}.")
    triples = dataset_description(app.state.store, app.state.settings, _stats(request), sizes, profile)
    return Response(graph_bytes(fmt.key, triples), media_type=fmt.content_type, headers={"Vary": "Accept"})


async def _checked_dump(app, key: str) -> bytes:
    cache = app.state.cache
    if "personal_data_checked" not in cache:
        await asyncio.to_thread(check_personal_data, app.state.store)
        cache["personal_data_checked"] = True
    ck = f"dump:{key}"
    if ck not in cache:
        cache[ck] = await asyncio.to_thread(dump, app.state.store, key)
    return cache[ck]


@router.get("/download/{filename}", response_class=Response, responses=docs.answers(docs.DATASETS, 404, 500))
@router.head("/download/{filename}", include_in_schema=False)
async def download(request: Request, filename: str):
    _fresh(request)
    stem, _, key = filename.partition(".")
    if stem == "void" and key == "ttl":
        app = request.app
        sizes = await asyncio.to_thread(dump_sizes, app.state.store, app.state.cache)
        body = graph_bytes("turtle", dataset_description(app.state.store, app.state.settings, _stats(request), sizes))
        return Response(body, media_type=FORMATS["turtle"].content_type,
                        headers={"Content-Disposition": 'attachment; filename="void.ttl"'})
    if stem != "inko" or key not in DUMPS:
        raise HTTPException(404, f"Die Datei {filename} gibt es nicht; möglich: "
                                 + ", ".join(f"inko.{k}" for k in DUMPS) + ", void.ttl.")
    body = await _checked_dump(request.app, key)
    media = DUMPS[key][1]
    ctype = media + "; charset=utf-8" if media.startswith("text/") else media
    return Response(body, media_type=ctype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/downloads", response_class=Response, responses=docs.answers(docs.HTML))
@router.head("/downloads", include_in_schema=False)
async def downloads_page(request: Request):
    _fresh(request)
    stats = _stats(request)
    base = request.app.state.settings.base_iri
    graphs = [{**_graph_badge(g.iri, stats, base), "triples": g.triples, "resources": g.resources,
               "path": safe_href(g.iri, base)} for g in stats.graphs]
    dumps = [{"file": f"inko.{k}", "label": v[3], "media": v[1]} for k, v in DUMPS.items()]
    return render(request, "downloads.html.j2", title="Downloads und Schnittstellen", stats=stats, graphs=graphs,
                  dumps=dumps)


# -- SPARQL 1.1 Graph Store Protocol --------------------------------------------------------------

_GSP_OFFERS = ("turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads")


def _gsp_target(request: Request) -> str | None:
    """The graph IRI of ``?graph=``, or ``None`` for ``?default``."""
    params = request.query_params
    graphs = params.getlist("graph")
    if "default" in params and not graphs:
        return None
    if len(graphs) != 1 or "default" in params:
        raise InputError("Bitte genau eines angeben: ?graph=<IRI> oder ?default.")
    try:
        ox.NamedNode(graphs[0])
    except ValueError:
        raise InputError(f"{graphs[0]!r} ist keine gültige IRI.") from None
    return graphs[0]


@router.get("/rdf-graphs/service", response_class=Response, responses=docs.answers(docs.DATASETS, 400, 404, 406),
            openapi_extra=docs.query_params("graph", "default"))
@router.head("/rdf-graphs/service", include_in_schema=False)
async def gsp_get(request: Request):
    _fresh(request)
    target = _gsp_target(request)
    fmt = _format(request, None, _GSP_OFFERS[:4])
    store = request.app.state.store
    if target is None:
        # The default graph is the union of all graphs, as for SPARQL queries (sd:UnionDefaultGraph).
        key = {"turtle": "ttl", "ntriples": "nt"}.get(fmt.key)
        if key:
            body = await _checked_dump(request.app, key)
        else:
            triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads()}
            body = await asyncio.to_thread(graph_bytes, fmt.key, triples)
    else:
        if _stats(request).graph(target) is None:
            raise HTTPException(404, f"Den Graphen {target} gibt es nicht.")
        body = await asyncio.to_thread(store.dump, fmt.key, target)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


_RDF_IN = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML}


@router.put("/rdf-graphs/service", response_class=Response, openapi_extra=docs.write_request(body=True),
            responses=docs.answers(None, 400, 401, 403, 404, 405, 413, 415, 422, 503, ok_status=201, also=docs.NO_CONTENT))
@router.post("/rdf-graphs/service", response_class=Response, openapi_extra=docs.write_request(body=True),
             responses=docs.answers(None, 400, 401, 403, 404, 405, 413, 415, 422, 503, ok_status=201, also=docs.NO_CONTENT))
@router.delete("/rdf-graphs/service", response_class=Response, openapi_extra=docs.write_request(body=False),
               responses=docs.answers(None, 400, 401, 403, 404, 405, 503, ok_status=204))
async def gsp_write(request: Request):
    from ..store import journal
    from .freshness import data_changed
    from .sparql import _content_type, _read_body, check_token

    settings = request.app.state.settings
    if not settings.write_token:
        raise HTTPException(405, "Dieser Server ist nur zum Lesen da; Graphen lassen sich hier nicht ändern.",
                            headers={"Allow": "GET, HEAD, OPTIONS"})
    check_token(request)
    target = _gsp_target(request)
    if target is None:
        raise QueryRefused("Der Standardgraph ist die Vereinigung aller Graphen und lässt sich nicht direkt ändern; "
                           "bitte ?graph=<IRI> angeben.")
    store = request.app.state.store
    if request.method == "DELETE":
        if _stats(request).graph(target) is None:
            raise HTTPException(404, f"Den Graphen {target} gibt es nicht.")
        await asyncio.to_thread(journal.commit, settings, store, drop=[target], kind="graph-store",
                                meta={"methode": "DELETE", "graph": target})
        data_changed(request.app)
        return Response(status_code=204)
    ctype, _ = _content_type(request)
    if ctype not in _RDF_IN:
        raise HTTPException(415, "Bitte Turtle, N-Triples, JSON-LD oder RDF/XML senden.")
    body = await _read_body(request, settings.max_upload_bytes)
    fresh: dict[str, ox.BlankNode] = {}

    def own(term):
        # A document's blank nodes are its own: "_:b0" of two requests are two nodes, not one.
        return fresh.setdefault(term.value, ox.BlankNode()) if isinstance(term, ox.BlankNode) else term

    try:
        triples = [ox.Triple(own(q.subject), q.predicate, own(q.object))
                   for q in ox.parse(body, format=_RDF_IN[ctype], base_iri=target)]
    except SyntaxError as e:
        raise InputError(f"Die gesendeten Daten sind fehlerhaft: {e}") from None
    existed = _stats(request).graph(target) is not None
    method = request.method

    def write() -> None:
        # Read and replace under the journal's lock, so two POSTs to one graph both count.
        with journal.write_lock():
            merged = triples
            if method == "POST" and existed:
                merged = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(target)] + triples
            journal.commit(settings, store, replace={target: merged}, kind="graph-store",
                           meta={"methode": method, "graph": target})

    await asyncio.to_thread(write)
    data_changed(request.app)
    return Response(status_code=204 if existed else 201)
