"""The INI half of `alembic-percent-escape`: the `sqlalchemy.url` values of `.ini`/`.cfg` files."""

from __future__ import annotations

import re

from pytest_lessons.checks.alembic_percent_escape.verdicts import Reason, first_unescaped_percent
from pytest_lessons.checks.alembic_percent_escape.writes import ConfigWrite, WriteFacts, WritesHalf
from pytest_lessons.findings import Finding
from pytest_lessons.fixes import Fix, FixFiles
from pytest_lessons.lines import split_lines
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["IniHalf", "ini_url_writes"]


class IniHalf(WritesHalf):
    name = "ini"
    file_kinds = frozenset({FileKind.INI})

    def extract(self, file: SourceFile) -> WriteFacts:
        return WriteFacts(writes=ini_url_writes(file.text))

    def fix(self, finding: Finding, files: FixFiles) -> Fix | None:
        from pytest_lessons.checks.alembic_percent_escape.fix import fix_ini_line  # libcst

        return fix_ini_line(finding, files)


_SECTION = re.compile(r"^\s*\[(?P<name>[^\]]*)\]")
_URL_OPTION = re.compile(r"^(?P<key>\s*sqlalchemy\.url\s*)(?P<separator>[=:])(?P<value>.*)$", re.I)
_HEX = frozenset("0123456789abcdefABCDEF")


def ini_url_writes(text: str) -> list[ConfigWrite]:
    """Each `sqlalchemy.url` value, read line by line so positions survive and nothing raises.

    A value continues on the following lines indented deeper than its key (configparser joins
    them with newlines), so those lines are read too; the write points at the first bad `%`.
    """
    writes: list[ConfigWrite] = []
    section: str | None = None
    option_indent: int | None = None
    """Indentation of the option whose value deeper-indented lines continue; None: no option."""
    in_url = False
    for number, line in enumerate(split_lines(text), start=1):  # configparser's breaks
        stripped = line.lstrip()
        if not stripped or stripped[0] in "#;":
            continue  # configparser skips comments and keeps blank lines inside a value
        indent = len(line) - len(stripped)
        option = _URL_OPTION.match(line)
        if option is None and option_indent is not None and indent > option_indent:
            if in_url and writes[-1].verdict == "safe":
                value = line.rstrip()
                index = first_unescaped_percent(value[indent:])
                if index is not None:
                    writes[-1] = _ini_write(number, line, indent, value[indent:], index, section)
            continue
        in_url = option is not None
        option_indent = indent
        if option is None:
            header = _SECTION.match(line)
            if header is not None:
                section = header.group("name").strip()
                option_indent = None
            elif "=" not in line and ":" not in line:
                option_indent = None
            continue
        value = option.group("value")
        writes.append(
            _ini_write(
                number, line, option.start("value"), value, first_unescaped_percent(value), section
            )
        )
    return writes


def _ini_write(
    number: int, line: str, start: int, value: str, index: int | None, section: str | None
) -> ConfigWrite:
    return ConfigWrite(
        kind="ini",
        line=number,
        column=start + 1 if index is None else start + index + 1,
        end_line=number,
        end_column=len(line) + 1 if index is None else start + index + 2,
        section=section,
        key="sqlalchemy.url",
        verdict="safe" if index is None else "unsafe",
        reason=Reason.NONE if index is None else Reason.LITERAL,
        detail="" if index is None else _ini_detail(value, index),
    )


def _ini_detail(value: str, index: int) -> str:
    sequence = value[index : index + 3]
    if len(sequence) == 3 and sequence[1] in _HEX and sequence[2] in _HEX:
        return (
            f"percent-encoded '{sequence}' is read as interpolation syntax and crashes "
            f"configparser; write it as '%{sequence}'"
        )
    return (
        "a '%' in the value is neither '%%' nor a '%(name)s' reference "
        "and crashes configparser interpolation; write a literal '%' as '%%'"
    )
