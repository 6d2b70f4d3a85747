"""Server time of the concept changes page (``/aenderungen/konzept``) on the real graph.

    .venv/bin/python bench/bench_aenderungen_konzept.py [--repeat 5] [--auf-platte]

Hattingen's concept is exported and uploaded again with changes (a goal reworded, a Lebensphase
added, a new measure), so the page compares two versions: the source document's and the upload.
``--auf-platte`` builds the store on disk in a temporary folder, so the upload goes through the
journal and the earlier upload is read back from it (three versions). Each request goes through
the application itself (ASGI, no network): "kalt" with every cache emptied before the request
(what the first visitor after a change of data waits), "warm" right after. Median in ms; the aim:
under 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ["/aenderungen/konzept?gebiet=hattingen", "/aenderungen/konzept?gebiet=hattingen&format=xlsx",
         "/aenderungen/konzept?gebiet=ennepe-ruhr-kreis", "/aenderungen?gebiet=hattingen"]


def _changed(store, settings, wording: str) -> bytes:
    import openpyxl

    from inko_graph.konzept.export import export_book
    from inko_graph.konzept.template import template_bytes

    book, _ = export_book(store, settings, "Hattingen")
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(book, "xlsx")))
    ws = wb["Ziele"]
    head = {c.value: i for i, c in enumerate(ws[1])}
    for row in ws.iter_rows(min_row=2):
        if row[head["Kennung"]].value == "id:hattingen/leitziel/5":
            row[head["Ziel"]].value = wording
        elif row[head["Kennung"]].value == "id:hattingen/leitziel/4":
            row[head["Lebensphase"]].value = "Schulalter"
    ms = wb["Maßnahmen"]
    values = {"Nr": "1", "Maßnahme": "Sprachcafé für Eltern", "Ziel": "Leitziel 5", "Zuständig": "vhs Hattingen",
              "Lebensphase": "Erwerbsalter"}
    if not any(r[1] == values["Maßnahme"] for r in ms.iter_rows(min_row=2, values_only=True)):
        ms.append([values.get(c.value) for c in ms[1]])   # a second upload finds it already exported
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def _measure(app, repeat: int) -> list[tuple[str, float, float, int]]:
    import httpx

    out = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as c:
        for hook in app.state.startup:
            await hook(app)
        warm_up = getattr(app.state, "views_warm_up", None)
        if warm_up is not None:
            await warm_up    # the network views' data, read in the background at start: not this page's time
        for page in PAGES:
            cold, warm, status = [], [], 0
            for _ in range(repeat):
                app.state.cache.clear()
                t = time.perf_counter()
                r = await c.get(page)
                cold.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                r = await c.get(page)
                warm.append((time.perf_counter() - t) * 1000)
                status = r.status_code
            out.append((page, statistics.median(cold), statistics.median(warm), status))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--auf-platte", action="store_true", help="Speicher auf der Platte, mit Journal")
    args = ap.parse_args(argv)

    from inko_graph.load.build import build
    from inko_graph.konzept.importer import import_file
    from inko_graph.server import create_app
    from inko_graph.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(env={}, store_path=Path(tmp) / "store" if args.auf_platte else None)
        store = build(settings).store
        uploads = 2 if args.auf_platte else 1
        for i in range(uploads):
            t = time.perf_counter()
            import_file(_changed(store, settings, f"Mehrsprachigkeit wird gefördert ({i + 1})."), f"h{i + 1}.xlsx",
                        store, settings)
            print(f"Hochladen {i + 1}: {(time.perf_counter() - t) * 1000:.0f} ms")
        app = create_app(settings, store)
        rows = asyncio.run(_measure(app, args.repeat))
        print(f"{'Seite':<55} {'kalt ms':>9} {'warm ms':>9} Status")
        for page, cold, warm, status in rows:
            print(f"{page:<55} {cold:9.1f} {warm:9.1f} {status}")
        del app, store
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
