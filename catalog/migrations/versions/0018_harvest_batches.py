"""Harvest jobs on a task queue: batches staged between gather and save, and the job's plan

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

A queued job (harvesters/queue) gathers its source into staged batches; workers on any machine
prepare and save them; whoever completes the last one has the job finished. The job row keeps
what the gather found out (how many batches, whether the read was complete, its notes), so the
finishing step can run in any process.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("harvest_jobs") as batch:
        batch.add_column(sa.Column("queued", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("force", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("batch_total", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("gather_outcome", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("finisher", sa.String(200), nullable=True))
    op.create_table(
        "harvest_batches",
        sa.Column(
            "job_id",
            sa.Integer(),
            sa.ForeignKey("harvest_jobs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("number", sa.Integer(), primary_key=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("gather_counts", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("harvest_batches")
    with op.batch_alter_table("harvest_jobs") as batch:
        batch.drop_column("finisher")
        batch.drop_column("gather_outcome")
        batch.drop_column("batch_total")
        batch.drop_column("force")
        batch.drop_column("queued")
