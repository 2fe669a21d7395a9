"""`catalog init` judges records saved before the 3.0 columns; `catalog validate --profile 3.0
--store` judges and stores all of them again."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner
from sqlalchemy import update

from catalog.models import DatasetRecord
from catalog.publication import public_records
from catalog.settings import load_settings
from catalog.setup import open_current_store
from cli.commands import cli
from dcat.profiles import Profile
from tests.catalog.profile_records import WITHOUT_LICENCE, save_prepared
from tests.conftest import minimal_config


def run(config_file: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config_file), *args])


def test_init_and_validate_store_judge_records_that_have_no_3_0_verdict(tmp_path: Path) -> None:
    config_file = tmp_path / "config.yaml"
    config = minimal_config(storage={"data_dir": str(tmp_path / "instance")})
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    assert run(config_file, "init").exit_code == 0
    settings = load_settings(config_file, env={})
    store = open_current_store(settings)
    save_prepared(store, settings, "Bäume 2024")
    save_prepared(store, settings, "Bäume ohne Lizenz", **WITHOUT_LICENCE)
    with store.transaction() as session:  # as saved before migration 0012
        session.execute(
            update(DatasetRecord).values(
                graph_v3=None, violation_count_v3=None, validation_report_v3=None
            )
        )
    assert list(public_records(store, settings, profile=Profile.DCATAPDE_3)) == []

    initialised = run(config_file, "init")
    assert initialised.exit_code == 0, initialised.output
    assert "DCAT-AP.de 3.0: 2 Datensätze beurteilt" in initialised.output
    assert len(list(public_records(store, settings, profile=Profile.DCATAPDE_3))) == 1
    assert "DCAT-AP.de 3.0: 0 Datensätze beurteilt" in run(config_file, "init").output

    stored = run(config_file, "validate", "--profile", "3.0", "--store", "--lang", "en")
    assert stored.exit_code == 1, stored.output
    assert "2 datasets judged and stored, 0 with a changed verdict, 1 with violations" in (
        stored.output
    )
    refused = run(config_file, "validate", "--store")
    assert refused.exit_code == 2 and "--profile 3.0" in refused.output
    store.close()
