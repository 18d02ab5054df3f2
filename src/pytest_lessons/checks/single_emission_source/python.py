"""The Python half of `single-emission-source`: every Python site is a server site.

Sites come from `lang.python.emitter_index` (posthog-python `capture` in both signatures, Segment
`track`, extra emitters, and wrappers defined in the project that pass the event on, followed
across modules, with names from module constants and `Enum`/`StrEnum` members).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.single_emission_source.options import SingleEmissionSourceOptions
from pytest_lessons.checks.single_emission_source.sites import Site
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.emitter_index import EmitterIndex
from pytest_lessons.lang.python.imports import ImportIndex, resolution_surface
from pytest_lessons.lang.python.markers import telemetry_markers
from pytest_lessons.lang.python.surface import ModuleSurface
from pytest_lessons.lang.python.telemetry import Emission, TelemetryFacts, telemetry_facts
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["PythonFacts", "PythonHalf"]


class PythonFacts(Record):
    """A Python file's part: its surface (imports, constants, enums) and telemetry facts."""

    surface: ModuleSurface
    telemetry: TelemetryFacts


class PythonHalf(Half[SingleEmissionSourceOptions, PythonFacts]):
    name = "python"
    facts_model = PythonFacts
    file_kinds = frozenset({FileKind.PYTHON})

    def project_prefilter(self) -> tuple[bytes, ...]:
        """An analytics SDK (or a configured emitter) named somewhere."""
        return telemetry_markers(self.options.extra_emitters)

    def extract(self, file: SourceFile) -> PythonFacts:
        return PythonFacts(
            surface=resolution_surface(file),
            telemetry=telemetry_facts(file, self.options.extra_emitters),
        )

    def is_subject(self, facts: PythonFacts) -> bool:
        return bool(facts.telemetry.emissions)


_SDK_NAMES = {
    "posthog": "posthog-python",
    "segment": "analytics-python",
    "rudderstack": "RudderStack's Python SDK",
    "june": "June's Python SDK",
    "mixpanel": "mixpanel-python",
    "openpanel": "OpenPanel's Python SDK",
    "logsnag": "LogSnag's Python SDK",
}


def sites(facts: Mapping[str, PythonFacts]) -> Iterator[tuple[str, Site]]:
    """The Python sites that fix an event name: all server side, since Python runs there."""
    if not any(f.telemetry.emissions or f.telemetry.calls for f in facts.values()):
        return
    imports = ImportIndex({rel: f.surface for rel, f in facts.items()})
    index = EmitterIndex({rel: f.telemetry for rel, f in facts.items()}, imports)
    for rel, site, event in index.named_sites():
        if isinstance(site, Emission):
            sdk = _SDK_NAMES.get(site.emitter)
            why = f"Python backend code, sent with {sdk or f'`{site.receiver}.{site.method}()`'}"
        else:
            why = f"Python backend code, through `{site.callee}()`"
        yield (
            event,
            Site(
                rel,
                site.line,
                site.column,
                site.end_line,
                site.end_column,
                frozenset({"server"}),
                why,
            ),
        )
