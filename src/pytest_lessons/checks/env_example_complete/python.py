"""The Python half of `env-example-complete`: `os.environ`/`os.getenv` reads and settings classes.

Reads: `os.environ[...]`, `os.environ.get`, `os.getenv`, `"X" in os.environ`, the same through
`from os import ...` and aliases, and `config("X", default=...)` of python-decouple or of a
Starlette `Config` made in the module. pydantic-settings classes are only described here
(`SettingsClass`): which variable a settings field reads depends on the class's `env_prefix`,
which a subclass in another module may inherit or change, so `settings` computes the names when
the facts of every file are joined.
"""

from __future__ import annotations

import re

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.env_example_complete.options import EnvExampleCompleteOptions
from pytest_lessons.checks.env_example_complete.python_ast import ast_python_facts
from pytest_lessons.checks.env_example_complete.python_facts import (
    PythonFacts,
    SettingsClass,
    SettingsField,
)
from pytest_lessons.checks.env_example_complete.reads import CODE_PREFILTER
from pytest_lessons.errors import too_deep_to_analyse
from pytest_lessons.lang.python.ast_source import gated_ast_module
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["PythonFacts", "PythonHalf", "SettingsClass", "SettingsField", "python_facts"]


_PYTHON_GATE = re.compile(
    r"environ|getenv|env_prefix|^[ \t]*class[ \t]+\w+[ \t]*\([^)]*Settings|\w*Settings\([ \t]*\)"
    r"|\bSettings\(|decouple|starlette\.config",
    re.MULTILINE,
)
"""Before reading a module's tree at all: an env read, a class with a
`...Settings` base, a settings class instantiated (which decides whether a base is abstract), or
a config reader imported (python-decouple, Starlette's `Config`: read where it is called in the
module that makes it; one imported from another module is not followed)."""


class PythonHalf(Half[EnvExampleCompleteOptions, PythonFacts]):
    name = "python"
    facts_model = PythonFacts
    file_kinds = frozenset({FileKind.PYTHON})
    prefilter = CODE_PREFILTER

    def reads(self, file: SourceFile) -> bool:
        return not self.options.excludes(file.rel)

    def extract(self, file: SourceFile) -> PythonFacts:
        if _PYTHON_GATE.search(file.text) is None:
            return PythonFacts()
        return python_facts(file)


def python_facts(file: SourceFile) -> PythonFacts:
    """The module's facts, read with `ast`; with libcst where `ast` cannot parse it (syntax newer
    than the interpreter's, or a real error, which libcst reports with its position)."""
    try:
        module = gated_ast_module(file)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # libcst (a tenth of a second to import) only for a module `ast` cannot read
        from pytest_lessons.checks.env_example_complete.python_cst import cst_python_facts

        return cst_python_facts(file)
    try:
        return ast_python_facts(module)
    except RecursionError:
        raise too_deep_to_analyse() from None
