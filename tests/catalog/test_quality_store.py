"""The quality score kept with each record: written by every save, re-scored from link
checks, summed per organisation and source, and kept as a daily trend (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from catalog.link_checks import LinkResult, keep_link_results
from catalog.models import (
    Organization,
    QualitySnapshot,
    RecordQuality,
    RecordStatus,
    ValidationState,
)
from catalog.quality.aggregates import catalog_quality, quality_trend, take_snapshot
from catalog.quality.scores import (
    record_quality,
    records_with_urls,
    rescore_records,
    score_unscored,
)
from catalog.quality.worklist import worklist
from catalog.records import (
    Actor,
    NewRecord,
    RecordContent,
    create_record,
    create_records,
    restore_revision,
    update_record,
)
from catalog.store import Store
from dcat.quality import IndicatorState, LinkOutcome

STEWARD = Actor(label="anna")
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
ACCESS = "https://daten.example/{name}.csv"


def content(
    name: str,
    *,
    keyword: bool = False,
    state: ValidationState = ValidationState.VALID,
    violations: int = 0,
) -> RecordContent:
    """A record with one distribution, optionally a keyword; the store reads it as N-Triples."""
    uri = f"http://catalog.test/dataset/{name}"
    dist = f"http://catalog.test/dataset/{name}#csv"
    lines = [
        f"<{uri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{DCAT}Dataset> .",
        f'<{uri}> <{DCT}title> "{name}"@de .',
        f"<{uri}> <{DCAT}distribution> <{dist}> .",
        f"<{dist}> <{DCAT}accessURL> <{ACCESS.format(name=name)}> .",
    ]
    if keyword:
        lines.append(f'<{uri}> <{DCAT}keyword> "Bäume"@de .')
    graph = "\n".join(lines) + "\n"
    return RecordContent(
        uri=uri,
        graph=graph,
        content_hash=hashlib.sha256(graph.encode()).hexdigest(),
        title=name,
        validation_state=state,
        violation_count=violations,
    )


def _points(store: Store, record_id: str, key: str) -> float:
    quality = record_quality(store, record_id)
    assert quality is not None
    return quality.score.result(key).points


def _organization(store: Store, name: str) -> str:
    with store.transaction() as session:
        org = Organization(name=name, title=name.title())
        session.add(org)
        session.flush()
        return org.id


def test_every_save_stores_the_score_of_the_graph_it_saves(store: Store) -> None:
    record = create_record(store, content("baeume", keyword=True), name="baeume", actor=STEWARD)
    assert _points(store, record.id, "keywords") == 30
    update_record(store, record.id, content("baeume"), actor=STEWARD)
    assert _points(store, record.id, "keywords") == 0
    restore_revision(store, record.id, 1, actor=STEWARD)
    assert _points(store, record.id, "keywords") == 30

    ids = create_records(
        store,
        [NewRecord(name=n, content=content(n, keyword=n == "a")) for n in ("a", "b")],
        actor=STEWARD,
    )
    assert [_points(store, i, "keywords") for i in ids] == [30, 0]


def test_dcat_ap_compliance_is_the_stored_validation_result(store: Store) -> None:
    valid = create_record(store, content("gut"), name="gut", actor=STEWARD)
    invalid = create_record(
        store,
        content("falsch", state=ValidationState.INVALID, violations=2),
        name="falsch",
        actor=STEWARD,
    )
    unknown = create_record(
        store, content("offen", state=ValidationState.UNKNOWN), name="offen", actor=STEWARD
    )
    assert _points(store, valid.id, "dcat_ap_compliance") == 30
    assert _points(store, invalid.id, "dcat_ap_compliance") == 0
    assert _points(store, unknown.id, "dcat_ap_compliance") == 0


def test_without_link_results_reachability_is_not_checked_yet(store: Store) -> None:
    record = create_record(store, content("luft"), name="luft", actor=STEWARD)
    quality = record_quality(store, record.id)
    assert quality is not None
    result = quality.score.result("access_url_reachable")
    assert (result.points, result.state, result.unchecked) == (0, IndicatorState.NOT_CHECKED, 1)


def test_rescoring_reads_link_results_through_the_given_reader(store: Store) -> None:
    good = create_record(store, content("gut"), name="gut", actor=STEWARD)
    broken = create_record(store, content("kaputt"), name="kaputt", actor=STEWARD)
    asked: list[frozenset[str]] = []
    checked_at = datetime(2026, 12, 1, tzinfo=UTC)

    def link_table(session: Session, urls: Collection[str]) -> Mapping[str, LinkOutcome]:
        assert isinstance(session, Session)  # read inside the re-scoring transaction
        asked.append(frozenset(urls))
        return {
            ACCESS.format(name="gut"): LinkOutcome(200, True, checked_at),
            ACCESS.format(name="kaputt"): LinkOutcome(404, False, checked_at),
        }

    urls = {ACCESS.format(name="gut"), ACCESS.format(name="kaputt")}
    affected = records_with_urls(store, urls)
    assert sorted(affected) == sorted([good.id, broken.id])
    assert rescore_records(store, affected, link_outcomes=link_table) == 2
    assert asked == [frozenset(urls)]
    assert _points(store, good.id, "access_url_reachable") == 50
    assert _points(store, broken.id, "access_url_reachable") == 0
    first = worklist(store, None)[0]
    assert first.record_id == broken.id and first.broken_links == 1


def test_records_scored_before_scores_existed_are_scored_once(store: Store) -> None:
    record = create_record(store, content("alt", keyword=True), name="alt", actor=STEWARD)
    with store.transaction() as session:
        session.execute(delete(RecordQuality))
    assert record_quality(store, record.id) is None
    assert score_unscored(store) == 1
    assert _points(store, record.id, "keywords") == 30
    assert score_unscored(store) == 0


def test_published_records_are_summed_per_organisation_and_kept_per_day(store: Store) -> None:
    umwelt = _organization(store, "umweltamt")
    statistik = _organization(store, "statistik")
    ids = {}
    for name, org, keyword, status in (
        ("a", umwelt, True, RecordStatus.PUBLISHED),
        ("b", umwelt, False, RecordStatus.PUBLISHED),
        ("c", statistik, True, RecordStatus.PUBLISHED),
        ("d", statistik, False, RecordStatus.DRAFT),  # drafts stay out
    ):
        ids[name] = create_record(
            store,
            content(name, keyword=keyword),
            name=name,
            actor=STEWARD,
            status=status,
            organization_id=org,
        ).id
    quality = catalog_quality(store)
    # Each: distribution without download URL, licence ...: 30 compliance + 30 if keyword.
    assert quality.organizations[umwelt].datasets == 2
    assert quality.organizations[umwelt].mean_points == 45
    assert quality.organizations[statistik].mean_points == 60
    assert quality.catalog.datasets == 3 and quality.catalog.mean_points == 50
    assert quality.catalog.by_rating == {"excellent": 0, "good": 0, "sufficient": 0, "bad": 3}

    first, second = date(2026, 11, 30), date(2026, 12, 1)
    take_snapshot(store, first)
    take_snapshot(store, first)  # a day keeps one row per scope
    with store.reading() as session:
        rows = session.scalar(
            select(func.count()).select_from(QualitySnapshot).where(QualitySnapshot.day == first)
        )
    assert rows == 1 + 2  # catalog and two organisations (no sources here)
    update_record(store, ids["b"], content("b", keyword=True), actor=STEWARD)
    take_snapshot(store, second)
    trend = quality_trend(store, "organization", umwelt, days=100_000)
    assert [(p.day, p.mean_points) for p in trend] == [(first, 45), (second, 60)]
    live = quality_trend(store, "catalog", days=100_000, today=catalog_quality(store).catalog)
    assert [p.mean_points for p in live] == [50, 60, 60]  # today's live point last


def test_the_catalogs_link_check_results_reach_the_score(store: Store) -> None:
    """link_outcomes_for reads the link checker's table: the latest check of each URL."""
    good = create_record(store, content("gut"), name="gut", actor=STEWARD)
    broken = create_record(store, content("kaputt"), name="kaputt", actor=STEWARD)
    checked_at = datetime(2026, 12, 1, tzinfo=UTC)

    def result(name: str, ok: bool) -> LinkResult:
        return LinkResult(
            url=ACCESS.format(name=name),
            checked_at=checked_at,
            ok=ok,
            status=200 if ok else 404,
            final_url=None,
            content_type="text/csv",
            size=10,
            elapsed_ms=5,
            problem=None if ok else "http_status",
        )

    keep_link_results(store, [result("gut", True), result("kaputt", False)])
    rescore_records(store, records_with_urls(store, [ACCESS.format(name="gut")]))
    assert _points(store, good.id, "access_url_reachable") == 50
    assert _points(store, broken.id, "access_url_reachable") == 0  # not re-scored yet
    update_record(store, broken.id, content("kaputt", keyword=True), actor=STEWARD)
    quality = record_quality(store, broken.id)
    assert quality is not None  # a save reads the table too
    assert quality.score.result("access_url_reachable").broken == 1
