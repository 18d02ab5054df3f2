"""`vercel.json` cron entries: the paths Vercel calls on a schedule.

A cron route is reachable by anyone who knows its URL, and Vercel calls it with GET, so
`worker-route-auth` must demand a secret check on it even though GET is otherwise "safe". The paths
listed under `"crons"` are how a repository says which routes those are.
"""

from __future__ import annotations

import json
from typing import Any

from pytest_lessons.findings import ProblemKind
from pytest_lessons.source import AnalysisError, SourceFile

FACTS_KEY = "vercel-crons-v1"


def cron_paths(file: SourceFile) -> list[str]:
    """The `path` of every `crons` entry, query string and trailing slash stripped.

    Malformed JSON raises `AnalysisError(PARSE)` with the line and column, so a broken
    `vercel.json` is reported instead of silently hiding its cron routes.
    """
    return file.derived(FACTS_KEY, _extract)


def _extract(file: SourceFile) -> list[str]:
    try:
        document: Any = json.loads(file.text)
    except json.JSONDecodeError as error:
        raise AnalysisError(
            ProblemKind.PARSE,
            f"invalid JSON in {file.rel}: {error.msg}",
            line=error.lineno,
            column=error.colno,
        ) from None
    if not isinstance(document, dict):
        return []
    crons = document.get("crons")
    if not isinstance(crons, list):
        return []
    paths: list[str] = []
    for entry in crons:
        if not isinstance(entry, dict):
            continue
        path = entry.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            continue
        path = path.split("?", 1)[0].split("#", 1)[0]
        if len(path) > 1:
            path = path.rstrip("/")
        if path not in paths:
            paths.append(path)
    return paths
