"""Python through libcst: a concrete tree that keeps comments and exact positions."""

from __future__ import annotations

import ast
from collections.abc import Callable

import libcst
from libcst.metadata import MetadataWrapper

from pytest_lessons.engines.python_gate import NESTING_LIMIT, nesting_problem
from pytest_lessons.errors import AnalysisError, too_deep_to_analyse
from pytest_lessons.findings import ProblemKind


def parse_module(text: str, ast_tree: Callable[[], ast.Module] | None = None) -> libcst.Module:
    """libcst's tree of `text`, once the nesting gate has shown it cannot crash the parser.
    `ast_tree` gives the run's shared `ast` tree of the same text, so the gate measures it
    instead of parsing again (it raises what `ast.parse` would)."""
    check_nesting(text, ast_tree)
    return parse_gated(text)


def check_nesting(text: str, ast_tree: Callable[[], ast.Module] | None = None) -> None:
    """Raise the `parse` problem of a file nested too deeply for libcst (see `python_gate`).

    Readers on `ast` pass their files through it too, so a file is refused the same way
    whichever tree a lesson reads it with."""
    too_deep = nesting_problem(text, ast_tree)
    if too_deep is not None:
        refused = (
            f"CPython's own parser refuses it ({too_deep.cpython})"
            if too_deep.cpython
            else f"it nests more than {NESTING_LIMIT} levels deep"
        )
        raise AnalysisError(
            ProblemKind.PARSE,
            f"Python source nested too deeply to analyse: {refused}. Parsing it could take "
            "minutes or crash the run; split the expression up, or exclude the file if it is "
            "generated",
            line=too_deep.line,
            column=1,
        )


def parse_gated(text: str) -> libcst.Module:
    """libcst's tree of `text`, which `check_nesting` has let through."""
    try:
        return libcst.parse_module(text)
    except libcst.ParserSyntaxError as error:
        raise _describe_syntax_error(text, error) from None
    except libcst.CSTValidationError as error:
        # The parser accepted text that libcst's own node checks reject (an identifier made of
        # unassigned code points, say); CPython usually says where, otherwise libcst says what.
        raise _describe_syntax_error(text, error) from None
    except RecursionError:
        raise too_deep_to_analyse() from None


def _describe_syntax_error(
    text: str, error: libcst.ParserSyntaxError | libcst.CSTValidationError
) -> AnalysisError:
    """Prefer CPython's wording and location ("'(' was never closed") to libcst's.

    `ast.parse` only parses; nothing runs. When CPython accepts what libcst rejects (syntax newer
    than libcst's grammar), libcst's own message is the one that explains the failure.
    """
    try:
        ast.parse(text)
    except SyntaxError as cpython:
        if cpython.lineno is not None:
            return AnalysisError(
                ProblemKind.PARSE,
                f"Python syntax error: {cpython.msg}",
                line=cpython.lineno,
                column=cpython.offset or 1,
            )
    except (ValueError, RecursionError, MemoryError):
        pass
    if isinstance(error, libcst.CSTValidationError):
        return AnalysisError(ProblemKind.PARSE, f"Python source libcst cannot represent: {error}")
    first_line = str(error.message).splitlines()[0] if error.message else "syntax error"
    return AnalysisError(
        ProblemKind.PARSE,
        f"Python syntax error (libcst): {first_line}",
        line=error.raw_line,
        column=error.raw_column + 1,
    )


def metadata_wrapper(module: libcst.Module) -> MetadataWrapper:
    """Wrap without the defensive deep copy: the module is shared read-only between lessons."""
    return MetadataWrapper(module, unsafe_skip_copy=True)
