"""one running job per source, and a heartbeat that tells a live job from a dead one

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    with op.batch_alter_table("harvest_jobs") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    # Before this revision two jobs of one source could both be left running; only the newest
    # may stay so, or the unique index below cannot be built.
    op.execute(
        "UPDATE harvest_jobs SET status = 'failed', finished_at = started_at, "
        "message = 'Abgebrochen: eine neuere Ernte derselben Quelle lief gleichzeitig / "
        "aborted: a newer harvest of the same source ran at the same time' "
        "WHERE status = 'running' AND id NOT IN "
        "(SELECT max(id) FROM harvest_jobs WHERE status = 'running' GROUP BY source_id)"
    )
    op.execute("UPDATE harvest_jobs SET heartbeat_at = started_at WHERE status = 'running'")
    op.create_index(
        "uq_harvest_jobs_running_source",
        "harvest_jobs",
        ["source_id"],
        unique=True,
        sqlite_where=RUNNING,
        postgresql_where=RUNNING,
    )


def downgrade() -> None:
    op.drop_index("uq_harvest_jobs_running_source", table_name="harvest_jobs")
    with op.batch_alter_table("harvest_jobs") as batch:
        batch.drop_column("heartbeat_at")
