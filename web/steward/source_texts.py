"""What the source pages say about types, schedules, job stages and connection tests."""

from __future__ import annotations

from flask_babel import gettext

from harvesters.background import ProbeResult
from harvesters.registry import SOURCE_TYPES
from web.labels import language


def labels() -> dict[str, dict[str, str]]:
    """Labels of the codes the source and job pages show, in the page's language."""
    return {
        "source_type_labels": source_type_labels(),
        "schedule_labels": {
            "daily": gettext("täglich"),
            "weekly": gettext("wöchentlich"),
            "manual": gettext("nur von Hand"),
        },
        "stage_labels": {
            "job": gettext("Ernte"),
            "gather": gettext("Abruf"),
            "map": gettext("Umwandlung"),
            "validate": gettext("Prüfung"),
            "store": gettext("Speichern"),
            "warning": gettext("Hinweis"),
        },
        "severity_labels": {
            "violation": gettext("Verstoß"),
            "warning": gettext("Hinweis"),
            "info": gettext("Information"),
        },
    }


def source_type_labels() -> dict[str, str]:
    """Each registered source type's own label (harvesters.registry), in the page's language."""
    shown_in = language()
    return {name: source_type.label(shown_in) for name, source_type in SOURCE_TYPES.items()}


def probe_text(result: ProbeResult) -> str:
    """The connection test's finding in one sentence, in the page's language."""
    texts = {
        "ok": gettext("Die Verbindung funktioniert: der erste Datensatz ließ sich lesen."),
        "empty": gettext("Die Quelle antwortet, enthält aber keinen Datensatz."),
        "unmappable": gettext(
            "Die Quelle antwortet, aber ihr erster Datensatz lässt sich nicht in DCAT-AP.de "
            "umwandeln."
        ),
        "timeout": gettext(
            "Die Quelle hat nicht rechtzeitig geantwortet. Ist die Adresse richtig und der "
            "Server erreichbar?"
        ),
        "unreachable": gettext(
            "Die Quelle ist nicht erreichbar. Bitte prüfen Sie die Adresse und ob der Server läuft."
        ),
        "http_status": gettext(
            "Der Server der Quelle antwortet mit einem Fehler (HTTP %(status)s).",
            status=result.http_status or "?",
        ),
        "forbidden": gettext(
            "Diese Adresse darf der Katalog nicht abrufen: nur http und https, und keine "
            "Adressen im internen Netz."
        ),
        "too_large": gettext("Die Antwort der Quelle ist zu groß."),
        "unreadable": gettext(
            "Die Quelle antwortet, aber der Katalog kann die Antwort nicht lesen. Passt die Art "
            "der Quelle zur Adresse?"
        ),
        "no_harvester": gettext(
            "Für diese Art von Quelle gibt es in dieser Version noch keinen Ernter."
        ),
    }
    return texts.get(result.outcome, texts["unreadable"])
