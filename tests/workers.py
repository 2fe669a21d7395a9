"""Harvest workers as separate `catalog worker` processes, and the brokers they need: a Redis
database of the test's own, or RabbitMQ. As README "Mehrere Server" runs them: the same config
and database URL on every process, the broker in tasks.broker_url (CATALOG_BROKER_URL).

Tests that need a broker skip with the reason when none is configured or reachable, and fail
instead when CI says the broker is required (CATALOG_REQUIRE_REDIS, CATALOG_REQUIRE_AMQP), as
tests/conftest.py does for PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from celery import Celery
from sqlalchemy import Engine, func, select

from catalog.models import (
    DatasetRecord,
    HarvestBatch,
    HarvestJob,
    HarvestSource,
    JobStatus,
    Revision,
)
from tests.generated_dcat import write_dcat_catalog
from tests.nodes import CATALOG, REPO, node_environment

REDIS_URL_VARIABLE = "CATALOG_TEST_REDIS_URL"
REQUIRE_REDIS_VARIABLE = "CATALOG_REQUIRE_REDIS"
AMQP_URL_VARIABLE = "CATALOG_TEST_AMQP_URL"
REQUIRE_AMQP_VARIABLE = "CATALOG_REQUIRE_AMQP"

STARTUP_SECONDS = 60.0
STOP_SECONDS = 30.0
# Written by a worker once it consumes from the queue (celery.apps.worker).
READY_LINE = " ready."
# A key in a Redis database that a test has taken for itself (fresh_redis_database).
CLAIM_KEY = "stadtkatalog-test:claimed-by"


# --- brokers ----------------------------------------------------------------------------------


def _skip_or_fail(require_variable: str, reason: str) -> None:
    if os.environ.get(require_variable) == "1":
        pytest.fail(f"{require_variable}=1 but {reason}")
    pytest.skip(reason)


def redis_url_or_skip() -> str:
    """The Redis server named by CATALOG_TEST_REDIS_URL, answering a PING."""
    import redis

    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        _skip_or_fail(
            REQUIRE_REDIS_VARIABLE,
            f"worker tests need {REDIS_URL_VARIABLE} (e.g. redis://127.0.0.1:6379/0)",
        )
        raise AssertionError("unreachable")
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=3) as client:
            client.ping()
    except redis.RedisError as exc:
        _skip_or_fail(REQUIRE_REDIS_VARIABLE, f"Redis at {REDIS_URL_VARIABLE}={url}: {exc}")
    return url


@contextmanager
def fresh_redis_database(url: str) -> Iterator[str]:
    """A database on the server at `url` that nobody else uses: empty, without clients, taken
    with a claim key (so parallel runs and any worker of another checkout, which would take
    our tasks from the same queue, stay apart); emptied afterwards. Starts at the URL's own
    database number."""
    import redis

    first = int(redis.connection.parse_url(url).get("db") or 0)
    claim = uuid.uuid4().hex
    with redis.Redis.from_url(url) as probe:
        count = int(probe.config_get("databases").get("databases", 16))
        me = probe.client_id()
        busy = {int(client["db"]) for client in probe.client_list() if client["id"] != me}
    for db in [*range(first, count), *range(first)]:
        if db in busy:
            continue
        candidate = _with_db(url, db)
        with redis.Redis.from_url(candidate) as client:
            if client.dbsize() != 0:
                continue
            if not client.set(CLAIM_KEY, claim, nx=True, ex=3600):
                continue
        break
    else:
        pytest.fail(f"no free Redis database on {url} (all {count} in use)")
    try:
        yield candidate
    finally:
        with redis.Redis.from_url(candidate) as client:
            if client.get(CLAIM_KEY) == claim.encode():
                client.flushdb()


def _with_db(url: str, db: int) -> str:
    base, _, last = url.rstrip("/").rpartition("/")
    return f"{base}/{db}" if last.isdigit() else f"{url.rstrip('/')}/{db}"


def amqp_url_or_skip() -> str:
    """The RabbitMQ server named by CATALOG_TEST_AMQP_URL, accepting a connection; the harvest
    queue emptied of what an earlier run may have left."""
    from kombu import Connection

    url = os.environ.get(AMQP_URL_VARIABLE)
    if not url:
        _skip_or_fail(
            REQUIRE_AMQP_VARIABLE,
            f"worker tests on RabbitMQ need {AMQP_URL_VARIABLE} "
            "(e.g. amqp://guest:guest@127.0.0.1:5672//)",
        )
        raise AssertionError("unreachable")
    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:
        _skip_or_fail(REQUIRE_AMQP_VARIABLE, f"RabbitMQ at {AMQP_URL_VARIABLE}={url}: {exc}")
    return url


def purge_harvest_queue(broker_url: str) -> None:
    """Drop the tasks an earlier run left in the harvest queue (declaring it if need be)."""
    from harvesters.queue.app import QUEUE

    app = Celery("purge", broker=broker_url, set_as_current=False)
    app.conf.task_default_queue = QUEUE
    try:
        app.control.purge()
    finally:
        app.close()


# --- config -----------------------------------------------------------------------------------


def write_queue_config(
    path: Path,
    sources: list[dict[str, Any]],
    *,
    batch_size: int = 10,
    visibility_timeout_seconds: int = 3600,
) -> Path:
    """The bundled config.yaml with these sources instead of the demo's, and small batches."""
    config = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
    config["sources"] = sources
    config["tasks"] = {
        "batch_size": batch_size,
        "visibility_timeout_seconds": visibility_timeout_seconds,
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def write_generated_source(
    folder: Path, source: str, datasets: int, **queue: int
) -> tuple[list[str], Path]:
    """A generated DCAT-AP.de file of `datasets` datasets (tests.generated_dcat) and a queue
    config whose one manual source `source` reads it; the datasets' names and the config."""
    source_file = folder / f"{source}.ttl"
    names = write_dcat_catalog(source_file, datasets)
    config = write_queue_config(
        folder / "config.yaml",
        [
            {
                "name": source,
                "type": "dcat",
                "path": str(source_file),
                "organization": "umweltamt",
                "schedule": "manual",
            }
        ],
        **queue,
    )
    return names, config


def queue_environment(
    config: Path, data_dir: Path, database_url: str, broker_url: str
) -> dict[str, str]:
    """What every process of the test gets: one config, one database, one broker."""
    env = node_environment(data_dir, database_url)
    env.update(CATALOG_CONFIG=str(config), CATALOG_BROKER_URL=broker_url)
    return env


# --- worker processes -------------------------------------------------------------------------


@dataclass(frozen=True)
class ActiveTask:
    """A task a worker's pool process is running, as `celery inspect active` reports it."""

    id: str
    name: str
    args: list[Any]
    pid: int


class WorkerProcess:
    """One `catalog worker` process with its pool; start, find its children, kill, stop.

    It runs in a session of its own, so that the whole worker (main process and pool) can be
    killed at once, as when its machine is lost, and nothing of it outlives the test."""

    def __init__(
        self, name: str, env: dict[str, str], log_dir: Path, *, concurrency: int = 2
    ) -> None:
        self.name = name
        self.env = env
        self.concurrency = concurrency
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} is not running"
        return self.process.pid

    @property
    def hostname(self) -> str:
        """The node name cli/queue.py gives the worker (for remote control)."""
        return f"stadtkatalog-{self.pid}@{socket.gethostname()}"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def start(self) -> None:
        self.launch()
        self.wait_until_ready()

    def launch(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*CATALOG, "worker", f"--concurrency={self.concurrency}", "--loglevel=INFO"],
                env=self.env,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_ready(self) -> None:
        """Until the worker consumes from the queue with its whole pool forked."""
        assert self.process is not None, f"{self.name} was not launched"
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log()[-3000:]}")
            if READY_LINE in self.log() and len(self.children()) == self.concurrency:
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not get ready: {self.log()[-3000:]}")

    def children(self) -> list[int]:
        """The pool's processes (the worker forks them; it replaces one that dies)."""
        found: list[int] = []
        for task in Path(f"/proc/{self.pid}/task").glob("*"):
            try:
                found += [int(pid) for pid in (task / "children").read_text().split()]
            except (FileNotFoundError, ProcessLookupError):
                continue  # the thread ended meanwhile
        return sorted(set(found))

    def active_tasks(self, broker_url: str) -> list[ActiveTask]:
        """What the pool runs now, asked over the broker (Celery's remote control)."""
        app = Celery("inspect", broker=broker_url, set_as_current=False)
        try:
            inspect = app.control.inspect(destination=[self.hostname], timeout=5, limit=1)
            replies = inspect.active() or {}
        finally:
            app.close()
        return [
            ActiveTask(task["id"], task["name"], list(task["args"]), int(task["worker_pid"]))
            for task in replies.get(self.hostname, [])
        ]

    def kill_mid_task(
        self, broker_url: str, task_name: str, *, whole_worker: bool = False
    ) -> ActiveTask | None:
        """SIGKILL a pool process in the middle of a task of that name (with `whole_worker`,
        the worker's main process and pool with it) and return the task; None if no pool
        process runs one now. Each pool process is stopped (SIGSTOP) while the worker is asked
        what it runs, so that the task it is found running is still unfinished when it dies."""
        for pid in self.children():
            try:
                os.kill(pid, signal.SIGSTOP)
            except ProcessLookupError:
                continue  # replaced meanwhile
            try:
                running = [
                    task
                    for task in self.active_tasks(broker_url)
                    if task.pid == pid and task.name == task_name
                ]
                if running:
                    if whole_worker:
                        self.kill()
                    else:
                        os.kill(pid, signal.SIGKILL)
                    return running[0]
            finally:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
        return None

    def kill(self) -> None:
        """SIGKILL the whole worker, main process and pool together: nothing of it hands its
        task back; the broker does so after tasks.visibility_timeout_seconds."""
        if self.process is None:
            return
        _kill_session(self.process.pid)
        self.process.wait(timeout=STOP_SECONDS)
        self.process = None

    def stop(self) -> None:
        """SIGTERM (warm shutdown: running tasks end first), SIGKILL on timeout; and whatever
        of the session is left, so no pool process outlives the test."""
        if self.process is None:
            return
        process, self.process = self.process, None
        try:
            process.terminate()
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        finally:
            _kill_session(process.pid)
            process.wait(timeout=STOP_SECONDS)


def _kill_session(session_id: int) -> None:
    with suppress(ProcessLookupError):  # every process of it has ended
        os.killpg(session_id, signal.SIGKILL)


@contextmanager
def running_workers(
    env: dict[str, str], log_dir: Path, *, count: int = 2, concurrency: int = 2
) -> Iterator[list[WorkerProcess]]:
    """`count` workers started (side by side) and ready, stopped afterwards whatever happened."""
    with ExitStack() as stack:
        workers = []
        for number in range(1, count + 1):
            worker = WorkerProcess(f"worker-{number}", env, log_dir, concurrency=concurrency)
            stack.callback(worker.stop)
            worker.launch()
            workers.append(worker)
        for worker in workers:
            worker.wait_until_ready()
        yield workers


# --- watching a job ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchProgress:
    done: int
    staged: int
    total: int | None  # known once the gather has ended

    @property
    def midway(self) -> bool:
        """Some batches done and several still to do (whatever the gather's state)."""
        remaining = (self.total if self.total is not None else self.staged + 1) - self.done
        return self.done >= 2 and remaining >= 3

    @property
    def past_middle(self) -> bool:
        return self.total is not None and self.total - self.done < 3


def batch_progress(engine: Engine, job_id: int) -> BatchProgress:
    """How far the job's batches are, read from the database the workers write to."""
    with engine.connect() as connection:
        done = connection.scalar(
            select(func.count())
            .select_from(HarvestBatch)
            .where(HarvestBatch.job_id == job_id, HarvestBatch.done.is_(True))
        )
        staged = connection.scalar(
            select(func.count()).select_from(HarvestBatch).where(HarvestBatch.job_id == job_id)
        )
        total = connection.scalar(select(HarvestJob.batch_total).where(HarvestJob.id == job_id))
    return BatchProgress(int(done or 0), int(staged or 0), total)


@dataclass(frozen=True)
class JobReport:
    """A job's row as its report page shows it."""

    id: int
    status: JobStatus
    new: int
    updated: int
    unchanged: int
    failed: int
    withdrawn: int


def jobs_of(engine: Engine, source_name: str) -> list[JobReport]:
    """The source's jobs, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                HarvestJob.id,
                HarvestJob.status,
                HarvestJob.new_count,
                HarvestJob.updated_count,
                HarvestJob.unchanged_count,
                HarvestJob.failed_count,
                HarvestJob.withdrawn_count,
            )
            .join(HarvestSource)
            .where(HarvestSource.name == source_name)
            .order_by(HarvestJob.id)
        )
        return [JobReport(*row) for row in rows]


def revisions_per_record(engine: Engine, source_name: str) -> dict[str, int]:
    """Each stored record of the source (by its key at the source) with its revision count."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(DatasetRecord.remote_id, func.count(Revision.id))
            .join(HarvestSource, DatasetRecord.source_id == HarvestSource.id)
            .outerjoin(Revision, Revision.record_id == DatasetRecord.id)
            .where(HarvestSource.name == source_name)
            .group_by(DatasetRecord.remote_id)
        )
        return {str(key): int(count) for key, count in rows}


def kill_mid_batch(
    engine: Engine,
    source_name: str,
    workers: list[WorkerProcess],
    broker_url: str,
    *,
    whole_worker: bool = False,
    deadline_seconds: float = 120.0,
) -> tuple[WorkerProcess, ActiveTask]:
    """Wait until the source's newest job has some batches done and several not, then SIGKILL
    a pool process (or with `whole_worker` its whole worker) that is running a batch; returns
    that worker and the batch task."""
    from harvesters.queue.app import BATCH

    deadline = time.monotonic() + deadline_seconds
    progress = BatchProgress(0, 0, None)
    while time.monotonic() < deadline:
        jobs = jobs_of(engine, source_name)
        if jobs:
            progress = batch_progress(engine, jobs[-1].id)
            if progress.past_middle:
                break
            if progress.midway:
                for worker in workers:
                    task = worker.kill_mid_task(broker_url, BATCH, whole_worker=whole_worker)
                    if task is not None:
                        return worker, task
        time.sleep(0.05)
    pytest.fail(f"no pool process was found running a batch midway ({progress})")
