"""The impact page's quality over time (catalog.impact.quality_by_month) on both databases:
each month's last daily snapshot, the current month from today's scores, nothing older than
the twelve months shown."""

from __future__ import annotations

from datetime import date

from catalog.impact import quality_by_month
from catalog.models import Organization, RecordStatus
from catalog.quality.aggregates import take_snapshot
from catalog.records import create_record, update_record
from catalog.store import Store
from tests.catalog.test_quality_store import STEWARD, content

TODAY = date(2026, 12, 15)


def _organization(store: Store, name: str) -> str:
    with store.transaction() as session:
        org = Organization(name=name, title=name.title())
        session.add(org)
        session.flush()
        return org.id


def _rows(store: Store, organization_id: str | None) -> list[tuple[str, date, float, int]]:
    return [
        (m.month, m.day, m.mean_points, m.datasets)
        for m in quality_by_month(store, organization_id, today=TODAY)
    ]


def test_quality_by_month_takes_each_months_last_snapshot_and_todays_scores(store: Store) -> None:
    umwelt = _organization(store, "umweltamt")
    statistik = _organization(store, "statistik")
    empty = _organization(store, "leer")
    ids = {
        name: create_record(
            store,
            content(name, keyword=keyword),
            name=name,
            actor=STEWARD,
            status=RecordStatus.PUBLISHED,
            organization_id=org,
        ).id
        for name, org, keyword in (
            ("a", umwelt, True),
            ("b", umwelt, False),
            ("c", statistik, True),
        )
    }
    # A record earns 30 points for DCAT-AP compliance and 30 more with a keyword.
    take_snapshot(store, date(2025, 11, 30))  # before the twelve months shown
    take_snapshot(store, date(2026, 10, 3))  # Umweltamt 45
    update_record(store, ids["b"], content("b", keyword=True), actor=STEWARD)
    take_snapshot(store, date(2026, 11, 10))  # Umweltamt 60, not November's last
    update_record(store, ids["a"], content("a"), actor=STEWARD)
    take_snapshot(store, date(2026, 11, 28))  # Umweltamt 45
    take_snapshot(store, date(2026, 12, 1))  # superseded by today's scores
    update_record(store, ids["a"], content("a", keyword=True), actor=STEWARD)  # now 60

    assert _rows(store, umwelt) == [
        ("2026-10", date(2026, 10, 3), 45, 2),
        ("2026-11", date(2026, 11, 28), 45, 2),
        ("2026-12", TODAY, 60, 2),
    ]
    assert _rows(store, None) == [
        ("2026-10", date(2026, 10, 3), 50, 3),
        ("2026-11", date(2026, 11, 28), 50, 3),
        ("2026-12", TODAY, 60, 3),
    ]
    assert [m.rating for m in quality_by_month(store, umwelt, today=TODAY)] == ["bad"] * 3
    assert _rows(store, empty) == []
