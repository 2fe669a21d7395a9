"""Harvest jobs as tasks on a distributed queue (Celery with Redis or RabbitMQ).

A queued job is three kinds of task: `gather` reads the source and stages the mapped records in
batches (plan.py), `batch` prepares and saves one batch, `finish` withdraws what a complete read
no longer listed and closes the job. Tasks are acknowledged late, so a worker that dies hands
its task to another; every step is written so that running it twice changes nothing twice
(steps.py). Without a broker (tasks.broker_url empty) jobs run in-process (harvesters.runner).
"""

from __future__ import annotations

from dcat.bilingual import Bilingual


class QueueUnavailable(RuntimeError):
    """The broker did not take a job; `text` says so in German and English. (Here, not in
    enqueue.py, so that the web app can catch it without importing Celery.)"""

    def __init__(self, text: Bilingual) -> None:
        super().__init__(text.en)
        self.text = text
