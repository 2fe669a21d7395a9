"""A record's revisions: the list, two revisions compared field by field, and restoring one
(as a new revision: history is never rewritten)."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import gettext, lazy_gettext, ngettext
from werkzeug.wrappers import Response

from catalog.editing import EditError, PublishBlocked
from catalog.models import DatasetRecord, RecordStatus, Revision
from catalog.records import list_revisions
from catalog.revision_diff import RevisionDiff, diff_revisions
from web.context import current_store
from web.labels import language
from web.steward.auth import current_rights
from web.steward.dataset_access import (
    edit_decision,
    editable_record,
    editing,
    redirect_to,
    refuse,
    steward_required,
    visible_record,
)

FIELD_LABELS = {
    "status": lazy_gettext("Status"),
    "title": lazy_gettext("Titel"),
    "description": lazy_gettext("Beschreibung"),
    "identifier": lazy_gettext("Kennung"),
    "publisher": lazy_gettext("Veröffentlichende Stelle"),
    "contact": lazy_gettext("Kontakt"),
    "temporal_start": lazy_gettext("Zeitraum: Beginn"),
    "temporal_end": lazy_gettext("Zeitraum: Ende"),
    "frequency": lazy_gettext("Aktualisierung"),
    "geocoding_description": lazy_gettext("Gebietsbeschreibung"),
    "landing_page": lazy_gettext("Webseite"),
    "issued": lazy_gettext("Veröffentlicht am"),
    "modified": lazy_gettext("Geändert am"),
    "access_rights": lazy_gettext("Zugriffsrechte"),
    "version_info": lazy_gettext("Version"),
    "legal_basis": lazy_gettext("Rechtsgrundlage"),
    "contributor_id": lazy_gettext("Datenbereitsteller-ID"),
    "political_geocoding_level_uri": lazy_gettext("Verwaltungsebene"),
    "keywords": lazy_gettext("Schlagwörter"),
    "themes": lazy_gettext("Kategorien"),
    "political_geocoding_uris": lazy_gettext("Politische Geokodierung"),
    "spatial_uris": lazy_gettext("Räumlicher Bezug"),
    "languages": lazy_gettext("Sprachen"),
    "pages": lazy_gettext("Weitere Seiten"),
    "conforms_to": lazy_gettext("Standards"),
    "access_url": lazy_gettext("Zugangsadresse"),
    "download_url": lazy_gettext("Download-Adresse"),
    "format": lazy_gettext("Format"),
    "media_type": lazy_gettext("Medientyp"),
    "license": lazy_gettext("Lizenz"),
    "license_attribution_by_text": lazy_gettext("Namensnennung"),
    "byte_size": lazy_gettext("Dateigröße (Bytes)"),
    "availability": lazy_gettext("Verfügbarkeit"),
}


@steward_required
def revision_list(name: str) -> str:
    record = visible_record(name)
    revisions = list(reversed(list_revisions(current_store(), record.id)))
    return render_template(
        "steward/datasets/revisions.html",
        record=record,
        revisions=revisions,
        may_edit=bool(edit_decision(record)),
    )


@steward_required
def compare(name: str) -> str:
    record = visible_record(name)
    revisions = list_revisions(current_store(), record.id)
    by_number = {revision.number: revision for revision in revisions}
    after = by_number.get(_number("neu", record.revision_number)) or abort(404)
    before_number = _number("alt", after.number - 1 if after.number > 1 else after.number)
    before = by_number.get(before_number) or abort(404)
    diff: RevisionDiff = diff_revisions(before, after, record.uri, lang=language())
    return render_template(
        "steward/datasets/compare.html",
        record=record,
        revisions=list(reversed(revisions)),
        before=before,
        after=after,
        diff=diff,
        labels=FIELD_LABELS,
        may_edit=bool(edit_decision(record)),
    )


@steward_required
def restore(name: str, number: int) -> Response | tuple[str, int]:
    record = editable_record(name)
    revision = _revision(record, number)
    try:
        saved = editing().restore_revision(current_rights(), record.id, number)
    except PublishBlocked as blocked:
        message = ngettext(
            "Revision %(number)s wurde nicht wiederhergestellt: Sie war veröffentlicht und hat "
            "%(num)s DCAT-AP.de-Verstoß; ein veröffentlichter Datensatz darf keinen haben.",
            "Revision %(number)s wurde nicht wiederhergestellt: Sie war veröffentlicht und hat "
            "%(num)s DCAT-AP.de-Verstöße; ein veröffentlichter Datensatz darf keine haben.",
            len(blocked.report.violations),
            number=number,
        )
        page = render_template(
            "steward/datasets/revisions.html",
            record=record,
            revisions=list(reversed(list_revisions(current_store(), record.id))),
            may_edit=True,
            refusal=message,
        )
        return page, 409
    except EditError as error:
        refuse(error)
        raise
    flash(_restored_message(number, saved.record, revision), "success")
    return redirect_to("steward_datasets.show", saved.record.name)


def _restored_message(number: int, record: DatasetRecord, revision: Revision) -> str:
    status = {
        RecordStatus.DRAFT: gettext("Der Datensatz ist jetzt ein Entwurf."),
        RecordStatus.PUBLISHED: gettext("Der Datensatz ist veröffentlicht."),
        RecordStatus.WITHDRAWN: gettext("Der Datensatz ist zurückgezogen."),
    }[revision.status]
    return gettext(
        "Revision %(number)s wiederhergestellt, als neue Revision %(new)s. %(status)s",
        number=number,
        new=record.revision_number,
        status=status,
    )


def _revision(record: DatasetRecord, number: int) -> Revision:
    for revision in list_revisions(current_store(), record.id):
        if revision.number == number:
            return revision
    abort(404)


def _number(argument: str, default: int) -> int:
    try:
        return int(request.args.get(argument, default))
    except ValueError:
        return default
