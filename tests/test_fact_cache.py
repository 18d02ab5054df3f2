"""The facts cache: unchanged files are not read, extracted or judged again; anything
unreadable in the cache is ignored and rewritten, never trusted."""

from __future__ import annotations

import io
import os
import pickle
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from pytest_lessons import analysis
from pytest_lessons.analysis import RunStats, run_analysis
from pytest_lessons.fact_cache import (
    CACHE_FILE,
    KEY_ENV,
    FactCache,
    unpickle_facts,
    write_frames,
)
from pytest_lessons.outcome import Outcome
from pytest_lessons.report_json import report_document
from pytest_lessons.settings import CommandLine, Settings, resolve_settings

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


def configure(root: Path, marker: str = "TODO-NOW") -> Settings:
    (root / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nselect = ["no-todo-marker"]\n'
        f'[tool.pytest-lessons.options.no-todo-marker]\nmarker = "{marker}"\n'
    )
    return resolve_settings(CommandLine(root=root, lesson_paths=[FIXTURES]))


def cached_run(settings: Settings, cache_dir: Path) -> tuple[Outcome, RunStats]:
    stats = RunStats()
    cache = FactCache(cache_dir, settings)
    outcome = run_analysis(settings, cache=cache, stats=stats)
    cache.save()
    return outcome, stats


def counting_run(settings: Settings, cache_dir: Path) -> int:
    """Run once with a cache; return how many files were actually extracted."""
    outcome, stats = cached_run(settings, cache_dir)
    assert len(outcome.findings) == 2
    return stats.extracted["no-todo-marker"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A two-file repository with one marker per file, and an empty cache beside it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.py").write_text("x = 1  # TODO-NOW FIXME-NOW\n")
    (repo / "b.py").write_text("y = 1  # TODO-NOW FIXME-NOW\n")
    (tmp_path / "cache").mkdir()
    return repo


def test_unchanged_files_are_not_extracted_again(root: Path) -> None:
    cache_dir = root.parent / "cache"
    settings = configure(root)
    assert counting_run(settings, cache_dir) == 2
    assert counting_run(settings, cache_dir) == 0
    (root / "b.py").write_text("y = 2  # TODO-NOW\n")
    assert counting_run(settings, cache_dir) == 1


def test_changed_options_invalidate(root: Path) -> None:
    cache_dir = root.parent / "cache"
    assert counting_run(configure(root), cache_dir) == 2
    assert counting_run(configure(root, "FIXME-NOW"), cache_dir) == 2


def test_edited_check_code_invalidates(root: Path, tmp_path: Path) -> None:
    """A team's own check edited without bumping `version` must not reuse old facts."""
    lessons = tmp_path / "lessons"
    (lessons / "no-todo-marker").mkdir(parents=True)
    for name in ("lesson.toml", "no_todo_marker.py"):
        (lessons / "no-todo-marker" / name).write_text(
            (FIXTURES / "no-todo-marker" / name).read_text()
        )
    module = lessons / "no-todo-marker" / "no_todo_marker.py"

    def settings_here() -> Settings:
        (root / "pyproject.toml").write_text('[tool.pytest-lessons]\nselect = ["no-todo-marker"]\n')
        return resolve_settings(CommandLine(root=root, lesson_paths=[lessons]))

    cache_dir = root.parent / "cache"
    assert counting_run(settings_here(), cache_dir) == 2
    assert counting_run(settings_here(), cache_dir) == 0
    module.write_text(module.read_text() + "\n# edited\n")
    import sys

    sys.modules.pop("no_todo_marker", None)
    assert counting_run(settings_here(), cache_dir) == 2


def test_a_warm_run_judges_nothing_and_gives_the_same_outcome(root: Path) -> None:
    cache_dir = root.parent / "cache"
    settings = configure(root)
    cold, cold_stats = cached_run(settings, cache_dir)
    warm, warm_stats = cached_run(settings, cache_dir)
    assert cold_stats.judged == ["no-todo-marker"] and not cold_stats.reused
    assert warm_stats.reused == ["no-todo-marker"] and not warm_stats.judged
    assert warm == cold
    assert report_document(warm) == report_document(run_analysis(settings))


def test_one_changed_file_is_judged_again_with_the_cached_facts_of_the_others(
    root: Path,
) -> None:
    cache_dir = root.parent / "cache"
    settings = configure(root)
    cached_run(settings, cache_dir)
    (root / "b.py").write_text("y = 2  # TODO-NOW\nz = 3  # TODO-NOW\n")
    outcome, stats = cached_run(settings, cache_dir)
    assert stats.extracted["no-todo-marker"] == 1
    assert stats.judged == ["no-todo-marker"]
    assert [(f.path, f.line) for f in outcome.findings] == [("a.py", 1), ("b.py", 1), ("b.py", 2)]
    assert outcome == run_analysis(settings)


def test_a_warm_run_reads_no_file_when_stat_says_nothing_changed(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files written a moment ago are 'racily clean' (their timestamp tick is not over); this
    test moves the cut-off so that they count as settled."""
    monkeypatch.setattr(analysis, "RACY_SECONDS", -5)
    cache_dir = root.parent / "cache"
    settings = configure(root)
    cold, cold_stats = cached_run(settings, cache_dir)
    assert cold_stats.files_read >= 2
    warm, warm_stats = cached_run(settings, cache_dir)
    assert warm_stats.files_read == 0
    assert warm_stats.stat_hits == warm_stats.files_listed == 3  # and pyproject.toml
    assert warm == cold
    # Same size, same mtime, new content: the inode's change time still tells.
    info = os.stat(root / "a.py")
    (root / "a.py").write_text("x = 1  # TODO-NOW FIXME-NOT\n")
    os.utime(root / "a.py", ns=(info.st_atime_ns, info.st_mtime_ns))
    changed, changed_stats = cached_run(settings, cache_dir)
    assert changed_stats.stat_hits == 2
    assert changed_stats.extracted["no-todo-marker"] == 1
    assert changed == run_analysis(settings)


def test_a_file_the_survey_skips_is_known_by_stat_too(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file skipped as minified is reported by a warm run without being read again, and is
    not taken for an edit (which would start judging ahead every run); touched, it is read
    again, and a change of the setting that skipped it reads it again too."""
    monkeypatch.setattr(analysis, "RACY_SECONDS", -5)
    cache_dir = root.parent / "cache"
    (root / "bundle.py").write_text("x = 1  # TODO-NOW\n" + "y = [" + "1, " * 3000 + "]\n")
    settings = configure(root)
    cold, _ = cached_run(settings, cache_dir)
    [skipped] = [p for p in cold.problems if p.path == "bundle.py"]
    assert skipped.kind.value == "minified"
    warm, warm_stats = cached_run(settings, cache_dir)
    assert warm_stats.files_read == 0
    assert warm == cold
    candidates = scanned(settings)
    signatures = analysis._signatures(candidates)
    later = FactCache(cache_dir, settings)
    assert analysis._edited_kinds(candidates, signatures, later) == set()
    # touched: read again, and still skipped
    os.utime(root / "bundle.py", ns=(1_000_000_000, 1_000_000_000))
    touched, touched_stats = cached_run(settings, cache_dir)
    assert touched_stats.files_read == 1 and touched == cold
    # a longer allowance: read, no longer skipped, its marker found
    (root / "pyproject.toml").write_text(
        (root / "pyproject.toml")
        .read_text()
        .replace("[tool.pytest-lessons]\n", "[tool.pytest-lessons]\nminified-line-length = 0\n")
    )
    allowed = resolve_settings(CommandLine(root=root, lesson_paths=[FIXTURES]))
    opened, opened_stats = cached_run(allowed, cache_dir)
    assert opened_stats.files_read >= 1
    assert not [p for p in opened.problems if p.path == "bundle.py"]
    assert any(f.path == "bundle.py" for f in opened.findings)


def scanned(settings: Settings) -> list[Any]:
    from pytest_lessons.workspace import scan_workspace

    return list(scan_workspace(settings.root).candidates)


def test_recently_modified_files_are_read_again(root: Path) -> None:
    cache_dir = root.parent / "cache"
    settings = configure(root)
    cached_run(settings, cache_dir)
    _, stats = cached_run(settings, cache_dir)
    assert stats.stat_hits == 0  # written within the racy window: hashed, not trusted
    assert stats.extracted["no-todo-marker"] == 0


def _signed(payload: bytes) -> bytes:
    """A cache file made with this user's key: what only our own runs can write."""
    from pytest_lessons.fact_cache import _secret

    out = io.BytesIO()
    write_frames(out, _secret(), [payload])
    return out.getvalue()


def _deep_pickle(depth: int) -> bytes:
    """A pickle of `depth` nested lists, built from opcodes (pickle.dumps would recurse)."""
    return b"\x80\x05" + b"]" * depth + b"a" * (depth - 1) + b"."


class _Exploit:
    def __reduce__(self) -> tuple[object, ...]:
        return (os.system, ("touch pwned",))


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda: b"{not a cache", id="garbage"),
        pytest.param(lambda: ("[" * 200_000 + "]" * 200_000).encode(), id="deep-json-array"),
        pytest.param(lambda: _signed(_deep_pickle(200_000)), id="deep-pickle-signed"),
        pytest.param(lambda: _signed(pickle.dumps({"format": 4, "files": []})), id="wrong-shape"),
        pytest.param(lambda: _signed(pickle.dumps(_Exploit())), id="forbidden-global-signed"),
        pytest.param(lambda: _signed(b"\x80\x05truncated"), id="truncated-signed"),
        pytest.param(lambda: b"", id="empty"),
    ],
)
def test_an_unreadable_cache_is_ignored_and_rewritten(
    root: Path, content: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = root.parent / "cache"
    settings = configure(root)
    (cache_dir / CACHE_FILE).write_bytes(content())  # type: ignore[operator]
    (cache_dir / "facts-no-todo-marker.json").write_text("[" * 200_000 + "]" * 200_000)
    monkeypatch.chdir(root)
    assert counting_run(settings, cache_dir) == 2
    assert counting_run(settings, cache_dir) == 0  # rewritten: the next run is warm
    assert not (root / "pwned").exists()


def test_a_cache_signed_with_another_key_is_foreign(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `.pytest_cache` shipped inside a scanned repository cannot be trusted: its digest was
    made with someone else's key."""
    cache_dir = root.parent / "cache"
    settings = configure(root)
    assert counting_run(settings, cache_dir) == 2
    monkeypatch.setenv(KEY_ENV, "someone else's key")
    assert counting_run(settings, cache_dir) == 2
    assert counting_run(settings, cache_dir) == 0


def test_a_tampered_cache_is_foreign(root: Path) -> None:
    cache_dir = root.parent / "cache"
    settings = configure(root)
    assert counting_run(settings, cache_dir) == 2
    data = bytearray((cache_dir / CACHE_FILE).read_bytes())
    data[-10] ^= 0xFF
    (cache_dir / CACHE_FILE).write_bytes(bytes(data))
    assert counting_run(settings, cache_dir) == 2


def _frames(data: bytes) -> list[bytes]:
    """A cache file cut into its header (with the blob region) and its frames (length, pickle,
    digest so far)."""
    from pytest_lessons.fact_cache import _DIGEST_SIZE, _HEADER_SIZE, _LENGTH

    (region,) = _LENGTH.unpack_from(data, _HEADER_SIZE)
    at = _HEADER_SIZE + _LENGTH.size + region
    pieces = [data[:at]]
    while at < len(data):
        (length,) = _LENGTH.unpack_from(data, at)
        end = at + _LENGTH.size + length + _DIGEST_SIZE
        pieces.append(data[at:end])
        at = end
    return pieces


def test_a_cache_is_written_and_read_a_frame_at_a_time(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file's records in a frame of their own here: the warm run reads them all back."""
    monkeypatch.setattr("pytest_lessons.fact_cache._FRAME_RECORDS", 1)
    cache_dir = root.parent / "cache"
    settings = configure(root)
    assert counting_run(settings, cache_dir) == 2
    header, judgements, *records, closing = _frames((cache_dir / CACHE_FILE).read_bytes())
    assert header.startswith(b"pytest-lessons facts cache")
    assert b"judgements" in judgements and len(closing) == 40  # length, no pickle, digest
    assert [b"a.py" in frame for frame in records[:2]] == [True, False]
    assert [b"b.py" in frame for frame in records[:2]] == [False, True]
    assert counting_run(settings, cache_dir) == 0


@pytest.mark.parametrize(
    "cut",
    [
        pytest.param(lambda frames: frames[:-1], id="closing-frame-missing"),
        pytest.param(lambda frames: frames[:2] + frames[3:], id="frame-dropped"),
        pytest.param(
            lambda frames: frames[:2] + frames[3:4] + frames[2:3] + frames[4:], id="swapped"
        ),
    ],
)
def test_a_cache_missing_or_reordering_frames_is_foreign(
    root: Path, monkeypatch: pytest.MonkeyPatch, cut: object
) -> None:
    """Each frame's digest covers everything before it: frames, each genuine, cannot be
    dropped, reordered, or cut off at the end."""
    monkeypatch.setattr("pytest_lessons.fact_cache._FRAME_RECORDS", 1)
    cache_dir = root.parent / "cache"
    settings = configure(root)
    assert counting_run(settings, cache_dir) == 2
    frames = _frames((cache_dir / CACHE_FILE).read_bytes())
    (cache_dir / CACHE_FILE).write_bytes(b"".join(cut(frames)))  # type: ignore[operator]
    assert counting_run(settings, cache_dir) == 2
    assert counting_run(settings, cache_dir) == 0


def test_an_interrupted_run_adds_to_the_cache_instead_of_pruning_it(root: Path) -> None:
    """A complete run keeps only what it used; `save(complete=False)` (after Ctrl-C, when
    the run saw only part of the tree) keeps the rest too."""
    cache_dir = root.parent / "cache"
    settings = configure(root)
    assert counting_run(settings, cache_dir) == 2
    hidden = (root / "b.py").read_text()
    for complete, extracted_after in ((False, 0), (True, 1)):
        (root / "b.py").unlink()
        partial = FactCache(cache_dir, settings)
        run_analysis(settings, cache=partial)
        partial.save(complete=complete)
        (root / "b.py").write_text(hidden)
        assert counting_run(settings, cache_dir) == extracted_after


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


def test_pickled_facts_wait_on_disk_not_in_memory(root: Path) -> None:
    """What a worker sent waits in the spill file, what the cache held stays in the cache
    file, until judged or saved."""
    from pytest_lessons.fact_cache import Spilled, Stored

    cache_dir = root.parent / "cache"
    settings = configure(root)
    for expected_extracted, where in ((2, Spilled), (0, Stored)):
        cache = FactCache(cache_dir, settings)
        stats = RunStats()
        outcome = run_analysis(settings, cache=cache, stats=stats)
        blobs = [blob for record in cache._files.values() for blob in record.blobs]
        assert blobs and all(isinstance(blob, where) for blob in blobs)
        cache.save()
        assert len(outcome.findings) == 2
        assert stats.extracted["no-todo-marker"] == expected_extracted


def test_without_a_spill_file_the_cache_keeps_blobs_in_memory(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only directory")

    monkeypatch.setattr("pytest_lessons.fact_cache.tempfile.TemporaryFile", refused)
    cache_dir = root.parent / "cache"
    settings = configure(root)
    assert counting_run(settings, cache_dir) == 2
    assert counting_run(settings, cache_dir) == 0


def test_a_file_read_again_with_its_content_unchanged_asks_no_prefilter(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A touched file (a checkout, an editor saving without change) is read and hashed again;
    what the lessons' prefilters said of that content still holds, so no check is asked (a
    warm run builds none)."""
    cache_dir = root.parent / "cache"
    cached_run(configure(root), cache_dir)
    (root / "b.py").write_text((root / "b.py").read_text())
    asked: list[str] = []
    real = analysis._applies

    def counted(check: Any, source: Any, use_prefilter: bool) -> bool:
        asked.append(source.rel)
        return real(check, source, use_prefilter)

    monkeypatch.setattr(analysis, "_applies", counted)
    outcome, stats = cached_run(configure(root), cache_dir)
    assert stats.stat_hits == 0  # every file written within the racy window: read again
    assert asked == []
    assert stats.reused == ["no-todo-marker"]
    assert outcome == run_analysis(configure(root))
    asked.clear()
    (root / "b.py").write_text("y = 2  # TODO-NOW\n")
    cached_run(configure(root), cache_dir)
    assert asked == ["b.py"]  # a changed file is surveyed anew


def test_a_warm_run_reads_no_facts_out_of_the_cache_file(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facts are in the file's blob region, which loading skips: a run whose judgements
    are all reused reads none of them."""
    from pytest_lessons.fact_cache import Spill

    cache_dir = root.parent / "cache"
    settings = configure(root)
    cached_run(settings, cache_dir)
    read: list[int] = []
    real = Spill.stored

    def counted(self: Spill, blob: Any, *, check: bool = True) -> bytes:
        read.append(blob.length)
        return real(self, blob, check=check)

    monkeypatch.setattr(Spill, "stored", counted)
    _, stats = cached_run(settings, cache_dir)
    assert stats.reused == ["no-todo-marker"] and read == []
    (root / "b.py").write_text("yy = 2  # TODO-NOW\n")  # the marker moves: judged again
    _, stats = cached_run(settings, cache_dir)
    assert stats.judged == ["no-todo-marker"]
    assert len(read) == 2  # a.py's facts, to judge again; then copied into the next cache


def test_a_tampered_fact_blob_is_extracted_again(root: Path) -> None:
    """Each blob carries a keyed digest in the (signed) record pointing at it: a blob changed
    in the file is not unpickled, its file is extracted again for the lesson."""
    from pytest_lessons.fact_cache import _HEADER_SIZE, _LENGTH

    cache_dir = root.parent / "cache"
    settings = configure(root)
    cached_run(settings, cache_dir)
    data = bytearray((cache_dir / CACHE_FILE).read_bytes())
    (region,) = _LENGTH.unpack_from(data, _HEADER_SIZE)
    assert region > 0
    start = _HEADER_SIZE + _LENGTH.size
    for at in range(start, start + region, 7):
        data[at] ^= 0xFF
    (cache_dir / CACHE_FILE).write_bytes(bytes(data))
    (root / "b.py").write_text("y = 2  # TODO-NOW\n")
    outcome, stats = cached_run(settings, cache_dir)
    assert stats.extracted["no-todo-marker"] == 1  # b.py; a.py again while judging
    assert outcome == run_analysis(settings)
    assert counting_run(settings, cache_dir) == 0


def test_a_changed_severity_is_judged_again_not_reused(root: Path) -> None:
    """Findings carry their lesson's severity: a judgement made under another one is stale,
    although the facts are not (nothing is extracted again)."""
    cache_dir = root.parent / "cache"

    def run(severity: str | None) -> tuple[list[str], RunStats]:
        table = f'[tool.pytest-lessons.severity]\nno-todo-marker = "{severity}"\n'
        (root / "pyproject.toml").write_text(
            '[tool.pytest-lessons]\nselect = ["no-todo-marker"]\n' + (table if severity else "")
        )
        settings = resolve_settings(CommandLine(root=root, lesson_paths=[FIXTURES]))
        outcome, stats = cached_run(settings, cache_dir)
        return [finding.severity.value for finding in outcome.findings], stats

    assert run(None)[0] == ["error", "error"]
    severities, stats = run("warning")
    assert severities == ["warning", "warning"]
    assert stats.judged == ["no-todo-marker"] and not stats.extracted
    severities, stats = run("warning")
    assert severities == ["warning", "warning"] and stats.reused == ["no-todo-marker"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_change_that_leaves_the_facts_as_they_were_reuses_the_judgement(
    root: Path, jobs: int
) -> None:
    """Judgements are keyed by the facts: `y = 1` -> `y = 2` moves no marker, so the lesson
    does not judge again; the line its finding quotes is the file's line as it is now, in this
    run and in the next (the stored judgement quotes it too)."""
    cache_dir = root.parent / "cache"
    (root / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nselect = ["no-todo-marker"]\n'
        '[tool.pytest-lessons.options.no-todo-marker]\nmarker = "TODO-NOW"\n'
    )
    settings = resolve_settings(CommandLine(root=root, lesson_paths=[FIXTURES], jobs=jobs))
    cached_run(settings, cache_dir)
    (root / "b.py").write_text("y = 2  # TODO-NOW FIXME-NOW\n")
    outcome, stats = cached_run(settings, cache_dir)
    assert stats.extracted["no-todo-marker"] == 1
    assert stats.reused == ["no-todo-marker"] and not stats.judged
    assert report_document(outcome) == report_document(run_analysis(settings))
    quoted = {f.path: f.source_line for f in outcome.findings}
    assert quoted == {"a.py": "x = 1  # TODO-NOW FIXME-NOW", "b.py": "y = 2  # TODO-NOW FIXME-NOW"}
    again, again_stats = cached_run(settings, cache_dir)
    assert again_stats.reused == ["no-todo-marker"] and not again_stats.extracted
    assert {f.path: f.source_line for f in again.findings} == quoted


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_change_that_moves_a_fact_is_judged_again(root: Path, jobs: int) -> None:
    cache_dir = root.parent / "cache"
    (root / "pyproject.toml").write_text('[tool.pytest-lessons]\nselect = ["no-todo-marker"]\n')
    settings = resolve_settings(CommandLine(root=root, lesson_paths=[FIXTURES], jobs=jobs))
    cached_run(settings, cache_dir)
    (root / "b.py").write_text("yy = 1  # TODO-NOW FIXME-NOW\n")  # the marker one column on
    outcome, stats = cached_run(settings, cache_dir)
    assert stats.judged == ["no-todo-marker"] and not stats.reused
    assert [(f.path, f.column) for f in outcome.findings] == [("a.py", 10), ("b.py", 11)]
    assert report_document(outcome) == report_document(run_analysis(settings))


class _Remembered(BaseModel):
    value: int


def test_a_class_allowed_before_is_looked_up_again_when_a_run_begins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The restricted unpickler remembers the classes it allowed (it is asked per pickle). Within
    a run a name its module rebinds still gives the class allowed before, never the new
    binding; the next run looks it up anew (a team lesson's module imported again by a second
    session of the same process)."""
    module = types.ModuleType("pytest_lessons_remembered")
    module.Record = _Remembered  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    _Remembered.__module__, _Remembered.__qualname__ = module.__name__, "Record"
    data = pickle.dumps(_Remembered(value=3), protocol=pickle.HIGHEST_PROTOCOL)
    assert unpickle_facts(data) == _Remembered(value=3)
    module.Record = os.system  # type: ignore[attr-defined]
    loaded = unpickle_facts(data)
    assert type(loaded) is _Remembered and loaded == _Remembered(value=3)
    run_analysis(resolve_settings(CommandLine(root=tmp_path, jobs=1)))  # a run begins
    with pytest.raises(pickle.UnpicklingError, match="is not a cache record"):
        unpickle_facts(data)
    module.Record = _Remembered  # type: ignore[attr-defined]
    assert unpickle_facts(data) == _Remembered(value=3)
