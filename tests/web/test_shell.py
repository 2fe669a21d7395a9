"""The web shell: layout, health check and error pages."""

from __future__ import annotations

from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient

from catalog.settings import Settings
from catalog.store import open_store
from web import create_app


class _Landmarks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _parse(html: str) -> _Landmarks:
    parser = _Landmarks()
    parser.feed(html)
    return parser


def test_start_page_is_german_with_landmarks_and_a_skip_link(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = _parse(response.get_data(as_text=True))
    html_tag = next(attrs for tag, attrs in page.tags if tag == "html")
    assert html_tag["lang"] == "de"
    names = [tag for tag, _ in page.tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in names
    first_link = next(attrs for tag, attrs in page.tags if tag == "a")
    main = next(attrs for tag, attrs in page.tags if tag == "main")
    assert first_link["href"] == f"#{main['id']}"
    text = response.get_data(as_text=True)
    assert "Offene Daten Teststadt" in text
    assert "Umweltamt" in text and "Statistikstelle" in text


def test_healthz_reports_ok_when_the_database_answers(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_healthz_reports_503_when_the_schema_is_missing(settings: Settings, tmp_path) -> None:
    empty = open_store(f"sqlite:///{tmp_path / 'leer.db'}")
    response = create_app(settings, store=empty).test_client().get("/healthz")
    assert response.status_code == 503
    assert "catalog init" in response.get_json()["database"]


def test_healthz_reports_503_when_the_database_is_unreachable(settings: Settings) -> None:
    gone = open_store(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    response = create_app(settings, store=gone).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_unknown_address_gets_a_404_page_in_the_layout(client: FlaskClient) -> None:
    response = client.get("/gibt/es/nicht")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "Seite nicht gefunden" in text
    assert 'class="skip-link"' in text


def test_an_unexpected_error_gets_a_500_page_in_the_layout(app: Flask) -> None:
    @app.get("/kaputt")
    def broken() -> str:
        raise RuntimeError("boom")

    app.config["TESTING"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/kaputt")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Interner Fehler" in text
    assert "boom" not in text
    assert '<html lang="de">' in text


def test_secret_key_is_generated_once_and_kept_in_data_dir(
    settings: Settings, sqlite_store
) -> None:
    first = create_app(settings, store=sqlite_store).config["SECRET_KEY"]
    second = create_app(settings, store=sqlite_store).config["SECRET_KEY"]
    assert first == second
    assert len(first) == 64
    assert (settings.data_dir / "secret_key").stat().st_mode & 0o077 == 0
