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

from flask_babel import format_datetime, gettext
from markupsafe import Markup

from catalog import impact
from catalog.figures import freshness
from catalog.models import Organization
from catalog.usage import Client
from web.charts import Series, bar_chart, line_chart
from web.context import current_search, current_settings, current_store

Cell = str | int


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


FigureBuilder = Callable[[], Figure]


def figure_builders(organization: Organization | None) -> dict[str, FigureBuilder]:
    """Each figure by its key, built only when asked for (a CSV needs one figure)."""
    builders: dict[str, FigureBuilder] = {
        "datensaetze": lambda: _datasets(organization),
        "aktualitaet": lambda: _freshness(organization),
        "nutzung": lambda: _use(organization),
        "meistgenutzt": lambda: _top(organization),
    }
    if organization is None:
        builders["portale"] = _portals
        builders["suchen-ohne-treffer"] = lambda: _searches(without_result=True)
        builders["suchen"] = lambda: _searches(without_result=False)
    return builders
