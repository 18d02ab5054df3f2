"""The Python emitter index: wrappers, clients and event names followed across modules."""

from __future__ import annotations

import textwrap

from pytest_lessons.lang.python.emitter_index import EmitterIndex
from pytest_lessons.lang.python.imports import ImportIndex, module_surface
from pytest_lessons.lang.python.telemetry import telemetry_facts
from pytest_lessons.source import SourceFile


def index(files: dict[str, str]) -> EmitterIndex:
    sources = {rel: SourceFile.from_text(rel, textwrap.dedent(code)) for rel, code in files.items()}
    surfaces = {rel: module_surface(source) for rel, source in sources.items()}
    telemetry = {rel: telemetry_facts(source) for rel, source in sources.items()}
    return EmitterIndex(telemetry, ImportIndex(surfaces))


def test_wrapper_across_modules_with_imported_constant_and_enums() -> None:
    idx = index(
        {
            "app/__init__.py": "",
            "app/events.py": """
                from enum import Enum, StrEnum
                ORDER_PLACED = "order_placed"
                class Ev(StrEnum):
                    SIGNUP = "signup"
                class Plain(Enum):
                    PAID = "paid"
                """,
            "app/analytics.py": """
                import posthog
                def track(event, user_id):
                    posthog.capture(user_id, event)
                def track_fixed(user_id):
                    track("fixed_event", user_id)
                """,
            "app/api.py": """
                from app import analytics
                from app.analytics import track, track_fixed
                from app.events import ORDER_PLACED, Ev, Plain
                import posthog
                def view(u):
                    track(ORDER_PLACED, u)
                    analytics.track(event=Ev.SIGNUP, user_id=u)
                    posthog.capture(Plain.PAID.value, distinct_id=u)
                    posthog.capture(Plain.PAID, distinct_id=u)
                    track_fixed(u)
                """,
        }
    )
    named = sorted((n.rel, n.site.line, n.event_name) for n in idx.named_sites())
    assert named == [
        ("app/analytics.py", 6, "fixed_event"),
        ("app/api.py", 7, "order_placed"),
        ("app/api.py", 8, "signup"),
        ("app/api.py", 9, "paid"),
    ]


def test_client_built_in_another_module_and_local_analytics_module() -> None:
    idx = index(
        {
            "app/__init__.py": "",
            "app/clients.py": "from posthog import Posthog\nph = Posthog('k')\n",
            "app/posthog_tools.py": (
                "import posthog\ndef capture(event):\n    posthog.capture(event)\n"
            ),
            "app/api.py": """
                from app.clients import ph
                from app import posthog_tools
                def view(u):
                    ph.capture("remote_client", distinct_id=u)
                    posthog_tools.capture("through_project_module")
                """,
        }
    )
    emissions = [(e.line, e.event.value) for e in idx.emissions("app/api.py")]
    assert emissions == [(5, "remote_client")]
    named = {n.event_name: type(n.site).__name__ for n in idx.named_sites()}
    assert named == {"remote_client": "Emission", "through_project_module": "CallSite"}
