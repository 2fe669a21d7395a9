"""SQLAlchemy 2.0 models of the catalog: records, revisions, harvests, people."""

from __future__ import annotations

import enum
import uuid
import zlib
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from dcat.bilingual import Bilingual

# Stable constraint names, so that Alembic migrations work the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# How much of a CKAN resource id the record_resources table keeps (see RecordResource).
RESOURCE_KEY_LENGTH = 500


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite would otherwise hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the store keeps aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class CompressedText(TypeDecorator[str]):
    """Text kept zlib-compressed: revisions repeat whole graphs, which shrink about five-fold."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        return None if value is None else zlib.compress(value.encode("utf-8"), 1)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> str | None:
        return None if value is None else zlib.decompress(value).decode("utf-8")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RecordStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class ValidationState(enum.StrEnum):
    UNKNOWN = "unknown"
    VALID = "valid"
    WARNINGS = "warnings"
    INVALID = "invalid"


class JobStatus(enum.StrEnum):
    RUNNING = "running"
    DONE = "done"
    DONE_WITH_ERRORS = "done_with_errors"
    FAILED = "failed"


class Role(enum.StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"


def _enum(enum_class: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings with a CHECK, so adding a value never needs a PostgreSQL enum type.
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    homepage: Mapped[str | None] = mapped_column(String(2000))
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HarvestSource(Base):
    __tablename__ = "harvest_sources"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    type: Mapped[str] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(String(2000))
    path: Mapped[str | None] = mapped_column(String(2000))
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    schedule: Mapped[str] = mapped_column(String(20), default="daily")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    options: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # "config": config.yaml declares it (catalog init keeps it in line); "web": a steward
    # created it in the steward area, and catalog init leaves it alone.
    managed_by: Mapped[str] = mapped_column(String(20), default="config")
    # What the steward says about the source's records where they are silent (never over what
    # a record says): `defaults` and `mappings` as in config.yaml, and whether the catalog's own
    # geocoding and contributor ID may fill gaps (off for other publishers' sources).
    defaults: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    mappings: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    city_defaults: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()


class HarvestJob(Base):
    __tablename__ = "harvest_jobs"
    __table_args__ = (
        # One running job per source, whichever process or machine starts it: the database
        # refuses a second (catalog.jobs.start_job). Partial indexes exist on both databases.
        Index(
            "uq_harvest_jobs_running_source",
            "source_id",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("harvest_sources.id"), index=True)
    status: Mapped[JobStatus] = mapped_column(_enum(JobStatus, "job_status"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gather_complete: Mapped[bool] = mapped_column(Boolean, default=False)
    new_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    withdrawn_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)  # held back + refused
    # Stored but kept out of public outputs for DCAT-AP.de violations; not stored at all.
    held_back_count: Mapped[int] = mapped_column(Integer, default=0)
    refused_count: Mapped[int] = mapped_column(Integer, default=0)
    warning_count: Mapped[int] = mapped_column(Integer, default=0)
    # Why the job failed or what it noted, in German (`message`) and English (`message_en`,
    # empty on jobs written before messages were kept in two languages).
    message: Mapped[str] = mapped_column(Text, default="")
    message_en: Mapped[str] = mapped_column(Text, default="")
    # Who runs the job, so a job left "running" by a dead process can be recognised.
    runner: Mapped[str] = mapped_column(String(200), default="")
    # Written by the running job at intervals (catalog.job_liveness): a job whose heartbeat
    # is older than harvest.stale_after_seconds has lost its process, wherever it ran.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Run by workers of the task queue (harvesters/queue) rather than by the starting process.
    queued: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    force: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set by a queued job's gather once it has staged its last batch: how many there are, and
    # what the read found (complete or not, failed or not, its notes; harvesters/queue/plan.py).
    batch_total: Mapped[int | None] = mapped_column(Integer)
    gather_outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # The task that finishes the job (withdrawal, counts): one of possibly several sent.
    finisher: Mapped[str | None] = mapped_column(String(200))

    source: Mapped[HarvestSource] = relationship()
    errors: Mapped[list[HarvestError]] = relationship(
        back_populates="job", order_by="HarvestError.id", cascade="all, delete-orphan"
    )

    def message_in(self, language: str) -> str:
        """The job's message in the reader's language."""
        return self.message_en if language == "en" and self.message_en else self.message


# The stage of the error that says why a whole job failed (HarvestError.job_failure).
JOB_STAGE = "job"


class HarvestBatch(Base):
    """Records of a queued job between its gather and their save (harvesters/queue).

    `items` hold each record as the gather mapped it (N-Triples and what saving needs), or only
    its key where the gather settled it already; `gather_counts` what the gather counted for
    them, `counts` what preparing and saving the rest counted. A batch is `done` in the same
    transaction that stores its counts and errors, so a batch run twice counts once.
    """

    __tablename__ = "harvest_batches"

    job_id: Mapped[int] = mapped_column(
        ForeignKey("harvest_jobs.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    gather_counts: Mapped[dict[str, int]] = mapped_column(JSON)
    counts: Mapped[dict[str, int] | None] = mapped_column(JSON(none_as_null=True))
    done: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HarvestError(Base):
    """One record-level problem of a job; a job keeps every one of them, uncapped."""

    __tablename__ = "harvest_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("harvest_jobs.id"), index=True)
    record_key: Mapped[str] = mapped_column(String(2000), default="")
    stage: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)  # German; English in message_en
    message_en: Mapped[str] = mapped_column(Text, default="")
    report: Mapped[dict[str, object] | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    job: Mapped[HarvestJob] = relationship(back_populates="errors")

    def message_in(self, language: str) -> str:
        """The message in the reader's language."""
        return self.message_en if language == "en" and self.message_en else self.message

    @classmethod
    def job_failure(
        cls, job_id: int, source_name: str, message: Bilingual, stage: str
    ) -> HarvestError:
        """The reason a whole job failed, as one error of it: a failed job's report counts
        and lists it beside the record errors ("1 Fehler", not "0 Fehler")."""
        return cls(
            job_id=job_id,
            record_key=source_name,
            stage=stage,
            message=message.de,
            message_en=message.en,
        )


class DatasetRecord(Base):
    """The current state of one dataset: its DCAT-AP.de graph and columns derived from it."""

    __tablename__ = "dataset_records"
    __table_args__ = (
        # Keyset paging walks (updated_at, id); a source finds its records by their remote key.
        Index("ix_dataset_records_updated_at_id", "updated_at", "id"),
        UniqueConstraint("source_id", "remote_id", name="uq_dataset_records_source_remote"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    uri: Mapped[str] = mapped_column(String(2000), unique=True)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("harvest_sources.id"))
    remote_id: Mapped[str | None] = mapped_column(String(2000))
    # The (sub-)catalog of the source that listed this dataset, when the source has several.
    origin_catalog: Mapped[str | None] = mapped_column(String(2000))
    origin_catalog_title: Mapped[str | None] = mapped_column(Text)
    status: Mapped[RecordStatus] = mapped_column(_enum(RecordStatus, "record_status"))
    graph: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    # Hash of what the source delivered and of the pipeline that prepared it (see
    # catalog.ingest.RecordPreparer.source_hash): equal means a re-harvest can skip the record.
    source_hash: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")
    issued: Mapped[datetime | None] = mapped_column(UTCDateTime)
    modified: Mapped[datetime | None] = mapped_column(UTCDateTime)
    validation_state: Mapped[ValidationState] = mapped_column(
        _enum(ValidationState, "validation_state"), default=ValidationState.UNKNOWN
    )
    violation_count: Mapped[int] = mapped_column(Integer, default=0)
    warning_count: Mapped[int] = mapped_column(Integer, default=0)
    validation_report: Mapped[dict[str, object] | None] = mapped_column(JSON(none_as_null=True))
    # The record's DCAT-AP.de 3.0 rendering and what our 3.0 shapes say of it, written by every
    # save (catalog.ingest) so 3.0 outputs stream stored text and filter in the query as 2.0
    # ones do. NULL: not judged yet (`catalog validate --profile 3.0 --store` fills it);
    # such a record stays out of 3.0 outputs unless validation.publish_invalid.
    graph_v3: Mapped[str | None] = mapped_column(Text)
    violation_count_v3: Mapped[int | None] = mapped_column(Integer)
    validation_report_v3: Mapped[dict[str, object] | None] = mapped_column(JSON(none_as_null=True))
    revision_number: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization | None] = relationship()
    source: Mapped[HarvestSource | None] = relationship()


class RecordResource(Base):
    """One CKAN resource id of a record's distributions, written in the record's transaction.

    The CKAN API finds a resource by its id here (catalog.resources), so a lookup neither
    waits for nor misses in the search index. Ids are kept to their first RESOURCE_KEY_LENGTH
    characters (an index entry stays within PostgreSQL's limit); a lookup confirms the match
    against the record's graph.
    """

    __tablename__ = "record_resources"
    __table_args__ = (Index("ix_record_resources_resource_id", "resource_id"),)

    record_id: Mapped[str] = mapped_column(ForeignKey("dataset_records.id"), primary_key=True)
    resource_id: Mapped[str] = mapped_column(String(RESOURCE_KEY_LENGTH), primary_key=True)


class Revision(Base):
    """An append-only snapshot of a record, written by every save."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("record_id", "number", name="uq_revisions_record_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("dataset_records.id"))
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    harvest_job_id: Mapped[int | None] = mapped_column(ForeignKey("harvest_jobs.id"))
    status: Mapped[RecordStatus] = mapped_column(_enum(RecordStatus, "record_status"))
    graph: Mapped[str] = mapped_column(CompressedText)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")
    issued: Mapped[datetime | None] = mapped_column(UTCDateTime)
    modified: Mapped[datetime | None] = mapped_column(UTCDateTime)
    validation_state: Mapped[ValidationState] = mapped_column(
        _enum(ValidationState, "validation_state")
    )
    violation_count: Mapped[int] = mapped_column(Integer, default=0)
    warning_count: Mapped[int] = mapped_column(Integer, default=0)
    validation_report: Mapped[dict[str, object] | None] = mapped_column(JSON(none_as_null=True))
    # What the revision did, in German (`note`) and in English (`note_en`, empty on revisions
    # written before notes were kept in two languages).
    note: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")

    def note_in(self, language: str) -> str:
        """The note in the reader's language."""
        return self.note_en if language == "en" and self.note_en else self.note


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    email: Mapped[str] = mapped_column(String(320))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    is_site_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of every login session: raising it ends all of the user's sessions at once.
    session_generation: Mapped[int] = mapped_column(Integer, default=0)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )


class Membership(Base):
    __tablename__ = "memberships"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "member_role"))

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship()


class ApiToken(Base):
    """An API token; only its SHA-256 is kept, the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class PasswordReset(Base):
    """A one-time link to set a password; only the SHA-256 of its secret is kept."""

    __tablename__ = "password_resets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """One try to log in, kept for a while so that guessing passwords gets slow for everyone
    (all web workers see the same table)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username_at", "username", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100))
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


class RecordQuality(Base):
    """A record's MQA score (dcat.quality), written in the transaction that saves its graph.

    `facts` is what the score read of the graph, so a new link check re-scores the record
    without parsing it again; `breakdown` the points of every indicator.
    """

    __tablename__ = "record_quality"
    __table_args__ = (Index("ix_record_quality_points", "points"),)

    record_id: Mapped[str] = mapped_column(ForeignKey("dataset_records.id"), primary_key=True)
    points: Mapped[float] = mapped_column(Float)
    rating: Mapped[str] = mapped_column(String(20))
    facts: Mapped[dict[str, object]] = mapped_column(JSON)
    breakdown: Mapped[dict[str, object]] = mapped_column(JSON)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QualitySnapshot(Base):
    """One day's quality of the catalog, an organisation or a source: the trend's points.

    scope "catalog" has scope_id ""; "organization" and "source" name the row's id. Counted
    over published records, as other portals see them.
    """

    __tablename__ = "quality_snapshots"
    __table_args__ = (
        UniqueConstraint("day", "scope", "scope_id", name="uq_quality_snapshots_day_scope"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(String(20))
    scope_id: Mapped[str] = mapped_column(String(36), default="")
    datasets: Mapped[int] = mapped_column(Integer, default=0)
    mean_points: Mapped[float] = mapped_column(Float, default=0.0)
    excellent: Mapped[int] = mapped_column(Integer, default=0)
    good: Mapped[int] = mapped_column(Integer, default=0)
    sufficient: Mapped[int] = mapped_column(Integer, default=0)
    bad: Mapped[int] = mapped_column(Integer, default=0)


class LinkCheck(Base):
    """One check of one distribution URL (catalog linkcheck); the rows are the URL's history.

    URLs are found by their SHA-256 (`url_hash`): an address may be longer than an index
    entry may be. "Broken since" is the first failing check after the last good one.
    """

    __tablename__ = "link_checks"
    __table_args__ = (Index("ix_link_checks_url_hash_checked_at", "url_hash", "checked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url_hash: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Reachable: a 2xx answer after the redirects (a problem such as HTML for CSV aside).
    ok: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[int | None] = mapped_column(Integer)
    final_url: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int | None] = mapped_column(BigInteger)
    elapsed_ms: Mapped[int] = mapped_column(Integer, default=0)
    # What is wrong, as a code the pages translate (harvesters.linkcheck.PROBLEMS); None: fine.
    problem: Mapped[str | None] = mapped_column(String(40))
    # The formats a download of it was announced as (dct:format codes, "CSV"), comma-separated.
    announced: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(Text, default="")


class LinkClaim(Base):
    """Which process checks a URL now, and when its last check ended: the gate that lets one
    link check run, of all processes and machines, check a due URL (catalog.link_checks)."""

    __tablename__ = "link_claims"

    url_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    # When the last check of the URL ended (its result is in link_checks); None: never.
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set while a run checks the URL; a claim older than link_checks.CLAIM_ABANDONED_AFTER is
    # taken to be abandoned (its process died) and may be taken over.
    checking_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str] = mapped_column(String(36), default="")


class RecordLink(Base):
    """A URL one record's distributions name, as the last link check run read the record.

    The organisation's list of broken links joins these with the URLs' latest checks.
    """

    __tablename__ = "record_links"
    __table_args__ = (Index("ix_record_links_url_hash", "url_hash"),)

    record_id: Mapped[str] = mapped_column(ForeignKey("dataset_records.id"), primary_key=True)
    url_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    # "download" or "access" (a URL named as both is kept as download).
    role: Mapped[str] = mapped_column(String(10))
    url: Mapped[str] = mapped_column(Text)
    announced: Mapped[str] = mapped_column(String(200), default="")


# --- usage figures (written by catalog.usage only) -----------------------------------------
# Daily sums and nothing else: no address, user agent, cookie or session of whoever asked.


class UsageCount(Base):
    """How often a dataset was looked at in one day: page views, downloads through the
    dataset page, CKAN API reads (kind), by people or by bots and harvesters (audience)."""

    __tablename__ = "usage_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("dataset_records.id"), primary_key=True)
    audience: Mapped[str] = mapped_column(String(10), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class EndpointFetchCount(Base):
    """Requests for the DCAT catalog (its pages and the dump) in one day by one kind of
    client (GovData, data.europa.eu, ckanext-dcat, other), with the last one's time."""

    __tablename__ = "endpoint_fetch_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    client: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SearchTermCount(Base):
    """A search of the public pages in one day: its words (normalised), how often they were
    searched and how often nothing was found."""

    __tablename__ = "search_term_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    term: Mapped[str] = mapped_column(String(200), primary_key=True)
    audience: Mapped[str] = mapped_column(String(10), primary_key=True)
    searches: Mapped[int] = mapped_column(Integer, default=0)
    without_result: Mapped[int] = mapped_column(Integer, default=0)


class ChangeLogEntry(Base):
    """One committed change to a record, at a position that orders changes by commit.

    Written in the transaction of the change (catalog.change_log.append_changes); the public
    change feed, webhooks and each node's search index read it in position order.
    """

    __tablename__ = "change_log"

    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    # created, updated, status, restored (catalog.change_log.ACTIONS)
    action: Mapped[str] = mapped_column(String(20))
    # The record's status and check result before (None: it did not exist) and after, so a
    # reader can tell, under its own validation.publish_invalid, whether the public saw it.
    status_before: Mapped[RecordStatus | None] = mapped_column(_enum(RecordStatus, "record_status"))
    validation_before: Mapped[ValidationState | None] = mapped_column(
        _enum(ValidationState, "validation_state")
    )
    status_after: Mapped[RecordStatus] = mapped_column(_enum(RecordStatus, "record_status"))
    validation_after: Mapped[ValidationState] = mapped_column(
        _enum(ValidationState, "validation_state")
    )
    organization_id: Mapped[str | None] = mapped_column(String(36))
    # The record's columns the change altered ("content" for the graph).
    changed: Mapped[list[str]] = mapped_column(JSON, default=list)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChangeLogHead(Base):
    """The one row holding the last position handed out; its row lock orders the log."""

    __tablename__ = "change_log_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(BigInteger, default=0)


class WebhookEndpoint(Base):
    """An HTTPS address an organisation's admins want told about public changes."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(Text, default="")
    # "whsec_" + base64 key: kept, since every delivery is signed with it; shown once.
    secret: Mapped[str] = mapped_column(String(200))
    # Filters; an empty list lets everything through.
    organizations: Mapped[list[str]] = mapped_column(JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The change-log position up to which events were turned into deliveries.
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pause_reason: Mapped[str] = mapped_column(Text, default="")
    # Since when the oldest undelivered event has been failing (None: not failing).
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # One deliverer at a time per endpoint (cron and web workers may both run).
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()


class WebhookDelivery(Base):
    """One event for one endpoint: the exact body that is signed and sent, and its fate."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_endpoint_state", "endpoint_id", "state", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoints.id"))
    event_id: Mapped[str] = mapped_column(String(100))
    event_type: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    # pending, delivered
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(Text, default="")
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoredView(Base):
    """A record's flat view (dcat.view_json) as made from the graph with `content_hash` by the
    view code of `version`: a cache that lets a reindex skip parsing every graph. No foreign
    key: records are never deleted in place, and a row whose hash or version no longer matches
    its record is simply made again."""

    __tablename__ = "stored_views"

    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(16))
    view: Mapped[str] = mapped_column(Text)
