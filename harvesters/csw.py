"""The `csw` source type: a geodata catalog (OGC CSW), declared before its harvester exists.

config.yaml accepts such a source so that a city can list it already; its jobs fail with
"no harvester" until a harvester is written here and named in SOURCE_TYPE.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from harvesters.base import SourceType


class CswOptions(BaseModel):
    """Open: no harvester reads these options yet, so a config prepared for one still loads."""

    model_config = ConfigDict(extra="allow", frozen=True)


SOURCE_TYPE = SourceType(
    name="csw",
    label_de="Geodatenkatalog (CSW)",
    label_en="Geodata catalog (CSW)",
    options=CswOptions,
)
