"""The languages a pattern lesson may name: ast-grep's names, the files each one reads.

The names and aliases are ast-grep's (`go` or `golang`, `ts` or `typescript`), so a rule copied
from an ast-grep project keeps its `language`. Each language reads the files ast-grep gives it,
through the `FileKind` the workspace knows them by; where one kind holds several of ast-grep's
languages (TypeScript, TSX and JavaScript are all `FileKind.TYPESCRIPT`), the suffix decides, as
it does for ast-grep: a `typescript` rule reads `.ts` files, not `.tsx` ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from pytest_lessons.source import FileKind


@dataclass(frozen=True)
class Language:
    name: str
    """ast-grep's canonical name, what the parser is asked for."""
    display: str
    kind: FileKind
    suffixes: tuple[str, ...]
    """The file suffixes it reads (lower case); empty: every file of `kind`."""
    aliases: tuple[str, ...] = ()
    fence: str = ""
    """The code fence word of its examples in the README."""
    comment: str = "//"
    """How a line comment starts, for expectation comments in scaffolded examples."""

    def reads(self, rel: str) -> bool:
        if not self.suffixes:
            return True
        dot = rel.rfind(".")
        return dot >= 0 and rel[dot:].lower() in self.suffixes


LANGUAGES: tuple[Language, ...] = (
    Language("bash", "Bash", FileKind.BASH, (), fence="sh", comment="#"),
    Language("c", "C", FileKind.C, (), fence="c"),
    Language("cpp", "C++", FileKind.CPP, (), ("cc", "c++", "cxx"), fence="cpp"),
    Language("csharp", "C#", FileKind.CSHARP, (), ("cs",), fence="csharp"),
    Language("css", "CSS", FileKind.CSS, (), fence="css", comment="/*"),
    Language("dart", "Dart", FileKind.DART, (), fence="dart"),
    Language("elixir", "Elixir", FileKind.ELIXIR, (), ("ex",), fence="elixir", comment="#"),
    Language("go", "Go", FileKind.GO, (), ("golang",), fence="go"),
    Language("haskell", "Haskell", FileKind.HASKELL, (), ("hs",), fence="haskell", comment="--"),
    Language("hcl", "HCL", FileKind.HCL, (), fence="hcl", comment="#"),
    Language("html", "HTML", FileKind.HTML, (), fence="html", comment="<!--"),
    Language("java", "Java", FileKind.JAVA, (), fence="java"),
    Language(
        "javascript",
        "JavaScript",
        FileKind.TYPESCRIPT,
        (".js", ".jsx", ".mjs", ".cjs"),
        ("js", "jsx"),
        fence="js",
    ),
    Language("json", "JSON", FileKind.JSON, (), fence="json"),
    Language("kotlin", "Kotlin", FileKind.KOTLIN, (), ("kt",), fence="kotlin"),
    Language("lua", "Lua", FileKind.LUA, (), fence="lua", comment="--"),
    Language("markdown", "Markdown", FileKind.MARKDOWN, (), ("md",), fence="md", comment="<!--"),
    Language("nix", "Nix", FileKind.NIX, (), fence="nix", comment="#"),
    Language("php", "PHP", FileKind.PHP, (), fence="php"),
    Language("python", "Python", FileKind.PYTHON, (), ("py",), fence="python", comment="#"),
    Language("ruby", "Ruby", FileKind.RUBY, (), ("rb",), fence="ruby", comment="#"),
    Language("rust", "Rust", FileKind.RUST, (), ("rs",), fence="rust"),
    Language("scala", "Scala", FileKind.SCALA, (), fence="scala"),
    Language("solidity", "Solidity", FileKind.SOLIDITY, (), ("sol",), fence="solidity"),
    Language("swift", "Swift", FileKind.SWIFT, (), fence="swift"),
    Language("tsx", "TSX", FileKind.TYPESCRIPT, (".tsx",), fence="tsx"),
    Language(
        "typescript",
        "TypeScript",
        FileKind.TYPESCRIPT,
        (".ts", ".mts", ".cts"),
        ("ts",),
        fence="ts",
    ),
    Language("yaml", "YAML", FileKind.YAML, (), ("yml",), fence="yaml", comment="#"),
)

_BY_NAME = {
    moniker: language for language in LANGUAGES for moniker in (language.name, *language.aliases)
}


def language_named(name: str) -> Language | None:
    """The language ast-grep knows by `name` (any alias, any case), or None."""
    return _BY_NAME.get(name.lower())


def language_names() -> list[str]:
    return sorted(language.name for language in LANGUAGES)


def display_name(name: str) -> str:
    language = language_named(name)
    return language.display if language is not None else name
