"""The options of `url-id-lookup`, shared by its halves (defaults in the lesson's TOML)."""

from __future__ import annotations

import re

from pytest_lessons.options import LessonOptions

__all__ = ["UrlIdLookupOptions"]


class UrlIdLookupOptions(LessonOptions):
    entity_pattern: str
    """A regular expression (searched) that a parameter name must match to name an entity."""
    ignored_params: tuple[str, ...]
    """Parameter names never treated as entities (locale-like segments)."""
    display_calls: tuple[str, ...]
    """Extra callee names (dotted, or the last part) whose arguments are only displayed/logged."""

    def names_entity(self, param: str) -> bool:
        """Whether a URL parameter names an entity: it matches the pattern and is not ignored."""
        if param in self.ignored_params:
            return False
        return re.search(self.entity_pattern, param) is not None
