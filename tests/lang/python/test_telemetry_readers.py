"""The `ast` reader of the Python telemetry layer must give the libcst reader's facts, exactly.

Both telemetry lessons depend on those facts (sites, their order, positions, gathers, clients), and
`from_cst` still reads what `ast` cannot parse: a difference would make a finding depend on the
interpreter. Compared on shapes where the two trees differ (source order, folded literals, byte vs
character columns), on every lesson example tree, and on this project's own source as a corpus of
real code.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_lessons.lang.python.imports import module_surface
from pytest_lessons.lang.python.telemetry import telemetry_facts
from pytest_lessons.lang.python.telemetry.collect import bindings_of
from pytest_lessons.lang.python.telemetry.facts import TelemetryFacts
from pytest_lessons.lang.python.telemetry.from_ast import ast_facts
from pytest_lessons.lang.python.telemetry.from_cst import cst_facts
from pytest_lessons.source import FileKind, SourceFile
from tests.ast_support import require_ast_syntax
from tests.modern_syntax_samples import MODERN_GROUP_SAMPLES, MODERN_SAMPLES
from tests.python_corpus import python_files

ROOT = Path(__file__).resolve().parents[3]
EXTRAS = ("metrics.send", "track_event")

SNIPPETS = {
    "source order": """
        import asyncio, posthog
        from app.t import track
        ph = posthog.Posthog("k")

        @router.post(track("decorator"))
        async def handler(
            a=track("default a"), *, b: int = track("default b"), c=posthog.capture("c")
        ):
            x = {track("k1"): track("v1"), **kw, track("k2"): track("v2")}
            y = track("body") if track("test") else track("else")
            await asyncio.gather(track("g1"), *[track(e) for e in es], return_exceptions=flag)
            ph.capture(event="e", distinct_id=u, properties=track("props"))
            f(track("pos"), key=track("kw"), *rest, other=track("kw2"))
            return [track(i) for i in range(3) if track("cond")]

        @decorate(track("class decorator"))
        class View(Base, metaclass=Meta, extra=track("class kw")):
            client = posthog.Posthog("k")

            @staticmethod
            async def run(self, event):
                await self.client.capture(event)

            def method(self, event):
                lam = lambda e=track("lambda default"): posthog.capture(e)
                return track(event)
    """,
    "guards": """
        import contextlib, posthog
        from fastapi import HTTPException

        async def f(user):
            try:
                await posthog.capture(user, "swallowed")
            except Exception:
                log()
            try:
                await posthog.capture(user, "responds")
            except (httpx.HTTPError, OSError) as error:
                raise HTTPException(status_code=502) from error
            try:
                await posthog.capture(user, "hex status")
            except Exception:
                return {"error": 1}, 0x1F4
            try:
                try:
                    await posthog.capture(user, "narrow")
                except (ValueError, KeyError):
                    pass
            except getattr(errors, "Outage"):
                raise
            with contextlib.suppress(Exception), open(path) as handle:
                await posthog.capture(user, "suppressed")
            async with session() as s:
                await posthog.capture(user, "in async with")
            try:
                await posthog.flush()
            except* ConnectionError:
                return 503
            finally:
                await posthog.shutdown()
    """,
    "runners and tasks": """
        import asyncio, posthog
        from segment import analytics
        from app.telemetry import track as send

        async def g(background_tasks, loop, events):
            await asyncio.to_thread(posthog.capture, "u", "threaded")
            await loop.run_in_executor(None, analytics.track, "u", "executor")
            background_tasks.add_task(send, "queued")
            asyncio.create_task(send("task"))
            await asyncio.wait_for(send("waited"), timeout=5)
            await asyncio.shield(posthog.flush())
            await asyncio.gather(*(send(e) for e in events), send("2nd"), return_exceptions=False)
    """,
    "non-ascii columns": """
        import posthog
        def é(ü="ß"):
            name = "café"; posthog.capture("ü", "naïve")  # trailing é
            posthog.capture("user", f"{name} ë", properties={"ß": posthog.capture("x", "y")})
    """,
    "clients and bindings": """
        from posthog import Posthog, capture as cap
        import segment.analytics
        import analytics as seg
        from .local import posthog

        settings.posthog = Posthog("k")
        client: Posthog = Posthog("k")
        a = b = seg.Client("k")

        def f(u):
            cap(u, "function")
            segment.analytics.track(u, "module path")
            settings.posthog.capture(u, "attribute client")
            client.identify(u)
            a.track(u, event="kw")
            posthog.capture(u, "ambiguous")
            metrics.send("extra")
            track_event("extra bare")
            self.posthog_client.capture(u, "by name")
            request.app.state.segment.track(u, "segment by name")
    """,
    "nested scopes": """
        import posthog

        class Outer:
            class Inner:
                def hidden(self):
                    posthog.capture("u", "inner method")

            def method(self):
                def helper():
                    posthog.capture("u", "nested")
                return helper

        if FLAG:
            def conditional():
                posthog.capture("u", "conditional")
        else:
            def conditional():
                posthog.capture("u", "other branch")
    """,
    **MODERN_SAMPLES,
    **MODERN_GROUP_SAMPLES,
}


def _readers(source: SourceFile) -> tuple[TelemetryFacts | None, TelemetryFacts]:
    bindings = bindings_of(module_surface(source))
    try:
        fast: TelemetryFacts | None = ast_facts(source.text, bindings, EXTRAS)
    except SyntaxError:
        fast = None
    return fast, cst_facts(source.python_metadata(), bindings, EXTRAS)


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_the_ast_reader_gives_the_libcst_facts(name: str) -> None:
    text = textwrap.dedent(SNIPPETS[name]).lstrip()
    require_ast_syntax(text)
    source = SourceFile.from_text("app/mod.py", text)
    fast, reference = _readers(source)
    assert fast is not None
    assert reference.emissions or reference.calls  # the snippet exercises the layer
    assert fast == reference


CORPUS = ("lessons", "examples", "tests/lang")
"""Every lesson example tree and demo, and the tests of the layers (dense in the shapes the
readers must agree on). Real repositories are compared by `benchmarks/python_telemetry.py`."""


@pytest.mark.parametrize("folder", CORPUS)
def test_the_readers_agree_on_a_corpus_of_real_modules(folder: str) -> None:
    differing: list[str] = []
    compared = 0
    for path in python_files(ROOT / folder):
        rel = path.relative_to(ROOT).as_posix()
        source = SourceFile(path, rel, FileKind.PYTHON, path.read_bytes())
        fast, reference = _readers(source)
        assert fast is not None, rel
        compared += 1
        if fast != reference:
            differing.append(rel)
    assert compared >= 10
    assert differing == []


def test_syntax_the_interpreter_cannot_parse_is_read_with_libcst() -> None:
    text = (
        "import posthog\ntype Alias = list[int]\n"
        "def f():\n    posthog.capture('u', 'e')\n"
        'LABEL = f"{names["a"]}"\n'  # a nested f-string (PEP 701, Python 3.12)
    )
    source = SourceFile.from_text("app/modern.py", text)
    try:
        compile(text, "modern.py", "exec")
    except SyntaxError:
        with pytest.raises(SyntaxError):
            ast_facts(source.text, bindings_of(module_surface(source)), ())
    facts = telemetry_facts(source)
    assert [(e.line, e.event.value) for e in facts.emissions] == [(4, "e")]
