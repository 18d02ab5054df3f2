"""The Python half's reading of a module (libcst, with positions): each write of an alembic
config option, with the verdict of `safety` on its value. Imported only for a module that names
one of the setters, so that building the check imports no libcst."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from libcst.metadata import PositionProvider

from pytest_lessons.checks.alembic_percent_escape.flow import (
    OptionCall,
    analyse_module,
    is_forwarding,
)
from pytest_lessons.checks.alembic_percent_escape.safety import ValueSafety
from pytest_lessons.checks.alembic_percent_escape.verdicts import Reason
from pytest_lessons.checks.alembic_percent_escape.writes import ConfigWrite, Verdict
from pytest_lessons.lang.python.syntax import string_value
from pytest_lessons.source import SourceFile

__all__ = ["python_writes"]


def python_writes(file: SourceFile, escape_helpers: Sequence[str]) -> list[ConfigWrite]:
    wrapper = file.python_metadata()
    flow = analyse_module(wrapper.module)
    if not flow.calls:  # the name only in a string or comment: skip resolving positions
        return []
    positions = wrapper.resolve(PositionProvider)
    safety = ValueSafety(
        wrapper.module,
        escape_helpers,
        flow=flow,
        line_of=lambda node: positions[node].start.line,
    )
    writes: list[ConfigWrite] = []
    for option_call in flow.calls:
        where = positions[option_call.call]
        value = option_call.args.get("value")
        if value is None:
            verdict: Verdict = "unreadable"
            reason, detail = Reason.UNREADABLE, "the value argument cannot be read statically"
        elif is_forwarding(option_call):
            verdict, reason, detail = "safe", Reason.FORWARDED, ""
        else:
            judged = safety.of(value, option_call.env)
            verdict, reason, detail = judged.safety.value, judged.reason, judged.detail
        writes.append(
            ConfigWrite(
                kind=_KINDS[option_call.method],
                line=where.start.line,
                column=where.start.column + 1,
                end_line=where.end.line,
                end_column=where.end.column + 1,
                section=_literal_argument(option_call, "section"),
                key=_literal_argument(option_call, "name"),
                verdict=verdict,
                reason=reason,
                detail=detail,
            )
        )
    writes.sort(key=lambda write: (write.line, write.column))
    return writes


_KINDS: dict[str, Literal["set_main_option", "set_section_option", "file_config.set"]] = {
    "set_main_option": "set_main_option",
    "set_section_option": "set_section_option",
    "file_config.set": "file_config.set",
}


def _literal_argument(option_call: OptionCall, parameter: str) -> str | None:
    return string_value(option_call.args.get(parameter))
