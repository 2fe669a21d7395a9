"""config.yaml becomes typed settings, or one clear line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from catalog.settings import ConfigError, load_settings, settings_from_mapping
from dcat.bounding_box import BoundingBox
from tests.conftest import REPO, minimal_config


def _write(path: Path, config: dict) -> Path:
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def test_the_bundled_config_is_valid_and_describes_three_departments() -> None:
    settings = load_settings(REPO / "config.yaml", env={})
    assert settings.catalog.title == "Offene Daten Musterstadt"
    assert [org.name for org in settings.organizations] == [
        "umweltamt",
        "tiefbauamt",
        "statistikstelle",
    ]
    assert settings.data_dir == (REPO / "instance").resolve()
    assert settings.database_url == f"sqlite:///{(REPO / 'instance' / 'catalog.db').as_posix()}"


def test_defaults_fill_in_what_the_config_leaves_out(tmp_path: Path) -> None:
    settings = settings_from_mapping(minimal_config(), base_dir=tmp_path, env={})
    assert settings.validation.publish_invalid is False
    assert settings.harvest.max_withdraw_fraction == 0.5
    assert settings.harvest.allow_private_networks is False
    assert settings.data_dir == (tmp_path / "instance").resolve()


def test_environment_overrides_config_file_and_storage_keys(tmp_path: Path) -> None:
    config = _write(tmp_path / "elsewhere.yaml", minimal_config())
    env = {
        "CATALOG_CONFIG": str(config),
        "CATALOG_DATA_DIR": str(tmp_path / "daten"),
        "CATALOG_DATABASE_URL": "postgresql+psycopg://katalog@db.internal/katalog",
    }
    settings = load_settings(env=env)
    assert settings.data_dir == tmp_path / "daten"
    assert settings.database_url == "postgresql+psycopg://katalog@db.internal/katalog"


def test_relative_source_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    config = minimal_config(
        sources=[
            {
                "name": "liste",
                "type": "spreadsheet",
                "path": "daten/liste.csv",
                "organization": "umweltamt",
            }
        ]
    )
    settings = load_settings(_write(tmp_path / "config.yaml", config), env={})
    assert settings.sources[0].path == tmp_path / "daten" / "liste.csv"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda c: c["catalog"].update(titel=c["catalog"].pop("title")),
            "catalog.titel: unknown key, did you mean 'title'?",
        ),
        (
            lambda c: c.update(validation={"publish_invalid": "vielleicht"}),
            "validation.publish_invalid: Input should be a valid boolean",
        ),
        (lambda c: c["catalog"].pop("publisher"), "catalog.publisher: required key is missing"),
        (
            lambda c: c.update(harvest={"max_withdraw_fraction": 2}),
            "harvest.max_withdraw_fraction: Input should be less than or equal to 1",
        ),
        (
            lambda c: c["catalog"].update(base_url="localhost:5000"),
            "catalog.base_url: expected an http(s) URL",
        ),
        (
            lambda c: c.update(
                sources=[
                    {
                        "name": "s",
                        "type": "ckan",
                        "url": "https://x.example",
                        "organization": "bauamt",
                    }
                ]
            ),
            "unknown organisation 'bauamt'",
        ),
        (
            lambda c: c.update(
                sources=[{"name": "s", "type": "ckan", "organization": "umweltamt"}]
            ),
            "sources.0: give exactly one of 'url' or 'path'",
        ),
        (
            lambda c: c.update(
                sources=[
                    {
                        "name": "s",
                        "type": "ftp",
                        "url": "https://x.example",
                        "organization": "umweltamt",
                    }
                ]
            ),
            "sources.0.type: Input should be 'ckan', 'dcat', 'spreadsheet' or 'csw'",
        ),
    ],
    ids=[
        "misspelt-key",
        "wrong-type",
        "missing-key",
        "out-of-range",
        "bad-url",
        "unknown-organisation",
        "neither-url-nor-path",
        "unknown-source-type",
    ],
)
def test_a_bad_config_gives_one_line_naming_the_key(tmp_path: Path, change, expected) -> None:
    config = minimal_config()
    change(config)
    path = _write(tmp_path / "config.yaml", config)
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    message = str(raised.value)
    assert message.count("\n") == 0, message
    assert message.startswith(f"{path}: ")
    assert expected in message


def test_a_missing_file_and_broken_yaml_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.yaml", env={})
    broken = tmp_path / "broken.yaml"
    broken.write_text("catalog: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings(broken, env={})


def _source_with(**extra: object) -> dict:
    return {
        "name": "stadtwerke",
        "type": "dcat",
        "url": "https://daten.stadtwerke.example/catalog.ttl",
        "organization": "umweltamt",
        **extra,
    }


def test_per_source_defaults_and_mappings_resolve_codes_to_vocabulary_iris(
    tmp_path: Path,
) -> None:
    config = minimal_config(
        sources=[
            _source_with(
                defaults={
                    "publisher": {
                        "name": "Stadtwerke Musterstadt",
                        "uri": "https://www.stadtwerke-musterstadt.example",
                    },
                    "contact": {"name": "Open-Data-Team", "email": "opendata@sw.example"},
                    "license": "dl-by-de/2.0",
                    "political_geocoding": {
                        "level": "municipality",
                        "uri": "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/09999999",
                    },
                    "themes": ["GOVE"],
                    "language": "de",
                },
                mappings={
                    "license": {"Nutzungsbedingungen der Stadtwerke": "dl-by-de/2.0"},
                    "theme": {"Verkehr": "TRAN"},
                    "format": {"Shape": "SHP"},
                },
                city_defaults=False,
            )
        ]
    )
    (source,) = load_settings(_write(tmp_path / "config.yaml", config), env={}).sources
    assert source.defaults.license == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert source.defaults.themes == [
        "http://publications.europa.eu/resource/authority/data-theme/GOVE"
    ]
    assert (
        source.defaults.language == "http://publications.europa.eu/resource/authority/language/DEU"
    )
    assert source.defaults.political_geocoding is not None
    assert source.defaults.political_geocoding.level == (
        "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"
    )
    assert source.mappings.format == {
        "Shape": "http://publications.europa.eu/resource/authority/file-type/SHP"
    }
    assert source.city_defaults is False


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"defaults": {"license": "frei"}}, "sources.0.defaults.license: unknown license 'frei'"),
        (
            {"mappings": {"theme": {"Umwelt": "NATUR"}}},
            "sources.0.mappings.theme: unknown theme 'NATUR'",
        ),
        (
            {"defaults": {"contact": {"name": "Team"}}},
            "sources.0.defaults.contact: give 'email' or 'url'",
        ),
        ({"default": {}}, "sources.0.default: unknown key, did you mean 'defaults'?"),
    ],
    ids=["unknown-licence", "unknown-theme", "unreachable-contact", "misspelt-defaults"],
)
def test_a_bad_source_default_or_mapping_is_named(tmp_path: Path, extra, expected) -> None:
    path = _write(tmp_path / "config.yaml", minimal_config(sources=[_source_with(**extra)]))
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    assert expected in str(raised.value)


def test_the_search_backend_is_whoosh_unless_the_config_names_another(tmp_path: Path) -> None:
    assert load_settings(REPO / "config.yaml", env={}).search.backend == "whoosh"
    assert settings_from_mapping(minimal_config(), base_dir=tmp_path, env={}).search.backend == (
        "whoosh"
    )


def test_an_unknown_search_backend_is_named_with_the_known_ones(tmp_path: Path) -> None:
    path = _write(tmp_path / "config.yaml", minimal_config(search={"backend": "elasticsearch"}))
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    assert str(raised.value) == f"{path}: search.backend: Input should be 'whoosh' or 'tantivy'"


def test_the_bundled_districts_have_boxes_inside_the_demo_city() -> None:
    settings = load_settings(REPO / "config.yaml", env={})
    boxes = {district.name: district.box for district in settings.catalog.districts}
    assert set(boxes) == {"Altstadt", "Nordstadt", "Südviertel", "Hafen"}
    # The demo's Radverkehrsnetz covers the city: every district lies within it.
    city = BoundingBox(11.2841, 48.9617, 11.4635, 49.0583)
    for name, box in boxes.items():
        assert box is not None, name
        assert city.west <= box.west <= box.east <= city.east, name
        assert city.south <= box.south <= box.north <= city.north, name


@pytest.mark.parametrize(
    ("bbox", "expected"),
    [
        ([11.4, 49.0, 11.3, 49.1], "expected [west, south, east, north]"),
        ([11.3, 49.0, 11.4], "catalog.districts.0.bbox"),
        ([11.3, 95.0, 11.4, 96.0], "south <= north"),
    ],
)
def test_a_district_box_in_the_wrong_order_is_named(
    tmp_path: Path, bbox: list[float], expected: str
) -> None:
    config = minimal_config()
    config["catalog"]["districts"] = [{"name": "Altstadt", "bbox": bbox}]
    with pytest.raises(ConfigError) as raised:
        load_settings(_write(tmp_path / "config.yaml", config), env={})
    assert expected in str(raised.value)
    assert "catalog.districts.0.bbox" in str(raised.value)
