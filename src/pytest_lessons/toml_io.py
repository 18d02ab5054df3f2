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
    except (RecursionError, MemoryError):  # tomllib recurses once per nested array or table
        raise LessonsConfigError(
            path,
            "arrays or tables nested too deeply to read; no setting nests more than a few levels",
        ) from None
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


KeyPath = tuple["str | int", ...]


def key_lines(text: str) -> dict[KeyPath, int]:
    """The line on which each key, table and array element of a TOML document starts.

    Paths are spelled as pydantic spells error locations (`("tool", "pytest-lessons", "select",
    2)`), so every problem in a config can point at its own line. `text` must be valid TOML
    (tomllib has read it); the scan only tracks positions and never fails: whatever it cannot
    follow is simply left out, and callers fall back to the nearest enclosing key.
    """
    locator = _Locator(text)
    try:
        locator.document()
    except (RecursionError, IndexError, ValueError):
        pass
    return locator.lines


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of `path`, else of the closest enclosing key that has one."""
    for end in range(len(path), 0, -1):
        found = lines.get(path[:end])
        if found is not None:
            return found
    return None


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}#\r\n]")


class _Locator:
    """A position-only reader for the TOML grammar: keys, tables, arrays, inline tables."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[KeyPath, int] = {}
        self.table_arrays: dict[KeyPath, int] = {}

    def document(self) -> None:
        table: KeyPath = ()
        while self._skip_blank(newlines=True):
            if self.text.startswith("[[", self.pos):
                self.pos += 2
                path = self._header_path(self._key(), array=True)
                index = self.table_arrays.get(path, -1) + 1
                self.table_arrays[path] = index
                self._record(path)
                table = (*path, index)
                self._record(table)
                self._expect("]]")
            elif self.text.startswith("[", self.pos):
                self.pos += 1
                table = self._header_path(self._key(), array=False)
                self._record(table)
                self._expect("]")
            else:
                self._key_value(table)
            self._skip_line()

    def _header_path(self, keys: list[str], *, array: bool) -> KeyPath:
        """Dotted header keys, with the current index inserted after each array of tables."""
        path: KeyPath = ()
        for position, key in enumerate(keys):
            path = (*path, key)
            last = position == len(keys) - 1
            if path in self.table_arrays and not (array and last):
                path = (*path, self.table_arrays[path])
        return path

    def _key_value(self, table: KeyPath) -> None:
        line = self.line
        path = (*table, *self._key())
        for end in range(len(table) + 1, len(path) + 1):
            self.lines.setdefault(path[:end], line)
        self._skip_blank(newlines=False)
        self._expect("=")
        self._value(path)

    def _value(self, path: KeyPath) -> None:
        self._skip_blank(newlines=False)
        char = self.text[self.pos]
        if char in "\"'":
            self._string()
        elif char == "[":
            self.pos += 1
            index = 0
            while self._skip_blank(newlines=True) and self.text[self.pos] != "]":
                started = self.pos
                self.lines.setdefault((*path, index), self.line)
                self._value((*path, index))
                index += 1
                self._skip_blank(newlines=True)
                if self.text[self.pos] == ",":
                    self.pos += 1
                if self.pos == started:  # `[}`: nothing read, so nothing to follow
                    raise ValueError("not an array element")
            self.pos += 1
        elif char == "{":
            self.pos += 1
            while self._skip_blank(newlines=True) and self.text[self.pos] != "}":
                started = self.pos
                self._key_value(path)
                self._skip_blank(newlines=True)
                if self.text[self.pos] == ",":
                    self.pos += 1
                if self.pos == started:
                    raise ValueError("not an inline table entry")
            self.pos += 1
        else:
            end = _SCALAR_END.search(self.text, self.pos)
            self.pos = end.start() if end else len(self.text)

    def _key(self) -> list[str]:
        """A dotted key's parts, unquoted exactly as tomllib unquotes them."""
        start = self.pos
        while True:
            self._skip_blank(newlines=False)
            if self.text[self.pos] in "\"'":
                self._string()
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if match is None:
                    raise ValueError("not a key")
                self.pos = match.end()
            self._skip_blank(newlines=False)
            if self.text[self.pos] != ".":
                break
            self.pos += 1
        source = self.text[start : self.pos].strip()
        parsed: Any = tomllib.loads(f"{source} = 0")
        parts: list[str] = []
        while isinstance(parsed, dict):
            key = next(iter(parsed))
            parts.append(key)
            parsed = parsed[key]
        return parts

    def _string(self) -> None:
        quote = self.text[self.pos]
        if self.text.startswith(quote * 3, self.pos):
            end = self.text.find(quote * 3, self.pos + 3)
            while quote == '"' and end != -1 and _escaped(self.text, end):
                end = self.text.find(quote * 3, end + 1)
            end = len(self.text) if end == -1 else end + 3
            while end < len(self.text) and self.text[end] == quote:  # up to two more quotes
                end += 1
        else:
            end = self.pos + 1
            while end < len(self.text) and self.text[end] != quote:
                end += 2 if quote == '"' and self.text[end] == "\\" else 1
            end += 1
        self._advance(end)

    def _skip_blank(self, *, newlines: bool) -> bool:
        """Skip spaces (and newlines and comments when allowed); False at the end of the text."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t":
                self.pos += 1
            elif newlines and char in "\r\n":
                self._advance(self.pos + 1)
            elif newlines and char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end == -1 else end
            else:
                return True
        return False

    def _skip_line(self) -> None:
        """After a key/value or a header: the rest of the line is blank or a comment."""
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end == -1 else end

    def _expect(self, token: str) -> None:
        self._skip_blank(newlines=False)
        if not self.text.startswith(token, self.pos):
            raise ValueError(f"expected {token!r}")
        self.pos += len(token)

    def _advance(self, end: int) -> None:
        self.line += self.text.count("\n", self.pos, end)
        self.pos = end

    def _record(self, path: KeyPath) -> None:
        """A header defines its table; the tables it implies point at it until defined."""
        for end in range(1, len(path) + 1):
            self.lines.setdefault(path[:end], self.line)


def _escaped(text: str, index: int) -> bool:
    """Whether the character at `index` is preceded by an odd number of backslashes."""
    count = 0
    while index > 0 and text[index - 1] == "\\":
        count += 1
        index -= 1
    return count % 2 == 1
