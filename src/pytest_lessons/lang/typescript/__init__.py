"""The JavaScript/TypeScript layers that lessons share: syntax, modules, routes, telemetry.

Every layer has the same two halves, so that per-file work is cached and parallelisable and the
cross-file joins stay in `judge`:

1. Per-file facts: a pydantic model extracted from one `SourceFile` through
   `file.derived("js-<layer>-v<N>", extract)`, so several lessons reading the same file share one
   extraction (and the single ast-grep parse under it). Facts refer to code elsewhere only by
   name: a local binding name, or an import (specifier + imported name). They never hold nodes.
2. An index built at judge time from the facts of many files, which resolves those names across
   files with `pytest_lessons.lang.typescript.resolver` (relative imports, index files,
   tsconfig/jsconfig `paths`, monorepo workspace packages, re-exports).

Layers: `syntax` (helpers over ast-grep nodes), `modules` and `project` and `resolver` (imports,
exports, constants, tsconfig/package.json, resolution; `project_index` builds them once per
judge), `routes` (HTTP handlers and pages by routing style, with middleware matchers; `vercel`
and `matcher` for crons and matcher coverage), `runtime` (client or server code), `telemetry`
(analytics calls and their context), `emitter_index` (wrappers and event names across files) and
`call_reach` (which calls may lead to a wrapper, told from names without resolving each call).
What both languages share is defined once in `pytest_lessons.lang.common`. A lesson never
re-implements any of them.
"""
