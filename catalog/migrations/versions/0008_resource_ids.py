"""resource ids: each record's CKAN resource ids, kept with the record

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from catalog.resources import resource_ids_in_graph, resource_rows

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    table = op.create_table(
        "record_resources",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("resource_id", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["dataset_records.id"],
            name=op.f("fk_record_resources_record_id_dataset_records"),
        ),
        sa.PrimaryKeyConstraint("record_id", "resource_id", name=op.f("pk_record_resources")),
    )
    op.create_index("ix_record_resources_resource_id", "record_resources", ["resource_id"])
    _fill(table)


def _fill(table: sa.Table) -> None:
    """Every stored record's resource ids, read from its graph as a save derives them."""
    records = sa.table(
        "dataset_records", sa.column("id", sa.String), sa.column("uri"), sa.column("graph")
    )
    connection = op.get_bind()
    last = ""
    while True:
        batch = connection.execute(
            sa.select(records.c.id, records.c.uri, records.c.graph)
            .where(records.c.id > last)
            .order_by(records.c.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        rows = [
            row
            for record_id, uri, graph in batch
            for row in resource_rows(record_id, resource_ids_in_graph(record_id, graph, uri))
        ]
        if rows:
            connection.execute(sa.insert(table), rows)
        last = batch[-1][0]


def downgrade() -> None:
    op.drop_index("ix_record_resources_resource_id", table_name="record_resources")
    op.drop_table("record_resources")
