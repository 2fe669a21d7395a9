"""Link checks kept: each URL's check history, the URLs each record names, and the questions
the steward pages, the link checker and the quality score ask of them.

The network work lives in harvesters.linkcheck; this module only reads graphs and tables.
A URL is keyed by its SHA-256, so an address of any length fits an index.

Several runs may go at once (cron, the steward area's buttons, on several machines): a run
checks a URL only after claiming it (claim_link), one conditional UPDATE of the URL's
link_claims row that succeeds for one run only, and only while the URL is due. Keeping the
result ends the claim; a claim that was never ended counts as abandoned after
CLAIM_ABANDONED_AFTER.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rdflib import URIRef
from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from catalog.models import DatasetRecord, LinkCheck, LinkClaim, RecordLink
from catalog.publication import public_conditions
from catalog.settings import Settings
from catalog.store import Store
from dcat.parsing import parse_rdf
from dcat.view import DistributionView, dataset_view

CHUNK = 500  # URLs per IN (...) list: well inside every database's parameter limit
# Formats whose download may well be an HTML page; for any other, HTML means a wrong link.
HTML_FORMATS = frozenset({"HTML", "XHTML", "HTM"})
# One check takes at most the HEAD's and the GET's deadlines and the host's delay between
# them (settings.linkcheck, deadline at most a few minutes in any sane config): a claim this
# old belongs to a run that died, and another run may take the URL over.
CLAIM_ABANDONED_AFTER = timedelta(minutes=15)


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LinkTarget:
    """One URL a record's distributions name: download or access, and the formats a
    download of it was announced as (dct:format codes such as "CSV")."""

    url: str
    role: str  # "download" or "access"
    announced: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkResult:
    """One finished check of one URL, as the link checker hands it over to be kept."""

    url: str
    checked_at: datetime
    ok: bool
    status: int | None
    final_url: str | None
    content_type: str | None
    size: int | None
    elapsed_ms: int
    problem: str | None
    announced: tuple[str, ...] = ()
    error: str = ""


@dataclass(frozen=True)
class LinkOutcome:
    """The latest check of a URL, for the quality score (q19score): reachable or not."""

    status: int | None
    ok: bool
    checked_at: datetime
    problem: str | None


@dataclass(frozen=True)
class LinkState:
    """A URL's latest check with what its history says: since when it fails."""

    url: str
    checked_at: datetime
    ok: bool
    status: int | None
    final_url: str | None
    content_type: str | None
    size: int | None
    elapsed_ms: int
    problem: str | None
    announced: tuple[str, ...]
    error: str
    broken_since: datetime | None  # the first failing check after the last good one

    @property
    def healthy(self) -> bool:
        return self.ok and self.problem is None


# --- reading the targets from records -------------------------------------------------------


def format_code(distribution: DistributionView) -> str | None:
    """The announced format as a short code: the EU file type's last segment, else the
    media type's subtype ("text/csv" -> "CSV")."""
    if distribution.format is not None and distribution.format.iri:
        return distribution.format.iri.rstrip("/").rsplit("/", 1)[-1].upper()
    if distribution.media_type:
        return distribution.media_type.rsplit("/", 1)[-1].split(";")[0].strip().upper()
    return None


def links_of_distributions(distributions: Iterable[DistributionView]) -> list[LinkTarget]:
    """Every distinct URL, downloads first; a URL named both ways counts as a download."""
    downloads: dict[str, set[str]] = {}
    access: dict[str, None] = {}
    for distribution in distributions:
        code = format_code(distribution)
        if distribution.download_url:
            downloads.setdefault(distribution.download_url, set())
            if code:
                downloads[distribution.download_url].add(code)
        if distribution.access_url:
            access[distribution.access_url] = None
    targets = [
        LinkTarget(url, "download", tuple(sorted(codes))) for url, codes in downloads.items()
    ]
    targets += [LinkTarget(url, "access") for url in access if url not in downloads]
    return targets


def links_of_record(record: DatasetRecord) -> list[LinkTarget]:
    """The URLs of a stored record's distributions; none when its graph cannot be read."""
    graph = parse_rdf(record.graph, content_type="application/n-triples")
    return links_of_distributions(dataset_view(graph, URIRef(record.uri), "de").distributions)


def public_records_to_check(
    store: Store,
    settings: Settings,
    *,
    record_names: Sequence[str] = (),
    organization_id: str | None = None,
    batch: int = 500,
) -> Iterator[DatasetRecord]:
    """The public records whose links a run checks, in id order, a batch at a time."""
    last = ""
    while True:
        query = select(DatasetRecord).where(*public_conditions(settings), DatasetRecord.id > last)
        if record_names:
            query = query.where(DatasetRecord.name.in_(list(record_names)))
        if organization_id is not None:
            query = query.where(DatasetRecord.organization_id == organization_id)
        with store.reading() as session:
            records = list(session.scalars(query.order_by(DatasetRecord.id).limit(batch)))
        yield from records
        if len(records) < batch:
            return
        last = records[-1].id


def remember_record_links(store: Store, links: dict[str, list[LinkTarget]]) -> None:
    """These are now the URLs of these records (record id -> targets), in one transaction."""
    if not links:
        return
    with store.transaction() as session:
        ids = sorted(links)
        # Two runs over the same records (other processes) take the records' row locks in one
        # order first, so their deletes and inserts below never wait on each other in a cycle
        # (a deadlock on PostgreSQL; SQLite has one writer at a time anyway).
        for start in range(0, len(ids), CHUNK):
            session.execute(
                select(DatasetRecord.id)
                .where(DatasetRecord.id.in_(ids[start : start + CHUNK]))
                .order_by(DatasetRecord.id)
                .with_for_update()
            ).all()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            session.execute(delete(RecordLink).where(RecordLink.record_id.in_(chunk)))
        rows = [
            {
                "record_id": record_id,
                "url_hash": url_hash(target.url),
                "role": target.role,
                "url": target.url,
                "announced": ",".join(target.announced),
            }
            for record_id in ids
            for target in {url_hash(t.url): t for t in links[record_id]}.values()
        ]
        rows.sort(key=lambda row: (row["record_id"], row["url_hash"]))
        if rows:
            # Upserted: a run in another process may have written the same rows since this
            # transaction's DELETE (PostgreSQL's statement snapshot does not see them).
            statement = _upsert(session)(RecordLink)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["record_id", "url_hash"],
                    set_={
                        "role": statement.excluded.role,
                        "url": statement.excluded.url,
                        "announced": statement.excluded.announced,
                    },
                ),
                rows,
            )


# --- writing checks ------------------------------------------------------------------------


def _upsert(session: Session) -> Any:
    """The dialect's INSERT that knows ON CONFLICT (PostgreSQL and SQLite both do)."""
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def claim_link(
    store: Store, url: str, run_id: str, now: datetime, recheck_after: timedelta
) -> bool:
    """Take the URL for one check by this run; False if it is not due (checked within
    `recheck_after`) or another run checks it now. Atomic across processes: of several runs
    asking at once, one gets True."""
    hash_ = url_hash(url)
    with store.transaction() as session:
        session.execute(
            _upsert(session)(LinkClaim)
            .values(url_hash=hash_, checked_at=None, checking_since=None, claimed_by="")
            .on_conflict_do_nothing(index_elements=["url_hash"])
        )
        claimed = session.execute(
            update(LinkClaim)
            .where(
                LinkClaim.url_hash == hash_,
                LinkClaim.checked_at.is_(None) | (LinkClaim.checked_at < now - recheck_after),
                LinkClaim.checking_since.is_(None)
                | (LinkClaim.checking_since < now - CLAIM_ABANDONED_AFTER),
            )
            .values(checking_since=now, claimed_by=run_id)
        )
        return bool(getattr(claimed, "rowcount", 0))


def release_link_claims(store: Store, urls: Iterable[str], run_id: str) -> None:
    """End this run's claims of URLs it did not check after all (they stay due)."""
    hashes = [url_hash(url) for url in urls]
    with store.transaction() as session:
        for chunk in _chunks(hashes):
            session.execute(
                update(LinkClaim)
                .where(LinkClaim.url_hash.in_(chunk), LinkClaim.claimed_by == run_id)
                .values(checking_since=None, claimed_by="")
            )


def keep_link_results(store: Store, results: Sequence[LinkResult]) -> None:
    """Append finished checks to their URLs' histories; their URLs' claims end with them."""
    if not results:
        return
    rows = [
        {
            "url_hash": url_hash(result.url),
            "url": result.url,
            "checked_at": result.checked_at,
            "ok": result.ok,
            "status": result.status,
            "final_url": result.final_url,
            "content_type": (result.content_type or "")[:200] or None,
            "size": result.size,
            "elapsed_ms": result.elapsed_ms,
            "problem": result.problem,
            "announced": ",".join(result.announced)[:200],
            "error": result.error,
        }
        for result in results
    ]
    latest: dict[str, datetime] = {}  # one row per URL: ON CONFLICT may touch a row once
    for result in results:
        hash_ = url_hash(result.url)
        latest[hash_] = max(result.checked_at, latest.get(hash_, result.checked_at))
    with store.transaction() as session:
        session.execute(insert(LinkCheck), rows)
        statement = _upsert(session)(LinkClaim)
        newer = LinkClaim.checked_at.is_(None) | (
            statement.excluded.checked_at > LinkClaim.checked_at
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["url_hash"],
                set_={
                    "checked_at": case(
                        (newer, statement.excluded.checked_at), else_=LinkClaim.checked_at
                    ),
                    "checking_since": None,
                    "claimed_by": "",
                },
            ),
            [
                {"url_hash": hash_, "checked_at": at, "checking_since": None, "claimed_by": ""}
                for hash_, at in latest.items()
            ],
        )


# --- reading checks ------------------------------------------------------------------------


def _session_of(session_or_store: Session | Store) -> tuple[Session, bool]:
    if isinstance(session_or_store, Store):
        return session_or_store.sessions(), True
    return session_or_store, False


def _chunks(hashes: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(hashes), CHUNK):
        yield list(hashes[start : start + CHUNK])


def checked_since(store: Store, urls: Iterable[str], since: datetime) -> set[str]:
    """The URLs among these that were checked at or after `since` (not due again yet)."""
    by_hash = {url_hash(url): url for url in urls}
    found: set[str] = set()
    with store.reading() as session:
        for chunk in _chunks(list(by_hash)):
            query = (
                select(LinkCheck.url_hash)
                .where(LinkCheck.url_hash.in_(chunk), LinkCheck.checked_at >= since)
                .distinct()
            )
            found.update(by_hash[value] for value in session.scalars(query))
    return found


def _latest_checks(session: Session, hashes: list[str]) -> dict[str, LinkCheck]:
    latest_ids = (
        select(func.max(LinkCheck.id))
        .where(LinkCheck.url_hash.in_(hashes))
        .group_by(LinkCheck.url_hash)
        .scalar_subquery()
    )
    return {
        check.url_hash: check
        for check in session.scalars(select(LinkCheck).where(LinkCheck.id.in_(latest_ids)))
    }


def _broken_since(session: Session, hashes: list[str]) -> dict[str, datetime]:
    """Per URL: the first failing check after its last good one (none if it never failed)."""
    last_good = (
        select(LinkCheck.url_hash, func.max(LinkCheck.checked_at).label("at"))
        .where(LinkCheck.url_hash.in_(hashes), LinkCheck.ok.is_(True))
        .group_by(LinkCheck.url_hash)
        .subquery()
    )
    query = (
        select(LinkCheck.url_hash, func.min(LinkCheck.checked_at))
        .outerjoin(last_good, last_good.c.url_hash == LinkCheck.url_hash)
        .where(
            LinkCheck.url_hash.in_(hashes),
            LinkCheck.ok.is_(False),
            (last_good.c.at.is_(None)) | (LinkCheck.checked_at > last_good.c.at),
        )
        .group_by(LinkCheck.url_hash)
    )
    return {hash_: at for hash_, at in session.execute(query).all()}


def link_states(session_or_store: Session | Store, urls: Iterable[str]) -> dict[str, LinkState]:
    """The latest check of each URL that has one, with since when it is broken."""
    by_hash = {url_hash(url): url for url in urls}
    session, own = _session_of(session_or_store)
    states: dict[str, LinkState] = {}
    try:
        for chunk in _chunks(list(by_hash)):
            latest = _latest_checks(session, chunk)
            since = _broken_since(session, [h for h, c in latest.items() if not c.ok])
            for hash_, check in latest.items():
                states[by_hash[hash_]] = LinkState(
                    url=by_hash[hash_],
                    checked_at=check.checked_at,
                    ok=check.ok,
                    status=check.status,
                    final_url=check.final_url,
                    content_type=check.content_type,
                    size=check.size,
                    elapsed_ms=check.elapsed_ms,
                    problem=check.problem,
                    announced=tuple(filter(None, check.announced.split(","))),
                    error=check.error,
                    broken_since=None if check.ok else since.get(hash_, check.checked_at),
                )
    finally:
        if own:
            session.close()
    return states


def latest_link_outcomes(
    session_or_store: Session | Store, urls: Iterable[str]
) -> dict[str, LinkOutcome]:
    """Per URL with at least one check: its latest status, whether it was reachable (a 2xx
    answer after redirects) and when. URLs never checked are absent. For the quality score,
    which must never make a request while a record is saved."""
    by_hash = {url_hash(url): url for url in urls}
    session, own = _session_of(session_or_store)
    try:
        outcomes: dict[str, LinkOutcome] = {}
        for chunk in _chunks(list(by_hash)):
            for hash_, check in _latest_checks(session, chunk).items():
                outcomes[by_hash[hash_]] = LinkOutcome(
                    check.status, check.ok, check.checked_at, check.problem
                )
        return outcomes
    finally:
        if own:
            session.close()


@dataclass(frozen=True)
class BrokenLink:
    """A failing or wrong link of one public record, for the organisation's list."""

    record_name: str
    record_title: str
    role: str
    state: LinkState


def problem_links_of_organization(
    store: Store, settings: Settings, organization_id: str
) -> list[BrokenLink]:
    """The organisation's public records' links whose latest check failed or found a
    problem (HTML for CSV), the newest failures first; as the last run read the records."""
    query = (
        select(DatasetRecord.name, DatasetRecord.title, RecordLink.role, RecordLink.url)
        .join(RecordLink, RecordLink.record_id == DatasetRecord.id)
        .where(DatasetRecord.organization_id == organization_id, *public_conditions(settings))
    )
    with store.reading() as session:
        rows = [tuple(row) for row in session.execute(query).all()]
        states = link_states(session, {url for *_, url in rows})
    found = [
        BrokenLink(name, title, role, states[url])
        for name, title, role, url in rows
        if url in states and not states[url].healthy
    ]
    return sorted(
        found,
        key=lambda link: (link.state.broken_since or link.state.checked_at, link.record_name),
        reverse=True,
    )
