"""pyproject.toml as installers read it: no deprecated keys that make `pip install` warn."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO

# setuptools reads PEP 639 licence expressions (a plain SPDX string) from this version on;
# older ones refuse the string, newer ones warn about the table form.
PEP_639_SETUPTOOLS = (77, 0)


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_licence_is_an_spdx_expression_not_a_deprecated_table() -> None:
    license_value = _pyproject()["project"]["license"]
    assert license_value == "AGPL-3.0-or-later"


def test_the_build_backend_is_new_enough_for_spdx_licence_expressions() -> None:
    requires = _pyproject()["build-system"]["requires"]
    setuptools = next(spec for spec in requires if spec.startswith("setuptools"))
    found = re.fullmatch(r"setuptools>=(\d+)(?:\.(\d+))?.*", setuptools.replace(" ", ""))
    assert found is not None, setuptools
    minimum = (int(found.group(1)), int(found.group(2) or 0))
    assert minimum >= PEP_639_SETUPTOOLS
