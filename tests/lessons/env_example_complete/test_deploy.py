"""env-example-complete, deployment files: variables set one prefix away from what is read."""

from __future__ import annotations

import pytest

from pytest_lessons.lang.deploy.workloads import deploy_facts
from pytest_lessons.source import AnalysisError, SourceFile
from tests.lessons.env_example_complete.support import run

SETTINGS = (
    "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n"
    "class Settings(BaseSettings):\n"
    '    model_config = SettingsConfigDict(env_prefix="APP_"{extra})\n'
    '    database_url: str = "sqlite://"\n\nSettings()\n'
)


def flagged(files: dict[str, str], **settings: str) -> list[tuple[str | None, int]]:
    code = SETTINGS.format(extra=settings.get("extra", ""))
    found = run({"api/.env.example": "APP_DATABASE_URL=\n", "api/app/config.py": code, **files})
    return [(f.path, f.line) for f in found]


def compose(environment: str, build: str = "build: ./api") -> str:
    return f"services:\n  api:\n    {build}\n    environment:\n{environment}"


def test_a_compose_service_setting_the_unprefixed_name_is_flagged() -> None:
    files = {"docker-compose.yml": compose("      DATABASE_URL: postgres://db\n")}
    assert flagged(files) == [("docker-compose.yml", 5)]


@pytest.mark.parametrize(
    "environment",
    [
        "      APP_DATABASE_URL: postgres://db\n",
        "      - app_database_url=postgres://db\n",  # case-insensitive by default
        "      - PORT=8000\n",  # a platform variable
        "      - UNRELATED=1\n",  # no read is one prefix away
    ],
)
def test_names_that_are_read_or_unrelated_pass(environment: str) -> None:
    assert flagged({"docker-compose.yml": compose(environment)}) == []


def test_case_sensitive_settings_need_the_exact_case() -> None:
    files = {"docker-compose.yml": compose("      - database_url=x\n")}
    # case_sensitive=True: the variable is APP_database_url
    assert flagged(files, extra=", case_sensitive=True") == [("docker-compose.yml", 5)]


def test_a_service_pulling_an_image_is_not_this_code() -> None:
    files = {"docker-compose.yml": compose("      DATABASE_URL: x\n", build="image: postgres:16")}
    assert flagged(files) == []


def test_the_service_scope_is_its_build_context() -> None:
    reader = "export const url = process.env.DATABASE_URL;\n"
    files = {
        "docker-compose.yml": compose("      DATABASE_URL: x\n"),
        "web/.env.example": "DATABASE_URL=\n",
        "web/db.ts": reader,
    }
    assert flagged(files) == [("docker-compose.yml", 5)]  # the web app's read is not the API's
    files["api/app/db.ts"] = reader
    assert ("docker-compose.yml", 5) not in flagged(files)


def test_workflow_service_containers_are_skipped() -> None:
    workflow = (
        "jobs:\n  t:\n    services:\n      pg:\n        image: postgres\n"
        "        env:\n          DATABASE_URL: x\n    env:\n      DATABASE_URL: y\n"
    )
    assert flagged({".github/workflows/ci.yml": workflow}) == [(".github/workflows/ci.yml", 9)]


def test_a_broken_deployment_file_is_a_problem_and_a_broken_template_a_note() -> None:
    broken = SourceFile.from_text("docker-compose.yml", "services:\n  api: [\n")
    with pytest.raises(AnalysisError, match="YAML syntax error") as error:
        deploy_facts(broken)
    assert error.value.line == 3
    template = SourceFile.from_text(
        "chart/templates/d.yaml", "kind: Deployment\nspec: {{ if .x }}[{{ end }}\n  bad: [\n"
    )
    assert deploy_facts(template).variables == []
    assert [note.kind.value for note in template.notes] == ["parse-recovered"]
