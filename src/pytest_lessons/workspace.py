"""The files under the lessons root that lessons may read, and why the others were left out.

A lesson is only as good as the files it sees: a vendored copy of a library or a virtualenv would
drown the report in findings nobody can fix, while a file silently skipped is a lesson passing
without having looked. So the walk leaves out what git ignores and the usual generated trees, and
everything it could not look at (a symlink loop, an unreadable directory, a file too large or
binary) comes back as a `FileProblem` with the fix in its message, never as a crash or a gap.

The walk is static: it lists directories and reads bytes, and never imports or runs the code.
"""

from __future__ import annotations

import errno
import functools
import heapq
import itertools
import os
import re
import stat
import subprocess
import warnings
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_lessons.findings import FileProblem, ProblemKind
from pytest_lessons.source import FileKind, SourceFile, kind_of

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git/",
    ".hg/",
    ".svn/",
    "node_modules/",
    ".venv/",
    "venv/",
    ".env/",
    "__pycache__/",
    ".mypy_cache/",
    ".pytest_cache/",
    ".ruff_cache/",
    ".tox/",
    ".nox/",
    "dist/",
    "build/",
    ".next/",
    ".turbo/",
    ".vercel/",
    ".cache/",
    "coverage/",
    "site-packages/",
    "*.egg-info/",
    "*{{*}}*/",
)
"""Directories never walked, at any depth (gitignore syntax: the trailing `/` means directories
only, so a `.env` *file* is still read). They hold installed, generated or cached code that is not
the project's own; a finding there could only be fixed upstream. A directory named with a
`{{ ... }}` placeholder belongs to a project template (cookiecutter, copier): its files are Jinja
sources that only become code once rendered, and every one of them would be a parse error. Any
directory holding a `VENV_MARKER` file is left out as well, whatever its name."""

VENV_MARKER = "pyvenv.cfg"
"""The file every `venv`/`virtualenv` environment has at its top, so environments are recognised
whatever they are called (`env`, `.direnv/python-3.12`, ...)."""

BINARY_PROBE = 8192
"""How many leading bytes are searched for a NUL: enough to catch real binaries, cheap to scan."""

CONFIG_HINT = "[tool.pytest-lessons]"

_DEFAULT_NAMES = frozenset(p.rstrip("/") for p in DEFAULT_EXCLUDES if "*" not in p)
_DEFAULT_GLOBS = tuple(p.rstrip("/") for p in DEFAULT_EXCLUDES if "*" in p)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)

DirKey = tuple[int, int]


@dataclass(frozen=True)
class Candidate:
    """A file some lesson may read: listed, not yet opened (reading is `read_candidate`'s job)."""

    rel: str
    """Relative to the root with `/` separators: the name findings and node ids use."""
    kind: FileKind
    location: str
    """Absolute, as the OS spells it (through the link, under a followed symlink). A string,
    because on Python < 3.12 building a `Path` per file costs as much as the rest of the walk."""

    @property
    def path(self) -> Path:
        return Path(self.location)


@dataclass(frozen=True)
class WorkspaceScan:
    candidates: list[Candidate]
    """Sorted by `rel`, so items and reports come out in the same order on every machine."""
    problems: list[FileProblem]
    """What the walk could not look into (loops, unreadable directories, broken links)."""


def scan_workspace(
    root: Path,
    *,
    exclude: Sequence[str] = (),
    use_gitignore: bool = True,
    follow_external_symlinks: bool = False,
    kinds: Container[FileKind] | None = None,
) -> WorkspaceScan:
    """List the files lessons may read under `root`: of `kinds` only, when given (the kinds the
    running lessons read: a Go file is nobody's business in a run without a Go lesson).

    `exclude` holds gitignore-style patterns relative to the root, applied on top of
    `DEFAULT_EXCLUDES`; an invalid one raises `ValueError` naming it. With `use_gitignore`, the
    `.gitignore` files of the root, of its subdirectories and of its parents up to the enclosing
    git work tree apply as git applies them (to untracked files: what git tracks is read
    whatever the ignore files say), and so does `.git/info/exclude`. Symlinks leading out of the
    root are reported and not followed, unless `follow_external_symlinks`.
    """
    config = _Patterns.compile(exclude)
    walker = _Walker(os.path.abspath(root), config, use_gitignore, follow_external_symlinks, kinds)
    walker.run()
    candidates = sorted(walker.candidates, key=lambda c: c.rel)
    problems = sorted(walker.problems, key=lambda p: (p.path, p.kind.value, p.message))
    return WorkspaceScan(candidates, problems)


def gitignore_spec(lines: Iterable[str]) -> GitIgnoreSpec:
    """git-style patterns compiled by pathspec, without the FutureWarning `re` gives for a
    bracket expression such as `[[:alpha:]]` or `a[[b]` (a future Python may read `[[` as a
    nested set). The warning, shown in the user's test run, named neither the file nor
    anything to do, and came and went in this project's own suite with the patterns
    hypothesis drew."""
    from pathspec import GitIgnoreSpec  # imported by the first run with patterns to compile

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Possible (nested )?set", FutureWarning)
        return GitIgnoreSpec.from_lines(lines)


def gitignore_pattern_error(pattern: str) -> str | None:
    """Why git-style `pattern` cannot be used (a reversed range `[z-a]`, a lone `\\`), or None."""
    try:
        gitignore_spec([pattern])
    except (ValueError, re.error) as error:
        # `re` counts positions in the translated regex, which mean nothing to the user
        return re.sub(r" at position \d+$", "", str(error))
    return None


def read_candidate(
    candidate: Candidate, *, max_bytes: int, max_line_length: int = 0
) -> SourceFile | FileProblem:
    """Read a candidate's bytes once, or say why it is left out.

    The size comes from `stat` before anything is read, so a huge generated bundle costs one
    system call, not a read. The file is opened non-blocking so that a FIFO swapped in since the
    walk cannot hang the run. A line longer than `max_line_length` characters (0: no limit)
    marks a minified or generated file, which parsers and position lookups handle in time
    quadratic in the line's length: it is left out with a note, like a binary.
    """
    rel = candidate.rel
    try:
        info = os.stat(candidate.location)
        if not stat.S_ISREG(info.st_mode):
            return _not_regular(rel, info.st_mode)
        if info.st_size > max_bytes:
            return _too_large(rel, info.st_size, max_bytes)
        descriptor = os.open(candidate.location, _OPEN_FLAGS)
        try:
            data = _read_up_to(descriptor, max_bytes + 1, info.st_size)
        finally:
            os.close(descriptor)
    except OSError as error:
        return FileProblem(
            path=rel,
            kind=ProblemKind.READ,
            message=f"cannot read: {_reason(error)}; no lesson checked this file. "
            f"Fix its permissions, or exclude it in {CONFIG_HINT}",
        )
    if len(data) > max_bytes:  # it grew between stat and read
        return _too_large(rel, len(data), max_bytes)
    nul = data.find(b"\0", 0, BINARY_PROBE)
    if nul != -1:
        return _binary(rel, data, nul)
    if max_line_length:
        long_line = longest_line_over(data, max_line_length)
        if long_line is not None:
            return _minified(rel, *long_line, max_line_length)
    return SourceFile(candidate.path, rel, candidate.kind, data)


def _read_up_to(descriptor: int, limit: int, size: int) -> bytes:
    """At most `limit` bytes, to the end of the file: one read of the size `stat` gave (and one
    more to see the end) rather than a buffered file object per file, which cost as much as
    the reading on a tree of small files; more reads only if the file grew since."""
    first = os.read(descriptor, min(limit, size + 1))
    parts, total = [first], len(first)
    while total < limit and parts[-1]:
        parts.append(os.read(descriptor, min(limit - total, _READ_CHUNK)))
        total += len(parts[-1])
    return b"".join(parts)


_READ_CHUNK = 1 << 20


def nothing_analysed(problems: Sequence[FileProblem]) -> FileProblem | None:
    """The failure of a run that read no file at all although there were files to read.

    Each file left out is only a note, but when every one is (a size limit of one byte, a tree
    of minified bundles), the lessons checked nothing and the run would pass in silence.
    """
    left_out = [p for p in problems if p.lesson is None and p.kind in _LEFT_OUT_FILES]
    if not left_out:
        return None
    counts: dict[str, int] = {}
    for problem in left_out:
        counts[problem.kind.value] = counts.get(problem.kind.value, 0) + 1
    listed = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
    return FileProblem(
        path=".",
        kind=ProblemKind.NOTHING_ANALYSED,
        message=f"no file was analysed: every file lessons would read was left out ({listed}), "
        "so nothing was checked. See the files listed in the summary; raise max-file-size or "
        f"minified-line-length, or fix what could not be read ({CONFIG_HINT})",
    )


_LEFT_OUT_FILES = frozenset(
    {
        ProblemKind.TOO_LARGE,
        ProblemKind.BINARY,
        ProblemKind.MINIFIED,
        ProblemKind.READ,
        ProblemKind.SYMLINK_OUTSIDE,
        ProblemKind.SYMLINK_LOOP,
    }
)


_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


@functools.lru_cache(maxsize=4)
def _line_over(limit: int) -> re.Pattern[bytes]:
    """A line of more than `limit` bytes; anchored at line starts so the scan stays linear."""
    return re.compile(rb"(?:\A|(?<=[\r\n]))[^\r\n]{%d,}" % (limit + 1))


def longest_line_over(data: bytes, limit: int) -> tuple[int, int] | None:
    """(line number, length in characters) of the first line longer than `limit` characters.

    Bytes bound characters from above, so the regex finds the candidates in one C-speed pass
    and only those are counted in characters (UTF-8 continuation bytes start no character).
    Nearly every file has no line that long, and `bytes.splitlines` (the same three line
    breaks) says so about eight times faster than the regex scan, which most of the survey's
    reading time used to be; the regex is kept to place and measure a line that is.
    """
    if len(data) <= limit or max(map(len, data.splitlines()), default=0) <= limit:
        return None
    for match in _line_over(limit).finditer(data):
        length = len(match.group().translate(None, _CONTINUATION_BYTES))
        if length > limit:
            start = match.start()
            line = data.count(b"\n", 0, start) + 1 + _lone_returns(data, start)
            return line, length
    return None


def _lone_returns(data: bytes, end: int) -> int:
    """Line breaks made of a bare `\\r` before `end` (old Mac files), which `\\n` misses."""
    returns = data.count(b"\r", 0, end)
    return returns - data.count(b"\r\n", 0, end) if returns else 0


class _Patterns:
    """A `GitIgnoreSpec` with a one-regex prefilter.

    Most paths in a tree match no pattern at all, and pathspec tries each pattern in turn (about
    a microsecond each); one alternation of all of them answers "no pattern matches" in one C
    call, which keeps a 20k-file walk under a .gitignore of a hundred lines fast. Only paths the
    prefilter lets through pay for the exact, last-match-wins evaluation.
    """

    __slots__ = ("_quick", "_spec")

    def __init__(self, spec: GitIgnoreSpec) -> None:
        self._spec = spec
        self._quick = _alternation(spec)

    @classmethod
    def compile(cls, patterns: Sequence[str]) -> _Patterns | None:
        if isinstance(patterns, str):
            raise ValueError(f"exclude must be a list of patterns, not the string {patterns!r}")
        for pattern in patterns:
            error = gitignore_pattern_error(pattern)
            if error is not None:
                raise ValueError(
                    f"exclude pattern {pattern!r} is not a valid gitignore pattern ({error})"
                )
        if not patterns:
            return None
        return cls(gitignore_spec(patterns))

    @classmethod
    def from_ignore_file(cls, lines: list[str]) -> tuple[_Patterns | None, list[int]]:
        """The file's patterns, and the numbers of the lines that are not valid patterns.

        Git lets a pattern it cannot match (a reversed range such as `[z-a]`) match nothing and
        keeps the rest of the file; so do we, and the caller names the line in a note.
        """
        bad: list[int] = []
        try:
            spec = gitignore_spec(lines)
        except (ValueError, re.error):
            bad = [n for n, line in enumerate(lines, 1) if gitignore_pattern_error(line)]
            spec = gitignore_spec(line for n, line in enumerate(lines, 1) if n not in set(bad))
        found = cls(spec) if any(p.include is not None for p in spec.patterns) else None
        return found, bad

    def verdict(self, path: str) -> bool | None:
        """True: ignored; False: re-included by a negation; None: no pattern says anything."""
        if self._quick is not None and self._quick.search(path) is None:
            return None
        return self._spec.check_file(path).include


_NAMED_GROUP = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|\(\?P<\w+>", re.DOTALL)
_ANY_PARENT = "^(?:.+/)?"
_ANY_NAME = "[^/]*"


def _alternation(spec: GitIgnoreSpec) -> re.Pattern[str] | None:
    """One regex matching whatever any pattern matches, or None when one cannot be built.

    Named groups are made anonymous (the same name in two alternatives is an error); escapes and
    character classes are skipped over so that a literal `(?P<` in a user pattern is left alone.
    The prefixes most patterns share ("at any depth", then "any name" for `*.ext`) are factored
    out, so the engine scans a path once for them instead of once per pattern, and the
    remaining branches mostly start with a literal, which it rejects in one comparison.
    """
    anywhere: list[str] = []
    any_name: list[str] = []
    anchored: list[str] = []
    flags: set[int] = set()
    for pattern in spec.patterns:
        regex = getattr(pattern, "regex", None)
        if pattern.include is None or regex is None:
            continue
        if not isinstance(regex, re.Pattern) or not isinstance(regex.pattern, str):
            return None
        flags.add(regex.flags)
        source = _NAMED_GROUP.sub(lambda m: "(?:" if m[0].startswith("(") else m[0], regex.pattern)
        if not source.startswith(_ANY_PARENT):
            anchored.append(f"(?:{source})")
            continue
        source = source[len(_ANY_PARENT) :]
        if source.startswith(_ANY_NAME):
            any_name.append(f"(?:{source[len(_ANY_NAME) :]})")
        else:
            anywhere.append(f"(?:{source})")
    if len(flags) > 1:
        return None
    if any_name:
        anywhere.append(f"{_ANY_NAME}(?:{'|'.join(any_name)})")
    if anywhere:
        anchored.insert(0, f"{_ANY_PARENT}(?:{'|'.join(anywhere)})")
    try:
        # pathspec compiled each of these already (`gitignore_spec`): a `[[` it was quiet
        # about is no news here either
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return re.compile("|".join(anchored) or r"(?!)", flags.pop() if flags else 0)
    except re.error:
        return None


@dataclass(frozen=True)
class _Rules:
    """One ignore file's patterns, anchored at the directory that holds it.

    A path relative to the lessons root becomes `prefix + rel[strip:]` relative to that
    directory: nested files strip their own directory, files above the root prepend the root's
    place below them.
    """

    patterns: _Patterns
    strip: int = 0
    prefix: str = ""

    def verdict(self, rel: str) -> bool | None:
        return self.patterns.verdict(self.prefix + rel[self.strip :])


@dataclass(frozen=True)
class _Dir:
    path: str
    rel: str
    rules: tuple[_Rules, ...]
    """Lowest precedence first: info/exclude, then .gitignore files from the top down."""
    chain: frozenset[DirKey]
    """This directory and every directory above it in the walk: re-entering one is a loop."""


@dataclass(frozen=True)
class _Link:
    path: str
    rel: str
    parent: _Dir


class _Walker:
    """Depth-first over real directories first, symlinked ones after.

    Following links only once the real tree is done means a directory reachable both directly
    and through a link is reported under its real path, whatever the names sort like; the links
    are then followed in `rel` order, each to the end, so the outcome never depends on the
    order the file system lists entries in.
    """

    def __init__(
        self,
        root: str,
        config: _Patterns | None,
        use_gitignore: bool,
        follow_external_symlinks: bool,
        kinds: Container[FileKind] | None = None,
    ) -> None:
        self._kinds = kinds  # looked into only when a file's name has a kind (see `analysis`)
        self.root = root
        self.root_real = os.path.realpath(root)
        self.config = config
        self.use_gitignore = use_gitignore
        self.follow_external_symlinks = follow_external_symlinks
        self.git_top: str | None = None
        """The enclosing git work tree, when there is one (found with the outer ignore files)."""
        self._tracked: _Tracked | None = None
        self.candidates: list[Candidate] = []
        self.problems: list[FileProblem] = []
        self.visited: set[DirKey] = set()
        self.stack: list[_Dir] = []
        self.links: list[tuple[str, int, _Link]] = []
        self.tiebreak = itertools.count()

    def run(self) -> None:
        rules = self._outer_rules() if self.use_gitignore else ()
        try:
            key = _key(os.stat(self.root))
        except OSError:
            key = None  # listing the root fails too, and says why
        self._enter(self.root, "", rules, frozenset(), key)
        self._drain()
        while self.links:
            _, _, link = heapq.heappop(self.links)
            self._follow(link)
            self._drain()

    def _drain(self) -> None:
        while self.stack:
            self._list(self.stack.pop())

    def _enter(
        self,
        path: str,
        rel: str,
        rules: tuple[_Rules, ...],
        chain: frozenset[DirKey],
        key: DirKey | None,
    ) -> None:
        if key is not None:
            self.visited.add(key)
            chain = chain | {key}
        self.stack.append(_Dir(path, rel, rules, chain))

    def _list(self, here: _Dir) -> None:
        try:
            with os.scandir(here.path) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            self._problem(
                here.rel or ".",
                ProblemKind.READ,
                f"cannot list this directory: {_reason(error)}; no lesson checked the files in "
                f"it. Fix its permissions, or add it to exclude in {CONFIG_HINT}",
            )
            return
        if here.rel and any(entry.name == VENV_MARKER for entry in entries):
            return
        rules = here.rules
        if self.use_gitignore:
            for entry in entries:
                if entry.name == ".gitignore" and entry.is_file():
                    strip = len(here.rel) + 1 if here.rel else 0
                    found = self._read_rules(entry.path, _join(here.rel, entry.name), strip, "")
                    if found is not None:
                        rules = (*rules, found)
        here = _Dir(here.path, here.rel, rules, here.chain)
        for entry in entries:
            self._entry(entry, here)

    def _entry(self, entry: os.DirEntry[str], here: _Dir) -> None:
        name = entry.name
        rel = _join(here.rel, escaped_name(name))
        mode: int | None = None
        try:
            link = entry.is_symlink()
            if link:
                try:
                    mode = os.stat(entry.path).st_mode
                except OSError as error:
                    self._broken_link(entry.path, rel, name, here, error)
                    return
                is_dir, is_file = stat.S_ISDIR(mode), stat.S_ISREG(mode)
            else:  # answered from the listing itself, without a system call per file
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = not is_dir and entry.is_file(follow_symlinks=False)
            if is_dir:
                self._directory(entry, rel, link, here)
                return
            kind = self._kind_of(name, here.rel)
            if kind is None or self._ignored(rel, here.rules):
                return
            if link and self._leaves_root(entry.path, rel):
                return
            if is_file:
                self.candidates.append(Candidate(rel, kind, entry.path))
                return
            if mode is None:
                mode = entry.stat(follow_symlinks=False).st_mode
            self.problems.append(_not_regular(rel, mode))
        except OSError as error:  # vanished or unreadable since the listing
            if error.errno != errno.ENOENT:
                self._problem(rel, ProblemKind.READ, _cannot_look(error))

    def _directory(self, entry: os.DirEntry[str], rel: str, link: bool, here: _Dir) -> None:
        if _default_excluded(entry.name) or self._ignored(rel + "/", here.rules):
            return
        if link:
            if self._leaves_root(entry.path, rel):
                return
            pending = _Link(entry.path, rel, here)
            heapq.heappush(self.links, (rel, next(self.tiebreak), pending))
            return
        key = _key(entry.stat(follow_symlinks=False))
        if key is None:
            key = _key(os.stat(entry.path))
        if key is not None and key in self.visited:
            return  # a bind mount or hard link onto a directory already walked
        self._enter(entry.path, rel, here.rules, here.chain, key)

    def _ignored(self, probe: str, rules: tuple[_Rules, ...]) -> bool:
        """Configured excludes first (they only add); then the deepest ignore file that speaks.

        Ignore files only speak for untracked files, as in git: a file committed before the
        rule was written (`git add -f`) is still part of the project.
        """
        if self.config is not None and self.config.verdict(probe):
            return True
        for found in reversed(rules):
            verdict = found.verdict(probe)
            if verdict is not None:
                return verdict and not self._is_tracked(probe)
        return False

    def _is_tracked(self, probe: str) -> bool:
        """Whether git tracks this file, or some file under this directory (`probe` ends in /)."""
        if self.git_top is None:
            return False
        if self._tracked is None:
            self._tracked = _tracked_files(self.root)
            if self._tracked.error is not None:
                self._problem(
                    ".",
                    ProblemKind.GIT,
                    f"could not ask git which files it tracks ({self._tracked.error}); files "
                    ".gitignore matches were left out even if git tracks them",
                )
        tracked = self._tracked
        return probe in tracked.directories if probe.endswith("/") else probe in tracked.files

    def _leaves_root(self, path: str, rel: str) -> bool:
        """True (with a note) for a link resolving outside the root, unless those are followed.

        Git stores a symlink as a link and never follows it; following one out of the root would
        report files of another project (or of the system: `ln -s /etc`) as the repository's.
        """
        if self.follow_external_symlinks:
            return False
        target = os.path.realpath(path)
        if _within(target, self.root_real):
            return False
        self._problem(
            rel,
            ProblemKind.SYMLINK_OUTSIDE,
            f"not followed: {rel} -> {escaped_name(_readlink(path))} leads out of the lessons "
            f"root (to {escaped_name(target)}), so what it points to was not analysed. Set "
            f"follow-external-symlinks = true in {CONFIG_HINT} to analyse it, or exclude the "
            "link",
        )
        return True

    def _follow(self, link: _Link) -> None:
        try:
            key = _key(os.stat(link.path))
        except OSError as error:  # changed since the listing
            self._broken_link(link.path, link.rel, os.path.basename(link.path), link.parent, error)
            return
        target = os.path.realpath(link.path)
        container = os.path.realpath(os.path.dirname(link.path))
        if (key is not None and key in link.parent.chain) or _within(container, target):
            self._problem(
                link.rel,
                ProblemKind.SYMLINK_LOOP,
                f"symlink loop: {link.rel} -> {escaped_name(_readlink(link.path))} leads back "
                f"to {escaped_name(self._display(target))}, which already contains the link, "
                f'so following it would never end; it was not followed. Remove the link, or add "'
                f'{link.rel}" to exclude in {CONFIG_HINT}',
            )
            return
        if key is not None and key in self.visited:
            return  # already walked under another name: walking it again would double findings
        self._enter(link.path, link.rel, link.parent.rules, link.parent.chain, key)

    def _broken_link(self, path: str, rel: str, name: str, here: _Dir, error: OSError) -> None:
        """Report a link that leads nowhere readable, unless nothing could have been lost.

        A link cycle is always a defect, and one that fails with "permission denied" may hide a
        directory; a dangling link hides nothing, so it is only worth a word when a lesson would
        have read a file of that name.
        """
        if _default_excluded(name) or self._ignored(rel, here.rules):
            return
        target = escaped_name(_readlink(path))
        if error.errno == errno.ELOOP:
            message = (
                f"symlink loop: {rel} -> {target} never reaches a file or directory (the links "
                "point at each other), so no lesson checked it. Fix or remove the link, or "
                f"exclude it in {CONFIG_HINT}"
            )
        elif error.errno in (errno.ENOENT, errno.ENOTDIR):
            if self._kind_of(name, here.rel) is None:
                return
            message = (
                f"broken symlink: {rel} -> {target} does not exist, so no lesson checked it. "
                f"Fix or remove the link, or exclude it in {CONFIG_HINT}"
            )
        else:
            message = (
                f"cannot follow symlink {rel} -> {target}: {_reason(error)}; no lesson checked "
                f"what it points to. Fix its permissions, or exclude it in {CONFIG_HINT}"
            )
        self._problem(rel, ProblemKind.READ, message)

    def _read_rules(self, path: str, shown: str, strip: int, prefix: str) -> _Rules | None:
        try:
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8", "surrogateescape")
        except OSError as error:
            self._problem(
                shown,
                ProblemKind.READ,
                f"cannot read this ignore file: {_reason(error)}; its patterns were not "
                "applied, so files it ignores may be checked. Fix its permissions",
            )
            return None
        lines = [line.removesuffix("\r") for line in text.split("\n")]  # as git splits them
        patterns, bad = _Patterns.from_ignore_file(lines)
        for number in bad:
            self.problems.append(
                FileProblem(
                    path=escaped_name(shown),
                    kind=ProblemKind.IGNORE_PATTERN,
                    line=number,
                    column=1,
                    message=f"pattern {escaped_name(lines[number - 1].strip())!r} is not valid "
                    f"({gitignore_pattern_error(lines[number - 1])}); as git does, that line "
                    "matches nothing and the rest of the file applies",
                )
            )
        return None if patterns is None else _Rules(patterns, strip, prefix)

    def _outer_rules(self) -> tuple[_Rules, ...]:
        """`.git/info/exclude` and the `.gitignore` files above the root, as git would see them.

        When the root is a package inside a larger repository, the repository's own ignore files
        still decide what is source; the search stops at the first directory holding `.git`.
        """
        above: list[str] = []
        top = self.root
        while not os.path.lexists(os.path.join(top, ".git")):
            parent = os.path.dirname(top)
            if parent == top:
                return ()
            above.append(os.path.basename(top))
            top = parent
        self.git_top = top
        rules: list[_Rules] = []
        below = "".join(f"{name}/" for name in reversed(above))
        exclude = os.path.join(top, ".git", "info", "exclude")
        if os.path.isfile(exclude):
            found = self._read_rules(exclude, self._relative(exclude), 0, below)
            if found is not None:
                rules.append(found)
        directory = top
        for depth in range(len(above), 0, -1):
            ignore = os.path.join(directory, ".gitignore")
            if os.path.isfile(ignore):
                prefix = "".join(f"{name}/" for name in reversed(above[:depth]))
                found = self._read_rules(ignore, self._relative(ignore), 0, prefix)
                if found is not None:
                    rules.append(found)
            directory = os.path.join(directory, above[depth - 1])
        return tuple(rules)

    def _relative(self, path: str) -> str:
        return os.path.relpath(path, self.root).replace(os.sep, "/")

    def _display(self, real: str) -> str:
        """Name a resolved directory the way the report names files, when it is under the root."""
        if real == self.root_real:
            return "the lessons root"
        if _within(real, self.root_real):
            return os.path.relpath(real, self.root_real).replace(os.sep, "/")
        return real

    def _kind_of(self, name: str, directory: str) -> FileKind | None:
        kind = kind_of(name, directory)
        if kind is None or self._kinds is None:
            return kind
        return kind if kind in self._kinds else None

    def _problem(self, rel: str, kind: ProblemKind, message: str) -> None:
        self.problems.append(FileProblem(path=rel, kind=kind, message=message))


@dataclass(frozen=True)
class _Tracked:
    files: frozenset[str]
    directories: frozenset[str]
    """Every directory holding a tracked file, with a trailing `/`."""
    error: str | None = None


GIT_TIMEOUT = 60
_GIT_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR")


def _tracked_files(root: str) -> _Tracked:
    """The files git tracks under `root`, relative to it, named as the walk names them.

    Asked of `git ls-files`, the one authority on the index. Reading it must not run anything
    from the scanned repository: its config may name an fsmonitor hook, which `ls-files` would
    start, so that is turned off; variables pointing git at another repository are dropped.
    """
    environment = {
        key: value for key, value in os.environ.items() if key not in _GIT_REPOSITORY_VARIABLES
    }
    try:
        listed = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "ls-files", "-z", "--cached"],
            cwd=root,
            env=environment,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return _Tracked(frozenset(), frozenset(), str(error) or type(error).__name__)
    if listed.returncode != 0:
        reason = listed.stderr.decode("utf-8", "backslashreplace").strip().splitlines()
        return _Tracked(frozenset(), frozenset(), reason[-1] if reason else "git failed")
    files = frozenset(
        path.decode("utf-8", "backslashreplace") for path in listed.stdout.split(b"\0") if path
    )
    directories: set[str] = set()
    for path in files:
        index = path.find("/")
        while index != -1:
            directories.add(path[: index + 1])
            index = path.find("/", index + 1)
    return _Tracked(files, frozenset(directories))


def escaped_name(name: str) -> str:
    """A file name as reports spell it: UTF-8, with bytes that are not UTF-8 as `\\xNN`.

    The OS hands undecodable bytes over as lone surrogates, which JSON writers, execnet (so
    xdist) and terminals refuse or mangle; every report, node id and message uses this one
    spelling, and only opening the file uses the OS's.
    """
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def _join(parent: str, name: str) -> str:
    return f"{parent}/{name}" if parent else name


def _default_excluded(name: str) -> bool:
    return name in _DEFAULT_NAMES or any(fnmatchcase(name, glob) for glob in _DEFAULT_GLOBS)


def _key(info: os.stat_result) -> DirKey | None:
    """A directory's identity, or None where the file system reports no inode numbers."""
    return None if info.st_ino == 0 else (info.st_dev, info.st_ino)


def _within(path: str, ancestor: str) -> bool:
    return path == ancestor or path.startswith(ancestor.rstrip(os.sep) + os.sep)


def _readlink(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _cannot_look(error: OSError) -> str:
    return (
        f"cannot look at this entry: {_reason(error)}; no lesson checked it. "
        f"Fix its permissions, or exclude it in {CONFIG_HINT}"
    )


def _not_regular(rel: str, mode: int) -> FileProblem:
    what = (
        "a FIFO"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return FileProblem(
        path=rel,
        kind=ProblemKind.READ,
        message=f"not read: this is {what}, not a regular file, so no lesson checked it. "
        f"Remove it from the tree, or exclude it in {CONFIG_HINT}",
    )


def _too_large(rel: str, size: int, limit: int) -> FileProblem:
    shown, shown_limit = _size(size), _size(limit)
    if shown == shown_limit:
        shown, shown_limit = f"{size} bytes", f"{limit} bytes"
    return FileProblem(
        path=rel,
        kind=ProblemKind.TOO_LARGE,
        message=f"skipped: {shown} is over max-file-size ({shown_limit}); raise max-file-size "
        f"(in bytes) in {CONFIG_HINT} or exclude the file",
    )


def _binary(rel: str, data: bytes, offset: int) -> FileProblem:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        advice = "it looks like UTF-16 text; save it as UTF-8 so lessons can read it"
    else:
        advice = (
            f"lessons read text only; if it is generated or binary, exclude it in {CONFIG_HINT}"
        )
    return FileProblem(
        path=rel,
        kind=ProblemKind.BINARY,
        message=f"skipped: binary content (NUL byte at offset {offset}); {advice}",
    )


def _minified(rel: str, line: int, length: int, limit: int) -> FileProblem:
    return FileProblem(
        path=rel,
        kind=ProblemKind.MINIFIED,
        line=line,
        column=1,
        message=f"skipped: line {line} is {length:,} characters long, over minified-line-length "
        f"({limit:,}), so the file looks minified or generated; exclude it, or raise "
        f"minified-line-length in {CONFIG_HINT} (0 never skips) to analyse it anyway",
    )


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"
