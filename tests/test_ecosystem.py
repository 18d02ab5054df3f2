"""The hooks into the ecosystem: the pre-commit hooks and the composite GitHub Action.

Each file is validated by the tool that owns its format (pre-commit's manifest schema, the
GitHub Actions schema check-jsonschema ships), and the commands they run are run here.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pre_commit.clientlib import load_manifest

PROJECT = Path(__file__).resolve().parents[1]
SCRIPTS = Path(sys.executable).parent
CONSOLE_SCRIPT = shutil.which("pytest-lessons", path=str(SCRIPTS))


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Lessons", "-c", "user.email=lessons@example.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def service(tmp_path: Path, fixture_lessons: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.pytest-lessons]\nlesson-paths = ["{fixture_lessons.as_posix()}"]\n'
        'select = ["no-todo-marker"]\n'
    )
    (tmp_path / "jobs.py").write_text("x = 1  # TODO-NOW\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "an old finding")
    return tmp_path


def hook_command(hook_id: str) -> list[str]:
    [hook] = [
        h for h in load_manifest(str(PROJECT / ".pre-commit-hooks.yaml")) if h["id"] == hook_id
    ]
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    command = shlex.split(hook["entry"])
    assert command[0] == "pytest-lessons"
    assert CONSOLE_SCRIPT is not None, "the pytest-lessons console script is not installed"
    return [CONSOLE_SCRIPT, *command[1:]]


def test_pre_commit_hook_fails_only_on_the_staged_change(service: Path) -> None:
    command = hook_command("pytest-lessons")
    clean = subprocess.run(command, cwd=service, capture_output=True, text=True, check=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr  # the old finding is not new
    (service / "jobs.py").write_text("x = 1  # TODO-NOW\ny = 2  # TODO-NOW\n")
    git(service, "add", "jobs.py")
    staged = subprocess.run(command, cwd=service, capture_output=True, text=True, check=False)
    assert staged.returncode == 1, staged.stdout + staged.stderr
    assert "jobs.py:2:10: TODO-NOW marker left in code [no-todo-marker]" in staged.stdout
    assert "jobs.py:1:10" not in staged.stdout


def test_pre_commit_whole_repository_hook(service: Path) -> None:
    result = subprocess.run(
        hook_command("pytest-lessons-all"), cwd=service, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "jobs.py:1:10: TODO-NOW marker left in code [no-todo-marker]" in result.stdout


def test_action_is_a_valid_composite_action() -> None:
    result = subprocess.run(
        [
            str(SCRIPTS / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-actions",
            str(PROJECT / "action.yml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    action = yaml.safe_load((PROJECT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"path", "since", "sarif", "args", "package", "python-version"}


def _check_step() -> dict[str, object]:
    action = yaml.safe_load((PROJECT / "action.yml").read_text())
    [step] = [s for s in action["runs"]["steps"] if s.get("id") == "check"]
    return step  # type: ignore[no-any-return]


@pytest.mark.parametrize("since", ["", "HEAD"])
def test_action_check_step_annotates_and_writes_sarif(
    service: Path, tmp_path: Path, since: str
) -> None:
    """The step's own script, run by bash as GitHub runs it, with the inputs as env."""
    (service / "jobs.py").write_text("x = 1  # TODO-NOW\ny = 2  # TODO-NOW\n")
    step = _check_step()
    outputs = tmp_path / "github_output"
    env = {
        "PATH": f"{SCRIPTS}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(outputs),
        "LESSONS_PATH": ".",
        "LESSONS_SINCE": since,
        "LESSONS_SARIF": "out/lessons.sarif",
        "LESSONS_ARGS": "-p no:cacheprovider --lessons-format concise",
    }
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", str(step["run"])],
        cwd=service,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    lines = [2] if since else [1, 2]
    assert [line.split(",col=")[0] for line in annotations] == [
        f"::error file=jobs.py,line={n}" for n in lines
    ]
    assert (service / "out" / "lessons.sarif").is_file()
    assert outputs.read_text() == "sarif=out/lessons.sarif\n"
