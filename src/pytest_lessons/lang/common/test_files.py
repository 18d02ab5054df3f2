"""Which scanned files are tests: routes declared there exercise a framework, nobody is served them.

Route lessons (`worker-route-auth`, `url-id-lookup`) judge the routes an application serves. A
FastAPI app built inside a pytest fixture, or a Next.js handler exported from a `*.test.ts` to be
called by the test, is never deployed, so a route lesson does not read it; every other lesson
still reads test files (a leaked secret or a misused API in a test is still worth saying).

The conventions are the test runners' own, per language, so a served folder that happens to be
called `test` in a Next.js app (`app/test/[id]/page.tsx` is a real URL) is not taken for one:

- Python (pytest's discovery and the usual layouts): a `tests/`, `test/` or `testing/` folder,
  `test_*.py`, `*_test.py`, `*_tests.py` and `conftest.py`.
- JavaScript/TypeScript (Jest, Vitest, Playwright): `__tests__/` and `__mocks__/` folders and
  `*.test.*` / `*.spec.*` files.
"""

from __future__ import annotations

import re

__all__ = ["is_python_test_file", "is_test_file", "is_typescript_test_file"]

_PYTHON = re.compile(r"(^|/)(tests?|testing)/|(^|/)(test_[^/]*|[^/]*_tests?|conftest)\.py$")
_TYPESCRIPT = re.compile(r"(^|/)(__tests__|__mocks__)/|\.(test|spec)\.[cm]?[jt]sx?$")
_PYTHON_SUFFIXES = (".py", ".pyi")


def is_python_test_file(rel: str) -> bool:
    return bool(_PYTHON.search(rel))


def is_typescript_test_file(rel: str) -> bool:
    return bool(_TYPESCRIPT.search(rel))


def is_test_file(rel: str) -> bool:
    """`rel` (a path relative to the scanned root, `/`-separated) by its own language's rules."""
    if rel.endswith(_PYTHON_SUFFIXES):
        return is_python_test_file(rel)
    return is_typescript_test_file(rel)
