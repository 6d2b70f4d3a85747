"""All settings in one place, read from environment variables with the prefix ``INKO_``.

The data folders (``ontology/``, ``queries/``, ``graph_data/``, ``viz/``) live at the top of the
repository; an installed wheel carries a copy of them in ``inko_graph/_daten/``. ``DATA_ROOT`` is
the repository when run from a checkout, the packaged copy otherwise; ``INKO_DATA_DIR``,
``INKO_ONTOLOGY_DIR`` and ``INKO_QUERIES_DIR`` choose other folders. The store lies in
``var/store`` of the repository in a checkout, of the working directory when installed (never
inside the installation); ``INKO_STORE`` chooses another folder."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ConfigError
from .namespaces import BASE

__all__ = ["Settings", "SparqlServer", "Publication", "PROJECT_ROOT", "DATA_ROOT", "CHECKOUT"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: Run from a checkout of the repository (its data folders beside the package).
CHECKOUT = (PROJECT_ROOT / "graph_data").is_dir() and (PROJECT_ROOT / "ontology").is_dir()
#: The folder holding ontology/, queries/, graph_data/ and viz/.
DATA_ROOT = PROJECT_ROOT if CHECKOUT else Path(__file__).resolve().parent / "_daten"


def _default_store() -> Path:
    return (PROJECT_ROOT if CHECKOUT else Path.cwd()) / "var" / "store"


def _int(env: dict, key: str, default: int) -> int:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"Die Einstellung {key} muss eine ganze Zahl sein, ist aber {raw!r}.") from None


def _float(env: dict, key: str, default: float) -> float:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"Die Einstellung {key} muss eine Zahl sein, ist aber {raw!r}.") from None


@dataclass(frozen=True)
class SparqlServer:
    """A SPARQL 1.1 server as the store (``INKO_SPARQL_*``). The password stays out of ``repr``."""

    query_url: str
    update_url: str
    graph_store_url: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: dict) -> "SparqlServer | None":
        query = env.get("INKO_SPARQL_QUERY_URL") or None
        if query is None:
            for key in ("INKO_SPARQL_UPDATE_URL", "INKO_GRAPH_STORE_URL"):
                if env.get(key):
                    raise ConfigError(f"{key} ist gesetzt, INKO_SPARQL_QUERY_URL aber nicht; bitte beide angeben.")
            return None
        urls = {"INKO_SPARQL_QUERY_URL": query, "INKO_SPARQL_UPDATE_URL": env.get("INKO_SPARQL_UPDATE_URL") or query,
                "INKO_GRAPH_STORE_URL": env.get("INKO_GRAPH_STORE_URL") or None}
        for key, url in urls.items():
            if url is not None and not url.startswith(("http://", "https://")):
                raise ConfigError(f"{key} muss eine Adresse mit http:// oder https:// sein, ist aber {url!r}.")
        return cls(urls["INKO_SPARQL_QUERY_URL"], urls["INKO_SPARQL_UPDATE_URL"], urls["INKO_GRAPH_STORE_URL"],
                   env.get("INKO_SPARQL_USER") or None, env.get("INKO_SPARQL_PASSWORD") or None)


#: dcat-ap.de vocabularies the catalogue record draws on (see tests/data/dcat-ap-de/).
_DCATDE = "http://dcat-ap.de/def/"


@dataclass(frozen=True)
class Publication:
    """Who publishes the dataset and whom to ask, for the DCAT-AP.de record (``INKO_PUBLISHER_*`` …).

    Defaults: the Ennepe-Ruhr-Kreis. The contact is an office (functional address), never a person."""

    publisher_name: str = "Ennepe-Ruhr-Kreis"
    publisher_iri: str = "https://www.enkreis.de/"
    contact_name: str = "Ennepe-Ruhr-Kreis, Kommunales Integrationszentrum"
    contact_email: str | None = None
    contact_url: str | None = "https://www.enkreis.de/"
    #: The system delivering to GovData (list http://dcat-ap.de/def/contributors).
    contributor_id: str = _DCATDE + "contributors/openNRW"
    #: Kreisschlüssel 05954 and its level (lists http://dcat-ap.de/def/politicalGeocoding/...).
    geocoding_uri: str = _DCATDE + "politicalGeocoding/districtKey/05954"
    geocoding_level_uri: str = _DCATDE + "politicalGeocoding/Level/administrativeDistrict"
    #: First publication of the dataset (ISO date).
    issued: str = "2026-11-22"

    @classmethod
    def from_env(cls, env: dict) -> "Publication":
        keys = {"publisher_name": "INKO_PUBLISHER_NAME", "publisher_iri": "INKO_PUBLISHER_IRI",
                "contact_name": "INKO_CONTACT_NAME", "contact_email": "INKO_CONTACT_EMAIL",
                "contact_url": "INKO_CONTACT_URL", "contributor_id": "INKO_CONTRIBUTOR_ID",
                "geocoding_uri": "INKO_GEOCODING_URI", "geocoding_level_uri": "INKO_GEOCODING_LEVEL_URI",
                "issued": "INKO_DATASET_ISSUED"}
        kw = {name: env[key].strip() for name, key in keys.items() if key in env}
        for name in ("contact_email", "contact_url"):
            if kw.get(name) == "":
                kw[name] = None
        pub = cls(**kw)
        for name in ("publisher_iri", "contributor_id", "geocoding_uri", "geocoding_level_uri", "contact_url"):
            value = getattr(pub, name)
            if value is not None and not value.startswith(("http://", "https://")):
                raise ConfigError(f"{keys[name]} muss eine Adresse mit http:// oder https:// sein, ist aber {value!r}.")
        if pub.contact_email is not None and not re.fullmatch(r"[^@\s:]+@[\w-]+(\.[\w-]+)+", pub.contact_email):
            raise ConfigError(f"INKO_CONTACT_EMAIL muss eine E-Mail-Adresse sein (z. B. integration@kreis.de), "
                              f"ist aber {pub.contact_email!r}.")
        if pub.contact_email is not None and re.match(r"[^\W\d_]{1,30}[._-][^\W\d_]{2,30}@", pub.contact_email):
            raise ConfigError(f"INKO_CONTACT_EMAIL {pub.contact_email!r} sieht wie die Adresse einer Person aus; "
                              "bitte die Funktionsadresse der Dienststelle angeben (z. B. integration@kreis.de).")
        if pub.contact_email is None and pub.contact_url is None:
            raise ConfigError("INKO_CONTACT_EMAIL oder INKO_CONTACT_URL muss gesetzt sein: "
                              "die Datensatzbeschreibung braucht eine Kontaktadresse der Dienststelle.")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", pub.issued):
            raise ConfigError(f"INKO_DATASET_ISSUED muss ein Datum wie 2026-11-22 sein, ist aber {pub.issued!r}.")
        return pub


@dataclass(frozen=True)
class Settings:
    """Paths, limits and secrets. ``Settings.from_env()`` reads them from the environment."""

    base_iri: str = BASE
    data_dir: Path = DATA_ROOT / "graph_data"
    ontology_dir: Path = DATA_ROOT / "ontology"
    queries_dir: Path = DATA_ROOT / "queries"
    #: Directory of the on-disk store; ``None`` keeps the store in memory. Installed: var/store of
    #: the working directory when the settings are read.
    store_path: Path | None = field(default_factory=_default_store)
    #: A SPARQL 1.1 server instead of the embedded store (``INKO_SPARQL_QUERY_URL`` …); ``None``: embedded.
    sparql_server: SparqlServer | None = None
    #: Publisher, contact and region for the DCAT-AP.de record (``Publication``).
    publication: Publication = field(default_factory=Publication)
    #: Token for write routes; ``None`` means the server is read-only.
    write_token: str | None = None
    #: Per-actor upload tokens file (JSON: token -> {actor, town}).
    tokens_file: Path | None = None
    query_timeout: float = 10.0
    max_result_rows: int = 1_000_000
    max_query_bytes: int = 20_000
    max_upload_bytes: int = 5_000_000
    query_workers: int = 2
    #: Bytes of query answers kept for repeated queries (emptied when the data change); 0: none.
    query_cache_bytes: int = 32_000_000
    language: str = "de"
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict | None = None, **overrides) -> "Settings":
        env = dict(os.environ if env is None else env)
        kw: dict = {}
        if env.get("INKO_BASE_IRI"):
            base = env["INKO_BASE_IRI"]
            if not base.endswith("/"):
                raise ConfigError(f"INKO_BASE_IRI muss mit '/' enden, ist aber {base!r}.")
            kw["base_iri"] = base
        if env.get("INKO_DATA_DIR"):
            kw["data_dir"] = Path(env["INKO_DATA_DIR"])
        if env.get("INKO_ONTOLOGY_DIR"):
            kw["ontology_dir"] = Path(env["INKO_ONTOLOGY_DIR"])
        if env.get("INKO_QUERIES_DIR"):
            kw["queries_dir"] = Path(env["INKO_QUERIES_DIR"])
        if "INKO_STORE" in env:
            kw["store_path"] = Path(env["INKO_STORE"]) if env["INKO_STORE"] not in ("", ":memory:") else None
        kw["sparql_server"] = SparqlServer.from_env(env)
        kw["publication"] = Publication.from_env(env)
        if kw["sparql_server"] is not None and "INKO_STORE" not in env:
            kw["store_path"] = None  # the server holds the data (and keeps writes durable): no store on disk
        if env.get("INKO_WRITE_TOKEN"):
            kw["write_token"] = env["INKO_WRITE_TOKEN"]
        if env.get("INKO_TOKENS_FILE"):
            kw["tokens_file"] = Path(env["INKO_TOKENS_FILE"])
        kw["query_timeout"] = _float(env, "INKO_QUERY_TIMEOUT", cls.query_timeout)
        kw["max_result_rows"] = _int(env, "INKO_MAX_RESULT_ROWS", cls.max_result_rows)
        kw["max_query_bytes"] = _int(env, "INKO_MAX_QUERY_BYTES", cls.max_query_bytes)
        kw["max_upload_bytes"] = _int(env, "INKO_MAX_UPLOAD_BYTES", cls.max_upload_bytes)
        kw["query_workers"] = _int(env, "INKO_QUERY_WORKERS", cls.query_workers)
        kw["query_cache_bytes"] = _int(env, "INKO_QUERY_CACHE_BYTES", cls.query_cache_bytes)
        if env.get("INKO_LANG"):
            kw["language"] = env["INKO_LANG"]
        kw.update(overrides)
        return cls(**kw)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
