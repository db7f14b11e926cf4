"""deploy/systemd: every unit runs a program of this checkout (as installed in /opt/hopthu)
with the settings file, and the example settings name only settings the code reads."""
import configparser
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))


def unit(path):
    parser = configparser.RawConfigParser(strict=False, delimiters=("=",))
    parser.optionxform = str
    parser.read(path)
    return parser


def test_there_is_a_unit_per_procfile_process():
    assert [path.name for path in UNITS] == ["hopthu-beat.service", "hopthu-mailcore.service",
                                             "hopthu-web.service"]


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_a_unit_starts_a_program_of_the_checkout_with_the_settings(path):
    service = unit(path)["Service"]
    assert service["EnvironmentFile"] == "/etc/hopthu/hopthu.env"
    assert service["User"] == "hopthu" and service["WorkingDirectory"] == "/opt/hopthu"
    for word in service["ExecStart"].split():
        if word.startswith("/opt/hopthu/") and ".venv" not in word:
            assert (ROOT / word.removeprefix("/opt/hopthu/")).exists(), word


def test_the_mail_core_unit_runs_what_the_procfile_runs():
    procfile = (ROOT / "Procfile").read_text()
    worker = re.search(r"^worker: .*$", procfile, re.M).group(0)
    start = unit(ROOT / "deploy/systemd/hopthu-mailcore.service")["Service"]["ExecStart"]
    assert "scripts/only-main-signals celery -A config worker --mailcore" in worker
    assert "scripts/only-main-signals celery -A config worker --mailcore" in start


def test_the_example_settings_are_settings_the_code_reads():
    readers = [*(ROOT / "config").glob("*.py"), ROOT / "scripts" / "web"]  # scripts/web reads the web's bind
    code = "\n".join(path.read_text() for path in readers)
    names = re.findall(r"^([A-Z_]+)=", (ROOT / "deploy" / "hopthu.env.example").read_text(), re.M)
    unread = [name for name in names if f'"{name}"' not in code and f"${name}" not in code]
    assert names and unread == []
