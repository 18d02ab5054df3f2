"""`telemetry-isolation`: a telemetry call whose failure can take the request down with it.

In the reorder-experiment postmortem a worker route ran
`await Promise.all([trackReminderTriggered(), trackReminderDelivered()])`; when PostHog was
unavailable the wrappers threw, `Promise.all` rejected, the worker answered 500 and the cron
counted a failed run although every database write had succeeded. Telemetry is a side effect
the user never asked for: its outage must never decide the status of a request.

Two rules, for server code only (a file `runtime_of` calls client is skipped: a browser-side
capture cannot fail a request):

* **(a) `Promise.all`**: a telemetry call (a direct emission, `flush`/`shutdown` included, or a
  call of an emitter wrapper that does not catch inside its own body) that is an element of the
  array handed to `Promise.all`, written in the literal or returned by a `.map(...)` callback,
  without its own `.catch(...)`. The finding sits on the telemetry call, not on the
  `Promise.all`: that is the line the fix touches (add `.catch`, or switch the combinator), and a
  `Promise.all` over several calls gets one finding per unprotected call. Anywhere in server
  code, not only in handlers: a helper that rejects hands the failure to whoever awaits it.
* **(b) awaited in a handler**: an awaited telemetry call in a route handler (Next.js App Router
  and Pages API handlers, Express/Hono/Fastify registrations, server actions, and the
  callbacks an auth library runs inside its sign-in request: NextAuth/Auth.js `callbacks`,
  better-auth `hooks` and `databaseHooks`, see `lang.typescript.auth_callbacks`)
  that no try/catch
  isolates: outside any try, or inside a try whose catch rethrows or answers 4xx/5xx (a webhook
  sender retries, a user sees an error). A handler re-exported from another module is followed
  to the function that defines it.

Fine: `Promise.allSettled`, a per-call `.catch()`, a try/catch whose catch neither rethrows nor
answers with an error (it logs and carries on), a call inside `after(...)`/`waitUntil(...)` (the
response is already on its way), and a wrapper whose own body catches every telemetry failure
(followed across files through `EmitterIndex`: many real `track()` helpers swallow errors, so
`await track()` is safe there). A `Promise.all` inside a try whose catch swallows is fine too:
the failure stops there.

Found hunting false positives in real code (each is a `good/` example):

* A wrapper counts only when a telemetry failure can leave it: its body awaits (or gathers in a
  `Promise.all`) an emission or another such wrapper, at most three functions deep, without
  catching. Business functions that also queue an event (`posthog.capture()` without await, as
  in rallly's Stripe webhook mutations) cannot reject because of it, and awaiting them in a
  handler whose catch answers 400 is not a telemetry risk. Conversely a helper that only awaits
  `flush()` (rallly's `flushPostHog()`) is a wrapper although it sends no event.
* Express/Pages/Fastify handlers that already sent the response (`res.status(200).json(data);`
  as a statement of its own, earlier in an enclosing block) before awaiting telemetry: the
  failure can no longer change the status. A send inside an `if` does not count.

Known gaps: handlers that the route layer does not recognise (Vercel root `api/*.js`
functions, Cloudflare `onRequestPost`), server-component pages awaiting `shutdown()`, and
wrappers that reject through a hand-made `new Promise` around a callback-style `flush(cb)`.
"""

from __future__ import annotations

from pytest_lessons.checks.base import ByHalf, Check
from pytest_lessons.checks.telemetry_isolation.options import TelemetryIsolationOptions
from pytest_lessons.checks.telemetry_isolation.python import PythonHalf
from pytest_lessons.checks.telemetry_isolation.typescript import HandlerScope, TypeScriptHalf

__all__ = ["HandlerScope", "TelemetryIsolation", "TelemetryIsolationOptions"]


class TelemetryIsolation(Check[TelemetryIsolationOptions, ByHalf]):
    options_model = TelemetryIsolationOptions
    halves = (PythonHalf, TypeScriptHalf)
    shares_facts = "telemetry"
