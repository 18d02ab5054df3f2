"""The prefilter derived from a rule is sound: a file it rejects has no match."""

from __future__ import annotations

from typing import Any

import pytest
from ast_grep_py import SgRoot
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_lessons.patterns.prefilter import rule_prefilter, rule_requirements
from pytest_lessons.patterns.rule import RuleError, build_rule


def prefilter(rule: dict[str, Any], language: str = "go", **tables: Any) -> tuple[bytes, ...]:
    return rule_prefilter(build_rule(language, rule, **tables))


def requirements(
    rule: dict[str, Any], language: str = "go", **tables: Any
) -> tuple[tuple[bytes, ...], ...]:
    return rule_requirements(build_rule(language, rule, **tables))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"pattern": "$M.Ack()"}, {"Ack"}),
        ({"pattern": 'log.Printf("retrying %s", $X)'}, {"retrying %s", "Printf", "log"}),
        ({"pattern": "$F($$$ARGS)"}, set()),
        ({"kind": "call_expression"}, set()),
        ({"regex": "Notify"}, {"Notify"}),
        ({"regex": "^Notify$"}, {"Notify"}),
        ({"regex": "Notify|Send"}, {("Notify", "Send")}),
        (
            # one literal of each alternative, every way of picking them
            {"regex": r"^(httpx\.(Async)?Client|requests\.[Ss]ession)\s*\("},
            {
                ("httpx.", "requests."),
                ("httpx.", "ession"),
                ("Client", "requests."),
                ("Client", "ession"),
            },
        ),
        ({"regex": r"^(Async)?Client\s*\("}, {"Client"}),
        ({"regex": r"(Notify)+Later"}, {"Notify", "Later"}),
        ({"regex": r"(Notify)?Later"}, {"Later"}),
        ({"regex": r"Notify|S"}, set()),
        ({"regex": r"(?i)notify"}, set()),
        ({"regex": r"(?i:notify)\("}, set()),
        ({"regex": r"[[:alpha:]]Notify"}, set()),
        ({"regex": r"\p{L}Notify"}, set()),
        ({"kind": "call_expression", "has": {"regex": "^Publish"}}, {"Publish"}),
        ({"pattern": "$M.Ack()", "inside": {"regex": "Handler"}}, {"Handler", "Ack"}),
        ({"any": [{"pattern": "$M.Ack()"}, {"pattern": "$M.Nack()"}]}, {("Ack", "Nack")}),
        ({"any": [{"pattern": "$M.Ack()"}, {"kind": "call_expression"}]}, set()),
        ({"pattern": "$M.Ack()", "not": {"inside": {"regex": "Retry"}}}, {"Ack"}),
        ({"all": [{"pattern": "$X.Ack()"}, {"regex": "message"}]}, {"message", "Ack"}),
        (
            # (Ack and Notify) or (Nack): Ack or Nack, and Notify or Nack
            {"any": [{"all": [{"pattern": "$M.Ack()"}, {"regex": "Notify"}]}, {"regex": "Nack"}]},
            {("Ack", "Nack"), ("Notify", "Nack")},
        ),
        # a literal holding another is redundant in a clause (Notify holds otif)
        ({"any": [{"regex": "otif"}, {"regex": "Notify"}]}, {"otif"}),
        # a clause another implies is redundant
        ({"all": [{"regex": "Notify"}, {"regex": "Notify|Send"}]}, {"Notify"}),
        (
            {"pattern": {"context": "func _() { x.Ack() }", "selector": "call_expression"}},
            {"Ack"},
        ),
        ({"pattern": {"context": "func _() { x.Ack(y) }", "strictness": "signature"}}, set()),
        (
            {"pattern": {"context": "func Handle() { $X.Ack() }", "selector": "call_expression"}},
            {"Ack"},
        ),
    ],
)
def test_literals_every_match_needs(
    rule: dict[str, Any], expected: set[str | tuple[str, ...]]
) -> None:
    """`expected`: the clauses, a word for a clause of one literal."""
    clauses = {
        (clause,) if isinstance(clause, str) else tuple(sorted(clause)) for clause in expected
    }
    assert set(requirements(rule)) == {tuple(w.encode() for w in c) for c in clauses}


def test_the_prefilter_is_the_most_selective_clause() -> None:
    assert prefilter({"pattern": 'log.Printf("retrying %s", $X)'}) == (b"retrying %s",)
    # the longest shortest literal: a longer word is rarer
    both = {"all": [{"pattern": "$X.Ack()"}, {"regex": "Notify|Send"}]}
    assert prefilter(both) == (b"Notify", b"Send")
    assert prefilter({"kind": "call_expression"}) == ()


def test_a_constraint_on_the_patterns_metavariable_is_required() -> None:
    rule = {"pattern": "$CALL($$$ARGS)"}
    constraints = {"CALL": {"regex": r"\.(Publish|Send)Later$"}}
    assert set(requirements(rule, constraints=constraints)) == {(b"Publish", b"Send"), (b"Later",)}
    # a metavariable of a relation may be left unbound, and its constraint is not checked then
    related = {"kind": "call_expression", "inside": {"pattern": "$F($$$)", "stopBy": "end"}}
    assert requirements(related, constraints={"F": {"regex": "Publish"}}) == ()


def test_a_clause_that_every_file_satisfies_is_left_out() -> None:
    assert requirements({"all": [{"regex": "^import"}, {"regex": "Notify"}]}) == ((b"Notify",),)
    assert requirements({"any": [{"regex": "^import"}, {"regex": "Notify"}]}) == ()


def test_an_any_of_many_branches_keeps_a_bounded_number_of_clauses() -> None:
    words = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"]
    branches = [{"all": [{"regex": f"{w}One"}, {"regex": f"{w}Two"}]} for w in words]
    found = requirements({"any": branches})
    assert 0 < len(found) <= 8
    assert all(len(clause) == len(words) for clause in found)


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
    clauses = requirements(rule)
    data = source.encode()
    if all(any(needle in data for needle in clause) for clause in clauses):
        return
    assert SgRoot(source, "go").root().find_all({"rule": rule}) == []
