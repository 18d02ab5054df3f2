from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_lessons.findings import ProblemKind
from pytest_lessons.lines import split_lines
from pytest_lessons.source import AnalysisError, FileKind, SourceFile, kind_of


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("env.py", FileKind.PYTHON),
        ("route.ts", FileKind.TYPESCRIPT),
        ("page.tsx", FileKind.TYPESCRIPT),
        ("server.mjs", FileKind.TYPESCRIPT),
        ("alembic.ini", FileKind.INI),
        (".env", FileKind.ENV),
        (".env.example", FileKind.ENV),
        ("logo.png", None),
        ("Makefile", None),
        ("requirements.txt", FileKind.REQUIREMENTS),
        ("Requirements-Dev.txt", FileKind.REQUIREMENTS),
        ("test_requirements.txt", FileKind.REQUIREMENTS),
        ("constraints.txt", FileKind.REQUIREMENTS),
        ("requirements.in", FileKind.REQUIREMENTS),
        ("dev.in", FileKind.REQUIREMENTS),
        ("MANIFEST.in", None),
        ("config.h.in", None),
        ("notes.txt", None),
        ("uv.lock", FileKind.LOCK),
        ("schema.prisma", FileKind.PRISMA),
        ("poetry.lock", FileKind.LOCK),
        ("pdm.lock", FileKind.LOCK),
        ("Pipfile.lock", FileKind.LOCK),
        ("Pipfile", FileKind.TOML),
        ("yarn.lock", None),
        ("Cargo.lock", None),
        ("setup.cfg", FileKind.INI),
        ("setup.py", FileKind.PYTHON),
    ],
)
def test_kind_of(name: str, kind: FileKind | None) -> None:
    assert kind_of(name) is kind


@pytest.mark.parametrize(
    ("name", "directory", "kind"),
    [
        ("base.txt", "requirements", FileKind.REQUIREMENTS),
        ("base.txt", "backend/Requirements", FileKind.REQUIREMENTS),
        ("base.txt", "docs", None),
        ("base.txt", "requirements/docs", None),
        ("base.in", "docs", FileKind.REQUIREMENTS),
    ],
)
def test_kind_of_txt_depends_on_the_requirements_folder(
    name: str, directory: str, kind: FileKind | None
) -> None:
    assert kind_of(name, directory) is kind
    if kind is not None:
        assert SourceFile.from_text(f"{directory}/{name}", "x\n").kind is kind


def make(data: bytes, rel: str = "m.py") -> SourceFile:
    kind = kind_of(rel)
    assert kind is not None
    return SourceFile(Path(rel), rel, kind, data)


def test_python_coding_cookie_and_bom() -> None:
    assert make(b"# coding: latin-1\nx = '\xe9'\n").text.endswith("x = '\u00e9'\n")
    assert make(b"\xef\xbb\xbfx = 1\n").text == "x = 1\n"


def test_undecodable_file_names_line_and_column() -> None:
    with pytest.raises(AnalysisError) as error:
        _ = make(b"a = 1\nb = '\xff'\n").text
    assert error.value.kind is ProblemKind.DECODE
    assert (error.value.line, error.value.column) == (2, 6)
    assert "0xff" in error.value.message


def test_parse_is_shared_and_errors_are_cached() -> None:
    good = make(b"x = 1\n")
    assert good.python_module() is good.python_module()
    bad = make(b"def f(:\n")
    with pytest.raises(AnalysisError) as first:
        bad.python_module()
    with pytest.raises(AnalysisError) as second:
        bad.python_module()
    assert first.value is second.value
    assert first.value.kind is ProblemKind.PARSE
    assert first.value.line == 1


def test_typescript_syntax_error_is_a_note_and_the_tree_is_kept() -> None:
    broken = make(b"export function POST( {\n  return 1\n", "route.ts")
    root = broken.tree("ast-grep")
    assert root.root().find(kind="function_declaration") is not None or root.root().text()
    [note] = broken.notes
    assert note.kind is ProblemKind.PARSE_RECOVERED
    assert note.line == 1
    assert "parsed with recovery" in note.message


def test_valid_typescript_the_grammar_misreads_is_not_an_error() -> None:
    valid = make(b'const m = await importOriginal<typeof import("next/server")>();\n', "a.test.ts")
    valid.tree("ast-grep")  # never raises, whatever tree-sitter thinks of it
    assert all(note.kind is ProblemKind.PARSE_RECOVERED for note in valid.notes)


def test_tsx_parses_jsx() -> None:
    page = make(b"export default function P() { return <div>{1}</div> }\n", "page.tsx")
    assert page.tree("ast-grep").root().find(kind="jsx_element") is not None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_decoding_never_raises_anything_else(data: bytes) -> None:
    for rel in ("m.py", "a.ini", "r.ts"):
        try:
            _ = make(data, rel).text
        except AnalysisError:
            pass


def test_derived_values_are_computed_once_and_errors_remembered() -> None:
    file = make(b"x = 1\n")
    calls: list[int] = []

    def count_lines(source: SourceFile) -> int:
        calls.append(1)
        return len(source.lines)

    assert file.derived("lines-v1", count_lines) == 1
    assert file.derived("lines-v1", count_lines) == 1
    assert calls == [1]

    def broken(source: SourceFile) -> int:
        calls.append(2)
        raise AnalysisError(ProblemKind.PARSE, "nope", line=1)

    for _ in range(2):
        with pytest.raises(AnalysisError, match="nope"):
            file.derived("broken-v1", broken)
    assert calls == [1, 2]


def test_text_libcst_cannot_represent_is_a_parse_problem() -> None:
    odd = make("\U00033000\n".encode())  # unassigned in every Unicode version so far
    with pytest.raises(AnalysisError) as error:
        odd.python_module()
    assert error.value.kind is ProblemKind.PARSE


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"# coding: rot13\nx = 1  # lessons: ignore[a] -- r\n", 1, "'rot13' is not a text"),
        (b"#!/usr/bin/env python\n# -*- coding: base64 -*-\nx = 1\n", 2, "not a text encoding"),
        (b"# coding: utf-16\nx = 1\n", 1, "'utf-16' cannot describe a file whose coding line"),
        (b"# vim: set fileencoding=utf-32-le :\nx = 1\n", 1, "cannot describe"),
    ],
)
def test_cookies_cpython_refuses_are_decode_problems(data: bytes, line: int, words: str) -> None:
    """CPython says "encoding problem" for these; decoding anyway gave garbage (or a crash)."""
    with pytest.raises(AnalysisError) as error:
        _ = make(data).text
    assert error.value.kind is ProblemKind.DECODE
    assert error.value.line == line
    assert words in error.value.message and "encoding problem" in error.value.message


def test_cookies_cpython_accepts_still_decode() -> None:
    assert make(b"# coding: utf-8-sig\nx = 1\n").text == "# coding: utf-8-sig\nx = 1\n"
    assert make(b"# coding: cp1252\nx = '\x80'\n").text.endswith("x = '\u20ac'\n")


COOKIES = ["rot13", "base64", "hex", "zlib", "utf-16", "utf-32-be", "latin-1", "nope", "idna"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(COOKIES), st.binary(max_size=60))
def test_any_cookie_over_any_bytes_decodes_or_is_a_decode_problem(cookie: str, body: bytes) -> None:
    kind = None
    try:
        _ = make(f"# coding: {cookie}\n".encode() + body).text
    except AnalysisError as error:
        kind = error.kind
    assert kind in (None, ProblemKind.DECODE)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("a\nb\n", ["a", "b"]),
        ("a\r\nb\rc", ["a", "b", "c"]),
        ("a\x0cb\nc\x0bd\x1ce\x85f\u2028g\u2029h\n", ["a\x0cb", "c\x0bd\x1ce\x85f\u2028g\u2029h"]),
        ("", []),
        ("\n\n", ["", ""]),
    ],
)
def test_lines_break_where_the_parsers_break_them(text: str, lines: list[str]) -> None:
    """Form feeds (PEP 8 allows them), U+2028 and friends end no line for any parser."""
    assert split_lines(text) == lines
    assert "".join(split_lines(text, keepends=True)) == text
    assert make(text.encode()).lines == lines


def test_requirement_files_count_lines_as_pip_does() -> None:
    assert make(b"a\x0cb\n", "requirements.txt").lines == ["a", "b"]
