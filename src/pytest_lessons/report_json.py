"""`--lessons-json`: every finding and every file that could not be analysed, as JSON.

The record shape is versioned: SARIF output and baselines build on the same records, and a
consumer can refuse a version it does not know.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest_lessons.outcome import Outcome

JSON_REPORT_VERSION = 3
"""2: findings carry `fingerprint`, `occurrence` and `suppressed_by`; `baseline_fixed` added."""


def report_document(outcome: Outcome) -> dict[str, Any]:
    return {
        "version": JSON_REPORT_VERSION,
        "root": outcome.root,
        "lessons": outcome.lessons,
        "findings": [
            {
                "lesson": f.lesson,
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "end_line": f.end_line,
                "end_column": f.end_column,
                "message": f.message,
                "severity": f.severity.value,
                "suppressed": f.suppressed,
                "suppressed_by": f.suppressed_by,
                "fingerprint": f.fingerprint,
                "occurrence": f.occurrence,
            }
            for f in outcome.findings
        ],
        "baseline_fixed": [entry.model_dump() for entry in outcome.baseline_fixed],
        "errors": [
            {
                "path": p.path,
                "lesson": p.lesson,
                "kind": p.kind.value,
                "line": p.line,
                "column": p.column,
                "message": p.message,
                "needed_by": list(p.needed_by),
            }
            for p in outcome.problems
        ],
    }


def write_json_report(outcome: Outcome, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report_document(outcome), indent=2) + "\n", encoding="utf-8")
