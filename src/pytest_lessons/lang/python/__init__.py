"""The Python layers that lessons share: imports and module surfaces, HTTP routes, telemetry.

They mirror `pytest_lessons.lang.typescript`: every layer has two halves so that per-file work
is cached and parallelisable and the cross-file joins stay in `judge`.

1. Per-file facts: a pydantic model extracted from one `SourceFile` through
   `file.derived("py-<layer>-v<N>", extract)`, over the file's single shared parse. Facts refer
   to code elsewhere only by name (a local name, an import binding, a dotted name such as
   `orders.router`) and hold expressions as source text, never nodes, so they can be cached by
   content hash and shipped to worker processes.
2. An index built at judge time from the facts of many files.

Layers, extraction first and index second where a layer has both:

- `surface` (the records), `surface_ast` and `surface_cst` (reading them), `module_names`
  (which dotted module a file is) and `imports` (`module_surface`, and `ImportIndex`,
  which follows names across modules: absolute and relative imports, package `__init__`
  re-exports, src and flat layouts);
- `routes` (FastAPI, Starlette and Flask handlers, routers, includes, middlewares) and
  `route_index` (`RouteIndex`: routes joined along `include_router` / `register_blueprint` /
  `Mount` chains into full paths with every inherited dependency, middleware and hook);
- `telemetry` (analytics calls and their context) and `emitter_index` (`EmitterIndex`:
  wrappers and event names across modules);
- `requirements` (what dependency files declare and pin) and `sqlalchemy_version` (which
  SQLAlchemy governs a directory);
- `syntax` and `markers` (helpers over libcst nodes; the words that gate whole projects).

What both languages share is defined once in `pytest_lessons.lang.common`. Nothing here imports
or runs the scanned code. A lesson never re-implements any of it.
"""
