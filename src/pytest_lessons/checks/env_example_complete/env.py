"""The env half of `env-example-complete`: the names each env example file documents.

Example files are read whatever they hold (an empty one documents nothing), and so is a `.env`
the workspace did not skip (the check falls back to it when no example file exists); other env
files (`.env.local`, `.env.production`) hold real values and are never read.
"""

from __future__ import annotations

import re

from pydantic import Field

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.env_example_complete.options import EnvExampleCompleteOptions
from pytest_lessons.lang.common.records import Record
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["EnvFacts", "EnvHalf", "documented_entries", "documented_names"]


class EnvFacts(Record):
    documented: list[str]
    """The names the file lists."""
    lines: list[int] = Field(default_factory=list)
    """The line of each documented name (same order)."""
    commented: list[bool] = Field(default_factory=list)
    """Whether each name is only mentioned in a commented-out assignment (`# NAME=`)."""


class EnvHalf(Half[EnvExampleCompleteOptions, EnvFacts]):
    name = "env"
    facts_model = EnvFacts
    file_kinds = frozenset({FileKind.ENV})

    def reads(self, file: SourceFile) -> bool:
        if self.options.excludes(file.rel):
            return False
        return self.options.is_example_file(file.rel) or file.rel.rsplit("/", 1)[-1] == ".env"

    def extract(self, file: SourceFile) -> EnvFacts:
        entries = documented_entries(file.text)
        return EnvFacts(
            documented=[name for name, _, _ in entries],
            lines=[line for _, line, _ in entries],
            commented=[commented for _, _, commented in entries],
        )


_ASSIGNMENT = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*[=:]")
_BARE_NAME = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)$")


def documented_names(text: str) -> list[str]:
    """The variable names an example file documents, in order (see `documented_entries`)."""
    return [name for name, _, _ in documented_entries(text)]


def documented_entries(text: str) -> list[tuple[str, int, bool]]:
    """(name, line, commented out) of each variable an example file documents, in order.

    `KEY=value`, `export KEY=value`, a bare `KEY`, and commented-out assignments (`# KEY=`,
    `#KEY=value`): projects document optional variables by leaving them commented out, and a
    reader of the file learns of them all the same. Prose comments (`# set KEY to ...`) do not
    count.
    """
    entries: list[tuple[str, int, bool]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        commented = line.startswith("#")
        if commented:
            line = line.lstrip("#").strip()
        match = _ASSIGNMENT.match(line)
        if match is not None and (not commented or "=" in line[: match.end()]):
            entries.append((match.group(1), number, commented))
            continue
        if not commented:
            bare = _BARE_NAME.match(line)
            if bare is not None:
                entries.append((bare.group(1), number, False))
    return entries
