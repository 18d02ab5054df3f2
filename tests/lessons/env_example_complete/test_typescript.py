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
