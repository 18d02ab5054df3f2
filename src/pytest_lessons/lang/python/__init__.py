"""The Python layers that lessons share: imports and module surfaces, HTTP routes.

They mirror `pytest_lessons.lang.typescript`: every layer has two halves so that per-file work
is cached and parallelisable and the cross-file joins stay in `judge`.

1. Per-file facts: a pydantic model extracted from one `SourceFile` through
   `file.derived("py-<layer>-v<N>", extract)`, over the file's single shared libcst parse
   (`SourceFile.python_module()` / `python_metadata()`). Facts refer to code elsewhere only by
   name (a local name, an import binding, a dotted name such as `orders.router`) and hold
   expressions as source text, never nodes, so they can be cached by content hash and shipped
   to xdist workers.
2. An index built at judge time from the facts of many files: `imports.PythonImportIndex`
   follows names across modules (absolute and relative imports, package `__init__` re-exports,
   src and flat layouts); `routes.RouteIndex` joins route facts along `include_router` /
   `register_blueprint` / `Mount` chains into full paths with every inherited dependency,
   middleware and `before_request` hook.

Layers: `imports` (module names, import bindings, top-level signatures), `routes` (FastAPI,
Starlette and Flask handlers, routers, includes, middlewares). Nothing here imports or runs the
scanned code. A lesson never re-implements any of them.
"""
