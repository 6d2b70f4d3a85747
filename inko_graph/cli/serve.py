"""``serve``: the HTTP server (uvicorn on ``create_app``).

The port is checked and bound before the data are loaded and before "läuft" is printed, so a
busy or invalid port gives a German message and exit code 2 instead of an English uvicorn error.
"""

from __future__ import annotations

import argparse
import errno
import socket

from ..errors import ConfigError

__all__ = ["register", "bind", "access_lines"]


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} ist keine Portnummer (eine ganze Zahl von 1 bis 65535)") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} ist keine gültige Portnummer (erlaubt: 1 bis 65535)")
    return value


def register(sub) -> None:
    p = sub.add_parser("serve", help="Server starten: Cockpit, SPARQL-Endpunkt, verknüpfte Daten",
                       description="Startet den Server. Hochladen mit Zugangsschlüssel schaltet INKO_TOKENS_FILE "
                                   "ein, SPARQL Update INKO_WRITE_TOKEN; ohne beide ist er nur lesend. Grenzen "
                                   "siehe README, Abschnitt „Server und Grenzen“.")
    p.add_argument("--host", default="127.0.0.1", metavar="ADRESSE",
                   help="Adresse, an der der Server lauscht (Standard: 127.0.0.1, nur dieser Rechner)")
    p.add_argument("--port", type=_port, default=8000, metavar="PORT", help="Port (Standard: 8000)")
    p.set_defaults(func=cmd_serve)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or a German :class:`ConfigError` saying why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise ConfigError(f"Die Adresse {host!r} ist unbekannt (--host); z. B. 127.0.0.1 oder 0.0.0.0.") from None
    family, kind, proto, _, addr = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind(addr)
        sock.listen(2048)
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            raise ConfigError(f"Der Port {port} ist schon belegt (läuft dort schon ein Server?). "
                              "Bitte einen anderen wählen, z. B. --port 8001.") from None
        if e.errno in (errno.EACCES, errno.EPERM):
            raise ConfigError(f"Der Port {port} darf hier nicht benutzt werden (Ports unter 1024 brauchen "
                              "Administratorrechte); bitte z. B. --port 8000.") from None
        if e.errno == errno.EADDRNOTAVAIL:
            raise ConfigError(f"Die Adresse {host} gehört nicht zu diesem Rechner (--host).") from None
        raise ConfigError(f"Der Server kann {host}:{port} nicht öffnen: {e.strerror}.") from None
    return sock


def access_lines(settings, read_only: bool = False) -> list[str]:
    """What the server lets change, in German: uploads with access keys (INKO_TOKENS_FILE) and
    SPARQL Update (INKO_WRITE_TOKEN) are switched on separately, so each is named as on or off."""
    uploads, update = settings.tokens_file is not None, bool(settings.write_token)
    if not uploads and not update:
        return ["Nur lesend: Änderungen sind abgeschaltet (weder INKO_TOKENS_FILE für das Hochladen mit "
                "Zugangsschlüssel noch INKO_WRITE_TOKEN für SPARQL Update ist gesetzt)."]
    if read_only:
        return ["Nur lesend: Der Speicher lässt sich nicht schreiben (schreibgeschützter Ordner oder von einem "
                "anderen Programm benutzt); Hochladen und Änderungen werden mit 503 abgelehnt."]
    return [("Hochladen ist eingeschaltet: Raster-Meldungen, Konzept-Arbeitsmappen und Kennzahlen mit "
             "Zugangsschlüssel (INKO_TOKENS_FILE)." if uploads else
             "Hochladen ist abgeschaltet (INKO_TOKENS_FILE ist nicht gesetzt)."),
            ("SPARQL Update ist eingeschaltet (INKO_WRITE_TOKEN)." if update else
             "SPARQL Update ist abgeschaltet (INKO_WRITE_TOKEN ist nicht gesetzt).")]


def cmd_serve(args, settings) -> int:
    import uvicorn

    from ..server import create_app

    sock = bind(args.host, args.port)
    try:
        app = create_app(settings)
        host = f"[{args.host}]" if ":" in args.host else args.host
        shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else host
        print(f"inko-graph läuft unter http://{shown}:{args.port}/ (SPARQL: http://{shown}:{args.port}/sparql). "
              "Beenden mit Strg+C.", flush=True)
        if settings.write_token and getattr(app.state.store, "read_only", False):
            # A second server on a store another one holds only reads: its writes would reach the
            # journal but not its own view of the data.
            app.state.store.held_elsewhere = False
        for line in access_lines(settings, getattr(app.state.store, "read_only", False)):
            print(line, flush=True)
        from ..server.middleware import MAX_HEADER_BYTES, url_limit

        # Room for the longest head the server takes (a GET query of INKO_MAX_QUERY_BYTES, headers);
        # only used if uvicorn parses with h11 (without httptools); RequestGuard sets the limits.
        # Idle connections are kept longer than clients keep theirs (httpx: 5 s, like uvicorn's own
        # default): with equal times a client may send just as the server closes, and gets a reset.
        config = uvicorn.Config(app, log_level="warning", proxy_headers=False, timeout_keep_alive=30,
                                h11_max_incomplete_event_size=url_limit(settings) + MAX_HEADER_BYTES + 4096)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
    return 0
