"""A recorded source server, settings whose sources point at it, and a one-call harvest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from catalog.ingest import RecordPreparer
from catalog.models import DatasetRecord, RecordStatus, Revision
from catalog.organizations import get_source_by_name, sync_organizations, sync_sources
from catalog.settings import Settings, settings_from_mapping
from catalog.store import Store
from harvesters.runner import JobOutcome
from harvesters.service import harvest_sources
from tests.conftest import minimal_config
from tests.harvesters.recorded import RecordedServer

_PREPARERS: dict[tuple[str, ...], RecordPreparer] = {}


@pytest.fixture
def server() -> Iterator[RecordedServer]:
    recorded = RecordedServer().start()
    yield recorded
    recorded.stop()


def source_settings(tmp_path: Path, sources: list[dict[str, Any]], **harvest: Any) -> Settings:
    """Settings with the given sources (organisation umweltamt unless said) and fast networking."""
    harvest_section = {
        "allow_private_networks": True,
        "retries": 1,
        "retry_backoff": 0.05,
        "read_timeout": 1.0,
        "connect_timeout": 1.0,
    }
    harvest_section.update(harvest)
    config = minimal_config(
        storage={"data_dir": str(tmp_path / "instance")},
        sources=[{"organization": "umweltamt", **source} for source in sources],
        harvest=harvest_section,
    )
    return settings_from_mapping(config, base_dir=tmp_path, env={})


def run_source(store: Store, settings: Settings, name: str, *, force: bool = False) -> JobOutcome:
    """Sync config into the store and run one job of the named source."""
    sync_organizations(store, settings.organizations)
    sync_sources(store, settings.sources)
    source = get_source_by_name(store, name)
    assert source is not None
    key = tuple(settings.validation.shapes)
    if key not in _PREPARERS:
        _PREPARERS[key] = RecordPreparer(settings)
    preparer = _PREPARERS[key]
    preparer.settings = settings
    (outcome,) = harvest_sources(store, settings, [source], force=force, preparer=preparer)
    return outcome


def record_counts(store: Store) -> dict[str, int]:
    """Records per status, and revisions in total: what a test compares before and after."""
    with store.reading() as session:
        by_status = dict(
            session.execute(
                select(DatasetRecord.status, func.count()).group_by(DatasetRecord.status)
            ).all()
        )
        revisions = session.scalar(select(func.count()).select_from(Revision)) or 0
    counts = {status.value: by_status.get(status, 0) for status in RecordStatus}
    counts["revisions"] = revisions
    return counts
