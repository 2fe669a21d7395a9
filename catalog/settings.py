"""The one place where config.yaml and the environment become typed settings."""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
import typing
from collections.abc import Iterable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from catalog.search.registry import BACKENDS
from dcat.bounding_box import BoundingBox
from dcat.profiles import DEFAULT_PROFILE, Profile

DEFAULT_CONFIG_FILE = "config.yaml"
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,99}$"
_HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# The languages a catalog can show its records in (catalog.language).
CatalogLanguage = Literal["de", "en"]
CATALOG_LANGUAGES: tuple[str, ...] = typing.get_args(CatalogLanguage)


class ConfigError(Exception):
    """A config file that cannot be used; the message names the key and what was expected."""


class SourceTypeDeclaration(Protocol):
    """What config loading needs to know of a source type: the model of its `options`."""

    @property
    def options(self) -> type[BaseModel]: ...


# The source types by name, as the composition root declares them (harvesters.registry).
# `catalog` may not import `harvesters`; until a declaration, any type name is accepted and
# options are not checked (a harvest of an unknown type then fails its job, saying so).
_source_types: Mapping[str, SourceTypeDeclaration] = {}


def use_source_types(source_types: Mapping[str, SourceTypeDeclaration]) -> None:
    """Check every source's type and options from now on against these declarations."""
    global _source_types
    _source_types = source_types


class _Section(BaseModel):
    # An unknown key is almost always a typo: refuse it instead of silently ignoring it.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _not_one_of(names: Iterable[str]) -> PydanticCustomError:
    """The error for a name no registry entry has, in the words pydantic uses for a Literal."""
    quoted = [repr(name) for name in names]
    expected = " or ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)
    return PydanticCustomError(
        "literal_error", "Input should be {expected}", {"expected": expected}
    )


def _check_http_url(value: str | None) -> str | None:
    if value is not None and not _HTTP_URL.match(value):
        raise ValueError(f"expected an http(s) URL, got {value!r}")
    return value


class PublisherSettings(_Section):
    name: str = Field(min_length=1)
    uri: str | None = None

    _uri = field_validator("uri")(_check_http_url)


class PoliticalGeocodingSettings(_Section):
    level: str = Field(description="IRI from http://dcat-ap.de/def/politicalGeocoding/Level")
    uri: str = Field(description="IRI of the key, e.g. .../municipalityKey/<AGS>")

    _iris = field_validator("level", "uri")(_check_http_url)


class DistrictSettings(_Section):
    """A district (Stadtteil) of the city, offered as a place in the stewards' dataset form.

    Every chosen district is named in dcatde:geocodingDescription; one with a `uri` (the
    district in the city's register, Wikidata or a gazetteer) is also written as dct:spatial.
    One with a `bbox` ([west, south, east, north] in WGS 84 degrees) is a place the search
    page can filter by, and gives its box in the index to the datasets that name it.
    """

    name: str = Field(min_length=1)
    uri: str | None = None
    bbox: tuple[float, float, float, float] | None = None

    _uri = field_validator("uri")(_check_http_url)

    @field_validator("bbox")
    @classmethod
    def _west_south_east_north(
        cls, value: tuple[float, float, float, float] | None
    ) -> tuple[float, float, float, float] | None:
        if value is not None:
            try:
                BoundingBox(*value)
            except ValueError:
                raise ValueError(
                    "expected [west, south, east, north] in degrees, west <= east and "
                    f"south <= north, got {list(value)}"
                ) from None
        return value

    @property
    def box(self) -> BoundingBox | None:
        return BoundingBox(*self.bbox) if self.bbox else None


class CatalogSettings(_Section):
    title: str = Field(min_length=1)
    description: str = ""
    # The same in English, for English pages and as @en in the DCAT catalog description;
    # English pages show title and description where these are empty.
    title_en: str = ""
    description_en: str = ""
    base_url: str = "http://localhost:5000"
    language: CatalogLanguage = "de"
    homepage: str | None = None
    publisher: PublisherSettings
    contributor_id: str | None = None
    political_geocoding: PoliticalGeocodingSettings | None = None
    # The city's districts, offered beside its political geocoding in the dataset form.
    districts: list[DistrictSettings] = Field(default_factory=list)

    _urls = field_validator("base_url", "homepage", "contributor_id")(_check_http_url)

    @field_validator("base_url")
    @classmethod
    def _without_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def in_language(self, language: str) -> CatalogSettings:
        """The settings as a page in `language` shows them: on English pages the English
        title and description, where the config gives them."""
        if language != "en" or not (self.title_en or self.description_en):
            return self
        return self.model_copy(
            update={
                "title": self.title_en or self.title,
                "description": self.description_en or self.description,
            }
        )


class StorageSettings(_Section):
    data_dir: Path = Path("./instance")
    database_url: str | None = None


class ValidationSettings(_Section):
    publish_invalid: bool = False
    govdata_warnings: bool = True
    shapes: list[str] = Field(default_factory=list)


class DcatSettings(_Section):
    """The DCAT documents: which profile a client gets that names none."""

    default_profile: Profile = DEFAULT_PROFILE


class HarvestSettings(_Section):
    allow_private_networks: bool = False
    max_withdraw_fraction: float = Field(default=0.5, ge=0.0, le=1.0)
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=60.0, gt=0)
    retries: int = Field(default=3, ge=0, le=10)
    retry_backoff: float = Field(default=1.0, ge=0)
    max_response_mb: int = Field(default=50, ge=1)
    max_response_seconds: float = Field(default=600.0, gt=0)
    max_pages: int = Field(default=10_000, ge=1)
    # A running job whose heartbeat is older than this has lost its process (catalog.job_liveness).
    stale_after_seconds: int = Field(default=600, ge=10)

    @property
    def stale_after(self) -> timedelta:
        return timedelta(seconds=self.stale_after_seconds)


class LinkcheckSettings(_Section):
    """The link checker (catalog linkcheck): how often, how politely, how patiently."""

    # Hours: a URL checked less than this long ago is not checked again, by any run.
    interval: float = Field(default=24.0 * 7, gt=0)
    # At most this many requests to one host at a time, and this many seconds between the
    # starts of two requests to it: a city's links often point at one small server.
    per_host: int = Field(default=2, ge=1, le=16)
    delay: float = Field(default=1.0, ge=0)
    # Seconds to connect and for each wait for data; a whole answer ends at `deadline`.
    timeout: float = Field(default=10.0, gt=0)
    deadline: float = Field(default=30.0, gt=0)
    # Requests in flight across all hosts.
    parallel: int = Field(default=8, ge=1, le=256)

    @property
    def recheck_after(self) -> timedelta:
        return timedelta(hours=self.interval)


_ORIGIN = re.compile(r"^https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$")


def _check_origins(values: list[str]) -> list[str]:
    """Origins only: a path, space or semicolon would change the CSP that names them."""
    for value in values:
        if not _ORIGIN.match(value):
            raise ValueError(f"expected an origin like https://www.musterstadt.de, got {value!r}")
    return values


class WebhookSettings(_Section):
    """Deliveries of the change feed to registered endpoints (harvesters.webhook_delivery)."""

    # Endpoints must use https to a public address; addresses in these networks (CIDR, e.g.
    # 127.0.0.1/32 in tests or an intranet service) may be named as IP and use http too.
    allowed_networks: list[str] = Field(default_factory=list)
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=10.0, gt=0)
    # Run due deliveries in a background thread of the web app every so many seconds;
    # 0: only `catalog deliver --due` (cron) delivers.
    deliver_every_seconds: int = Field(default=0, ge=0)

    @field_validator("allowed_networks")
    @classmethod
    def _networks(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                ipaddress.ip_network(value, strict=False)
            except ValueError:
                raise ValueError(f"expected a network like 127.0.0.1/32, got {value!r}") from None
        return values


class WebSettings(_Section):
    secret_key: str | None = None
    # Larger request bodies are refused (413): API calls and steward forms are small text.
    max_request_bytes: int = Field(default=1_048_576, ge=1024)

    # Sites that may show the public pages in a frame (CSP frame-ancestors); the steward
    # area may never be framed.
    embedding_origins: list[str] = Field(default_factory=list)

    _origins = field_validator("embedding_origins")(_check_origins)


class UsageSettings(_Section):
    """The usage figures the catalog counts itself (catalog.usage): daily sums, nothing
    about who asked. Counts wait in memory and are written every `flush_seconds`."""

    enabled: bool = True
    flush_seconds: float = Field(default=30.0, gt=0, le=3600)


class SearchSettings(_Section):
    # A name in catalog.search.registry.BACKENDS: the engine behind the search index.
    backend: str = "whoosh"
    # How often each web process looks in the change log for changes that other processes
    # or other nodes committed (catalog.search.follower); its own saves reach it at once.
    follow_seconds: float = Field(default=0.5, gt=0, le=60)

    @field_validator("backend")
    @classmethod
    def _registered(cls, value: str) -> str:
        if value not in BACKENDS:
            raise _not_one_of(BACKENDS)
        return value


class TaskSettings(_Section):
    """The task queue that runs harvest jobs on workers (harvesters/queue, `catalog worker`).

    Without a broker (the default) jobs run in the process that starts them, so one machine
    needs no extra server; with one, `catalog harvest` and the steward's button enqueue them.
    """

    # redis://host:6379/0 or amqp://user:password@host:5672//; empty: no queue.
    broker_url: str = ""
    # Records per batch task: each batch is validated together and saved by one worker.
    batch_size: int = Field(default=50, ge=1, le=1000)
    # A task taken by a worker that vanished (machine lost, not just a pool process) is handed
    # out again after this long on Redis; longer than the longest gather of a source.
    visibility_timeout_seconds: int = Field(default=3600, ge=10)

    @property
    def queued(self) -> bool:
        return bool(self.broker_url)


class MailSettings(_Section):
    """The SMTP server that sends password-reset links; without a host no mail is sent."""

    host: str | None = None
    port: int = Field(default=25, ge=1, le=65535)
    sender: str = Field(default="", alias="from")
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = Field(default=10.0, gt=0)

    @model_validator(mode="after")
    def _sender_when_sending(self) -> MailSettings:
        if self.host and "@" not in self.sender:
            raise ValueError("mail.from: give the sender's address when mail.host is set")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.host)


class OrganizationSettings(_Section):
    name: str = Field(pattern=SLUG_PATTERN)
    title: str = Field(min_length=1)
    description: str = ""
    homepage: str | None = None
    email: str | None = None

    _homepage = field_validator("homepage")(_check_http_url)


def _vocabulary_value(kind: str, text: str) -> str:
    """The concept IRI for a code, label or IRI of one of the DCAT-AP.de vocabularies."""
    from dcat.vocabularies import FILE_TYPES, GEOCODING_LEVELS, LANGUAGES, LICENSES, THEMES

    vocabulary = {
        "license": LICENSES,
        "theme": THEMES,
        "format": FILE_TYPES,
        "language": LANGUAGES,
        "level": GEOCODING_LEVELS,
    }[kind]
    text = str(text).strip()
    if text in vocabulary:
        return text
    resolved = vocabulary.resolve(text) or vocabulary.resolve(f"{vocabulary.scheme}/{text}")
    if resolved is None:
        codes = sorted(concept.iri[len(vocabulary.scheme) + 1 :] for concept in vocabulary)
        examples = ", ".join(codes[:4])
        raise ValueError(
            f"unknown {kind} {text!r}: expected a code or IRI of <{vocabulary.scheme}> "
            f"(e.g. {examples})"
        )
    return resolved


class SourcePublisherDefault(_Section):
    name: str = Field(min_length=1)
    uri: str | None = None

    _uri = field_validator("uri")(_check_http_url)


class SourceContactDefault(_Section):
    """A contact point for records without one: an e-mail address or a web page is required."""

    name: str | None = None
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    url: str | None = None

    _url = field_validator("url")(_check_http_url)

    @model_validator(mode="after")
    def _reachable(self) -> SourceContactDefault:
        if self.email is None and self.url is None:
            raise ValueError("give 'email' or 'url' (DCAT-AP.de convention K01)")
        return self


class SourceGeocodingDefault(_Section):
    level: str
    uri: str

    _uri = field_validator("uri")(_check_http_url)

    @field_validator("level")
    @classmethod
    def _level(cls, value: str) -> str:
        return _vocabulary_value("level", value)


class SourceDefaults(_Section):
    """What the source's records get where they are silent; never over what they say."""

    publisher: SourcePublisherDefault | None = None
    contact: SourceContactDefault | None = None
    license: str | None = None
    contributor_id: str | None = None
    political_geocoding: SourceGeocodingDefault | None = None
    themes: list[str] = Field(default_factory=list)
    language: str | None = None

    _contributor = field_validator("contributor_id")(_check_http_url)

    @field_validator("license")
    @classmethod
    def _license(cls, value: str | None) -> str | None:
        return _vocabulary_value("license", value) if value is not None else None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return _vocabulary_value("language", value) if value is not None else None

    @field_validator("themes")
    @classmethod
    def _themes(cls, values: list[str]) -> list[str]:
        return [_vocabulary_value("theme", value) for value in values]


class SourceMappings(_Section):
    """The source's own values (exact text or IRI as delivered) -> DCAT-AP.de codes or IRIs."""

    license: dict[str, str] = Field(default_factory=dict)
    theme: dict[str, str] = Field(default_factory=dict)
    format: dict[str, str] = Field(default_factory=dict)

    @field_validator("license", "theme", "format")
    @classmethod
    def _targets(cls, table: dict[str, str], info: Any) -> dict[str, str]:
        kind = info.field_name
        return {key.strip(): _vocabulary_value(kind, value) for key, value in table.items()}


class SourceSettings(_Section):
    name: str = Field(pattern=SLUG_PATTERN)
    # One of the declared source types (harvesters.registry), checked in _declared_type.
    type: str
    url: str | None = None
    path: Path | None = None
    organization: str
    schedule: Literal["daily", "weekly", "manual"] = "daily"
    enabled: bool = True
    # Settings that only one source type understands (a CKAN fq filter, a column mapping).
    options: dict[str, Any] = Field(default_factory=dict)
    # Filling and mapping what the source's records leave out or say in their own words.
    defaults: SourceDefaults = SourceDefaults()
    mappings: SourceMappings = SourceMappings()
    # Whether the catalog's own geocoding and contributor ID may fill gaps in this source's
    # records; turn off for sources of other publishers (a state or federal catalog).
    city_defaults: bool = True

    _url = field_validator("url")(_check_http_url)

    @field_validator("type")
    @classmethod
    def _declared_type(cls, value: str) -> str:
        if _source_types and value not in _source_types:
            raise _not_one_of(_source_types)
        return value

    @model_validator(mode="after")
    def _url_or_path(self) -> SourceSettings:
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of 'url' or 'path'")
        return self


class Settings(_Section):
    catalog: CatalogSettings
    storage: StorageSettings = StorageSettings()
    validation: ValidationSettings = ValidationSettings()
    dcat: DcatSettings = DcatSettings()
    harvest: HarvestSettings = HarvestSettings()
    web: WebSettings = WebSettings()
    webhooks: WebhookSettings = WebhookSettings()
    search: SearchSettings = SearchSettings()
    tasks: TaskSettings = TaskSettings()
    usage: UsageSettings = UsageSettings()
    mail: MailSettings = MailSettings()
    linkcheck: LinkcheckSettings = LinkcheckSettings()
    organizations: list[OrganizationSettings] = Field(default_factory=list)
    sources: list[SourceSettings] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> Settings:
        org_names = [org.name for org in self.organizations]
        _refuse_duplicates("organizations", org_names)
        _refuse_duplicates("sources", [source.name for source in self.sources])
        for index, source in enumerate(self.sources):
            if source.organization not in org_names:
                raise ValueError(
                    f"sources.{index}.organization: unknown organisation {source.organization!r}"
                    f" (expected one of: {', '.join(org_names) or 'none configured'})"
                )
        return self

    @property
    def database_url(self) -> str:
        """The configured database, or the SQLite file in data_dir."""
        if self.storage.database_url:
            return self.storage.database_url
        return f"sqlite:///{(self.storage.data_dir / 'catalog.db').as_posix()}"

    @property
    def data_dir(self) -> Path:
        return self.storage.data_dir


def _refuse_duplicates(section: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"{section}: the name {name!r} is used twice")
        seen.add(name)


def config_path_from(explicit: str | os.PathLike[str] | None, env: Mapping[str, str]) -> Path:
    """--config wins, then $CATALOG_CONFIG, then ./config.yaml."""
    if explicit:
        return Path(explicit)
    return Path(env.get("CATALOG_CONFIG") or DEFAULT_CONFIG_FILE)


def load_settings(
    path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Read, check and complete the config; raises ConfigError with a one-line reason."""
    env = os.environ if env is None else env
    config_file = config_path_from(path, env)
    try:
        raw = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{config_file}: config file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{config_file}: not valid YAML: {_one_line(str(exc))}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_file}: expected a mapping of sections at the top level")
    return settings_from_mapping(
        raw, base_dir=config_file.resolve().parent, env=env, origin=str(config_file)
    )


def settings_from_mapping(
    raw: Mapping[str, Any],
    *,
    base_dir: Path,
    env: Mapping[str, str] | None = None,
    origin: str = "config",
) -> Settings:
    """Validate a config mapping, apply environment overrides and resolve relative paths."""
    env = os.environ if env is None else env
    data = dict(raw)
    storage = dict(data.get("storage") or {})
    if env.get("CATALOG_DATA_DIR"):
        storage["data_dir"] = env["CATALOG_DATA_DIR"]
    if env.get("CATALOG_DATABASE_URL"):
        storage["database_url"] = env["CATALOG_DATABASE_URL"]
    if storage:
        data["storage"] = storage
    if env.get("CATALOG_BROKER_URL"):
        data["tasks"] = {**dict(data.get("tasks") or {}), "broker_url": env["CATALOG_BROKER_URL"]}
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, origin)) from None
    _check_source_options(settings.sources, origin)
    return _resolve_paths(settings, base_dir, from_env="CATALOG_DATA_DIR" in env)


def _check_source_options(sources: list[SourceSettings], origin: str) -> None:
    """Each source's `options` against its type's model; raises ConfigError naming the key.

    The options stay as written (no defaults are added): the harvester reads them as they are.
    """
    problems = []
    for index, source in enumerate(sources):
        declaration = _source_types.get(source.type)
        if declaration is None:
            continue
        try:
            declaration.options.model_validate(source.options)
        except ValidationError as exc:
            where = ("sources", index, "options")
            problems.append(
                describe_validation_error(exc, origin, at=where, model=declaration.options)
            )
    if problems:
        raise ConfigError("\n".join(problems))


def _resolve_paths(settings: Settings, base_dir: Path, *, from_env: bool) -> Settings:
    # Paths in the file are relative to the file; a path from the environment to the caller.
    data_dir = settings.storage.data_dir
    if not data_dir.is_absolute():
        data_dir = (Path.cwd() if from_env else base_dir) / data_dir
    sources = [
        source.model_copy(update={"path": base_dir / source.path})
        if source.path is not None and not source.path.is_absolute()
        else source
        for source in settings.sources
    ]
    storage = settings.storage.model_copy(update={"data_dir": data_dir.resolve()})
    return settings.model_copy(update={"storage": storage, "sources": sources})


def describe_validation_error(
    exc: ValidationError,
    origin: str,
    *,
    at: tuple[Any, ...] = (),
    model: type[BaseModel] = Settings,
) -> str:
    """One line per problem: file, dotted key path, what was expected.

    `model` is the model that raised, validating the part of the config found at `at` (a
    source type's options model at ("sources", 0, "options")); by default, the whole config.
    A misspelt required key yields both "unknown" and "missing" from pydantic; they are
    reported as one line ("did you mean ...?").
    """
    errors = exc.errors()
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    explained_missing: set[tuple[Any, ...]] = set()
    lines = []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            parent, key = loc[:-1], str(loc[-1])
            known = _known_keys(parent, model)
            guess = difflib.get_close_matches(key, known, n=1)
            hint = (
                f"did you mean {guess[0]!r}?"
                if guess
                else f"expected one of: {', '.join(known)}"
                if known
                else "no keys are expected here"
            )
            lines.append(f"{origin}: {_dotted(at + loc)}: unknown key, {hint}")
            if guess and (*parent, guess[0]) in missing:
                explained_missing.add((*parent, guess[0]))
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] != "extra_forbidden" and loc not in explained_missing:
            lines.append(f"{origin}: {_dotted(at + loc)}: {_explain(error)}")
    return "\n".join(lines)


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def _known_keys(parent: tuple[Any, ...], root: type[BaseModel]) -> list[str]:
    """The keys allowed at a place in the config, found by walking the settings models."""
    model: type[BaseModel] | None = root
    for part in parent:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part)) if model is not None else None
        if field is None:
            return []
        model = _model_in(field.annotation)
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _explain(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required key is missing"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind in {
        "string_type",
        "int_type",
        "float_type",
        "bool_type",
        "list_type",
        "dict_type",
        "model_type",
        "bool_parsing",
        "int_parsing",
        "float_parsing",
    }:
        return f"{message}, got {error.get('input')!r}"
    return message


def _one_line(text: str) -> str:
    return " ".join(text.split())
