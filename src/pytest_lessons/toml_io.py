"""Reading TOML with errors that point at the file and line, on every supported Python."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from pytest_lessons.errors import LessonsConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

_LINE_IN_MESSAGE = re.compile(r"line (\d+)")


def load_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LessonsConfigError(path, f"cannot read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LessonsConfigError(path, "not valid UTF-8; save it as UTF-8") from None
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _LINE_IN_MESSAGE.search(str(error))
        line = int(match.group(1)) if match else None
        raise LessonsConfigError(path, f"invalid TOML: {error}", line=line) from None
    return document


def line_of_key(path: Path, key: str) -> int | None:
    """Best-effort line of `key = ...` or `[...key]` in a TOML file, for error messages.

    tomllib keeps no positions, and an error that says only "somewhere in pyproject.toml" wastes
    the user's time; the first line that defines the key is nearly always the one meant.
    """
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    quoted = re.escape(key)
    pattern = re.compile(rf"""^\s*(?:["']?{quoted}["']?\s*=|\[[^\]]*["'.]?{quoted}["']?\s*\])""")
    for number, line in enumerate(lines, start=1):
        if pattern.search(line):
            return number
    return None
