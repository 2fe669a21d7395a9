"""Harvested text is stored clean and bounded (issue 16, item 9): control characters are
removed and the revision note counts them; a value over its limit refuses its record alone,
whose last good version stays published. A real HTTP server on 127.0.0.1 serves the source."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from sqlalchemy import select

from catalog.jobs import job_errors
from catalog.models import DatasetRecord, RecordStatus, Revision
from catalog.store import Store
from dcat.namespaces import DCT
from dcat.parsing import parse_rdf
from dcat.text_limits import TITLE_LIMIT
from tests.harvesters.conftest import run_source, source_settings
from tests.harvesters.recorded import RecordedServer, Route
from tests.messages import both

EX = "https://daten.teststadt.example/dataset/"
PATH = "/catalog.ttl"


def _dataset(name: str, title: str, description: str) -> str:
    return f"""
<{EX}{name}> a dcat:Dataset ;
    dct:title "{title}"@de ;
    dct:description "{description}"@de ;
    dcat:keyword "Umwelt"@de ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
    dct:publisher [ a foaf:Agent ; foaf:name "Umweltamt" ] ;
    dcat:distribution [ a dcat:Distribution ;
        dcat:accessURL <https://daten.teststadt.example/files/{name}.csv> ;
        dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
        dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ] .
<https://daten.teststadt.example/catalog> dcat:dataset <{EX}{name}> .
"""


def _catalog(*datasets: str) -> bytes:
    prefixes = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://daten.teststadt.example/catalog> a dcat:Catalog ; dct:title "Teststadt"@de .
"""
    return (prefixes + "".join(datasets)).encode("utf-8")


def _serve(server: RecordedServer, *datasets: str) -> None:
    server.routes[PATH] = Route(_catalog(*datasets))


def _harvest(store: Store, server: RecordedServer, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = source_settings(
        tmp_path, [{"name": "test", "type": "dcat", "url": server.url(PATH)}]
    )
    return run_source(store, settings, "test")


def _record(store: Store, name: str) -> tuple[DatasetRecord, Revision]:
    with store.reading() as session:
        record = session.scalar(select(DatasetRecord).where(DatasetRecord.uri == EX + name))
        assert record is not None
        revision = session.scalars(
            select(Revision).where(Revision.record_id == record.id).order_by(Revision.number)
        ).all()[-1]
        session.expunge_all()
    return record, revision


def test_control_characters_in_harvested_text_are_removed_and_counted_in_the_note(
    store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    # Turtle escapes: NUL, BEL and ESC in the title, tab and line feed in the description.
    _serve(
        server,
        _dataset("luft", "Luft\\u0000qualit\\u0007ät\\u001B[31m", "Erste Zeile\\n\\tzweite Zeile"),
    )

    outcome = _harvest(store, server, tmp_path)

    assert outcome.counts.new == 1, job_errors(store, outcome.job_id)
    record, revision = _record(store, "luft")
    assert record.title == "Luftqualität[31m"
    stored = parse_rdf(record.graph, content_type="application/n-triples")
    assert (URIRef(EX + "luft"), DCT.title, Literal("Luftqualität[31m", lang="de")) in stored
    description = Literal("Erste Zeile\n\tzweite Zeile", lang="de")
    assert (URIRef(EX + "luft"), DCT.description, description) in stored
    assert "Steuerzeichen entfernt (control-characters) ×1" in revision.note
    assert "control characters removed (control-characters) ×1" in revision.note_en


def test_an_overlong_harvested_title_refuses_its_record_alone_and_keeps_the_last_good_version(
    store: Store, server: RecordedServer, tmp_path: Path
) -> None:
    _serve(
        server,
        _dataset("laerm", "Lärmkarte", "Lärm an Hauptstraßen"),
        _dataset("wasser", "Wasserqualität", "Messstellen"),
    )
    assert _harvest(store, server, tmp_path).counts.new == 2
    huge = "L" * (TITLE_LIMIT + 1)
    _serve(
        server,
        _dataset("laerm", huge, "Lärm an Hauptstraßen"),
        _dataset("wasser", "Wasserqualität 2025", "Messstellen"),
        _dataset("neu", huge, "Neuer Datensatz"),
    )

    outcome = _harvest(store, server, tmp_path)

    assert (outcome.counts.updated, outcome.counts.refused, outcome.counts.withdrawn) == (1, 2, 0)
    messages = [both(error) for error in job_errors(store, outcome.job_id)]
    assert len(messages) == 2
    for message in messages:
        assert "dct:title: Zu lang: 1.001 Zeichen, höchstens 1.000" in message
        assert "Too long: 1,001 characters, at most 1,000 are allowed" in message
    laerm, _ = _record(store, "laerm")
    assert (laerm.title, laerm.status) == ("Lärmkarte", RecordStatus.PUBLISHED)
    with store.reading() as session:
        new = session.scalar(select(DatasetRecord).where(DatasetRecord.uri == EX + "neu"))
    assert new is None
