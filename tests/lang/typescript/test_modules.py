from __future__ import annotations

import pytest

from pytest_lessons.findings import ProblemKind
from pytest_lessons.lang.typescript.modules import (
    ExportBinding,
    ImportBinding,
    ModuleFacts,
    module_facts,
)
from pytest_lessons.source import SourceFile


def facts(code: str, rel: str = "mod.ts") -> ModuleFacts:
    return module_facts(SourceFile.from_text(rel, code))


def imports(code: str, rel: str = "mod.ts") -> list[tuple[str, str, str, bool]]:
    return [(b.local, b.source, b.imported, b.type_only) for b in facts(code, rel).imports]


def exports(code: str, rel: str = "mod.ts") -> list[tuple[str, str | None, str | None, str | None]]:
    return [(b.exported, b.local, b.source, b.imported) for b in facts(code, rel).exports]


def test_esm_imports() -> None:
    code = """
import a, { b as c, type D } from "./x";
import * as ns from "./y";
import "./side";
import type { T } from "./t";
import e, * as all from "./e";
"""
    assert imports(code) == [
        ("a", "./x", "default", False),
        ("c", "./x", "b", False),
        ("D", "./x", "D", True),
        ("ns", "./y", "*", False),
        ("T", "./t", "T", True),
        ("e", "./e", "default", False),
        ("all", "./e", "*", False),
    ]
    assert facts(code).side_effect_imports == ["./side"]
    assert facts(code).imports[0] == ImportBinding(
        local="a", source="./x", imported="default", type_only=False, line=2
    )


def test_commonjs_imports_and_ts_import_require() -> None:
    code = """
const x = require("./x");
const { a, b: bb, c = 1 } = require("./y");
import z = require("./z");
let notRequire = load("./w");
"""
    assert imports(code) == [
        ("x", "./x", "*", False),
        ("a", "./y", "a", False),
        ("bb", "./y", "b", False),
        ("c", "./y", "c", False),
        ("z", "./z", "*", False),
    ]
    # names bound by require() are imports, not local definitions
    assert facts(code).locals == ["notRequire"]


def test_declaration_exports() -> None:
    code = """
export function f() {}
export async function* g() {}
export const X = 1, Y = 2;
export let l = 3;
export class K {}
export enum E { A = "a" }
export type T = string;
export interface I {}
"""
    assert [e[0] for e in exports(code)] == ["f", "g", "X", "Y", "l", "K", "E", "T", "I"]
    assert all(local == name for name, local, _, _ in exports(code))
    assert [e.type_only for e in facts(code).exports][-2:] == [True, True]


@pytest.mark.parametrize(
    ("code", "expected", "function_names"),
    [
        ("export default function handler() {}", ("default", "handler", None, None), ["handler"]),
        ("export default function () {}", ("default", None, None, None), ["default"]),
        ("export default async (req, res) => {};", ("default", None, None, None), ["default"]),
        ("const h = 1; export default h;", ("default", "h", None, None), []),
        ("export default withAuth(handler);", ("default", None, None, None), []),
        ("export default class Page {}", ("default", "Page", None, None), []),
        ("const h = () => 1; export = h;", ("default", "h", None, None), ["h"]),
    ],
)
def test_default_exports(
    code: str, expected: tuple[str, str | None, None, None], function_names: list[str]
) -> None:
    assert exports(code) == [expected]
    assert list(facts(code).functions) == function_names


def test_export_clauses_and_reexports() -> None:
    code = """
const a = 1, b = 2;
export { a, b as c };
export { handler as POST, GET } from "./handler";
export * from "./star1";
export * as ns from "./ns";
export { default } from "./page";
export { default as Button } from "./button";
export type { Props } from "./types";
export * from "./star2";
"""
    assert exports(code) == [
        ("a", "a", None, None),
        ("c", "b", None, None),
        ("POST", None, "./handler", "handler"),
        ("GET", None, "./handler", "GET"),
        ("ns", None, "./ns", "*"),
        ("default", None, "./page", "default"),
        ("Button", None, "./button", "default"),
        ("Props", None, "./types", "Props"),
    ]
    result = facts(code)
    assert result.star_reexports == ["./star1", "./star2"]
    assert result.exports[-1].type_only
    assert result.specifiers() == [
        "./handler",
        "./ns",
        "./page",
        "./button",
        "./types",
        "./star1",
        "./star2",
    ]


def test_commonjs_exports() -> None:
    code = """
function track() {}
const c = 1;
module.exports = { track, NAME: c, inline: () => 1 };
exports.other = c;
module.exports.more = track;
"""
    result = facts(code, "lib.js")
    assert result.commonjs
    assert exports(code, "lib.js") == [
        ("track", "track", None, None),
        ("NAME", "c", None, None),
        ("inline", None, None, None),
        ("other", "c", None, None),
        ("more", "track", None, None),
    ]
    assert facts("module.exports = track;", "x.js").exports == [
        ExportBinding(exported="default", local="track", line=1)
    ]
    assert not facts("export const a = 1;").commonjs


def test_string_constants() -> None:
    code = """
const A = "a";
const B = `b`;
const C = "c" as const;
export const D: string = 'd';
const E = `e_${A}`;
let F = "f";
const G = A;
const H = EVENTS.ORDER;
function inner() { const I = "i"; }
"""
    constants = facts(code).constants
    assert {k: v.value for k, v in constants.items() if v.kind == "string"} == {
        "A": "a",
        "B": "b",
        "C": "c",
        "D": "d",
    }
    assert {k: v.alias for k, v in constants.items() if v.kind == "alias"} == {
        "G": "A",
        "H": "EVENTS.ORDER",
    }
    assert "I" not in constants  # top level only


def test_object_and_enum_constants() -> None:
    code = """
export const EVENTS = { A: "a", B: { C: "c" }, D: OTHER.X, "e-f": 'ef', n: 1 } as const;
export const FROZEN = Object.freeze({ A: "z" });
export const PLAIN = { A: "p" };
export const WRITTEN = { A: "w" };
export const DELETED = { A: "d" };
export const ASSIGNED = { A: "o" };
WRITTEN.A = "changed";
delete DELETED.A;
Object.assign(ASSIGNED, { B: "b" });
enum E { A = "a", B = 2, C }
export const enum F { X = "x" }
"""
    constants = facts(code).constants
    assert constants["EVENTS"].kind == "object"
    assert constants["EVENTS"].members == {"A": "a", "B.C": "c", "e-f": "ef"}
    assert constants["EVENTS"].member_aliases == {"D": "OTHER.X"}
    assert constants["FROZEN"].members == {"A": "z"}
    assert constants["PLAIN"].members == {"A": "p"}
    assert "WRITTEN" not in constants
    assert "DELETED" not in constants
    assert "ASSIGNED" not in constants
    assert constants["E"].kind == "enum"
    assert constants["E"].members == {"A": "a"}
    assert constants["F"].members == {"X": "x"}


def test_as_const_object_survives_writes_elsewhere() -> None:
    code = 'const E = { A: "a" } as const;\nfunction f(o) { E.A = "b"; }\n'
    assert facts(code).constants["E"].members == {"A": "a"}


def test_functions() -> None:
    code = """
export async function POST(req: Request, { params }: Ctx) {
  return 1;
}
const track = (event: string, props = {}, ...rest: unknown[]) => {};
export const one = x => x;
const named = function inner(this: Window, a) {};
class K { method() {} }
if (x) { function nested() {} }
"""
    functions = facts(code).functions
    assert list(functions) == ["POST", "track", "one", "named"]
    assert functions["POST"].is_async
    assert (functions["POST"].line, functions["POST"].end_line) == (2, 4)
    assert functions["POST"].params == ["req", "{ params }"]
    assert functions["track"].params == ["event", "props", "...rest"]
    assert not functions["track"].is_async
    assert functions["one"].params == ["x"]
    assert functions["named"].params == ["a"]


def test_locals_and_directives() -> None:
    code = """'use client';
import { x } from "./x";
const a = 1, { b, c: d } = obj;
function f() {}
class K {}
enum E {}
namespace N {}
declare const G: string;
"""
    result = facts(code)
    assert result.directives == ["use client"]
    assert result.locals == ["a", "b", "d", "f", "K", "E", "N", "G"]
    assert result.import_of("x") is not None
    assert result.import_of("a") is None


def test_jsx_file() -> None:
    code = (
        'import { Button } from "@acme/ui";\n'
        "export default function Page() { return <Button />; }\n"
    )
    result = facts(code, "page.tsx")
    assert result.imports[0].local == "Button"
    assert result.exports[0].local == "Page"


def test_unparsable_code_is_read_with_recovery() -> None:
    file = SourceFile.from_text("a.ts", "export const A = 'a';\nexport const = ;\n")
    assert module_facts(file).constants["A"].value == "a"
    [note] = file.notes
    assert note.kind is ProblemKind.PARSE_RECOVERED
    assert note.line == 2


def test_cached_per_file() -> None:
    file = SourceFile.from_text("a.ts", "export const A = 'a';\n")
    assert module_facts(file) is module_facts(file)


def test_facts_round_trip_as_json() -> None:
    result = facts('export const E = { A: "a" } as const;\nexport { x as y } from "./x";\n')
    assert ModuleFacts.model_validate_json(result.model_dump_json()) == result


def test_a_large_file_is_read_whole() -> None:
    """Every top-level statement of a 5,000-statement file is read (its speed is measured in
    benchmarks/, not asserted here)."""
    parts = []
    for index in range(1000):
        parts.append(f'import {{ x{index} }} from "./m{index}";')
        parts.append(f'export const E{index} = {{ A: "a{index}", B: {{ C: `c{index}` }} }};')
        parts.append(
            f"export async function f{index}(a, b) {{ if (a) {{ return [b, {{ k: a }}]; }} }}"
        )
        parts.append(f"E{index % 7}.A;")
        parts.append(f'export {{ y{index} }} from "./n{index}";')
    file = SourceFile.from_text("big.ts", "\n".join(parts) + "\n")
    result = module_facts(file)
    assert len(result.constants) == 1000
    assert len(result.functions) == 1000
