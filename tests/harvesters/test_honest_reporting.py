"""Honest reporting: published, held back, refused and unchanged counted apart in the job's
outcome, its row and the `catalog harvest` summary; violations grouped by rule across a real
job, with the per-source setting that repairs them; each source's publishable share."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import yaml
from click.testing import CliRunner
from sqlalchemy import select

from catalog.job_findings import rule_groups, rule_key, violations
from catalog.jobs import get_job
from catalog.models import DatasetRecord, HarvestSource, RecordStatus, ValidationState
from catalog.publication import PUBLIC_STATES, publishable_shares
from catalog.records import Actor, withdraw_record
from catalog.store import Store
from cli.commands import cli
from tests.conftest import REPO, SHARED, minimal_config
from tests.harvesters.conftest import run_source, source_settings

DEMO_DUMP = REPO / "catalog/demo/umweltamt-ckan.jsonl"
# A municipal portal's real DCAT-AP.de export (ckanext-dcatde), with formats of its own.
DCATDE_ENDPOINT = SHARED / "fixtures/dcat/ckanext-dcatde/catalog-endpoint.rdf"
# A real city portal's catalog (Bremen, RDF/XML), 153 datasets.
BREMEN = SHARED / "fixtures/dcat/portals/bremen-catalog.rdf"
FORMAT_RULE = "urn:stadtkatalog:shapes:dcat-ap-de#Distribution_format_list"


def _mixed_dump(tmp_path: Path) -> Path:
    """Two good packages, one without description (held back), an unreadable line and a
    package listed twice (both refused)."""
    packages = {}
    for line in DEMO_DUMP.read_text(encoding="utf-8").splitlines():
        package = json.loads(line)
        packages[package["name"]] = line
    lines = [
        packages["luftqualitaet-messwerte-stundenwerte"],
        packages["luftreinhalteplan"],
        packages["kleingartenanlagen"],  # notes: null, on purpose (catalog/demo/README.md)
        '{"id": "kaputt", "name": ',
        packages["luftreinhalteplan"],
    ]
    path = tmp_path / "gemischt.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _figure(summary: str, label: str) -> int:
    """The number the summary prints after a figure's label, on the figure's own line."""
    (number,) = re.findall(rf"^  {re.escape(label)} +(\d+)\b", summary, re.MULTILINE)
    return int(number)


def _stored_states(store: Store) -> Counter[ValidationState]:
    with store.reading() as session:
        return Counter(session.scalars(select(DatasetRecord.validation_state)))


def test_held_back_and_refused_records_are_counted_apart_in_outcome_and_job_row(
    tmp_path: Path, sqlite_store: Store
) -> None:
    dump = _mixed_dump(tmp_path)
    settings = source_settings(tmp_path, [{"name": "gemischt", "type": "ckan", "path": str(dump)}])

    outcome = run_source(sqlite_store, settings, "gemischt")

    counts = outcome.counts
    assert (counts.new, counts.updated, counts.held_back, counts.refused) == (2, 0, 1, 2)
    assert counts.failed == counts.held_back + counts.refused
    # Held back means stored: the record is there, invalid, and out of public view.
    assert _stored_states(sqlite_store) == {ValidationState.VALID: 2, ValidationState.INVALID: 1}
    job = get_job(sqlite_store, outcome.job_id)
    assert job is not None
    assert (job.new_count, job.held_back_count, job.refused_count, job.failed_count) == (
        2,
        1,
        2,
        3,
    )

    again = run_source(sqlite_store, settings, "gemischt")

    assert (again.counts.unchanged, again.counts.new, again.counts.updated) == (2, 0, 0)
    assert (again.counts.held_back, again.counts.refused) == (1, 2)


def test_the_harvest_summary_prints_every_figure_apart_in_100_columns(tmp_path: Path) -> None:
    dump = _mixed_dump(tmp_path)
    config = minimal_config(
        storage={"data_dir": str(tmp_path / "instance")},
        sources=[
            {"name": "gemischt", "type": "ckan", "path": str(dump), "organization": "umweltamt"}
        ],
    )
    config_path = tmp_path / "config.yaml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    runner = CliRunner()
    env = {"CATALOG_CONFIG": str(config_path)}
    assert runner.invoke(cli, ["init"], env=env).exit_code == 0

    result = runner.invoke(cli, ["harvest", "gemischt"], env=env)

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert all(len(line) <= 100 for line in lines), max(lines, key=len)
    text = "\n".join(lines)
    assert _figure(text, "veröffentlicht") == 2
    assert _figure(text, "zurückgehalten") == 1
    assert _figure(text, "abgewiesen") == 2
    assert _figure(text, "unverändert") == 0
    assert _figure(text, "zurückgezogen") == 0
    assert "dct:description" in text  # the held-back record's violation, among the top rules
    assert "\x1b[" not in result.output  # plain lines off a terminal


def test_violations_are_grouped_by_rule_counting_records_of_a_real_catalog(
    tmp_path: Path, sqlite_store: Store
) -> None:
    settings = source_settings(tmp_path, [{"name": "bremen", "type": "dcat", "path": str(BREMEN)}])

    outcome = run_source(sqlite_store, settings, "bremen")
    groups = rule_groups(sqlite_store, outcome.job_id)

    # Told independently by the held-back records' own stored reports.
    expected: Counter[str] = Counter()
    with sqlite_store.reading() as session:
        held = list(
            session.scalars(
                select(DatasetRecord).where(
                    DatasetRecord.validation_state == ValidationState.INVALID
                )
            )
        )
    for record in held:
        expected.update({rule_key(result) for result in violations(record.validation_report)})
    assert outcome.counts.held_back == len(held) > 0
    assert {group.key: group.records for group in groups} == dict(expected)
    assert [group.records for group in groups] == sorted(expected.values(), reverse=True)
    assert max(group.records for group in groups) > 1  # a rule shared by several records
    assert all(group.path and group.message_de and group.message_en for group in groups)


def test_the_hint_names_the_setting_and_that_setting_repairs_the_rule(
    tmp_path: Path, sqlite_store: Store
) -> None:
    source = {"name": "portal", "type": "dcat", "path": str(DCATDE_ENDPOINT)}
    settings = source_settings(tmp_path, [source])

    first = run_source(sqlite_store, settings, "portal")
    (formats,) = [g for g in rule_groups(sqlite_store, first.job_id) if g.key == FORMAT_RULE]

    assert formats.hint is not None and formats.hint.setting == "mappings.format"
    assert sorted(formats.values) == ["Kartenviewer", "jrss"]  # what the portal delivers
    assert formats.records == 2

    mapped = {**source, "mappings": {"format": {"Kartenviewer": "HTML", "jrss": "RSS"}}}
    second = run_source(sqlite_store, source_settings(tmp_path, [mapped]), "portal")

    assert FORMAT_RULE not in {g.key for g in rule_groups(sqlite_store, second.job_id)}
    assert second.counts.held_back < first.counts.held_back


def test_the_publishable_share_counts_current_records_public_and_without_violations(
    tmp_path: Path, sqlite_store: Store
) -> None:
    settings = source_settings(tmp_path, [{"name": "bremen", "type": "dcat", "path": str(BREMEN)}])
    outcome = run_source(sqlite_store, settings, "bremen")
    with sqlite_store.reading() as session:
        source_id = session.scalar(select(HarvestSource.id).where(HarvestSource.name == "bremen"))
        one_valid = session.scalar(
            select(DatasetRecord.id)
            .where(DatasetRecord.validation_state.in_(PUBLIC_STATES))
            .limit(1)
        )
    assert source_id is not None and one_valid is not None

    share = publishable_shares(sqlite_store, [source_id])[source_id]

    assert share.publishable == outcome.counts.new
    assert share.current == outcome.counts.new + outcome.counts.held_back
    assert share.percent == share.publishable * 100 // share.current

    withdraw_record(sqlite_store, one_valid, actor=Actor(label="test"))
    after = publishable_shares(sqlite_store, [source_id])[source_id]

    assert (after.publishable, after.current) == (share.publishable - 1, share.current - 1)
    with sqlite_store.reading() as session:
        statuses = Counter(session.scalars(select(DatasetRecord.status)))
    assert statuses[RecordStatus.WITHDRAWN] == 1
