from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pathspec import GitIgnoreSpec

from pytest_lessons.findings import FileProblem, ProblemKind
from pytest_lessons.source import FileKind, SourceFile
from pytest_lessons.testing import run_lessons
from pytest_lessons.workspace import (
    DEFAULT_EXCLUDES,
    Candidate,
    WorkspaceScan,
    _Patterns,
    gitignore_pattern_error,
    longest_line_over,
    read_candidate,
    scan_workspace,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs")


def touch(root: Path, *rels: str, content: str = "x = 1\n") -> None:
    for rel in rels:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


def rels(scan: WorkspaceScan) -> list[str]:
    return [candidate.rel for candidate in scan.candidates]


def problems(scan: WorkspaceScan) -> list[tuple[str, ProblemKind]]:
    return [(problem.path, problem.kind) for problem in scan.problems]


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every directory the walk lists, to prove excluded ones are never descended into."""
    seen: list[str] = []
    real = os.scandir

    def recording(path: Any) -> Any:
        seen.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", recording)
    return seen


# --- what becomes a candidate ----------------------------------------------------------------


def test_only_files_some_lesson_reads_are_listed_and_nothing_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "app.py", "web/route.ts", "web/page.tsx", "alembic.ini", ".env", ".env.local")
    touch(tmp_path, "README.md", "Makefile", "notes.txt", "logo.png", "web/style.css")
    opened: list[str] = []
    real_open = os.open

    def spying_open(path: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spying_open)
    read = {FileKind.PYTHON, FileKind.TYPESCRIPT, FileKind.INI, FileKind.ENV}
    scan = scan_workspace(tmp_path, kinds=read)
    assert rels(scan) == [
        ".env",
        ".env.local",
        "alembic.ini",
        "app.py",
        "web/page.tsx",
        "web/route.ts",
    ]
    # Markdown and CSS are kinds too (pattern lessons read them), listed when a lesson reads them
    assert "README.md" in rels(scan_workspace(tmp_path, kinds={*read, FileKind.MARKDOWN}))
    assert "web/style.css" in rels(scan_workspace(tmp_path))
    assert opened == []
    assert scan.problems == []
    by_rel = {candidate.rel: candidate for candidate in scan.candidates}
    assert by_rel["web/route.ts"].kind is FileKind.TYPESCRIPT
    assert by_rel["web/route.ts"].path == tmp_path / "web" / "route.ts"
    assert by_rel["web/route.ts"].path.is_absolute()


def test_dependency_files_are_listed_by_name_with_their_kinds(tmp_path: Path) -> None:
    touch(tmp_path, "requirements.txt", "requirements/base.txt", "dev-requirements.txt")
    touch(tmp_path, "constraints.txt", "requirements.in", "uv.lock", "poetry.lock")
    touch(tmp_path, "Pipfile", "Pipfile.lock", "pdm.lock", "setup.cfg", "setup.py")
    touch(tmp_path, "notes.txt", "docs/base.txt", "MANIFEST.in", "yarn.lock", "Cargo.lock")
    kinds = {candidate.rel: candidate.kind for candidate in scan_workspace(tmp_path).candidates}
    requirements = FileKind.REQUIREMENTS
    assert kinds == {
        "Pipfile": FileKind.TOML,
        "Pipfile.lock": FileKind.LOCK,
        "constraints.txt": requirements,
        "dev-requirements.txt": requirements,
        "pdm.lock": FileKind.LOCK,
        "poetry.lock": FileKind.LOCK,
        "requirements.in": requirements,
        "requirements.txt": requirements,
        "requirements/base.txt": requirements,
        "setup.cfg": FileKind.INI,
        "setup.py": FileKind.PYTHON,
        "uv.lock": FileKind.LOCK,
    }


def test_dependency_files_are_opened_only_for_a_lesson_that_reads_them(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_bytes(b"sqlalchemy\0<2\n")
    (tmp_path / "uv.lock").write_bytes(b"\0")
    (tmp_path / "alembic.ini").write_text("[alembic]\n")
    quiet = run_lessons(tmp_path, ["alembic-percent-escape"])
    assert quiet.problems == []
    assert quiet.files_scanned == 1
    reading = run_lessons(tmp_path, ["alembic-create-all-commit"])
    assert sorted((p.path, p.kind.value) for p in reading.problems) == [
        ("requirements.txt", "binary"),
        ("uv.lock", "binary"),
    ]


def test_order_is_sorted_and_independent_of_listing_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "b.py", "a/z.py", "a/b/c.py", "a-b.py", "A.py", "a.py", "_x/y.ts")
    first = scan_workspace(tmp_path)
    assert rels(first) == sorted(rels(first))
    real = os.scandir

    class Reversed:
        def __init__(self, path: Any) -> None:
            self.entries = list(real(path))[::-1]

        def __enter__(self) -> Iterator[os.DirEntry[str]]:
            return iter(self.entries)

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(os, "scandir", Reversed)
    assert scan_workspace(tmp_path) == first


def test_a_relative_root_still_gives_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "pkg/m.py")
    monkeypatch.chdir(tmp_path)
    scan = scan_workspace(Path("pkg"))
    assert rels(scan) == ["m.py"]
    assert scan.candidates[0].path == tmp_path / "pkg" / "m.py"


def test_missing_root_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    scan = scan_workspace(tmp_path / "nope")
    assert scan.candidates == []
    assert problems(scan) == [(".", ProblemKind.READ)]
    assert "No such file or directory" in scan.problems[0].message


# --- .gitignore ------------------------------------------------------------------------------


def test_root_gitignore(tmp_path: Path, listed: list[str]) -> None:
    (tmp_path / ".gitignore").write_text("# generated code\n*.gen.py\ngenerated/\n\n")
    touch(tmp_path, "app.py", "schema.gen.py", "pkg/api.gen.py", "generated/client.py")
    assert rels(scan_workspace(tmp_path)) == ["app.py"]
    assert str(tmp_path / "generated") not in listed


def test_nested_gitignore_is_relative_to_its_own_directory(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".gitignore").write_text("/local.py\n*.tmp.py\ninner/deep.py\n")
    touch(tmp_path, "local.py", "x.tmp.py", "inner/deep.py")
    touch(tmp_path, "sub/local.py", "sub/a/local.py", "sub/y.tmp.py", "sub/inner/deep.py")
    assert rels(scan_workspace(tmp_path)) == [
        "inner/deep.py",
        "local.py",
        "sub/a/local.py",
        "x.tmp.py",
    ]


def test_negation_within_a_file_and_across_files(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.json\n!package.json\nsecret_*.py\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".gitignore").write_text("!secret_ok.py\n")
    touch(tmp_path, "data.json", "package.json", "web/package.json", "web/tsconfig.json")
    touch(tmp_path, "secret_a.py", "sub/secret_ok.py", "sub/secret_no.py", "secret_ok.py")
    assert rels(scan_workspace(tmp_path)) == [
        "package.json",
        "sub/secret_ok.py",
        "web/package.json",
    ]


def test_directory_only_patterns_leave_files_of_that_name(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("data.json/\nout/\n")
    touch(tmp_path, "data.json", "lib/data.json/inner.py", "web/data.json", "out/bundle.js")
    assert rels(scan_workspace(tmp_path)) == ["data.json", "web/data.json"]


def test_a_file_inside_an_ignored_directory_cannot_be_re_included(tmp_path: Path) -> None:
    """As in git: once a directory is ignored, its contents are never looked at."""
    (tmp_path / ".gitignore").write_text("logs/\n!logs/keep.py\ncache/*\n!cache/keep.py\n")
    touch(tmp_path, "logs/keep.py", "logs/drop.py", "cache/keep.py", "cache/drop.py")
    assert rels(scan_workspace(tmp_path)) == ["cache/keep.py"]


def test_git_info_exclude(tmp_path: Path) -> None:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("scratch/\n")
    (tmp_path / ".gitignore").write_text("!scratch/kept.py\n")
    touch(tmp_path, "app.py", "scratch/try.py", "pkg/scratch/x.py")
    assert rels(scan_workspace(tmp_path)) == ["app.py"]


def test_gitignore_files_above_the_root_apply_inside_a_repository(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    (top / ".git").mkdir(parents=True)
    (top / ".gitignore").write_text("*.gen.py\nservices/api/vendor/\n")
    (top / "services").mkdir()
    (top / "services" / ".gitignore").write_text("/api/tmp/\n!keep.gen.py\n")
    root = top / "services" / "api"
    touch(root, "app.py", "x.gen.py", "keep.gen.py", "vendor/lib.py", "tmp/t.py", "a/tmp/t.py")
    assert rels(scan_workspace(root)) == ["a/tmp/t.py", "app.py", "keep.gen.py"]


def test_gitignore_files_above_the_root_are_ignored_outside_a_repository(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n")
    touch(tmp_path / "project", "app.py")
    assert rels(scan_workspace(tmp_path / "project")) == ["app.py"]


def test_use_gitignore_false_keeps_ignored_files_but_not_default_excludes(tmp_path: Path) -> None:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("b.py\n")
    (tmp_path / ".gitignore").write_text("a.py\n")
    touch(tmp_path, "a.py", "b.py", "node_modules/x/index.js")
    assert rels(scan_workspace(tmp_path, use_gitignore=False)) == ["a.py", "b.py"]


def test_invalid_gitignore_lines_are_skipped_like_git_does(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("!\nlost.py\n")
    touch(tmp_path, "lost.py", "kept.py")
    scan = scan_workspace(tmp_path)
    assert rels(scan) == ["kept.py"]
    assert problems(scan) == [(".gitignore", ProblemKind.IGNORE_PATTERN)]
    assert scan.problems[0].line == 1


def test_a_bracket_pattern_warns_once_from_pathspec_not_again_from_the_walk(
    tmp_path: Path,
) -> None:
    """`[[` in a pattern makes `re` warn that a future Python may read a nested set: pathspec,
    which compiles the pattern, says so; joining its regexes must not say it a second time."""
    (tmp_path / ".gitignore").write_text("[[]x].py\n")
    touch(tmp_path, "[x].py", "kept.py")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scan = scan_workspace(tmp_path)
    assert "kept.py" in rels(scan)
    ours = [w for w in caught if "pytest_lessons" in w.filename]
    assert ours == []


# --- default excludes ------------------------------------------------------------------------


def _example_name(pattern: str) -> str:
    return pattern.rstrip("/").replace("*", "my_pkg")


@pytest.mark.parametrize("pattern", DEFAULT_EXCLUDES)
def test_default_excludes_at_any_depth(tmp_path: Path, pattern: str, listed: list[str]) -> None:
    name = _example_name(pattern)
    touch(tmp_path, "app.py", f"{name}/inner.py", f"pkg/{name}/deep/inner.ts")
    assert rels(scan_workspace(tmp_path)) == ["app.py"]
    assert not any(os.path.basename(path) == name for path in listed)


@pytest.mark.parametrize("pattern", DEFAULT_EXCLUDES)
def test_default_excludes_cannot_be_re_included(tmp_path: Path, pattern: str) -> None:
    name = _example_name(pattern)
    (tmp_path / ".gitignore").write_text(f"!{name}/\n!{name}/inner.py\n")
    touch(tmp_path, f"{name}/inner.py")
    assert rels(scan_workspace(tmp_path)) == []


def test_default_excludes_are_directories_only(tmp_path: Path) -> None:
    touch(tmp_path, ".env", "pkg/.env", "config/.env/leak.py", "build.py", "dist.json")
    assert rels(scan_workspace(tmp_path)) == [".env", "build.py", "dist.json", "pkg/.env"]


def test_any_directory_holding_pyvenv_cfg_is_a_virtualenv(
    tmp_path: Path, listed: list[str]
) -> None:
    touch(tmp_path, "app.py", "tools/env-3.12/lib/python3.12/x.py", "tools/helper.py")
    (tmp_path / "tools" / "env-3.12" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert rels(scan_workspace(tmp_path)) == ["app.py", "tools/helper.py"]
    assert str(tmp_path / "tools" / "env-3.12" / "lib") not in listed


def test_a_root_holding_pyvenv_cfg_is_still_scanned(tmp_path: Path) -> None:
    """The root is what the user asked for; only directories below it are judged."""
    touch(tmp_path, "app.py")
    (tmp_path / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert rels(scan_workspace(tmp_path)) == ["app.py", "pyvenv.cfg"]


def test_project_template_directories_are_not_code(tmp_path: Path) -> None:
    """cookiecutter/copier sources are Jinja, not Python: every file would be a parse error."""
    touch(
        tmp_path,
        "app.py",
        "contrib/cookiecutter/{{cookiecutter.project}}/ckanext/{{ cookiecutter.name }}/views.py",
        "templates/{{project_slug}}/pyproject.toml",
        "docs/braces{}.py",
    )
    assert rels(scan_workspace(tmp_path)) == ["app.py", "docs/braces{}.py"]


def test_default_excludes_apply_below_the_root_only(tmp_path: Path) -> None:
    root = tmp_path / "build" / "site-packages" / "pkg"
    touch(root, "m.py")
    assert rels(scan_workspace(root)) == ["m.py"]


# --- configured excludes ---------------------------------------------------------------------


def test_configured_excludes(tmp_path: Path, listed: list[str]) -> None:
    touch(tmp_path, "app.py", "examples/demo.py", "pkg/examples/other.py")
    touch(tmp_path, "db/migrations/versions/001.py", "db/migrations/env.py")
    touch(tmp_path, "src/legacy/old.py", "src/legacy/deep/older.ts", "src/legacy.py")
    scan = scan_workspace(
        tmp_path, exclude=["examples/", "**/migrations/versions/*.py", "src/legacy/**"]
    )
    assert rels(scan) == ["app.py", "db/migrations/env.py", "src/legacy.py"]
    assert str(tmp_path / "examples") not in listed
    assert str(tmp_path / "pkg" / "examples") not in listed
    assert str(tmp_path / "src" / "legacy" / "deep") not in listed


def test_configured_excludes_add_to_gitignore_and_cannot_re_include(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("ignored.py\n")
    touch(tmp_path, "ignored.py", "excluded.py", "kept.py")
    scan = scan_workspace(tmp_path, exclude=["excluded.py", "!ignored.py"])
    assert rels(scan) == ["kept.py"]


@pytest.mark.parametrize("bad", ["!", "a\\", "*.[a-Z]", "[z-a]"])
def test_invalid_configured_exclude_names_the_pattern(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="exclude pattern") as raised:
        scan_workspace(tmp_path, exclude=["ok/", bad])
    assert repr(bad) in str(raised.value)
    assert gitignore_pattern_error(bad)
    for good in ("examples/", "**/x/*.py", "!keep.py", "a[", "[!a-z]"):
        assert gitignore_pattern_error(good) is None


def test_a_string_is_not_a_list_of_excludes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="list of patterns"):
        scan_workspace(tmp_path, exclude="examples/")


# --- symlinks --------------------------------------------------------------------------------


@posix_only
def test_symlink_to_an_ancestor_is_a_loop_reported_once(tmp_path: Path) -> None:
    touch(tmp_path, "pkg/a.py", "pkg/sub/b.py")
    (tmp_path / "pkg" / "sub" / "up").symlink_to("..")
    scan = scan_workspace(tmp_path)
    assert rels(scan) == ["pkg/a.py", "pkg/sub/b.py"]
    assert problems(scan) == [("pkg/sub/up", ProblemKind.SYMLINK_LOOP)]
    message = scan.problems[0].message
    assert "pkg/sub/up -> .." in message
    assert "leads back to pkg," in message
    assert "not followed" in message
    assert "exclude" in message


@posix_only
def test_symlink_to_its_own_directory_is_a_loop(tmp_path: Path) -> None:
    touch(tmp_path, "pkg/a.py")
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path / "pkg")
    (tmp_path / "here").symlink_to(".")
    scan = scan_workspace(tmp_path)
    assert rels(scan) == ["pkg/a.py"]
    assert problems(scan) == [
        ("here", ProblemKind.SYMLINK_LOOP),
        ("pkg/loop", ProblemKind.SYMLINK_LOOP),
    ]
    assert "leads back to the lessons root" in scan.problems[0].message
    assert f"pkg/loop -> {tmp_path / 'pkg'} leads back to pkg," in scan.problems[1].message


@posix_only
def test_symlink_to_a_directory_above_the_root_is_a_loop_and_never_walked(
    tmp_path: Path,
) -> None:
    root = tmp_path / "root"
    touch(root, "a.py")
    touch(tmp_path, "outside.py")
    (root / "filesystem").symlink_to("/")
    (root / "parent").symlink_to("..")
    scan = scan_workspace(root, follow_external_symlinks=True)
    assert rels(scan) == ["a.py"]
    assert problems(scan) == [
        ("filesystem", ProblemKind.SYMLINK_LOOP),
        ("parent", ProblemKind.SYMLINK_LOOP),
    ]
    assert f"leads back to {tmp_path}," in scan.problems[1].message
    # by default neither is followed at all: both lead out of the root
    scan = scan_workspace(root)
    assert rels(scan) == ["a.py"]
    assert problems(scan) == [
        ("filesystem", ProblemKind.SYMLINK_OUTSIDE),
        ("parent", ProblemKind.SYMLINK_OUTSIDE),
    ]


@posix_only
def test_loop_through_a_directory_outside_the_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    touch(root, "a/m.py")
    touch(outside, "lib.py")
    (root / "a" / "ext").symlink_to(outside)
    (outside / "back").symlink_to(root / "a")
    scan = scan_workspace(root, follow_external_symlinks=True)
    assert rels(scan) == ["a/ext/lib.py", "a/m.py"]
    assert problems(scan) == [("a/ext/back", ProblemKind.SYMLINK_LOOP)]


@posix_only
def test_excluding_a_looping_link_silences_it(tmp_path: Path) -> None:
    touch(tmp_path, "pkg/a.py")
    (tmp_path / "pkg" / "loop").symlink_to(".")
    assert scan_workspace(tmp_path, exclude=["pkg/loop"]).problems == []
    (tmp_path / ".gitignore").write_text("loop\n")
    assert scan_workspace(tmp_path).problems == []


@posix_only
def test_symlinked_directory_elsewhere_is_followed_once(tmp_path: Path) -> None:
    root, shared = tmp_path / "root", tmp_path / "shared"
    touch(root, "app.py")
    touch(shared, "util.py", "deep/more.ts")
    (root / "b").mkdir()
    (root / "b" / "shared").symlink_to(shared)
    (root / "a-link").symlink_to(shared)
    scan = scan_workspace(root, follow_external_symlinks=True)
    assert rels(scan) == ["a-link/deep/more.ts", "a-link/util.py", "app.py"]
    assert scan.problems == []
    assert scan.candidates[1].path == root / "a-link" / "util.py"


@posix_only
def test_symlinks_out_of_the_root_are_noted_and_not_followed(tmp_path: Path) -> None:
    root, shared = tmp_path / "root", tmp_path / "shared"
    touch(root, "app.py", "inside/real.py")
    touch(shared, "util.py", "secret.env")
    (root / "shared").symlink_to(shared)
    (root / "etc_link").symlink_to("/etc")
    (root / "util.py").symlink_to(shared / "util.py")
    (root / "notes.txt").symlink_to(shared / "util.py")  # no lesson reads it: no note
    (root / "inner").symlink_to(root / "inside")  # inside the root: followed as before
    scan = scan_workspace(root)
    assert rels(scan) == ["app.py", "inside/real.py"]
    assert problems(scan) == [
        ("etc_link", ProblemKind.SYMLINK_OUTSIDE),
        ("shared", ProblemKind.SYMLINK_OUTSIDE),
        ("util.py", ProblemKind.SYMLINK_OUTSIDE),
    ]
    note = scan.problems[1].message
    assert f"shared -> {shared} leads out of the lessons root" in note
    assert "follow-external-symlinks = true" in note


@posix_only
def test_symlink_to_a_directory_inside_the_root_keeps_the_real_path(tmp_path: Path) -> None:
    """Whatever the names sort like, findings belong under the directory's real name."""
    touch(tmp_path, "src/m.py", "src/inner/n.py")
    for holder in ("aaa", "zzz"):
        (tmp_path / holder).mkdir()
        (tmp_path / holder / "src").symlink_to(tmp_path / "src")
        (tmp_path / holder / "inner").symlink_to(tmp_path / "src" / "inner")
    scan = scan_workspace(tmp_path)
    assert rels(scan) == ["src/inner/n.py", "src/m.py"]
    assert scan.problems == []


@posix_only
def test_symlinked_files_are_read_through_the_link(tmp_path: Path) -> None:
    touch(tmp_path, "real.py", content="x = 'real'\n")
    (tmp_path / "alias.py").symlink_to("real.py")
    (tmp_path / "text").symlink_to("real.py")
    scan = scan_workspace(tmp_path)
    assert rels(scan) == ["alias.py", "real.py"]
    read = read_candidate(scan.candidates[0], max_bytes=1000)
    assert isinstance(read, SourceFile)
    assert read.data == b"x = 'real'\n"


@posix_only
def test_broken_symlinks(tmp_path: Path) -> None:
    (tmp_path / "gone.py").symlink_to("missing.py")
    (tmp_path / "notes").symlink_to("nowhere")
    (tmp_path / "docs.md").symlink_to("nowhere.md")
    (tmp_path / "ignored.py").symlink_to("nowhere.py")
    (tmp_path / ".gitignore").write_text("ignored.py\n")
    touch(tmp_path, "ok.py")
    scan = scan_workspace(tmp_path, kinds={FileKind.PYTHON})  # no lesson reads Markdown
    assert rels(scan) == ["ok.py"]
    assert problems(scan) == [("gone.py", ProblemKind.READ)]
    message = scan.problems[0].message
    assert message.startswith("broken symlink: gone.py -> missing.py does not exist")
    assert "remove the link" in message


@posix_only
def test_file_symlink_cycle_is_a_read_problem_not_a_hang(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    (tmp_path / "self.py").symlink_to("self.py")
    scan = scan_workspace(tmp_path)
    assert rels(scan) == []
    assert problems(scan) == [
        ("a", ProblemKind.READ),
        ("b", ProblemKind.READ),
        ("self.py", ProblemKind.READ),
    ]
    assert scan.problems[0].message.startswith("symlink loop: a -> b never reaches")


@posix_only
def test_fifo_is_reported_and_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    os.mkfifo(tmp_path / "pipe")
    scan = scan_workspace(tmp_path)
    assert rels(scan) == []
    assert problems(scan) == [("pipe.py", ProblemKind.READ)]
    assert "FIFO" in scan.problems[0].message
    read = read_candidate(
        Candidate("pipe.py", FileKind.PYTHON, str(tmp_path / "pipe.py")), max_bytes=9
    )
    assert isinstance(read, FileProblem)
    assert "FIFO" in read.message


# --- unreadable directories ------------------------------------------------------------------


def test_unreadable_directory_is_reported_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "a/x.py", "locked/secret.py", "z/y.py")
    real = os.scandir
    locked = str(tmp_path / "locked")

    def guarded(path: Any) -> Any:
        if os.fspath(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", locked)
        return real(path)

    monkeypatch.setattr(os, "scandir", guarded)
    scan = scan_workspace(tmp_path)
    assert rels(scan) == ["a/x.py", "z/y.py"]
    assert problems(scan) == [("locked", ProblemKind.READ)]
    message = scan.problems[0].message
    assert message.startswith("cannot list this directory: Permission denied;")
    assert "Fix its permissions" in message


@posix_only
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable_directory_for_real(tmp_path: Path) -> None:
    touch(tmp_path, "locked/secret.py", "ok.py")
    (tmp_path / "locked").chmod(0)
    try:
        scan = scan_workspace(tmp_path)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert rels(scan) == ["ok.py"]
    assert problems(scan) == [("locked", ProblemKind.READ)]


# --- reading ---------------------------------------------------------------------------------


def candidate(tmp_path: Path, rel: str, data: bytes) -> Candidate:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    (found,) = [c for c in scan_workspace(tmp_path).candidates if c.rel == rel]
    return found


def test_read_candidate_returns_the_bytes(tmp_path: Path) -> None:
    found = candidate(tmp_path, "pkg/m.py", b"x = 1\n")
    read = read_candidate(found, max_bytes=6)
    assert isinstance(read, SourceFile)
    assert (read.rel, read.kind, read.data, read.path) == (
        "pkg/m.py",
        FileKind.PYTHON,
        b"x = 1\n",
        tmp_path / "pkg" / "m.py",
    )


def test_too_large_is_decided_from_stat_without_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = candidate(tmp_path, "pkg/bundle.js", b"")
    with open(found.path, "r+b") as handle:
        handle.truncate(int(2.3 * 1024 * 1024))

    def no_open(*args: object, **kwargs: object) -> int:
        raise AssertionError("a file over the limit must not be opened")

    monkeypatch.setattr(os, "open", no_open)
    read = read_candidate(found, max_bytes=1024 * 1024)
    assert read == FileProblem(
        path="pkg/bundle.js",
        kind=ProblemKind.TOO_LARGE,
        message="skipped: 2.3 MiB is over max-file-size (1.0 MiB); raise max-file-size "
        "(in bytes) in [tool.pytest-lessons] or exclude the file",
    )
    assert not read.fails_lesson


@pytest.mark.parametrize(
    ("size", "limit", "shown"),
    [
        (101, 100, "101 bytes is over max-file-size (100 bytes)"),
        (3000, 2000, "2.9 KiB is over max-file-size (2.0 KiB)"),
        (1024 * 1024 + 1, 1024 * 1024, "1048577 bytes is over max-file-size (1048576 bytes)"),
    ],
)
def test_too_large_sizes_are_readable(tmp_path: Path, size: int, limit: int, shown: str) -> None:
    found = candidate(tmp_path, "big.py", b"#" * size)
    read = read_candidate(found, max_bytes=limit)
    assert isinstance(read, FileProblem)
    assert read.message.startswith(f"skipped: {shown}; raise max-file-size")
    assert isinstance(read_candidate(found, max_bytes=size), SourceFile)


def test_a_file_that_grows_after_stat_is_still_too_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = candidate(tmp_path, "growing.py", b"#" * 500)
    real_stat = os.stat

    def small_stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        info = real_stat(path, *args, **kwargs)
        fields = list(info)
        fields[6] = 10  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", small_stat)
    read = read_candidate(found, max_bytes=100)
    assert isinstance(read, FileProblem)
    assert read.kind is ProblemKind.TOO_LARGE


def test_a_file_that_grows_after_stat_within_the_limit_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read sized by `stat` goes on to the end of the file (here with reads of one byte)."""
    data = b"x = 1\n" * 50
    found = candidate(tmp_path, "growing.py", data)
    real_stat, real_read = os.stat, os.read

    def small_stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        fields = list(real_stat(path, *args, **kwargs))
        fields[6] = 10  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", small_stat)
    monkeypatch.setattr(os, "read", lambda fd, n: real_read(fd, min(n, 1)))
    read = read_candidate(found, max_bytes=len(data))
    assert isinstance(read, SourceFile)
    assert read.data == data


def test_binary_content(tmp_path: Path) -> None:
    found = candidate(tmp_path, "blob.py", b"TODO\x00\x01\x02")
    read = read_candidate(found, max_bytes=100)
    assert isinstance(read, FileProblem)
    assert (read.path, read.kind) == ("blob.py", ProblemKind.BINARY)
    assert read.message.startswith("skipped: binary content (NUL byte at offset 4); ")
    assert "exclude it in [tool.pytest-lessons]" in read.message
    assert not read.fails_lesson


def test_only_the_first_8_kib_are_probed_for_nul(tmp_path: Path) -> None:
    found = candidate(tmp_path, "late.py", b"#" * 8192 + b"\x00")
    assert isinstance(read_candidate(found, max_bytes=10_000), SourceFile)
    early = candidate(tmp_path, "early.py", b"#" * 8191 + b"\x00")
    assert isinstance(read_candidate(early, max_bytes=10_000), FileProblem)


def test_utf16_gets_its_own_advice(tmp_path: Path) -> None:
    found = candidate(tmp_path, "win.py", "x = 1\n".encode("utf-16"))
    read = read_candidate(found, max_bytes=100)
    assert isinstance(read, FileProblem)
    assert read.message == (
        "skipped: binary content (NUL byte at offset 3); "
        "it looks like UTF-16 text; save it as UTF-8 so lessons can read it"
    )


def test_os_errors_become_read_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = candidate(tmp_path, "m.py", b"x = 1\n")

    def denied(path: Any, *args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))

    monkeypatch.setattr(os, "open", denied)
    read = read_candidate(found, max_bytes=100)
    assert read == FileProblem(
        path="m.py",
        kind=ProblemKind.READ,
        message="cannot read: Permission denied; no lesson checked this file. "
        "Fix its permissions, or exclude it in [tool.pytest-lessons]",
    )
    monkeypatch.undo()
    found.path.unlink()
    gone = read_candidate(found, max_bytes=100)
    assert isinstance(gone, FileProblem)
    assert gone.message.startswith("cannot read: No such file or directory;")


# --- messages, speed, prefilter --------------------------------------------------------------

ACTIONS = ("exclude", "Fix", "Remove", "raise", "save")


@posix_only
def test_every_problem_is_relative_and_says_what_to_do(tmp_path: Path) -> None:
    root = tmp_path / "root"
    touch(root, "pkg/a.py", "big.py", "bin.py")
    (root / "bin.py").write_bytes(b"\x00")
    (root / "big.py").write_bytes(b"#" * 200)
    (root / "pkg" / "loop").symlink_to("..")
    (root / "pkg" / "broken.ts").symlink_to("missing.ts")
    (root / "x").symlink_to("y")
    (root / "y").symlink_to("x")
    os.mkfifo(root / "fifo.json")
    scan = scan_workspace(root)
    found: list[FileProblem] = list(scan.problems)
    for item in scan.candidates:
        read = read_candidate(item, max_bytes=100)
        if isinstance(read, FileProblem):
            found.append(read)
    assert {problem.path for problem in found} == {
        "big.py",
        "bin.py",
        "fifo.json",
        "pkg/broken.ts",
        "pkg/loop",
        "x",
        "y",
    }
    for problem in found:
        assert not problem.path.startswith(("/", "./"))
        assert "\\" not in problem.path
        assert str(tmp_path) not in problem.path
        assert any(action in problem.message for action in ACTIONS), problem.message
        assert "Traceback" not in problem.message


def test_twenty_thousand_files_under_a_large_gitignore_are_all_listed(tmp_path: Path) -> None:
    """Its speed is measured by `make bench` ("walk + read"), not asserted here."""
    (tmp_path / ".gitignore").write_text(
        "\n".join(
            ["*.py[cod]", "*.log", "/out/", "**/fixtures/big/*.json", "!keep.log", "docs/_build/"]
            + [f"ignored{i}/" for i in range(50)]
            + [f"*.ext{i}" for i in range(40)]
        )
    )
    for a in range(20):
        for b in range(20):
            folder = tmp_path / f"pkg{a}" / f"mod{b}"
            folder.mkdir(parents=True)
            for c in range(50):
                name = f"m{c}.{'py' if c % 2 else 'ts'}"
                os.close(os.open(folder / name, os.O_CREAT | os.O_WRONLY))
    scan = scan_workspace(tmp_path, exclude=["examples/", "**/migrations/versions/*.py"])
    assert len(scan.candidates) == 20_000


SEGMENTS = ["a", "b", "ab", "x.py", "*", "**", "?", "[ab]", "[!a]", "*.py", "a*", "(?P<n>", "[(]"]
PATH_SEGMENTS = ["a", "b", "ab", "x.py", "a.py", "ba", "(?P<n>", "("]


@st.composite
def gitignore_lines(draw: st.DrawFn) -> str:
    body = "/".join(draw(st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=4)))
    lead = draw(st.sampled_from(["", "/", "!", "!/", "#"]))
    trail = draw(st.sampled_from(["", "/"]))
    return lead + body + trail


@st.composite
def probe_paths(draw: st.DrawFn) -> str:
    path = "/".join(draw(st.lists(st.sampled_from(PATH_SEGMENTS), min_size=1, max_size=5)))
    return path + draw(st.sampled_from(["", "/"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(gitignore_lines(), min_size=1, max_size=8), st.lists(probe_paths(), max_size=20))
def test_prefilter_never_changes_a_verdict(lines: list[str], paths: list[str]) -> None:
    try:
        spec = GitIgnoreSpec.from_lines(lines)
    except ValueError:
        assume(False)
        return
    fast = _Patterns(spec)
    assert fast._quick is not None or not any(p.include is not None for p in spec.patterns)
    for path in paths:
        assert fast.verdict(path) == spec.check_file(path).include, (lines, path)


# --- git semantics ---------------------------------------------------------------------------


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@needs_git
def test_tracked_files_are_read_even_when_an_ignore_rule_matches(tmp_path: Path) -> None:
    """git applies ignore rules to untracked files only: `git add -f` keeps a file in the
    project, and a lesson must see it (the alembic env.py of the issue)."""
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("alembic/\n*.gen.py\n")
    touch(tmp_path, "app.py", "alembic/env.py", "alembic/scratch.py", "x.gen.py", "y.gen.py")
    git(tmp_path, "add", "-f", "alembic/env.py", "x.gen.py")
    scan = scan_workspace(tmp_path)
    assert rels(scan) == ["alembic/env.py", "app.py", "x.gen.py"]
    assert scan.problems == []
    # a root below the work tree sees the same through the outer .gitignore
    assert rels(scan_workspace(tmp_path / "alembic")) == ["env.py"]


@needs_git
def test_asking_git_runs_nothing_from_the_repository(tmp_path: Path) -> None:
    """A scanned repository's config may name an fsmonitor hook; `ls-files` must not start it."""
    marker = tmp_path / "ran"
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "core.fsmonitor", str(hook))
    (repo / ".gitignore").write_text("ignored.py\n")
    touch(repo, "ignored.py", "app.py")
    assert rels(scan_workspace(repo)) == ["app.py"]
    assert not marker.exists()


def test_a_git_directory_git_cannot_read_is_a_note(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("ignored.py\n")
    touch(tmp_path, "ignored.py", "app.py")
    scan = scan_workspace(tmp_path)
    assert rels(scan) == ["app.py"]
    assert problems(scan) == [(".", ProblemKind.GIT)]
    assert "left out even if git tracks them" in scan.problems[0].message


@posix_only
@needs_git
def test_file_names_that_are_not_utf8_are_escaped_everywhere(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.py")
    (tmp_path / "alembic").mkdir()
    (tmp_path / "alembic" / name).write_text("x = 1\n")
    (tmp_path / ".gitignore").write_text("alembic/\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-f", f"alembic/{name}")
    [candidate] = scan_workspace(tmp_path).candidates
    assert candidate.rel == "alembic/caf\\xe9.py"
    candidate.rel.encode("utf-8")  # no lone surrogates left
    read = read_candidate(candidate, max_bytes=100)
    assert isinstance(read, SourceFile) and read.data == b"x = 1\n"


def test_ignore_file_lines_git_cannot_match_are_named_in_a_note(tmp_path: Path) -> None:
    """`[a-Z]` and `[z-a]` are reversed ranges: Python's `re` refuses them, git matches nothing."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / ".gitignore").write_text("# note\r\n*.[a-Z]\r\nskip.py\r\n[z-a]*\r\n")
    touch(tmp_path, "pkg/skip.py", "pkg/a.py", "pkg/z.py")
    scan = scan_workspace(tmp_path)
    assert rels(scan) == ["pkg/a.py", "pkg/z.py"]
    assert [(p.path, p.kind, p.line) for p in scan.problems] == [
        ("pkg/.gitignore", ProblemKind.IGNORE_PATTERN, 2),
        ("pkg/.gitignore", ProblemKind.IGNORE_PATTERN, 4),
    ]
    assert "'*.[a-Z]' is not valid (bad character range a-Z)" in scan.problems[0].message


# --- minified files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "limit", "expected"),
    [
        (b"a = 1\n" + b"x" * 301 + b"\n", 300, (2, 301)),
        (b"a = 1\n" + b"x" * 300 + b"\n", 300, None),
        ("é".encode() * 300 + b"\n", 300, None),  # 600 bytes, 300 characters
        ("é".encode() * 301, 300, (1, 301)),
        (b"a\rb\r\nc\r" + b"x" * 400, 300, (4, 400)),  # lines end with \r too
        (b"x" * 10_000, 0, None),  # 0: never
    ],
)
def test_a_line_over_the_limit_marks_a_minified_file(
    tmp_path: Path, content: bytes, limit: int, expected: tuple[int, int] | None
) -> None:
    (tmp_path / "bundle.js").write_bytes(content)
    [candidate] = scan_workspace(tmp_path).candidates
    read = read_candidate(candidate, max_bytes=1 << 20, max_line_length=limit)
    if expected is None:
        assert isinstance(read, SourceFile)
        return
    assert isinstance(read, FileProblem)
    assert (read.kind, read.line) == (ProblemKind.MINIFIED, expected[0])
    assert f"line {expected[0]} is {expected[1]:,} characters long" in read.message
    assert "minified-line-length" in read.message


def _first_long_line(data: bytes, limit: int) -> tuple[int, int] | None:
    """The definition, spelled out line by line: where the first line over `limit` characters is."""
    for number, line in enumerate(re.split(rb"\r\n|\r|\n", data), start=1):
        length = len(line.decode("utf-8", errors="replace"))
        if length > limit:
            return number, length
    return None


@settings(max_examples=300)
@given(
    pieces=st.lists(st.sampled_from([b"x", b"xxxxxxxxxx", "é".encode(), b"\n", b"\r", b"\r\n"])),
    limit=st.integers(min_value=1, max_value=40),
)
def test_the_long_line_scan_agrees_with_reading_line_by_line(
    pieces: list[bytes], limit: int
) -> None:
    data = b"".join(pieces)
    assert longest_line_over(data, limit) == _first_long_line(data, limit)


def test_bracket_expressions_a_future_python_may_read_as_sets_are_compiled_quietly(
    tmp_path: Path,
) -> None:
    """`re` warns (FutureWarning) of `[[` in a character class; pathspec writes a gitignore
    bracket expression such as `a[[b]` or `[[:alpha:]]` into one. The walk honours the
    pattern and the user's run shows no warning, whether it comes from an ignore file or
    from `exclude`."""
    touch(tmp_path, "web/ab.py", "web/a[.py", "web/keep.py", "api/ab.py", "api/keep.py")
    (tmp_path / "web/.gitignore").write_text("a[[b].py\n[[:alpha:]]z.py\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        walked = rels(scan_workspace(tmp_path))
        excluded = rels(scan_workspace(tmp_path, exclude=["api/a[[b].py"]))
    assert "web/ab.py" not in walked and "web/a[.py" not in walked
    assert {"web/keep.py", "api/ab.py"} <= set(walked)
    assert "api/ab.py" not in excluded and "api/keep.py" in excluded
