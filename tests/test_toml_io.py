from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_lessons.toml_io import key_lines, line_of

DOCUMENT = '''# a comment with [brackets] and key = "value"
[tool.pytest-lessons]
select = [
  "a",  # ] not the end
  'b',
]
"per-file-ignores" = { "x/**" = ["nope"], y = [] }
text = """multi
[fake.header]
fake = 1"""
literal = \'\'\'also [fake]
\'\'\'
escaped = "quote \\" [still] a string"

[tool.pytest-lessons.options.worker-route-auth]
public-routes = [{glob = "/a", reason = "r"},
  {glob = "/b"}]
a.b."c.d" = 1

[[tool.x]]
k = 1
[[tool.x]]
k = 2
[tool.x.sub]
z = 3
'''


def test_key_lines_follow_tables_arrays_and_strings() -> None:
    lines = key_lines(DOCUMENT)
    table = ("tool", "pytest-lessons")
    assert lines[table] == 2
    assert lines[(*table, "select")] == 3
    assert lines[(*table, "select", 1)] == 5
    assert lines[(*table, "per-file-ignores", "x/**", 0)] == 7
    assert lines[(*table, "text")] == 8
    assert ("fake", "header") not in lines and ("fake",) not in lines
    assert lines[(*table, "literal")] == 11
    assert lines[(*table, "escaped")] == 13
    options = (*table, "options", "worker-route-auth")
    assert lines[options] == 15
    assert lines[(*options, "public-routes", 1, "glob")] == 17
    assert lines[(*options, "a", "b", "c.d")] == 18
    assert lines[("tool", "x", 1, "k")] == 23
    assert lines[("tool", "x", 1, "sub", "z")] == 25


def test_line_of_falls_back_to_the_enclosing_key() -> None:
    lines = key_lines(DOCUMENT)
    assert line_of(lines, ("tool", "pytest-lessons", "select", 7)) == 3
    assert line_of(lines, ("nowhere",)) is None


def test_key_lines_keep_what_they_read_before_text_they_cannot_follow() -> None:
    assert key_lines("[unclosed\nkey = ") == {("unclosed",): 1}
    assert key_lines("") == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-=[}", [("-",), ("-", 0)]),
        ("a = [}]", [("a",), ("a", 0)]),
        ("a = [1, }", [("a",), ("a", 0), ("a", 1)]),
        ("t = {a = 1 ]", [("t",), ("t", "a")]),
    ],
)
def test_key_lines_stop_at_a_closer_of_the_wrong_kind(
    text: str, expected: list[tuple[str | int, ...]]
) -> None:
    """Found by the property test below: an element that reads as nothing (`}` inside an
    array) used to be read again forever, each time as one more element, until the run's
    memory ran out. Whatever was read before it is kept."""
    assert list(key_lines(text)) == expected


@given(st.text(alphabet=st.sampled_from("[]{}\"'=.,#\n \\abc-_1"), max_size=80))
def test_key_lines_never_raise(text: str) -> None:
    assert isinstance(key_lines(text), dict)
