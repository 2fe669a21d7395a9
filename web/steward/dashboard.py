"""The steward's start page: their organisations' datasets, what needs attention, recent jobs."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template
from sqlalchemy import func, or_, select

from catalog.models import (
    DatasetRecord,
    HarvestJob,
    HarvestSource,
    Organization,
    RecordStatus,
    ValidationState,
)
from catalog.permissions import Rights
from web.context import current_store
from web.steward.auth import current_rights, login_required

blueprint = Blueprint("steward", __name__, url_prefix="/verwaltung")

ATTENTION_LIMIT = 50
RECENT_JOBS = 10


@dataclass(frozen=True)
class OrganizationSummary:
    organization: Organization
    published: int
    drafts: int
    withdrawn: int
    valid: int
    warnings: int
    invalid: int
    may_manage: bool


def steward_organizations(rights: Rights) -> list[Organization]:
    """The organisations whose records the steward edits (all of them for site admins)."""
    query = select(Organization).order_by(Organization.title)
    if not rights.site_admin:
        query = query.where(Organization.id.in_(rights.editor_of))
    with current_store().reading() as session:
        return list(session.scalars(query))


def _summaries(rights: Rights, organizations: list[Organization]) -> list[OrganizationSummary]:
    ids = [org.id for org in organizations]
    with current_store().reading() as session:
        rows = session.execute(
            select(
                DatasetRecord.organization_id,
                DatasetRecord.status,
                DatasetRecord.validation_state,
                func.count(),
            )
            .where(DatasetRecord.organization_id.in_(ids))
            .group_by(
                DatasetRecord.organization_id, DatasetRecord.status, DatasetRecord.validation_state
            )
        ).all()
    counts: dict[str, dict[str, int]] = {org_id: {} for org_id in ids}
    for org_id, status, state, count in rows:
        bucket = counts[org_id or ""]
        bucket[status.value] = bucket.get(status.value, 0) + count
        if status != RecordStatus.WITHDRAWN:
            bucket[state.value] = bucket.get(state.value, 0) + count
    return [
        OrganizationSummary(
            organization=org,
            published=counts[org.id].get("published", 0),
            drafts=counts[org.id].get("draft", 0),
            withdrawn=counts[org.id].get("withdrawn", 0),
            valid=counts[org.id].get("valid", 0),
            warnings=counts[org.id].get("warnings", 0),
            invalid=counts[org.id].get("invalid", 0),
            may_manage=rights.administers(org.id),
        )
        for org in organizations
    ]


def _needing_attention(organization_ids: list[str]) -> list[DatasetRecord]:
    """Drafts, and records with violations or warnings: newest changes first."""
    query = (
        select(DatasetRecord)
        .where(
            DatasetRecord.organization_id.in_(organization_ids),
            DatasetRecord.status != RecordStatus.WITHDRAWN,
            or_(
                DatasetRecord.status == RecordStatus.DRAFT,
                DatasetRecord.validation_state.in_(
                    [ValidationState.INVALID, ValidationState.WARNINGS]
                ),
            ),
        )
        .order_by(DatasetRecord.validation_state.desc(), DatasetRecord.updated_at.desc())
        .limit(ATTENTION_LIMIT)
    )
    with current_store().reading() as session:
        return list(session.scalars(query))


def _recent_jobs(organization_ids: list[str]) -> list[tuple[HarvestJob, HarvestSource]]:
    query = (
        select(HarvestJob, HarvestSource)
        .join(HarvestSource, HarvestJob.source_id == HarvestSource.id)
        .where(HarvestSource.organization_id.in_(organization_ids))
        .order_by(HarvestJob.id.desc())
        .limit(RECENT_JOBS)
    )
    with current_store().reading() as session:
        return [(job, source) for job, source in session.execute(query).all()]


@blueprint.get("/")
@login_required
def dashboard() -> str:
    rights = current_rights()
    organizations = steward_organizations(rights)
    ids = [org.id for org in organizations]
    by_id = {org.id: org for org in organizations}
    attention = _needing_attention(ids)
    return render_template(
        "steward/dashboard.html",
        summaries=_summaries(rights, organizations),
        attention=attention,
        jobs=_recent_jobs(ids),
        organizations_by_id=by_id,
        rights=rights,
    )
