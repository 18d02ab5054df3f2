"""What a catch may do and still swallow a failure: log it, skip the item, return nothing.

Both halves of `worker-failure-event` classify the calls of a catch body the same way. A catch
that only logs is the postmortem's case: the failure reaches a log line that no metric, alert or
dashboard reads. Any other call (an analytics capture, `Sentry.captureException`, a status update
in the database, a push onto a list of failures) reports or records it somewhere, and is not this
lesson's business: the check stays quiet rather than guess whether that place is watched.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence

__all__ = ["is_log_call", "only_not_found"]

_LEVELS = frozenset(
    {"log", "info", "warn", "warning", "error", "debug", "trace", "fatal", "exception", "critical"}
)
_ERROR_LEVELS = frozenset({"error", "exception", "critical", "fatal"})
_LOGGER = re.compile(r"^_*(?:[a-z]*_)?(?:log|logger|logging|console)$", re.IGNORECASE)


def is_log_call(
    callee: str,
    *,
    log_calls: Sequence[str] = (),
    failure_events: Sequence[str] = (),
    errors_reported: bool = False,
) -> bool:
    """Whether a call of `callee` (a dotted name) only writes a log line.

    `console.error`, `logger.warn`, `this.logger.error`, `log.exception`, `logging.warning`,
    `print`, `traceback.print_exc`, and the configured `log_calls`. A configured failure event
    never is; `errors_reported` (Python with sentry-sdk, whose logging integration turns records
    at ERROR and above into events) makes error-level records reports too.
    """
    if any(fnmatch.fnmatchcase(callee, name) for name in failure_events):
        return False
    if any(fnmatch.fnmatchcase(callee, name) for name in log_calls):
        return True
    if callee in ("print", "traceback.print_exc", "console.print"):
        return True
    receiver, _, method = callee.rpartition(".")
    if not receiver or method not in _LEVELS:
        return False
    if errors_reported and method in _ERROR_LEVELS:
        return False
    owner = receiver.rsplit(".", 1)[-1]
    return bool(_LOGGER.match(owner)) or owner.lower().endswith("logger")


_NOT_FOUND = re.compile(r"(?:DoesNotExist|NotFound|NotFoundError|NoResultFound|Http404)$")


def only_not_found(caught: Sequence[str | None]) -> bool:
    """Whether a Python `except` catches nothing but "no such row" (`Order.DoesNotExist`,
    `ObjectDoesNotExist`, SQLAlchemy's `NoResultFound`, `NotFound`, `Http404`): a job whose
    item is already gone has nothing left to do, which is no failure to report (a deletion job
    that returns when the row was deleted meanwhile). `caught` holds the dotted names of the
    handler's types, None for one that is not a plain name; a bare `except` catches all."""
    return bool(caught) and all(
        name is not None and _NOT_FOUND.search(name.rsplit(".", 1)[-1]) is not None
        for name in caught
    )
