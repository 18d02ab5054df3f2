"""Analytics emitters in Python: which calls send an event, which event, and in what context.

The Python counterpart of `lang.typescript.telemetry`, for the same two lessons of the reorder
postmortem: an event captured by the backend and again by a client (`single-emission-source`),
and a telemetry call whose failure takes the request down with it (`telemetry-isolation`).

Per file (`telemetry_facts`, cached as `file.derived("py-telemetry-v1:<extras>", ...)`):

* `Emission`: a call on a recognised analytics client.

  - posthog-python: the module API (`import posthog; posthog.capture(...)`), clients built with
    `Posthog(...)` / `posthog.Posthog(...)` and assigned to a name (`ph = Posthog(...)`) or an
    attribute (`settings.posthog = ...`, `self.client = ...`), and, failing that, any receiver
    whose last name mentions posthog (`self._posthog`, `request.app.state.posthog`) because
    clients are commonly built in the app's own `analytics.py`.
  - Segment analytics-python: `import analytics`, `import segment.analytics as analytics`,
    `from segment import analytics`, and `Client(...)` instances (`analytics.Client(...)`).
  - configured `extra-emitters` (dotted names; the event is the first argument or `event=`).

  The event of a posthog `capture` depends on the SDK version, and the call tells which one it
  uses (`capture_style`): `event=` names it outright ("keyword"); a `distinct_id=` keyword means
  the new signature of posthog-python 6+ (`capture(event, distinct_id=..., properties=...)`), so
  the event is the first positional ("new"); two or more positionals mean the old signature
  (`capture(distinct_id, event, properties)`), event second ("old"); a single positional with no
  `distinct_id=` is the new signature relying on the context's distinct id ("new"). Segment's
  `track(user_id, event, ...)` always has the event second or `event=`.
* `CallSite`: a call of a name this file defines or imports (and `self.method(...)`): maybe an
  emitter wrapper, maybe a client built in another module; only the index can tell.
* Calls handed to a runner are recorded as calls of the function they name:
  `await asyncio.to_thread(posthog.capture, ...)` (and `run_in_executor`, anyio `run_sync`) is an
  awaited capture; `background_tasks.add_task(posthog.capture, ...)` (and `BackgroundTask`,
  `executor.submit`, `start_soon`) and the coroutine given to `asyncio.create_task(...)` /
  `ensure_future(...)` are `deferred`: they run outside the request's await chain.
* Every site keeps its context: the enclosing top-level function (`Class.method` for methods,
  `nested` when inside an inner def or lambda), whether it is awaited, the nearest enclosing
  `try` (or `with suppress(...)`) whose handlers can catch a telemetry failure and what that
  handler does with it (`catch_effect`), and the `asyncio.gather(...)` it is an argument of.
  A handler catches a telemetry failure when it is bare or names `Exception`, `BaseException`
  or a network error class (`OSError`, `ConnectionError`, `TimeoutError`, `*RequestException`,
  `*HTTPError`, ...); `except ValueError` cannot catch an outage, and its text is kept (`narrow`)
  so a message can say so.

Both readers (`from_ast`, the fast path over the standard library's parser, and `from_cst`, the
libcst fallback for syntax the running interpreter rejects) feed one `collect.Collector`, which
makes every decision above; `facts` holds the records. At judge time `emitter_index.EmitterIndex`
joins these facts across modules.
"""

from __future__ import annotations

from collections.abc import Sequence

from pytest_lessons.lang.python.ast_source import ast_module
from pytest_lessons.lang.python.imports import module_surface
from pytest_lessons.lang.python.telemetry.collect import bindings_of
from pytest_lessons.lang.python.telemetry.facts import (
    OTHER_METHODS,
    SEND_METHODS,
    CallSite,
    CaptureStyle,
    Emission,
    EmitterKind,
    FunctionTelemetry,
    Gather,
    Site,
    TelemetryFacts,
    capture_event,
)
from pytest_lessons.lang.python.telemetry.from_ast import ast_facts
from pytest_lessons.source import SourceFile

__all__ = [
    "FACTS_KEY",
    "OTHER_METHODS",
    "SEND_METHODS",
    "CallSite",
    "CaptureStyle",
    "Emission",
    "EmitterKind",
    "FunctionTelemetry",
    "Gather",
    "Site",
    "TelemetryFacts",
    "capture_event",
    "telemetry_facts",
]

FACTS_KEY = "py-telemetry-v1"


def telemetry_facts(file: SourceFile, extra_emitters: Sequence[str] = ()) -> TelemetryFacts:
    """The file's telemetry facts, extracted once per run and set of extra emitter names."""
    extras = tuple(sorted(set(extra_emitters)))
    return file.derived(f"{FACTS_KEY}:{','.join(extras)}", lambda f: _extract(f, extras))


def _extract(file: SourceFile, extras: tuple[str, ...]) -> TelemetryFacts:
    bindings = bindings_of(module_surface(file))
    try:
        return ast_facts(ast_module(file), bindings, extras)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # newer syntax than the interpreter's, or a real error libcst reports with its position
        # (libcst, a tenth of a second to import, is imported only then)
        from pytest_lessons.lang.python.telemetry.from_cst import cst_facts

        return cst_facts(file.python_metadata(), bindings, extras)
