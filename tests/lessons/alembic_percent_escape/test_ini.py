"""alembic-percent-escape, the INI half: `sqlalchemy.url` values of `.ini`/`.cfg` files, their
positions, and a property (the verdict agrees with what configparser reads)."""

from __future__ import annotations

import configparser
import re
import textwrap

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.lessons.alembic_percent_escape.test_python import flagged, only_message, run


def test_ini_flags_the_percent_itself() -> None:
    text = """\
        [alembic]
        script_location = %(here)s/alembic
        sqlalchemy.url = postgresql://app:s3cr%2Bt@db/app
    """
    (finding,) = run(text, "alembic.ini")
    assert (finding.line, finding.column, finding.end_column) == (3, 39, 40)
    assert finding.message == (
        "sqlalchemy.url in [alembic]: percent-encoded '%2B' is read as interpolation syntax and "
        "crashes configparser; write it as '%%2B'"
    )


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("sqlalchemy.url = pg://u:p%ss@db", 26),
        ("sqlalchemy.url=pg://u:%(pw)@db", 23),
        ("sqlalchemy.url : pg://u:100%@db", 28),
        ("    sqlalchemy.url = pg://u:p%@db", 30),
        ("SQLAlchemy.URL = pg://u:p%40@db", 26),
        ("sqlalchemy.url = 100%%%", 23),
    ],
)
def test_ini_separators_indentation_and_case(line: str, column: int) -> None:
    findings = run(f"[other]\n{line}\n", "deploy/db.ini")
    assert [(finding.line, finding.column) for finding in findings] == [(2, column)]
    assert findings[0].message.startswith("sqlalchemy.url in [other]: ")


@pytest.mark.parametrize(
    "text",
    [
        "[alembic]\nsqlalchemy.url = postgresql://app:p%%2Bss@db/app\n",
        "[alembic]\nsqlalchemy.url = sqlite:///%(here)s/app.db\n",
        "[alembic]\nsqlalchemy.url = driver://user:pass@localhost/dbname\n",
        "[alembic]\n# sqlalchemy.url = postgresql://app:p%2Bss@db/app\n",
        "[alembic]\n; sqlalchemy.url = postgresql://app:p%2Bss@db/app\n",
        "[alembic]\nsqlalchemy.urls = postgresql://app:p%2Bss@db/app\n",
        "[formatter_generic]\nformat = %(levelname)s %%(message)s\n",
        "not an ini file at all [ % sqlalchemy.url\n\x00\n",
    ],
)
def test_ini_values_configparser_reads(text: str) -> None:
    assert flagged(text, "alembic.ini") == []


def test_ini_outside_any_section_still_counts() -> None:
    message = only_message("sqlalchemy.url = pg://u:p%@db\n", "setup.cfg")
    assert message.startswith("sqlalchemy.url in the file's preamble: ")


def test_ini_continuation_lines_are_part_of_the_value() -> None:
    text = """\
        [alembic]
        sqlalchemy.url =
            postgresql://app:p%40ss@db/app
        script_location = migrations
            sqlalchemy.url = sqlite:///%%x

        [second]
        sqlalchemy.url = postgresql://app:pass@db/app

            # a comment inside the value
            ?sslmode=require&x=100%
        other = 1

        [third]
        sqlalchemy.url = postgresql://app:p%%40ss@db/app
          ?x=%(here)s
        next = 100%
    """
    findings = run(text, "alembic.ini")
    assert [(f.line, f.column, f.end_column, f.message) for f in findings] == [
        (
            3,
            23,
            24,
            "sqlalchemy.url in [alembic]: percent-encoded '%40' is read as interpolation syntax "
            "and crashes configparser; write it as '%%40'",
        ),
        (
            11,
            27,
            28,
            "sqlalchemy.url in [second]: a '%' in the value is neither '%%' nor a '%(name)s' "
            "reference and crashes configparser interpolation; write a literal '%' as '%%'",
        ),
    ]
    parser = configparser.ConfigParser()
    parser.read_string(textwrap.dedent(text))
    for section in ("alembic", "second"):
        with pytest.raises(configparser.InterpolationSyntaxError):
            parser.get(section, "sqlalchemy.url")
    assert parser.get("third", "sqlalchemy.url", vars={"here": "H"}).endswith("?x=H")


_INI_VALUE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
    max_size=30,
) | st.text(alphabet=st.sampled_from("%()sab2B: "), max_size=16)


@example(value="%(0)s%")  # a missing reference first must not hide the bare '%' after it
@given(value=_INI_VALUE)
def test_ini_verdict_agrees_with_configparser_get(value: str) -> None:
    text = f"[alembic]\nsqlalchemy.url = {value}\n"
    parser = configparser.ConfigParser()
    parser.read_string(text)
    # every `%(name)s` resolves, so only the value's own syntax can make configparser fail
    references = dict.fromkeys(re.findall(r"%\(([^)]*)\)s", value), "x")
    try:
        parser.get("alembic", "sqlalchemy.url", vars=references)
    except configparser.InterpolationSyntaxError:
        rejected = True
    except configparser.InterpolationError:  # e.g. too deep a chain: syntax is fine
        rejected = False
    else:
        rejected = False
    assert (flagged(text, "alembic.ini") == [2]) is rejected
