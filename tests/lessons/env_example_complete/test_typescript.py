"""env-example-complete, the TypeScript half: `process.env` and `import.meta.env` reads, and the
incident."""

from __future__ import annotations

import pytest

from pytest_lessons.checks.env_example_complete.typescript import env_reads
from pytest_lessons.source import SourceFile
from tests.lessons.env_example_complete.support import (
    ROUTE,
    run,
    sites,
)


def test_the_incident_is_flagged_on_each_missing_variable() -> None:
    findings = run({".env.example": "DATABASE_URL=\n", "app/api/cron/route.ts": ROUTE})
    assert [(f.path, f.line, f.column) for f in findings] == [
        ("app/api/cron/route.ts", 2, 18),
        ("app/api/cron/route.ts", 3, 15),
    ]
    assert findings[0].message == (
        "CRON_SECRET is read here (process.env) but missing from .env.example: add "
        "`CRON_SECRET=` to .env.example so a fresh deploy sets it"
    )


def test_the_finding_sits_on_the_first_reading_site_and_counts_the_others() -> None:
    files = {
        ".env.example": "DATABASE_URL=\nCRON_SECRET=\n",
        "app/api/cron/route.ts": ROUTE,
        "lib/a.ts": "export const k = process.env.POSTHOG_KEY;\n",
        "app/b.ts": "export const k = process.env.POSTHOG_KEY;\n",
    }
    [finding] = run(files)
    assert (finding.path, finding.line) == ("app/api/cron/route.ts", 3)
    assert finding.message.endswith("; it is read in 2 more places too")


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ("const a = process.env.X;", True),
        ('const a = process.env["X"];', True),
        ("const { X } = process.env;", True),
        ("const { X: renamed } = process.env;", True),
        ("const a = import.meta.env.X;", True),
        ("const a = process.env.X!;", True),
        ("const a = import.meta.env.MODE;", False),
        ("const a = process.env[name];", False),
        ('process.env.X = "1";', False),
        ("delete process.env.X;", False),
        ("const a = process.env.NODE_ENV;", False),
        ("const a = process.env.VERCEL_GIT_COMMIT_SHA;", False),
        ("const a = process.env.PORT;", False),
        ("const a = process.env.NO_COLOR;", False),
        ("const a = process.env.NEXT_MANUAL_SIG_HANDLE;", False),
        ("const a = process.env.ECS_CONTAINER_METADATA_URI_V4;", False),
        # read only when set, with a real default otherwise
        ('const a = process.env.X ? process.env.X : "/";', False),
        ('const a = process.env.X ? process.env.X.replace(/\\/$/, "") : "/";', False),
        ("const a = (process.env.X) ? `${process.env.X}/api` : base();", False),
        # the default switches things off, or the test is of another variable
        ('const a = process.env.X ? process.env.X.trim() : "";', True),
        ('const a = process.env.Y ? process.env.X : "/";', True),
        ('const a = process.env.X ? "/" : process.env.X;', True),
    ],
)
def test_script_reads(code: str, flagged: bool) -> None:
    found = sites({".env.example": "", "src/a.ts": code + "\n"})
    assert found == ([("src/a.ts", 1)] if flagged else [])


_REPLICAS = """\
export function replicas() {
  if (!process.env.REPLICA_URLS) {
    return primary;
  }
  return process.env.REPLICA_URLS.split(",");
}
"""
_SERVICE = """\
export const serviceEmail = () => {
  try {
    if (process.env.SERVICE_EMAIL) {
      return process.env.SERVICE_EMAIL;
    }
    const host = new URL(base).hostname;
    return `service@${host}`;
  } catch {
    return "service@localhost";
  }
};
"""


@pytest.mark.parametrize(
    ("code", "undefaulted"),
    [
        (_REPLICAS, []),
        (_REPLICAS.replace("return primary;", "return;"), [2, 5]),
        (_REPLICAS.replace("return primary;", 'return "";'), [2, 5]),
        (_REPLICAS.replace("return primary;", 'throw new Error("set it");'), [2, 5]),
        (_REPLICAS.replace("{\n    return primary;\n  }", "return primary;"), []),
        # the feature switched off with an error (or after logging one), not a default
        (
            _REPLICAS.replace(
                "return primary;", "return Response.json({ error }, { status: 503 });"
            ),
            [2, 5],
        ),
        (_REPLICAS.replace("return primary;", "return res.status(503).json({ error });"), [2, 5]),
        (_REPLICAS.replace("return primary;", "log.error('unset');\n    return primary;"), [2, 6]),
        (_SERVICE, []),
        (_SERVICE.replace("return `service@${host}`;", "return undefined;"), [3, 4]),
        (
            _SERVICE.replace(
                "    }\n    const host", "    } else {\n      log();\n    }\n    const host"
            ),
            [3, 4],
        ),
        # the guard is in another function: this read is not behind it
        (_REPLICAS + "export const urls = () => process.env.REPLICA_URLS!.split(',');\n", [7]),
    ],
)
def test_a_read_behind_an_if_with_a_real_default_is_defaulted(
    code: str, undefaulted: list[int]
) -> None:
    """`if (!X) return fallback;` before a read, or `if (X) { return ... }` around it followed by
    `return fallback`, is the statement form of `X || fallback`."""
    reads = env_reads(SourceFile.from_text("src/a.ts", code))
    assert reads, "the sample must read the variable"
    assert [read.line for read in reads if not read.defaulted] == undefaulted
    assert bool(run({".env.example": "", "src/a.ts": code})) == bool(undefaulted)


def test_a_variable_copied_into_a_documented_one_is_satisfied() -> None:
    code = """\
    if (process.env.POSTGRES_URL) {
      process.env.DATABASE_URL = process.env.POSTGRES_URL;
    }
    """
    assert sites({".env.example": "DATABASE_URL=\n", "db.ts": code}) == []
    [finding] = run({".env.example": "OTHER=\n", "db.ts": code})
    assert finding.line == 1
    assert finding.message.startswith("POSTGRES_URL (or any of DATABASE_URL) is read here")


_CREATE_ENV = """\
import { createEnv } from "@t3-oss/env-nextjs";
const method = z.enum(["basic", "post"]).optional().default("basic");
export const env = createEnv({
  server: {
    X: SCHEMA,
  },
  runtimeEnv: {
    X: process.env.X,
  },
});
"""


@pytest.mark.parametrize(
    ("schema", "defaulted"),
    [
        ('z.string().default("eu")', True),
        ("z.coerce.number().int().default(3600)", True),
        ('z.enum(["1", "0"]).optional().default("1").transform((v) => v === "1")', True),
        ('z.string().catch("x")', True),
        ("method", True),  # a schema kept in a module-level constant
        ("z.string()", False),  # required: createEnv throws without it
        ("z.string().url().optional()", False),  # optional, nothing in its place
        ('z.string().default("")', False),
        ("z.string().default(undefined)", False),
        ("undeclared", False),
    ],
)
def test_a_create_env_schema_default_defaults_its_runtime_env_read(
    schema: str, defaulted: bool
) -> None:
    code = _CREATE_ENV.replace("SCHEMA", schema)
    [read] = env_reads(SourceFile.from_text("src/env.ts", code))
    assert (read.name, read.line, read.defaulted) == ("X", 8, defaulted)
    expected = [] if defaulted else [("src/env.ts", 8)]
    assert sites({".env.example": "", "src/env.ts": code}) == expected


@pytest.mark.parametrize(
    "code",
    [
        # `experimental__runtimeEnv`, a client-side schema, and the call through a namespace
        _CREATE_ENV.replace("runtimeEnv", "experimental__runtimeEnv"),
        _CREATE_ENV.replace("server:", "client:"),
        _CREATE_ENV.replace("createEnv({", "t3.createEnv({"),
        # the schema object kept in a constant, named in full or shorthand
        _CREATE_ENV.replace("  server: {\n    X: SCHEMA,\n  },\n", "  server: sides,\n").replace(
            "export const env", "const sides = { X: SCHEMA };\nexport const env"
        ),
        _CREATE_ENV.replace("  server: {\n    X: SCHEMA,\n  },\n", "  server,\n").replace(
            "export const env", "const server = { X: SCHEMA };\nexport const env"
        ),
    ],
)
def test_create_env_spellings(code: str) -> None:
    code = code.replace("SCHEMA", 'z.string().default("eu")')
    [read] = env_reads(SourceFile.from_text("src/env.ts", code))
    assert read.defaulted


def test_a_renamed_variable_read_under_both_names_is_satisfied_by_either() -> None:
    """`NEW ?? OLD`: a deployment setting either name works, so documenting either one
    satisfies both reads; handed to a schema with a default, both are defaulted."""
    code = _CREATE_ENV.replace("process.env.X,", "process.env.X ?? process.env.OLD_X,")
    for schema, defaulted in (('z.string().default("eu")', True), ("z.string()", False)):
        reads = env_reads(SourceFile.from_text("src/env.ts", code.replace("SCHEMA", schema)))
        assert [(r.name, r.alternatives, r.defaulted) for r in reads] == [
            ("X", ("OLD_X",), defaulted),
            ("OLD_X", ("X",), defaulted),
        ]
    required = code.replace("SCHEMA", "z.string()")
    assert sites({".env.example": "# X=\n", "src/env.ts": required}) == []
    assert sites({".env.example": "OLD_X=\n", "src/env.ts": required}) == []
    assert sites({".env.example": "", "src/env.ts": required}) == [("src/env.ts", 8)]


@pytest.mark.parametrize(
    "code",
    [
        # another function's options, a read outside `runtimeEnv`, another key's schema
        _CREATE_ENV.replace("createEnv({", "makeConfig({"),
        _CREATE_ENV.replace("runtimeEnv: {", "values: {"),
        _CREATE_ENV.replace("    X: process.env.X,", "    Y: process.env.X,"),
        _CREATE_ENV.replace("    X: process.env.X,", '    X: process.env.X ?? "",'),
    ],
)
def test_a_read_the_schema_does_not_receive_keeps_its_own_fallback(code: str) -> None:
    code = code.replace("SCHEMA", 'z.string().default("eu")')
    [read] = env_reads(SourceFile.from_text("src/env.ts", code))
    assert not read.defaulted


_IMPLICIT = """\
import { createEnv } from "@t3-oss/env-nextjs";
export const env = createEnv({
  server: {
    REQUIRED: z.string(),
    OPTIONAL: z.string().optional(),
    DEFAULTED: z.string().default("d"),
    MAPPED: z.string(),
  },
  client: { NEXT_PUBLIC_X: z.string() },
  experimental__runtimeEnv: {
    NEXT_PUBLIC_X: process.env.NEXT_PUBLIC_X,
  },
});
export const mapped = process.env.MAPPED;
"""


def test_create_env_reads_the_server_schema_from_process_env_by_itself() -> None:
    """Beside `experimental__runtimeEnv` (env-nextjs) the server's variables are read without
    a `process.env.X` of the file's own: each is a read at its schema; with `runtimeEnv:
    process.env` (env-core) every side's are. A name read explicitly is left to that read."""
    reads = env_reads(SourceFile.from_text("src/env.ts", _IMPLICIT))
    assert [(r.name, r.line, r.column, r.defaulted, r.via) for r in reads] == [
        ("NEXT_PUBLIC_X", 11, 20, False, "process.env"),
        ("MAPPED", 14, 23, False, "process.env"),
        ("REQUIRED", 4, 5, False, "createEnv, from process.env"),
        ("OPTIONAL", 5, 5, False, "createEnv, from process.env"),
        ("DEFAULTED", 6, 5, True, "createEnv, from process.env"),
    ]
    core = _IMPLICIT.replace(
        "experimental__runtimeEnv: {\n    NEXT_PUBLIC_X: process.env.NEXT_PUBLIC_X,\n  }",
        "runtimeEnv: process.env",
    )
    assert [r.name for r in env_reads(SourceFile.from_text("src/env.ts", core))] == [
        "MAPPED",
        "REQUIRED",
        "OPTIONAL",
        "DEFAULTED",
        "NEXT_PUBLIC_X",
    ]
    listed = {".env.example": "REQUIRED=\n# OPTIONAL=\nMAPPED=\nNEXT_PUBLIC_X=\n"}
    assert sites({**listed, "src/env.ts": _IMPLICIT}) == []
    assert sites({".env.example": "", "src/env.ts": _IMPLICIT}) == [
        ("src/env.ts", 4),
        ("src/env.ts", 5),
        ("src/env.ts", 11),
        ("src/env.ts", 14),
    ]


def test_a_runtime_env_mapping_reads_only_what_it_maps() -> None:
    code = _IMPLICIT.replace("experimental__runtimeEnv", "runtimeEnv")
    names = [r.name for r in env_reads(SourceFile.from_text("src/env.ts", code))]
    assert names == ["NEXT_PUBLIC_X", "MAPPED"]
