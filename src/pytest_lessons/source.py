"""A file under the lessons root: read once, decoded once, parsed at most once per engine.

Lessons never open files themselves; they ask a `SourceFile` for its text or its syntax tree, so
that two lessons looking at the same file share one read and one parse, and so that a file nobody
needs is never parsed at all.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import tokenize
from collections.abc import Callable
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pytest_lessons.errors import AnalysisError as AnalysisError
from pytest_lessons.findings import ProblemKind
from pytest_lessons.lines import split_lines, split_lines_bytes

if TYPE_CHECKING:
    import libcst
    from libcst.metadata import MetadataWrapper


DerivedT = TypeVar("DerivedT")


class FileKind(str, Enum):
    """The language family a file is analysed as; lessons declare which kinds they read."""

    PYTHON = "python"
    TYPESCRIPT = "typescript"
    INI = "ini"
    TOML = "toml"
    JSON = "json"
    ENV = "env"
    REQUIREMENTS = "requirements"
    """pip requirement files: `requirements*.txt`, `*constraints*.txt`, any `.txt` in a
    `requirements/` folder, and pip-tools inputs (`*.in`, but not setuptools' `MANIFEST.in`
    nor a template such as `config.h.in`)."""
    LOCK = "lock"
    """Python lock files, known by exact name: `poetry.lock`, `uv.lock`, `pdm.lock`,
    `Pipfile.lock` (a name like `yarn.lock` or `Cargo.lock` is another ecosystem's)."""
    PRISMA = "prisma"
    """Prisma schemas (`schema.prisma`, the files of a multi-file schema): the models a
    TypeScript client queries, with their `@id`/`@unique` keys."""
    # The languages ast-grep parses; pattern lessons name them, and a built-in lesson may read
    # one too (dockerfile-ships-migrations reads container entrypoints as BASH). A file is
    # opened only when a running lesson reads its kind.
    BASH = "bash"
    C = "c"
    CPP = "cpp"
    CSHARP = "csharp"
    CSS = "css"
    DART = "dart"
    ELIXIR = "elixir"
    GO = "go"
    HASKELL = "haskell"
    HCL = "hcl"
    HTML = "html"
    JAVA = "java"
    KOTLIN = "kotlin"
    LUA = "lua"
    MARKDOWN = "markdown"
    NIX = "nix"
    PHP = "php"
    RUBY = "ruby"
    RUST = "rust"
    SCALA = "scala"
    SOLIDITY = "solidity"
    SWIFT = "swift"
    YAML = "yaml"
    """`.yml`/`.yaml`: compose files, Kubernetes manifests, Helm values, CI workflows."""
    DOCKERFILE = "dockerfile"
    """`Dockerfile`, `Dockerfile.<x>`, `<x>.Dockerfile`, `Containerfile`."""
    DOCKERIGNORE = "dockerignore"
    """`.dockerignore`, and BuildKit's per-Dockerfile `<Dockerfile>.dockerignore`."""


_KIND_BY_SUFFIX: dict[str, FileKind] = {
    ".py": FileKind.PYTHON,
    ".pyi": FileKind.PYTHON,
    ".ts": FileKind.TYPESCRIPT,
    ".tsx": FileKind.TYPESCRIPT,
    ".mts": FileKind.TYPESCRIPT,
    ".cts": FileKind.TYPESCRIPT,
    ".js": FileKind.TYPESCRIPT,
    ".jsx": FileKind.TYPESCRIPT,
    ".mjs": FileKind.TYPESCRIPT,
    ".cjs": FileKind.TYPESCRIPT,
    ".ini": FileKind.INI,
    ".cfg": FileKind.INI,
    ".toml": FileKind.TOML,
    ".json": FileKind.JSON,
    ".prisma": FileKind.PRISMA,
    # ast-grep's extensions for the languages pattern lessons read, less those another kind
    # owns (`.env` is an env file, not a shell script).
    **dict.fromkeys((".bash", ".bats", ".sh", ".zsh", ".ksh"), FileKind.BASH),
    **dict.fromkeys((".c", ".h"), FileKind.C),
    **dict.fromkeys((".cc", ".hpp", ".cpp", ".c++", ".hh", ".cxx", ".cu", ".ino"), FileKind.CPP),
    ".cs": FileKind.CSHARP,
    **dict.fromkeys((".css", ".scss"), FileKind.CSS),
    ".dart": FileKind.DART,
    **dict.fromkeys((".ex", ".exs"), FileKind.ELIXIR),
    ".go": FileKind.GO,
    ".hs": FileKind.HASKELL,
    **dict.fromkeys((".hcl", ".nomad", ".tf", ".tfvars"), FileKind.HCL),
    **dict.fromkeys((".html", ".htm", ".xhtml"), FileKind.HTML),
    ".java": FileKind.JAVA,
    **dict.fromkeys((".kt", ".ktm", ".kts"), FileKind.KOTLIN),
    ".lua": FileKind.LUA,
    **dict.fromkeys((".md", ".markdown"), FileKind.MARKDOWN),
    ".nix": FileKind.NIX,
    ".php": FileKind.PHP,
    **dict.fromkeys((".rb", ".rbw", ".gemspec"), FileKind.RUBY),
    ".rs": FileKind.RUST,
    **dict.fromkeys((".scala", ".sc", ".sbt"), FileKind.SCALA),
    ".sol": FileKind.SOLIDITY,
    ".swift": FileKind.SWIFT,
    **dict.fromkeys((".yaml", ".yml"), FileKind.YAML),
    ".dockerfile": FileKind.DOCKERFILE,
    ".dockerignore": FileKind.DOCKERIGNORE,
}


_KIND_BY_NAME: dict[str, FileKind] = {
    "poetry.lock": FileKind.LOCK,
    "uv.lock": FileKind.LOCK,
    "pdm.lock": FileKind.LOCK,
    "Pipfile.lock": FileKind.LOCK,
    "Pipfile": FileKind.TOML,
    ".dockerignore": FileKind.DOCKERIGNORE,
}


def kind_of(name: str, directory: str = "") -> FileKind | None:
    """The kind a file name implies, or None for files no lesson reads (never opened).

    `directory` is the containing folder (a relative path or just its name); it only matters
    for `.txt` files, which are pip requirement files inside a `requirements/` folder.
    """
    if name == ".env" or name.startswith(".env."):
        return FileKind.ENV
    named = _KIND_BY_NAME.get(name)
    if named is not None:
        return named
    if name.startswith(("Dockerfile", "Containerfile")) and not name.endswith(".dockerignore"):
        return FileKind.DOCKERFILE  # `Dockerfile`, `Dockerfile.api`, `Containerfile.dev`
    dot = name.rfind(".")
    if dot <= 0:
        return None
    suffix = name[dot:].lower()
    if suffix == ".txt":
        return FileKind.REQUIREMENTS if _requirements_txt(name, directory) else None
    if suffix == ".in":  # pip-tools; not setuptools' MANIFEST.in nor templates like `x.py.in`
        pip_tools = name != "MANIFEST.in" and "." not in name[:dot]
        return FileKind.REQUIREMENTS if pip_tools else None
    return _KIND_BY_SUFFIX.get(suffix)


def _requirements_txt(name: str, directory: str) -> bool:
    """pip's conventions: `requirements.txt`, `dev-requirements.txt`, `constraints.txt`, or any
    `.txt` kept in a `requirements/` folder (`requirements/base.txt`)."""
    lowered = name.lower()
    if "requirements" in lowered or "constraints" in lowered:
        return True
    return directory.rsplit("/", 1)[-1].lower() == "requirements"


class SourceFile:
    """One file's bytes plus lazily derived views of them (text, lines, syntax trees)."""

    def __init__(self, path: Path, rel: str, kind: FileKind, data: bytes) -> None:
        self.path = path
        self.rel = rel
        self.kind = kind
        self.data = data
        self._trees: dict[str, Any] = {}
        self._derived: dict[str, Any] = {}
        self._found: dict[bytes, bool] = {}
        self.notes: list[AnalysisError] = []
        """Non-fatal parse problems (a recovered TS parse), reported without failing items."""

    @classmethod
    def from_text(cls, rel: str, text: str, root: Path | None = None) -> SourceFile:
        """Build a file from a string, for tests and for checks run over snippets."""
        directory, _, name = rel.rpartition("/")
        kind = kind_of(name, directory)
        if kind is None:
            raise ValueError(f"{rel}: no lesson reads files of this type")
        base = root if root is not None else Path(".")
        return cls(base / rel, rel, kind, text.encode("utf-8"))

    @cached_property
    def content_hash(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def contains_any(self, needles: tuple[bytes, ...]) -> bool:
        """Whether the bytes hold any of `needles`. The survey asks every lesson's prefilters
        of every file, and lessons share many words (`fastapi`, `posthog`, ...): each word is
        looked for once per file."""
        found = self._found
        for needle in needles:
            hit = found.get(needle)
            if hit is None:
                hit = found[needle] = needle in self.data
            if hit:
                return True
        return False

    @cached_property
    def text(self) -> str:
        """The decoded text; Python files honour a BOM and a coding cookie (PEP 263)."""
        if self.kind is FileKind.PYTHON:
            return _decode_python(self.data)
        return _decode_utf8(self.data)

    @cached_property
    def lines(self) -> list[str]:
        """Lines as the file's parser counts them: pip's `splitlines()` for requirement files,
        the universal line breaks of `split_lines` for everything else."""
        if self.kind is FileKind.REQUIREMENTS:
            return self.text.splitlines()
        return split_lines(self.text)

    def line_text(self, line: int) -> str:
        """The 1-based source line, or "" when out of range (a finding on a file's last newline)."""
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return ""

    def tree(self, engine: str) -> Any:
        """The syntax tree of one engine, parsed on first use and shared by every lesson."""
        if engine not in self._trees:
            from pytest_lessons.engines import parse_with

            try:
                self._trees[engine] = parse_with(engine, self)
            except AnalysisError as error:
                self._trees[engine] = error
            else:
                note = _recovery_note(engine, self._trees[engine])
                if note is not None:
                    self.notes.append(note)
        cached = self._trees[engine]
        if isinstance(cached, AnalysisError):
            raise cached
        return cached

    def derived(self, key: str, compute: Callable[[SourceFile], DerivedT]) -> DerivedT:
        """A value computed from this file once per run and shared by every lesson that asks.

        Shared layers (module imports and exports, routes, telemetry calls) are derived here, so
        four lessons reading the same route file extract its routes once. `key` names the layer
        and its version; an AnalysisError raised by `compute` is remembered and raised again.
        """
        if key not in self._derived:
            try:
                self._derived[key] = compute(self)
            except AnalysisError as error:
                self._derived[key] = error
        cached = self._derived[key]
        if isinstance(cached, AnalysisError):
            raise cached
        result: DerivedT = cached
        return result

    def python_module(self) -> libcst.Module:
        module: libcst.Module = self.tree("libcst")
        return module

    def python_metadata(self) -> MetadataWrapper:
        """A metadata wrapper over the shared module (no copy), so position lookups are shared."""
        wrapper: MetadataWrapper = self.tree("libcst-metadata")
        return wrapper

    def __repr__(self) -> str:
        return f"SourceFile({self.rel!r}, {self.kind.value})"


def _recovery_note(engine: str, tree: Any) -> AnalysisError | None:
    """Where a tree-sitter parse recovered (`ast-grep`: TypeScript; `ast-grep:<language>`)."""
    if engine == "ast-grep":
        from pytest_lessons.engines.typescript import recovery_note

        return recovery_note(tree)
    if engine.startswith("ast-grep:"):
        from pytest_lessons.engines.ast_grep import recovery_note as recovered
        from pytest_lessons.patterns.languages import display_name

        return recovered(tree, display_name(engine.partition(":")[2]))
    return None


def _decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _decode_error(data, error, "utf-8") from None


def _decode_python(data: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        if "unknown encoding" in str(error.msg) or "encoding problem" in str(error.msg):
            raise AnalysisError(
                ProblemKind.DECODE,
                f"{error.msg}; fix the coding cookie or save the file as UTF-8",
                line=error.lineno,
            ) from None
        encoding = "utf-8"  # no cookie and not UTF-8: decoding below says where it breaks
    _refuse_cookie_cpython_refuses(data, encoding)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _decode_error(data, error, encoding) from None
    except (UnicodeError, LookupError) as error:  # codecs that fail without a position
        raise AnalysisError(
            ProblemKind.DECODE,
            f"cannot decode the file as {encoding} ({error}); save it as UTF-8",
            line=_cookie_line(data),
        ) from None


_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)


def _refuse_cookie_cpython_refuses(data: bytes, encoding: str) -> None:
    """A cookie naming a codec CPython refuses ("encoding problem") is a decode problem.

    `rot13` or `base64` turn bytes into bytes, not text; a UTF-16 or UTF-32 codec cannot describe
    a file whose cookie line is itself ASCII. tokenize's `detect_encoding` accepts both, and
    decoding with them either fails oddly or yields garbage that then parses as nothing at all,
    so the file would pass without a word.
    """
    info = codecs.lookup(encoding)
    if not getattr(info, "_is_text_encoding", True):
        reason = f"{encoding!r} is not a text encoding"
    elif info.name.startswith(("utf-16", "utf-32")):
        reason = f"{encoding!r} cannot describe a file whose coding line is ASCII"
    else:
        return
    raise AnalysisError(
        ProblemKind.DECODE,
        f"encoding problem: the coding cookie names {encoding!r}; {reason}, so CPython refuses "
        "this file. Fix the cookie, or save the file as UTF-8 and remove it",
        line=_cookie_line(data),
        column=1,
    )


def _cookie_line(data: bytes) -> int | None:
    head = b"\n".join(split_lines_bytes(data)[:2])
    match = _COOKIE.search(head)
    return None if match is None else head.count(b"\n", 0, match.start()) + 1


def _decode_error(data: bytes, error: UnicodeDecodeError, encoding: str) -> AnalysisError:
    before = split_lines_bytes(data[: error.start] + b"^")
    return AnalysisError(
        ProblemKind.DECODE,
        f"cannot decode byte 0x{data[error.start]:02x} as {encoding}; "
        "save the file as UTF-8 (or declare its encoding with a coding cookie)",
        line=len(before),
        column=len(before[-1]),
    )
