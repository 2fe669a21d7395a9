"""`catalog harvest` on the bundled Musterstadt config: what `make run` harvests, with the exit
codes DESIGN.md promises (0 clean, 1 record-level errors, 2 usage; 3 a source already being
harvested)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from catalog.jobs import start_job
from catalog.models import DatasetRecord, HarvestJob, HarvestSource, JobStatus
from catalog.organizations import get_source_by_name
from catalog.settings import load_settings
from catalog.setup import open_current_store
from cli.commands import cli
from cli.exit_codes import EXIT_RECORD_ERRORS
from harvesters.base import SourceType
from harvesters.registry import registered
from tests.conftest import REPO

# Per demo source: records delivered, and those that fail on purpose (catalog/demo/README.md).
DEMO_SOURCES = {"umweltamt-ckan": 25, "tiefbauamt-dcat": 15, "statistikstelle-liste": 20}


@pytest.fixture
def demo_env(tmp_path: Path) -> dict[str, str]:
    return {"CATALOG_CONFIG": str(REPO / "config.yaml"), "CATALOG_DATA_DIR": str(tmp_path)}


def test_unknown_source_is_a_usage_error(demo_env: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["init"], env=demo_env).exit_code == 0

    result = runner.invoke(cli, ["harvest", "gibt-es-nicht"], env=demo_env)

    assert result.exit_code == 2
    assert "gibt-es-nicht" in result.output
    assert "umweltamt-ckan" in result.output  # the known ones are listed


def test_demo_sources_harvest_with_a_summary_and_exit_code_1(demo_env: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["init"], env=demo_env).exit_code == 0

    result = runner.invoke(cli, ["harvest", "--all"], env=demo_env)

    assert result.exit_code == 1, result.output  # the demo's deliberate mistakes
    for name in DEMO_SOURCES:
        assert name in result.output
    settings = load_settings(None, env=demo_env)
    store = open_current_store(settings)
    with store.reading() as session:
        jobs = {
            source: (status, new + updated + unchanged + failed)
            for source, status, new, updated, unchanged, failed in session.execute(
                select(
                    HarvestSource.name,
                    HarvestJob.status,
                    HarvestJob.new_count,
                    HarvestJob.updated_count,
                    HarvestJob.unchanged_count,
                    HarvestJob.failed_count,
                ).join(HarvestSource)
            )
        }
        records = session.scalar(select(func.count()).select_from(DatasetRecord))
    assert {name: seen for name, (_, seen) in jobs.items()} == DEMO_SOURCES
    assert all(status == JobStatus.DONE_WITH_ERRORS for status, _ in jobs.values())
    assert records is not None and records >= 55

    rerun = runner.invoke(cli, ["harvest", "tiefbauamt-dcat"], env=demo_env)
    assert rerun.exit_code == 1  # the DCAT record without an access URL fails again
    assert "14" in rerun.output  # unchanged, the two repaired records among them


def test_a_source_type_without_harvester_fails_its_job_and_the_others_run(
    tmp_path: Path, demo_env: dict[str, str]
) -> None:
    config = (REPO / "config.yaml").read_text(encoding="utf-8")
    config = config.replace(
        "sources:\n",
        "sources:\n"
        "  - name: geodaten-csw\n"
        "    type: wfs\n"
        "    url: https://geoportal.musterstadt.example/csw\n"
        "    organization: tiefbauamt\n",
        1,
    )
    # The demo paths are relative to the config file: point them back at the repository.
    config = config.replace("path: catalog/demo", f"path: {REPO}/catalog/demo")
    config_file = tmp_path / "config.yaml"
    config_file.write_text(config, encoding="utf-8")
    env = {**demo_env, "CATALOG_CONFIG": str(config_file)}
    runner = CliRunner()
    # csw has its harvester now: a type declared without one stands in for it.
    with registered(SourceType(name="wfs", label_de="WFS", label_en="WFS")):
        assert runner.invoke(cli, ["init"], env=env).exit_code == 0
        result = runner.invoke(cli, ["harvest", "--all"], env=env)
        settings = load_settings(None, env=env)

    assert result.exit_code == 1
    assert "wfs" in result.output
    store = open_current_store(settings)
    with store.reading() as session:
        rows = session.execute(select(HarvestSource.name, HarvestJob.status).join(HarvestSource))
        statuses = {name: status for name, status in rows}
    assert statuses["geodaten-csw"] == JobStatus.FAILED
    assert statuses["tiefbauamt-dcat"] == JobStatus.DONE_WITH_ERRORS
    assert len(statuses) == 4


def test_a_source_being_harvested_is_refused_with_exit_code_1(demo_env: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["init"], env=demo_env).exit_code == 0
    store = open_current_store(load_settings(None, env=demo_env))
    source = get_source_by_name(store, "statistikstelle-liste")
    assert source is not None
    running = start_job(store, source.id)  # by cron, say: its process (this one) lives

    result = runner.invoke(cli, ["harvest", "statistikstelle-liste"], env=demo_env)

    assert result.exit_code == EXIT_RECORD_ERRORS, result.output
    summary = " ".join(result.output.split())  # as read, without the summary's line breaks
    assert "statistikstelle-liste · nicht gestartet" in summary
    assert (
        f"Für die Quelle statistikstelle-liste läuft bereits eine Ernte (Job {running}" in summary
    )
    # The message in the catalog's language (German) alone.
    assert "is already running" not in summary
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(HarvestJob)) == 1
    store.close()
