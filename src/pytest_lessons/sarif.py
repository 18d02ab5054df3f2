"""`--lessons-sarif PATH`: the run as SARIF 2.1.0, for code scanning dashboards and PR views.

One `run`: the lessons that ran are the tool's `rules` (title, why, fix, severity, the incident),
each finding a `result` with its region, a `partialFingerprints` entry built from the baseline
fingerprint (so a dashboard tracks a finding across moves and reformatting, as the baseline
does), and `suppressions` when an inline comment, per-file-ignores or the baseline accepted it.
Files that could not be analysed become tool execution notifications. URIs are relative to the
lessons root, given as `%SRCROOT%`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pytest_lessons.baseline import BASELINED
from pytest_lessons.findings import FileProblem, Finding, Severity
from pytest_lessons.lesson_spec import LessonSpec
from pytest_lessons.outcome import Outcome
from pytest_lessons.package_version import package_version

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "pytestLessons/v1"
ROOT_ID = "%SRCROOT%"
TOOL_NAME = "pytest-lessons"


def _level(severity: Severity) -> str:
    return "warning" if severity is Severity.WARNING else "error"


def _rule(spec: LessonSpec) -> dict[str, Any]:
    fix = spec.fix.strip()
    why = " ".join(spec.why.split())
    return {
        "id": spec.id,
        "name": "".join(word.capitalize() for word in spec.id.split("-")),
        "shortDescription": {"text": " ".join(spec.title.split())},
        "fullDescription": {"text": why},
        "help": {
            "text": fix,
            "markdown": f"**Why:** {why}\n\n**Fix:** {fix}\n\n"
            f"*Learned from: {spec.source.incident}*",
        },
        "defaultConfiguration": {"level": _level(spec.severity)},
        "properties": {
            "incident": spec.source.incident,
            "incidentSummary": " ".join(spec.source.summary.split()),
            "tags": ["pytest-lessons", "postmortem"],
        },
    }


def _region(finding: Finding) -> dict[str, int]:
    region = {"startLine": finding.line, "startColumn": max(finding.column, 1)}
    if finding.end_line > finding.line:
        region["endLine"] = finding.end_line
        region["endColumn"] = max(finding.end_column, 1)
    elif finding.end_column > finding.column:
        region["endLine"] = finding.line
        region["endColumn"] = finding.end_column
    return region  # no end: the region runs to the end of the line (a point finding)


def _suppressions(finding: Finding, baseline: Path | None) -> list[dict[str, str]]:
    reason = finding.suppressed_by or ""
    if not finding.suppressed or reason.startswith("unchanged since "):
        return []  # diff mode does not accept a finding, it only does not fail on it
    if reason == BASELINED:
        where = f" {baseline.name}" if baseline is not None else ""
        return [{"kind": "external", "justification": f"recorded in the baseline{where}"}]
    if reason == "per-file-ignores":
        return [{"kind": "external", "justification": "per-file-ignores in the config"}]
    return [{"kind": "inSource", "justification": reason}]


def _result(
    finding: Finding, rule_index: Mapping[str, int], baseline: Path | None
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.lesson,
        "level": _level(finding.severity),
        "message": {"text": finding.message},
    }
    if finding.lesson in rule_index:
        result["ruleIndex"] = rule_index[finding.lesson]
    if finding.path is not None:
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.path, "uriBaseId": ROOT_ID},
                    "region": _region(finding),
                }
            }
        ]
    if finding.fingerprint is not None:
        result["partialFingerprints"] = {
            FINGERPRINT_KEY: f"{finding.fingerprint}:{finding.occurrence}"
        }
    suppressions = _suppressions(finding, baseline)
    if suppressions:
        result["suppressions"] = suppressions
    if baseline is not None:
        result["baselineState"] = "unchanged" if finding.suppressed_by == BASELINED else "new"
    if finding.suppressed_by and finding.suppressed_by.startswith("unchanged since "):
        result["properties"] = {"diffMode": finding.suppressed_by}
    return result


def _notification(problem: FileProblem) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": problem.path, "uriBaseId": ROOT_ID}}
    }
    if problem.line is not None:
        location["physicalLocation"]["region"] = {
            "startLine": problem.line,
            "startColumn": max(problem.column or 1, 1),
        }
    notification: dict[str, Any] = {
        "level": "error" if problem.fails_lesson else "note",
        "message": {"text": f"could not analyse ({problem.kind.value}): {problem.message}"},
        "locations": [location],
    }
    if problem.lesson is not None:
        notification["associatedRule"] = {"id": problem.lesson}
    return notification


def sarif_document(
    outcome: Outcome, specs: Mapping[str, LessonSpec], *, baseline: Path | None = None
) -> dict[str, Any]:
    rules = [_rule(specs[lesson]) for lesson in outcome.lessons if lesson in specs]
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    root_uri = Path(outcome.root).resolve().as_uri() + "/"
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": package_version(),
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {ROOT_ID: {"uri": root_uri}},
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": [_notification(p) for p in outcome.problems],
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, rule_index, baseline) for f in outcome.findings],
            }
        ],
    }


def write_sarif(
    outcome: Outcome, specs: Mapping[str, LessonSpec], path: Path, *, baseline: Path | None
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = sarif_document(outcome, specs, baseline=baseline)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
