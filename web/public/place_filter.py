"""The results page's place filter: a district of the city or a typed box, as Intersects.

`place=<district name>` picks one of config.yaml's districts that has a bbox; `bbox=minlon,
minlat,maxlon,maxlat` (as ckanext-spatial's ext_bbox) any box. Both together narrow to
records that meet both. What cannot be read is said on the page and left out of the search,
never a server error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from catalog.search.base import EVERYTHING, All, Condition, Intersects
from dcat.bounding_box import BoundingBox, BoundingBoxError, parse_bbox_parameter
from web.labels import language

PLACE_PARAMETER = "place"
BBOX_PARAMETER = "bbox"


@dataclass(frozen=True)
class PlaceFilter:
    """What the visitor asked for by place, and what of it could be used."""

    district: str = ""
    bbox_text: str = ""
    district_box: BoundingBox | None = None
    typed_box: BoundingBox | None = None
    errors: tuple[str, ...] = ()

    @classmethod
    def from_args(
        cls, args: MultiDict[str, str], districts: Mapping[str, BoundingBox]
    ) -> PlaceFilter:
        district = args.get(PLACE_PARAMETER, "").strip()[:200]
        bbox_text = args.get(BBOX_PARAMETER, "").strip()[:200]
        district_box = districts.get(district) if district else None
        typed_box = None
        errors: list[str] = []
        if district and district_box is None:
            errors.append(
                gettext("Den Ort „%(place)s“ kennt dieser Katalog nicht.", place=district)
            )
        if bbox_text:
            try:
                typed_box = parse_bbox_parameter(bbox_text)
            except BoundingBoxError as error:
                errors.append(error.english if language() == "en" else error.german)
        return cls(district, bbox_text, district_box, typed_box, tuple(errors))

    def condition(self) -> Condition:
        boxes = [box for box in (self.district_box, self.typed_box) if box is not None]
        if not boxes:
            return EVERYTHING
        return All(tuple(Intersects(box) for box in boxes))

    def parameters(self) -> dict[str, str]:
        """The query-string part that keeps this filter on the next link."""
        found = {}
        if self.district:
            found[PLACE_PARAMETER] = self.district
        if self.bbox_text:
            found[BBOX_PARAMETER] = self.bbox_text
        return found

    def chip_labels(self) -> Sequence[tuple[str, str]]:
        """(label, parameter its removal drops) for each part of the filter in use."""
        labels = []
        if self.district_box is not None:
            labels.append((gettext("Ort: %(place)s", place=self.district), PLACE_PARAMETER))
        if self.typed_box is not None:
            labels.append((gettext("Gebiet: %(box)s", box=self.bbox_text), BBOX_PARAMETER))
        return labels
