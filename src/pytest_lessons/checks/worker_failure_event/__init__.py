"""`worker-failure-event`: a cron or worker whose per-item failures vanish without an event.

In the reorder-experiment postmortem (issue 7) the per-user worker had no
`reminder_trigger_failed` event in its catch block and the cron no run-completed event after its
`Promise.allSettled`: failures went to a log line nobody read, and the dashboards showed a healthy
experiment. The rule is "a cron worker with no failure event in its catch block is incomplete".

Which code is a worker comes from the shared layers: the route layers say which handlers exist
and their full paths, `lang.common.schedules` which of those paths are cron or worker routes
(`vercel.json` crons, `/cron`, `/reorder-worker`, the `worker-paths` option), and in Python,
functions decorated as background jobs (`worker-decorators`: Celery, APScheduler, dramatiq) or
handed to a scheduler (`scheduler.add_job(run, ...)`). The helpers of the same file a worker
calls (three calls deep) are the worker too.

Two rules, inside that code:

* **a per-item catch that only logs**: a `try`/`catch` (`except`) or a `.catch(...)` inside a
  loop body or an iteration callback (`.map`, `.forEach`, `pMap`), or in a helper called from
  one, whose handler does nothing but log (`console.*`, `logger.*`, `log.*`, `print`), skip the
  item or return nothing. Any other call in the handler (an analytics capture, an error
  tracker, a status update, a push onto a list of failures) reports or records the failure, and
  the lesson stays quiet rather than guess whether that place is watched.
* **ignored batch results**: `Promise.allSettled(...)` or `asyncio.gather(...,
  return_exceptions=True)` whose result is dropped (or, in TypeScript, bound to a name never
  read), over promises that no catch handles: every rejection disappears.

Traps found in real code (each is a `good/` example):

* A catch around telemetry alone (`track(...).catch(() => {})`, `try { await
  posthog.capture() } catch {}`) is what `telemetry-isolation` asks for, not a swallowed item
  failure: the telemetry layer (emissions and emitter wrappers, followed across files) tells.
* With sentry-sdk in a Python project, `logger.error`/`logger.exception` records become Sentry
  events through its default logging integration, so they are failure events.

Why a code check and not a pattern: "inside a cron or worker route" needs the route layers
(paths joined across routers and `vercel.json`), "a helper called per item" needs the calls of
the file, and "only telemetry in the try" needs the telemetry layer across files; a pattern
sees one expression.
"""

from __future__ import annotations

from pytest_lessons.checks.base import ByHalf, Check
from pytest_lessons.checks.worker_failure_event.options import WorkerFailureEventOptions
from pytest_lessons.checks.worker_failure_event.python import PythonHalf
from pytest_lessons.checks.worker_failure_event.typescript import TypeScriptHalf

__all__ = ["WorkerFailureEvent", "WorkerFailureEventOptions"]


class WorkerFailureEvent(Check[WorkerFailureEventOptions, ByHalf]):
    options_model = WorkerFailureEventOptions
    halves = (PythonHalf, TypeScriptHalf)
    shares_facts = "telemetry"
