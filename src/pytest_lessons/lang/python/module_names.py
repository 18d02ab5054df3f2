"""Which dotted module a repository file is, guessed from the layout alone (nothing is imported).

A file's facts depend only on its path and content (that is what the fact cache
keys on), so `ModuleSurface.module` is a guess from the path alone: the part after the last `src/`
directory (src layout), else the whole path (flat layout at the repository root). The index sees
every file and decides properly with `package_roots(rels)`:

- a directory named `src` is a root (src layout);
- a directory holding `pyproject.toml`, `setup.py` or `setup.cfg` is a root (a project in a
  monorepo: `backend/pyproject.toml` makes `backend/app/main.py` the module `app.main`) -- only
  when the caller passes those files in `files`;
- the parent of the top-most directory of an unbroken `__init__.py` chain is a root (flat layout
  without packaging metadata); a chain inside a `src` root is not, since inside `src` a namespace
  package (no `__init__.py`) is still importable from `src`;
- the repository root is always a root.

A file's module is its path below the deepest root above it. Namespace packages (directories
without `__init__.py`) are therefore named from the nearest root, as Python would name them when
that root is on `sys.path`. Because roots are a guess about `sys.path`, an absolute import that
matches no module exactly falls back to the module whose name ends with the imported dotted name,
nearest to the importing file (`app.core` from `backend/app/api/x.py` finds
`backend/app/core.py`). Relative imports are resolved by directory, never through module names,
so they are exact whatever the roots.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence

PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


def parent_dir(rel: str) -> str:
    return posixpath.dirname(rel)


def is_under(rel: str, root: str) -> bool:
    return root == "" or rel == root or rel.startswith(root + "/")


def module_name_for(rel: str, package_roots: Sequence[str]) -> str | None:
    """The dotted module of a `.py`/`.pyi` file below the deepest root above it, else None.

    `pkg/__init__.py` is `pkg`; a root-level `__init__.py` or a name that is not an identifier
    (`my-script.py`, `1_setup.py`) has no importable name and gives None.
    """
    if not rel.endswith((".py", ".pyi")):
        return None
    roots = [root.strip("/") for root in package_roots]
    candidates = [root for root in roots if is_under(parent_dir(rel), root)]
    if not candidates:
        return None
    root = max(candidates, key=len)
    tail = rel[len(root) + 1 :] if root else rel
    parts = tail.rsplit(".", 1)[0].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)


def guessed_roots(rel: str) -> list[str]:
    """The roots visible from a path alone: the repository root and every `src` directory."""
    roots = [""]
    parts = rel.split("/")[:-1]
    for index, part in enumerate(parts):
        if part == "src":
            roots.append("/".join(parts[: index + 1]))
    return roots


def package_roots(rels: Iterable[str]) -> list[str]:
    """The directories that are on `sys.path` as far as the layout shows (module docstring)."""
    rels = list(rels)
    roots: set[str] = {""}
    packages = {parent_dir(rel) for rel in rels if rel.rsplit("/", 1)[-1] == "__init__.py"}
    for rel in rels:
        name = rel.rsplit("/", 1)[-1]
        directory = parent_dir(rel)
        if name in PROJECT_MARKERS:
            roots.add(directory)
        for root in guessed_roots(rel)[1:]:
            roots.add(root)
    src_roots = {root for root in roots if root.rsplit("/", 1)[-1] == "src"}
    for package in packages:
        if package == "":
            continue
        top = package
        while parent_dir(top) in packages and parent_dir(top) != "":
            top = parent_dir(top)
        root = parent_dir(top)
        if any(is_under(root, src) and root != src for src in src_roots) or any(
            is_under(top, src) for src in src_roots
        ):
            continue
        roots.add(root)
    return sorted(roots)


def absolute_module(module: str | None, is_package: bool, level: int, source: str) -> str:
    """`..core` from `app.api.x` is `app.core`; kept as written when it climbs above the guess."""
    if level == 0:
        return source
    if module is None:
        return "." * level + source
    package = module.split(".") if is_package else module.split(".")[:-1]
    if level - 1 > len(package):
        return "." * level + source
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, *([source] if source else [])])
