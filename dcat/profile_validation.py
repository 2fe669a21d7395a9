"""Validation per profile: a stored record judged as DCAT-AP.de 2.0 or as its 3.0 rendering."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from rdflib import Graph

from dcat.profiles import Profile, render_graph
from dcat.validation import OWN_SHAPES, OWN_SHAPES_V3, ValidationReport, Validator

OWN_SHAPES_BY_PROFILE = {Profile.DCATAPDE_2: OWN_SHAPES, Profile.DCATAPDE_3: OWN_SHAPES_V3}


class ProfileValidator:
    """Our shapes of one profile over the rendering of stored graphs in that profile.

    Extra shapes files (validation.shapes) and GovData's warnings are written for 2.0 and
    apply to 2.0 only.
    """

    def __init__(
        self, profile: Profile, extra_shapes: Sequence[str] = (), *, govdata_warnings: bool = False
    ) -> None:
        self.profile = profile
        is_v2 = profile is Profile.DCATAPDE_2
        self._validator = Validator(
            extra_shapes if is_v2 else (),
            govdata_warnings=govdata_warnings and is_v2,
            shapes=OWN_SHAPES_BY_PROFILE[profile],
        )

    def validate(self, stored: Graph) -> ValidationReport:
        return self._validator.validate(render_graph(stored, self.profile))

    def render_and_validate(self, stored: Graph) -> tuple[Graph, ValidationReport]:
        """The rendering and its report, for a save that stores both."""
        rendered = render_graph(stored, self.profile)
        return rendered, self._validator.validate(rendered)

    def validate_rendered_many(self, rendered: Sequence[Graph]) -> list[ValidationReport]:
        """Reports of graphs rendered in this profile already, validated together."""
        return list(self._validator.validate_many(iter(rendered)))

    def validate_many(self, stored: Iterable[Graph]) -> Iterator[ValidationReport]:
        return self._validator.validate_many(render_graph(g, self.profile) for g in stored)


__all__ = ["OWN_SHAPES_BY_PROFILE", "ProfileValidator"]
