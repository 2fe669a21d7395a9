"""`kill -9` in the middle of a job: the next run marks the dead job failed, completes the work,
and the catalog is consistent (every record once, one revision per save, nothing half-written)."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tests.conftest import REPO

ROWS = 300


def _write_list(path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Titel", "Beschreibung", "Lizenz", "Format", "URL", "Kennung"])
        for i in range(ROWS):
            writer.writerow(
                [
                    f"Messreihe {i}",
                    f"Messwerte der Station {i}.",
                    "CC BY 4.0",
                    "CSV",
                    f"https://daten.example/{i}.csv",
                    f"m-{i}",
                ]
            )


def _config(tmp_path: Path) -> Path:
    _write_list(tmp_path / "liste.csv")
    config = {
        "catalog": {
            "title": "Teststadt",
            "base_url": "http://catalog.test",
            "publisher": {"name": "Stadt Teststadt"},
        },
        "storage": {"data_dir": str(tmp_path / "instance")},
        "organizations": [{"name": "amt", "title": "Amt"}],
        "sources": [
            {"name": "liste", "type": "spreadsheet", "path": "liste.csv", "organization": "amt"}
        ],
    }
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _catalog(config: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "catalog", "--config", str(config), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def _count(database: Path, query: str) -> int:
    with sqlite3.connect(database) as connection:
        try:
            return int(connection.execute(query).fetchone()[0])
        except sqlite3.OperationalError:
            return 0  # tables not there yet


def test_kill_9_in_the_middle_then_the_next_run_completes(tmp_path: Path) -> None:
    config = _config(tmp_path)
    database = tmp_path / "instance" / "catalog.db"
    assert _catalog(config, "init").wait(timeout=60) == 0

    running = _catalog(config, "harvest", "liste")
    deadline = time.monotonic() + 120
    while _count(database, "SELECT count(*) FROM dataset_records") < 20:
        assert running.poll() is None, running.stderr.read() if running.stderr else ""
        assert time.monotonic() < deadline, "the harvest made no progress"
        time.sleep(0.05)
    running.send_signal(signal.SIGKILL)
    running.wait(timeout=10)
    saved_before = _count(database, "SELECT count(*) FROM dataset_records")
    assert 20 <= saved_before < ROWS, "the kill came in the middle of the job"
    assert _count(database, "SELECT count(*) FROM harvest_jobs WHERE status = 'running'") == 1

    again = _catalog(config, "harvest", "liste")
    out, err = again.communicate(timeout=300)

    assert again.returncode == 0, err.decode()
    assert _count(database, "SELECT count(*) FROM harvest_jobs WHERE status = 'running'") == 0
    assert _count(database, "SELECT count(*) FROM harvest_jobs WHERE status = 'failed'") == 1
    assert _count(database, "SELECT count(*) FROM dataset_records") == ROWS
    assert _count(database, "SELECT count(DISTINCT remote_id) FROM dataset_records") == ROWS
    # One save per record: the killed job's saves were whole, and none was repeated.
    assert _count(database, "SELECT count(*) FROM revisions") == ROWS
    assert (
        _count(
            database,
            "SELECT count(*) FROM dataset_records r WHERE NOT EXISTS "
            "(SELECT 1 FROM revisions v WHERE v.record_id = r.id)",
        )
        == 0
    )
    assert f"{ROWS - saved_before}" in out.decode() + err.decode()
