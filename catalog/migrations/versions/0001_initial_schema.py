"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _record_status_column() -> sa.Column:
    """A record's and a revision's status: the same enum in both tables."""
    statuses = sa.Enum(
        "draft", "published", "withdrawn", name="record_status", native_enum=False, length=20
    )
    return sa.Column("status", statuses, nullable=False)


def _content_columns() -> list[sa.Column]:
    """What a record and each of its revisions keep of one version: hash, title, dates, check."""
    return [
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("issued", sa.DateTime(timezone=True), nullable=True),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=True),
        _validation_state_column(),
        sa.Column("violation_count", sa.Integer(), nullable=False),
        sa.Column("warning_count", sa.Integer(), nullable=False),
        sa.Column("validation_report", sa.JSON(), nullable=True),
    ]


def _validation_state_column() -> sa.Column:
    states = sa.Enum(
        "unknown",
        "valid",
        "warnings",
        "invalid",
        name="validation_state",
        native_enum=False,
        length=20,
    )
    return sa.Column("validation_state", states, nullable=False)


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("homepage", sa.String(length=2000), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("name", name=op.f("uq_organizations_name")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("is_site_admin", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "harvest_sources",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("path", sa.String(length=2000), nullable=True),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("schedule", sa.String(length=20), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_harvest_sources_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_harvest_sources_name")),
    )
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column(
            "role",
            sa.Enum("admin", "editor", name="member_role", native_enum=False, length=20),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_memberships_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "organization_id", name=op.f("pk_memberships")),
    )
    op.create_table(
        "dataset_records",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uri", sa.String(length=2000), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=True),
        sa.Column("source_id", sa.String(length=36), nullable=True),
        sa.Column("remote_id", sa.String(length=2000), nullable=True),
        _record_status_column(),
        sa.Column("graph", sa.Text(), nullable=False),
        *_content_columns(),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_dataset_records_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["harvest_sources.id"],
            name=op.f("fk_dataset_records_source_id_harvest_sources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_records")),
        sa.UniqueConstraint("name", name=op.f("uq_dataset_records_name")),
        sa.UniqueConstraint("source_id", "remote_id", name="uq_dataset_records_source_remote"),
        sa.UniqueConstraint("uri", name=op.f("uq_dataset_records_uri")),
    )
    with op.batch_alter_table("dataset_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dataset_records_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            "ix_dataset_records_updated_at_id", ["updated_at", "id"], unique=False
        )

    op.create_table(
        "harvest_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "running",
                "done",
                "done_with_errors",
                "failed",
                name="job_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("gather_complete", sa.Boolean(), nullable=False),
        sa.Column("new_count", sa.Integer(), nullable=False),
        sa.Column("updated_count", sa.Integer(), nullable=False),
        sa.Column("unchanged_count", sa.Integer(), nullable=False),
        sa.Column("withdrawn_count", sa.Integer(), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("runner", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["harvest_sources.id"],
            name=op.f("fk_harvest_jobs_source_id_harvest_sources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_jobs")),
    )
    with op.batch_alter_table("harvest_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_harvest_jobs_source_id"), ["source_id"], unique=False)

    op.create_table(
        "harvest_errors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("record_key", sa.String(length=2000), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["harvest_jobs.id"], name=op.f("fk_harvest_errors_job_id_harvest_jobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_errors")),
    )
    with op.batch_alter_table("harvest_errors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_harvest_errors_job_id"), ["job_id"], unique=False)

    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("harvest_job_id", sa.Integer(), nullable=True),
        _record_status_column(),
        sa.Column("graph", sa.LargeBinary(), nullable=False),
        *_content_columns(),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["harvest_job_id"],
            ["harvest_jobs.id"],
            name=op.f("fk_revisions_harvest_job_id_harvest_jobs"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["dataset_records.id"],
            name=op.f("fk_revisions_record_id_dataset_records"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_revisions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
        sa.UniqueConstraint("record_id", "number", name="uq_revisions_record_number"),
    )


def downgrade() -> None:
    op.drop_table("revisions")
    with op.batch_alter_table("harvest_errors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_harvest_errors_job_id"))

    op.drop_table("harvest_errors")
    with op.batch_alter_table("harvest_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_harvest_jobs_source_id"))

    op.drop_table("harvest_jobs")
    with op.batch_alter_table("dataset_records", schema=None) as batch_op:
        batch_op.drop_index("ix_dataset_records_updated_at_id")
        batch_op.drop_index(batch_op.f("ix_dataset_records_organization_id"))

    op.drop_table("dataset_records")
    op.drop_table("memberships")
    op.drop_table("harvest_sources")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_table("organizations")
