"""The table of bench/bench_scale.py: one row per task and system, one column per size, the ratio
at the largest size; then which aims of the project are met."""

from __future__ import annotations

import os

HEADLINE = ("wer-dient-welchem-ziel", "akteur")
PAGED = "wer-dient-welchem-ziel"


def _ms(s) -> str:
    if s is None:
        return "–"
    return de(s * 1000, 1) if s < 1 else de(s, 1) + " s"


def de(x: float, digits: int) -> str:
    """A number as German writes it: 1.234,5."""
    return f"{x:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def table(res: dict, labels: list[str], args) -> str:
    last = labels[-1]
    head = ["Aufgabe", "System"] + [f"{lab} ({res[lab]['n']:,} Tripel)".replace(",", ".") for lab in labels] + \
           [f"÷ pyoxigraph roh bei {last}"]
    out = ["| " + " | ".join(head) + " |", "| --- | --- |" + " ---: |" * (len(labels) + 1)]

    def row(task, system, cells, ratio=""):
        out.append(f"| {task} | {system} | " + " | ".join(cells) + f" | {ratio} |")

    def ratio(a, b):
        return de(a / b, 2) if a and b else ""

    names = {"inko": "inko-graph (load --ganz)", "roh": "pyoxigraph roh (bulk_load)",
             "oxigraph": "Oxigraph-Server (oxigraph load)", "rdflib": "rdflib (Speicher, parse)"}
    for k, name in names.items():
        if any(k in res[lab]["laden"] for lab in labels):
            row("Laden auf die Platte, s", name, [de(res[lab]['laden'][k], 2) if k in res[lab]["laden"] else "–"
                                                  for lab in labels],
                ratio(res[last]["laden"].get(k), res[last]["laden"].get("roh")))
    t, p = HEADLINE
    head_q = [res[lab]["q"].get((t, p)) for lab in labels]
    row(f"{t} ({p}) ms", "pyoxigraph roh (derselbe Text)", [_ms(x[1]) if x else "–" for x in head_q], "1,00")
    row(f"{t} ({p}) ms", "inko-graph API", [f"{_ms(x[0])} ({x[2]} Z.)" if x else "–" for x in head_q],
        ratio(head_q[-1][0], head_q[-1][1]) if head_q[-1] else "")
    row(f"{t} ({p}) ms", "inko-graph API ohne Fokus", [_ms(res[lab]["q"].get(("ohne Fokus",))) for lab in labels],
        ratio(res[last]["q"].get(("ohne Fokus",)), head_q[-1][1] if head_q[-1] else None))
    if any("rdflib_q" in res[lab] for lab in labels):
        row(f"{t} ({p}) ms", "rdflib (Speicher)", [_ms(res[lab].get("rdflib_q")) for lab in labels],
            ratio(res[last].get("rdflib_q"), head_q[-1][1] if head_q[-1] else None))
    for key, name in (("inko", "inko-graph /sparql"), ("inko-ohne", "inko-graph /sparql ohne Antwort-Zwischenspeicher"),
                      ("oxigraph", "Oxigraph-Server"), ("rdflib-endpoint", "rdflib-endpoint")):
        cells = []
        for lab in labels:
            m = res[lab].get("endpunkt", {}).get(key)
            cells.append(f"{_ms(m[0])} / {_ms(m[1])}" + (f", {m[3]} Fehler" if m and m[3] else "") if m else "–")
        if any(c != "–" for c in cells):
            ref = res[last].get("endpunkt", {}).get("oxigraph")
            mine = res[last].get("endpunkt", {}).get(key)
            row(f"Endpunkt, {args.clients} Clients: {t} ({p}), p50 / p99 ms", name, cells,
                ("÷ Oxigraph-Server " + ratio(mine[0], ref[0])) if mine and ref and key != "oxigraph" else "")
    names = (("kalt", "inko-graph API: Seite 1 (Zielliste sortiert, dann 20 Ziele)"),
             ("folgend", "inko-graph API: Seite 2 (Zielliste aus dem Zwischenspeicher)"),
             ("ganz", "ganze sortierte Tabelle, nach 100 Zeilen geschnitten (bisher)"))
    for key, name in names:
        cells = [f"{_ms(res[lab]['seiten'][key][0])} ({res[lab]['seiten'][key][1]} Z.)"
                 if key in res[lab].get("seiten", {}) else "–" for lab in labels]
        mine, ref = res[last].get("seiten", {}).get(key), res[last].get("seiten", {}).get("ganz")
        row(f"Liste {PAGED} ohne Parameter, eine Seite ms", name, cells,
            ("÷ ganze Tabelle " + ratio(mine[0], ref[0])) if mine and ref and key != "ganz" else "")
    row("Validierung einer Raster-Meldung ms", "inko-graph (Nachbarschaft) / aus dem Zwischenspeicher",
        [f"{_ms(res[lab]['validierung'][0])} / {_ms(res[lab]['validierung'][1])}" if res[lab]["validierung"] else "–"
         for lab in labels])
    cases = sorted({k for lab in labels for k in res[lab]["q"] if len(k) == 2})

    def cell(lab, case):
        if case in res[lab]["q"]:
            api, raw, n = res[lab]["q"][case]
            return f"{_ms(api)} ({n} Z.{', allein' if raw is None else ''})"
        stopped = res[lab]["q"][("abgebrochen",)].get(case)
        return f"> {stopped:.0f} s (abgebrochen)" if stopped else "–"

    for case in cases:
        cells = [cell(lab, case) for lab in labels]
        x = res[last]["q"].get(case)
        row(f"Abfrage {case[0]} ({case[1]}) ms", "inko-graph API", cells, ratio(x[0], x[1]) if x else "")
    return "\n".join(out)


def aims(res: dict, labels: list[str], args) -> str:
    last, real = labels[-1], "echt"
    lines = [f"\nZiele (bei {last} Tripel; {os.cpu_count()} Kerne, Rechner geteilt):"]
    q = res[last]["q"]
    cases = [k for k in q if len(k) == 2]
    fast = [k for k in cases if q[k][0] < 0.050]
    near = [k for k in cases if k in res[real]["q"] and q[k][0] <= 2 * max(res[real]["q"][k][0], 0.001)]
    both = sorted(set(fast) & set(near))
    skipped = q.get(("abgebrochen",), {})
    total = len(cases) + len(skipped)
    lines.append(f"- Abfragen mit einem Parameter unter 50 ms: {len(fast)} von {total}; darüber: " +
                 (", ".join([f"{n} ({p}) {de(q[(n, p)][0] * 1000, 0)} ms" for n, p in sorted(set(cases) - set(fast))] +
                            [f"{n} ({p}) über {de(skipped[(n, p)], 0)} s" for n, p in sorted(skipped)]) or "keine"))
    lines.append(f"- höchstens doppelt so lang wie auf dem echten Graphen: {len(near)} von {total}; "
                 f"beides: {len(both)} von {total}")
    ep = res[last].get("endpunkt", {}).get("inko")
    if ep:
        ok = ep[0] < 0.020 and ep[1] < 0.200
        lines.append(f"- Endpunkt, {args.clients} Clients, ein Akteur: p50 {de(ep[0] * 1000, 1)} ms (Ziel < 20), "
                     f"p99 {de(ep[1] * 1000, 1)} ms (Ziel < 200): {'erfüllt' if ok else 'nicht erfüllt'}")
    ld = res[last]["laden"].get("inko")
    if ld:
        lines.append(f"- Laden auf die Platte: {de(ld, 1)} s (Ziel < 10 s): {'erfüllt' if ld < 10 else 'nicht erfüllt'}")
    v = res[last].get("validierung")
    if v:
        lines.append(f"- Validierung einer Meldung: {de(v[0], 2)} s (Ziel < 2 s): {'erfüllt' if v[0] < 2 else 'nicht erfüllt'}")
    return "\n".join(lines)
