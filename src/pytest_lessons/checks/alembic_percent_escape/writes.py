"""What both halves of `alembic-percent-escape` produce, and how a write is judged.

A `ConfigWrite` is one value that reaches configparser: a `set_*_option` call in Python
(`python`) or a `sqlalchemy.url` line of an `.ini` file (`ini`). Both halves judge their writes
the same way (`WritesHalf.judge_file`), with the lesson's path options.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from pytest_lessons.checks.alembic_percent_escape.options import AlembicPercentEscapeOptions
from pytest_lessons.checks.alembic_percent_escape.verdicts import STRONG_REASONS, Reason, Safety
from pytest_lessons.checks.base import Half
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.records import Record

__all__ = ["PREFILTER", "ConfigWrite", "WriteFacts", "WritesHalf", "finding_message"]

PREFILTER = (b"set_main_option", b"set_section_option", b"file_config", b"sqlalchemy.url")
"""What a file must mention to be read by either half."""


Verdict = Literal["safe", "path", "unsafe", "unreadable"]


class ConfigWrite(Record):
    """One value that reaches configparser: a `set_*_option` call or a `sqlalchemy.url` line."""

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


class WriteFacts(Record):
    writes: list[ConfigWrite] = Field(default_factory=list)


class WritesHalf(Half[AlembicPercentEscapeOptions, WriteFacts]):
    """A half whose facts are configparser writes, judged per file."""

    facts_model = WriteFacts
    prefilter = PREFILTER

    def judge_file(self, path: str, facts: WriteFacts) -> Iterable[Finding]:
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
