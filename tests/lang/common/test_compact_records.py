"""Compact records: the per-instance fields-set is shared without changing what pydantic says."""

from __future__ import annotations

import io
import pickle
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from pytest_lessons.checks.base import ByHalf
from pytest_lessons.fact_cache import unpickle_facts
from pytest_lessons.lang.common import records
from pytest_lessons.lang.common.records import Compact, Record, Repeated
from pytest_lessons.lang.common.telemetry import EventRef
from pytest_lessons.lang.python.surface import ParamSig
from pytest_lessons.lang.python.telemetry.facts import (
    FunctionTelemetry as PythonFunctionTelemetry,
)
from pytest_lessons.lang.typescript.modules import FunctionDef, ModuleFacts
from pytest_lessons.lang.typescript.telemetry import CallSite, FunctionTelemetry


def _site(line: int, **extra: object) -> CallSite:
    return CallSite(line=line, column=1, end_line=line, end_column=9, callee="track", **extra)


def test_records_given_the_same_fields_share_one_set() -> None:
    first, second = _site(1), _site(2)
    assert first.model_fields_set == {"line", "column", "end_line", "end_column", "callee"}
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__
    other = _site(3, awaited=True)
    assert other.model_fields_set == first.model_fields_set | {"awaited"}
    assert other.__pydantic_fields_set__ is not first.__pydantic_fields_set__


def test_unpickled_records_share_their_set_and_stay_equal() -> None:
    sites = [_site(n, args=[EventRef(kind="literal", value="signup")]) for n in range(1, 4)]
    loaded = pickle.loads(pickle.dumps(sites))
    assert loaded == sites
    assert len({id(site.__pydantic_fields_set__) for site in loaded}) == 1
    assert loaded[0].__pydantic_fields_set__ is sites[0].__pydantic_fields_set__
    assert loaded[0].args[0].value == "signup"


def test_a_copy_with_an_update_leaves_the_shared_set_alone() -> None:
    first, second = _site(1), _site(2)
    copied = first.model_copy(update={"awaited": True})
    assert "awaited" in copied.model_fields_set
    assert "awaited" not in second.model_fields_set
    assert copied.awaited and not second.awaited


def test_a_mutable_model_shares_only_a_complete_set() -> None:
    """Assigning a field adds it to the instance's set: a partial set must stay its own."""
    partial, other = ModuleFacts(commonjs=True), ModuleFacts(commonjs=True)
    assert partial.__pydantic_fields_set__ is not other.__pydantic_fields_set__
    partial.locals = ["x"]
    assert other.model_fields_set == {"commonjs"}
    complete = [
        FunctionDef(name="f", line=n, end_line=n, is_async=False, params=[]) for n in (1, 2)
    ]
    assert complete[0].__pydantic_fields_set__ is complete[1].__pydantic_fields_set__
    complete[0].line = 5  # the field is already in the set: nothing changes for the other
    assert complete[1].model_fields_set == set(FunctionDef.model_fields)


def test_short_string_values_are_interned_when_a_record_is_made() -> None:
    """Within one file's pickle the memo then keeps one copy of each (unpickling does not
    intern again: it would cost a sixth of the time for memory a judge frees soon after)."""
    made = "".join(["tr", "ack"])
    site = CallSite(line=1, column=1, end_line=1, end_column=2, callee=made)
    assert site.callee is _site(1).callee
    loaded = pickle.loads(pickle.dumps([site, _site(2)]))
    assert loaded[0].callee is loaded[1].callee


def test_a_record_pickles_as_its_values_and_comes_back_the_same() -> None:
    """No per-instance dict of pydantic state in the pickle: a worker's facts are sent and
    cached as values, and come back equal, with the same fields given."""
    partial = _site(1, args=[EventRef(kind="literal", value="signup")])
    complete = CallSite.model_validate(partial.model_dump())
    assert complete.model_fields_set == set(CallSite.model_fields)
    for site in (partial, complete):
        state = site.__getstate__()
        assert isinstance(state, tuple)
        loaded = pickle.loads(pickle.dumps(site))
        assert loaded == site
        assert loaded.model_fields_set == site.model_fields_set
        assert loaded.model_dump(exclude_unset=True) == site.model_dump(exclude_unset=True)
    pydantic_state = BaseModel.__getstate__(partial)
    assert len(pickle.dumps(partial.__getstate__())) < len(pickle.dumps(pydantic_state)) / 2


def test_a_pickled_record_whose_fields_no_longer_match_is_refused() -> None:
    site = _site(1)
    values, given = site.__getstate__()
    blank = CallSite.__new__(CallSite)
    with pytest.raises(ValueError, match="values for"):
        blank.__setstate__((values[:-1], given))


def test_every_field_that_may_hold_a_string_is_interned() -> None:
    """Which fields to look at is worked out once per class from their types: a string, an
    optional one, a literal, `Any`, and lists, tuples and dicts of them; a list of records is
    left as it is (each record interned its own when it was made)."""

    from pydantic import Field

    from pytest_lessons.lang.common.records import Record

    class Shaped(Record):
        name: str | None = None
        kind: Literal["route", "job"] = "route"
        anything: Any = None
        names: list[str] = Field(default_factory=list)
        pairs: list[tuple[str, int]] = Field(default_factory=list)
        by_name: dict[str, str] = Field(default_factory=dict)
        sites: list[CallSite] = Field(default_factory=list)
        count: int = 0

    def made(text: str) -> str:
        return "".join(list(text))  # a new string object, not the interned literal

    first, second = (
        Shaped.model_validate({"name": made("handler"), "kind": made("job"), "anything": made("k")})
        for _ in range(2)
    )
    assert first.name is second.name
    assert first.kind is second.kind
    assert first.anything is second.anything
    kept = Shaped(
        name=made("a-name"),
        names=[made("a-name"), made("a-name")],
        pairs=[(made("a-name"), 1)],
        by_name={made("a-name"): made("a-name")},
    )
    assert kept.names[0] is kept.names[1] is kept.name
    assert kept.pairs[0][0] is kept.name
    key, value = next(iter(kept.by_name.items()))
    assert key is value is kept.name
    site = _site(1)
    assert Shaped(sites=[site]).sites[0] is site


def _made(text: str) -> str:
    return "".join(list(text))  # an equal string, not the same object


def test_a_pickle_does_not_depend_on_which_equal_strings_a_record_was_given() -> None:
    """The pickler writes an object once per identity, and the cache keys judgements by the
    digest of a file's pickle: equal facts must pickle to the same bytes whether their
    strings were one object or several (in one process a name interned for an earlier file is
    another object than the one the parser made now)."""
    one = _made("a-name-no-module-interned")
    shared = PythonFunctionTelemetry(name=one, line=1, params=[one, one])
    apart = PythonFunctionTelemetry(
        name=_made("a-name-no-module-interned"),
        line=1,
        params=[_made("a-name-no-module-interned"), _made("a-name-no-module-interned")],
    )
    assert shared == apart
    assert pickle.dumps(shared) == pickle.dumps(apart)


def test_what_a_mutable_record_is_given_after_it_was_made_pickles_the_same() -> None:
    """The layers fill some records as they walk (a module's locals, a function's calls):
    what they add is interned when the record is pickled."""
    same = FunctionTelemetry(name=_made("track"), line=1)
    same.calls.append(same.name)
    same.params.append(same.name)
    other = FunctionTelemetry(name=_made("track"), line=1)
    other.calls.append(_made("track"))
    other.params.append(_made("track"))
    assert same == other
    assert pickle.dumps(same) == pickle.dumps(other)
    module = ModuleFacts(commonjs=True)
    module.locals = [_made("x"), _made("x")]
    again = ModuleFacts(commonjs=True)
    name = _made("x")
    again.locals = [name, name]
    assert pickle.dumps(module) == pickle.dumps(again)


def test_a_record_reduces_to_one_call_with_its_class_and_values() -> None:
    """Pickled as `_restored(class, values, given)`: one call per record each way, instead of
    the default reduction's new-object arguments plus a `__setstate__` call."""
    site = _site(1)
    restore, (cls, values, given) = site.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    assert (restore, cls) == (records._restored, CallSite)
    assert values == tuple(site.__dict__.values())
    loaded = restore(cls, values, given)
    assert loaded == site and loaded.model_fields_set == site.model_fields_set
    assert b"copyreg" not in pickle.dumps(site, protocol=2)


class _AsBefore(pickle.Pickler):
    """Pickles records the way earlier versions did: a new object, then its state tuple."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Compact):
            return object.__reduce_ex__(obj, pickle.HIGHEST_PROTOCOL)
        return NotImplemented


def test_a_record_pickled_with_its_state_still_loads() -> None:
    """What earlier versions wrote (a cache from before) loads to the same record."""
    for site in (_site(1), _site(2, awaited=True)):
        out = io.BytesIO()
        _AsBefore(out, protocol=pickle.HIGHEST_PROTOCOL).dump(site)
        old_style = out.getvalue()
        assert b"_restored" not in old_style
        loaded = unpickle_facts(old_style)
        assert loaded == site
        assert isinstance(loaded, CallSite)
        assert loaded.model_fields_set == site.model_fields_set


def test_restoring_refuses_what_is_not_a_record() -> None:
    with pytest.raises(TypeError, match="not a fact record"):
        records._restored(dict, (), None)  # type: ignore[arg-type]


def test_unpickled_mutable_records_get_sets_of_their_own() -> None:
    """The set of given fields of a mutable model grows on assignment: records unpickled from
    the same mask each get a copy, and one's assignment leaves the others alone."""
    loaded = pickle.loads(pickle.dumps([ModuleFacts(commonjs=True) for _ in range(3)]))
    sets = [record.__pydantic_fields_set__ for record in loaded]
    assert all(found == {"commonjs"} for found in sets)
    assert len({id(found) for found in sets}) == 3
    loaded[0].locals = ["x"]
    assert loaded[0].model_fields_set == {"commonjs", "locals"}
    assert loaded[1].model_fields_set == loaded[2].model_fields_set == {"commonjs"}


def test_the_fields_given_are_pickled_as_they_are_when_pickled() -> None:
    """Which fields were given is worked out once per set of fields, not once per record: a
    mutable record that gained a field since is pickled with it."""
    first, second = ModuleFacts(commonjs=True), ModuleFacts(commonjs=True)
    assert pickle.loads(pickle.dumps(first)).model_fields_set == {"commonjs"}
    second.locals = ["x"]
    again = pickle.loads(pickle.dumps([first, second]))
    assert [record.model_fields_set for record in again] == [
        {"commonjs"},
        {"commonjs", "locals"},
    ]
    assert again[1].locals == ["x"]


class _Half(Record):
    value: int


class _TwoHalves(ByHalf):
    one: _Half | None = None
    two: _Half | None = None


def test_the_facts_of_a_check_with_halves_are_a_record() -> None:
    """One per file and lesson (`ByHalf`): pickled as one call with the records it holds, and
    back with the same half given."""
    from pytest_lessons.checks.url_id_lookup import UrlIdLookup

    assert issubclass(UrlIdLookup.facts_model, Compact)
    facts = _TwoHalves(two=_Half(value=3))
    restore, (cls, _, given) = facts.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    assert (restore, cls) == (records._restored, _TwoHalves) and given is not None
    loaded = pickle.loads(pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL))
    assert loaded == facts and loaded.model_fields_set == {"two"}
    assert loaded.half() == ("two", _Half(value=3))


def test_a_repeated_record_is_one_object_per_value_once_unpickled() -> None:
    """An event reference or a parameter recurs in many files: each file's pickle holds its
    own, and reading them back (the restricted way, as judges do) gives one shared object per
    class, values and given fields."""
    first = unpickle_facts(pickle.dumps([EventRef(kind="name", value="signup")]))
    second = unpickle_facts(pickle.dumps({"x": EventRef(kind="name", value="signup")}))
    assert isinstance(first, list) and isinstance(second, dict)
    assert first[0] is second["x"]
    assert first[0] == EventRef(kind="name", value="signup")
    other = unpickle_facts(pickle.dumps(EventRef(kind="literal", value="signup")))
    assert other is not first[0] and other == EventRef(kind="literal", value="signup")
    # given fields are part of what is shared: `value` left out is not `value=None` given
    unset = unpickle_facts(pickle.dumps(EventRef(kind="dynamic")))
    given = unpickle_facts(pickle.dumps(EventRef(kind="dynamic", value=None)))
    assert isinstance(unset, EventRef) and isinstance(given, EventRef)
    assert unset.model_fields_set == {"kind"}
    assert given.model_fields_set == {"kind", "value"}
    param = ParamSig(name="request", annotation="Request")
    assert unpickle_facts(pickle.dumps(param)) is unpickle_facts(pickle.dumps(param))


def test_a_repeated_record_pickles_the_same_bytes_as_before_but_its_restorer() -> None:
    """Only the function called to restore it changes: the class, values and given fields are
    pickled as any record's, so a file's pickle still depends on its facts alone."""
    ref = EventRef(kind="name", value="signup")
    restore, arguments = ref.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    assert restore is records._restored_shared
    assert arguments == Record.__reduce_ex__(ref, pickle.HIGHEST_PROTOCOL)[1]


def test_a_repeated_record_refuses_fields_that_cannot_be_shared() -> None:
    with pytest.raises(TypeError, match="must be hashable"):

        class _Listed(Repeated):
            names: list[str]

    with pytest.raises(TypeError, match="must be hashable"):

        class _Mapped(Repeated):
            extra: dict[str, str] | None = None

    class _Plain(Repeated):
        name: str
        parts: tuple[str, ...] = ()
        kind: Literal["a", "b"] = "a"

    assert _Plain(name="x").parts == ()
