"""Source types describe themselves: the registry is the one list, config loading checks options."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel, ConfigDict
from rdflib import BNode, Graph, URIRef

from catalog.migrate import upgrade_database
from catalog.models import JobStatus
from catalog.settings import ConfigError, settings_from_mapping
from catalog.store import open_store
from cli.commands import cli
from dcat.builder import build_dataset_graph
from dcat.model import DatasetInput, DistributionInput
from harvesters.base import Harvester, RemoteRecord, SourceType
from harvesters.csw import CswHarvester
from harvesters.registry import SOURCE_TYPES, registered
from harvesters.sheet_columns import DEFAULT_HEADERS, SheetField
from tests.conftest import minimal_config
from tests.harvesters.conftest import run_source
from tests.web.steward.steward_support import (
    add_people,
    client_for,
    page_text,
    steward_app_for,
)


class EchoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: int = 1


class EchoHarvester(Harvester):
    """A throwaway source: `count` datasets, made up on the spot."""

    type_name = "echo"

    def gather(self) -> Iterator[RemoteRecord]:
        for number in range(EchoOptions.model_validate(self.context.options).count):
            yield RemoteRecord(key=f"echo-{number}", payload=number)

    def to_graph(self, record: RemoteRecord) -> tuple[Graph, URIRef | BNode]:
        data = DatasetInput(
            title={"de": f"Echo {record.payload}"},
            description={"de": "Ein Datensatz, den nur dieser Test kennt."},
            distributions=[DistributionInput(access_url="https://echo.example/data.csv")],
        )
        return build_dataset_graph(data, uri=f"https://echo.example/dataset/{record.payload}")


ECHO = SourceType(
    name="echo",
    label_de="Echo-Quelle",
    label_en="Echo source",
    options=EchoOptions,
    harvester=EchoHarvester,
)


def _config(tmp_path: Path, source_type: str, options: dict[str, Any]) -> dict[str, Any]:
    source = {
        "name": "quelle",
        "type": source_type,
        "url": "https://quelle.example/",
        "organization": "umweltamt",
        "options": options,
    }
    return minimal_config(storage={"data_dir": str(tmp_path / "instance")}, sources=[source])


def _load_error(tmp_path: Path, source_type: str, options: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as raised:
        settings_from_mapping(
            _config(tmp_path, source_type, options), base_dir=tmp_path, env={}, origin="config.yaml"
        )
    return str(raised.value)


@pytest.mark.parametrize(
    ("source_type", "options", "expected"),
    [
        (
            "spreadsheet",
            {"separatr": ";"},
            "config.yaml: sources.0.options.separatr: unknown key, did you mean 'separator'?",
        ),
        (
            "spreadsheet",
            {"columns": ["title"]},
            "config.yaml: sources.0.options.columns: Input should be a valid dictionary",
        ),
        (
            "ckan",
            {"organisation": "umwelt"},
            "config.yaml: sources.0.options.organisation: unknown key, did you mean "
            "'organization'?",
        ),
        ("ckan", {"fq": 3}, "config.yaml: sources.0.options.fq: Input should be a valid string"),
        (
            "dcat",
            {"fq": "x"},
            "config.yaml: sources.0.options.fq: unknown key, no keys are expected here",
        ),
    ],
)
def test_a_wrong_option_is_one_line_naming_the_key(
    tmp_path: Path, source_type: str, options: dict[str, Any], expected: str
) -> None:
    message = _load_error(tmp_path, source_type, options)
    assert message.count("\n") == 0, message
    assert message.startswith(expected), message


@pytest.mark.parametrize("command", [["init"], ["harvest", "--all"], ["validate"]])
def test_every_command_ends_with_exit_2_on_a_misspelt_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    # Undeclared, as in a fresh process: the command itself must declare the source types.
    monkeypatch.setattr("catalog.settings._source_types", {})
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(_config(tmp_path, "spreadsheet", {"separatr": ";"})))

    result = CliRunner().invoke(cli, ["--config", str(config), *command])

    assert result.exit_code == 2
    assert f"Error: {config}: sources.0.options.separatr: unknown key, did you mean " in (
        result.output
    )


def test_the_options_of_each_type_load_as_written(tmp_path: Path) -> None:
    for source_type, options in [
        ("ckan", {"organization": "umwelt", "fq": "tags:luft"}),
        ("spreadsheet", {"separator": ";", "columns": {"title": "Name"}, "language": "en"}),
        ("dcat", {}),
        ("csw", {"constraint": "opendata", "page_size": 50, "open_licence_required": False}),
    ]:
        config = _config(tmp_path, source_type, options)
        settings = settings_from_mapping(config, base_dir=tmp_path, env={})
        assert settings.sources[0].options == options


def test_the_registry_lists_every_type_config_accepts() -> None:
    assert list(SOURCE_TYPES) == ["ckan", "dcat", "spreadsheet", "csw"]
    assert SOURCE_TYPES["csw"].harvester is CswHarvester


def test_a_new_source_type_is_one_module_and_one_registry_line(tmp_path: Path) -> None:
    with registered(ECHO):
        settings = settings_from_mapping(
            _config(tmp_path, "echo", {"count": 2}), base_dir=tmp_path, env={}
        )
        assert "did you mean 'count'?" in _load_error(tmp_path, "echo", {"cuont": 2})
        store = open_store(settings.database_url)
        try:
            upgrade_database(store)
            outcome = run_source(store, settings, "quelle")
            assert outcome.status == JobStatus.DONE
            assert outcome.counts.new == 2

            add_people(store)
            with steward_app_for(settings, store) as app:
                form = page_text(client_for(app, "anna").get("/verwaltung/quellen/neu"))
            assert "Echo-Quelle" in form
        finally:
            store.close()
    assert "echo" not in SOURCE_TYPES
    assert "Input should be 'ckan', 'dcat', 'spreadsheet' or 'csw'" in _load_error(
        tmp_path, "echo", {}
    )


def test_a_column_mapping_names_only_fields_a_spreadsheet_row_can_fill(tmp_path: Path) -> None:
    message = _load_error(tmp_path, "spreadsheet", {"columns": {"titel": "Name"}})

    assert message.startswith(
        "config.yaml: sources.0.options.columns.titel.[key]: Input should be 'identifier', "
        "'title', "
    ), message


def test_the_column_fields_are_those_the_usual_headers_are_known_for() -> None:
    assert set(get_args(SheetField)) == set(DEFAULT_HEADERS)
