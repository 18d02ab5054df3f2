"""The options of `worker-failure-event`, shared by its halves (defaults in the lesson's TOML)."""

from __future__ import annotations

from pytest_lessons.options import LessonOptions

__all__ = ["WorkerFailureEventOptions"]


class WorkerFailureEventOptions(LessonOptions):
    worker_paths: tuple[str, ...]
    """Globs of route paths that run background work besides `/cron`, `/worker` and the
    `vercel.json` crons (`/api/jobs/*`)."""
    worker_decorators: tuple[str, ...]
    """Python: globs of decorators that make a function a background job (`shared_task`,
    `*.task`, `*.scheduled_job`)."""
    failure_events: tuple[str, ...]
    """Dotted names of calls that report a failure although they look like logging
    (`logger.error` when the team's logger forwards errors to an error tracker)."""
    log_calls: tuple[str, ...]
    """Dotted names of calls that only log, besides `console.*`, `logger.*`, `log.*`, `print`."""
