from __future__ import annotations

import pytest

from pytest_lessons.findings import ProblemKind
from pytest_lessons.lang.typescript.project import (
    PackageFacts,
    ProjectFileFacts,
    TsConfigFacts,
    is_project_file,
    pnpm_workspace_globs,
    project_file_facts,
)
from pytest_lessons.source import AnalysisError, SourceFile


def read(rel: str, text: str) -> ProjectFileFacts:
    return project_file_facts(SourceFile.from_text(rel, text))


def tsconfig(rel: str, text: str) -> TsConfigFacts:
    facts = read(rel, text).tsconfig
    assert facts is not None
    return facts


def package(text: str, rel: str = "package.json") -> PackageFacts:
    facts = read(rel, text).package
    assert facts is not None
    return facts


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("tsconfig.json", True),
        ("apps/web/tsconfig.json", True),
        ("tsconfig.base.json", True),
        ("packages/x/tsconfig.build.json", True),
        ("jsconfig.json", True),
        ("package.json", True),
        ("apps/web/package.json", True),
        ("package-lock.json", False),
        ("mytsconfig.json", False),
        ("tsconfig.ts", False),
        ("vercel.json", False),
    ],
)
def test_is_project_file(rel: str, expected: bool) -> None:
    assert is_project_file(rel) is expected


def test_tsconfig_jsonc_with_base_url() -> None:
    facts = tsconfig(
        "apps/web/tsconfig.json",
        """{
  // comments and trailing commas, as TypeScript allows
  "extends": "../../tsconfig.base.json",
  "compilerOptions": {
    "baseUrl": "./src", /* block comment */
    "paths": { "@/*": ["./*"], "~config": "config/index.ts", },
  },
}""",
    )
    assert facts.base_url == "apps/web/src"
    assert facts.paths == {"@/*": ["apps/web/src/*"], "~config": ["apps/web/src/config/index.ts"]}
    assert facts.raw_paths == {"@/*": ["./*"], "~config": ["config/index.ts"]}
    assert facts.extends == ["../../tsconfig.base.json"]
    assert facts.config_dir == "apps/web"


def test_paths_without_base_url_are_relative_to_the_config() -> None:
    facts = tsconfig(
        "packages/ui/tsconfig.json",
        '{"compilerOptions": {"paths": {"@ui/*": ["./src/*", "../shared/*"]}}}',
    )
    assert facts.base_url is None
    assert facts.paths == {"@ui/*": ["packages/ui/src/*", "packages/shared/*"]}


def test_root_config_and_extends_array() -> None:
    facts = tsconfig(
        "tsconfig.json",
        '{"extends": ["@tsconfig/node18/tsconfig.json", "./base"], "compilerOptions": '
        '{"baseUrl": "."}}',
    )
    assert facts.base_url == "."
    assert facts.paths == {}
    assert facts.raw_paths is None
    assert facts.extends == ["@tsconfig/node18/tsconfig.json", "./base"]


def test_jsconfig() -> None:
    facts = tsconfig("jsconfig.json", '{"compilerOptions": {"baseUrl": "src"}}')
    assert facts.base_url == "src"


def test_package_json() -> None:
    facts = package(
        """{
  "name": "@acme/auth",
  "main": "./dist/index.js",
  "module": "./dist/index.mjs",
  "typings": "./dist/index.d.ts",
  "exports": {
    ".": { "import": { "types": "./dist/index.d.mts", "default": "./dist/index.mjs" },
           "types": "./src/index.ts", "require": "./dist/index.js" },
    "./server": "./src/server.ts",
    "./client": ["./src/client.ts"],
    "./*": { "default": "./src/*.ts" },
    "./package.json": "./package.json",
    "./none": null
  },
  "dependencies": { "next": "15.0.0" },
  "devDependencies": { "posthog-js": "^1.2.0" },
  "peerDependencies": { "react": "19" }
}"""
    )
    assert facts.name == "@acme/auth"
    assert (facts.main, facts.module, facts.types) == (
        "./dist/index.js",
        "./dist/index.mjs",
        "./dist/index.d.ts",
    )
    assert facts.exports == {
        ".": "./src/index.ts",
        "./server": "./src/server.ts",
        "./client": "./src/client.ts",
        "./*": "./src/*.ts",
        "./package.json": "./package.json",
    }
    assert facts.export_candidates["."] == [
        "./src/index.ts",
        "./dist/index.d.mts",
        "./dist/index.mjs",
        "./dist/index.js",
    ]
    assert facts.dependencies == {"next": "15.0.0", "posthog-js": "^1.2.0"}


@pytest.mark.parametrize(
    ("exports", "expected"),
    [
        ('"./index.js"', {".": "./index.js"}),
        ('{"import": "./a.mjs", "require": "./a.cjs"}', {".": "./a.mjs"}),
        ('{"node": "./n.js", "default": "./d.js"}', {".": "./d.js"}),
        ("null", {}),
    ],
)
def test_package_exports_shapes(exports: str, expected: dict[str, str]) -> None:
    assert package(f'{{"name": "x", "exports": {exports}}}').exports == expected


@pytest.mark.parametrize(
    "workspaces",
    ['["apps/*", "packages/*"]', '{"packages": ["apps/*", "packages/*"], "nohoist": ["**/x"]}'],
)
def test_workspaces(workspaces: str) -> None:
    assert package(f'{{"private": true, "workspaces": {workspaces}}}').workspaces == [
        "apps/*",
        "packages/*",
    ]


def test_malformed_json_is_a_parse_error_with_its_line() -> None:
    with pytest.raises(AnalysisError) as raised:
        read("tsconfig.json", '{\n  "compilerOptions": {\n    "baseUrl": ,\n  }\n}\n')
    assert raised.value.kind is ProblemKind.PARSE
    assert raised.value.line == 3


def test_non_object_json_has_no_facts() -> None:
    assert read("package.json", "[]") == ProjectFileFacts()


def test_pnpm_workspace_globs() -> None:
    text = """# comment
packages:
  - "apps/*"
  - 'packages/*'   # shared
  - tooling/eslint
  - "!**/test/**"
catalog:
  react: ^19
"""
    assert pnpm_workspace_globs(text) == ["apps/*", "packages/*", "tooling/eslint", "!**/test/**"]
    assert pnpm_workspace_globs("packages: ['a/*', \"b\"]\n") == ["a/*", "b"]
