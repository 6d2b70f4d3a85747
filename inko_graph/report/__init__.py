"""The report for a meeting of the Steuerungsgruppe: one self-contained HTML file plus CSV files.

``build_report(store, settings, town="Hattingen")`` gathers gaps, overlaps, the field-of-action x
life-stage heatmap and the actors central to the network from the named queries; ``write_report``
writes ``bericht.html`` (styles inline, the heatmap as a coloured table, nothing loaded from
elsewhere) and the CSV files (semicolon-separated, UTF-8 with BOM, as spreadsheet programs in
German expect them).

Which documents: with a town, the town's own concepts that have goals, fields or measures (for
Hattingen the Integrationskonzept and the Strategiekonzept Hattingen 2020) are the subject; the
concepts of the area the town lies in (the Kreis) come in for context: in the overlaps (the same
work planned by town and Kreis) and in the network, not in the gaps (the Steuerungsgruppe of the
town cannot close the Kreis's gaps). Without a town, every concept is the subject.

More sections: a module listed in SECTION_MODULES offers ``section(context) -> ReportSection | None``;
its section stands at the slot the section names (``"aenderungen"``: right after the overview,
where the changes since the year before belong).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, InputError
from ..namespaces import shorten

__all__ = ["ReportSection", "Table", "Figure", "ReportContext", "Report", "SECTION_MODULES", "SLOTS",
           "build_report", "write_report", "choose_documents"]

#: Modules that add sections: each has ``section(context: ReportContext) -> ReportSection | None``.
SECTION_MODULES: list[str] = ["inko_graph.report.changes", "inko_graph.report.monitoring"]
#: Where added sections can stand, in page order. Built-in sections fill the others.
SLOTS = ("ueberblick", "aenderungen", "luecken", "ueberschneidungen", "netzwerk", "anhang")

OUTPUT_HTML = "bericht.html"
CSV_FILES = {
    "luecken": "luecken.csv",
    "ueberschneidungen": "ueberschneidungen.csv",
    "heatmap": "heatmap-handlungsfeld-lebensphase.csv",
    "akteure": "zentrale-akteure.csv",
}
_HTML_LIMIT = 40  # rows per table on the page; the CSV files have them all
_SIMILARITY = 0.3


@dataclass
class Table:
    """A table on the page: ``columns`` are (key, heading); ``rows`` are dicts of plain values."""

    caption: str
    columns: list[tuple[str, str]]
    rows: list[dict]
    note: str = ""
    total: int | None = None  # rows before the page limit
    heat: bool = False  # colour the numeric cells by value (the heatmap table)


@dataclass
class Figure:
    alt: str
    data_uri: str
    caption: str = ""


@dataclass
class ReportSection:
    """A section of the report. All text is plain and escaped by the template.

    ``html`` is for a module that renders its own fragment (every text in it escaped, no
    ``src``/``href`` to other hosts): a ``markupsafe.Markup`` is inserted as it is after the
    paragraphs; a plain string would be escaped and shown as text. For the changes since the
    year before, e.g. ``Markup(diff.changes_since(ctx.store, year).html(full=False))``.
    """

    id: str
    title: str
    slot: str = "anhang"
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    html: object | None = None
    subsections: list["ReportSection"] = field(default_factory=list)


_CATALOGUES: dict = {}


def _catalogue(folder):
    """The named queries of ``folder``, parsed once while its files stay as they are (parsing
    them all costs about 0.2 s, a report runs some thirty)."""
    from ..query.catalogue import Catalogue

    folder = Path(folder)
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.rq")))
    got = _CATALOGUES.get(folder)
    if got is None or got[0] != stamp:
        got = _CATALOGUES[folder] = (stamp, Catalogue(folder))
    return got[1]


@dataclass
class ReportContext:
    """What a section module gets: the store, the documents chosen and a way to run queries."""

    store: object
    settings: object
    town: str | None
    gebiet: str | None
    konzepte: list[dict]  # the subject: dicts with konzept, konzeptname, gebiet, quelle, …
    kontext: list[dict]  # concepts for context (the Kreis)
    include_curated: bool
    date: _dt.date

    def run(self, name: str, params: dict | None = None):
        """The rows of the named query ``name``, with the report's choice of curated links."""
        from ..query.catalogue import run

        return run(self.store, _catalogue(self.settings.queries_dir).get(name), params,
                   include_curated=self.include_curated)

    def mine(self, name: str):
        """The rows of ``name`` for the subject concepts. With a town, one run per Gebiet of those
        concepts (every query used so takes ``gebiet``, which leads its evaluation): at 10^5
        triples a whole-graph run costs seconds, the town's a tenth of it."""
        import pandas as pd

        areas = sorted({k["gebiet"] for k in self.konzepte if isinstance(k.get("gebiet"), str)}) if self.gebiet else []
        df = pd.concat([self.run(name, {"gebiet": a}) for a in areas], ignore_index=True) if areas else self.run(name)
        return _in(df, "konzept", self.konzept_iris)

    @property
    def konzept_iris(self) -> set[str]:
        return {k["konzept"] for k in self.konzepte}

    @property
    def alle_iris(self) -> set[str]:
        return self.konzept_iris | {k["konzept"] for k in self.kontext}


@dataclass
class Report:
    title: str
    context: ReportContext
    sections: list[ReportSection]
    csv: dict[str, object]  # file name -> DataFrame
    summary: list[tuple[str, int]]


# -- helpers ------------------------------------------------------------------------------------

def _s(value) -> str:
    """A cell as text: missing values (None, NaN) as empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _records(df) -> list[dict]:
    return [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in df.to_dict("records")]


def _in(df, column: str, allowed: set[str]):
    return df[df[column].isin(allowed)] if len(df) else df


def _limited(caption, columns, rows, note="", **kw) -> Table:
    total = len(rows)
    if total > _HTML_LIMIT:
        note = (note + " " if note else "") + f"Die ersten {_HTML_LIMIT} von {total}; alle stehen in der CSV-Datei."
    return Table(caption, columns, rows[:_HTML_LIMIT], note.strip(), total=total, **kw)


# -- choosing the documents ---------------------------------------------------------------------

def choose_documents(konzepte_df, town: str | None) -> tuple[list[dict], list[dict], str | None]:
    """(subject concepts, context concepts, area IRI) for ``town`` (a name like "Hattingen" or g:…)."""
    rows = [r for r in _records(konzepte_df) if (r.get("ziele") or 0) + (r.get("handlungsfelder") or 0) + (r.get("vorhaben") or 0) > 0]
    if not town:
        return rows, [], None
    want = town.strip().casefold()
    areas = {}
    for r in _records(konzepte_df):
        if r.get("gebiet"):
            areas[r["gebiet"]] = r
    match = [g for g, r in areas.items()
             if want in ((_s(r.get("gebietname"))).casefold(), g.casefold(), shorten(g).casefold(), g.rsplit("/", 1)[-1].casefold())]
    if not match:
        known = ", ".join(sorted({_s(r.get("gebietname")) or shorten(g) for g, r in areas.items()}))
        raise InputError(f"Für {town!r} gibt es kein Konzept im Graphen. Bekannt sind: {known}.")
    gebiet = match[0]
    subject = [r for r in rows if r.get("gebiet") == gebiet]
    if not subject:
        raise InputError(f"Die Konzepte von {town!r} enthalten noch keine Ziele, Handlungsfelder oder Maßnahmen.")
    parents = {r.get("liegt_in") for r in subject if r.get("liegt_in")}
    context = [r for r in rows if r.get("gebiet") in parents]
    return subject, context, gebiet


# -- sections -----------------------------------------------------------------------------------

def _heatmap(ctx: ReportContext):
    """(table rows, life-stage columns) of undertakings per field and life stage; each cell's
    ``_klasse`` colours it in the heat map table (h0: a gap)."""
    df = ctx.mine("vorhaben-je-handlungsfeld-lebensphase")
    stages: dict[str, tuple[str, str]] = {}
    cells: dict[tuple[str, str], int] = {}
    fields: dict[str, dict] = {}
    for r in _records(df):
        lp = r.get("lebensphase") or ""
        if lp and lp not in stages:
            stages[lp] = (_s(r.get("lpnotation")), _s(r.get("lebensphasename")) or shorten(lp))
        hf = r["handlungsfeld"]
        fields.setdefault(hf, {"dokument": _s(r.get("konzeptname")) or shorten(r["konzept"]),
                               "handlungsfeld": _s(r.get("handlungsfeldname")) or shorten(hf),
                               "nummer": _s(r.get("hfnotation")), "iri": hf})
        cells[(hf, lp)] = cells.get((hf, lp), 0) + int(r.get("anzahl") or 0)
    order = sorted(stages, key=lambda k: (stages[k][0].zfill(3), stages[k][1]))
    columns = [(lp, stages[lp][1]) for lp in order] + [("", "ohne Angabe")]
    rows = []
    alle = [lp for lp in order if lp.endswith("/alle-lebensphasen")]
    for hf, f in sorted(fields.items(), key=lambda kv: (kv[1]["dokument"], kv[1]["nummer"].zfill(6), kv[1]["handlungsfeld"])):
        row = dict(f)
        klasse = {}
        covered = any(cells.get((hf, lp), 0) for lp in alle)  # an undertaking for all life stages
        for key, _ in columns:
            n = cells.get((hf, key), 0)
            row[key or "ohne"] = n
            if not key or key in alle:
                klasse[key or "ohne"] = "hn"  # "no stage given" and "all stages" are not stages of life
            elif n == 0:
                klasse[key] = "hn" if covered else "h0"
            else:
                klasse[key] = "h1" if n == 1 else ("h2" if n <= 3 else ("h3" if n <= 7 else "h4"))
        row["_klasse"] = klasse
        rows.append(row)
    return rows, columns


def _gaps(ctx: ReportContext, heat_rows, heat_columns):
    """The gap section and the rows of luecken.csv."""
    csv_rows: list[dict] = []
    sec = ReportSection("luecken", "Lücken", slot="luecken", paragraphs=[
        "Wo die Konzepte etwas vorhaben, aber (noch) niemand etwas tut, niemand zuständig ist oder "
        "niemand misst, ob es gelingt. Eine Lücke ist ein Anlass zum Nachfragen, kein Fehler: manches "
        "geschieht, ist aber noch nicht erfasst."])

    z = ctx.mine("ziele-ohne-massnahme")
    rows = [{"dokument": _s(r.get("konzeptname")), "handlungsfeld": _s(r.get("handlungsfeldname")),
             "art": _s(r.get("zielart")), "nummer": _s(r.get("notation")), "ziel": _s(r.get("zielname")),
             "iri": r["ziel"]} for r in _records(z)]
    sec.subsections.append(ReportSection("ziele-ohne-massnahme", f"Ziele ohne Maßnahme ({len(rows)})", paragraphs=[
        "Diesen Zielen dient keine Maßnahme und keine Aktivität, auch nicht über ein Unterziel."],
        tables=[_limited("Ziele ohne Maßnahme", [("dokument", "Dokument"), ("handlungsfeld", "Handlungsfeld"),
                                                 ("art", "Art"), ("nummer", "Nr."), ("ziel", "Ziel")], rows)]))
    csv_rows += [{"luecke": "Ziel ohne Maßnahme", "dokument": r["dokument"], "handlungsfeld": r["handlungsfeld"],
                  "bezeichnung": r["ziel"], "lebensphase": "", "hinweis": r["art"], "iri": r["iri"]} for r in rows]

    if heat_rows:
        stage_cols = [(k, h) for k, h in heat_columns if k]
        empty = []
        for r in heat_rows:
            alle = sum(r[k] for k, _ in stage_cols if k.endswith("/alle-lebensphasen"))
            for k, h in stage_cols:
                if not k.endswith("/alle-lebensphasen") and r[k] == 0 and alle == 0:
                    empty.append({"dokument": r["dokument"], "handlungsfeld": r["handlungsfeld"], "lebensphase": h,
                                  "iri": r["iri"]})
        csv_rows += [{"luecke": "Lebensphase ohne Vorhaben im Handlungsfeld", "dokument": e["dokument"],
                      "handlungsfeld": e["handlungsfeld"], "bezeichnung": "", "lebensphase": e["lebensphase"],
                      "hinweis": "", "iri": e["iri"]} for e in empty]
        sec.subsections.append(ReportSection("lebensphasen", f"Handlungsfelder und Lebensphasen ({len(empty)} leere Felder)", paragraphs=[
            "Wie viele Maßnahmen und Aktivitäten es je Handlungsfeld und Lebensphase gibt. Eine 0 ist eine "
            "Lücke, außer im selben Handlungsfeld gibt es ein Vorhaben für alle Lebensphasen. „ohne Angabe“: "
            "Vorhaben, bei denen keine Lebensphase genannt ist."]))

    zl = ctx.mine("luecken-ziel-lebensphase")
    csv_rows += [{"luecke": "Lebensphase ohne Vorhaben für ein Ziel", "dokument": _s(r.get("konzeptname")), "handlungsfeld": "",
                  "bezeichnung": _s(r.get("zielname")), "lebensphase": _s(r.get("lebensphasename")),
                  "hinweis": f"{r.get('vorhaben_fuer_ziel')} Vorhaben für andere Lebensphasen", "iri": r["ziel"]}
                 for r in _records(zl)]

    m = ctx.mine("massnahmen-ohne-zustaendigkeit")
    rows = [{"dokument": _s(r.get("konzeptname")), "vorhaben": _s(r.get("vorhabenname")), "art": _s(r.get("vorhabenart")),
             "wer": _s(r.get("wer")), "abschnitt": _s(r.get("abschnitt")), "iri": r["vorhaben"]} for r in _records(m)]
    sec.subsections.append(ReportSection("ohne-zustaendigkeit", f"Maßnahmen ohne Zuständigkeit ({len(rows)})", paragraphs=[
        "Für diese Maßnahmen nennt das Dokument keine zuständige Organisation und keine Zuständigkeit "
        "(„wer“: was das Dokument in Worten sagt)."],
        tables=[_limited("Maßnahmen ohne Zuständigkeit", [("dokument", "Dokument"), ("vorhaben", "Maßnahme"),
                                                          ("wer", "wer (Wortlaut)"), ("abschnitt", "Abschnitt")], rows)]))
    csv_rows += [{"luecke": "Maßnahme ohne Zuständigkeit", "dokument": r["dokument"], "handlungsfeld": "",
                  "bezeichnung": r["vorhaben"], "lebensphase": "", "hinweis": r["wer"], "iri": r["iri"]} for r in rows]

    i = ctx.mine("ziele-ohne-indikator")
    rows = [{"dokument": _s(r.get("konzeptname")), "art": _s(r.get("zielart")), "nummer": _s(r.get("notation")),
             "ziel": _s(r.get("zielname")), "iri": r["ziel"]} for r in _records(i)]
    sec.subsections.append(ReportSection("ohne-indikator", f"Ziele ohne Indikator ({len(rows)})", paragraphs=[
        "Leitziele und Monitoringziele, deren Erreichung kein Indikator misst."],
        tables=[_limited("Ziele ohne Indikator", [("dokument", "Dokument"), ("art", "Art"), ("nummer", "Nr."),
                                                  ("ziel", "Ziel")], rows)]))
    csv_rows += [{"luecke": "Ziel ohne Indikator", "dokument": r["dokument"], "handlungsfeld": "", "bezeichnung": r["ziel"],
                  "lebensphase": "", "hinweis": r["art"], "iri": r["iri"]} for r in rows]

    h = ctx.mine("handlungsfelder-ohne-abgleich")
    rows = [{"dokument": _s(r.get("konzeptname")), "nummer": _s(r.get("notation")),
             "handlungsfeld": _s(r.get("handlungsfeldname")), "iri": r["handlungsfeld"]} for r in _records(h)]
    sec.subsections.append(ReportSection("ohne-abgleich", f"Handlungsfelder ohne Abgleich ({len(rows)})", paragraphs=[
        "Diese Handlungsfelder sind mit keinem Handlungsfeld oder Ziel eines anderen Konzepts abgeglichen."],
        tables=[_limited("Handlungsfelder ohne Abgleich", [("dokument", "Dokument"), ("nummer", "Nr."),
                                                           ("handlungsfeld", "Handlungsfeld")], rows)]))
    csv_rows += [{"luecke": "Handlungsfeld ohne Abgleich", "dokument": r["dokument"], "handlungsfeld": r["handlungsfeld"],
                  "bezeichnung": "", "lebensphase": "", "hinweis": "", "iri": r["iri"]} for r in rows]

    a = ctx.run("akteure-ohne-aktivitaet", {"gebiet": ctx.gebiet} if ctx.gebiet else None)
    rows = [{"akteur": _s(r.get("akteurname")), "art": _s(r.get("akteursartname")), "mitglied": _s(r.get("mitglied_in")),
             "iri": r["akteur"]} for r in _records(a)]
    sec.subsections.append(ReportSection("akteure-ohne-aktivitaet", f"Akteure ohne Aktivität ({len(rows)})", paragraphs=[
        "Organisationen und Gremien" + (" mit Sitz in der Stadt" if ctx.gebiet else "") + ", die bei keiner Maßnahme "
        "oder Aktivität zuständig, Träger oder beteiligt sind. Vielleicht tun sie etwas, das noch nicht erfasst ist."],
        tables=[_limited("Akteure ohne Aktivität", [("akteur", "Akteur"), ("art", "Art"), ("mitglied", "Mitglied in")], rows)]))
    csv_rows += [{"luecke": "Akteur ohne Aktivität", "dokument": "", "handlungsfeld": "", "bezeichnung": r["akteur"],
                  "lebensphase": "", "hinweis": r["art"], "iri": r["iri"]} for r in rows]
    return sec, csv_rows


def _overlaps(ctx: ReportContext):
    mine, alle = ctx.konzept_iris, ctx.alle_iris
    csv_rows: list[dict] = []
    sec = ReportSection("ueberschneidungen", "Überschneidungen", slot="ueberschneidungen", paragraphs=[
        "Wo mehrere dasselbe tun oder dasselbe zweimal steht. Das kann gewollt sein; es lohnt, darüber zu sprechen."])

    m = ctx.mine("mehrere-akteure-gleiches-ziel")
    rows = [{"dokument": _s(r.get("konzeptname")), "ziel": _s(r.get("zielname")), "lebensphase": _s(r.get("lebensphasename")),
             "akteure": "; ".join(sorted(_s(r.get("akteure")).split("; "))), "vorhaben": _s(r.get("vorhaben")),
             "iri": r["ziel"]} for r in _records(m)]
    sec.subsections.append(ReportSection("mehrere-akteure", f"Mehrere Akteure, gleiches Ziel, gleiche Lebensphase ({len(rows)})",
        paragraphs=["Verschiedene Organisationen verfolgen mit verschiedenen Vorhaben dasselbe Ziel für dieselbe Lebensphase."],
        tables=[_limited("Mehrere Akteure für dasselbe Ziel", [("dokument", "Dokument"), ("ziel", "Ziel"),
                                                              ("lebensphase", "Lebensphase"), ("akteure", "Akteure"),
                                                              ("vorhaben", "Vorhaben")], rows)]))
    csv_rows += [{"ueberschneidung": "mehrere Akteure, gleiches Ziel", "dokument": r["dokument"], "erstes": r["ziel"],
                  "zweites": r["vorhaben"], "beteiligte": r["akteure"], "lebensphase": r["lebensphase"],
                  "aehnlichkeit": "", "iri": r["iri"]} for r in rows]

    g = ctx.run("gleicher-zieltext")
    if len(g):
        g = g[(g["konzept1"].isin(mine) | g["konzept2"].isin(mine)) & g["konzept1"].isin(alle) & g["konzept2"].isin(alle)]
    rows = [{"ziel": _s(r.get("zielname1")),
             "ort1": " – ".join(x for x in (_s(r.get("konzeptname1")), _s(r.get("handlungsfeldname1"))) if x),
             "ort2": " – ".join(x for x in (_s(r.get("konzeptname2")), _s(r.get("handlungsfeldname2"))) if x),
             "ziel2": _s(r.get("zielname2")), "grund": _s(r.get("grund")), "iri": f"{r['ziel1']} {r['ziel2']}"}
            for r in _records(g)]
    sec.subsections.append(ReportSection("gleicher-zieltext", f"Gleicher Zieltext an mehreren Stellen ({len(rows)})",
        paragraphs=["Dasselbe Ziel steht unter mehreren Handlungsfeldern oder in mehreren Dokumenten."],
        tables=[_limited("Gleicher Zieltext", [("ziel", "Ziel"), ("ort1", "steht in"), ("ort2", "und in"),
                                               ("grund", "Grund")], rows)]))
    csv_rows += [{"ueberschneidung": "gleicher Zieltext", "dokument": f"{r['ort1']} | {r['ort2']}", "erstes": r["ziel"],
                  "zweites": r["ziel2"], "beteiligte": "", "lebensphase": "", "aehnlichkeit": "", "iri": r["iri"]}
                 for r in rows]

    s = ctx.run("aehnliche-massnahmen", {"schwelle": _SIMILARITY})
    if len(s):
        def ok(docs: str, allowed: set[str]) -> bool:
            return any(d in allowed for d in _s(docs).split("; "))
        s = s[[(ok(a, mine) or ok(b, mine)) and ok(a, alle) and ok(b, alle)
               for a, b in zip(s["dokument1"], s["dokument2"])]]
    rows = [{"erstes": _s(r.get("vorhabenname1")), "dok1": _s(r.get("konzeptname1")) or shorten(_s(r.get("dokument1"))),
             "zweites": _s(r.get("vorhabenname2")), "dok2": _s(r.get("konzeptname2")) or shorten(_s(r.get("dokument2"))),
             "aehnlichkeit": f"{float(r['aehnlichkeit']):.2f}".replace(".", ","), "woerter": _s(r.get("gemeinsame_woerter")),
             "iri": f"{r['vorhaben1']} {r['vorhaben2']}"} for r in _records(s)]
    sec.subsections.append(ReportSection("aehnliche-massnahmen", f"Maßnahmen, die fast dasselbe sagen ({len(rows)})",
        paragraphs=[f"Maßnahmen und Aktivitäten verschiedener Dokumente mit sehr ähnlichem Wortlaut (Ähnlichkeit ab "
                    f"{_SIMILARITY:.1f}".replace(".", ",") + " auf einer Skala von 0 bis 1; gezählt werden gemeinsame "
                    "Wörter, seltene stärker als häufige)."],
        tables=[_limited("Ähnliche Maßnahmen", [("erstes", "Maßnahme"), ("dok1", "Dokument"), ("zweites", "ähnliche Maßnahme"),
                                                ("dok2", "Dokument"), ("aehnlichkeit", "Ähnlichkeit"),
                                                ("woerter", "gemeinsame Wörter")], rows)]))
    csv_rows += [{"ueberschneidung": "ähnliche Maßnahmen", "dokument": f"{r['dok1']} | {r['dok2']}", "erstes": r["erstes"],
                  "zweites": r["zweites"], "beteiligte": "", "lebensphase": "", "aehnlichkeit": r["aehnlichkeit"],
                  "iri": r["iri"]} for r in rows]
    return sec, csv_rows


_CENTRALITY: dict = {}


def _centrality(g):
    """``actor_centrality`` of ``g``, kept for the network as it is (nodes and edges with their data,
    in order: the groups depend on it); the betweenness costs about a second on the real graph."""
    from ..analysis.network import actor_centrality

    key = repr((list(g.nodes(data=True)), list(g.edges(data=True))))
    df = _CENTRALITY.get(key)
    if df is None:
        if len(_CENTRALITY) >= 8:
            _CENTRALITY.pop(next(iter(_CENTRALITY)))
        df = _CENTRALITY[key] = actor_centrality(g)
    return df.copy()


def _network(ctx: ReportContext):
    from ..analysis.network import actor_network, restrict

    g = actor_network(ctx.store, include_curated=ctx.include_curated, queries_dir=ctx.settings.queries_dir)
    if ctx.gebiet:
        quellen = {q for k in ctx.konzepte for q in _s(k.get("quelle")).split()}
        g = restrict(g, ctx.alle_iris, quellen, {ctx.gebiet})
    df = _centrality(g)
    n_actors = int((df["grad"] > 0).sum()) if len(df) else 0
    top = df[df["grad"] > 0].head(15)
    rows = [{"name": r["name"], "grad": r["grad"], "zwischen": f"{r['zwischen']:.3f}".replace(".", ","),
             "vorhaben": r["vorhaben"], "gruppen": r["gruppen"], "trenn": "ja" if r["trennstelle"] else "",
             "iri": r["akteur"]} for r in _records(top)]
    bridges = df[(df["trennstelle"]) | (df["gruppen"] >= 2)]
    brows = [{"name": r["name"], "gruppen": r["gruppen"], "trenn": "ja" if r["trennstelle"] else "nein",
              "iri": r["akteur"]} for r in _records(bridges.head(_HTML_LIMIT))]
    sec = ReportSection("netzwerk", "Akteure im Netzwerk", slot="netzwerk", paragraphs=[
        f"Das Netz verbindet {n_actors} Akteure mit ihren Maßnahmen und Aktivitäten, diese mit ihren Zielen, "
        "Ziele mit übergeordneten und abgestimmten Zielen und Gremien mit ihren Mitgliedern"
        + (", für die Dokumente der Stadt und des Kreises." if ctx.gebiet else "."),
        "„Verbindungen“: Zahl der direkten Verbindungen. „Vermittlung“: Anteil der kürzesten Wege im Netz, die über den "
        "Akteur laufen (0 bis 1); hoch heißt, er verbindet Bereiche, die sonst wenig miteinander zu tun haben. "
        "„Gruppen“: aus wie vielen Gruppen des Netzes seine Nachbarn stammen (Gruppen: Teile, die untereinander "
        "dichter verbunden sind als nach außen). „Trennstelle“: ohne diesen Akteur zerfiele das Netz in Teile."],
        tables=[Table("Die zentralsten Akteure", [("name", "Akteur"), ("grad", "Verbindungen"), ("zwischen", "Vermittlung"),
                                                  ("vorhaben", "Vorhaben"), ("gruppen", "Gruppen"), ("trenn", "Trennstelle")], rows),
                _limited("Brücken zwischen Gruppen", [("name", "Akteur"), ("gruppen", "Gruppen"), ("trenn", "Trennstelle")],
                         brows, note="Akteure, deren Nachbarn aus mehreren Gruppen stammen oder ohne die das Netz zerfiele.")])
    csv_df = df.rename(columns={"name": "akteur_name", "grad": "verbindungen", "zwischen": "vermittlung"})
    return sec, csv_df


def _overview(ctx: ReportContext, summary):
    docs = [{"dokument": _s(k.get("konzeptname")) or shorten(k["konzept"]), "rolle": "Gegenstand",
             "ziele": k.get("ziele"), "handlungsfelder": k.get("handlungsfelder"), "vorhaben": k.get("vorhaben")}
            for k in ctx.konzepte]
    docs += [{"dokument": _s(k.get("konzeptname")) or shorten(k["konzept"]), "rolle": "zum Vergleich",
              "ziele": k.get("ziele"), "handlungsfelder": k.get("handlungsfelder"), "vorhaben": k.get("vorhaben")}
             for k in ctx.kontext]
    paras = []
    if ctx.town:
        paras.append(
            f"Gegenstand sind die Konzepte von {ctx.town}, die Ziele, Handlungsfelder oder Maßnahmen enthalten. "
            + ("Die Konzepte des Kreises sind zum Vergleich dabei: bei den Überschneidungen (plant die Stadt, was der "
               "Kreis schon plant?) und im Netzwerk der Akteure, nicht bei den Lücken." if ctx.kontext else ""))
    else:
        paras.append("Gegenstand sind alle Konzepte im Graphen, die Ziele, Handlungsfelder oder Maßnahmen enthalten.")
    paras.append("Grundlage: was die Dokumente sagen"
                 + (" und kuratierte Verknüpfungen (Lebensphasen der Vorhaben und Abgleiche zwischen den Dokumenten, "
                    "von der Redaktion mit Begründung ergänzt)." if ctx.include_curated else
                    "; kuratierte Verknüpfungen sind weggelassen."))
    return ReportSection("ueberblick", "Überblick", slot="ueberblick", paragraphs=paras, tables=[
        Table("Berücksichtigte Dokumente", [("dokument", "Dokument"), ("rolle", "Rolle"), ("ziele", "Ziele"),
                                            ("handlungsfelder", "Handlungsfelder"), ("vorhaben", "Vorhaben")], docs),
        Table("Auf einen Blick", [("was", "Was"), ("anzahl", "Anzahl")],
              [{"was": w, "anzahl": n} for w, n in summary])])


def _extra_sections(ctx: ReportContext) -> list[ReportSection]:
    import importlib

    out = []
    for name in SECTION_MODULES:
        sec = importlib.import_module(name).section(ctx)
        if sec is not None:
            if sec.slot not in SLOTS:
                raise ConfigError(f"{name}: unbekannter Platz {sec.slot!r} für einen Abschnitt (erlaubt: {', '.join(SLOTS)}).")
            out.append(sec)
    return out


# -- the whole ----------------------------------------------------------------------------------

def build_report(store, settings, *, town: str | None = None, include_curated: bool = True,
                 today: _dt.date | None = None) -> Report:
    import pandas as pd

    from ..query.catalogue import run

    konzepte = run(store, _catalogue(settings.queries_dir).get("konzepte"), include_curated=include_curated)
    subject, context, gebiet = choose_documents(konzepte, town)
    town_name = None
    if gebiet:
        town_name = next((_s(r.get("gebietname")) for r in subject if _s(r.get("gebietname"))), town)
    ctx = ReportContext(store, settings, town_name, gebiet, subject, context, include_curated, today or _dt.date.today())

    heat_rows, heat_cols = _heatmap(ctx)
    gaps, gap_rows = _gaps(ctx, heat_rows, heat_cols)
    overlaps, overlap_rows = _overlaps(ctx)
    network, actors_df = _network(ctx)

    # The heat map: one table per document, its cells coloured by the number (drawn as HTML, no picture).
    heat_table_cols = [("handlungsfeld", "Handlungsfeld")] + [(k or "ohne", h) for k, h in heat_cols]
    for sub in gaps.subsections:
        if sub.id == "lebensphasen":
            for doc in dict.fromkeys(r["dokument"] for r in heat_rows):
                sub.tables.append(Table(f"Zahl der Vorhaben je Handlungsfeld und Lebensphase: {doc}", heat_table_cols,
                                        [r for r in heat_rows if r["dokument"] == doc], heat=True))

    def count(kind: str) -> int:
        return sum(1 for r in gap_rows if r["luecke"] == kind)

    summary = [
        ("Ziele ohne Maßnahme", count("Ziel ohne Maßnahme")),
        ("leere Felder Handlungsfeld × Lebensphase", count("Lebensphase ohne Vorhaben im Handlungsfeld")),
        ("Maßnahmen ohne Zuständigkeit", count("Maßnahme ohne Zuständigkeit")),
        ("Ziele ohne Indikator", count("Ziel ohne Indikator")),
        ("Handlungsfelder ohne Abgleich", count("Handlungsfeld ohne Abgleich")),
        ("Akteure ohne Aktivität", count("Akteur ohne Aktivität")),
        ("Überschneidungen", len(overlap_rows)),
    ]
    sections = [_overview(ctx, summary), gaps, overlaps, network] + _extra_sections(ctx)
    sections.sort(key=lambda s: SLOTS.index(s.slot) if s.slot in SLOTS else len(SLOTS))

    heat_csv = pd.DataFrame([{"dokument": r["dokument"], "handlungsfeld": r["handlungsfeld"],
                              **{h: r[k or "ohne"] for k, h in heat_cols}, "iri": r["iri"]} for r in heat_rows])
    csv = {
        CSV_FILES["luecken"]: pd.DataFrame(gap_rows, columns=["luecke", "dokument", "handlungsfeld", "bezeichnung",
                                                              "lebensphase", "hinweis", "iri"]),
        CSV_FILES["ueberschneidungen"]: pd.DataFrame(overlap_rows, columns=["ueberschneidung", "dokument", "erstes", "zweites",
                                                                            "beteiligte", "lebensphase", "aehnlichkeit", "iri"]),
        CSV_FILES["heatmap"]: heat_csv,
        CSV_FILES["akteure"]: actors_df,
    }
    title = "Bericht für die Steuerungsgruppe" + (f": {town_name}" if town_name else "")
    return Report(title, ctx, sections, csv, summary)


def render_html(report: Report) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent.parent / "templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    tpl = env.get_template("report.html.j2")
    return tpl.render(report=report, csv_files=list(report.csv), date=report.context.date.strftime("%d.%m.%Y"))


def write_report(report: Report, out_dir: Path) -> list[Path]:
    """Write ``bericht.html`` and the CSV files into ``out_dir``; returns the paths written."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"Der Ordner kann nicht angelegt werden: {e.strerror}", source=str(out_dir)) from None
    paths = []
    html_path = out_dir / OUTPUT_HTML
    html_path.write_text(render_html(report), encoding="utf-8")
    paths.append(html_path)
    for name, df in report.csv.items():
        p = out_dir / name
        # As spreadsheet programs set to German read them: semicolons, decimal commas, ja/nein.
        out = df.map(lambda v: ("ja" if v else "nein") if isinstance(v, bool) else v)
        out.to_csv(p, sep=";", decimal=",", index=False, encoding="utf-8-sig")
        paths.append(p)
    return paths
