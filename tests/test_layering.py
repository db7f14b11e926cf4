"""The store has one read side (DESIGN.md, issue 15 point 4): the protocols and the
webmail read folders and messages through mailcore/store's functions, never through the
store's models or the database themselves, so a count or an order is the same in every
client."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Protocol packages that may not touch the database or any app's models directly.
PROTOCOLS = ["mailcore/imap", "mailcore/pop3", "mailcore/smtp"]
STORE_MODELS = {"Message", "Folder", "Blob", "Expunged", "FolderCounter"}


def python_files(package: str):
    return sorted((ROOT / package).rglob("*.py"))


def imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            yield node.lineno, module
            for alias in node.names:  # "from mailcore.store import models"
                yield node.lineno, f"{module}.{alias.name}"


def forbidden_import(module: str) -> bool:
    parts = module.split(".")
    return module == "django.db" or module.startswith("django.db.") or "models" in parts


@pytest.mark.parametrize("package", PROTOCOLS)
def test_protocols_import_neither_the_database_nor_models(package):
    found = [f"{path.relative_to(ROOT)}:{line} imports {module}"
             for path in python_files(package)
             for line, module in imported_modules(ast.parse(path.read_text()))
             if forbidden_import(module)]
    assert found == []


def store_model_queries(tree: ast.AST):
    """Lines where a store model's manager is used: Message.objects…, Folder.objects…"""
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr == "objects"
                and isinstance(node.value, ast.Name) and node.value.id in STORE_MODELS):
            yield node.lineno, node.value.id


def test_the_webmail_reads_the_store_only_through_its_functions():
    found = [f"{path.relative_to(ROOT)}:{line} queries {model}"
             for path in python_files("webmail")
             for line, model in store_model_queries(ast.parse(path.read_text()))]
    assert found == []


def test_the_checks_see_a_violation():
    """The two checks above find what they look for (so an empty result means something)."""
    sample = ast.parse("from django.db import connection\nfrom mailcore.store.models import Message\n"
                       "rows = Message.objects.filter(uid=1)\n")
    assert [m for _line, m in imported_modules(sample) if forbidden_import(m)] == [
        "django.db", "django.db.connection", "mailcore.store.models", "mailcore.store.models.Message"]
    assert list(store_model_queries(sample)) == [(3, "Message")]
