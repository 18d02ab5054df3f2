"""alembic-percent-escape's fixes: escape at the call, double the bare '%' of an ini URL."""

from __future__ import annotations

import configparser
import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.checks.alembic_percent_escape.fix import double_bare_percents
from pytest_lessons.fixing import fix_repository
from pytest_lessons.settings import CommandLine, resolve_settings
from pytest_lessons.testing import run_lessons

LESSON = "alembic-percent-escape"


def fixed(tmp_path: Path, files: dict[str, str]) -> dict[str, str]:
    """Write `files` under `tmp_path`, run `pytest-lessons fix` for this lesson, read them back."""
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    fix_repository(resolve_settings(CommandLine(root=tmp_path, select=[LESSON])))
    return {rel: (tmp_path / rel).read_text() for rel in files}


def test_the_bad_tree_is_fixed_but_for_a_broken_reference(tmp_path: Path) -> None:
    tree = tmp_path / "bad"
    shutil.copytree(BUILTIN_LESSONS_DIR / LESSON / "bad", tree)
    before = run_lessons(tree, [LESSON])
    assert len(before.findings) > 20
    report = fix_repository(resolve_settings(CommandLine(root=tree, select=[LESSON])))
    assert len(report.applied) == len(before.findings) - 1
    # `%(password)@` may mean the reference `%(password)s` or a literal: the author decides
    assert [(f.path, f.line) for f in report.left] == [("deploy/migrations.ini", 8)]
    assert report.problems == []


def test_a_variable_is_escaped_where_it_is_passed(tmp_path: Path) -> None:
    after = fixed(
        tmp_path,
        {
            "env.py": """\
                db_url = settings.database_url
                config.set_main_option("sqlalchemy.url", db_url)  # the URL
                context.configure(url=db_url)
                """
        },
    )
    assert after["env.py"] == (
        "db_url = settings.database_url\n"
        'config.set_main_option("sqlalchemy.url", db_url.replace("%", "%%"))  # the URL\n'
        "context.configure(url=db_url)\n"
    )


def test_an_expression_that_binds_looser_is_parenthesised_in_the_calls_quotes(
    tmp_path: Path,
) -> None:
    after = fixed(
        tmp_path,
        {
            "env.py": """\
                config.set_section_option(
                    'alembic',
                    'sqlalchemy.url',
                    'postgresql://' + user + ':' + password + '@db/app',
                )
                """
        },
    )
    assert (
        "    ('postgresql://' + user + ':' + password + '@db/app').replace('%', '%%'),\n"
        in (after["env.py"])
    )


def test_a_literal_has_its_bare_percents_doubled_in_place(tmp_path: Path) -> None:
    after = fixed(
        tmp_path,
        {
            "env.py": 'cfg.set_main_option("sqlalchemy.url", "postgresql://a:100%sure@db/%(here)s")\n'
        },
    )
    assert after["env.py"] == (
        'cfg.set_main_option("sqlalchemy.url", "postgresql://a:100%%sure@db/%(here)s")\n'
    )


def test_interpolation_in_the_source_is_left_to_its_author(tmp_path: Path) -> None:
    source = 'cfg.set_main_option("script_location", base + "%(here)s/x" + suffix)\n'
    assert fixed(tmp_path, {"env.py": source})["env.py"] == source


def test_an_ini_url_gets_each_bare_percent_doubled(tmp_path: Path) -> None:
    after = fixed(
        tmp_path,
        {
            "alembic.ini": """\
                [alembic]
                script_location = %(here)s/alembic
                sqlalchemy.url = postgresql://app:p%2Bss%@db/%%x
                """
        },
    )
    assert after["alembic.ini"].splitlines()[2] == (
        "sqlalchemy.url = postgresql://app:p%%2Bss%%@db/%%x"
    )


def test_a_continued_ini_value_is_fixed_on_its_own_line(tmp_path: Path) -> None:
    after = fixed(
        tmp_path,
        {"alembic.ini": "[alembic]\nsqlalchemy.url =\n    postgresql://app:p%2Bss@db/app\n"},
    )
    assert (
        after["alembic.ini"] == "[alembic]\nsqlalchemy.url =\n    postgresql://app:p%%2Bss@db/app\n"
    )


def test_crlf_and_a_bom_survive_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "alembic.ini"
    path.write_bytes(b"\xef\xbb\xbf[alembic]\r\nsqlalchemy.url = sqlite:///100%.db\r\n")
    fix_repository(resolve_settings(CommandLine(root=tmp_path, select=[LESSON])))
    assert path.read_bytes() == (
        b"\xef\xbb\xbf[alembic]\r\nsqlalchemy.url = sqlite:///100%%.db\r\n"
    )


def test_a_python_file_keeps_its_coding_cookie_encoding(tmp_path: Path) -> None:
    path = tmp_path / "env.py"
    source = '# -*- coding: latin-1 -*-\n# café\ncfg.set_main_option("sqlalchemy.url", url)\n'
    path.write_bytes(source.encode("latin-1"))
    fix_repository(resolve_settings(CommandLine(root=tmp_path, select=[LESSON])))
    assert path.read_bytes().decode("latin-1").endswith('url.replace("%", "%%"))\n')
    assert "café".encode("latin-1") in path.read_bytes()


@given(st.text(alphabet=st.sampled_from("%()sa:/@+2B"), max_size=20))
def test_a_doubled_url_reads_back_from_configparser_as_meant(url: str) -> None:
    """configparser gives back what the author meant: each '%', whether written bare or '%%'."""
    assume("%(" not in url)
    doubled = double_bare_percents(url)
    assert doubled is not None
    parser = configparser.ConfigParser()
    parser.read_string("[alembic]\n")
    parser.set("alembic", "sqlalchemy.url", doubled)
    assert parser.get("alembic", "sqlalchemy.url") == url.replace("%%", "%")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("p%2Bss", "p%%2Bss"),
        ("100%", "100%%"),
        ("%%x", "%%x"),
        ("%(here)s/%", "%(here)s/%%"),
        ("%(password)@db", None),
    ],
)
def test_double_bare_percents(url: str, expected: str | None) -> None:
    assert double_bare_percents(url) == expected
