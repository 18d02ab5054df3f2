"""Celery tasks: background jobs, not routes, and the same failure mode."""

import logging

from celery import shared_task

from jobs.mail import due_users, refresh_token

log = logging.getLogger(__name__)


def _refresh_one(user_id: str) -> None:
    try:
        refresh_token(user_id)
    except Exception:  # lessons: expect[worker-failure-event]
        log.exception("token refresh failed for %s", user_id)


@shared_task
def refresh_tokens() -> None:
    for user in due_users():
        _refresh_one(user.id)
