"""The Python files of the repository's own trees that reader-comparison tests walk.

The example trees hold a few `.py` files that are not Python on purpose (a code generator's Jinja
template in alembic-env-imports-models' good/ tree): a lesson must leave them alone, and a test
comparing two readers of Python has nothing to compare in them.
"""

from __future__ import annotations

import ast
from pathlib import Path


def python_files(folder: Path) -> list[Path]:
    """The `.py` files under `folder`, sorted, less those CPython cannot parse."""
    return [path for path in sorted(folder.rglob("*.py")) if _parses(path)]


def _parses(path: Path) -> bool:
    try:
        ast.parse(path.read_bytes())
    except SyntaxError:
        return False
    return True
