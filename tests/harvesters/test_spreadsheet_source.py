"""The `spreadsheet` source: German department lists in CSV and XLSX become datasets; a row
that cannot fails alone, naming its row and column."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from rdflib import URIRef
from sqlalchemy import select

from catalog.jobs import job_errors
from catalog.models import DatasetRecord, JobStatus, ValidationState
from catalog.store import Store
from dcat.namespaces import DCAT, DCT, XSD
from dcat.parsing import parse_rdf
from harvesters.tabular import XLSX_MEDIA_TYPES
from tests.conftest import REPO
from tests.harvesters.conftest import record_counts, run_source, source_settings
from tests.harvesters.recorded import RecordedServer, Route
from tests.messages import both

DEMO_LIST = REPO / "catalog/demo/statistikstelle.csv"
HEADER = ["Titel", "Beschreibung", "Lizenz", "Format", "URL", "Kategorie", "Kennung"]


def _record(store: Store, identifier_title: str) -> DatasetRecord:
    with store.reading() as session:
        record = session.scalar(
            select(DatasetRecord).where(DatasetRecord.title == identifier_title)
        )
    assert record is not None, identifier_title
    return record


def test_the_demo_list_becomes_datasets_and_its_broken_rows_fail_alone(
    store: Store, tmp_path: Path
) -> None:
    settings = source_settings(
        tmp_path, [{"name": "liste", "type": "spreadsheet", "path": str(DEMO_LIST)}]
    )

    outcome = run_source(store, settings, "liste")

    assert outcome.status == JobStatus.DONE_WITH_ERRORS
    assert outcome.counts.seen == 20
    errors = job_errors(store, outcome.job_id)
    by_record = {error.record_key: error for error in errors}
    missing_title = next(e for key, e in by_record.items() if ".csv:19 " in key)
    assert "Spalte 'Titel'" in missing_title.message
    assert "column 'Titel'" in missing_title.message_en
    no_scheme = next(e for key, e in by_record.items() if "stat-0019" in key)
    assert "Spalte 'URL'" in no_scheme.message and "https://" in no_scheme.message
    assert "column 'URL'" in no_scheme.message_en
    unknown_licence = next(e for key, e in by_record.items() if "stat-0020" in key)
    assert unknown_licence.stage == "validate"
    assert outcome.counts.new == 17
    assert record_counts(store)["published"] == 18  # the invalid one is kept for the steward

    again = run_source(store, settings, "liste")
    assert again.counts.unchanged == 17 and again.counts.new == 0 and again.counts.updated == 0


def test_several_distributions_per_row_and_vocabulary_aliases(
    sqlite_store: Store, tmp_path: Path
) -> None:
    settings = source_settings(
        tmp_path, [{"name": "liste", "type": "spreadsheet", "path": str(DEMO_LIST)}]
    )
    run_source(sqlite_store, settings, "liste")

    record = _record(sqlite_store, "Bevölkerung nach Stadtteilen")
    graph = parse_rdf(record.graph, content_type="application/n-triples")
    node = URIRef(record.uri)
    distributions = list(graph.objects(node, DCAT.distribution))
    formats = {str(graph.value(d, DCT.format)) for d in distributions}
    licences = {str(graph.value(d, DCT.license)) for d in distributions}
    assert formats == {
        "http://publications.europa.eu/resource/authority/file-type/CSV",
        "http://publications.europa.eu/resource/authority/file-type/XLSX",
    }
    assert licences == {"http://dcat-ap.de/def/licenses/dl-by-de/2.0"}
    assert str(graph.value(node, DCAT.theme)).endswith("/data-theme/SOCI")
    assert record.validation_state != ValidationState.INVALID
    assert record.uri.startswith("http://catalog.test/dataset/bevoelkerung-nach-stadtteilen")


def test_xlsx_with_a_configured_column_mapping(sqlite_store: Store, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Datensatzname", "Erläuterung", "Lizenz", "Dateityp", "Link", "Nr"])
    sheet.append(
        [
            "Wahlergebnisse Stadtrat",
            "Stimmen je Wahlbezirk.",
            "CC BY 4.0",
            "csv; json",
            "https://wahlen.example/2024.csv; https://wahlen.example/2024.json",
            "w-1",
        ]
    )
    path = tmp_path / "wahlen.xlsx"
    book.save(path)
    columns = {
        "title": "Datensatzname",
        "description": "Erläuterung",
        "formats": "Dateityp",
        "urls": "Link",
        "identifier": "Nr",
    }
    source = {
        "name": "wahlen",
        "type": "spreadsheet",
        "path": str(path),
        "options": {"columns": columns, "separator": ";"},
    }
    outcome = run_source(sqlite_store, source_settings(tmp_path, [source]), "wahlen")

    assert outcome.counts.new == 1, job_errors(sqlite_store, outcome.job_id)
    record = _record(sqlite_store, "Wahlergebnisse Stadtrat")
    graph = parse_rdf(record.graph, content_type="application/n-triples")
    distributions = list(graph.objects(URIRef(record.uri), DCAT.distribution))
    assert len(distributions) == 2
    assert {str(graph.value(d, DCT.license)) for d in distributions} == {
        "http://dcat-ap.de/def/licenses/cc-by/4.0"
    }


def test_windows_1252_csv_with_commas(sqlite_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    rows = [
        ",".join(HEADER),
        'Straßenbäume,"Bäume an Straßen, mit Art und Pflanzjahr.",dl-de/by-2-0,CSV,'
        "https://gruen.example/baeume.csv,Umwelt,b-1",
    ]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    source = {"name": "liste", "type": "spreadsheet", "path": str(path)}

    outcome = run_source(sqlite_store, source_settings(tmp_path, [source]), "liste")

    assert outcome.counts.new == 1, job_errors(sqlite_store, outcome.job_id)
    record = _record(sqlite_store, "Straßenbäume")
    assert record.validation_state != ValidationState.INVALID


def test_a_list_without_a_title_column_fails_the_job(sqlite_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text("Name des Amts;Telefon\nUmweltamt;123\n", encoding="utf-8")
    source = {"name": "liste", "type": "spreadsheet", "path": str(path)}

    outcome = run_source(sqlite_store, source_settings(tmp_path, [source]), "liste")

    assert outcome.status == JobStatus.FAILED
    assert "Titel" in both(outcome)


def test_rows_with_the_same_title_in_one_batch_get_their_own_names(
    sqlite_store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "haushalt.csv"
    rows = [
        f"Haushaltsplan;Haushaltsplan des Jahres {year}.;CC BY 4.0;CSV;"
        f"https://haushalt.example/{year}.csv;Wirtschaft und Finanzen;h-{year}"
        for year in (2022, 2023, 2024)
    ]
    path.write_text(";".join(HEADER) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    settings = source_settings(
        tmp_path, [{"name": "haushalt", "type": "spreadsheet", "path": str(path)}]
    )

    outcome = run_source(sqlite_store, settings, "haushalt")

    assert outcome.counts.new == 3, job_errors(sqlite_store, outcome.job_id)
    with sqlite_store.reading() as session:
        stored = session.execute(select(DatasetRecord.name, DatasetRecord.uri)).all()
    assert sorted(name for name, _ in stored) == [
        "haushaltsplan",
        "haushaltsplan-2",
        "haushaltsplan-3",
    ]
    assert all(uri.endswith(f"/dataset/{name}") for name, uri in stored)


def test_a_list_on_a_web_server_is_harvested_like_a_file(
    sqlite_store: Store, tmp_path: Path, server: RecordedServer
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(
        [
            "Wahllokale",
            "Alle Wahllokale der Stadt.",
            "CC BY 4.0",
            "CSV",
            "https://daten.example/wahllokale.csv",
            "Regierung",
            "w-1",
        ]
    )
    xlsx = tmp_path / "upload.xlsx"
    workbook.save(xlsx)
    # No suffix in the address: the Content-Type says that this is a workbook.
    server.routes["/liste"] = Route(xlsx.read_bytes(), XLSX_MEDIA_TYPES[0])
    server.routes["/liste.csv"] = Route(DEMO_LIST.read_bytes(), "text/csv; charset=utf-8")
    settings = source_settings(
        tmp_path,
        [
            {"name": "web-xlsx", "type": "spreadsheet", "url": server.url("/liste")},
            {"name": "web-csv", "type": "spreadsheet", "url": server.url("/liste.csv")},
        ],
    )

    assert run_source(sqlite_store, settings, "web-xlsx").counts.new == 1
    assert _record(sqlite_store, "Wahllokale").validation_state == ValidationState.VALID
    csv_outcome = run_source(sqlite_store, settings, "web-csv")
    assert csv_outcome.counts.seen == 20


def test_a_list_address_that_fails_fails_the_job_and_keeps_the_records(
    sqlite_store: Store, tmp_path: Path, server: RecordedServer
) -> None:
    server.routes["/liste.csv"] = Route(DEMO_LIST.read_bytes(), "text/csv")
    settings = source_settings(
        tmp_path, [{"name": "web", "type": "spreadsheet", "url": server.url("/liste.csv")}]
    )
    assert run_source(sqlite_store, settings, "web").counts.new > 0
    before = record_counts(sqlite_store)
    server.fail["/liste.csv"] = "500"
    second = run_source(sqlite_store, settings, "web")
    assert second.status == JobStatus.FAILED
    assert record_counts(sqlite_store) == before


def _write_list(path: Path, rows: list[list[str]], header: list[str]) -> Path:
    path.write_text(
        "\n".join(";".join(cells) for cells in [header, *rows]) + "\n", encoding="utf-8"
    )
    return path


def _department_row(number: int, modified: str) -> list[str]:
    return [
        f"Liste {number:03d}",
        f"Eintrag {number} der Liste des Amts.",
        "CC BY 4.0",
        "CSV",
        f"https://amt.example/liste-{number}.csv",
        "Umwelt",
        f"l-{number}",
        modified,
    ]


def test_iso_date_times_in_the_date_column_no_longer_refuse_a_department_list(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # The value that refused all 621 rows of a real department list (issue 14).
    rows = [_department_row(number, "2014-06-25T21:28:58.601990") for number in range(1, 31)]
    path = _write_list(tmp_path / "amt.csv", rows, [*HEADER, "Stand"])
    source = {"name": "amt", "type": "spreadsheet", "path": str(path)}

    outcome = run_source(sqlite_store, source_settings(tmp_path, [source]), "amt")

    assert outcome.counts.new == 30, job_errors(sqlite_store, outcome.job_id)
    record = _record(sqlite_store, "Liste 017")
    graph = parse_rdf(record.graph, content_type="application/n-triples")
    modified = graph.value(URIRef(record.uri), DCT.modified)
    assert modified is not None and modified.datatype == XSD.dateTime
    assert str(modified) == "2014-06-25T21:28:58.601990"


def test_an_unreadable_optional_date_is_a_warning_in_the_job_report_and_every_row_is_harvested(
    sqlite_store: Store, tmp_path: Path
) -> None:
    rows = [_department_row(number, "Sommer 2014") for number in range(1, 6)]
    path = _write_list(tmp_path / "amt.csv", rows, [*HEADER, "Stand"])
    source = {"name": "amt", "type": "spreadsheet", "path": str(path)}

    outcome = run_source(sqlite_store, source_settings(tmp_path, [source]), "amt")

    assert outcome.counts.new == 5
    warnings = job_errors(sqlite_store, outcome.job_id, stage="warning")
    assert len(warnings) == 5
    assert all("Spalte 'Stand'" in w.message and "'Sommer 2014'" in w.message for w in warnings)
    assert all("column 'Stand'" in w.message_en for w in warnings)
    assert {w.record_key for w in warnings} == {
        f"amt.csv:{number + 1} (l-{number})" for number in range(1, 6)
    }
    assert job_errors(sqlite_store, outcome.job_id, stage="map") == []
    record = _record(sqlite_store, "Liste 003")
    graph = parse_rdf(record.graph, content_type="application/n-triples")
    assert graph.value(URIRef(record.uri), DCT.modified) is None


def test_a_row_without_a_title_is_refused_alone(sqlite_store: Store, tmp_path: Path) -> None:
    rows = [_department_row(number, "25.06.2014") for number in range(1, 4)]
    rows[1][0] = ""
    path = _write_list(tmp_path / "amt.csv", rows, [*HEADER, "Stand"])
    source = {"name": "amt", "type": "spreadsheet", "path": str(path)}

    outcome = run_source(sqlite_store, source_settings(tmp_path, [source]), "amt")

    assert outcome.counts.new == 2
    (refused,) = job_errors(sqlite_store, outcome.job_id)
    assert "Zeile 3, Spalte 'Titel'" in refused.message
    assert "row 3, column 'Titel'" in refused.message_en
    for title in ("Liste 001", "Liste 003"):
        assert _record(sqlite_store, title).validation_state == ValidationState.VALID
