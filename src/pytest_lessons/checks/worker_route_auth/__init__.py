"""`worker-route-auth`: a mutating (or cron) HTTP handler that nothing authenticates.

The postmortem's `/api/reorder-worker` was "internal": only the cron trigger was supposed to call
it, so nobody checked who did, and anyone who found the URL could POST reorders. Being unlisted is
not an auth mechanism. This lesson asks, of every handler that changes state (POST, PUT, PATCH,
DELETE, a Pages API handler that does not restrict itself to safe methods) and of every cron route
(listed in `vercel.json` or under a `/cron` segment, whatever its method), whether anything between
the caller and the code can say no.

What counts, looked for in this order:

1. the handler's own body, a helper it calls, or a wrapper around it (`withAuth(handler)`,
   `withError(withQstashOrInternal(...))`) shows evidence (see `typescript_evidence`): a secret from
   the environment compared with the request, a session helper call, a signature check, a
   401/403 answer. Helpers and wrappers are followed across files (and workspace packages)
   through `JsProject.symbols`, several levels deep; a wrapper or session helper that is not in the
   repository counts by its name;
2. an Express/Hono middleware argument (`app.post(p, requireAuth, h)`) whose definition shows
   evidence or whose name says auth, or an earlier `app.use(...)` on the same receiver (or a mount
   of this file's router behind such a middleware, in another file);
3. a Next.js `middleware.ts`/`proxy.ts` of the same project whose matcher covers the route and that
   rejects (401/403), or shows evidence without merely redirecting (a redirect to /login protects
   no API), or is wrapped by an auth wrapper (`clerkMiddleware`, `withAuth`, `auth`).

Routes listed in the `public-routes` option (a glob on the route path, with the reason) are not
flagged. Server actions are out of scope: their auth story is the page's.

Python web apps (FastAPI, Starlette, Flask) are judged by `python` with the same options and
the same strictness: routes from the shared routes layer, dependencies, decorators, hooks and
middlewares followed into their definitions across modules.
"""

from __future__ import annotations

from collections.abc import Iterable

from pytest_lessons.checks.base import ByHalf, Check, FactsByHalf
from pytest_lessons.checks.worker_route_auth.options import PublicRoute, WorkerRouteAuthOptions
from pytest_lessons.checks.worker_route_auth.python import PythonHalf
from pytest_lessons.checks.worker_route_auth.typescript import TypeScriptHalf
from pytest_lessons.findings import Finding

__all__ = ["PublicRoute", "WorkerRouteAuth", "WorkerRouteAuthOptions"]


class WorkerRouteAuth(Check[WorkerRouteAuthOptions, ByHalf]):
    options_model = WorkerRouteAuthOptions
    halves = (PythonHalf, TypeScriptHalf)
    shares_facts = "routes"
    version = 6

    def judge_halves(self, facts: FactsByHalf) -> Iterable[Finding]:
        """Each half judges its own routes; the Python import index also sees every other file
        read (their paths only), which is how it tells where packages start."""
        yield from self.half(PythonHalf).judge_routes(facts.of(PythonHalf), facts.paths)
        yield from self.half(TypeScriptHalf).judge(facts.of(TypeScriptHalf))
