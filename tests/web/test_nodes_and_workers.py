"""Several servers of one catalog, as README "Mehrere Server" runs them: two web nodes (separate
`catalog serve` processes and data_dirs) and two harvest workers on one PostgreSQL and one
Redis. A harvest started with the steward's button on node A survives a worker lost in the
middle of a batch: the catalog is complete, the job's report right on node B; and an edit
through node A's CKAN API is found through node B's search."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import ckanapi
import pytest
import requests
from sqlalchemy import Engine, create_engine, select

from catalog.models import DatasetRecord, JobStatus
from tests.conftest import _postgres_url_or_skip
from tests.generated_dcat import BASE, dataset_name
from tests.nodes import WebNode, catalog_command, postgres_schema, valid_package
from tests.workers import (
    WorkerProcess,
    jobs_of,
    kill_mid_batch,
    queue_environment,
    revisions_per_record,
    running_workers,
    write_generated_source,
)

pytestmark = [pytest.mark.postgres, pytest.mark.workers]

SOURCE = "messreihen"
DATASETS = 200
EVENTUALLY = 30.0
# A queued job, with a worker's task handed out again after the visibility timeout: a bound
# for the test, not a timing claim.
JOB_DEADLINE = 120.0
# A task of a lost worker goes back to the queue after this long (Redis; the minimum).
VISIBILITY_TIMEOUT = 10
STEWARD, PASSWORD = "anna", "ein-langes-passwort-1"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def _eventually(condition: Callable[[], bool], seconds: float = EVENTUALLY) -> bool:
    """Poll until the condition holds, for at most `seconds` (not a timing claim)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@dataclass
class Cluster:
    node_a: WebNode
    node_b: WebNode
    workers: list[WorkerProcess]
    engine: Engine
    broker_url: str
    keys: set[str]


@pytest.fixture
def cluster(tmp_path: Path, redis_broker: str) -> Iterator[Cluster]:
    names, config = write_generated_source(
        tmp_path, SOURCE, DATASETS, batch_size=10, visibility_timeout_seconds=VISIBILITY_TIMEOUT
    )
    with postgres_schema(_postgres_url_or_skip()) as database_url:
        env = queue_environment(config, tmp_path / "worker", database_url, redis_broker)
        catalog_command(["init"], env)
        nodes = []
        for name in ("node-a", "node-b"):
            node = WebNode(name, tmp_path / name, database_url)
            node.env.update(queue_environment(config, node.data_dir, database_url, redis_broker))
            nodes.append(node)
        engine = create_engine(database_url)
        try:
            with running_workers(env, tmp_path / "logs", count=2, concurrency=2) as workers:
                for node in nodes:
                    node.start()
                yield Cluster(
                    *nodes,
                    workers=workers,
                    engine=engine,
                    broker_url=redis_broker,
                    keys={f"{BASE}/dataset/{name}" for name in names},
                )
        finally:
            for node in nodes:
                node.stop()
            engine.dispose()


def _steward(env: dict[str, str]) -> str:
    """An Umweltamt admin (who may start its harvests) and an API token of hers."""
    catalog_command(
        [
            "user",
            "add",
            STEWARD,
            "--email",
            f"{STEWARD}@musterstadt.example",
            "--role",
            "umweltamt:admin",
            "--password-stdin",
        ],
        env,
        stdin=f"{PASSWORD}\n",
    )
    return catalog_command(["token", "create", STEWARD], env).stdout.strip()


def _csrf_token(session: requests.Session, url: str) -> str:
    match = _CSRF.search(session.get(url, timeout=10).text)
    assert match is not None, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def _logged_in(node: WebNode) -> requests.Session:
    """A browser-like session of the steward on this node."""
    session = requests.Session()
    login = f"{node.address}/verwaltung/anmelden"
    response = session.post(
        login,
        data={"username": STEWARD, "password": PASSWORD, "csrf_token": _csrf_token(session, login)},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text
    return session


def _start_harvest_with_the_button(node: WebNode) -> None:
    session = _logged_in(node)
    page = f"{node.address}/verwaltung/quellen/{SOURCE}"
    response = session.post(
        f"{page}/ernten",
        data={"csrf_token": _csrf_token(session, page)},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 303, response.text


def _record_name(engine: Engine, remote_id: str) -> str:
    with engine.connect() as connection:
        name = connection.scalar(
            select(DatasetRecord.name).where(DatasetRecord.remote_id == remote_id)
        )
    assert name is not None, remote_id
    return name


def _job_ended(cluster: Cluster) -> bool:
    jobs = jobs_of(cluster.engine, SOURCE)
    return bool(jobs) and jobs[-1].status != JobStatus.RUNNING


def test_a_harvest_survives_a_lost_worker_and_edits_reach_the_other_node(
    cluster: Cluster,
) -> None:
    token = _steward(cluster.node_a.env)
    _start_harvest_with_the_button(cluster.node_a)

    lost, task = kill_mid_batch(
        cluster.engine, SOURCE, cluster.workers, cluster.broker_url, whole_worker=True
    )
    assert lost.process is None  # main process and pool gone: nobody handed the task back

    assert _eventually(lambda: _job_ended(cluster), JOB_DEADLINE)
    [job] = jobs_of(cluster.engine, SOURCE)
    assert (job.status, job.new, job.updated, job.unchanged, job.failed, job.withdrawn) == (
        JobStatus.DONE,
        DATASETS,
        0,
        0,
        0,
        0,
    )
    revisions = revisions_per_record(cluster.engine, SOURCE)
    assert set(revisions) == cluster.keys
    assert set(revisions.values()) == {1}
    # The lost batch was run again by the worker left, once the broker handed it out again.
    [survivor] = [worker for worker in cluster.workers if worker is not lost]
    assert f"[{task.id}] succeeded" in survivor.log()

    report = _logged_in(cluster.node_b).get(
        f"{cluster.node_b.address}/verwaltung/jobs/{job.id}", timeout=10
    )
    assert report.status_code == 200
    assert 'class="job-status-done"' in report.text
    assert f"{DATASETS} neu, 0 geändert" in report.text
    assert _eventually(lambda: cluster.node_b.search()["count"] == DATASETS)

    ckan_a = ckanapi.RemoteCKAN(cluster.node_a.address, apikey=token)
    ckan_b = ckanapi.RemoteCKAN(cluster.node_b.address)
    # A harvested record is changed at its source; a steward's own record through the API.
    harvested = _record_name(cluster.engine, f"{BASE}/dataset/{dataset_name(7)}")
    with pytest.raises(ckanapi.NotAuthorized):
        ckan_a.action.package_patch(id=harvested, title="Messreihe am Wasserwerk Nord")
    ckan_a.action.package_create(**valid_package("pegel", "Pegelstände"))
    ckan_a.action.package_patch(id="pegel", title="Pegelstände am Wasserwerk Nord")

    def found_on_b() -> bool:
        result = ckan_b.action.package_search(q="Wasserwerk")
        return [package["name"] for package in result["results"]] == ["pegel"]

    assert _eventually(found_on_b)
    assert ckan_b.action.package_search()["count"] == DATASETS + 1
