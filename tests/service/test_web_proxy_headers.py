"""Issue 16 (low): the web process believes X-Forwarded-For only from the proxy that
HOPTHU_BEHIND_PROXY names; otherwise anyone could pick the address their failed logins
are counted under. Runs the Procfile's own web line."""
import http.cookiejar
import re
import sqlite3
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def web_command() -> str:
    """The Procfile's web line, as honcho runs it (through sh)."""
    procfile = (Path(__file__).resolve().parents[2] / "Procfile").read_text()
    return next(line.split(":", 1)[1].strip() for line in procfile.splitlines() if line.startswith("web:"))


def failed_login_address(procs, env, forwarded_for: str) -> str:
    """Start the web process, fail a sign-in with a forged X-Forwarded-For, and return the
    address the lockout counted it under."""
    env = {**env, "HOPTHU_SECURE_COOKIES": "0"}  # plain http://127.0.0.1, as under `make run`
    try:
        procs.manage(env, "migrate", "--noinput", "-v0")
    except subprocess.CalledProcessError as error:
        raise AssertionError(error.stderr) from None
    procs.manage(env, "collectstatic", "--noinput", "-v0")  # as `make run` does (manifest storage)
    env = {**env, "PATH": f"{Path(env['PYTHON']).parent}:{env['PATH']}"}
    web = subprocess.Popen(["sh", "-c", web_command()], cwd=procs.ROOT, env=env, start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{env['HOPTHU_WEB_PORT']}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        def login_page():
            try:
                return opener.open(base + "/accounts/login/", timeout=5).read().decode()
            except (urllib.error.URLError, ConnectionError):
                return None

        page = procs.wait_for(login_page, 60, what="the web process")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": "nobody@example.test",
                                       "password": "wrong"}).encode()
        request = urllib.request.Request(base + "/accounts/login/", data=form, headers={
            "X-Forwarded-For": forwarded_for, "Referer": base + "/accounts/login/"})
        opener.open(request, timeout=10).read()
    finally:
        procs.kill_tree(web)
    with sqlite3.connect(Path(env["HOPTHU_VAR_DIR"]) / "hopthu.sqlite3") as db:
        return db.execute("SELECT remote_ip FROM mailauth_loginfailure").fetchone()[0]


def test_a_forged_forwarded_for_is_ignored_without_a_named_proxy(process_env, procs):
    process_env.pop("HOPTHU_BEHIND_PROXY", None)
    assert failed_login_address(procs, process_env, "203.0.113.9") == "127.0.0.1"


def test_the_named_proxys_forwarded_for_is_believed(process_env, procs):
    process_env["HOPTHU_BEHIND_PROXY"] = "127.0.0.1"
    assert failed_login_address(procs, process_env, "203.0.113.9") == "203.0.113.9"
