"""The Python half of `alembic-percent-escape`: every `set_main_option`/`set_section_option`/
`file_config.set` call, with the verdict of `safety` on the value it passes (`python_writes`)."""

from __future__ import annotations

from pytest_lessons.checks.alembic_percent_escape.writes import WriteFacts, WritesHalf
from pytest_lessons.errors import too_deep_to_analyse
from pytest_lessons.findings import Finding
from pytest_lessons.fixes import Fix, FixFiles
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["PythonHalf"]


class PythonHalf(WritesHalf):
    name = "python"
    file_kinds = frozenset({FileKind.PYTHON})

    def fix(self, finding: Finding, files: FixFiles) -> Fix | None:
        from pytest_lessons.checks.alembic_percent_escape.fix import fix_call  # libcst

        return fix_call(finding, files)

    def extract(self, file: SourceFile) -> WriteFacts:
        if not any(name in file.text for name in _SINK_NAMES):
            return WriteFacts()
        # read with libcst, imported here: building the check (for the survey) imports none
        from pytest_lessons.checks.alembic_percent_escape.python_writes import python_writes

        try:
            return WriteFacts(writes=python_writes(file, self.options.escape_helpers))
        except RecursionError:
            raise too_deep_to_analyse() from None


_SINK_NAMES = ("set_main_option", "set_section_option", "file_config")
