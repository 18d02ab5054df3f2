"""The TypeScript half of `worker-route-auth`: Next.js, Express, Hono and Fastify handlers.

Every JS/TS file is read (a wrapper or helper may live in any module), with the JSON files that
shape module resolution and `vercel.json` (cron routes). Extraction keeps each file's routes
(`pytest_lessons.lang.typescript.routes`) and the auth evidence of its functions
(`typescript_evidence`); judging joins them across files (`typescript_guards`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence

from pytest_lessons.checks.typescript_project import TypeScriptProjectHalf
from pytest_lessons.checks.worker_route_auth.options import WorkerRouteAuthOptions
from pytest_lessons.checks.worker_route_auth.typescript_evidence import (
    TypeScriptFacts,
    inline_mount_units,
    module_units,
    optional_env_names,
)
from pytest_lessons.checks.worker_route_auth.typescript_guards import Guards
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.test_files import is_typescript_test_file
from pytest_lessons.lang.typescript.project_index import (
    JsContext,
    JsProject,
)
from pytest_lessons.lang.typescript.routes import (
    HandlerRef,
    RouteFileFacts,
    RouteHandler,
    route_facts,
)
from pytest_lessons.lang.typescript.syntax import root_of
from pytest_lessons.source import SourceFile

__all__ = ["TypeScriptHalf", "finding_message"]

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JUDGED_FRAMEWORKS = frozenset({"next-app", "next-pages-api", "express", "hono", "fastify"})


class TypeScriptHalf(TypeScriptProjectHalf[WorkerRouteAuthOptions, TypeScriptFacts]):
    facts_model = TypeScriptFacts

    def extract_source(self, file: SourceFile, context: JsContext) -> TypeScriptFacts:
        routes = route_facts(file)
        spans = [
            (ref.line, ref.column)
            for ref in _refs(routes)
            if ref.kind == "inline" and ref.line is not None and ref.column is not None
        ]
        patterns = self.options.secret_name_patterns
        root = root_of(file)
        units, inline = module_units(root, spans, patterns)
        mounts = inline_mount_units(
            root,
            [(m.line, m.column) for m in routes.mounts if "<inline>" in m.middlewares],
            patterns,
        )
        keep = routes if (routes.handlers or routes.middleware or routes.mounts) else None
        return TypeScriptFacts(
            context=context,
            routes=keep,
            units=units,
            inline=inline,
            mount_inline=mounts,
            optional_env=optional_env_names(file.text),
        )

    def is_subject(self, facts: TypeScriptFacts) -> bool:
        return facts.routes is not None and bool(facts.routes.handlers or facts.routes.middleware)

    def judge(self, facts: Mapping[str, TypeScriptFacts]) -> Iterable[Finding]:
        project = JsProject.build({rel: f.context for rel, f in facts.items()})
        judge = Guards(facts, project, self.options)
        public = self.options.public()
        for rel, file_facts in sorted(facts.items()):
            routes = file_facts.routes
            if routes is None or is_typescript_test_file(rel):
                continue
            for handler in routes.handlers:
                if handler.framework not in JUDGED_FRAMEWORKS or _dispatcher(handler):
                    continue
                shown = judge.mounted_path(rel, handler)
                cron = judge.is_cron(shown.path)
                if not cron and not _mutating(handler):
                    continue
                path = shown.path or ""
                if shown.path is not None and (
                    any(fnmatch.fnmatchcase(path, route.glob) for route in public)
                    or any(fnmatch.fnmatchcase(path, g) for g in self.options.auth_flow_routes)
                ):
                    continue
                if judge.protected(rel, routes, handler):
                    continue
                yield self.finding(
                    rel,
                    handler.line,
                    handler.column,
                    finding_message(shown, cron=cron, idle=judge.idle_verifies(rel, handler)),
                    end_line=handler.end_line,
                    end_column=handler.end_column,
                )


def _refs(routes: RouteFileFacts) -> Iterable[HandlerRef]:
    for handler in routes.handlers:
        yield handler.handler
    if routes.middleware is not None:
        yield routes.middleware.handler


def _dispatcher(handler: RouteHandler) -> bool:
    """`app.use("/api/v2/*", (c) => trpcHandler(c))`: a catch-all handing every request to another
    router (tRPC, ts-rest), whose own procedures carry the auth; judged where they are defined."""
    return (
        handler.framework in ("express", "hono", "fastify")
        and handler.method == "ANY"
        and handler.path is not None
        and handler.path.endswith("*")
    )


def _mutating(handler: RouteHandler) -> bool:
    if handler.method in MUTATING:
        return True
    return handler.method == "ANY" and not handler.safe_methods_only


def finding_message(handler: RouteHandler, *, cron: bool, idle: Sequence[str] = ()) -> str:
    path = handler.path or "<dynamic path>"
    idle_note = ""
    if idle:
        names = ", ".join(f"{name}(...)" for name in idle)
        idle_note = (
            f" ({names} cannot fail here: a promise tested without `await` is always truthy, "
            "and a true/false answer that is dropped stops nothing; await it and return 401 "
            "when it says no)"
        )
    if handler.method == "ANY":
        what = f"{path} (a handler serving any method, POST included)"
    else:
        what = f"{handler.method} {path}"
    if cron:
        return (
            f"cron route {what} runs without any auth check{idle_note}, so anyone can trigger "
            "the job: "
            "compare process.env.CRON_SECRET with the Authorization header (Vercel sends "
            "`Bearer $CRON_SECRET`), verify a QStash signature, or guard it in a wrapper or a "
            "middleware.ts whose matcher covers it"
        )
    return (
        f"{what} changes state without any auth check{idle_note} (being 'internal' is not "
        "auth): "
        "nothing in the handler, a helper it calls, its wrappers, its middlewares or a "
        "middleware.ts covering it compares a secret with the request, calls a session helper "
        "(getServerSession, auth(), ...), verifies a signature (QStash, Stripe constructEvent, "
        "svix) or answers 401/403; add one, or list the route in `public-routes` with a reason"
    )
