"""`make test-matrix`: the suite under the oldest and newest Pythons and the lowest pytest.

`make test` runs on the development interpreter with the newest pytest; users run older and
newer ones. This creates one virtual environment per cell under `.matrix/` (kept between runs,
rebuilt when pyproject.toml changes), installs the project with its test extras from the package
registry, and runs the suite. A cell whose interpreter is not installed is reported as missing,
which fails the matrix: a cell skipped in silence would be a cell never tested.

    python .ci/test_matrix.py            # every cell
    PY310=/path/to/python3.10 make test-matrix
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import tomllib

PROJECT = Path(__file__).resolve().parents[1]
MATRIX = PROJECT / ".matrix"


@dataclass(frozen=True)
class Cell:
    name: str
    python: str
    pytest: str
    """A pip requirement for pytest: the lowest supported version, or the newest."""


def lowest_pytest() -> str:
    """`pytest>=7.4` in pyproject.toml's dependencies -> `pytest==7.4` (7.4.0, the lower bound)."""
    dependencies = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]
    for requirement in dependencies:
        match = re.fullmatch(r"pytest>=([\d.]+)", requirement.replace(" ", ""))
        if match:
            return f"pytest=={match.group(1)}"
    raise SystemExit("pyproject.toml names no `pytest>=X.Y` lower bound")


def find_python(version: str) -> str:
    """An interpreter that runs: $PY310-style override, pyenv's installs, then PATH.

    pyenv's shims are on PATH even for versions not enabled (and then fail), so each
    candidate is asked for its version before it is trusted.
    """
    override = os.environ.get("PY" + version.replace(".", ""))
    if override:
        return override
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    installed = sorted(pyenv.glob(f"{version}.*/bin/python{version}"), reverse=True)
    for candidate in [*map(str, installed), f"python{version}"]:
        probe = (
            run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
            )
            if shutil.which(candidate)
            else None
        )
        if probe is not None and probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    return f"python{version}"


def cells() -> list[Cell]:
    py310 = find_python("3.10")
    py313 = find_python("3.13")
    lowest = lowest_pytest()
    return [
        Cell("py3.10-pytest-latest", py310, "pytest"),
        Cell("py3.13-pytest-latest", py313, "pytest"),
        Cell(f"py3.10-{lowest.replace('==', '-')}", py310, lowest),
    ]


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, text=True, check=False, **kwargs)  # type: ignore[call-overload]


def prepare(cell: Cell) -> tuple[Path | None, str]:
    """The cell's python inside its venv, or None with the reason."""
    interpreter = shutil.which(cell.python)
    if interpreter is None:
        return None, f"{cell.python} not found (set PY310 / PY313 to an interpreter)"
    stamp_text = hashlib.sha256(
        (PROJECT / "pyproject.toml").read_bytes() + cell.pytest.encode()
    ).hexdigest()
    home = MATRIX / cell.name
    python = home / "bin" / "python"
    stamp = home / ".stamp"
    if python.exists() and stamp.exists() and stamp.read_text() == stamp_text:
        return python, "reused"
    shutil.rmtree(home, ignore_errors=True)
    created = run([interpreter, "-m", "venv", str(home)], capture_output=True)
    if created.returncode != 0:
        return None, f"venv failed: {created.stderr.strip()[-300:]}"
    install = run(
        [str(python), "-m", "pip", "install", "--quiet", "-e", f"{PROJECT}[test]", cell.pytest],
        capture_output=True,
    )
    if install.returncode != 0:
        return None, f"install failed: {install.stderr.strip()[-600:]}"
    stamp.write_text(stamp_text)
    return python, "installed"


def main() -> int:
    results: list[tuple[str, str, str]] = []
    for cell in cells():
        print(f"==> {cell.name}: {cell.python}, {cell.pytest}", flush=True)
        python, how = prepare(cell)
        if python is None:
            results.append((cell.name, "MISSING", how))
            print(f"    {how}", flush=True)
            continue
        versions = run(
            [
                str(python),
                "-c",
                "import sys, pytest; print(sys.version.split()[0], pytest.__version__)",
            ],
            capture_output=True,
        ).stdout.split()
        started = time.monotonic()
        suite = run(
            [str(python), "-m", "pytest", "-n", "2", "-q", "-p", "no:cacheprovider"],
            cwd=PROJECT,
            capture_output=True,
        )
        seconds = time.monotonic() - started
        tail = [line for line in suite.stdout.splitlines() if line.strip()][-1:] or ["(no output)"]
        verdict = "ok" if suite.returncode == 0 else f"FAILED (exit {suite.returncode})"
        detail = f"python {versions[0]}, pytest {versions[1]}: {tail[0]} [{seconds:.0f} s]"
        results.append((cell.name, verdict, detail))
        print(f"    {verdict}: {detail}", flush=True)
        if suite.returncode != 0:
            (MATRIX / f"{cell.name}.log").write_text(suite.stdout + suite.stderr)
            print(f"    log: {MATRIX / (cell.name + '.log')}", flush=True)
    print("\ntest matrix:")
    width = max(len(name) for name, _, _ in results)
    for name, verdict, detail in results:
        print(f"  {name.ljust(width)}  {verdict}  {detail}")
    return 0 if all(verdict == "ok" for _, verdict, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
