"""``serve``: the HTTP server (uvicorn on ``create_app``)."""

from __future__ import annotations

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser("serve", help="Server starten: Cockpit, SPARQL-Endpunkt, verknüpfte Daten",
                       description="Startet den Server. Er ist nur lesend, solange INKO_WRITE_TOKEN nicht gesetzt "
                                   "ist; Grenzen siehe README, Abschnitt „Server und Grenzen“.")
    p.add_argument("--host", default="127.0.0.1",
                   help="Adresse, an der der Server lauscht (Standard: 127.0.0.1, nur dieser Rechner)")
    p.add_argument("--port", type=int, default=8000, help="Port (Standard: 8000)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args, settings) -> int:
    import uvicorn

    from ..server import create_app

    app = create_app(settings)
    host = f"[{args.host}]" if ":" in args.host else args.host
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else host
    print(f"inko-graph läuft unter http://{shown}:{args.port}/ (SPARQL: http://{shown}:{args.port}/sparql). "
          "Beenden mit Strg+C.", flush=True)
    if not settings.write_token:
        print("Nur lesend: Änderungen sind abgeschaltet (INKO_WRITE_TOKEN ist nicht gesetzt).", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", proxy_headers=False)
    return 0
