"""A team's check modules, imported by file path under names of their own.

Importing a lesson's module runs it, so it happens only when the lesson's check is about to run
(never to list or explain lessons), and only from the lesson's own folder: the folder is not put
on `sys.path`, so neither the check nor anything it imports by a bare name can pick up a module
of the scanned repository instead.

Each lesson folder becomes a package of its own, `pytest_lessons.team_code.d<hex of the folder's
path>`: two lessons that both keep their check in `check.py` are two modules, helpers beside a
check are imported relatively (`from .flow import calls`), and because the name says where the
folder is, a worker process started by spawn (macOS, Windows) finds the module again when it
unpickles a check (this package's finder resolves the name; nothing else has to be set up).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

_FOLDER = re.compile(rf"^{re.escape(__name__)}\.d(?P<hex>[0-9a-f]+)$")


def package_name(folder: Path) -> str:
    """The name of the package that stands for a lesson folder."""
    return f"{__name__}.d{os.fsencode(str(folder)).hex()}"


def module_file(folder: Path, module: str) -> Path | None:
    """Where `module` (dotted, relative to the lesson folder) lives, if it exists."""
    base = folder.joinpath(*module.split("."))
    for candidate in (base.with_name(base.name + ".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def import_lesson_module(folder: Path, module: str) -> ModuleType:
    """Import `module` from the lesson folder (this runs its code)."""
    return importlib.import_module(f"{package_name(folder)}.{module}")


class _LessonFolders(importlib.abc.MetaPathFinder):
    """Resolves `pytest_lessons.team_code.d<hex>` to a package whose path is the folder."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        match = _FOLDER.match(fullname)
        if match is None:
            return None
        folder = os.fsdecode(bytes.fromhex(match.group("hex")))
        spec = importlib.machinery.ModuleSpec(fullname, None, is_package=True)
        spec.submodule_search_locations = [folder]
        return spec


if not any(isinstance(finder, _LessonFolders) for finder in sys.meta_path):
    sys.meta_path.append(_LessonFolders())
