"""What production installs and what only tests and development need (issue 20).

requirements.txt is what `make run` installs; requirements-dev.txt starts by including it
and adds the test and development tools (`make test`, `make test-fast`, `make lint`).
Every package is pinned with ==, no tool is in production, and nothing that runs in
production (mailcore, panel, webmail, config, and the scripts `make run` starts) imports
a package that requirements.txt does not install.
"""
import ast
import functools
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = ROOT / "requirements.txt"
DEVELOPMENT = ROOT / "requirements-dev.txt"
# IMAPClient is production since the IMAP migration (mailcore/migration) uses it.
DEV_TOOLS = {"pytest", "pytest-django", "playwright", "hypothesis", "ruff"}
RUNTIME_SOURCES = ["mailcore", "panel", "webmail", "config", "manage.py",
                   "scripts/compilemessages.py", "scripts/honcho-start"]  # the last two: make run
OWN_PACKAGES = {"mailcore", "panel", "webmail", "config"}


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def read(path: Path) -> tuple[list[str], list[Requirement]]:
    """The lines of a requirements file without comments, and its requirements."""
    lines = [re.sub(r"(^|\s)#.*", "", raw).strip() for raw in path.read_text().splitlines()]
    lines = [line for line in lines if line]
    return lines, [Requirement(line) for line in lines if not line.startswith("-")]


def names(path: Path) -> set[str]:
    return {norm(requirement.name) for requirement in read(path)[1]}


def test_the_dev_file_starts_by_including_production():
    assert DEVELOPMENT.read_text().splitlines()[0] == "-r requirements.txt"
    assert read(DEVELOPMENT)[0][0] == "-r requirements.txt"
    assert not [line for line in read(PRODUCTION)[0] if line.startswith("-")]  # no include, no option


@pytest.mark.parametrize("path", [PRODUCTION, DEVELOPMENT], ids=lambda path: path.name)
def test_every_package_is_pinned_with_double_equals(path):
    requirements = read(path)[1]
    assert requirements
    loose = [str(r) for r in requirements
             if r.url or [(s.operator, "*" in s.version) for s in r.specifier] != [("==", False)]]
    assert not loose, f"not pinned with == in {path.name}: {loose}"


def test_no_test_or_development_tool_is_in_production():
    assert not DEV_TOOLS & names(PRODUCTION)
    assert names(DEVELOPMENT) >= DEV_TOOLS


def test_no_package_is_in_both_files():
    assert not names(PRODUCTION) & names(DEVELOPMENT)


def test_make_run_installs_production_only_and_the_test_targets_add_the_dev_tools(tmp_path):
    def planned(target: str) -> str:  # what make would run for a fresh .venv
        return subprocess.run(["make", "-n", f"VENV={tmp_path / 'venv'}", target], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout

    run = planned("run")
    assert "pip install --disable-pip-version-check -q -r requirements.txt" in run
    assert "requirements-dev.txt" not in run
    for target in ("test", "test-fast", "lint"):
        assert "pip install --disable-pip-version-check -q -r requirements-dev.txt" in planned(target)


def imported_packages(source: str) -> set[str]:
    """Top-level names of the absolute imports in source, at any depth."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@functools.cache
def production_names() -> frozenset[str]:
    return frozenset(names(PRODUCTION))


@functools.cache
def module_providers() -> dict[str, list[str]]:
    return metadata.packages_distributions()  # reads every installed package's file list


def outside_production(modules: set[str]) -> dict[str, list[str]]:
    """Each imported module that is neither ours, nor the standard library's, nor
    installed by a package of requirements.txt, with the distributions that provide it."""
    providers, production = module_providers(), production_names()
    return {
        module: providers.get(module, [])
        for module in sorted(modules - OWN_PACKAGES - set(sys.stdlib_module_names))
        if not any(norm(dist) in production for dist in providers.get(module, []))
    }


def runtime_files():
    for name in RUNTIME_SOURCES:
        path = ROOT / name
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def test_the_import_check_sees_a_dev_tool_and_an_unknown_module():
    modules = imported_packages("import json\nfrom playwright.sync_api import sync_playwright\n"
                                "def f():\n    import no_such_module_here\n    from . import sibling\n")
    assert outside_production(modules) == {"no_such_module_here": [], "playwright": ["playwright"]}


def test_runtime_code_imports_only_production_packages():
    offenders = {}
    for path in runtime_files():
        found = outside_production(imported_packages(path.read_text()))
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert not offenders, f"imports of packages requirements.txt does not install: {offenders}"
