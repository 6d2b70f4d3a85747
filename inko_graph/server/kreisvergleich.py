"""„Kreisvergleich“: the towns of a Kreis side by side, on the Kreis's Handlungsfelder.

``/kreisvergleich?kreis=ennepe-ruhr-kreis`` shows

- a heat map: per Handlungsfeld of the Kreis, town and Lebensphase the number of measures and
  activities (those from Raster submissions counted apart). The towns' concepts have fields of
  their own; a town's field counts under each Kreis field it is aligned with (skos matches, stated
  or curated); a field without alignment has its own row under „ohne Zuordnung zum Kreis“, and the
  undertakings that serve a town's goal but stand in no field one row per concept („ohne Handlungsfeld“);
- the cells (Kreis field × Lebensphase) where no town has anything;
- per Kreis goal and town whether the town's concept serves it (in the document or curated), built
  on ``cockpit_kreis.kreisziele`` (query ``cockpit-kreisziele``);
- how the towns' fields are aligned to the Kreis's.

Queries: ``kreisvergleich-kreise``, ``-felder``, ``-verknuepfungen`` and ``raster-vokabular`` (the
Lebensphasen as columns). The heat map and the gaps are counted in Python from the plain links
(``kreisvergleich_zahlen``): the named queries ``kreisvergleich-vorhaben`` and ``-luecken`` say the
same for the endpoint, and the tests hold both to the same numbers. Every table downloads as CSV and Excel (``cockpit_base.page``).
A Kreis without a concept in the graph (Kreis Mettmann) has no fields of its own: its towns'
fields then all stand under „ohne Zuordnung zum Kreis“.
"""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request

from . import gebiet as gb
from .cockpit_base import Tabelle, local, natural, page, run, text
from .kreisvergleich_zahlen import Zaehlung, zaehlen

__all__ = ["router", "kreise", "vergleich", "stufe", "DEFAULT_KREIS"]

router = APIRouter()

DEFAULT_KREIS = "ennepe-ruhr-kreis"
LEBENSPHASEN = "https://w3id.org/inko/id/vokabular/lebensphasen"
OHNE = "ohne Angabe"
BEZIEHUNG = {"exactMatch": "gleich", "closeMatch": "entspricht", "broadMatch": "ist Teil davon",
             "narrowMatch": "umfasst es", "relatedMatch": "verwandt"}


def stufe(n: int) -> int:
    """The colour step of a cell (0 to 4); the number itself is always written in the cell."""
    return 0 if n <= 0 else 1 if n == 1 else 2 if n <= 3 else 3 if n <= 6 else 4


def kreise(request: Request) -> dict[str, dict]:
    """slug -> the Kreis with its towns that have concepts (query ``kreisvergleich-kreise``)."""
    out: dict[str, dict] = {}
    for r in run(request, "kreisvergleich-kreise").itertuples(index=False):
        k = out.setdefault(local(r.kreis).lower(), {"iri": r.kreis, "slug": local(r.kreis).lower(),
                                                    "name": text(r.kreisname) or local(r.kreis),
                                                    "konzept": text(r.kreiskonzept), "staedte": {}})
        k["staedte"][r.stadt] = text(r.stadtname) or local(r.stadt)
    for k in out.values():
        k["staedte"] = sorted(k["staedte"].items(), key=lambda kv: natural(kv[1]))
    return out


def _wanted(request: Request, opts: dict[str, dict]) -> str:
    raw = (request.query_params.get("kreis") or "").strip().lower()
    if raw:
        return raw
    g = gb.chosen(request)
    if g is not None:
        if g.slug in opts:
            return g.slug
        for slug, k in opts.items():
            if k["iri"] == g.liegt_in:
                return slug
    return DEFAULT_KREIS if DEFAULT_KREIS in opts else next(iter(opts), "")


def _lebensphasen(request: Request) -> list[tuple[str, str]]:
    df = run(request, "raster-vokabular", {"schema": LEBENSPHASEN})
    rows = sorted(df.itertuples(index=False), key=lambda r: (natural(text(r.notation)), natural(text(r.bezeichnung))))
    return [(r.begriff, text(r.bezeichnung)) for r in rows]


def _cell(c=None) -> dict:
    if c is None:
        return {"anzahl": 0, "massnahmen": 0, "aktivitaeten": 0, "raster": 0, "stufe": 0}
    return {"anzahl": c[0], "massnahmen": c[1], "aktivitaeten": c[2], "raster": c[3], "stufe": stufe(c[0])}


def zaehlung(request: Request, kreis: dict, felder=None) -> Zaehlung:
    """The counts of ``kreis`` (see ``kreisvergleich_zahlen``), cached per state of the data."""
    felder = run(request, "kreisvergleich-felder", {"kreis": kreis["iri"]}) if felder is None else felder
    key = ("kreisvergleich-zaehlung", kreis["iri"])
    cache = request.app.state.cache
    z = cache.get(key)
    if z is None:
        zuordnung: dict[str, set] = {}
        for f, kf in zip(felder["feld"], felder["kreisfeld"]):
            if isinstance(kf, str):
                zuordnung.setdefault(f, set()).add(kf)
        z = zaehlen(run(request, "kreisvergleich-verknuepfungen"), kreis["iri"], [s for s, _ in kreis["staedte"]], zuordnung)
        cache[key] = z
    return z


def vergleich(request: Request, kreis: dict) -> dict:
    """The heat map, the gaps, the Kreis goals per town and the field alignments of ``kreis``."""
    staedte = kreis["staedte"]
    lps = _lebensphasen(request)
    spalten = lps + [("", OHNE)]
    felder = run(request, "kreisvergleich-felder", {"kreis": kreis["iri"]})
    z = zaehlung(request, kreis, felder)

    # Rows: the Kreis's fields (all towns, zeros too), then each town field without alignment.
    kreisfelder: dict[str, dict] = {}
    eigene: dict[tuple[str, str], dict] = {}
    zuordnungen = []
    for r in felder.itertuples(index=False):
        if isinstance(r.kreisfeld, str):
            kreisfelder.setdefault(r.kreisfeld, {"iri": r.kreisfeld, "name": text(r.kreisfeldname), "nummer": ""})
            zuordnungen.append({"stadt": text(r.stadtname), "feld": text(r.feldname), "feldnummer": text(r.feldnummer),
                                "kreisfeld": text(r.kreisfeldname), "beziehung": BEZIEHUNG.get(r.beziehung, r.beziehung),
                                "belegt": text(r.belegt)})
        else:
            eigene.setdefault((r.stadt, r.feld), {"iri": r.feld, "name": text(r.feldname), "nummer": text(r.feldnummer),
                                                  "stadt": r.stadt, "konzept": text(r.konzeptname)})
            zuordnungen.append({"stadt": text(r.stadtname), "feld": text(r.feldname), "feldnummer": text(r.feldnummer),
                                "kreisfeld": "", "beziehung": "", "belegt": ""})
    lueckensatz = z.luecken if kreis["konzept"] else set()
    for kf, _ in lueckensatz:
        kreisfelder.setdefault(kf, {"iri": kf, "name": z.name(kf), "nummer": ""})
    for f in kreisfelder.values():
        f["nummer"] = f["nummer"] or z.nummer(f["iri"])
        f["name"] = f["name"] or z.name(f["iri"])
    cells = {k: _cell(c) for k, c in z.cells.items()}
    feldlos: dict[tuple[str, str], dict] = {}
    for (stadt, zeile), art in z.art.items():
        if art == "feldlos":
            feldlos.setdefault((stadt, zeile), {"iri": zeile, "name": z.name(zeile) or local(zeile), "nummer": "",
                                                "stadt": stadt})
        elif art == "kreisfeld":
            kreisfelder.setdefault(zeile, {"iri": zeile, "name": z.name(zeile), "nummer": z.nummer(zeile)})
        else:
            eigene.setdefault((stadt, zeile), {"iri": zeile, "name": z.name(zeile), "nummer": z.nummer(zeile),
                                               "stadt": stadt})
    names = dict(staedte)

    def zeile(feld: str, stadt: str, label: str, konzept: str = "") -> dict:
        zellen = [cells.get((feld, stadt, lp)) or _cell() for lp, _ in spalten]
        return {"stadt": names.get(stadt, local(stadt)), "label": label, "zellen": zellen, "konzept": konzept}

    gruppen = []
    for f in sorted(kreisfelder.values(), key=lambda f: (natural(f["nummer"]), natural(f["name"]))):
        gruppen.append({"titel": f["name"], "nummer": f["nummer"], "kreisfeld": True,
                        "luecken": [(f["iri"], lp) in lueckensatz for lp, _ in spalten],
                        "zeilen": [zeile(f["iri"], s, n) for s, n in staedte]})
    ohne = sorted(eigene.values(), key=lambda f: (natural(names.get(f["stadt"], "")), natural(f["nummer"]),
                                                   natural(f["name"])))
    # Where one town has two fields of the same name (two concepts), the row names the concept.
    twice = Counter((f["stadt"], f["name"]) for f in ohne)
    if ohne:
        gruppen.append({"titel": "ohne Zuordnung zum Kreis", "nummer": "", "kreisfeld": False,
                        "luecken": [False] * len(spalten),
                        "zeilen": [zeile(f["iri"], f["stadt"], (f["nummer"] + " " if f["nummer"] else "") + f["name"],
                                         f.get("konzept", "") if twice[(f["stadt"], f["name"])] > 1 else "")
                                   for f in ohne]})
    if feldlos:
        gruppen.append({"titel": "ohne Handlungsfeld", "nummer": "", "kreisfeld": False,
                        "luecken": [False] * len(spalten),
                        "zeilen": [zeile(f["iri"], f["stadt"], f["name"]) for f in
                                   sorted(feldlos.values(), key=lambda f: (natural(names.get(f["stadt"], "")), natural(f["name"])))]})
    lueckenliste = [{"feld": g["titel"], "nummer": g["nummer"],
                     "lebensphasen": [n for (lp, n), gap in zip(spalten, g["luecken"]) if gap]}
                    for g in gruppen if any(g["luecken"])]
    return {"kreis": kreis, "spalten": spalten, "gruppen": gruppen, "luecken": lueckenliste,
            "anzahl_luecken": len(lueckensatz), "zuordnungen": zuordnungen, "ziele": _kreisziele(request, kreis)}


def _kreisziele(request: Request, kreis: dict) -> dict | None:
    """Per Kreis goal and town: served in the document, by a curated link, or not at all."""
    from .cockpit_kreis import kreisziele

    g = next((x for x in gb.choices(request.app).values() if x.iri == kreis["iri"]), None)
    k = kreisziele(request, g, details=False) if g is not None and g.ist_kreis else None
    if not k:
        return None
    staedte = [n for _, n in kreis["staedte"]]
    zeilen, offen = [], {s: 0 for s in staedte}
    for z in k["ziele"]:
        per: dict[str, str] = {}
        for t in z["treffer"]:
            if t["stadt"] in offen and per.get(t["stadt"]) != "Dokument":
                per[t["stadt"]] = "Dokument" if t["belegt"] == "Dokument" else "kuratiert"
        for s in staedte:
            if s not in per:
                offen[s] += 1
        zeilen.append({"iri": z["iri"], "nummer": z["nummer"], "label": z["label"],
                       "staedte": [per.get(s, "") for s in staedte]})
    return {"staedte": staedte, "zeilen": zeilen, "offen": [offen[s] for s in staedte]}


_BELEGT = {"Dokument": "im Dokument", "kuratiert": "kuratiert", "": "nicht bedient"}


def _tabellen(v: dict) -> list[Tabelle]:
    lpnamen = [n for _, n in v["spalten"]]
    heat = []
    for g in v["gruppen"]:
        feld = ((g["nummer"] + " ") if g["nummer"] else "") + g["titel"]
        for z in g["zeilen"]:
            heat.append([feld, z["stadt"], z["label"] if not g["kreisfeld"] else ""] + [c["anzahl"] for c in z["zellen"]])
    tabs = [Tabelle("heatmap", "Vorhaben je Handlungsfeld und Lebensphase",
                    ["Handlungsfeld des Kreises", "Stadt", "Handlungsfeld der Stadt (ohne Zuordnung)"] + lpnamen, heat),
            Tabelle("luecken", "Lücken im Kreis", ["Handlungsfeld des Kreises", "Lebensphasen ohne Vorhaben einer Stadt"],
                    [[((x["nummer"] + " ") if x["nummer"] else "") + x["feld"], x["lebensphasen"]] for x in v["luecken"]]),
            Tabelle("felder", "Zuordnung der Handlungsfelder",
                    ["Stadt", "Handlungsfeld der Stadt", "Handlungsfeld des Kreises", "Beziehung", "Zuordnung"],
                    [[z["stadt"], ((z["feldnummer"] + " ") if z["feldnummer"] else "") + z["feld"],
                      z["kreisfeld"] or "ohne Zuordnung zum Kreis", z["beziehung"],
                      {"kuratiert": "kuratiert", "Dokument": "im Dokument"}.get(z["belegt"], "")]
                     for z in v["zuordnungen"]])]
    if v["ziele"]:
        k = v["ziele"]
        tabs.append(Tabelle("kreisziele", "Kreisziele je Stadt", ["Nummer", "Kreisziel"] + k["staedte"],
                            [[z["nummer"], z["label"]] + [_BELEGT[s] for s in z["staedte"]] for z in k["zeilen"]]))
    return tabs


@router.get("/kreisvergleich", include_in_schema=False)
def kreisvergleich(request: Request):
    opts = kreise(request)
    wanted = _wanted(request, opts)
    kreis = opts.get(wanted)
    if kreis is None:
        return page(request, "kreisvergleich.html.j2", "Kreisvergleich", kreise=list(opts.values()), kreis=None,
                    unbekannt=wanted, v=None)
    v = vergleich(request, kreis)
    return page(request, "kreisvergleich.html.j2", "Kreisvergleich", tabellen=_tabellen(v),
                dateiname=f"Kreisvergleich {kreis['name']}", kreise=list(opts.values()), kreis=kreis,
                unbekannt="", v=v, belegt=_BELEGT)
