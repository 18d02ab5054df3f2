"""Keep pytest from rewriting this package's modules on import.

pytest marks every module of a plugin's distribution for assertion rewriting, so that a
plugin's own helper asserts explain themselves. This package asserts nothing a user reads: its
asserts narrow types. Rewriting is not free, though: each module imported is read, parsed and
compiled again by pytest instead of loaded from the bytecode pip compiled at install, and the
rewritten bytecode is cached only where the package's directory is writable. A lessons job in
CI starts from a fresh install every time, imports most of the catalog's modules, and paid
half a second of a cold run for it.

pytest offers no way to take a mark back; its import hook keeps the marked names in a set, which
is read here when it is there (pytest 7 to 9) and left alone when it is not, so a pytest without
it rewrites as before.
"""

from __future__ import annotations

import sys

__all__ = ["leave_package_unrewritten"]

_PACKAGE = __name__.partition(".")[0]


def leave_package_unrewritten() -> bool:
    """Unmark this package in pytest's assertion-rewriting import hook; True when it was
    marked. Modules imported before (the plugin module itself) stay as they were loaded."""
    found = False
    for finder in sys.meta_path:
        marked = getattr(finder, "_must_rewrite", None)
        if not isinstance(marked, set) or _PACKAGE not in marked:
            continue
        marked.discard(_PACKAGE)
        cache = getattr(finder, "_marked_for_rewrite_cache", None)
        if isinstance(cache, dict):
            cache.clear()
        found = True
    return found
