"""``viz``: one network view as an HTML file that works offline, opened straight from disk."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError

__all__ = ["register"]

_HELP_VIEWS = "ziel (Ziel mit Unterzielen und Maßnahmen), akteur (Umfeld eines Akteurs), " \
              "feld (Handlungsfeld und/oder Lebensphase), abgleich (Ziele der Dokumente nebeneinander), " \
              "gesamt (alles, bei Bedarf zusammengefasst)"


def register(sub) -> None:
    from ..views import ANSICHTEN, GESAMT_MAX

    p = sub.add_parser("viz", help="Netzwerkansicht als HTML-Datei schreiben (funktioniert ohne Internet)",
                       description="Schreibt eine Netzwerkansicht als eine HTML-Datei, die ohne Server und "
                                   "ohne Internet im Browser funktioniert. Ansichten: " + _HELP_VIEWS + ".")
    p.add_argument("view", metavar="ANSICHT", choices=list(ANSICHTEN), help=", ".join(ANSICHTEN))
    p.add_argument("--id", dest="ident", metavar="IRI-ODER-BEZEICHNUNG",
                   help="Ziel, Akteur, Handlungsfeld oder Lebensphase: IRI (auch id:…, lp:…) oder Bezeichnung")
    p.add_argument("--handlungsfeld", metavar="IRI-ODER-BEZEICHNUNG", help="nur Feldansicht: Handlungsfeld")
    p.add_argument("--lebensphase", metavar="IRI-ODER-BEZEICHNUNG", help="nur Feldansicht: Lebensphase")
    p.add_argument("--town", "--gebiet", dest="town", metavar="GEBIET",
                   help="nur Gesamtbild: auf eine Stadt oder den Kreis beschränken (z. B. hattingen)")
    p.add_argument("--radius", "--umkreis", dest="radius", type=int, choices=[1, 2], default=1,
                   help="nur Akteursansicht: 1 = Akteur und direkte Partner, 2 = auch deren Umfeld")
    p.add_argument("--max-knoten", dest="max_nodes", type=int, metavar="ANZAHL", default=GESAMT_MAX,
                   help=f"nur Gesamtbild: ab so vielen Knoten zusammenfassen (Standard {GESAMT_MAX}; 0 = nie)")
    p.add_argument("--server", default="http://127.0.0.1:8000", metavar="URL",
                   help="Adresse des laufenden 'inko-graph serve', zu dem ein Klick auf einen Knoten führt "
                        "(Standard: http://127.0.0.1:8000)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DATEI.html", help="Ausgabedatei")
    p.set_defaults(func=cmd_viz)


def cmd_viz(args, settings) -> int:
    from ..load.build import ensure_built
    from .settings import reading
    from ..query.catalogue import Catalogue
    from .. import views

    if not re.match(r"^https?://[^\s/]+$", args.server.rstrip("/")):
        raise InputError(f"--server braucht eine Adresse wie http://127.0.0.1:8000, nicht {args.server!r}.")
    if args.output.suffix.lower() not in (".html", ".htm"):
        raise InputError("Die Ausgabedatei muss auf .html enden.", source=str(args.output))
    store = ensure_built(reading(settings))
    bestand = views.load(store, Catalogue(settings.queries_dir))
    ansicht = views.build(bestand, args.view, iri=args.ident, radius=args.radius, town=args.town,
                          handlungsfeld=args.handlungsfeld, lebensphase=args.lebensphase,
                          max_nodes=args.max_nodes)
    links = views.Links.for_server(settings.base_iri, prefix=args.server.rstrip("/"))
    html = views.render(ansicht, links)
    from .output import write_file

    if not args.output.parent.is_dir():
        raise InputError(f"Den Ordner {args.output.parent} gibt es nicht; bitte zuerst anlegen.", source=str(args.output))
    write_file(args.output, html.encode("utf-8"))
    en = settings.language == "en"
    print(f"{ansicht.titel}: {ansicht.knoten} " + ("nodes" if en else "Knoten") + f", {ansicht.kanten} "
          + ("links" if en else "Verbindungen") + f" -> {args.output}")
    for h in ansicht.hinweise:
        print(f"  {h}")
    return 0
