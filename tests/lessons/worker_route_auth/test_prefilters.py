"""worker-route-auth: the cheap tests that spare a unit the slow ones give the same answers.

Each one stands in front of a pattern or an ast-grep search (words looked for with `in` instead
of a pattern of alternatives, one search per unit for every node kind instead of one per
question); these pin them to what they replaced, on generated text and on every TypeScript file
of the lessons' examples."""

from __future__ import annotations

import re
from pathlib import Path

from ast_grep_py import SgRoot
from hypothesis import given
from hypothesis import strategies as st

from pytest_lessons.checks.worker_route_auth import typescript_evidence as ts
from pytest_lessons.checks.worker_route_auth.python_evidence import may_show_evidence
from pytest_lessons.lang.python.markers import FRAMEWORK_USE
from pytest_lessons.source import SourceFile

EVIDENCE = (
    rb"40[13]|[Uu]nauthori[sz]ed|UNAUTHORI|[Ff]orbidden|FORBIDDEN|[Nn]ot_?[Aa]uthenticated"
    rb"|compare_digest|jwt|JWT|verify|decode|[Ss]ignature|[Pp]assword|login_required|get_action"
    rb"|api_?key|before_request|before_app_request|add_middleware|\.middleware|call_next|"
) + b"|".join(re.escape(word) for word in FRAMEWORK_USE)
"""The pattern `may_show_evidence` matched before it looked for words (its specification)."""

PATTERNS = ("*SECRET*", "*TOKEN*", "*KEY*")
FRAGMENTS = [
    "401", "403", "40", "4O1", "Unauthorised", "unauthorized", "UNAUTHORI", "Unauthorize",
    "not_authenticated", "NotAuthenticated", "not_Authenticated", "notauthenticated",
    "forbidden", "Forbidde", "FORBIDDEN", "jw", "JWT", "verify", "decode", "Signature",
    "password", "Passwor", "api_key", "apikey", "api-key", "before_request", "add_middleware",
    ".middleware", "middleware", "call_next", "SECRET", "secret", "TOKEN", "token", "KEY", "key",
    "Depends", "Request", "fastapi", "status: 401", ".status(403)", "sendStatus( 401 )", ", 403)",
    "unauthorized()", "'forbidden'", "bot.webhooks.slack(", "x .webhooks [", ".webhook", "env",
    "process.env.CRON_SECRET", "env?.HOOK_TOKEN", "env['API_KEY']", "{ SECRET } = process.env",
    " ", "\n", "(", ")", "x", "_", ".", ",", "é",
]  # fmt: skip
texts = st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join)


@given(texts, st.sampled_from([PATTERNS, ("*PASS*", "x?y"), ("Élan",), ()]))
def test_may_show_evidence_is_the_pattern_it_replaced(text: str, patterns: tuple[str, ...]) -> None:
    words = {re.sub(r"[*?\[\]!]", "", pattern) for pattern in patterns}
    extra = [re.escape(word.upper()) for word in words if word]
    extra += [re.escape(word.lower()) for word in words if len(word) >= 5]
    spec = re.compile(b"|".join([EVIDENCE, *(e.encode() for e in extra)]))
    file = SourceFile.from_text("app/views.py", text)
    assert may_show_evidence(file, patterns) == (spec.search(file.data) is not None)


@given(texts)
def test_the_words_looked_for_first_are_in_every_match(text: str) -> None:
    assert ts._may_reject(text) or ts._REJECT.search(text) is None
    assert ".webhooks" in text or ts._WEBHOOK_TABLE.search(text) is None
    if "env" not in text:
        assert ts._ENV_READ.search(text) is None and ts._DESTRUCTURED_ENV.search(text) is None
        assert not ts._env_secrets(text, PATTERNS)


NESTED = """\
export async function POST(req: Request) {
  const token = req.headers.get("x-token");
  try {
    if (token !== process.env.CRON_SECRET && !(await verify(new Checker(token)))) {
      return new Response(null, { status: 401 });
    }
    const run = async () => { try { await work(() => other(1 + f(2))); } finally { done(); } };
    await run().catch((e) => log(e));
  } catch (error) {
    throw error;
  } finally {
    release();
  }
}
"""


def _typescript_sources() -> list[str]:
    root = Path(__file__).resolve().parents[3]
    found = [
        path.read_text(encoding="utf-8")
        for folder in ("examples", "lessons")
        for path in sorted((root / folder).rglob("*.ts"))
        if "node_modules" not in path.parts
    ]
    assert len(found) > 50  # the examples are where this runs: they must be there
    return [NESTED, *found]


def test_one_search_per_unit_finds_what_a_search_per_kind_did() -> None:
    """Same nodes, same order (nested ones included), for every kind, in every function."""
    compared = dict.fromkeys(ts._UNIT_KINDS, 0)
    for source in _typescript_sources():
        root = SgRoot(source, "typescript").root()
        for unit in root.find_all(any=[{"kind": k} for k in ts._FUNCTION_KINDS]):
            under = ts._Under(unit)
            for kind in ts._UNIT_KINDS:
                expected = [
                    (n.range().start.index, n.range().end.index) for n in unit.find_all(kind=kind)
                ]
                assert [
                    (n.range().start.index, n.range().end.index) for n in under(kind)
                ] == expected
                compared[kind] += len(expected)
    assert all(compared.values()), compared
