"""Kept link checks on both databases: history per URL, "broken since", the latest outcome for
the quality score, what is due, claims of URLs by runs, the links of records and an
organisation's broken links."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from catalog.link_checks import (
    CLAIM_ABANDONED_AFTER,
    LinkResult,
    LinkTarget,
    checked_since,
    claim_link,
    keep_link_results,
    latest_link_outcomes,
    link_states,
    links_of_record,
    problem_links_of_organization,
    release_link_claims,
    remember_record_links,
)
from catalog.models import DatasetRecord, RecordStatus, ValidationState
from catalog.organizations import get_organization_by_name, sync_organizations
from catalog.records import Actor, RecordContent, create_record
from catalog.settings import Settings
from catalog.store import Store

DAY0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
DCAT = "http://www.w3.org/ns/dcat#"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


def result(
    url: str, day: int, *, ok: bool, status: int | None = 200, problem: str | None = None
) -> LinkResult:
    return LinkResult(
        url=url,
        checked_at=DAY0 + timedelta(days=day),
        ok=ok,
        status=status,
        final_url=url,
        content_type="text/csv",
        size=10,
        elapsed_ms=5,
        problem=problem if ok else "http_status",
    )


def test_broken_since_is_the_first_failure_after_the_last_good_check(store: Store) -> None:
    url = "https://daten.teststadt.example/baeume.csv"
    keep_link_results(
        store,
        [
            result(url, 0, ok=False, status=500),
            result(url, 1, ok=True),
            result(url, 3, ok=False, status=404),
            result(url, 5, ok=False, status=404),
        ],
    )
    state = link_states(store, [url])[url]
    assert (state.ok, state.status) == (False, 404)
    assert state.checked_at == DAY0 + timedelta(days=5)
    assert state.broken_since == DAY0 + timedelta(days=3)


def test_a_url_that_never_worked_is_broken_since_its_first_check(store: Store) -> None:
    url = "https://daten.teststadt.example/nie.csv"
    keep_link_results(store, [result(url, 2, ok=False), result(url, 4, ok=False)])
    assert link_states(store, [url])[url].broken_since == DAY0 + timedelta(days=2)


def test_a_good_url_is_not_broken(store: Store) -> None:
    url = "https://daten.teststadt.example/gut.csv"
    keep_link_results(store, [result(url, 0, ok=False), result(url, 1, ok=True)])
    assert link_states(store, [url])[url].broken_since is None


def test_latest_outcomes_give_status_ok_and_time_and_skip_unchecked_urls(store: Store) -> None:
    checked = "https://daten.teststadt.example/a.csv"
    keep_link_results(
        store, [result(checked, 0, ok=True), result(checked, 1, ok=False, status=503)]
    )
    with store.reading() as session:
        outcomes = latest_link_outcomes(session, [checked, "https://nie.example/x"])
    assert list(outcomes) == [checked]
    assert (outcomes[checked].status, outcomes[checked].ok) == (503, False)
    assert outcomes[checked].checked_at == DAY0 + timedelta(days=1)
    assert latest_link_outcomes(store, [checked]) == outcomes  # a store works as well


def test_a_url_checked_within_the_interval_is_not_due(store: Store) -> None:
    recent, old = "https://a.example/neu.csv", "https://a.example/alt.csv"
    long_url = "https://a.example/" + "x" * 5000  # longer than any index entry may be
    keep_link_results(
        store, [result(recent, 6, ok=True), result(old, 0, ok=True), result(long_url, 6, ok=True)]
    )
    since = DAY0 + timedelta(days=5)
    assert checked_since(store, [recent, old, long_url, "https://b.example/"], since) == {
        recent,
        long_url,
    }


def _record(store: Store, name: str, organization_id: str, distributions: str) -> str:
    uri = f"http://catalog.test/dataset/{name}"
    graph = (
        f"<{uri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{DCAT}Dataset> .\n"
        f'<{uri}> <http://purl.org/dc/terms/title> "Titel {name}"@de .\n' + distributions
    )
    content = RecordContent(
        uri=uri,
        graph=graph,
        content_hash=hashlib.sha256(graph.encode()).hexdigest(),
        title=f"Titel {name}",
        validation_state=ValidationState.VALID,
    )
    record = create_record(
        store,
        content,
        name=name,
        actor=Actor(label="test"),
        status=RecordStatus.PUBLISHED,
        organization_id=organization_id,
    )
    return record.id


def _distribution(
    uri: str, node: str, *, download: str = "", access: str = "", fmt: str = ""
) -> str:
    lines = [f"<{uri}> <{DCAT}distribution> _:{node} ."]
    if download:
        lines.append(f"_:{node} <{DCAT}downloadURL> <{download}> .")
    if access:
        lines.append(f"_:{node} <{DCAT}accessURL> <{access}> .")
    if fmt:
        lines.append(f"_:{node} <http://purl.org/dc/terms/format> <{FILE_TYPE}{fmt}> .")
    return "\n".join(lines) + "\n"


def test_a_records_links_are_its_download_and_access_urls_with_formats(
    store: Store, settings: Settings
) -> None:
    sync_organizations(store, settings.organizations)
    org = get_organization_by_name(store, "umweltamt")
    assert org is not None
    uri = "http://catalog.test/dataset/baeume"
    graph = _distribution(
        uri, "d1", download="https://a.example/b.csv", access="https://a.example/", fmt="CSV"
    ) + _distribution(uri, "d2", access="https://a.example/b.csv")
    record_id = _record(store, "baeume", org.id, graph)
    with store.reading() as session:
        record = session.get(DatasetRecord, record_id)
    assert record is not None
    assert sorted(links_of_record(record), key=lambda t: t.url) == [
        LinkTarget("https://a.example/", "access"),
        LinkTarget("https://a.example/b.csv", "download", ("CSV",)),
    ]


def test_an_organisations_broken_links_come_newest_failure_first(
    store: Store, settings: Settings
) -> None:
    sync_organizations(store, settings.organizations)
    umwelt = get_organization_by_name(store, "umweltamt")
    statistik = get_organization_by_name(store, "statistik")
    assert umwelt is not None and statistik is not None
    first = _record(store, "erster", umwelt.id, "")
    second = _record(store, "zweiter", umwelt.id, "")
    other = _record(store, "fremd", statistik.id, "")
    old, new, fine, html = (f"https://a.example/{n}" for n in ("alt", "neu", "gut", "seite"))
    remember_record_links(
        store,
        {
            first: [LinkTarget(old, "download", ("CSV",)), LinkTarget(fine, "access")],
            second: [LinkTarget(new, "download"), LinkTarget(html, "download", ("CSV",))],
            other: [LinkTarget(new, "download")],
        },
    )
    keep_link_results(
        store,
        [
            result(old, 1, ok=False),
            result(old, 9, ok=False),
            result(new, 7, ok=False),
            result(fine, 9, ok=True),
            result(html, 9, ok=True, problem="html_instead_of_format"),
        ],
    )
    links = problem_links_of_organization(store, settings, umwelt.id)
    assert [(link.record_name, link.state.url) for link in links] == [
        ("zweiter", html),  # reachable but wrong, found on day 9
        ("zweiter", new),  # broken since day 7
        ("erster", old),  # broken since day 1
    ]
    assert [
        link.state.url for link in problem_links_of_organization(store, settings, statistik.id)
    ] == [new]


def test_a_due_url_is_claimed_by_one_run_until_its_result_is_kept(store: Store) -> None:
    url, week = "https://a.example/daten.csv", timedelta(days=7)
    now = DAY0

    assert claim_link(store, url, "erster", now, week)
    assert not claim_link(store, url, "zweiter", now, week), "another run has it"
    keep_link_results(store, [result(url, 0, ok=True)])
    assert not claim_link(store, url, "zweiter", now + timedelta(days=6), week), "not due"
    assert claim_link(store, url, "zweiter", now + timedelta(days=7, seconds=1), week)


def test_an_abandoned_claim_is_taken_over_and_a_released_one_is_free_again(
    store: Store,
) -> None:
    url, week = "https://a.example/daten.csv", timedelta(days=7)
    assert claim_link(store, url, "abgestuerzt", DAY0, week)
    assert not claim_link(store, url, "neu", DAY0 + CLAIM_ABANDONED_AFTER, week)
    later = DAY0 + CLAIM_ABANDONED_AFTER + timedelta(seconds=1)
    assert claim_link(store, url, "neu", later, week)

    release_link_claims(store, [url], "abgestuerzt")  # not its claim any more: no effect
    assert not claim_link(store, url, "dritter", later, week)
    release_link_claims(store, [url], "neu")  # its check broke: the URL stays due
    assert claim_link(store, url, "dritter", later, week)


def test_kept_results_never_move_a_urls_last_check_back(store: Store) -> None:
    url, week = "https://a.example/daten.csv", timedelta(days=7)
    keep_link_results(store, [result(url, 10, ok=True), result(url, 3, ok=False)])
    keep_link_results(store, [result(url, 1, ok=True)])
    assert not claim_link(store, url, "run", DAY0 + timedelta(days=16), week)
    assert claim_link(store, url, "run", DAY0 + timedelta(days=17, seconds=1), week)
