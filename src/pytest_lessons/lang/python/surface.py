"""A Python module's import surface: what it imports and what it defines at the top level.

The records `imports.module_surface` extracts from one file (with `ast`, see `surface_ast`, or with
libcst, see `surface_cst`) and `imports.ImportIndex` joins across files. Texts are kept as
source slices (annotations, defaults, decorator arguments, assigned expressions), never nodes, so a
surface can be cached by content hash.
"""

from __future__ import annotations

from pydantic import Field

from pytest_lessons.lang.common.records import Record, Repeated

__all__ = [
    "ClassSig",
    "DecoratorSig",
    "FunctionSig",
    "ImportBinding",
    "ModuleSurface",
    "ParamSig",
]


class ImportBinding(Record):
    """One name an import statement binds.

    `module` is absolute and dotted; a relative import is resolved against the file's guessed
    package (see the module docstring) and `source` keeps it as written (`..core`), which is what
    the index resolves by directory. `name` is None for `import x.y` / `import x.y as z`: then
    `local` is `x` (or `z`) and names the module `x` (or `x.y`). `name == "*"` is a star import.
    """

    local: str
    module: str
    name: str | None
    level: int = 0
    source: str = ""
    line: int
    top_level: bool = True
    aliased: bool = False
    """`import x.y as z`: `local` names `x.y` even when `z` is spelled `x`."""


class ParamSig(Repeated):
    """A parameter as written: annotation and default kept as source text."""

    name: str
    kind: str = "normal"  # positional-only | normal | var-positional | keyword-only | var-keyword
    annotation: str | None = None
    default: str | None = None


class DecoratorSig(Record):
    """A decorator; `name` is its dotted callee (`router.get`, `login_required`) or None."""

    name: str | None
    text: str
    is_call: bool = False
    args: list[str] = Field(default_factory=list)
    keywords: dict[str, str] = Field(default_factory=dict)


class FunctionSig(Record):
    name: str
    line: int
    column: int = 1
    params: list[ParamSig] = Field(default_factory=list)
    decorators: list[DecoratorSig] = Field(default_factory=list)
    is_async: bool = False
    returns: str | None = None


class ClassSig(Record):
    name: str
    line: int
    bases: list[str] = Field(default_factory=list)  # source text: `APIRouter`, `views.MethodView`
    decorators: list[DecoratorSig] = Field(default_factory=list)
    methods: dict[str, FunctionSig] = Field(default_factory=dict)
    attributes: dict[str, str] = Field(default_factory=dict)  # class-level NAME = <expr text>


class ModuleSurface(Record):
    module: str | None
    is_package: bool = False
    imports: list[ImportBinding] = Field(default_factory=list)
    functions: dict[str, FunctionSig] = Field(default_factory=dict)
    classes: dict[str, ClassSig] = Field(default_factory=dict)
    assignments: dict[str, str] = Field(default_factory=dict)
    all_names: list[str] | None = None  # a literal `__all__`
