"""What one Python file tells `alembic-env-imports-models`.

Every module contributes its import surface (shared with the other cross-file lessons through
`module_surface`), the SQLModel classes it declares with `table=True`, and whether it imports
modules by computed name (`importlib.import_module`, `pkgutil.walk_packages`): such a module may
import every model at run time, which no static reading can confirm, so an env.py that reaches one
is left alone. An alembic env.py also says which metadata it hands to alembic: the
`target_metadata = Base.metadata` assignment, or the `target_metadata=` keyword of
`context.configure(...)`.
"""

from __future__ import annotations

import ast
import re

from pydantic import Field

from pytest_lessons.errors import too_deep_to_analyse
from pytest_lessons.lang.common.records import Record, Spanned
from pytest_lessons.lang.python.ast_source import ast_module
from pytest_lessons.lang.python.imports import module_surface
from pytest_lessons.lang.python.surface import ModuleSurface
from pytest_lessons.source import AnalysisError, SourceFile

__all__ = ["EnvMetadata", "ModelFacts", "model_facts"]

_DYNAMIC_IMPORT = re.compile(
    r"\b(?:import_module|__import__|walk_packages|iter_modules|spec_from_file_location"
    r"|load_source|autodiscover_modules|exec_module)\b"
)
_DYNAMIC_WORDS = (
    "import_module",
    "__import__",
    "walk_packages",
    "iter_modules",
    "spec_from_file_location",
    "load_source",
    "autodiscover_modules",
    "exec_module",
)
"""The words `_DYNAMIC_IMPORT` matches: a module holding none of them cannot match it, and
looking for each is far cheaper than running the pattern over every module."""
_ENV_MARKERS = ("context.configure", "run_migrations")
_ENV_CALLS = ("configure", "run_migrations")
"""Names `_is_env`'s calls end with: a module that holds neither is not an env.py, without a
walk of its tree."""


class EnvMetadata(Spanned):
    """One metadata an env.py hands to alembic: `owner.metadata` as written (`Base`,
    `models.Base`, `SQLModel`, `db.Model`)."""

    owner: str


class ModelFacts(Record):
    surface: ModuleSurface
    table_classes: list[str] = Field(default_factory=list)
    """Classes declared with a `table=True` keyword (SQLModel's mapped classes)."""
    typing_only_classes: list[str] = Field(default_factory=list)
    """Classes defined under `if TYPE_CHECKING:`: never run, so never mapped."""
    dynamic_imports: bool = False
    unreadable: bool = False
    """The module does not parse (a template with Jinja in it): what it imports is unknown."""
    env_targets: list[EnvMetadata] | None = None
    """None: not an alembic env.py. A list (maybe empty): the metadata it hands to alembic."""


def model_facts(file: SourceFile) -> ModelFacts:
    text = file.text
    is_env_candidate = any(marker in text for marker in _ENV_MARKERS)
    try:
        surface = module_surface(file)
    except AnalysisError:
        if is_env_candidate:
            raise  # an env.py that cannot be read is the finding's own file: report it
        # Any other module is only read to follow imports; one that does not parse (a Jinja
        # template named .py) matters only if env.py reaches it, and then the judge stays quiet.
        return ModelFacts(surface=ModuleSurface(module=None), unreadable=True)
    wants_tree = "table" in text or "TYPE_CHECKING" in text or is_env_candidate
    tree = _parse(file) if wants_tree else None
    return ModelFacts(
        surface=surface,
        table_classes=_table_classes(tree) if tree is not None else [],
        typing_only_classes=_typing_only_classes(tree) if tree is not None else [],
        dynamic_imports=_imports_dynamically(text),
        env_targets=_env_targets(tree) if tree is not None and _is_env(text, tree) else None,
    )


def _parse(file: SourceFile) -> ast.Module | None:
    """The run's shared `ast` tree of the module; None when the running Python cannot parse it
    (the surface, read with libcst in that case, still says what it imports)."""
    try:
        return ast_module(file).tree
    except (SyntaxError, ValueError):
        return None
    except (RecursionError, MemoryError):
        raise too_deep_to_analyse() from None


def _table_classes(tree: ast.Module) -> list[str]:
    found: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(
            keyword.arg == "table"
            and isinstance(keyword.value, ast.Constant)
            and keyword.value.value is True
            for keyword in node.keywords
        ):
            found.append(node.name)
    return found


def _typing_only_classes(tree: ast.Module) -> list[str]:
    found: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.If) and (_dotted(node.test) or "").endswith("TYPE_CHECKING"):
            found.extend(n.name for n in node.body if isinstance(n, ast.ClassDef))
    return found


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


def _imports_dynamically(text: str) -> bool:
    return any(word in text for word in _DYNAMIC_WORDS) and _DYNAMIC_IMPORT.search(text) is not None


def _is_env(text: str, tree: ast.Module) -> bool:
    """A module that calls `context.configure(...)` or `context.run_migrations()`. The called
    name is written in the text, so a module without it is not walked (unless it is not ASCII:
    `ast` reads identifiers NFKC-normalised, so a look-alike spelling could still name it)."""
    if text.isascii() and not any(name in text for name in _ENV_CALLS):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name is not None and name.endswith(("context.configure", "context.run_migrations")):
                return True
    return False


def _env_targets(tree: ast.Module) -> list[EnvMetadata]:
    """The `X.metadata` expressions handed to alembic as `target_metadata`.

    A module-level name is followed once (`metadata = Base.metadata` then `target_metadata =
    metadata`); a list or tuple contributes each element; anything else (`get_metadata()`,
    `None`) contributes nothing, so the env.py is not judged.
    """
    assigned: dict[str, ast.expr] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, node.value)
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.value is not None
        ):
            assigned.setdefault(node.target.id, node.value)
    roots: list[ast.expr] = []
    if "target_metadata" in assigned:
        roots.append(assigned["target_metadata"])
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (_dotted(node.func) or "").endswith("configure"):
            for keyword in node.keywords:
                if keyword.arg == "target_metadata":
                    roots.append(keyword.value)
    found: dict[tuple[int, int], EnvMetadata] = {}
    for root in roots:
        for expression in _elements(root, assigned, depth=0):
            owner = _metadata_owner(expression)
            if owner is None:
                continue
            key = (expression.lineno, expression.col_offset)
            found.setdefault(
                key,
                EnvMetadata(
                    owner=owner,
                    line=expression.lineno,
                    column=expression.col_offset + 1,
                    end_line=expression.end_lineno or expression.lineno,
                    end_column=(expression.end_col_offset or expression.col_offset) + 1,
                ),
            )
    return [found[key] for key in sorted(found)]


def _elements(node: ast.expr, assigned: dict[str, ast.expr], depth: int) -> list[ast.expr]:
    if isinstance(node, (ast.List, ast.Tuple)):
        return [item for element in node.elts for item in _elements(element, assigned, depth)]
    if isinstance(node, ast.Name) and node.id in assigned and depth < 3:
        return _elements(assigned[node.id], assigned, depth + 1)
    return [node]


def _metadata_owner(node: ast.expr) -> str | None:
    """`Base` for `Base.metadata`, `models.Base` for `models.Base.metadata`."""
    if isinstance(node, ast.Attribute) and node.attr == "metadata":
        return _dotted(node.value)
    return None
