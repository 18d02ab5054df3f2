"""`alembic-percent-escape`: a value with a bare `%` handed to alembic's configparser.

alembic's `Config.set_main_option`/`set_section_option` (and `Config.file_config.set`) store
values in a `ConfigParser` whose BasicInterpolation treats `%` as syntax. A database URL whose
password was URL-encoded (`%2B`) makes every migration crash with "invalid interpolation syntax";
the fix is `.replace("%", "%%")` on the way in. This check reads every such call (and every
`sqlalchemy.url` value of an `.ini` file) and flags values it cannot show to be `%`-safe. The
value analysis lives in `safety`.

Options that hold filesystem paths (`path-keys`, e.g. `script_location`) are judged like paths:
a value of unknown origin there is governed by `trust-path-values`, while `sqlalchemy.url` and
any other key stay strict. A value that visibly holds a bare `%` is flagged for every key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from libcst.metadata import PositionProvider
from pydantic import BaseModel, ConfigDict, Field

from pytest_lessons.checks.alembic_percent_escape.flow import (
    OptionCall,
    analyse_module,
    is_forwarding,
)
from pytest_lessons.checks.alembic_percent_escape.safety import (
    STRONG_REASONS,
    Reason,
    Safety,
    ValueSafety,
    first_unescaped_percent,
)
from pytest_lessons.checks.base import PerFileCheck
from pytest_lessons.findings import Finding, ProblemKind
from pytest_lessons.lang.python.syntax import string_value
from pytest_lessons.options import LessonOptions
from pytest_lessons.source import AnalysisError, FileKind, SourceFile

__all__ = [
    "AlembicPercentEscape",
    "AlembicPercentEscapeFacts",
    "AlembicPercentEscapeOptions",
    "ConfigWrite",
]


class AlembicPercentEscapeOptions(LessonOptions):
    trust_path_values: bool
    """Treat values built only from `__file__`, `os.path`, `pathlib` as safe (paths hold no `%`)."""
    escape_helpers: tuple[str, ...]
    """Functions defined elsewhere that return %-escaped values (`pkg.db.alembic_url` or a bare
    name, matched against the dotted name the call resolves to)."""
    path_keys: tuple[str, ...]
    """Option names whose values are filesystem paths or separators: a value of unknown origin
    set there counts as a path (see `trust_path_values`). Matched case-insensitively, as
    configparser does."""


Verdict = Literal["safe", "path", "unsafe", "unreadable"]


class ConfigWrite(BaseModel):
    """One value that reaches configparser: a `set_*_option` call or a `sqlalchemy.url` line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["set_main_option", "set_section_option", "file_config.set", "ini"]
    line: int
    column: int
    end_line: int
    end_column: int
    section: str | None = None
    """The section argument when it is a literal, or the `.ini` section the line sits in."""
    key: str | None = None
    """The option name when it is a literal (`sqlalchemy.url`, `script_location`, ...)."""
    verdict: Verdict
    reason: Reason
    """Why the value is (not) safe: "environment", "percent-encoded", ..., "none" when safe."""
    detail: str = ""
    """Why the value is not safe, as a clause for the finding message."""


class AlembicPercentEscapeFacts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    writes: list[ConfigWrite] = Field(default_factory=list)


class AlembicPercentEscape(PerFileCheck[AlembicPercentEscapeOptions, AlembicPercentEscapeFacts]):
    options_model = AlembicPercentEscapeOptions
    facts_model = AlembicPercentEscapeFacts
    file_kinds = frozenset({FileKind.PYTHON, FileKind.INI})
    prefilter = (b"set_main_option", b"set_section_option", b"file_config", b"sqlalchemy.url")
    version = 2

    def extract(self, file: SourceFile) -> AlembicPercentEscapeFacts:
        if file.kind is FileKind.INI:
            return AlembicPercentEscapeFacts(writes=ini_url_writes(file.text))
        if not any(name in file.text for name in _SINK_NAMES):
            return AlembicPercentEscapeFacts()
        try:
            return AlembicPercentEscapeFacts(writes=self._python_writes(file))
        except RecursionError:
            raise AnalysisError(
                ProblemKind.PARSE, "Python source is nested too deeply to analyse"
            ) from None

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

    def judge_file(self, path: str, facts: AlembicPercentEscapeFacts) -> Iterable[Finding]:
        path_keys = frozenset(key.lower() for key in self.options.path_keys)
        for write in facts.writes:
            verdict = write.verdict
            as_path_key = (
                verdict == Safety.UNSAFE.value
                and write.key is not None
                and write.key.lower() in path_keys
                and write.reason not in STRONG_REASONS
            )
            if as_path_key:
                verdict = Safety.PATH.value
            flagged = verdict == Safety.UNSAFE.value or (
                verdict == Safety.PATH.value and not self.options.trust_path_values
            )
            if flagged:
                yield self.finding(
                    path,
                    write.line,
                    write.column,
                    finding_message(write, as_path_key=as_path_key),
                    end_line=write.end_line,
                    end_column=write.end_column,
                )


_SINK_NAMES = ("set_main_option", "set_section_option", "file_config")
_KINDS: dict[str, Literal["set_main_option", "set_section_option", "file_config.set"]] = {
    "set_main_option": "set_main_option",
    "set_section_option": "set_section_option",
    "file_config.set": "file_config.set",
}


def finding_message(write: ConfigWrite, *, as_path_key: bool = False) -> str:
    """One line: where the value goes, why it is unsafe, and what `%` does there."""
    if write.kind == "ini":
        section = f"[{write.section}]" if write.section is not None else "the file's preamble"
        return f"sqlalchemy.url in {section}: {write.detail}"
    arguments = [
        _quoted(text)
        for text in (write.section if write.kind != "set_main_option" else None, write.key)
        if text is not None
    ]
    call = f"{write.kind}({', '.join([*arguments, '...'])})"
    detail = write.detail
    if as_path_key:
        detail += " (a path option, and trust-path-values is off)"
    return f"{call}: {detail}; a '%' in it crashes configparser interpolation"


def _quoted(text: str) -> str:
    flat = " ".join(text.split())
    return '"' + (flat if len(flat) <= 40 else flat[:37] + "...") + '"'


def _literal_argument(option_call: OptionCall, parameter: str) -> str | None:
    return string_value(option_call.args.get(parameter))


# -- .ini files ----------------------------------------------------------------------------------

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
    for number, line in enumerate(text.splitlines(), start=1):
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
