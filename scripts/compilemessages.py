#!/usr/bin/env python3
"""Compile every locale/<lang>/LC_MESSAGES/*.po of the project to .mo with Babel.

Pure Python, so `make run` needs no gettext from apt. Like Django's compilemessages
(msgfmt --check-format without --use-fuzzy): fuzzy entries are left out and a format
error fails the run. A .mo newer than its .po is left alone; no catalogs is not an error.
"""
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "var", "node_modules", ".git"}


def catalogs(root: Path):
    for po in sorted(root.rglob("LC_MESSAGES/*.po")):
        if SKIP.isdisjoint(po.relative_to(root).parts):
            yield po


def compile_one(po: Path, force: bool) -> list[str]:
    mo = po.with_suffix(".mo")
    if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return []
    locale = po.parent.parent.name
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    errors = [f"{po}:{message.lineno}: {error}"
              for message, errs in catalog.check() for error in errs]
    if errors:
        return errors
    tmp = mo.with_name(f".{mo.name}.tmp")
    with tmp.open("wb") as f:
        write_mo(f, catalog, use_fuzzy=False)
    tmp.replace(mo)
    print(f"compiled {mo.relative_to(ROOT)}")
    return []


def main(argv: list[str]) -> int:
    force = "--force" in argv
    found = list(catalogs(ROOT))
    if not found:
        print("no translation catalogs (*.po) found; nothing to compile")
        return 0
    errors = [error for po in found for error in compile_one(po, force)]
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
