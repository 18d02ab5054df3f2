"""`project_prefilter`: a side of a cross-file lesson is skipped when no file could feed it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pytest_lessons.checks.single_emission_source import SingleEmissionSource
from pytest_lessons.checks.telemetry_isolation import TelemetryIsolation
from pytest_lessons.checks.url_id_lookup import UrlIdLookup
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import run_lessons

SERVICE = {
    "app/routes.py": "from app.telemetry import track\n\nasync def go():\n    await track('x')\n",
    "app/telemetry.py": "async def track(event):\n    pass\n",
    "app/models.py": "class Order:\n    id: int\n",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _extracted(
    monkeypatch: pytest.MonkeyPatch,
    check: type[Any],
    root: Path,
    lesson: str,
    prefilter: bool,
    suffixes: tuple[str, ...] = (".py",),
) -> set[str]:
    seen: set[str] = set()
    original = check.extract

    def recording(self: Any, file: SourceFile) -> Any:
        seen.add(file.rel)
        return original(self, file)

    monkeypatch.setattr(check, "extract", recording)
    # the spy records in this process: extract here, not in worker processes
    monkeypatch.setattr("pytest_lessons.extraction_pool.available_cpus", lambda: 1)
    run_lessons(root, [lesson], use_prefilter=prefilter)
    return {rel for rel in seen if rel.endswith(suffixes)}


def test_no_analytics_sdk_anywhere_means_no_python_file_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, SERVICE)
    assert (
        _extracted(monkeypatch, TelemetryIsolation, tmp_path, "telemetry-isolation", True) == set()
    )
    assert _extracted(
        monkeypatch, TelemetryIsolation, tmp_path, "telemetry-isolation", False
    ) == set(SERVICE)


def test_one_file_naming_the_sdk_brings_every_python_file_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wrapper's callers do not name posthog; they are read because the wrapper does."""
    files = {**SERVICE, "app/telemetry.py": "import posthog\n\nasync def track(event):\n    pass\n"}
    _write(tmp_path, files)
    assert _extracted(
        monkeypatch, TelemetryIsolation, tmp_path, "telemetry-isolation", True
    ) == set(files)


def test_a_configured_emitter_counts_as_an_sdk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, SERVICE)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest-lessons.options.telemetry-isolation]\nextra-emitters = ["track"]\n'
    )
    assert _extracted(
        monkeypatch, TelemetryIsolation, tmp_path, "telemetry-isolation", True
    ) == set(SERVICE)


def test_routes_need_a_web_framework_somewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, SERVICE)
    assert _extracted(monkeypatch, UrlIdLookup, tmp_path, "url-id-lookup", True) == set()
    _write(tmp_path, {"app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    assert _extracted(monkeypatch, UrlIdLookup, tmp_path, "url-id-lookup", True) == {
        *SERVICE,
        "app/main.py",
    }


FRONT_END = {
    "tsconfig.json": '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
    "app/api/orders/route.ts": (
        'import { track } from "@/lib/track";\n'
        "export async function POST() {\n  await Promise.all([track('order_placed')]);\n}\n"
    ),
    "lib/track.ts": "export async function track(event: string) {\n  await send(event);\n}\n",
}


@pytest.mark.parametrize(
    ("check", "lesson"),
    [(TelemetryIsolation, "telemetry-isolation"), (SingleEmissionSource, "single-emission-source")],
)
def test_no_analytics_sdk_in_any_script_means_no_script_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, check: type[Any], lesson: str
) -> None:
    """The JSON files that shape resolution are still read: they are not gated on their own."""
    _write(tmp_path, FRONT_END)
    scripts = (".ts", ".json")
    assert _extracted(monkeypatch, check, tmp_path, lesson, True, scripts) == {"tsconfig.json"}
    assert _extracted(monkeypatch, check, tmp_path, lesson, False, scripts) == set(FRONT_END)


def test_one_script_naming_an_sdk_brings_every_script_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The route calling the wrapper names no SDK; it is read because the wrapper's module
    does, and the finding needs both (and the tsconfig to resolve `@/lib/track`)."""
    files = {
        **FRONT_END,
        "lib/track.ts": (
            'import { PostHog } from "posthog-node";\nconst client = new PostHog("k");\n'
            "export async function track(event: string) {\n"
            "  await client.captureImmediate({ event, distinctId: 'x' });\n}\n"
        ),
    }
    _write(tmp_path, files)
    scripts = (".ts", ".json")
    assert _extracted(
        monkeypatch, TelemetryIsolation, tmp_path, "telemetry-isolation", True, scripts
    ) == set(files)
    outcome = run_lessons(tmp_path, ["telemetry-isolation"])
    assert [(f.path, f.line) for f in outcome.findings] == [("app/api/orders/route.ts", 3)]
