from __future__ import annotations

from pathlib import Path

import pytest

from pytest_lessons.config import LessonsConfigErrors
from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.settings import CommandLine, resolve_settings

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


def settings_for(tmp_path: Path, body: str, **command_line: object) -> object:
    (tmp_path / "pyproject.toml").write_text(
        f"[tool.pytest-lessons]\n# the fixture lessons come from the command line\n{body}\n"
    )
    return resolve_settings(
        CommandLine(root=tmp_path, lesson_paths=[FIXTURES], **command_line)  # type: ignore[arg-type]
    )


def test_select_ignore_and_skip(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        'select = ["no-todo-marker", "alembic-percent-escape"]\n'
        'ignore = ["alembic-percent-escape"]\n'
        '[tool.pytest-lessons.skip]\n"no-todo-marker" = "later"',
    )
    assert settings.checks == {}  # type: ignore[attr-defined]
    assert settings.skipped == {"no-todo-marker": "later"}  # type: ignore[attr-defined]


def test_command_line_select_replaces_config(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path, 'select = ["no-todo-marker"]', select=["alembic-percent-escape"]
    )
    assert list(settings.checks) == ["alembic-percent-escape"]  # type: ignore[attr-defined]


def test_error_names_file_line_and_key(tmp_path: Path) -> None:
    with pytest.raises(LessonsConfigError) as error:
        settings_for(tmp_path, 'exclude = ["a"]\nper-file-ignores = { "x/**" = ["nope"] }')
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'pyproject.toml'}:")
    assert "per-file-ignores" in message and "'nope'" in message


def test_invalid_toml_is_located(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.pytest-lessons]\nselect = [\n")
    with pytest.raises(LessonsConfigError) as error:
        resolve_settings(CommandLine(root=tmp_path))
    assert "invalid TOML" in str(error.value)


def test_missing_root(tmp_path: Path) -> None:
    with pytest.raises(LessonsConfigError, match="not a directory"):
        resolve_settings(CommandLine(root=tmp_path / "nowhere"))


def test_no_config_means_every_builtin_lesson(tmp_path: Path) -> None:
    settings = resolve_settings(CommandLine(root=tmp_path))
    assert "alembic-percent-escape" in settings.checks
    assert settings.config_file is None


def problems_for(tmp_path: Path, body: str) -> list[tuple[int | None, str]]:
    with pytest.raises(LessonsConfigErrors) as raised:
        settings_for(tmp_path, body)
    return raised.value.problems


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a boolean is no size: read as 1 byte it once left every file out, green
        ("max-file-size = true", "`max-file-size`: expected an integer, got true"),
        ("max-file-size = 1.5", "`max-file-size`: expected an integer, got 1.5"),
        ("max-file-size = 0", "`max-file-size`: must be at least 1 (got 0)"),
        (
            "max-file-size = 99999999999999999999",
            "`max-file-size`: must be at most 1073741824 (got 99999999999999999999)",
        ),
        ('respect-gitignore = "no"', '`respect-gitignore`: expected true or false, got "no"'),
        ("require-suppression-reason = 0", "expected true or false, got 0"),
        ('select = "no-todo-marker"', '`select`: expected a list of strings, got "no-todo-marker"'),
        ("minified-line-length = 100", "must be 0 (never skip) or at least 200 (got 100)"),
        ('exclude = ["*.[a-Z]"]', "`exclude[0]`: '*.[a-Z]' is not a valid gitignore pattern"),
        ('exclude = ["ok/", "[z-a]"]', "`exclude[1]`: '[z-a]' is not a valid gitignore pattern"),
        (
            '[tool.pytest-lessons.per-file-ignores]\n"\\\\" = ["no-todo-marker"]',
            "`per-file-ignores.\"\\\\\"`: '\\\\' is not a valid gitignore pattern",
        ),
        ("select = []", "`select` is empty, so no lesson would run"),
        ("max-file-sise = 10", "`max-file-sise`: unknown key; did you mean `max-file-size`?"),
        ('[tool.pytest-lessons.skip]\n"no-todo-marker" = ""', "`skip.no-todo-marker`: must not"),
        (
            '[tool.pytest-lessons.severity]\n"no-todo-marker" = "warn"',
            '`severity.no-todo-marker`: expected one of "error", "warning", got "warn"',
        ),
        ("when = 1979-05-27", "`when`: dates and times are not accepted here"),
        (
            '[tool.pytest-lessons.options.no-todo-marker]\nmarker = ["x"]',
            "`options.no-todo-marker.marker`: expected a string, got an array",
        ),
        (
            "[tool.pytest-lessons.options.worker-route-auth]\npublic-routes = 3",
            "`options.worker-route-auth.public-routes`: expected a list of {glob, reason} tables "
            "or a table of strings, got 3",
        ),
        (
            '[tool.pytest-lessons.options.worker-route-auth]\npublic-routes = [{glob = "/a"}]',
            "`options.worker-route-auth.public-routes[0].reason`: required key is missing",
        ),
        (
            '[tool.pytest-lessons.options.env-example-complete]\nexclude-globs = ["[z-a]"]',
            "'[z-a]' is not a valid gitignore pattern",
        ),
    ],
)
def test_config_is_strict_and_says_why_in_toml_terms(
    tmp_path: Path, body: str, expected: str
) -> None:
    [(line, message)] = problems_for(tmp_path, body)
    assert expected in message
    assert line == 3 + body.count("\n")  # the line of the offending key, after the header
    for python_word in ("Input should", "instance of", "PublicRoute", "tuple[", "dict["):
        assert python_word not in message


def test_every_problem_is_reported_at_once_each_at_its_own_line(tmp_path: Path) -> None:
    found = problems_for(
        tmp_path,
        'select = ["no-todo-markr"]\n'
        "max-file-size = true\n"
        'ignore = ["nope"]\n'
        "colour = 1\n"
        "[tool.pytest-lessons.options.no-todo-marker]\n"
        "marker = 3\n"
        "colr = 1\n",
    )
    assert [line for line, _ in found] == [3, 4, 5, 6, 8, 9]
    assert "did you mean 'no-todo-marker'" in found[0][1]
    assert "`colour`: unknown key" in found[3][1]
    assert "`options.no-todo-marker.colr`: unknown key" in found[5][1]
    with pytest.raises(LessonsConfigErrors) as raised:
        settings_for(tmp_path, 'select = ["no-todo-markr"]\nmax-file-size = true\n')
    assert str(raised.value).startswith("2 problems in [tool.pytest-lessons]:\n")


def test_a_contradiction_that_runs_nothing_is_an_error(tmp_path: Path) -> None:
    [(_, message)] = problems_for(
        tmp_path, 'select = ["no-todo-marker"]\nignore = ["no-todo-marker"]'
    )
    assert "removes every lesson `select` names" in message
    with pytest.raises(LessonsConfigError, match="names no lesson"):
        resolve_settings(CommandLine(root=tmp_path, select=[]))


@pytest.mark.parametrize(
    "text",
    ['tool = "x"\n', "[tool]\npytest-lessons = 3\n", "a = " + "[" * 50_000 + "]" * 50_000 + "\n"],
)
def test_malformed_documents_are_config_errors(tmp_path: Path, text: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(LessonsConfigError):
        resolve_settings(CommandLine(root=tmp_path))


def test_extend_adds_to_a_list_option_instead_of_replacing_it(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        "[tool.pytest-lessons.options.worker-route-auth]\n"
        'extend-secret-name-patterns = ["*PASSPHRASE*"]\n'
        "[tool.pytest-lessons.options.telemetry-isolation]\n"
        'extra-emitters = ["a.send"]\n'
        'extend-extra-emitters = ["b.send"]\n',
    )
    checks = settings.checks  # type: ignore[attr-defined]
    assert checks["worker-route-auth"].options.secret_name_patterns == (
        "*SECRET*",
        "*TOKEN*",
        "*KEY*",
        "*PASSPHRASE*",
    )
    assert checks["telemetry-isolation"].options.extra_emitters == ("a.send", "b.send")


def test_extend_of_something_that_is_not_a_list_is_refused(tmp_path: Path) -> None:
    found = problems_for(
        tmp_path,
        "[tool.pytest-lessons.options.worker-route-auth]\n"
        'extend-secret-name-pattern = ["*X*"]\n'
        'public-routes = { "/a" = "public" }\n'
        'extend-public-routes = [{ glob = "/b", reason = "also public" }]\n',
    )
    assert [line for line, _ in found] == [4, 6]
    assert "did you mean `extend-secret-name-patterns`?" in found[0][1]
    assert "`public-routes` is a table here, not a list" in found[1][1]


def test_severity_in_config_applies_to_the_lesson(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, '[tool.pytest-lessons.severity]\n"url-id-lookup" = "warning"')
    check = settings.checks["url-id-lookup"]  # type: ignore[attr-defined]
    assert check.spec.severity.value == "warning"
