"""SARIF 2.1.0 output (validated against the published schema) and GitHub annotations."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pytest_lessons.annotations import AnnotationMode, github_annotations, wants_annotations
from pytest_lessons.findings import FileProblem, Finding, ProblemKind, Severity
from pytest_lessons.outcome import Outcome

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text()
)


def validate_sarif(document: dict[str, Any]) -> None:
    validator_class = jsonschema.validators.validator_for(SCHEMA)
    validator_class.check_schema(SCHEMA)
    errors = sorted(validator_class(SCHEMA).iter_errors(document), key=str)
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors
    )


def check_demo(demo: str, tmp_path: Path, *extra: str, env: dict[str, str] | None = None) -> Any:
    sarif = tmp_path / f"{demo}.sarif"
    report = tmp_path / f"{demo}.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest_lessons.cli",
            "check",
            str(EXAMPLES / demo),
            "-p",
            "no:cacheprovider",
            f"--lessons-sarif={sarif}",
            f"--lessons-json={report}",
            *extra,
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    return result, json.loads(sarif.read_text()), json.loads(report.read_text())


@pytest.mark.parametrize("demo", ["cartsnitch-api", "ozi-reorder"])
def test_demo_sarif_validates_and_round_trips(demo: str, tmp_path: Path) -> None:
    _, sarif, report = check_demo(demo, tmp_path)
    validate_sarif(sarif)
    [run] = sarif["runs"]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules == report["lessons"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == (EXAMPLES / demo).as_uri() + "/"
    from_sarif = []
    for result in run["results"]:
        [location] = result["locations"]
        physical = location["physicalLocation"]
        region = physical["region"]
        assert rules[result["ruleIndex"]] == result["ruleId"]
        from_sarif.append(
            (
                result["ruleId"],
                physical["artifactLocation"]["uri"],
                region["startLine"],
                region["startColumn"],
                region.get("endLine", region["startLine"]),
                result["message"]["text"],
                result["partialFingerprints"]["pytestLessons/v1"],
                result["level"],
            )
        )
    from_json = [
        (
            f["lesson"],
            f["path"],
            f["line"],
            f["column"],
            f["end_line"],
            f["message"],
            f"{f['fingerprint']}:{f['occurrence']}",
            f["severity"],
        )
        for f in report["findings"]
    ]
    assert from_sarif == from_json
    assert len(from_sarif) == {"cartsnitch-api": 13, "ozi-reorder": 8}[demo]


def test_sarif_rules_carry_the_lesson_text(tmp_path: Path) -> None:
    from pytest_lessons.catalog import load_catalog

    _, sarif, _ = check_demo("cartsnitch-api", tmp_path)
    rule = next(
        r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "worker-route-auth"
    )
    spec = load_catalog()["worker-route-auth"].spec
    assert rule["shortDescription"]["text"] == spec.title
    assert rule["fullDescription"]["text"] == " ".join(spec.why.split())
    assert rule["help"]["text"] == spec.fix.strip()
    assert spec.fix.strip() in rule["help"]["markdown"]
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert rule["properties"]["incident"] == spec.source.incident


def test_sarif_suppressions_and_baseline_state(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    pytester.makepyprojecttoml(
        f'[tool.pytest-lessons]\nlesson-paths = ["{fixture_lessons.as_posix()}"]\n'
        'select = ["no-todo-marker"]\nbaseline = "baseline.json"\n'
        '[tool.pytest-lessons.per-file-ignores]\n"legacy/*" = ["no-todo-marker"]\n'
    )
    pytester.path.joinpath("a.py").write_text("x = 1  # TODO-NOW\n")
    pytester.runpytest("--lessons", "--lessons-update-baseline", "-p", "no:cacheprovider")
    pytester.path.joinpath("a.py").write_text(
        "x = 1  # TODO-NOW\n"
        "y = 2  # TODO-NOW  # lessons: ignore[no-todo-marker] -- tracked in OPS-1\n"
        "z = 3  # TODO-NOW\n"
    )
    pytester.path.joinpath("legacy").mkdir()
    pytester.path.joinpath("legacy", "old.py").write_text("w = 0  # TODO-NOW\n")
    target = pytester.path / "out.sarif"
    pytester.runpytest("--lessons", f"--lessons-sarif={target}", "-p", "no:cacheprovider")
    document = json.loads(target.read_text())
    validate_sarif(document)
    results = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        ): r
        for r in document["runs"][0]["results"]
    }
    assert results[("a.py", 1)]["suppressions"] == [
        {"kind": "external", "justification": "recorded in the baseline baseline.json"}
    ]
    assert results[("a.py", 1)]["baselineState"] == "unchanged"
    assert results[("a.py", 2)]["suppressions"] == [
        {"kind": "inSource", "justification": "comment on line 2"}
    ]
    assert "suppressions" not in results[("a.py", 3)]
    assert results[("a.py", 3)]["baselineState"] == "new"
    assert results[("legacy/old.py", 1)]["suppressions"][0]["kind"] == "external"


def test_annotations_for_the_cartsnitch_demo(tmp_path: Path) -> None:
    """Under GITHUB_ACTIONS=true: one `::error` line per finding, exactly these."""
    env = {"PATH": "/usr/bin:/bin", "GITHUB_ACTIONS": "true"}
    result, _, report = check_demo("cartsnitch-api", tmp_path, env=env)
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    alembic_title = "alembic-percent-escape%3A Escape '%25' before a value reaches alembic's"
    expected_properties = [
        "file=api/alembic/env.py,line=36,col=9,endColumn=45,title=alembic-create-all-commit%3A "
        "Commit what env.py runs on the connection before alembic takes it over",
        "file=api/alembic/env.py,line=8,col=1,title=alembic-env-imports-models%3A env.py must "
        "import every model module of the Base it hands to alembic",
        f"file=api/alembic/env.py,line=17,col=1,endColumn=49,title={alembic_title} configparser",
        f"file=common/alembic.ini,line=4,col=45,endColumn=46,title={alembic_title} configparser",
        f"file=common/alembic/env.py,line=10,endLine=13,col=1,title={alembic_title} configparser",
        "file=api/alembic/versions/003_make_users_hashed_password_nullable.py,line=10,col=12,"
        "endColumn=53,title=alembic-revision-id-length%3A Keep alembic revision ids within "
        "alembic_version.version_num",
        "file=deploy/k8s/api.yaml,line=14,col=15,title=env-example-complete"
        "%3A Every environment variable the code reads is listed in the env example file",
        "file=deploy/k8s/api.yaml,line=17,col=15,title=env-example-complete"
        "%3A Every environment variable the code reads is listed in the env example file",
        "file=src/cartsnitch_api/settings.py,line=7,col=5,endColumn=20,title=env-example-complete"
        "%3A Every environment variable the code reads is listed in the env example file",
        "file=src/cartsnitch_api/settings.py,line=8,col=5,endColumn=18,title=env-example-complete"
        "%3A Every environment variable the code reads is listed in the env example file",
        "file=api/alembic/versions/005_purchase_store.py,line=16,col=5,endColumn=82,"
        "title=migration-not-null-server-default%3A A column made NOT NULL by a migration needs "
        "a value from the database",
        "file=src/cartsnitch_api/routes/purchases.py,line=32,col=65,endColumn=76,"
        "title=url-id-lookup%3A An entity id in the URL must be the key the data is looked up by",
        "file=src/cartsnitch_api/routes/worker.py,line=16,col=1,title=worker-route-auth%3A Every "
        "route that changes state%2C or runs a cron job%2C must check who is calling",
    ]
    messages = [f"{f['message']} [{f['lesson']}]".replace("%", "%25") for f in report["findings"]]
    assert annotations == [
        f"::error {properties}::{message}"
        for properties, message in zip(expected_properties, messages, strict=True)
    ]
    quiet = check_demo("cartsnitch-api", tmp_path, "--lessons-annotations=off", env=env)[0]
    assert "::error" not in quiet.stdout


def _outcome(root: Path, findings: list[Finding], problems: list[FileProblem]) -> Outcome:
    return Outcome(root=str(root), lessons=["l"], findings=findings, problems=problems)


def test_annotation_escaping_workspace_and_levels(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    finding = Finding(
        lesson="l",
        path="a,b:c.py",
        line=2,
        column=3,
        end_line=2,
        end_column=3,
        message="100% sure\nsecond line",
        severity=Severity.WARNING,
    )
    problem = FileProblem(
        path="bad.py", kind=ProblemKind.PARSE, message="syntax error", lesson="l", line=1
    )
    note = FileProblem(path="big.js", kind=ProblemKind.TOO_LARGE, message="skipped")
    outcome = _outcome(tmp_path / "svc", [finding], [problem, note])
    lines = github_annotations(outcome, {}, environ={"GITHUB_WORKSPACE": str(tmp_path)})
    assert lines == [
        "::warning file=svc/a%2Cb%3Ac.py,line=2,col=3,title=l::100%25 sure%0Asecond line [l]",
        "::error file=svc/bad.py,line=1,col=1,title=pytest-lessons could not analyse this "
        "file (parse) for l::syntax error",
    ]
    assert wants_annotations(AnnotationMode.AUTO, {"GITHUB_ACTIONS": "true"})
    assert not wants_annotations(AnnotationMode.AUTO, {})
    assert wants_annotations(AnnotationMode.GITHUB, {})
    assert not wants_annotations(AnnotationMode.OFF, {"GITHUB_ACTIONS": "true"})
