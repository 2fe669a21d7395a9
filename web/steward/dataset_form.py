"""The dataset form (Flask-WTF, CSRF-protected) and its values: read from a stored graph,
checked as typed, turned into a DatasetInput.

The values are the form's plain data (a dict as WTForms gives it, distribution rows as a list
of dicts). Each row carries `origin`: the number of the stored distribution it shows (in
dcat.graph_merge.distributions_in_view_order), so saving changes that node and keeps what
the form does not show; a new row has none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from rdflib import Graph, URIRef
from rdflib.term import Node
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from catalog.models import Organization
from catalog.settings import CatalogSettings
from dcat.graph_merge import distributions_in_view_order, text_in, texts_in
from dcat.hvd import hvd_categories_of
from dcat.model import (
    AgentInput,
    ContactInput,
    DatasetInput,
    DistributionInput,
    PeriodInput,
    is_absolute_iri,
    keywords_in,
)
from dcat.namespaces import DCAT, DCATDE, DCT, FOAF, VCARD
from dcat.text_limits import limit_for
from dcat.view import dataset_view
from web.steward.choices import (
    flat,
    format_groups,
    frequency_groups,
    hvd_category_values,
    licence_values,
    needs_attribution,
    theme_choices,
)
from web.steward.service_rows import service_rows

_EMAIL = re.compile(r"^[^\s<>\"@]+@[^\s<>\"@]+\.[^\s<>\"@]+$")
_KEYWORD_SEPARATORS = re.compile(r"[,;\n]")
TOO_LONG = lazy_gettext("Bitte höchstens %(max)d Zeichen eingeben (jetzt %(length)d).")
KEYWORDS_LIMIT = 2000  # the keyword field's whole text; each keyword has its property's limit
EMPTY_ROW = {
    "origin": "",
    "access_url": "",
    "download_url": "",
    "format": "",
    "licence": "",
    "title": "",
    "description": "",
}


def _url(form: Form, field: Any) -> None:
    value = (field.data or "").strip()
    if value and not (value.lower().startswith(("http://", "https://")) and is_absolute_iri(value)):
        raise ValidationError(
            lazy_gettext(
                "Bitte eine vollständige Adresse angeben, die mit https:// oder http:// beginnt."
            )
        )


def _email(form: Form, field: Any) -> None:
    value = (field.data or "").strip()
    if value and not _EMAIL.match(value.removeprefix("mailto:")):
        raise ValidationError(
            lazy_gettext("Bitte eine gültige E-Mail-Adresse angeben, z. B. umwelt@musterstadt.de.")
        )


def _at_most(predicate: URIRef) -> Length:
    """The length the property a field fills may have (dcat.text_limits), told in German."""
    return Length(max=limit_for(predicate), message=TOO_LONG)


def _keywords(form: Form, field: Any) -> None:
    limit = limit_for(DCAT.keyword)
    if any(len(word) > limit for word in keyword_list({"keywords": field.data})):
        raise ValidationError(
            lazy_gettext("Ein Schlagwort darf höchstens %(max)d Zeichen haben.", max=limit)
        )


def _date(form: Form, field: Any) -> None:
    if parse_day(field.data) is None and (field.data or "").strip():
        raise ValidationError(lazy_gettext("Bitte ein Datum angeben, z. B. 31.12.2024."))


class DistributionForm(Form):
    """One row: where the data is, in which format, under which licence."""

    origin = HiddenField()
    access_url = StringField(lazy_gettext("Zugangsadresse (URL)"), [_url, _at_most(DCAT.accessURL)])
    download_url = StringField(
        lazy_gettext("Download-Adresse (URL)"), [_url, _at_most(DCAT.downloadURL)]
    )
    format = SelectField(lazy_gettext("Format"), choices=[])
    licence = SelectField(lazy_gettext("Lizenz dieser Distribution"), choices=[])
    title = StringField(lazy_gettext("Titel"), [_at_most(DCT.title)])
    description = TextAreaField(lazy_gettext("Beschreibung"), [_at_most(DCT.description)])

    def validate_access_url(self, field: Any) -> None:
        filled = any((self.data.get(name) or "").strip() for name in EMPTY_ROW if name != "origin")
        if filled and not (field.data or "").strip() and not (self.download_url.data or "").strip():
            raise ValidationError(
                lazy_gettext("Bitte die Adresse angeben, unter der die Daten zu finden sind.")
            )


class ServiceForm(Form):
    """A stored access service (web.steward.service_rows): who publishes it."""

    origin = HiddenField()
    title = HiddenField()  # shown only; saving reads nothing of it
    endpoint = HiddenField()  # shown only
    publisher_same = BooleanField(lazy_gettext("Dieselbe Stelle wie beim Datensatz"))
    publisher_name = StringField(
        lazy_gettext("Name der Stelle, die den Dienst anbietet"), [_at_most(FOAF.name)]
    )
    publisher_uri = StringField(lazy_gettext("Adresse (IRI) dieser Stelle"), [_url])


class DatasetForm(FlaskForm):
    title_de = StringField(
        lazy_gettext("Titel"),
        [DataRequired(lazy_gettext("Bitte geben Sie einen Titel an.")), _at_most(DCT.title)],
    )
    title_en = StringField(lazy_gettext("Titel auf Englisch (freiwillig)"), [_at_most(DCT.title)])
    description_de = TextAreaField(lazy_gettext("Beschreibung"), [_at_most(DCT.description)])
    description_en = TextAreaField(
        lazy_gettext("Beschreibung auf Englisch (freiwillig)"), [_at_most(DCT.description)]
    )
    keywords = StringField(
        lazy_gettext("Schlagwörter"), [Length(max=KEYWORDS_LIMIT, message=TOO_LONG), _keywords]
    )
    keyword_add = StringField(
        lazy_gettext("Schlagwort aus dem Katalog hinzufügen"), [_at_most(DCAT.keyword)]
    )
    themes = SelectMultipleField(lazy_gettext("Kategorien"), choices=[])
    licence = RadioField(lazy_gettext("Lizenz"), choices=[], validators=[Optional()])
    attribution = StringField(
        lazy_gettext("Namensnennung"), [_at_most(DCATDE.licenseAttributionByText)]
    )
    publisher_name = StringField(
        lazy_gettext("Name der veröffentlichenden Stelle"), [_at_most(FOAF.name)]
    )
    publisher_homepage = StringField(
        lazy_gettext("Webseite der veröffentlichenden Stelle"), [_url, _at_most(FOAF.homepage)]
    )
    contact_name = StringField(lazy_gettext("Name (Stelle oder Person)"), [_at_most(VCARD.fn)])
    contact_email = StringField(lazy_gettext("E-Mail"), [_email, _at_most(VCARD.hasEmail)])
    contact_phone = StringField(lazy_gettext("Telefon"), [_at_most(VCARD.hasTelephone)])
    contact_url = StringField(
        lazy_gettext("Webseite oder Kontaktformular"), [_url, _at_most(VCARD.hasURL)]
    )
    whole_city = BooleanField(lazy_gettext("Das ganze Stadtgebiet"), default=True)
    districts = SelectMultipleField(lazy_gettext("Stadtteile"), choices=[])
    temporal_start = StringField(lazy_gettext("Beginn"), [_date])
    temporal_end = StringField(lazy_gettext("Ende"), [_date])
    frequency = SelectField(lazy_gettext("Aktualisierung"), choices=[])
    # High-Value Datasets: ticking a category marks the dataset (dcat.hvd.mark_hvd).
    hvd_categories = SelectMultipleField(lazy_gettext("HVD-Kategorien"), choices=[])
    distributions = FieldList(FormField(DistributionForm), min_entries=1)
    services = FieldList(FormField(ServiceForm), min_entries=0)
    revision = HiddenField()

    def validate_temporal_end(self, field: Any) -> None:
        start, end = parse_day(self.temporal_start.data), parse_day(field.data)
        if start is not None and end is not None and end < start:
            raise ValidationError(lazy_gettext("Das Ende darf nicht vor dem Beginn liegen."))


def build_form(
    catalog: CatalogSettings, values: Mapping[str, Any] | None = None, *, submitted: bool = False
) -> DatasetForm:
    """The form with its choices, from the request (submitted) or from values."""
    form = DatasetForm() if submitted else DatasetForm(formdata=None, data=dict(values or {}))
    offer_choices(form, catalog, values or {})
    return form


def offer_choices(form: DatasetForm, catalog: CatalogSettings, shown: Mapping[str, Any]) -> None:
    """Vocabulary choices, plus any stored value outside them (so it survives a save)."""
    form.themes.choices = theme_choices()
    form.licence.choices = _with_current(
        licence_values(), [shown.get("licence"), form.licence.data]
    )
    form.districts.choices = [(d.name, d.name) for d in catalog.districts]
    frequencies = flat(frequency_groups(), str(lazy_gettext("Keine Angabe")))
    form.frequency.choices = _with_current(
        frequencies, [shown.get("frequency"), form.frequency.data]
    )
    form.hvd_categories.choices = _with_current(
        hvd_category_values(),
        [*(shown.get("hvd_categories") or ()), *(form.hvd_categories.data or ())],
    )
    formats = flat(format_groups(), str(lazy_gettext("Format wählen …")))
    licences = [("", str(lazy_gettext("Wie oben gewählt"))), *licence_values()[1:]]
    for row in form.distributions:
        row.form.format.choices = _with_current(formats, [row.form.format.data])
        row.form.licence.choices = _with_current(licences, [row.form.licence.data])


def _with_current(choices: list[tuple[str, str]], current: Iterable[Any]) -> list[tuple[str, str]]:
    known = {value for value, _ in choices}
    extra = list(dict.fromkeys(str(v) for v in current if v and str(v) not in known))
    return choices + [
        (value, str(lazy_gettext("Bisherige Angabe: %(value)s", value=value))) for value in extra
    ]


def form_values(form: DatasetForm) -> dict[str, Any]:
    """What was typed, as plain values (the CSRF token left out)."""
    values = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    values["distributions"] = [dict(row) for row in values.get("distributions") or []]
    values["services"] = [dict(row) for row in values.get("services") or []]
    return values


def defaults_for(organization: Organization, catalog: CatalogSettings) -> dict[str, Any]:
    """A new dataset's form: publisher and contact from the organisation, the whole city."""
    return {
        "publisher_name": organization.title,
        "publisher_homepage": organization.homepage or catalog.publisher.uri or "",
        "contact_name": organization.title,
        "contact_email": organization.email or "",
        "attribution": f"{catalog.publisher.name}, {organization.title}",
        "whole_city": catalog.political_geocoding is not None,
        "distributions": [dict(EMPTY_ROW)],
    }


def values_from_graph(graph: Graph, node: Node, catalog: CatalogSettings) -> dict[str, Any]:
    """The form's values for a stored dataset graph."""
    view = dataset_view(graph, node, lang="de")
    rows = distribution_rows(graph, node)
    licences = Counter(row["licence"] for row in rows if row["licence"])
    licence = licences.most_common(1)[0][0] if licences else ""
    for row in rows:
        if row["licence"] == licence:
            row["licence"] = ""
    geocoding = catalog.political_geocoding
    place_text = text_in(graph, node, DCATDE.geocodingDescription, "de")
    return {
        "title_de": text_in(graph, node, DCT.title, "de"),
        "title_en": text_in(graph, node, DCT.title, "en"),
        "description_de": text_in(graph, node, DCT.description, "de"),
        "description_en": text_in(graph, node, DCT.description, "en"),
        "keywords": ", ".join(texts_in(graph, node, DCAT.keyword, "de")),
        "keyword_add": "",
        "themes": [theme.iri for theme in view.themes],
        "licence": licence,
        "attribution": next((r.pop("attribution") for r in rows if r.get("attribution")), ""),
        "publisher_name": view.publisher.name if view.publisher else "",
        "publisher_homepage": (view.publisher.homepage or "") if view.publisher else "",
        "contact_name": (view.contact.name or "") if view.contact else "",
        "contact_email": (view.contact.email or "") if view.contact else "",
        "contact_phone": (view.contact.phone or "") if view.contact else "",
        "contact_url": (view.contact.url or "") if view.contact else "",
        "whole_city": bool(geocoding and geocoding.uri in view.political_geocoding_uris),
        "districts": chosen_districts(catalog, view.spatial_uris, place_text),
        "geocoding_description": place_text,  # not a field: what the merge keeps of it
        "temporal_start": _day_text(view.temporal_start),
        "temporal_end": _day_text(view.temporal_end),
        "frequency": view.frequency.iri if view.frequency else "",
        "hvd_categories": list(hvd_categories_of(graph, node)),
        "distributions": [{k: v for k, v in row.items() if k != "attribution"} for row in rows],
        "services": service_rows(graph, node),
    }


def distribution_rows(graph: Graph, node: Node) -> list[dict[str, str]]:
    """One row per stored distribution, `origin` its number; licence as stored."""
    rows = []
    for index, (_, view) in enumerate(distributions_in_view_order(graph, node)):
        rows.append(
            {
                "origin": str(index),
                "access_url": view.access_url or "",
                "download_url": view.download_url or "",
                "format": view.format.iri if view.format else "",
                "licence": view.license.iri if view.license else "",
                "title": view.title,
                "description": view.description,
                "attribution": view.license_attribution_by_text or "",
            }
        )
    return rows


def chosen_districts(
    catalog: CatalogSettings, spatial_uris: Sequence[str], description: str | None
) -> list[str]:
    named = set(description_parts(description))
    return [
        d.name for d in catalog.districts if (d.uri and d.uri in spatial_uris) or d.name in named
    ]


def description_parts(description: str | None) -> list[str]:
    return [part.strip() for part in (description or "").split(",") if part.strip()]


def keyword_list(values: Mapping[str, Any]) -> list[str]:
    words = [
        word.strip()
        for key in ("keywords", "keyword_add")
        for word in _KEYWORD_SEPARATORS.split(values.get(key) or "")
    ]
    return list(dict.fromkeys(word for word in words if word))


def filled_rows(values: Mapping[str, Any]) -> list[tuple[int, dict[str, str]]]:
    """The rows that say anything, with their position in the form."""
    return [
        (index, row)
        for index, row in enumerate(values.get("distributions") or [])
        if any((row.get(name) or "").strip() for name in EMPTY_ROW if name != "origin")
    ]


def dataset_input(
    values: Mapping[str, Any],
    catalog: CatalogSettings,
    *,
    geocoding_text: str = "",
    rows: Sequence[Mapping[str, str]] = (),
) -> DatasetInput:
    """The DCAT-AP.de input for the form's values (distributions only those given)."""
    geocoding = catalog.political_geocoding if values.get("whole_city") else None
    chosen = set(values.get("districts") or [])
    return DatasetInput(
        title=_texts(values, "title"),
        description=_texts(values, "description"),
        keywords=keywords_in("de", keyword_list(values)),
        themes=tuple(values.get("themes") or ()),
        publisher=_publisher(values),
        contact=_contact(values),
        political_geocoding_uris=(geocoding.uri,) if geocoding else (),
        political_geocoding_level_uri=geocoding.level if geocoding else None,
        geocoding_description={"de": geocoding_text} if geocoding_text else {},
        spatial=tuple(d.uri for d in catalog.districts if d.name in chosen and d.uri),
        temporal=_period(values),
        accrual_periodicity=_blank_none(values.get("frequency")),
        hvd_categories=tuple(values.get("hvd_categories") or ()),
        distributions=tuple(distribution_input(row, values) for row in rows),
    )


def distribution_input(row: Mapping[str, str], values: Mapping[str, Any]) -> DistributionInput:
    """One row as a distribution; its licence is its own, else the dataset's."""
    access = _blank_none(row.get("access_url")) or _blank_none(row.get("download_url"))
    licence = _blank_none(row.get("licence")) or _blank_none(values.get("licence"))
    attribution = _blank_none(values.get("attribution"))
    return DistributionInput(
        access_url=access or "",
        download_url=_blank_none(row.get("download_url")),
        title=_one_text(row.get("title")),
        description=_one_text(row.get("description")),
        format=_blank_none(row.get("format")),
        license=licence,
        license_attribution_by_text=attribution if needs_attribution(licence) else None,
    )


def parse_day(text: str | None) -> date | None:
    """A date from a date input (YYYY-MM-DD) or as Germans write it (31.12.2024)."""
    value = (text or "").strip()
    german = re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", value)
    try:
        if german:
            return date(int(german[3]), int(german[2]), int(german[1]))
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _texts(values: Mapping[str, Any], name: str) -> dict[str, str]:
    texts = {lang: (values.get(f"{name}_{lang}") or "").strip() for lang in ("de", "en")}
    return {lang: text for lang, text in texts.items() if text}


def _one_text(text: str | None) -> dict[str, str]:
    return {"de": text.strip()} if text and text.strip() else {}


def _publisher(values: Mapping[str, Any]) -> AgentInput | None:
    name = _blank_none(values.get("publisher_name"))
    if name is None:
        return None
    return AgentInput(name=name, homepage=_blank_none(values.get("publisher_homepage")))


def _contact(values: Mapping[str, Any]) -> ContactInput | None:
    parts = {k: _blank_none(values.get(f"contact_{k}")) for k in ("name", "email", "phone", "url")}
    if not any(parts.values()):
        return None
    email = parts["email"]
    return ContactInput(
        name=parts["name"],
        email=email.removeprefix("mailto:") if email else None,
        phone=parts["phone"],
        url=parts["url"],
    )


def _period(values: Mapping[str, Any]) -> tuple[PeriodInput, ...]:
    start, end = parse_day(values.get("temporal_start")), parse_day(values.get("temporal_end"))
    return (PeriodInput(start=start, end=end),) if start or end else ()


def _day_text(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _blank_none(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None
