"""A re-harvest skips what arrives unchanged, and prepares everything again when the rules
that prepare it change (here: a stricter shapes file in validation.shapes)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from catalog.ingest import RecordPreparer
from catalog.jobs import job_errors
from catalog.models import JobStatus
from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
from catalog.store import Store
from dcat.namespaces import DCT
from dcat.validation import ValidationReport, Validator
from harvesters.service import harvest_sources
from tests.conftest import REPO
from tests.harvesters.conftest import record_counts, source_settings
from tests.messages import both

DEMO_DCAT = REPO / "catalog/demo/tiefbauamt"

STRICTER_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<urn:musterstadt:shapes#conformsTo> a sh:NodeShape ;
    sh:targetClass dcat:Dataset ;
    sh:property [ sh:path dct:conformsTo ; sh:minCount 1 ; sh:severity sh:Violation ;
        sh:message "Musterstadt verlangt dct:conformsTo"@de,
            "Musterstadt requires dct:conformsTo"@en ] .
"""


class CountingValidator(Validator):
    """The real validator, noting the graphs it checks: how a test sees which records were
    prepared (validate_many may hand a graph on to validate, so graphs count once)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.graphs: list[Graph] = []  # kept alive, so their ids stay unique

    @property
    def calls(self) -> int:
        return len({id(graph) for graph in self.graphs})

    def validate(self, graph, *args, **kwargs) -> ValidationReport:  # type: ignore[no-untyped-def]
        self.graphs.append(graph)
        return super().validate(graph, *args, **kwargs)

    def validate_many(self, graphs, *args, **kwargs):  # type: ignore[no-untyped-def]
        def noted():  # type: ignore[no-untyped-def]
            for graph in graphs:
                self.graphs.append(graph)
                yield graph

        return super().validate_many(noted(), *args, **kwargs)


def _run(store: Store, settings, validator: Validator):  # type: ignore[no-untyped-def]
    sync_organizations(store, settings.organizations)
    sync_sources(store, settings.sources)
    source = get_source_by_name(store, "tiefbau")
    assert source is not None
    preparer = RecordPreparer(settings, validator=validator)
    (outcome,) = harvest_sources(store, settings, [source], preparer=preparer)
    return outcome


def test_unchanged_records_are_not_prepared_again_until_the_rules_change(
    store: Store, tmp_path: Path
) -> None:
    source = {"name": "tiefbau", "type": "dcat", "path": str(DEMO_DCAT)}
    settings = source_settings(tmp_path, [source])
    first_validator = CountingValidator()
    first = _run(store, settings, first_validator)
    assert first.counts.seen == 15 and first.counts.new == 14
    assert first_validator.calls == 15

    again_validator = CountingValidator()
    again = _run(store, settings, again_validator)

    assert again.counts.unchanged == 14 and again.counts.failed == 1
    assert again_validator.calls == 1  # only the record that failed before
    before = record_counts(store)

    shapes = tmp_path / "musterstadt.ttl"
    shapes.write_text(STRICTER_SHAPES, encoding="utf-8")
    stricter = source_settings(tmp_path, [source])
    stricter.validation.shapes.append(str(shapes))
    stricter_validator = CountingValidator(extra_shapes=[str(shapes)])

    strict = _run(store, stricter, stricter_validator)

    assert stricter_validator.calls == 15  # a new rule: every record is checked again
    assert strict.status == JobStatus.DONE_WITH_ERRORS
    assert strict.counts.failed == 15
    messages = [both(error) for error in job_errors(store, strict.job_id)]
    assert sum("Musterstadt verlangt dct:conformsTo" in message for message in messages) >= 14
    assert record_counts(store) == before  # failing records keep their last good version


class BreakingValidator(Validator):
    """Fails on one dataset, as pyshacl might on a graph it cannot handle."""

    def validate(self, graph, *args, **kwargs) -> ValidationReport:  # type: ignore[no-untyped-def]
        if any("Straßenverzeichnis" in str(title) for title in graph.objects(None, DCT.title)):
            raise RuntimeError("pyshacl gave up")
        return super().validate(graph, *args, **kwargs)

    def validate_many(self, graphs, *args, **kwargs):  # type: ignore[no-untyped-def]
        for graph in graphs:  # one by one, so the failure hits inside validate_many
            yield self.validate(graph)


def test_a_record_that_breaks_validation_fails_alone(store: Store, tmp_path: Path) -> None:
    source = {"name": "tiefbau", "type": "dcat", "path": str(DEMO_DCAT)}
    settings = source_settings(tmp_path, [source])

    outcome = _run(store, settings, BreakingValidator())

    assert outcome.counts.seen == 15
    assert outcome.counts.new == 13 and outcome.counts.failed == 2
    messages = [both(error) for error in job_errors(store, outcome.job_id)]
    assert any("pyshacl gave up" in message for message in messages)
