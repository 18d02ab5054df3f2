"""What one analysis produced: findings, problems, and which lesson read which file.

It is the only thing that crosses from the analysis to the pytest items, the reports and the
xdist workers, so it is one validated, JSON-ready model.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from pytest_lessons.findings import BaselineEntry, FileProblem, Finding


class LessonTally(BaseModel):
    """Per-lesson counts for the terminal summary."""

    model_config = ConfigDict(frozen=True)

    findings: int = 0
    suppressed: int = 0
    files: int = 0
    problems: int = 0


class Outcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    root: str
    lessons: list[str]
    """Ids of the lessons that ran, in catalog order."""
    skipped: dict[str, str] = Field(default_factory=dict)
    files_by_lesson: dict[str, list[str]] = Field(default_factory=dict)
    """For each lesson, the files it read (each gets a pytest item)."""
    findings: list[Finding] = Field(default_factory=list)
    problems: list[FileProblem] = Field(default_factory=list)
    files_scanned: int = 0
    baseline_fixed: list[BaselineEntry] = Field(default_factory=list)
    """Baseline entries that no longer occur (the code was fixed): reported, and failing
    `lessons-status::<lesson>` with `--lessons-baseline-strict`."""

    def tally(self, lesson: str) -> LessonTally:
        found = [f for f in self.findings if f.lesson == lesson]
        return LessonTally(
            findings=sum(not f.suppressed for f in found),
            suppressed=sum(f.suppressed for f in found),
            files=len(self.files_by_lesson.get(lesson, [])),
            problems=sum(p.fails_lesson and self._met(p, lesson) for p in self.problems),
        )

    @staticmethod
    def _met(problem: FileProblem, lesson: str) -> bool:
        """Whether `lesson` ran into this problem (itself, or as one of a file's readers)."""
        return problem.lesson == lesson or lesson in problem.needed_by

    def lesson_met_problems(self, lesson: str) -> bool:
        return any(self._met(p, lesson) for p in self.problems)
