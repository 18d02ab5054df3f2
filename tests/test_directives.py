from __future__ import annotations

import pytest

from pytest_lessons.directives import parse_directives


@pytest.mark.parametrize(
    ("line", "ids", "reason", "standalone"),
    [
        ("x = f()  # lessons: ignore[a-b] -- because", ("a-b",), "because", False),
        ("# lessons: ignore[a-b, c-d] -- two at once", ("a-b", "c-d"), "two at once", True),
        ("call(); // lessons: ignore[a-b] -- ts", ("a-b",), "ts", False),
        ("  /* lessons: ignore[a-b] -- block */", ("a-b",), "block", True),
        ("  {/* lessons: ignore[a-b] -- jsx */}", ("a-b",), "jsx", True),
        ("key = v ; lessons: ignore[a-b]", ("a-b",), None, False),
        ("x = 1  # lessons: ignore[a-b]", ("a-b",), None, False),
        ("x = 1  # lessons: ignore[a-b] --   ", ("a-b",), None, False),
    ],
)
def test_forms(line: str, ids: tuple[str, ...], reason: str | None, standalone: bool) -> None:
    [directive] = parse_directives(line)
    assert directive.verb == "ignore"
    assert directive.lessons == ids
    assert directive.reason == reason
    assert directive.standalone is standalone
    assert directive.target_line == (2 if standalone else 1)


def test_text_that_is_not_a_comment_is_ignored() -> None:
    assert parse_directives('doc = "see lessons: ignore[x] in the README"\n') == []


def test_expect_and_ignore_are_told_apart() -> None:
    text = "a = 1  # lessons: expect[x]\n# lessons: ignore[y] -- r\nb = 2\n"
    assert [d.verb for d in parse_directives(text)] == ["expect", "ignore"]
    assert [d.verb for d in parse_directives(text, frozenset({"ignore"}))] == ["ignore"]


def test_trailing_comment_covers_multiline_statement() -> None:
    text = "call(\n    arg,  # lessons: ignore[x] -- r\n)\n"
    [directive] = parse_directives(text)
    assert directive.covers(1, 3)
    assert not directive.covers(4, 4)


def test_standalone_comment_covers_only_the_next_line() -> None:
    [directive] = parse_directives("# lessons: ignore[x] -- r\nfirst()\nsecond()\n")
    assert directive.covers(2, 2)
    assert not directive.covers(3, 3)
    assert not directive.covers(1, 1)


def test_python_strings_that_quote_a_directive_are_not_directives() -> None:
    text = (
        'sample = "x = 1  # lessons: ignore[a] -- quoted in a test"\n'
        "y = 2  # lessons: ignore[b] -- real\n"
        '"""\n# lessons: expect[c]\n"""\n'
    )
    found = parse_directives(text, python=True)
    assert [(d.lessons, d.line) for d in found] == [(("b",), 2)]
    # the plain line scan (for other languages) cannot tell, which is why Python tokenizes
    assert len(parse_directives(text)) == 3


def test_python_falls_back_to_lines_when_tokenizing_fails() -> None:
    text = "x = (\n# lessons: ignore[a] -- r\n"
    assert [d.lessons for d in parse_directives(text, python=True)] == [("a",)]


@pytest.mark.parametrize("separator", ["\x0c\n", "\n\x0c\n", "# \u2028 in a comment\n", "\x0b\n"])
def test_line_numbers_ignore_characters_no_parser_breaks_lines_at(separator: str) -> None:
    text = f"x = 1\n{separator}# lessons: ignore[a] -- r\ny = 2\n"
    expected = 2 + separator.count("\n")
    for python in (True, False):
        [directive] = parse_directives(text, python=python)
        assert directive.line == expected
        assert directive.target_line == expected + 1


def test_a_bare_return_ends_a_line() -> None:
    [directive] = parse_directives("x = 1\r# lessons: ignore[a] -- r\ry = 2\r", python=True)
    assert (directive.line, directive.target_line) == (2, 3)


@pytest.mark.parametrize(
    "comment", ["# lessons: ignore", "# lessons: ignore -- why", "# lessons: ignore[] -- why"]
)
def test_a_suppression_naming_no_lesson_is_kept_to_be_reported(comment: str) -> None:
    [directive] = parse_directives(f"x = 1  {comment}\n", python=True)
    assert directive.verb == "ignore"
    assert directive.lessons == ()


def test_an_unknown_verb_is_kept_to_be_reported() -> None:
    [directive] = parse_directives("x = 1  # lessons: ignroe[a] -- why\n", frozenset({"ignore"}))
    assert directive.verb == "ignroe"
    assert parse_directives("x = 1  # lessons: expect[a]\n", frozenset({"ignore"})) == []


DECORATED = """\
# lessons: ignore[a] -- above the decorators
@router.post(
    "/x",  # lessons: ignore[b] -- inside a decorator
)

@requires_auth
async def handler():  # line 7
    pass

@dataclass  # lessons: ignore[c] -- trailing on the decorator
class Model:  # line 11
    # lessons: ignore[d] -- not a decorator
    x = 1
"""


def test_a_comment_on_or_above_a_decorator_covers_the_decorated_def() -> None:
    found = {d.lessons[0]: d for d in parse_directives(DECORATED, python=True)}
    assert found["a"].covers(7, 7) and found["a"].covers(2, 2)
    assert found["b"].covers(7, 8) and not found["b"].covers(11, 11)
    assert found["c"].covers(11, 13) and found["c"].covers(10, 10)
    assert found["d"].decorated_def is None and found["d"].covers(13, 13)
    assert not found["a"].covers(8, 8)
