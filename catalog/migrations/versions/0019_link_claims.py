"""link claims: one link check run at a time per URL, across processes

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03

Every URL with a check history gets its row, with the time of its latest check, so that what
was checked within the interval stays not due.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_claims",
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checking_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("url_hash", name=op.f("pk_link_claims")),
    )
    op.execute(
        "INSERT INTO link_claims (url_hash, checked_at, checking_since, claimed_by) "
        "SELECT url_hash, MAX(checked_at), NULL, '' FROM link_checks GROUP BY url_hash"
    )


def downgrade() -> None:
    op.drop_table("link_claims")
