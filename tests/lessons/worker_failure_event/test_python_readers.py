"""worker-failure-event: the `ast` reader of the Python half must give the libcst reader's items.

The judge ties swallowed excepts to workers through the units, local calls and scopes these
records carry, and matches guards to the telemetry layer's positions: a difference would make a
finding depend on the interpreter. Compared on the shapes where the two trees differ (source
order, folded literals, byte vs character columns, loop headers), on every lesson example tree,
and on this project's own checks as a corpus of real modules.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_lessons.checks.worker_failure_event.python import worker_items
from pytest_lessons.checks.worker_failure_event.python_ast import ast_items
from pytest_lessons.checks.worker_failure_event.python_records import WorkerItems
from pytest_lessons.checks.worker_failure_event.python_syntax import extract_items
from pytest_lessons.errors import AnalysisError
from pytest_lessons.source import SourceFile
from tests.ast_support import require_ast_syntax
from tests.modern_syntax_samples import MODERN_GROUP_SAMPLES, MODERN_SAMPLES
from tests.python_corpus import python_files

ROOT = Path(__file__).resolve().parents[3]
LOG_CALLS = ("audit.note",)
FAILURE_EVENTS = ("logger.error",)

SNIPPETS = {
    "scopes and units": """
        import asyncio
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        scheduler = AsyncIOScheduler()

        @app.task(bind=True, queue=pick("q"))
        @shared_task
        async def run(users=defaults()):
            for user in users:
                try:
                    await process(user)
                except Exception:
                    logger.warning("skip")
            else:
                finish()
            while pending(queue):
                helper()
            [step(u) for u in users if keep(u)]
            {step(u) for u in users}
            total = sum(step(u) for u in users)

            def inner():
                for x in xs:
                    nested_call(x)

        class Digest:
            @staticmethod
            def send(self):
                self.each()
                cls.other()

            class Inner:
                def deep(self):
                    self.deeper()

        def later():
            lambda: run()

        scheduler.add_job(run, "interval")
        scheduler.add_job(func=later, trigger="cron")
        queue.enqueue(*jobs)
        task.apply_async(**options)
    """,
    "swallowed excepts": """
        async def worker(items):
            for item in items:
                try:
                    await track(item); await posthog.capture(item)
                except ValueError: pass
                except KeyError:
                    "a note"
                    b"bytes"
                    ...
                    "a" f"b{item}"
                    logger.exception("failed")
                    continue
                except OSError:
                    f"only {item}"
                except TypeError:
                    return None
                except RuntimeError:
                    return
                except Exception:
                    return 1
                try:
                    await asyncio.gather(send(item), notify(item), return_exceptions=True)
                    asyncio.gather(a(), return_exceptions=False)
                    await gather(b(), return_exceptions=flag)
                    result = await asyncio.gather(c(), return_exceptions=True)
                    (lambda: hidden())()
                    def local():
                        also_hidden()
                    logger.info(outer(inner()))
                    audit.note("x")
                except Exception as error:
                    await logger.error("failed", exc_info=error)
                    audit.note("y")
                    print(error)
                try:
                    risky(item)
                except* ValueError:
                    pass
                try:
                    load(item)
                except Item.DoesNotExist:
                    continue
                except (Item.DoesNotExist, orm.NoResultFound):
                    return
                except (Item.DoesNotExist, ValueError):
                    continue
    """,
    "non-ascii columns": """
        def réessayer(éléments):
            for é in éléments:
                try: envoyer(é); journal("é")
                except Exception: logger.warning("échec: %s", é)
            résultat = [traiter("ü", x) for x in éléments]
    """,
    "parenthesized and chained calls": """
        def run(rows):
            for row in rows:
                try:
                    (handler)(row)
                    (
                        client
                        .post(row)
                    )
                    get_client()(row).send()
                except Exception:
                    log.debug("x")
    """,
    **MODERN_SAMPLES,
    **MODERN_GROUP_SAMPLES,
}


def _reference(text: str) -> WorkerItems:
    """The libcst reader's items: it reads every grammar libcst does, `except*` on 3.10 too."""
    source = SourceFile.from_text("app/worker.py", text)
    return extract_items(source.python_metadata(), LOG_CALLS, FAILURE_EVENTS)


def _readers(text: str) -> tuple[WorkerItems, WorkerItems]:
    return ast_items(text, LOG_CALLS, FAILURE_EVENTS), _reference(text)


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_the_ast_reader_gives_the_libcst_items(name: str) -> None:
    text = textwrap.dedent(SNIPPETS[name]).lstrip()
    require_ast_syntax(text)
    fast, reference = _readers(text)
    assert reference.units and reference.calls  # the snippet exercises the reader
    assert fast == reference


def test_the_snippets_exercise_swallows_gathers_and_schedules() -> None:
    """The comparison above means something only if the reference finds these shapes."""
    scopes = _reference(textwrap.dedent(SNIPPETS["scopes and units"]).lstrip())
    assert {u.name for u in scopes.units if u.scheduled} == {"run", "later"}
    assert [u.line for u in scopes.units] == [8, 28, 36]  # the `def` line, not a decorator's
    per_item = [c.callee for c in scopes.calls if c.per_item]
    assert per_item == ["process", "helper", "step", "keep", "step", "nested_call"]
    swallowed = _reference(textwrap.dedent(SNIPPETS["swallowed excepts"]).lstrip())
    # pass; literals and a log; `return None`; `return` (not the f-string, `return 1`, the
    # failure event, or the `except*`); of the not-found catches, only the one that also takes
    # a ValueError
    assert [s.line for s in swallowed.swallows] == [5, 6, 15, 17, 45]
    assert swallowed.swallows[0].guards == [(4, 19), (4, 38)]
    assert [i.line for i in swallowed.ignored] == [22, 24]


CORPUS = ("lessons", "examples", "src/pytest_lessons/checks/worker_failure_event")
"""Every lesson example tree and demo, and this lesson's own source (real loops, nested scopes and
`try` statements). Real repositories are compared by the JSON reports before and after."""


@pytest.mark.parametrize("folder", CORPUS)
def test_the_readers_agree_on_a_corpus_of_real_modules(folder: str) -> None:
    differing: list[str] = []
    compared = 0
    for path in python_files(ROOT / folder):
        text = SourceFile.from_text("app/mod.py", path.read_text(encoding="utf-8")).text
        try:
            fast, reference = _readers(text)
        except AnalysisError:
            continue  # libcst refuses it: the file's parse problem, read by neither
        compared += 1
        if fast != reference:
            differing.append(str(path.relative_to(ROOT)))
    assert compared >= 10
    assert differing == []


def test_syntax_the_interpreter_cannot_parse_is_read_with_libcst() -> None:
    text = (
        'LABEL = f"{names["a"]}"\n'  # a nested f-string (PEP 701, Python 3.12)
        "def run(items):\n"
        "    for item in items:\n"
        "        try:\n"
        "            send(item)\n"
        "        except Exception:\n"
        "            pass\n"
    )
    try:
        ast_items(text, (), ())
    except SyntaxError:
        pass
    else:
        pytest.skip("this interpreter parses nested f-strings: no fallback to exercise")
    items = worker_items(SourceFile.from_text("app/modern.py", text), (), ())
    assert [(s.line, s.per_item) for s in items.swallows] == [(6, True)]
