"""The records of a JS/TS file's HTTP entry points: plain data, cached and joined by lessons.

The facts name other code only by name: a handler is `inline` (defined right there), `local` (a
binding of this file, with its span), `import` (an import's local name, resolved across files by the
lesson) or `unknown`. Wrappers (`withAuth(handler)`) and middlewares (`app.post(p, requireAuth, h)`)
are recorded as callee names, outermost first; whether they authenticate is for the lesson to judge,
since the evidence usually lives in another file.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pytest_lessons.lang.common.records import Record

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class HandlerRef(Record):
    """What actually handles the request: defined here, a local binding, an import, or unknown.

    `name` is the local binding name (or the import's local name; for a re-export
    `export { POST } from "./impl"` the name exported by `module`). `module`/`imported` repeat the
    import for convenience; the resolver remains the authority. The span is the function's (or the
    binding's value's) when it is in this file.
    """

    kind: Literal["inline", "local", "import", "unknown"]
    name: str | None = None
    module: str | None = None
    imported: str | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None


Framework = Literal[
    "next-app", "next-pages-api", "next-server-action", "express", "hono", "fastify"
]


class RouteHandler(Record):
    """One (method, path) a caller can reach, with what stands between the caller and the code."""

    framework: Framework
    method: str
    path: str | None
    params: list[str] = Field(default_factory=list)
    line: int
    column: int
    end_line: int
    end_column: int
    handler: HandlerRef
    wrappers: list[str] = Field(default_factory=list)
    middlewares: list[str] = Field(default_factory=list)
    safe_methods_only: bool = False
    exported_as: str | None = None  # "POST", "default", the server action's name
    receiver: str | None = None  # express-style: the object the route is registered on


class PageRoute(Record):
    """A page whose URL carries dynamic segments, and the ways the file reads them."""

    framework: Literal["next-app-page", "next-pages-page"]
    path: str
    params: list[str]
    line: int
    column: int
    end_line: int
    end_column: int
    uses: list[str] = Field(default_factory=list)
    # "props" | "await-params" | "use(params)" | "useParams" | "getServerSideProps"
    # | "getStaticProps" | "router-query"


TestOp = Literal["prefix", "equals", "contains", "suffix", "regex", "matcher", "unknown"]


class PathTest(Record):
    """A test of the request path against any of `values` (`unknown`: not readable)."""

    op: TestOp
    values: list[str] = Field(default_factory=list)


class PathCondition(Record):
    """A condition over path tests: `and`/`or`/`not` of children, or one `test`."""

    op: Literal["and", "or", "not", "test"]
    children: list[PathCondition] = Field(default_factory=list)
    test: PathTest | None = None


class PathGate(Record):
    """One step of a middleware body (`routes.middleware_paths`): a check every path reaching
    it meets (`protect`), a branch holding one (`guard`), or an early way through (`skip`)."""

    kind: Literal["protect", "guard", "skip"]
    condition: PathCondition | None = None


class MiddlewareFacts(Record):
    """A Next.js `middleware.ts` / `proxy.ts`: where it runs and whether it can say no."""

    matchers: list[str] | None  # None: no config.matcher, runs on every path
    conditional_matchers: list[str] = Field(default_factory=list)  # with has/missing: skippable
    matcher_dynamic: bool = False  # config.matcher is not a literal; `matchers` is then []
    line: int
    column: int
    end_line: int
    end_column: int
    rejects: bool
    redirects: bool = False
    calls: list[str] = Field(default_factory=list)
    exported_as: Literal["middleware", "proxy", "default"]
    wrapped_by: list[str] = Field(default_factory=list)
    handler: HandlerRef
    project_root: str = ""
    path_gates: list[PathGate] | None = None
    """How the body branches on the pathname before saying no; None when it cannot be read."""


class Mount(Record):
    """`app.use(path?, ...fns)` / `fastify.addHook("preHandler", fn)`: app-level middleware.

    Hono's `app.route("/x", sub)` is a mount too, with no middlewares: `sub_app` names the mounted
    app, whose routes serve under `path` behind the middlewares `use`d on `receiver` before it.
    """

    receiver: str
    path: str | None
    middlewares: list[str]
    sub_app: str | None = None
    line: int
    column: int
    end_line: int
    end_column: int


class RouteFileFacts(Record):
    handlers: list[RouteHandler] = Field(default_factory=list)
    pages: list[PageRoute] = Field(default_factory=list)
    middleware: MiddlewareFacts | None = None
    mounts: list[Mount] = Field(default_factory=list)
    star_reexports: list[str] = Field(default_factory=list)  # `export * from` in a route file
    project_root: str | None = None  # the Next.js project dir ("" at the repo root), if any
