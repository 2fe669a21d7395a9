"""Starting harvest jobs on the task queue: claim the source, then send its gather.

The job is claimed in the database first (one running job per source, on every machine), so a
steward or cron asking for a source whose job is queued or running is told so at once
(catalog.jobs.SourceBusy); a broker that cannot take the message fails the job with the reason
instead of leaving it "running".
"""

from __future__ import annotations

import logging

from celery import Celery

from catalog.jobs import JobCounts, claim_source, finish_job
from catalog.models import HarvestSource
from catalog.settings import Settings
from catalog.store import Store
from dcat.bilingual import Bilingual
from harvesters.base import cause_text
from harvesters.queue import QueueUnavailable
from harvesters.queue.app import CeleryDispatch, celery_app

log = logging.getLogger(__name__)


def enqueue_harvest(
    store: Store, settings: Settings, source: HarvestSource, *, force: bool = False
) -> int:
    """Start the source's job on the queue and return its id; SourceBusy if one runs."""
    job_id = claim_source(
        store, source.id, stale_after=settings.harvest.stale_after, queued=True, force=force
    )
    try:
        CeleryDispatch(_sending_app(settings)).send_gather(job_id)
    except Exception as exc:
        text = Bilingual(
            "Die Warteschlange hat den Auftrag nicht angenommen: ",
            "The task queue did not take the job: ",
        ) + cause_text(exc)
        finish_job(store, job_id, JobCounts(), gather_complete=False, failed=True, message=text)
        log.error("source %s: %s", source.name, text.en)
        raise QueueUnavailable(text) from exc
    log.info("source %s: job %d queued", source.name, job_id)
    return job_id


_APPS: dict[tuple[str, int], Celery] = {}


def _sending_app(settings: Settings) -> Celery:
    """One app (and connection pool) per broker in a sending process."""
    key = (settings.tasks.broker_url, settings.tasks.visibility_timeout_seconds)
    if key not in _APPS:
        _APPS[key] = celery_app(settings)
    return _APPS[key]
