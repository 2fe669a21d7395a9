"""The figures of the impact pages, each a table, a chart of the same numbers and a CSV.

The public page ("Wirkung") shows the whole catalog; the steward area shows the same for one
organisation (without the catalog-wide figures: harvesting portals, searches). One list of
figures serves the page and the CSV export, so the two never differ.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from flask_babel import format_datetime, gettext
from markupsafe import Markup

from catalog import impact
from catalog.figures import freshness
from catalog.hvd import public_hvd_counts
from catalog.models import Organization
from catalog.usage import Client
from dcat.hvd import HVD_CATEGORIES
from dcat.quality import MAX_POINTS, RATINGS
from web.charts import Series, bar_chart, line_chart
from web.context import current_search, current_settings, current_store
from web.labels import language
from web.quality_texts import RATING_LABELS, points_text

Cell = str | int | float


@dataclass(frozen=True)
class Figure:
    """One figure: `key` names its CSV file, `columns` head the table and the CSV."""

    key: str
    title: str
    explanation: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    chart: Markup
    numeric: frozenset[int] = field(default_factory=frozenset)  # columns right-aligned
    # Where a row's first cell links to (the page only; the CSV keeps the table's cells).
    row_links: Sequence[str | None] = ()

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return out.getvalue()


def client_label(client: Client) -> str:
    return {
        Client.GOVDATA: gettext("GovData"),
        Client.PIVEAU: gettext("data.europa.eu und andere piveau-Portale"),
        Client.CKANEXT_DCAT: gettext("CKAN-Portale (ckanext-dcat)"),
        Client.OTHER: gettext("Andere Programme und Aufrufe"),
    }[client]


def _when(at: datetime | None) -> str:
    return format_datetime(at, "short") if at else gettext("noch nie")


def _datasets(organization: Organization | None) -> Figure:
    org_id = organization.id if organization else None
    points = impact.datasets_over_time(current_store(), current_settings(), org_id)
    title = gettext("Veröffentlichte Datensätze über die Zeit")
    return Figure(
        key="datensaetze",
        title=title,
        explanation=gettext(
            "Heute öffentliche Datensätze, gezählt ab dem Monat, in dem sie in den Katalog kamen."
        ),
        columns=[gettext("Monat"), gettext("Datensätze")],
        rows=[[month, count] for month, count in points],
        chart=line_chart(
            [Series(gettext("Datensätze"), [(m, float(c)) for m, c in points])],
            title=title,
            description=gettext("Liniendiagramm; die Werte stehen in der Tabelle daneben."),
        ),
        numeric=frozenset({1}),
    )


def _freshness(organization: Organization | None) -> Figure:
    fresh = freshness(current_search(), organization.name if organization else None)
    parts = [
        (gettext("In den letzten 12 Monaten geändert"), fresh.fresh),
        (gettext("Älter"), fresh.older),
        (gettext("Unbekannt (ohne Änderungs- oder Veröffentlichungsdatum)"), fresh.undated),
    ]
    title = gettext("Aktualität")
    return Figure(
        key="aktualitaet",
        title=title,
        explanation=gettext(
            "Nach dem Änderungsdatum der Beschreibung (dct:modified), sonst dem "
            "Veröffentlichungsdatum (dct:issued); nie nach dem Zeitpunkt der Übernahme."
        ),
        columns=[gettext("Stand"), gettext("Datensätze"), gettext("Anteil in %")],
        rows=[[label, count, fresh.share(count)] for label, count in parts],
        chart=bar_chart(
            [(label, float(count)) for label, count in parts],
            title=title,
            description=gettext("Balkendiagramm; die Werte stehen in der Tabelle daneben."),
        ),
        numeric=frozenset({1, 2}),
    )


def _use(organization: Organization | None) -> Figure:
    rows = impact.use_by_month(current_store(), organization.id if organization else None)
    title = gettext("Aufrufe und Downloads über die Zeit")
    return Figure(
        key="nutzung",
        title=title,
        explanation=gettext(
            "Von Menschen, je Monat; Bots und Harvester sind getrennt gezählt. Gespeichert "
            "werden nur Tagessummen, nichts über die Besucherinnen und Besucher."
        ),
        columns=[
            gettext("Monat"),
            gettext("Seitenaufrufe"),
            gettext("Downloads"),
            gettext("API-Abrufe"),
            gettext("Seitenaufrufe durch Bots"),
            gettext("Downloads durch Bots"),
        ],
        rows=[
            [r.month, r.views, r.downloads, r.api_reads, r.bot_views, r.bot_downloads] for r in rows
        ],
        chart=line_chart(
            [
                Series(gettext("Seitenaufrufe"), [(r.month, float(r.views)) for r in rows]),
                Series(gettext("Downloads"), [(r.month, float(r.downloads)) for r in rows]),
            ],
            title=title,
            description=gettext("Liniendiagramm; die Werte stehen in der Tabelle daneben."),
        ),
        numeric=frozenset({1, 2, 3, 4, 5}),
    )


def _top(organization: Organization | None) -> Figure:
    rows = impact.top_datasets(current_store(), organization.id if organization else None)
    title = gettext("Meistgenutzte Datensätze")
    return Figure(
        key="meistgenutzt",
        title=title,
        explanation=gettext("Seitenaufrufe und Downloads von Menschen in den letzten 12 Monaten."),
        columns=[gettext("Datensatz"), gettext("Seitenaufrufe"), gettext("Downloads")],
        rows=[[r.title, r.views, r.downloads] for r in rows],
        chart=bar_chart(
            [(r.title, float(r.views + r.downloads)) for r in rows],
            title=title,
            description=gettext(
                "Balkendiagramm der Aufrufe und Downloads zusammen; die Werte stehen in der "
                "Tabelle daneben."
            ),
        ),
        numeric=frozenset({1, 2}),
    )


def _portals() -> Figure:
    rows = impact.harvesting_clients(current_store())
    title = gettext("Portale, die den Katalog übernehmen")
    return Figure(
        key="portale",
        title=title,
        explanation=gettext(
            "Abrufe des DCAT-Katalogs in den letzten 12 Monaten (jede Seite zählt) und der "
            "letzte Abruf, erkannt an der Kennung des abrufenden Programms."
        ),
        columns=[gettext("Portal"), gettext("Abrufe"), gettext("Letzter Abruf")],
        rows=[[client_label(r.client), r.fetches, _when(r.last_at)] for r in rows],
        chart=bar_chart(
            [(client_label(r.client), float(r.fetches)) for r in rows],
            title=title,
            description=gettext("Balkendiagramm; die Werte stehen in der Tabelle daneben."),
        ),
        numeric=frozenset({1}),
    )


def _searches(*, without_result: bool) -> Figure:
    rows = impact.searches(current_store(), without_result=without_result)
    if without_result:
        title = gettext("Suchen ohne Treffer")
        explanation = gettext(
            "Wonach Menschen in den letzten 12 Monaten gesucht und nichts gefunden haben: "
            "Hinweise auf Daten, die noch fehlen."
        )
        values = [(r.term, r.without_result) for r in rows]
        column = gettext("Suchen ohne Treffer")
    else:
        title = gettext("Häufigste Suchen")
        explanation = gettext("Die häufigsten Suchbegriffe von Menschen in den letzten 12 Monaten.")
        values = [(r.term, r.searches) for r in rows]
        column = gettext("Suchen")
    return Figure(
        key="suchen-ohne-treffer" if without_result else "suchen",
        title=title,
        explanation=explanation,
        columns=[gettext("Suchbegriff"), column],
        rows=[[term, count] for term, count in values],
        chart=bar_chart(
            [(term, float(count)) for term, count in values],
            title=title,
            description=gettext("Balkendiagramm; die Werte stehen in der Tabelle daneben."),
        ),
        numeric=frozenset({1}),
    )


def _quality_trend(organization: Organization | None) -> Figure:
    months = impact.quality_by_month(current_store(), organization.id if organization else None)
    title = gettext("Qualität der Beschreibungen über die Zeit")
    return Figure(
        key="qualitaet",
        title=title,
        explanation=gettext(
            "Mittlere Punktzahl der Metadaten-Qualitätsbewertung (MQA, wie data.europa.eu sie "
            "vergibt; höchstens %(max)s Punkte) der veröffentlichten Datensätze am Ende jedes "
            "Monats, aus den täglichen Ständen; für den laufenden Monat der heutige Wert. "
            "Mitgezählt sind veröffentlichte Datensätze, die wegen Verstößen gegen DCAT-AP.de "
            "zurückgehalten werden.",
            max=MAX_POINTS,
        ),
        columns=[
            gettext("Monat"),
            gettext("Mittlere Punktzahl"),
            gettext("Bewertung"),
            gettext("Datensätze"),
            gettext("Stand vom"),
        ],
        rows=[
            [
                m.month,
                round(m.mean_points, 1),
                str(RATING_LABELS[m.rating]),
                m.datasets,
                m.day.isoformat(),
            ]
            for m in months
        ],
        chart=line_chart(
            [Series(gettext("Mittlere Punktzahl"), [(m.month, m.mean_points) for m in months])],
            title=title,
            description=gettext("Liniendiagramm; die Werte stehen in der Tabelle daneben."),
            value_format=points_text,
        ),
        numeric=frozenset({1, 3}),
    )


def rating_with_range(name: str) -> str:
    """ "gut (221–350 Punkte)": a rating with the points it spans (MQA methodology)."""
    lows = dict(RATINGS)
    above = [low for _, low in RATINGS if low > lows[name]]
    high = min(above) - 1 if above else MAX_POINTS
    return gettext(
        "%(rating)s (%(low)s–%(high)s Punkte)",
        rating=RATING_LABELS[name],
        low=lows[name],
        high=high,
    )


def _quality_ratings(organization: Organization | None) -> Figure:
    summary = impact.quality_today(current_store(), organization.id if organization else None)
    counts = [(rating_with_range(name), summary.by_rating.get(name, 0)) for name, _ in RATINGS]
    title = gettext("Datensätze nach Qualitätsbewertung")
    return Figure(
        key="qualitaet-bewertungen",
        title=title,
        explanation=gettext(
            "Wie viele der heute veröffentlichten Datensätze welche Bewertung der "
            "Metadaten-Qualität erreichen, mit ihrem Anteil."
        ),
        columns=[gettext("Bewertung"), gettext("Datensätze"), gettext("Anteil in %")],
        rows=[
            [label, count, round(100 * count / summary.datasets) if summary.datasets else 0]
            for label, count in counts
        ],
        chart=bar_chart(
            [(label, float(count)) for label, count in counts],
            title=title,
            description=gettext("Balkendiagramm; die Werte stehen in der Tabelle daneben."),
        ),
        numeric=frozenset({1, 2}),
    )


def _hvd(organization: Organization | None) -> Figure:
    name = organization.name if organization else None
    counts = public_hvd_counts(current_search(), name)
    rows: list[tuple[str, int, str]] = [
        (gettext("Alle hochwertigen Datensätze"), counts.total, "hvd"),
        *[
            (HVD_CATEGORIES.label(iri, language()) or iri, count, iri)
            for iri, count in counts.by_category
        ],
    ]
    title = gettext("Hochwertige Datensätze (HVD) nach Kategorie")
    return Figure(
        key="hvd",
        title=title,
        explanation=gettext(
            "Öffentliche Datensätze, die als hochwertig nach der Durchführungsverordnung (EU) "
            "2023/138 gekennzeichnet sind, je Kategorie der Verordnung. Ein Datensatz kann zu "
            "mehreren Kategorien gehören. Jede Zeile mit Datensätzen führt zur Suche nach ihnen."
        ),
        columns=[gettext("HVD-Kategorie"), gettext("Datensätze")],
        rows=[[label, count] for label, count, _ in rows],
        chart=bar_chart(
            [(label, float(count)) for label, count, _ in rows],
            title=title,
            description=gettext("Balkendiagramm; die Werte stehen in der Tabelle daneben."),
        ),
        numeric=frozenset({1}),
        row_links=[
            # url_for leaves out a None value: no organisation, the whole catalog.
            url_for("search_pages.search", flag=flag, organization=name) if count else None
            for _, count, flag in rows
        ],
    )


FigureBuilder = Callable[[], Figure]


def figure_builders(organization: Organization | None) -> dict[str, FigureBuilder]:
    """Each figure by its key, built only when asked for (a CSV needs one figure)."""
    builders: dict[str, FigureBuilder] = {
        "datensaetze": lambda: _datasets(organization),
        "aktualitaet": lambda: _freshness(organization),
        "qualitaet": lambda: _quality_trend(organization),
        "qualitaet-bewertungen": lambda: _quality_ratings(organization),
        "hvd": lambda: _hvd(organization),
        "nutzung": lambda: _use(organization),
        "meistgenutzt": lambda: _top(organization),
    }
    if organization is None:
        builders["portale"] = _portals
        builders["suchen-ohne-treffer"] = lambda: _searches(without_result=True)
        builders["suchen"] = lambda: _searches(without_result=False)
    return builders
