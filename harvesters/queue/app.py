"""The Celery application: the three task types, delivered at least once.

Tasks are acknowledged only after they ran (`acks_late`), and a task whose worker process died
is handed out again (`reject_on_worker_lost`); each worker takes one task at a time
(prefetch 1), so a long gather never holds batches that another worker could take. Messages
are JSON and carry ids only: the work itself is in the database (harvesters.queue.plan).
No result backend: job state and counts are in the database, where every page reads them.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

from catalog.ingest import RecordPreparer
from catalog.settings import Settings
from catalog.store import open_store
from harvesters.queue import steps

GATHER = "stadtkatalog.harvest.gather"
BATCH = "stadtkatalog.harvest.batch"
FINISH = "stadtkatalog.harvest.finish"
QUEUE = "stadtkatalog-harvest"


def celery_app(settings: Settings, *, preparer: RecordPreparer | None = None) -> Celery:
    """The app for the configured broker, with the harvest tasks bound to these settings.

    `preparer` (the loaded shapes) is shared by the worker processes forked after it."""
    tasks = settings.tasks
    app = Celery("stadtkatalog", broker=tasks.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_default_queue=QUEUE,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": tasks.visibility_timeout_seconds,
            # Redis: kombu looks for tasks of vanished workers every 10 s but by default scans
            # only every 10th time, which hands such a task out up to 100 s after the
            # visibility timeout; scan every time (one small Redis query per worker).
            "unacked_restore_throttle": 1,
        },
        worker_hijack_root_logger=False,
        # A worker with nothing to do should not keep RabbitMQ's channel busy with events.
        worker_send_task_events=False,
    )
    holder = _ProcessContext(settings, preparer)
    dispatch = CeleryDispatch(app)

    @app.task(name=GATHER)
    def gather(job_id: int) -> None:
        steps.gather(holder.get(), job_id, dispatch)

    @app.task(name=BATCH)
    def batch(job_id: int, number: int) -> None:
        steps.process_batch(holder.get(), job_id, number, dispatch)

    @app.task(name=FINISH, bind=True)
    def finish(task: Any, job_id: int) -> None:
        steps.finish(holder.get(), job_id, finisher=str(task.request.id))

    return app


class CeleryDispatch:
    """Hands a job's next steps to the queue, by task name."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    def send_gather(self, job_id: int) -> None:
        self.app.send_task(GATHER, args=[job_id])

    def send_batch(self, job_id: int, number: int) -> None:
        self.app.send_task(BATCH, args=[job_id, number])

    def send_finish(self, job_id: int) -> None:
        self.app.send_task(FINISH, args=[job_id])


class _ProcessContext:
    """One database engine per worker process (an engine must not cross a fork); the shapes
    loaded once, before the fork when the worker command preloads them."""

    def __init__(self, settings: Settings, preparer: RecordPreparer | None) -> None:
        self.settings = settings
        self.preparer = preparer
        self._pid: int | None = None
        self._context: steps.WorkerContext | None = None

    def get(self) -> steps.WorkerContext:
        if self._context is None or self._pid != os.getpid():
            self._pid = os.getpid()
            self.preparer = self.preparer or RecordPreparer(self.settings)
            store = open_store(self.settings.database_url)
            self._context = steps.WorkerContext(self.settings, store, self.preparer)
        return self._context
