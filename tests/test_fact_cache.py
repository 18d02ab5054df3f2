"""Facts are reused for unchanged files and recomputed when content, options or code change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pytest_lessons.analysis import run_analysis
from pytest_lessons.checks.base import Check
from pytest_lessons.fact_cache import FactCache
from pytest_lessons.settings import CommandLine, Settings, resolve_settings
from pytest_lessons.source import SourceFile

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


def configure(root: Path, marker: str = "TODO-NOW") -> Settings:
    (root / "pyproject.toml").write_text(
        f'[tool.pytest-lessons]\nlesson-paths = ["{FIXTURES.as_posix()}"]\n'
        'select = ["no-todo-marker"]\n'
        f'[tool.pytest-lessons.options.no-todo-marker]\nmarker = "{marker}"\n'
    )
    return resolve_settings(CommandLine(root=root))


def counting_run(settings: Settings, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Run once with a cache; return how many files were actually extracted."""
    extracted: list[str] = []
    check = settings.checks["no-todo-marker"]
    original = type(check).extract

    def spy(self: Check[Any, Any], file: SourceFile) -> Any:
        extracted.append(file.rel)
        return original(self, file)  # type: ignore[arg-type]

    monkeypatch.setattr(type(check), "extract", spy)
    cache = FactCache(cache_dir, settings)
    outcome = run_analysis(settings, cache=cache)
    cache.save()
    monkeypatch.undo()
    assert len(outcome.findings) == 2
    return len(extracted)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A two-file repository with one marker per file, and an empty cache beside it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.py").write_text("x = 1  # TODO-NOW FIXME-NOW\n")
    (repo / "b.py").write_text("y = 1  # TODO-NOW FIXME-NOW\n")
    (tmp_path / "cache").mkdir()
    return repo


def test_unchanged_files_are_not_extracted_again(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = root.parent / "cache"
    settings = configure(root)
    assert counting_run(settings, cache_dir, monkeypatch) == 2
    assert counting_run(settings, cache_dir, monkeypatch) == 0
    (root / "b.py").write_text("y = 2  # TODO-NOW\n")
    assert counting_run(settings, cache_dir, monkeypatch) == 1


def test_changed_options_invalidate(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = root.parent / "cache"
    assert counting_run(configure(root), cache_dir, monkeypatch) == 2
    assert counting_run(configure(root, "FIXME-NOW"), cache_dir, monkeypatch) == 2


def test_corrupt_cache_is_ignored(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = root.parent / "cache"
    (cache_dir / "facts-no-todo-marker.json").write_text("{not json")
    assert counting_run(configure(root), cache_dir, monkeypatch) == 2


def test_edited_check_code_invalidates(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team's own check edited without bumping `version` must not reuse old facts."""
    lessons = tmp_path / "lessons"
    (lessons / "no-todo-marker").mkdir(parents=True)
    for name in ("lesson.toml", "no_todo_marker.py"):
        (lessons / "no-todo-marker" / name).write_text(
            (FIXTURES / "no-todo-marker" / name).read_text()
        )
    module = lessons / "no-todo-marker" / "no_todo_marker.py"

    def settings_here() -> Settings:
        (root / "pyproject.toml").write_text(
            f'[tool.pytest-lessons]\nlesson-paths = ["{lessons.as_posix()}"]\n'
            'select = ["no-todo-marker"]\n'
        )
        return resolve_settings(CommandLine(root=root))

    cache_dir = root.parent / "cache"
    assert counting_run(settings_here(), cache_dir, monkeypatch) == 2
    assert counting_run(settings_here(), cache_dir, monkeypatch) == 0
    module.write_text(module.read_text() + "\n# edited\n")
    import sys

    sys.modules.pop("no_todo_marker", None)
    assert counting_run(settings_here(), cache_dir, monkeypatch) == 2


def test_parse_notes_survive_a_warm_cache(tmp_path: Path) -> None:
    """A file served from the cache is not parsed again; its parse note must still be shown."""
    repo = tmp_path / "app-repo"
    page = repo / "app" / "orders" / "[orderId]"
    page.mkdir(parents=True)
    (page / "page.tsx").write_text(
        "export default async function Page({ params }: { params: { orderId: string } }) {\n"
        '  const m = await importOriginal<typeof import("next/server")>();\n'
        "  return <p>{params.orderId}</p>;\n"
        "}\n"
    )
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    settings = resolve_settings(CommandLine(root=repo, select=["url-id-lookup"]))

    def notes_of_one_run() -> list[tuple[str, int | None]]:
        cache = FactCache(cache_dir, settings)
        outcome = run_analysis(settings, cache=cache)
        cache.save()
        return [(p.kind.value, p.line) for p in outcome.problems]

    cold = notes_of_one_run()
    assert cold, "the fixture must trip the TypeScript grammar"
    assert {kind for kind, _ in cold} == {"parse-recovered"}
    assert notes_of_one_run() == cold
