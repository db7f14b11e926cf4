"""Issue 16 (low): safe defaults outside `make run`."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setting_in_a_fresh_process(name: str, env_overrides: dict) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOPTHU_LOOPBACK")}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="config.settings")
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True, timeout=60).stdout.strip()


def test_loopback_is_not_secure_by_default(tmp_path):
    assert setting_in_a_fresh_process("HOPTHU_LOOPBACK_IS_SECURE", {"HOPTHU_VAR_DIR": str(tmp_path)}) == "False"


def test_make_run_turns_it_on_and_an_operator_may_turn_it_off():
    serve = (ROOT / "scripts" / "serve").read_text()
    assert 'export HOPTHU_LOOPBACK_IS_SECURE="${HOPTHU_LOOPBACK_IS_SECURE:-1}"' in serve


def test_the_proxy_protocol_is_off_by_default(tmp_path):
    assert setting_in_a_fresh_process("HOPTHU_PROXY_NETWORKS", {"HOPTHU_VAR_DIR": str(tmp_path)}) == "[]"
    networks = setting_in_a_fresh_process("HOPTHU_PROXY_NETWORKS", {
        "HOPTHU_VAR_DIR": str(tmp_path), "HOPTHU_PROXY_NETWORKS": "10.0.0.7, 2001:db8::/48"})
    assert networks == "['10.0.0.7/32', '2001:db8::/48']"


def test_a_proxy_network_that_is_no_network_stops_the_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOPTHU_PROXY")}
    env.update(HOPTHU_VAR_DIR=str(tmp_path), HOPTHU_PROXY_NETWORKS="10.0.0.0/8,haproxy",
               DJANGO_SETTINGS_MODULE="config.settings")
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode != 0
    assert "ImproperlyConfigured: HOPTHU_PROXY_NETWORKS" in done.stderr
