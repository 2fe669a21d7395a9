"""Whole numbers in paths (`<int:...>`) are bounded, so a huge one is a 404 and never reaches
the database, where it would overflow a 64-bit column (OverflowError, a 500)."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import Map
from werkzeug.routing.converters import IntegerConverter

LARGEST_PATH_NUMBER = 2**31 - 1  # every id and page number we serve fits a 32-bit column


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` with an upper bound unless the rule sets its own (`<int(max=50000):n>`)."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = LARGEST_PATH_NUMBER,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def register(app: Flask) -> None:
    """Before any blueprint is registered: rules pick their converter when they are added."""
    app.url_map.converters["int"] = BoundedIntegerConverter
