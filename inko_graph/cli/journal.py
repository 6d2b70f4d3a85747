"""``journal``: the accepted writes, in order (what a rebuild replays after graph_data/)."""

from __future__ import annotations

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser("journal", help="angenommene Änderungen auflisten (Uploads, Importe, Graph Store, SPARQL Update)",
                       description="Listet das Journal: jede angenommene Änderung mit Nummer, Zeit, Art und den "
                                   "Graphen, die sie ersetzt oder entfernt. „inko-graph build“ spielt es nach "
                                   "graph_data/ der Reihe nach ein. Zu sichern sind graph_data/ und dieser Ordner.")
    p.add_argument("--letzte", type=int, metavar="ANZAHL", help="nur die letzten ANZAHL Einträge")
    p.set_defaults(func=cmd_journal)


def cmd_journal(args, settings) -> int:
    from ..store import journal

    folder = journal.journal_dir(settings)
    if folder is None:
        print("Der Speicher liegt nur im Arbeitsspeicher; es gibt kein Journal.")
        return 0
    entries = journal.entries(settings)
    if args.letzte:
        entries = entries[-args.letzte:]
    print(f"Journal: {folder} ({len(entries)} Einträge gezeigt)")
    for e in entries:
        what = []
        if e.replace:
            what.append("ersetzt " + ", ".join(f"<{g}> ({len(ts)} Tripel)" for g, ts in e.replace.items()))
        if e.drop:
            what.append("entfernt " + ", ".join(f"<{g}>" for g in e.drop))
        if e.update is not None:
            what.append("SPARQL Update (" + str(len(e.update)) + " Zeichen)")
        print(f"{e.describe()}: {'; '.join(what)}")
    return 0
