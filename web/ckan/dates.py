"""Dates in CKAN's search ranges: ISO dates and date-times, `*`, and Solr's NOW date math."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from catalog.search.base import DateRange
from dcat.bilingual import Bilingual
from dcat.model import parse_date_value


class QueryError(ValueError):
    """A search parameter that cannot be understood; what and where, in German and English."""

    def __init__(self, message_de: str, message_en: str) -> None:
        super().__init__(message_en)
        self.reason = Bilingual(message_de, message_en)


_RANGE = re.compile(r"^([\[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$")
_NOW = re.compile(r"^NOW((?:[+-]\d+[A-Z]+|/[A-Z]+)*)$")
_MATH_STEP = re.compile(r"([+-])(\d+)([A-Z]+)|/([A-Z]+)")
_UNITS = {
    "YEAR": "year",
    "MONTH": "month",
    "WEEK": "week",
    "DAY": "day",
    "DATE": "day",
    "HOUR": "hour",
    "MINUTE": "minute",
    "SECOND": "second",
}
_ONE_MICROSECOND = timedelta(microseconds=1)


def parse_range(text: str, field_name: str) -> DateRange:
    """A range `[low TO high]` (or with `{}` for exclusive bounds) as a DateRange."""
    try:
        return _parse_range(text, field_name)
    except QueryError:
        raise
    except (OverflowError, ValueError):
        # NOW-99999999DAYS, [* TO 9999-12-31]: bounds past the years a datetime can hold.
        raise QueryError(
            f"{field_name}: {text!r}: Datum außerhalb der Jahre 1 bis 9999",
            f"{field_name}: {text!r}: date outside the years 1 to 9999",
        ) from None


def _parse_range(text: str, field_name: str) -> DateRange:
    match = _RANGE.match(text.strip())
    if match is None:
        raise QueryError(
            f"{field_name}: Bereich wie [2024-01-01T00:00:00Z TO *] erwartet, nicht {text!r}",
            f"{field_name}: a range like [2024-01-01T00:00:00Z TO *] is expected, not {text!r}",
        )
    opening, low, high, closing = match.groups()
    start = date_bound(low, upper=False, field_name=field_name)
    end = date_bound(high, upper=True, field_name=field_name)
    if start is not None and opening == "{":
        start += _ONE_MICROSECOND
    if end is not None and closing == "}":
        end -= _ONE_MICROSECOND
    return DateRange(start=start, end=end)


def date_bound(
    text: str, *, upper: bool, field_name: str, now: datetime | None = None
) -> datetime | None:
    """A range bound: `*`, an ISO date or date-time, or Solr's NOW with date math."""
    if text == "*":
        return None
    if text.startswith("NOW"):
        return _date_math(text, now or datetime.now(UTC), field_name)
    value = parse_date_value(text)
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        day = datetime(value.year, value.month, value.day, tzinfo=UTC)
        return day + timedelta(days=1) - _ONE_MICROSECOND if upper else day
    raise QueryError(
        f"{field_name}: {text!r} ist kein Datum", f"{field_name}: {text!r} is not a date"
    )


def _date_math(text: str, now: datetime, field_name: str) -> datetime:
    match = _NOW.match(text)
    if match is None:
        raise QueryError(
            f"{field_name}: {text!r}: NOW, NOW-7DAYS, NOW/DAY erwartet",
            f"{field_name}: {text!r}: NOW, NOW-7DAYS, NOW/DAY expected",
        )
    value = now
    for sign, amount, unit, rounding in _MATH_STEP.findall(match.group(1)):
        written = unit or rounding
        name = _UNITS.get(written) or _UNITS.get(written.removesuffix("S"))
        if name is None:
            raise QueryError(
                f"{field_name}: unbekannte Einheit {written!r}",
                f"{field_name}: unknown unit {written!r}",
            )
        value = _round(value, name) if rounding else _shift(value, name, int(sign + amount))
    return value


def _shift(value: datetime, unit: str, amount: int) -> datetime:
    if unit in ("year", "month"):
        months = value.month - 1 + amount * (12 if unit == "year" else 1)
        year, month = value.year + months // 12, months % 12 + 1
        day = min(value.day, calendar.monthrange(year, month)[1])
        return value.replace(year=year, month=month, day=day)
    return value + timedelta(**{f"{unit}s": amount})


def _round(value: datetime, unit: str) -> datetime:
    order = ["year", "month", "day", "hour", "minute", "second"]
    if unit == "week":
        unit = "day"
    keep = order.index(unit) + 1
    defaults = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0}
    changes: dict[str, Any] = {name: defaults[name] for name in order[keep:]}
    return value.replace(microsecond=0, **changes)
