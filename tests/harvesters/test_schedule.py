"""Which sources `catalog harvest --due` runs: daily after 24 hours, weekly after 7 days (each
less a small tolerance for cron), manual never; and the command on the demo catalog."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from catalog.models import HarvestJob, HarvestSource, JobStatus
from catalog.settings import load_settings
from catalog.setup import open_current_store
from catalog.store import Store
from cli.commands import cli
from harvesters.schedule import (
    DUE_TOLERANCE,
    SourceTiming,
    due_sources,
    find_due_sources,
    is_due,
    next_due_at,
)
from tests.conftest import REPO

NOW = datetime(2025, 6, 3, 2, 30, 0, tzinfo=UTC)


def _timing(schedule: str, ago: timedelta | None, **changes: object) -> SourceTiming:
    started = NOW - ago if ago is not None else None
    values: dict[str, object] = {
        "source_id": "s",
        "name": "quelle",
        "schedule": schedule,
        "enabled": True,
        "last_started_at": started,
        "running": False,
    }
    values.update(changes)
    return SourceTiming(**values)  # type: ignore[arg-type]


def test_a_daily_cron_at_the_same_minute_does_not_skip_a_day() -> None:
    # Yesterday's job started at 02:30:05, today's cron fires at 02:30:00.
    assert is_due(_timing("daily", timedelta(hours=24) - timedelta(seconds=5)), NOW)


@pytest.mark.parametrize(
    ("schedule", "ago", "due"),
    [
        ("daily", timedelta(hours=23), False),
        ("daily", timedelta(hours=24) - DUE_TOLERANCE, True),
        ("daily", timedelta(hours=24) - DUE_TOLERANCE - timedelta(seconds=1), False),
        ("daily", timedelta(days=3), True),
        ("weekly", timedelta(days=6), False),
        ("weekly", timedelta(days=7) - timedelta(minutes=1), True),
        ("manual", timedelta(days=365), False),
        ("manual", None, False),
        ("daily", None, True),
        ("weekly", None, True),
        ("hourly", None, False),  # not a schedule the config allows: never by --due
    ],
)
def test_a_source_is_due_after_its_interval(
    schedule: str, ago: timedelta | None, due: bool
) -> None:
    assert is_due(_timing(schedule, ago), NOW) is due


def test_the_tolerance_is_shorter_than_the_recommended_cron_period() -> None:
    # With cron every 15 minutes, a tolerance of 15 minutes or more would let the start time
    # creep earlier by one period each day.
    assert timedelta(0) < DUE_TOLERANCE < timedelta(minutes=15)


def test_disabled_and_running_sources_are_never_due() -> None:
    assert not is_due(_timing("daily", timedelta(days=2), enabled=False), NOW)
    assert not is_due(_timing("daily", timedelta(days=2), running=True), NOW)


def test_due_sources_keeps_the_order_given() -> None:
    timings = [
        _timing("daily", timedelta(days=2), name="b"),
        _timing("daily", timedelta(hours=1), name="a"),
        _timing("weekly", None, name="c"),
    ]

    assert [timing.name for timing in due_sources(timings, NOW)] == ["b", "c"]


def test_next_due_at_says_when_the_schedule_runs_a_source_again() -> None:
    yesterday = NOW - timedelta(hours=1)
    assert next_due_at("daily", yesterday, NOW) == yesterday + timedelta(days=1) - DUE_TOLERANCE
    assert next_due_at("weekly", None, NOW) == NOW
    assert next_due_at("daily", NOW - timedelta(days=5), NOW) == NOW
    assert next_due_at("manual", yesterday, NOW) is None


@pytest.fixture
def demo_env(tmp_path: Path) -> dict[str, str]:
    env = {"CATALOG_CONFIG": str(REPO / "config.yaml"), "CATALOG_DATA_DIR": str(tmp_path)}
    assert CliRunner().invoke(cli, ["init"], env=env).exit_code == 0
    return env


def _store(env: dict[str, str]) -> Store:
    return open_current_store(load_settings(None, env=env))


def _job_counts(store: Store) -> dict[str, int]:
    with store.reading() as session:
        counts: dict[str, int] = {}
        for name in session.scalars(select(HarvestSource.name).join(HarvestJob)):
            counts[name] = counts.get(name, 0) + 1
        return counts


def _age_jobs(store: Store, by: timedelta) -> None:
    with store.transaction() as session:
        for job in session.scalars(select(HarvestJob)):
            job.started_at = job.started_at - by


def test_harvest_due_runs_what_is_due_and_then_nothing_until_the_interval_is_over(
    demo_env: dict[str, str],
) -> None:
    runner = CliRunner()
    store = _store(demo_env)

    first = runner.invoke(cli, ["harvest", "--due"], env=demo_env)
    assert first.exit_code == 1, first.output  # the demo's deliberate mistakes
    assert _job_counts(store) == {
        "umweltamt-ckan": 1,
        "tiefbauamt-dcat": 1,
        "statistikstelle-liste": 1,
    }

    again = runner.invoke(cli, ["harvest", "--due"], env=demo_env)
    assert again.exit_code == 0
    assert "Keine Quelle ist fällig." in again.output
    assert sum(_job_counts(store).values()) == 3

    _age_jobs(store, timedelta(days=1))  # a day later: the daily ones, not the weekly list
    later = runner.invoke(cli, ["harvest", "--due"], env=demo_env)
    assert later.exit_code == 1
    assert _job_counts(store) == {
        "umweltamt-ckan": 2,
        "tiefbauamt-dcat": 2,
        "statistikstelle-liste": 1,
    }


def test_harvest_due_leaves_manual_and_disabled_sources_alone(demo_env: dict[str, str]) -> None:
    store = _store(demo_env)
    with store.transaction() as session:
        session.execute(
            update(HarvestSource)
            .where(HarvestSource.name == "umweltamt-ckan")
            .values(schedule="manual")
        )
        session.execute(
            update(HarvestSource)
            .where(HarvestSource.name == "statistikstelle-liste")
            .values(enabled=False)
        )

    result = CliRunner().invoke(cli, ["harvest", "--due"], env=demo_env)

    assert result.exit_code == 1
    assert _job_counts(store) == {"tiefbauamt-dcat": 1}


def test_a_job_left_running_by_a_dead_process_does_not_block_the_source(
    demo_env: dict[str, str],
) -> None:
    store = _store(demo_env)
    with store.transaction() as session:
        source = session.scalars(
            select(HarvestSource).where(HarvestSource.name == "tiefbauamt-dcat")
        ).one()
        session.add(
            HarvestJob(
                source_id=source.id,
                status=JobStatus.RUNNING,
                started_at=datetime.now(UTC) - timedelta(days=2),
                runner=f"{socket.gethostname()}:999999999",  # no such process
            )
        )
    with store.reading() as session:
        sources = list(session.scalars(select(HarvestSource)))

    due = find_due_sources(store, sources, datetime.now(UTC))

    assert "tiefbauamt-dcat" in [source.name for source in due]
    with store.reading() as session:
        assert session.scalars(select(HarvestJob.status)).all() == [JobStatus.FAILED]


@pytest.mark.parametrize("arguments", [["--due", "umweltamt-ckan"], ["--due", "--all"]])
def test_harvest_due_takes_no_names_and_no_all(
    demo_env: dict[str, str], arguments: list[str]
) -> None:
    result = CliRunner().invoke(cli, ["harvest", *arguments], env=demo_env)

    assert result.exit_code == 2
    assert "--due" in result.output
    assert _job_counts(_store(demo_env)) == {}
