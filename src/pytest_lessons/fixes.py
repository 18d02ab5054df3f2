"""What a fix is: edits to files' text, attached to the finding it removes.

A check that knows the fix when it judges (a pattern lesson's `autofix`, a missing env variable)
attaches it to the finding; one that has to look at the file again computes it in its `fix()`
hook, which only `pytest-lessons fix` calls. Either way a fix is data: `pytest-lessons fix`
decides which fixes can be applied together and writes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from pytest_lessons.source import SourceFile


class TextEdit(BaseModel):
    """Replace `start:end` (character offsets into the file's decoded text) with `text`.

    With both offsets None the text is appended as whole lines: after a line break the file may
    lack, and creating the file when it does not exist.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    text: str

    @model_validator(mode="after")
    def _offsets_make_a_range(self) -> TextEdit:
        if (self.start is None) != (self.end is None):
            raise ValueError("give both `start` and `end`, or neither (an append)")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError("`end` comes before `start`")
        return self

    @property
    def is_append(self) -> bool:
        return self.start is None


class Fix(BaseModel):
    """The edits that remove one finding, and what they do, in a few words."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    description: str
    edits: tuple[TextEdit, ...]


class FixFiles(Protocol):
    """What a `fix()` hook may read: the repository's files as they are now."""

    def source(self, rel: str) -> SourceFile | None:
        """The file at `rel` (relative to the root), or None when it does not exist or is not a
        file of a kind the plugin reads."""
        ...
