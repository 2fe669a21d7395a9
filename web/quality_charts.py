"""The quality trend as a chart with its table: what the dashboard and "Über die Daten" show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import format_date, gettext
from markupsafe import Markup

from catalog.quality.aggregates import TrendPoint
from web.charts import Series, line_chart
from web.quality_texts import points_text


@dataclass(frozen=True)
class TrendFigure:
    """A line chart of mean points per day and the same numbers as table rows."""

    chart: Markup
    labels: list[str]  # the table's column heads after the day, one per series
    rows: list[tuple[str, list[str]]]  # (day, value of each series or "")


def trend_figure(
    series: Sequence[tuple[str, Sequence[TrendPoint]]], *, title: str, description: str
) -> TrendFigure:
    days = sorted({point.day for _, points in series for point in points})
    day_labels = {day: format_date(day, "short") for day in days}
    chart = line_chart(
        [
            Series(label, [(day_labels[point.day], point.mean_points) for point in points])
            for label, points in series
        ],
        title=title,
        description=description,
        value_format=points_text,
    )
    by_series = [{point.day: point.mean_points for point in points} for _, points in series]
    rows = [
        (
            day_labels[day],
            [points_text(values[day]) if day in values else "" for values in by_series],
        )
        for day in days
    ]
    return TrendFigure(chart=chart, labels=[label for label, _ in series], rows=rows)


def trend_description() -> str:
    return gettext(
        "Mittlere Punktzahl der veröffentlichten Datensätze je Tag (höchstens 405); "
        "die Tabelle daneben nennt dieselben Werte."
    )
