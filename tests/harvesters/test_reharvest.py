"""A re-harvest skips what arrives unchanged, and prepares everything again when the rules
that prepare it change (here: a stricter shapes file in validation.shapes)."""

from __future__ import annotations

from pathlib import Path

from catalog.ingest import RecordPreparer
from catalog.jobs import job_errors
from catalog.models import JobStatus
from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
from catalog.store import Store
from dcat.validation import ValidationReport, Validator
from harvesters.service import harvest_sources
from tests.conftest import REPO
from tests.harvesters.conftest import record_counts, source_settings

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
    """The real validator, counting its calls: how a test sees which records were prepared."""

    calls = 0

    def validate(self, graph, *args, **kwargs) -> ValidationReport:  # type: ignore[no-untyped-def]
        self.calls += 1
        return super().validate(graph, *args, **kwargs)


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
    messages = [error.message for error in job_errors(store, strict.job_id)]
    assert sum("Musterstadt verlangt dct:conformsTo" in message for message in messages) >= 14
    assert record_counts(store) == before  # failing records keep their last good version
