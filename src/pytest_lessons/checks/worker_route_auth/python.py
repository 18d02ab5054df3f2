"""The Python half of `worker-route-auth`: FastAPI, Starlette and Flask routes nothing guards.

Every Python module is read: a dependency in `deps.py` decides a route in `routes/x.py`.
Extraction keeps each file's routes, import surface and per-function evidence
(`python_evidence`); judging joins them across modules (`python_guards`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.worker_route_auth.options import WorkerRouteAuthOptions
from pytest_lessons.checks.worker_route_auth.python_evidence import PythonFacts, python_facts
from pytest_lessons.checks.worker_route_auth.python_guards import Guards, Unguarded
from pytest_lessons.findings import Finding, Severity
from pytest_lessons.lang.python.markers import WEB_FRAMEWORKS
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["PythonHalf", "python_message"]


class PythonHalf(Half[WorkerRouteAuthOptions, PythonFacts]):
    name = "python"
    facts_model = PythonFacts
    file_kinds = frozenset({FileKind.PYTHON})

    def project_prefilter(self) -> tuple[bytes, ...]:
        """A web framework named somewhere: without one, no routes."""
        return WEB_FRAMEWORKS

    def extract(self, file: SourceFile) -> PythonFacts:
        return python_facts(file, self.options.secret_name_patterns)

    def is_subject(self, facts: PythonFacts) -> bool:
        return facts.routes is not None and bool(facts.routes.routes)

    def judge(self, facts: Mapping[str, PythonFacts]) -> Iterable[Finding]:
        return self.judge_routes(facts, facts.keys())

    def judge_routes(
        self, facts: Mapping[str, PythonFacts], files: Iterable[str]
    ) -> Iterable[Finding]:
        """Findings for the Python routes; `files` are every file read, which the import index
        uses to tell where packages start."""
        judge = Guards(facts, self.options.auth_helpers, files)
        globs = [route.glob for route in self.options.public()]
        globs.extend(self.options.auth_flow_routes)
        for verdict in judge.unguarded(globs):
            route = verdict.resolved.route
            message = python_message(verdict)
            if verdict.dev_only:
                message = (
                    "note: this router is included only under a development-only condition, so "
                    f"a production deployment does not serve it; still, {message}"
                )
            yield self.finding(
                verdict.rel,
                route.line,
                route.column,
                message,
                end_line=route.line,
                end_column=route.column,
                severity=Severity.WARNING if verdict.dev_only else None,
            )


def python_message(verdict: Unguarded) -> str:
    """What is unguarded and what would count, in the Python frameworks' terms."""
    route = verdict.resolved.route
    path = verdict.resolved.display_path
    django = verdict.resolved.django is not None
    if verdict.any_method:
        what = f"{path} (a view that serves every method, and calls {_calls(verdict)})"
    elif verdict.effects or route.methods_known:
        what = f"{'/'.join(route.methods)} {path}"
    else:
        what = f"{path} (methods= is not a literal list, so POST may be among them)"
    if django:
        add = (
            "decorate the view with login_required/permission_required/user_passes_test, give "
            "the class LoginRequiredMixin or DRF permission_classes other than AllowAny (or "
            "DEFAULT_PERMISSION_CLASSES in settings), or compare a secret from settings with a "
            "request header; csrf_exempt and require_POST are not auth"
        )
    else:
        add = (
            "add one (a security scheme alone accepts any value, and a rate limiter lets "
            "anyone through)"
        )
    if verdict.cron:
        return (
            f"cron route {what} runs without any auth check, so anyone can trigger the job: "
            "compare a secret from the environment or settings with a request header "
            "(hmac.compare_digest), or require an auth dependency, decorator or middleware"
        )
    if verdict.work_on_get:
        return (
            f"{what} calls {_calls(verdict)}, which changes state or starts work, without any "
            "auth check: a GET is still reachable by anyone (cron services and crawlers call "
            f"GET); {add}, or list the route in `public-routes` with a reason"
        )
    above = (
        "its decorators, its class (mixins, permission_classes) or a middleware in settings"
        if django
        else "its Depends/Security dependencies (route, router, include or app level), its "
        "decorators, a before_request hook or a middleware above it"
    )
    return (
        f"{what} changes state without any auth check (being 'internal' is not auth): "
        f"nothing in the handler, {above} compares a secret from the environment or settings "
        f"with the request, verifies a token or password, or answers 401/403; {add}, or list "
        "the route in `public-routes` with a reason"
    )


def _calls(verdict: Unguarded) -> str:
    effects = verdict.effects or ()
    if not effects:
        return "code that changes state"
    return ", ".join(f"{name}()" for name in effects[:3])
