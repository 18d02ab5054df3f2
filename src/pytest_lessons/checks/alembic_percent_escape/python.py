"""The Python half of `alembic-percent-escape`: every `set_main_option`/`set_section_option`/
`file_config.set` call, with the verdict of `safety` on the value it passes."""

from __future__ import annotations

from typing import Literal

from libcst.metadata import PositionProvider

from pytest_lessons.checks.alembic_percent_escape.fix import fix_call
from pytest_lessons.checks.alembic_percent_escape.flow import (
    OptionCall,
    analyse_module,
    is_forwarding,
)
from pytest_lessons.checks.alembic_percent_escape.safety import ValueSafety
from pytest_lessons.checks.alembic_percent_escape.verdicts import Reason
from pytest_lessons.checks.alembic_percent_escape.writes import (
    ConfigWrite,
    Verdict,
    WriteFacts,
    WritesHalf,
)
from pytest_lessons.errors import too_deep_to_analyse
from pytest_lessons.findings import Finding
from pytest_lessons.fixes import Fix, FixFiles
from pytest_lessons.lang.python.syntax import string_value
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["PythonHalf"]


class PythonHalf(WritesHalf):
    name = "python"
    file_kinds = frozenset({FileKind.PYTHON})

    def fix(self, finding: Finding, files: FixFiles) -> Fix | None:
        return fix_call(finding, files)

    def extract(self, file: SourceFile) -> WriteFacts:
        if not any(name in file.text for name in _SINK_NAMES):
            return WriteFacts()
        try:
            return WriteFacts(writes=self._python_writes(file))
        except RecursionError:
            raise too_deep_to_analyse() from None

    def _python_writes(self, file: SourceFile) -> list[ConfigWrite]:
        wrapper = file.python_metadata()
        flow = analyse_module(wrapper.module)
        if not flow.calls:  # the name only in a string or comment: skip resolving positions
            return []
        positions = wrapper.resolve(PositionProvider)
        safety = ValueSafety(
            wrapper.module,
            self.options.escape_helpers,
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


_SINK_NAMES = ("set_main_option", "set_section_option", "file_config")
_KINDS: dict[str, Literal["set_main_option", "set_section_option", "file_config.set"]] = {
    "set_main_option": "set_main_option",
    "set_section_option": "set_section_option",
    "file_config.set": "file_config.set",
}


def _literal_argument(option_call: OptionCall, parameter: str) -> str | None:
    return string_value(option_call.args.get(parameter))
