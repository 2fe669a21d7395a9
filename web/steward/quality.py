"""The stewards' quality pages under /verwaltung/qualitaet: datasets by score, the worklist
of those that lose the most points (with what to fix), and the worklist as CSV."""

from __future__ import annotations

import csv
import io
from typing import cast

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext

from catalog.models import Organization
from catalog.quality.worklist import (
    SCORE_ORDERS,
    ScoredRecord,
    ScoreOrder,
    scored_records,
    worklist,
)
from web.context import current_store
from web.quality_texts import RATING_LABELS, indicator_text, points_text, result_summary
from web.quality_texts import template_helpers as quality_helpers
from web.steward.auth import current_rights, login_required
from web.steward.dashboard import steward_organizations

blueprint = Blueprint("steward_quality", __name__, url_prefix="/verwaltung/qualitaet")

WORKLIST_ON_PAGE = 15


def _chosen_organizations() -> tuple[list[Organization], Organization | None]:
    organizations = steward_organizations(current_rights())
    wanted = request.args.get("organisation", "")
    chosen = next((org for org in organizations if org.name == wanted), None)
    return ([chosen] if chosen else organizations), chosen


def _order() -> ScoreOrder:
    wanted = request.args.get("sortierung", "points")
    return cast(ScoreOrder, wanted) if wanted in SCORE_ORDERS else "points"


@blueprint.get("/")
@login_required
def index() -> str:
    organizations, chosen = _chosen_organizations()
    ids = [org.id for org in organizations]
    order = _order()
    return render_template(
        "steward/quality/index.html",
        organizations=steward_organizations(current_rights()),
        chosen=chosen,
        records=scored_records(current_store(), ids, order=order) if ids else [],
        worklist=worklist(current_store(), ids, limit=WORKLIST_ON_PAGE) if ids else [],
        order=order,
        organizations_by_id={org.id: org for org in organizations},
        **quality_helpers(),
    )


@blueprint.get("/arbeitsliste.csv")
@login_required
def worklist_csv() -> Response:
    """Every record that loses points, one row per indicator it loses points on."""
    organizations, chosen = _chosen_organizations()
    ids = [org.id for org in organizations]
    titles = {org.id: org.title for org in organizations}
    records = worklist(current_store(), ids) if ids else []
    name = f"arbeitsliste-{chosen.name}.csv" if chosen else "arbeitsliste.csv"
    return Response(
        _csv_text(records, titles),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _csv_text(records: list[ScoredRecord], titles: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            gettext("Datensatz"),
            gettext("Titel"),
            gettext("Organisation"),
            gettext("Punkte"),
            gettext("Bewertung"),
            gettext("Defekte Adressen"),
            gettext("Kriterium"),
            gettext("Verlorene Punkte"),
            gettext("Stand"),
            gettext("So beheben"),
        ]
    )
    for record in records:
        for result in record.losses:
            writer.writerow(
                [
                    record.name,
                    _safe_cell(record.title),
                    titles.get(record.organization_id or "", ""),
                    points_text(record.points),
                    str(RATING_LABELS[record.score.rating]),
                    record.broken_links,
                    str(indicator_text(result.key).label),
                    points_text(result.lost),
                    result_summary(result),
                    str(indicator_text(result.key).fix),
                ]
            )
    # A BOM, so that spreadsheet programs read the umlauts as UTF-8.
    return "\ufeff" + out.getvalue()


def _safe_cell(text: str) -> str:
    """A title that starts like a formula is shown as text, never run by a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
