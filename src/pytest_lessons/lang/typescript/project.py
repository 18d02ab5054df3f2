"""Project files that decide how JS/TS imports resolve: tsconfig/jsconfig and package.json.

`@/lib/track` means nothing without the nearest tsconfig's `paths`, and `@acme/auth` nothing without
the workspace package named so; both are needed to follow a wrapper or a re-exported handler
across files. Each project file is read alone into `ProjectFileFacts` (cached per file through
`file.derived("js-project-v1", ...)`); joining them — `extends` chains, the nearest config of a
directory, packages by name — is `pytest_lessons.lang.typescript.resolver.ModuleResolver`'s job.

API (consumed by the resolver and by lessons; extend, don't rename):

- `is_project_file(rel)`: `tsconfig.json`, `tsconfig.*.json`, `jsconfig.json`, `package.json`.
- `project_file_facts(file) -> ProjectFileFacts`: JSON with comments and trailing commas (JSONC, as
  TypeScript reads it) through `json5`; malformed text raises `AnalysisError(PARSE)` with the line.
- `TsConfigFacts`: `base_url` and `paths` targets are repo-relative, '/'-separated, normalised
  (`"."` is the repository root). `paths` targets are joined to this file's own `baseUrl` when it
  sets one, else to this file's directory (TS 4.1+). Because a child config may set `paths` while
  its parent sets `baseUrl`, the file's own directory (`config_dir`) and the targets as written
  (`raw_paths`, None when the file sets no `paths`) are kept too, and the resolver re-anchors them
  after merging `extends`. `extends` holds the values as written (a string or TS 5's array).
- `PackageFacts`: `name`, `workspaces` (list, or `{packages: [...]}`), `main`/`module`/`types`
  (`typings` counts as `types`), `exports` (`"."` and subpaths to one string target; conditions
  are preferred in the order `types`, `import`, `default`, then any other), `export_candidates`
  (every string target of each subpath in that order, so the resolver can try the next when a
  target is a build output absent from the repository), `dependencies` (dependencies and
  devDependencies: lessons ask whether `next` or `posthog-js` is used).
- `pnpm_workspace_globs(text)`: the `packages:` entries of a `pnpm-workspace.yaml` (a line reader,
  not a YAML parser). The workspace does not open `.yaml` files, so nothing calls it yet; the
  resolver finds workspace packages by every named package.json anyway.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

from pydantic import Field

from pytest_lessons.findings import ProblemKind
from pytest_lessons.lang.common.records import Compact
from pytest_lessons.source import AnalysisError, SourceFile

FACTS_KEY = "js-project-v1"

_TSCONFIG = re.compile(r"^(tsconfig(\.[^/]*)?|jsconfig)\.json$")
_CONDITION_ORDER = ("types", "import", "default")


class TsConfigFacts(Compact):
    """The module-resolution part of one tsconfig.json / jsconfig.json, as this file writes it."""

    base_url: str | None = None
    paths: dict[str, list[str]] = Field(default_factory=dict)
    extends: list[str] = Field(default_factory=list)
    config_dir: str = "."
    raw_paths: dict[str, list[str]] | None = None


class PackageFacts(Compact):
    """What resolution and lessons need from one package.json."""

    name: str | None = None
    workspaces: list[str] = Field(default_factory=list)
    main: str | None = None
    module: str | None = None
    types: str | None = None
    exports: dict[str, str] = Field(default_factory=dict)
    export_candidates: dict[str, list[str]] = Field(default_factory=dict)
    dependencies: dict[str, str] = Field(default_factory=dict)


class ProjectFileFacts(Compact):
    tsconfig: TsConfigFacts | None = None
    package: PackageFacts | None = None


def is_project_file(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return name == "package.json" or _TSCONFIG.match(name) is not None


def project_file_facts(file: SourceFile) -> ProjectFileFacts:
    """Facts of one project file, parsed once per run; other files yield empty facts."""
    return file.derived(FACTS_KEY, _extract)


def _extract(file: SourceFile) -> ProjectFileFacts:
    name = file.rel.rsplit("/", 1)[-1]
    if not is_project_file(file.rel):
        return ProjectFileFacts()
    data = _load(file)
    if not isinstance(data, dict):
        return ProjectFileFacts()
    directory = posixpath.dirname(file.rel) or "."
    if name == "package.json":
        return ProjectFileFacts(package=_package(data))
    return ProjectFileFacts(tsconfig=_tsconfig(data, directory))


def _load(file: SourceFile) -> Any:
    text = file.text
    try:
        return json.loads(text)  # the common case, and much faster than json5
    except ValueError:
        pass
    import json5

    try:
        return json5.loads(text)
    except ValueError as error:
        message = str(error)
        match = re.search(r":(\d+) (.*?)(?: at column (\d+))?$", message)
        line = int(match.group(1)) if match else None
        column = int(match.group(3)) if match and match.group(3) else None
        detail = match.group(2) if match else message
        raise AnalysisError(
            ProblemKind.PARSE, f"invalid JSON: {detail}", line=line, column=column
        ) from None


def _join(directory: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(directory, target))


def anchor_paths(paths: dict[str, list[str]], base: str) -> dict[str, list[str]]:
    """`paths` targets as written, joined to `base` (a repo-relative directory)."""
    return {
        pattern: [_join(base, target) for target in targets] for pattern, targets in paths.items()
    }


def _tsconfig(data: dict[str, Any], directory: str) -> TsConfigFacts:
    extends_raw = data.get("extends")
    if isinstance(extends_raw, str):
        extends = [extends_raw]
    elif isinstance(extends_raw, list):
        extends = [item for item in extends_raw if isinstance(item, str)]
    else:
        extends = []
    options = data.get("compilerOptions")
    options = options if isinstance(options, dict) else {}
    base_raw = options.get("baseUrl")
    base_url = _join(directory, base_raw) if isinstance(base_raw, str) else None
    raw_paths: dict[str, list[str]] | None = None
    paths_raw = options.get("paths")
    if isinstance(paths_raw, dict):
        raw_paths = {}
        for pattern, targets in paths_raw.items():
            if isinstance(targets, str):
                targets = [targets]
            if isinstance(targets, list):
                raw_paths[str(pattern)] = [t for t in targets if isinstance(t, str)]
    return TsConfigFacts(
        base_url=base_url,
        paths=anchor_paths(raw_paths, base_url or directory) if raw_paths else {},
        extends=extends,
        config_dir=directory,
        raw_paths=raw_paths,
    )


def _package(data: dict[str, Any]) -> PackageFacts:
    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    workspaces_raw = data.get("workspaces")
    if isinstance(workspaces_raw, dict):
        workspaces_raw = workspaces_raw.get("packages")
    workspaces = (
        [item for item in workspaces_raw if isinstance(item, str)]
        if isinstance(workspaces_raw, list)
        else []
    )
    dependencies: dict[str, str] = {}
    for key in ("devDependencies", "dependencies"):
        section = data.get(key)
        if isinstance(section, dict):
            dependencies.update({k: v for k, v in section.items() if isinstance(v, str)})
    candidates = _exports(data.get("exports"))
    return PackageFacts(
        name=text("name"),
        workspaces=workspaces,
        main=text("main"),
        module=text("module"),
        types=text("types") or text("typings"),
        exports={key: targets[0] for key, targets in candidates.items() if targets},
        export_candidates=candidates,
        dependencies=dependencies,
    )


def _exports(value: Any) -> dict[str, list[str]]:
    if isinstance(value, (str, list)):
        return {".": _targets(value)}
    if not isinstance(value, dict):
        return {}
    if any(isinstance(key, str) and key.startswith(".") for key in value):
        return {
            key: _targets(target)
            for key, target in value.items()
            if isinstance(key, str) and key.startswith(".") and _targets(target)
        }
    targets = _targets(value)
    return {".": targets} if targets else {}


def _targets(value: Any) -> list[str]:
    """String targets of one export entry, most useful condition first."""
    if isinstance(value, str):
        return [value]
    found: list[str] = []
    if isinstance(value, list):
        for item in value:
            found.extend(_targets(item))
    elif isinstance(value, dict):
        keys = [key for key in _CONDITION_ORDER if key in value]
        keys += [key for key in value if key not in _CONDITION_ORDER]
        for key in keys:
            found.extend(_targets(value[key]))
    return list(dict.fromkeys(found))


def pnpm_workspace_globs(text: str) -> list[str]:
    """The `packages:` list of a pnpm-workspace.yaml, read line by line (block and flow lists)."""
    globs: list[str] = []
    inside = False
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not raw[:1].isspace():
            inside = False
            if line.startswith("packages:"):
                rest = line[len("packages:") :].strip()
                if rest.startswith("["):
                    globs.extend(_unquote(item) for item in rest.strip("[]").split(",") if item)
                else:
                    inside = True
            continue
        stripped = line.strip()
        if inside and stripped.startswith("- "):
            globs.append(_unquote(stripped[2:]))
    return [glob for glob in globs if glob]


def _unquote(item: str) -> str:
    return item.strip().strip("'\"")
