"""Web nodes as separate `catalog serve` processes on 127.0.0.1, each with its own data_dir,
all on one PostgreSQL schema: several servers of one catalog, as README "Mehrere Server" runs
them (the two-node test and benchmarks/follow.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
CATALOG = [sys.executable, "-m", "cli"]
STARTUP_SECONDS = 60.0


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A fresh schema on the server at `url`, dropped afterwards; yields a database URL whose
    connections use it (psycopg's `options`, so every process of the test finds it)."""
    schema = f"nodes_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def catalog_command(
    arguments: list[str], env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run `catalog ARGUMENTS` as the README does, failing loudly with its output."""
    done = subprocess.run(
        [*CATALOG, *arguments],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"catalog {' '.join(arguments)}: {done.returncode}\n{done.stderr}")
    return done


def node_environment(data_dir: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CATALOG_CONFIG=str(REPO / "config.yaml"),
        CATALOG_DATA_DIR=str(data_dir),
        CATALOG_DATABASE_URL=database_url,
    )
    return env


class WebNode:
    """One `catalog serve` process; start, stop and start again on the same data_dir."""

    def __init__(self, name: str, data_dir: Path, database_url: str) -> None:
        self.name = name
        self.data_dir = data_dir
        self.env = node_environment(data_dir, database_url)
        self.port = free_port()
        self.address = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir.parent / f"{name}.log"

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [*CATALOG, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-2000:]}")
            try:
                if requests.get(f"{self.address}/healthz", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer /healthz: {self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        self.process = None

    def search(self, q: str = "", rows: int = 1000) -> dict[str, Any]:
        """package_search on this node (what its own index finds)."""
        response = requests.get(
            f"{self.address}/api/3/action/package_search",
            params={"q": q, "rows": rows},
            timeout=10,
        )
        response.raise_for_status()
        result: dict[str, Any] = response.json()["result"]
        return result

    def action(self, action: str, token: str, parameters: dict[str, Any]) -> dict[str, Any]:
        """A CKAN write action on this node, authenticated with an API token."""
        response = requests.post(
            f"{self.address}/api/3/action/{quote(action)}",
            json=parameters,
            headers={"Authorization": token},
            timeout=30,
        )
        if response.status_code != 200:
            raise RuntimeError(f"{action} on {self.name}: {response.status_code} {response.text}")
        result: dict[str, Any] = response.json()["result"]
        return result


def steward_token(env: dict[str, str], username: str = "anna") -> str:
    """A Umweltamt editor and an API token of hers, made with the `catalog` command."""
    catalog_command(
        [
            "user",
            "add",
            username,
            "--email",
            f"{username}@musterstadt.example",
            "--role",
            "umweltamt:editor",
            "--password-stdin",
        ],
        env,
        stdin="ein-langes-passwort-1\n",
    )
    return catalog_command(["token", "create", username], env).stdout.strip()


def valid_package(name: str, title: str) -> dict[str, Any]:
    """A package the catalog publishes (valid DCAT-AP.de with the demo city's settings)."""
    return {
        "name": name,
        "title": title,
        "notes": "Messwerte der Stadt, täglich aktualisiert.",
        "owner_org": "umweltamt",
        "license_id": "dl-by-de/2.0",
        "tags": [{"name": "Umwelt"}],
        "groups": [{"name": "envi"}],
        "contact_email": "umwelt@musterstadt.example",
        "resources": [{"url": f"https://daten.musterstadt.example/{name}.csv", "format": "CSV"}],
    }
