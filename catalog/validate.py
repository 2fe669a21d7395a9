"""Checking RDF files or the stored catalog against DCAT-AP.de, one dataset at a time.

Files are split into their datasets and each is validated on its own, exactly as a harvest
would see it, so a steward can test a department's export before configuring it as a source.
The `catalog validate` command (cli/validate.py) prints what these checks find.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from catalog.ingest import normalisation_context, shapes_validator
from catalog.models import RecordStatus
from catalog.records import iter_records
from catalog.settings import Settings
from catalog.store import Store
from dcat.normalise import Change, normalise
from dcat.parse_errors import RDFParseError
from dcat.parsing import parse_rdf, parse_rdf_file
from dcat.profile_validation import ProfileValidator
from dcat.profiles import Profile
from dcat.split import DatasetGraph, split_catalog_into_datasets
from dcat.validation import ValidationReport, Validator


class UnreadableFile(Exception):
    """A file that could not be read or parsed as RDF; the message names the file."""


@dataclass(frozen=True)
class DatasetCheck:
    """One dataset's report and, when it was normalised first, what the rules changed."""

    title: str
    report: ValidationReport
    changes: list[Change] = field(default_factory=list)


def datasets_in_file(name: str) -> list[DatasetGraph]:
    """Each dataset of an RDF file with its own graph, split as a harvest splits a delivery."""
    try:
        graph = parse_rdf_file(Path(name))
    except (RDFParseError, OSError) as exc:
        raise UnreadableFile(f"{name}: {exc}") from exc
    return list(split_catalog_into_datasets(graph))


def profile_validator(settings: Settings, profile: Profile) -> Validator | ProfileValidator:
    """The catalog's validator for 2.0 (as every save uses it), or our shapes of another
    profile over the rendering of a record in it."""
    if profile is Profile.DCATAPDE_2:
        return shapes_validator(settings)
    return ProfileValidator(profile)


@functools.cache
def _our_profile_validator(profile: Profile) -> ProfileValidator:
    return ProfileValidator(profile)


def stored_record_report(ntriples: str, profile: Profile) -> ValidationReport:
    """What our shapes of a profile say about a stored record's rendering in it (read only):
    the steward's page shows it beside the stored 2.0 report where the verdicts differ."""
    graph = parse_rdf(ntriples, content_type="application/n-triples")
    return _our_profile_validator(profile).validate(graph)


class DatasetChecker:
    """Validates dataset graphs with the built-in and configured shapes, normalising on request."""

    def __init__(
        self,
        settings: Settings,
        *,
        normalised: bool = False,
        profile: Profile = Profile.DCATAPDE_2,
    ) -> None:
        self._validator = profile_validator(settings, profile)
        self._context = normalisation_context(settings)
        self._normalised = normalised

    def check(self, title: str, graph: Graph) -> DatasetCheck:
        changes: list[Change] = []
        if self._normalised:
            outcome = normalise(graph, self._context)
            graph, changes = outcome.graph, outcome.changes
        return DatasetCheck(title, self._validator.validate(graph), changes)

    def check_stored_records(self, store: Store) -> Iterator[DatasetCheck]:
        """Every stored, not withdrawn record, re-validated with the current shapes (read only)."""
        for record in iter_records(store, statuses=(RecordStatus.DRAFT, RecordStatus.PUBLISHED)):
            graph = parse_rdf(record.graph, content_type="application/n-triples")
            yield self.check(f"{record.name} <{record.uri}>", graph)
