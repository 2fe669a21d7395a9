"""Dates and periods as people write them in lists and forms, read into typed xsd literals.

Pure parsing on top of the date rule's `typed_date` (dcat/normalise/dates.py), so a list cell
and a harvested literal are read alike. Every value keeps its precision: a year stays an
xsd:gYear, a month an xsd:gYearMonth (DCAT-AP 2.1.1, DateOrDateTimeDataType_Shape, accepts
these two beside xsd:date and xsd:dateTime for dct:issued, dct:modified, dcat:startDate and
dcat:endDate), so no day is made up.

Not read, on purpose: a two-digit year ("25.06.14" could be 1914 or 2014, and a period column
holds historic years as readily as recent ones; the catalog invents nothing), and slashed days
("01/02/2020" is day-first in Germany and month-first elsewhere).
"""

from __future__ import annotations

import re
from datetime import date

from rdflib import Literal

from dcat.namespaces import XSD
from dcat.normalise.dates import typed_date

# "06/2014", "6/2014", "06.2014": month and a four-digit year; unambiguous in any country.
_MONTH_YEAR = re.compile(r"^(?P<m>\d{1,2})\s*[/.]\s*(?P<y>\d{4})$")
# Every place where a range may be split: " bis ", a dash, a hyphen with or without spaces.
_RANGE_SEPARATOR = re.compile(r"\s+bis\s+|\s*[–—]\s*|\s*-\s*", re.IGNORECASE)
_OPEN_START = re.compile(r"^(?:ab|seit|von|vom|from|since)\s+(?P<value>.+)$", re.IGNORECASE)
_OPEN_END = re.compile(r"^(?:bis|until)\s+(?P<value>.+)$", re.IGNORECASE)
_FROM_WORD = re.compile(r"^(?:von|vom|from)\s+", re.IGNORECASE)
_ONGOING = {"heute", "laufend", "fortlaufend", "aktuell", "today", "ongoing", "present"}


def date_literal_from_text(text: str) -> Literal | None:
    """The typed literal a written date stands for, or None when it is none or ambiguous.

    ISO dates ("2014-06-25") and date-times ("2014-06-25T21:28:58.601990", with "Z" or
    "+01:00"), German dates ("25.06.2014", "25.6.2014"), a year ("2014") and a year-month
    ("2014-06", "06/2014", "06.2014").
    """
    value = text.strip()
    if not value:
        return None
    if match := _MONTH_YEAR.match(value):
        month = int(match["m"])
        if not 1 <= month <= 12:
            return None
        return Literal(f"{match['y']}-{month:02d}", datatype=XSD.gYearMonth)
    return typed_date(value)


def period_from_text(text: str) -> tuple[Literal | None, Literal | None] | None:
    """Start and end of a written period, or None when it cannot be read unambiguously.

    "2010-2014", "2010 – 2014", "2010 bis 2014", "von 2010 bis 2014", "01.01.2010 - 31.12.2014";
    one value ("2014", "06/2014", "25.06.2014") is a period from itself to itself; "ab 2015",
    "seit 01.01.2015" and "2015 - heute" have no end, "bis 2014" no start. A range whose end
    comes before its start is not read.
    """
    value = text.strip()
    if not value:
        return None
    if (single := date_literal_from_text(value)) is not None:
        return single, single
    opening = _OPEN_START.match(value)
    if opening and (start := date_literal_from_text(opening["value"])) is not None:
        return start, None
    closing = _OPEN_END.match(value)
    if closing and (end := date_literal_from_text(closing["value"])) is not None:
        return None, end
    return _range(_FROM_WORD.sub("", value))


def _range(text: str) -> tuple[Literal | None, Literal | None] | None:
    """The one way of splitting the text at a separator that reads on both sides."""
    readings: list[tuple[Literal, Literal | None]] = []
    for separator in _RANGE_SEPARATOR.finditer(text):
        left, right = text[: separator.start()].strip(), text[separator.end() :].strip()
        start = date_literal_from_text(left)
        if start is None:
            continue
        if right.lower() in _ONGOING:
            readings.append((start, None))
            continue
        end = date_literal_from_text(right)
        if end is not None and first_day(start) <= first_day(end):
            readings.append((start, end))
    return readings[0] if len(readings) == 1 else None


def first_day(value: Literal) -> date:
    """The first day a typed date literal covers ("2014" -> 1 January 2014)."""
    text = str(value)
    month = int(text[5:7]) if len(text) >= 7 and text[4] == "-" else 1
    day = int(text[8:10]) if len(text) >= 10 and text[7] == "-" else 1
    return date(int(text[:4]), month, day)


__all__ = ["date_literal_from_text", "first_day", "period_from_text"]
