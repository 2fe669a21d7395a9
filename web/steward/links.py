"""Link health in the steward area: a dataset's links with their state, an organisation's
broken links (newest failures first), and the buttons that check them in the background."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext, ngettext
from werkzeug.wrappers import Response

from catalog.link_checks import (
    LinkState,
    LinkTarget,
    link_states,
    links_of_distributions,
    problem_links_of_organization,
)
from catalog.models import Organization, utcnow
from catalog.organizations import get_organization_by_name
from catalog.publication import is_public
from dcat.view import DatasetView
from harvesters.link_service import BackgroundLinkChecks, LinkSelection
from web.context import current_settings, current_store
from web.steward.auth import current_rights, forbidden, login_required
from web.steward.dataset_access import redirect_to, steward_required, visible_record

blueprint = Blueprint("steward_links", __name__, url_prefix="/verwaltung")
BACKGROUND_KEY = "catalog.background_link_checks"


@blueprint.record_once
def _start_background_checks(state: BlueprintSetupState) -> None:
    extensions = state.app.extensions
    extensions[BACKGROUND_KEY] = BackgroundLinkChecks(
        extensions["catalog.store"], extensions["catalog.settings"]
    )


def background_link_checks() -> BackgroundLinkChecks:
    checks: BackgroundLinkChecks = current_app.extensions[BACKGROUND_KEY]
    return checks


@dataclass(frozen=True)
class LinkRow:
    """One URL of a dataset as the steward page shows it."""

    target: LinkTarget
    state: LinkState | None  # None: never checked

    @property
    def verdict(self) -> str:
        """ "unchecked", "ok", "problem" or "broken": the page's wording and colour."""
        if self.state is None:
            return "unchecked"
        if not self.state.ok:
            return "broken"
        return "problem" if self.state.problem else "ok"


def dataset_link_rows(view: DatasetView) -> list[LinkRow]:
    """The dataset's URLs as its current graph names them, each with its latest check."""
    targets = links_of_distributions(view.distributions)
    states = link_states(current_store(), [target.url for target in targets])
    return [LinkRow(target, states.get(target.url)) for target in targets]


def days_since(moment: datetime, now: datetime | None = None) -> int:
    return max(0, ((now or utcnow()) - moment).days)


def state_text(state: LinkState | None) -> str:
    """The state in words: "in Ordnung", "kaputt seit 12 Tagen", "liefert HTML statt CSV"."""
    if state is None:
        return gettext("noch nicht geprüft")
    if state.ok and state.problem == "html_instead_of_format":
        return gettext("liefert HTML statt %(formats)s", formats=", ".join(state.announced))
    if state.ok:
        return gettext("in Ordnung")
    days = days_since(state.broken_since or state.checked_at)
    if days == 0:
        return gettext("kaputt seit heute")
    return ngettext("kaputt seit %(num)s Tag", "kaputt seit %(num)s Tagen", days)


def problem_text(state: LinkState) -> str:
    """Why the link fails, in the page's language."""
    if state.problem == "http_status" and state.status is not None:
        return gettext("Der Server antwortet mit HTTP %(status)s.", status=state.status)
    texts = {
        "timeout": gettext("Keine Antwort in der vorgesehenen Zeit."),
        "unreachable": gettext("Der Server ist nicht erreichbar."),
        "forbidden": gettext(
            "Die Adresse (oder eine Weiterleitung) führt in ein privates Netz und wird nicht "
            "abgerufen."
        ),
        "redirect_loop": gettext("Zu viele Weiterleitungen."),
        "html_instead_of_format": gettext(
            "Die Adresse liefert eine Web-Seite, nicht die angekündigte Datei."
        ),
    }
    return texts.get(state.problem or "", "")


@blueprint.app_context_processor
def _link_helpers() -> dict[str, object]:
    return {"link_state_text": state_text, "link_problem_text": problem_text}


@steward_required
def check_dataset(name: str) -> Response:
    record = visible_record(name)
    if not is_public(record, current_settings()):
        flash(
            gettext("Nur die Links öffentlicher Datensätze werden geprüft."),
            "error",
        )
        return redirect_to("steward_datasets.show", record.name)
    _start(f"dataset:{record.id}", LinkSelection(record_names=(record.name,)))
    return redirect_to("steward_datasets.show", record.name)


def _organization_for_editor(name: str) -> Organization:
    organization = get_organization_by_name(current_store(), name)
    if organization is None:
        forbidden(
            f"Die Organisation {name!r} gibt es nicht.",
            f"There is no organisation {name!r}.",
        )
    rights = current_rights()
    if not rights.edits(organization.id):
        forbidden(
            f"{rights.username} ist nicht Redakteur der Organisation {organization.title}.",
            f"{rights.username} is not an editor of the organisation {organization.title}.",
        )
    return organization


@login_required
def organization_links(name: str) -> str:
    organization = _organization_for_editor(name)
    links = problem_links_of_organization(current_store(), current_settings(), organization.id)
    return render_template(
        "steward/links/organization.html",
        organization=organization,
        links=links,
        running=background_link_checks().is_running(f"organization:{organization.id}"),
        interval=current_settings().linkcheck.interval,
    )


@login_required
def check_organization(name: str) -> Response:
    organization = _organization_for_editor(name)
    _start(f"organization:{organization.id}", LinkSelection(organization_id=organization.id))
    return redirect(url_for(".organization_links", name=organization.name), 303)


def _start(key: str, selection: LinkSelection) -> None:
    if background_link_checks().start(key, selection):
        flash(
            gettext(
                "Die Linkprüfung ist gestartet. Laden Sie die Seite in einer Weile neu. "
                "Adressen, die in den letzten %(hours)s Stunden geprüft wurden, werden nicht "
                "erneut abgerufen.",
                hours=f"{current_settings().linkcheck.interval:g}",
            ),
            "success",
        )
    else:
        flash(gettext("Eine Linkprüfung dafür läuft schon."), "success")


_ROUTES = (
    ("/datensaetze/<name>/links-pruefen", "check_dataset", check_dataset, ["POST"]),
    ("/organisationen/<name>/links", "organization_links", organization_links, ["GET"]),
    ("/organisationen/<name>/links-pruefen", "check_organization", check_organization, ["POST"]),
)
for _rule, _endpoint, _view, _methods in _ROUTES:
    blueprint.add_url_rule(_rule, _endpoint, _view, methods=_methods)
