"""Celery tasks: run one migration job; beat's sweep for jobs a dead worker left."""
from celery import shared_task

from . import jobs


@shared_task(name="mailcore.migration.run", ignore_result=True, acks_late=True)
def run_migration(job_id: int) -> bool:
    return jobs.run_job(job_id)


@shared_task(name="mailcore.migration.resume_stalled", ignore_result=True)
def resume_stalled_migrations() -> list[int]:
    return jobs.resume_stalled()
