"""HTML pages: one Jinja2 environment per app (autoescaped), the navigation, and small helpers.

Pages extend ``base.html.j2``. ``render(request, "x.html.j2", title=…, …)`` returns the response.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

__all__ = ["NAV", "TEMPLATES_DIR", "STATIC_DIR", "make_environment", "render", "local_href", "safe_href",
           "PAGE_HEADERS"]

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"

#: The main navigation: (path, label). The pages behind some of them live in other modules.
NAV: list[tuple[str, str]] = [
    ("/", "Übersicht"),
    ("/wer-dient", "Wer dient welchem Ziel?"),
    ("/ziele", "Ziele"),
    ("/luecken", "Lücken"),
    ("/kreisziele", "Kreisziele"),
    ("/ueberschneidungen", "Überschneidungen"),
    ("/matrix", "Matrix"),
    ("/akteure", "Akteure"),
    ("/netzwerk", "Netzwerk"),
    ("/aenderungen", "Änderungen"),
    ("/bericht", "Bericht"),
    ("/monitoring", "Monitoring"),
    ("/raster", "Raster"),
    ("/sparql", "SPARQL"),
    ("/downloads", "Downloads"),
]

#: Pages of the cockpit that show the chosen Gebiet (their menu links carry it).
GEBIET_PAGES = {"/", "/wer-dient", "/ziele", "/luecken", "/kreisziele", "/ueberschneidungen", "/matrix",
                "/akteure", "/netzwerk", "/aenderungen", "/bericht", "/monitoring", "/raster"}

#: Pages load nothing from other hosts and run no inline script (inline styles are allowed: they
#: cannot run code, and drawn charts and network views set them).
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@lru_cache(maxsize=16384)
def local_href(iri: str, base: str) -> str | None:
    """The path of an IRI under ``base`` on this server (``/id/…``, ``/def#…``), else ``None``."""
    if iri.startswith(base):
        rest = iri[len(base):]
        return "/" + quote(rest, safe="/#:@!$&'()*+,;=-._~%")
    return None


@lru_cache(maxsize=16384)
def safe_href(iri: str, base: str) -> str | None:
    """A link target for an IRI: the local page, an http(s) address, or ``None`` (shown as text)."""
    local = local_href(iri, base)
    if local is not None:
        return local
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def make_environment(settings):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2", "html.j2"), default=True),
        trim_blocks=True, lstrip_blocks=True,
    )
    env.globals["nav"] = NAV
    env.globals["gebiet_pages"] = GEBIET_PAGES
    env.globals["base_iri"] = settings.base_iri
    env.globals["local_href"] = lambda iri: local_href(iri, settings.base_iri)
    env.globals["safe_href"] = lambda iri: safe_href(iri, settings.base_iri)
    env.filters["urlquote"] = lambda s: quote(str(s), safe="")
    return env


def render(request, template: str, status_code: int = 200, headers: dict | None = None, **context):
    """Render ``template`` with ``context`` (plus ``request`` and the current path) as a page."""
    from starlette.responses import HTMLResponse

    env = request.app.state.templates
    context.setdefault("current_path", request.url.path)
    html = env.get_template(template).render(request=request, **context)
    h = dict(PAGE_HEADERS)
    if headers:
        h.update(headers)
    return HTMLResponse(html, status_code=status_code, headers=h)
