"""The fixes of `alembic-percent-escape`, where the right change is certain.

At a call, the value gets escaped where it is passed: a string literal has its bare `%` doubled
in place; any other expression is wrapped as `<value>.replace("%", "%%")` (in parentheses when
it is not a primary), in the quotes the call already uses. Only the value's own text changes, so
the rest of the file keeps its formatting. A value whose source already holds `%(` is left
alone: it may mean configparser interpolation on purpose, and escaping it would break that.

In an `.ini` file, each bare `%` of the flagged `sqlalchemy.url` line is doubled (`%2B` becomes
`%%2B`); `%%` and `%(name)s` stay as they are. A bare `%(` (`%(password)@`, a reference missing
its `s`) is left to its author: it may mean the reference or the literal.
"""

from __future__ import annotations

import re

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from pytest_lessons.checks.alembic_percent_escape.flow import analyse_module
from pytest_lessons.checks.alembic_percent_escape.verdicts import first_unescaped_percent
from pytest_lessons.errors import AnalysisError
from pytest_lessons.findings import Finding
from pytest_lessons.fixes import Fix, FixFiles, TextEdit
from pytest_lessons.lines import offset_of, split_lines

__all__ = ["double_bare_percents", "fix_call", "fix_ini_line"]

_PRIMARY = (
    cst.Name,
    cst.Attribute,
    cst.Call,
    cst.Subscript,
    cst.SimpleString,
    cst.FormattedString,
)
"""Expressions `.replace(...)` binds to as a whole without parentheses."""


def double_bare_percents(text: str) -> str | None:
    """`text` with every `%` configparser would choke on doubled (`%%` and `%(name)s` kept), or
    None when one of them starts a reference that is only broken (`%(password)@`): whether it
    meant `%(password)s` or a literal is the author's call, not a certain fix."""
    out: list[str] = []
    position = 0
    while (index := first_unescaped_percent(text[position:])) is not None:
        cut = position + index
        if text.startswith("%(", cut):
            return None
        out.append(text[position:cut] + "%%")
        position = cut + 1
    out.append(text[position:])
    return "".join(out)


def fix_call(finding: Finding, files: FixFiles) -> Fix | None:
    """Escape the value of the `set_*_option`/`file_config.set` call the finding is about."""
    if finding.path is None:
        return None
    source = files.source(finding.path)
    if source is None:
        return None
    try:
        wrapper = MetadataWrapper(source.python_module(), unsafe_skip_copy=True)
    except AnalysisError:
        return None
    positions = wrapper.resolve(PositionProvider)
    for option_call in analyse_module(wrapper.module).calls:
        where = positions[option_call.call].start
        if (where.line, where.column + 1) != (finding.line, finding.column):
            continue
        value = option_call.args.get("value")
        if value is None:
            return None
        code = wrapper.module.code_for_node(value)
        escaped = _escaped(value, code, _quote_of(option_call.call, wrapper.module))
        if escaped is None:
            return None
        span = positions[value]
        start = offset_of(source.text, span.start.line, span.start.column + 1)
        end = offset_of(source.text, span.end.line, span.end.column + 1)
        if source.text[start:end] != code:  # positions and text disagree: do not guess
            return None
        return Fix(
            description=f"escape '%' in the value: {_short(escaped)}",
            edits=(TextEdit(path=finding.path, start=start, end=end, text=escaped),),
        )
    return None


def _escaped(value: cst.BaseExpression, code: str, quote: str) -> str | None:
    if isinstance(value, cst.SimpleString) and "\\" not in code:
        prefix = re.match(r"[A-Za-z]*", code)
        if prefix is not None and "b" in prefix.group(0).lower():
            return None  # bytes are not what configparser stores
        doubled = double_bare_percents(code)
        return doubled if doubled is not None and doubled != code else None
    if "%(" in code:
        return None  # maybe interpolation on purpose: not certain
    needs_parentheses = not isinstance(value, _PRIMARY) and not value.lpar
    inner = f"({code})" if needs_parentheses else code
    return f"{inner}.replace({quote}%{quote}, {quote}%%{quote})"


def _quote_of(call: cst.Call, module: cst.Module) -> str:
    """The quote character the call's own string arguments use (double by default)."""
    for argument in call.args:
        if isinstance(argument.value, cst.SimpleString):
            text = module.code_for_node(argument.value).lstrip("rRuU")
            return "'" if text.startswith("'") else '"'
    return '"'


def fix_ini_line(finding: Finding, files: FixFiles) -> Fix | None:
    """Double the bare `%` of the flagged `sqlalchemy.url` line (its value part)."""
    if finding.path is None:
        return None
    source = files.source(finding.path)
    if source is None:
        return None
    try:
        lines = split_lines(source.text)
    except AnalysisError:
        return None
    if not 1 <= finding.line <= len(lines):
        return None
    line = lines[finding.line - 1]
    option = re.match(r"^\s*sqlalchemy\.url\s*[=:]", line, re.IGNORECASE)
    start = option.end() if option is not None else len(line) - len(line.lstrip())
    value = line[start:]
    fixed = double_bare_percents(value)
    if fixed is None or fixed == value:
        return None
    begin = offset_of(source.text, finding.line, start + 1)
    return Fix(
        description=f"double the bare '%' in sqlalchemy.url: {_short(fixed.strip())}",
        edits=(TextEdit(path=finding.path, start=begin, end=begin + len(value), text=fixed),),
    )


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 70 else flat[:67] + "..."
