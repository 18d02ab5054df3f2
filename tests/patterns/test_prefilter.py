"""The prefilter derived from a rule is sound: a file it rejects has no match."""

from __future__ import annotations

from typing import Any

import pytest
from ast_grep_py import SgRoot
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_lessons.patterns.prefilter import rule_prefilter
from pytest_lessons.patterns.rule import RuleError, build_rule


def prefilter(rule: dict[str, Any], language: str = "go", **tables: Any) -> tuple[bytes, ...]:
    return rule_prefilter(build_rule(language, rule, **tables))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"pattern": "$M.Ack()"}, (b"Ack",)),
        ({"pattern": 'log.Printf("retrying %s", $X)'}, (b"retrying %s",)),
        ({"pattern": "$F($$$ARGS)"}, ()),
        ({"kind": "call_expression"}, ()),
        ({"regex": "Notify"}, (b"Notify",)),
        ({"regex": "^Notify$"}, (b"Notify",)),
        ({"regex": "Notify|Send"}, (b"Notify", b"Send")),
        (
            {"regex": r"^(httpx\.(Async)?Client|requests\.[Ss]ession)\s*\("},
            (b"httpx.", b"requests."),
        ),
        ({"regex": r"^(Async)?Client\s*\("}, (b"Client",)),
        ({"regex": r"(Notify)+Later"}, (b"Notify",)),
        ({"regex": r"(Notify)?Later"}, (b"Later",)),
        ({"regex": r"Notify|S"}, ()),
        ({"regex": r"(?i)notify"}, ()),
        ({"regex": r"(?i:notify)\("}, ()),
        ({"regex": r"[[:alpha:]]Notify"}, ()),
        ({"regex": r"\p{L}Notify"}, ()),
        ({"kind": "call_expression", "has": {"regex": "^Publish"}}, (b"Publish",)),
        ({"pattern": "$M.Ack()", "inside": {"regex": "Handler"}}, (b"Handler",)),
        ({"any": [{"pattern": "$M.Ack()"}, {"pattern": "$M.Nack()"}]}, (b"Ack", b"Nack")),
        ({"any": [{"pattern": "$M.Ack()"}, {"kind": "call_expression"}]}, ()),
        ({"pattern": "$M.Ack()", "not": {"inside": {"regex": "Retry"}}}, (b"Ack",)),
        ({"all": [{"pattern": "$X.Ack()"}, {"regex": "message"}]}, (b"message",)),
        (
            {"pattern": {"context": "func _() { x.Ack() }", "selector": "call_expression"}},
            (b"Ack",),
        ),
        ({"pattern": {"context": "func _() { x.Ack(y) }", "strictness": "signature"}}, ()),
        (
            {"pattern": {"context": "func Handle() { $X.Ack() }", "selector": "call_expression"}},
            (b"Ack",),
        ),
    ],
)
def test_literals_every_match_needs(rule: dict[str, Any], expected: tuple[bytes, ...]) -> None:
    assert prefilter(rule) == expected


def test_matches_follows_the_util_it_names() -> None:
    utils = {"acked": {"pattern": "$M.Ack()"}, "either": {"any": [{"matches": "acked"}]}}
    assert prefilter({"matches": "acked"}, utils=utils) == (b"Ack",)
    assert prefilter({"matches": "either"}, utils=utils) == (b"Ack",)
    assert prefilter({"kind": "call_expression", "not": {"matches": "acked"}}, utils=utils) == ()
    with pytest.raises(RuleError, match=r"`utils`: ast-grep rejects it: .*cyclic dependency"):
        prefilter({"matches": "loop"}, utils={"loop": {"matches": "loop"}})


def test_a_python_pattern_takes_a_name_and_leaves_keywords_to_the_grammar() -> None:
    assert prefilter({"pattern": "await $CLIENT.flush()"}, "python") == (b"flush",)
    assert prefilter({"pattern": "requests.get($URL)"}, "python") == (b"requests",)


# A small Go vocabulary: files built from it, and rules over the same words, so that matches
# and near-misses both happen.
WORDS = ["Ack", "Nack", "Notify", "Publish", "msg", "job", "log", "retry"]
STATEMENTS = [
    "{a}.{b}()",
    "{a}.{b}({c})",
    "{b}({a})",
    'log.Printf("{a} {b}")',
    "if {a} != nil {{ {a}.{b}() }}",
    "for _, {a} := range {c} {{ {a}.{b}() }}",
]


@st.composite
def go_files(draw: st.DrawFn) -> str:
    statements = draw(
        st.lists(
            st.tuples(
                st.sampled_from(STATEMENTS),
                st.sampled_from(WORDS),
                st.sampled_from(WORDS),
                st.sampled_from(WORDS),
            ),
            max_size=6,
        )
    )
    body = "\n\t".join(t.format(a=a, b=b, c=c) for t, a, b, c in statements)
    return f"package p\n\nfunc f() {{\n\t{body}\n}}\n"


def leaf_rules() -> st.SearchStrategy[dict[str, Any]]:
    word = st.sampled_from(WORDS)
    return st.one_of(
        word.map(lambda w: {"pattern": f"$X.{w}()"}),
        word.map(lambda w: {"pattern": f"{w}($$$A)"}),
        word.map(lambda w: {"regex": w}),
        word.map(lambda w: {"regex": f"^{w}"}),
        st.tuples(word, word).map(lambda p: {"regex": f"{p[0]}|{p[1]}"}),
        st.tuples(word, word).map(lambda p: {"regex": f"^({p[0]})?{p[1]}\\s*\\("}),
        word.map(lambda w: {"regex": f"{w[:1]}[a-z]{w[1:]}"}),
        word.map(lambda w: {"regex": f"\\.{w}\\b"}),
        word.map(
            lambda w: {
                "pattern": {"context": f"func _() {{ {w}($$$A) }}", "selector": "call_expression"}
            }
        ),
        st.just({"kind": "call_expression"}),
        st.just({"kind": "selector_expression"}),
    )


def rules() -> st.SearchStrategy[dict[str, Any]]:
    return st.recursive(
        leaf_rules(),
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda p: {"all": list(p)}),
            st.tuples(inner, inner).map(lambda p: {"any": list(p)}),
            st.tuples(leaf_rules(), inner).map(lambda p: {**p[0], "not": p[1]}),
            st.tuples(leaf_rules(), inner).map(
                lambda p: {**p[0], "inside": {**p[1], "stopBy": "end"}}
            ),
            st.tuples(leaf_rules(), inner).map(
                lambda p: {**p[0], "has": {**p[1], "stopBy": "end"}}
            ),
            st.tuples(leaf_rules(), inner).map(
                lambda p: {**p[0], "precedes": {**p[1], "stopBy": "end"}}
            ),
        ),
        max_leaves=4,
    )


@settings(max_examples=300, deadline=None)
@given(rule=rules(), source=go_files())
def test_a_file_the_prefilter_rejects_has_no_match(rule: dict[str, Any], source: str) -> None:
    needles = prefilter(rule)
    data = source.encode()
    if not needles or any(needle in data for needle in needles):
        return
    assert SgRoot(source, "go").root().find_all({"rule": rule}) == []
