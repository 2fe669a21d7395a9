"""Public pages of the catalog."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select

from catalog.models import DatasetRecord, Organization, RecordStatus
from web.context import current_store

blueprint = Blueprint("public", __name__)


@blueprint.get("/")
def index() -> str:
    with current_store().reading() as session:
        dataset_count = session.scalar(
            select(func.count()).where(DatasetRecord.status == RecordStatus.PUBLISHED)
        )
        organizations = list(session.scalars(select(Organization).order_by(Organization.title)))
    return render_template(
        "index.html", dataset_count=dataset_count or 0, organizations=organizations
    )
