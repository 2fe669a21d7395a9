"""The interface every source type implements; the runner owns everything else about a job."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict
from rdflib import BNode, Graph, URIRef

from dcat.bilingual import Bilingual
from dcat.origin import CatalogOrigin
from dcat.validation import ValidationResult


@dataclass(frozen=True)
class RemoteRecord:
    """One dataset description as the source delivers it, before it becomes DCAT-AP.de.

    `key` is the source's own, stable identity of the record (a dataset IRI, a CKAN id, a
    spreadsheet's identifier column): the runner matches records across jobs by it.
    """

    key: str
    payload: Any
    label: str = ""

    def describe(self) -> str:
        return self.label or self.key


@dataclass(frozen=True)
class HarvestContext:
    """What a harvester may know about its job besides the source's own settings."""

    base_url: str
    # Changed-only harvesting: the start of the last complete job, if the source can filter.
    modified_since: datetime | None = None
    max_pages: int = 10_000
    http: Any = None
    options: dict[str, Any] = field(default_factory=dict)
    # The steward's `mappings:` of the source, read only (normalise applies them to the graph);
    # a harvester that filters records by a mapped value (csw: open licence) must see them.
    mappings: dict[str, Any] = field(default_factory=dict)


class HarvestProblem(Exception):
    """A problem with a source or a record, said in German and in English apart, so that the
    job report, the steward's pages and the CLI each show one language (`message`).

    str() joins them (German / English) for logs, as dcat.model.InputError does; what is
    stored or shown takes `message`.
    """

    def __init__(self, message_de: str, message_en: str) -> None:
        super().__init__(message_de, message_en)
        self.message = Bilingual(message_de, message_en)

    def __str__(self) -> str:
        return f"{self.message.de} / {self.message.en}"

    @classmethod
    def caused_by(cls, exc: BaseException, where: str = "") -> Self:
        """The problem an underlying error stands for, prefixed with where it happened."""
        cause = cause_text(exc)
        prefix = f"{where}: " if where else ""
        return cls(prefix + cause.de, prefix + cause.en)


def cause_text(exc: BaseException) -> Bilingual:
    """An error's message in both languages: its own two where it has them (our HTTP and
    input errors, a HarvestProblem), else the library's text, which has only one language."""
    if isinstance(exc, HarvestProblem):
        return exc.message
    german, english = getattr(exc, "message_de", None), getattr(exc, "message_en", None)
    if isinstance(german, str) and isinstance(english, str):
        return Bilingual(german, english)
    return Bilingual.neutral(str(exc))


def unexpected(exc: BaseException) -> Bilingual:
    """What the report says of an error nobody foresaw (a bug, an odd source): its own text."""
    return Bilingual("Unerwarteter Fehler: ", "Unexpected error: ") + cause_text(exc)


class RecordError(HarvestProblem):
    """A record that cannot become a dataset; it fails alone and the job goes on.

    The message names the record and the field or column, and says what to fix at the source.
    """


class RecordHeldBack(RecordError):
    """A record the source's own rules keep out of the catalog (e.g. no open licence).

    Reported like a RecordError but counted as held back, not refused; nothing is stored, and
    a version published earlier stays as it is.
    """


class GatherError(HarvestProblem):
    """The source could not be read completely; the job fails and nothing is withdrawn."""


@dataclass(frozen=True)
class RecordWarning:
    """Something a harvester left out of a record it still delivered, and why."""

    record: RemoteRecord
    message: Bilingual
    finding: ValidationResult | None = None


class Harvester(ABC):
    """One source type. Implementations must guarantee:

    - `gather()` yields records lazily, page by page: memory never grows with the source size;
    - `gather()` raises GatherError when the source cannot be read to its end (a failing page,
      a paging loop that cannot be resolved), so the runner never withdraws on partial data;
    - `to_graph()` turns one record into its DCAT-AP.de graph and the dataset node in it, or
      raises RecordError; it is deterministic, so unchanged records hash equal between jobs.
    """

    type_name: ClassVar[str]

    def __init__(self, url: str | None, path: str | None, context: HarvestContext) -> None:
        self.url = url
        self.path = path
        self.context = context
        # A gather that ended early without failing (a paging loop, the page limit) sets
        # complete to False: its records are saved, but nothing is withdrawn on its strength.
        self.complete = True
        self.notes: list[Bilingual] = []
        # Warnings about single records (an unreadable optional cell, a value left out): the
        # record is still saved, and the runner puts each warning into the job report.
        self.record_warnings: list[RecordWarning] = []

    def warn(
        self, record: RemoteRecord, message: Bilingual, finding: ValidationResult | None = None
    ) -> None:
        """Note something the steward should fix at the source that did not refuse the record.

        Call it from `to_graph`; the message says what was left out and why, in German and
        English, like a RecordError's. `finding` names the property and the value the source
        delivered, for the report's table (e.g. a resource address that is none).
        """
        self.record_warnings.append(RecordWarning(record, message, finding))

    def take_warnings(self) -> list[RecordWarning]:
        """The warnings noted since the last call, for the runner to report."""
        taken, self.record_warnings = self.record_warnings, []
        return taken

    @abstractmethod
    def gather(self) -> Iterator[RemoteRecord]:
        """Yield every record of the source, lazily."""

    def refetch(self, key: str) -> RemoteRecord | None:
        """The whole record for a key that a changed-only gather listed without payload.

        The runner asks when it has no good copy of such a record (it failed last time, or it
        was withdrawn); sources that always deliver whole records never list without payload.
        """
        return None

    def origin(self, record: RemoteRecord) -> CatalogOrigin | None:
        """The (sub-)catalog of the source that lists this record, where the source has one.

        Normalisation may take the publisher from it, and the record remembers it.
        """
        return None

    @abstractmethod
    def to_graph(self, record: RemoteRecord) -> tuple[Graph, URIRef | BNode]:
        """The record's DCAT-AP.de graph and its dcat:Dataset node.

        A blank node means the source has no IRI for the dataset; the runner then mints
        {base_url}/dataset/{name} (DESIGN.md, "Identity").
        """


@dataclass(frozen=True)
class OptionText:
    """How the steward's source form names one option, in German and English.

    It goes into the option's annotation in the type's options model, e.g.
    `fq: Annotated[str | None, OptionText("Filter", "Filter", "…", "…")] = None`; the form
    builds its field from it and from the annotation (web.steward.source_options). An option
    marked `operator_only` (a server path, a limit only the operator may raise) is left out of
    the form: only config.yaml sets it. An option without an OptionText is offered under its key.
    """

    label_de: str
    label_en: str
    help_de: str = ""
    help_en: str = ""
    operator_only: bool = False

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_de

    def help(self, language: str) -> str:
        return self.help_en if language == "en" else self.help_de


class NoOptions(BaseModel):
    """The options of a source type that takes none: any key in `options` is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class SourceType:
    """What a source type declares about itself; harvesters.registry lists them.

    `options` is the pydantic model of the source's `options` in config.yaml (unknown keys
    forbidden); config loading validates every source's options with it. `label_de` and
    `label_en` are the type's name in the steward area. `harvester` is None for a type that
    config.yaml accepts but this version cannot harvest yet: its jobs fail with that message.
    """

    name: str
    label_de: str
    label_en: str
    options: type[BaseModel] = NoOptions
    harvester: type[Harvester] | None = None

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_de
