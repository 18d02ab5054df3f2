"""The README's "Writing your own lesson" examples work as written."""

from __future__ import annotations

import re
from pathlib import Path

from pytest_lessons.testing import check_example_tree, judge_files, make_check, run_lessons

README = Path(__file__).parents[1] / "README.md"
SECTION = README.read_text(encoding="utf-8").split("## Writing your own lesson", 1)[1]


def block(language: str, containing: str) -> str:
    for found in re.finditer(rf"```{language}\n(.*?)```", SECTION, re.S):
        if containing in found.group(1):
            return found.group(1)
    raise AssertionError(f"no ```{language} block holding {containing!r} in the README")


HEAD = (
    'id = "{id}"\ntitle = "t"\nwhy = "w"\nfix = "f"\n{body}\n'
    '[source]\nincident = "i"\nsummary = "s"\n[examples]\nbad = "b"\ngood = "g"\n'
)


def test_the_go_rule_flags_the_go_example(tmp_path: Path) -> None:
    rule = block("toml", "[rule]")
    folder = tmp_path / "lessons" / "no-ack-before-work"
    (folder / "bad").mkdir(parents=True)
    (folder / "lesson.toml").write_text(HEAD.format(id="no-ack-before-work", body=rule))
    (folder / "bad" / "consumer.go").write_text(
        "package consumer\n\n" + block("go", "lessons: expect[no-ack-before-work]")
    )
    check_example_tree(folder / "bad", "no-ack-before-work", lesson_paths=[tmp_path / "lessons"])
    [finding] = run_lessons(
        folder / "bad", ["no-ack-before-work"], lesson_paths=[tmp_path / "lessons"]
    ).findings
    assert finding.message.startswith("msg.Ack() runs before the work it confirms")


def test_the_python_check_runs_as_a_code_lesson(tmp_path: Path) -> None:
    source = block("python", "class NoRawRefund")
    folder = tmp_path / "lint" / "lessons" / "no-raw-refund"
    folder.mkdir(parents=True)
    (folder / "check.py").write_text(source)
    (folder / "lesson.toml").write_text(
        HEAD.format(id="no-raw-refund", body='check = "check:NoRawRefund"').replace(
            "[examples]", '[options]\nledger-modules = ["ledger"]\n[examples]'
        )
    )
    repo = tmp_path / "repo"
    (repo / "billing").mkdir(parents=True)
    (repo / "billing" / "refund.py").write_text("stripe.Refund.create(charge=c)\n")
    (repo / "ledger.py").write_text("stripe.Refund.create(charge=c)\n")
    outcome = run_lessons(repo, ["no-raw-refund"], lesson_paths=[tmp_path / "lint" / "lessons"])
    assert [(f.path, f.line, f.column, f.message) for f in outcome.findings] == [
        ("billing/refund.py", 1, 1, "refund outside the ledger")
    ]
    # and the README's unit test, as written
    test = block("python", "def test_refund_outside_the_ledger_is_flagged")
    assert 'lesson_paths=["lint/lessons"]' in test
    check = make_check(
        "no-raw-refund", lesson_paths=[tmp_path / "lint" / "lessons"], ledger_modules=["ledger"]
    )
    [finding] = judge_files(check, {"billing/refund.py": "stripe.Refund.create(charge=c)\n"})
    assert finding.line == 1


def test_the_multi_language_rules_read_each_file_in_its_own_language(tmp_path: Path) -> None:
    rules = block("toml", "[[rules]]")
    folder = tmp_path / "lessons" / "outbound-timeout"
    folder.mkdir(parents=True)
    # `message` is a top-level key: it goes above the tables of the skeleton.
    (folder / "lesson.toml").write_text(HEAD.format(id="outbound-timeout", body=rules))
    check = make_check("outbound-timeout", lesson_paths=[tmp_path / "lessons"])
    findings = judge_files(
        check,
        {
            "jobs/sync.py": "requests.post(url, json=body)\nrequests.post(url, timeout=5)\n",
            "src/server/pay.ts": "await fetch(url);\n",
            "src/client/pay.ts": "await fetch(url);\n",
            "svc/sync.go": "package svc\n\nfunc f() { http.Get(u) }\n",
            "svc/sync_test.go": "package svc\n\nfunc g() { http.Get(u) }\n",
        },
    )
    assert sorted((f.path, f.line, f.message) for f in findings) == [
        ("jobs/sync.py", 1, "requests.post() without a timeout hangs the worker"),
        ("src/server/pay.ts", 1, "an outbound call without a timeout"),
        ("svc/sync.go", 3, "an outbound call without a timeout"),
    ]
