"""What the quality pages say about each MQA indicator: name, why it matters, how to fix it.

German here, English in web/translations; keys are dcat.quality's indicator keys, and a test
checks that every indicator has its three texts.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal, gettext, lazy_gettext, ngettext
from flask_babel.speaklater import LazyString

from dcat.quality import MAX_POINTS, IndicatorResult, IndicatorState, indicator_named


@dataclass(frozen=True)
class IndicatorText:
    label: LazyString
    why: LazyString
    fix: LazyString


DIMENSION_LABELS = {
    "findability": lazy_gettext("Auffindbarkeit"),
    "accessibility": lazy_gettext("Zugänglichkeit"),
    "interoperability": lazy_gettext("Interoperabilität"),
    "reusability": lazy_gettext("Wiederverwendbarkeit"),
    "contextuality": lazy_gettext("Kontext"),
}

RATING_LABELS = {
    "excellent": lazy_gettext("ausgezeichnet"),
    "good": lazy_gettext("gut"),
    "sufficient": lazy_gettext("ausreichend"),
    "bad": lazy_gettext("mangelhaft"),
}

INDICATOR_TEXTS = {
    "keywords": IndicatorText(
        lazy_gettext("Schlagwörter"),
        lazy_gettext("Schlagwörter sind die Wörter, mit denen Menschen in Suchen Daten finden."),
        lazy_gettext("Tragen Sie einige Schlagwörter ein, die Nutzende suchen würden."),
    ),
    "categories": IndicatorText(
        lazy_gettext("Kategorien"),
        lazy_gettext("Über die Kategorien (Themen) stöbern Menschen in Portalen wie GovData."),
        lazy_gettext("Wählen Sie mindestens ein Thema aus der EU-Themenliste."),
    ),
    "spatial": IndicatorText(
        lazy_gettext("Räumlicher Bezug"),
        lazy_gettext("Ohne Ortsangabe findet niemand die Daten über eine Karte oder einen Ort."),
        lazy_gettext("Geben Sie unter „Ort“ die Stadt oder den Stadtteil an (dct:spatial)."),
    ),
    "temporal": IndicatorText(
        lazy_gettext("Zeitlicher Bezug"),
        lazy_gettext("Der Zeitraum zeigt, für welche Jahre die Daten gelten."),
        lazy_gettext("Tragen Sie den Zeitraum ein, den die Daten abdecken (dct:temporal)."),
    ),
    "access_url_reachable": IndicatorText(
        lazy_gettext("Zugangsadresse erreichbar"),
        lazy_gettext("Eine Adresse, die nicht antwortet, führt Nutzende ins Leere."),
        lazy_gettext("Korrigieren Sie die Zugangsadresse (accessURL) defekter Distributionen."),
    ),
    "download_url": IndicatorText(
        lazy_gettext("Adresse zum Herunterladen"),
        lazy_gettext("Eine direkte Downloadadresse erlaubt Programmen, die Datei selbst zu laden."),
        lazy_gettext("Geben Sie je Distribution die direkte Adresse der Datei an (downloadURL)."),
    ),
    "download_url_reachable": IndicatorText(
        lazy_gettext("Adresse zum Herunterladen erreichbar"),
        lazy_gettext("Nur eine erreichbare Datei kann heruntergeladen werden."),
        lazy_gettext(
            "Korrigieren Sie die Downloadadresse oder stellen Sie die Datei wieder bereit."
        ),
    ),
    "format": IndicatorText(
        lazy_gettext("Format"),
        lazy_gettext("Das Format sagt, mit welchem Programm sich die Datei öffnen lässt."),
        lazy_gettext("Geben Sie das Dateiformat jeder Distribution an."),
    ),
    "media_type": IndicatorText(
        lazy_gettext("Medientyp"),
        lazy_gettext("Der Medientyp (z. B. text/csv) lässt Programme die Datei richtig lesen."),
        lazy_gettext("Geben Sie den IANA-Medientyp an (dcat:mediaType)."),
    ),
    "format_vocabulary": IndicatorText(
        lazy_gettext("Format und Medientyp aus der Liste"),
        lazy_gettext("Nur Werte aus den amtlichen Listen verstehen andere Portale eindeutig."),
        lazy_gettext(
            "Wählen Sie das Format aus der EU-Liste und den Medientyp aus der IANA-Liste."
        ),
    ),
    "non_proprietary": IndicatorText(
        lazy_gettext("Offenes Format"),
        lazy_gettext("Offene Formate lassen sich ohne Lizenzkosten für Software nutzen."),
        lazy_gettext("Bieten Sie die Daten auch in einem offenen Format an, z. B. CSV statt XLSX."),
    ),
    "machine_readable": IndicatorText(
        lazy_gettext("Maschinenlesbares Format"),
        lazy_gettext("Nur maschinenlesbare Daten (CSV, JSON, XML …) lassen sich auswerten."),
        lazy_gettext("Bieten Sie die Daten als CSV, JSON oder XML an, nicht nur als PDF."),
    ),
    "dcat_ap_compliance": IndicatorText(
        lazy_gettext("Konform zu DCAT-AP.de"),
        lazy_gettext("Nur konforme Beschreibungen übernehmen GovData und data.europa.eu."),
        lazy_gettext("Beheben Sie die Verstöße, die die Prüfung des Datensatzes nennt."),
    ),
    "licence": IndicatorText(
        lazy_gettext("Lizenz"),
        lazy_gettext("Ohne Lizenz dürfen die Daten rechtlich nicht weiterverwendet werden."),
        lazy_gettext("Wählen Sie für jede Distribution eine Lizenz."),
    ),
    "licence_vocabulary": IndicatorText(
        lazy_gettext("Lizenz aus der Liste"),
        lazy_gettext("Eine Lizenz aus der dcat-ap.de-Liste erkennen Portale automatisch."),
        lazy_gettext("Wählen Sie die Lizenz aus der Liste, z. B. „Datenlizenz Deutschland“."),
    ),
    "access_rights": IndicatorText(
        lazy_gettext("Zugangsbeschränkungen"),
        lazy_gettext("Die Angabe sagt, ob die Daten für alle offen sind."),
        lazy_gettext("Geben Sie an, ob die Daten öffentlich sind (dct:accessRights)."),
    ),
    "access_rights_vocabulary": IndicatorText(
        lazy_gettext("Zugangsbeschränkungen aus der Liste"),
        lazy_gettext("Ein Wert aus der EU-Liste wird von allen Portalen gleich verstanden."),
        lazy_gettext("Wählen Sie „öffentlich“ (PUBLIC) oder einen anderen Wert der EU-Liste."),
    ),
    "contact_point": IndicatorText(
        lazy_gettext("Ansprechpartner"),
        lazy_gettext("Wer Fragen zu den Daten hat, braucht jemanden, den er fragen kann."),
        lazy_gettext("Tragen Sie eine Kontaktstelle mit E-Mail-Adresse ein."),
    ),
    "publisher": IndicatorText(
        lazy_gettext("Veröffentlichende Stelle"),
        lazy_gettext("Die Stelle zeigt, wer für die Daten verantwortlich ist."),
        lazy_gettext("Geben Sie die veröffentlichende Stelle an (dct:publisher)."),
    ),
    "rights": IndicatorText(
        lazy_gettext("Rechtehinweis"),
        lazy_gettext("Ein Rechtehinweis sagt, was über die Lizenz hinaus zu beachten ist."),
        lazy_gettext("Ergänzen Sie einen Rechtehinweis je Distribution (dct:rights)."),
    ),
    "byte_size": IndicatorText(
        lazy_gettext("Dateigröße"),
        lazy_gettext("Die Größe zeigt vor dem Download, wie lange er dauert."),
        lazy_gettext("Geben Sie die Dateigröße in Byte an (dcat:byteSize)."),
    ),
    "issued": IndicatorText(
        lazy_gettext("Veröffentlichungsdatum"),
        lazy_gettext("Das Datum zeigt, seit wann es die Daten gibt."),
        lazy_gettext("Tragen Sie das Datum der ersten Veröffentlichung ein."),
    ),
    "modified": IndicatorText(
        lazy_gettext("Änderungsdatum"),
        lazy_gettext("Das Datum zeigt, wie aktuell die Daten sind."),
        lazy_gettext("Tragen Sie das Datum der letzten Änderung ein."),
    ),
}


def indicator_text(key: str) -> IndicatorText:
    return INDICATOR_TEXTS[key]


def dimension_of(key: str) -> str:
    return indicator_named(key).dimension


def result_summary(result: IndicatorResult) -> str:
    """What the result means, in a short sentence ("2 von 3 Distributionen", "fehlt")."""
    if result.state == IndicatorState.MET:
        return gettext("erfüllt")
    if result.state == IndicatorState.NOT_CHECKED:
        return gettext("noch nicht geprüft")
    if indicator_named(result.key).aggregation == "share" and result.population:
        text = gettext(
            "%(met)s von %(total)s Distributionen", met=result.met, total=result.population
        )
        if result.broken:
            text += ", " + ngettext(
                "%(num)s Adresse defekt", "%(num)s Adressen defekt", result.broken
            )
        if result.unchecked:
            text += ", " + gettext("%(num)s noch nicht geprüft", num=result.unchecked)
        return text
    if result.state == IndicatorState.PARTIAL:
        return gettext("teilweise")
    return gettext("fehlt")


def points_text(points: float) -> str:
    """Points as the pages show them: whole numbers, one decimal where shares make halves."""
    return format_decimal(round(points, 1), format="#,##0.#")


def template_helpers() -> dict[str, object]:
    """What the quality templates (_quality.html) use, for render_template(**...)."""
    return {
        "indicator_text": indicator_text,
        "dimension_of": dimension_of,
        "dimension_labels": DIMENSION_LABELS,
        "rating_labels": RATING_LABELS,
        "result_summary": result_summary,
        "points_text": points_text,
        "max_points": MAX_POINTS,
    }
