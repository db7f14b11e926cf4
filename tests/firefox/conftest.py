"""Firefox tests: Debian's firefox-esr, headless, driven over WebDriver BiDi (tests/firefox/bidi.py).

Playwright's Firefox is a patched build that must be downloaded, and geckodriver is not
packaged in Debian; Firefox itself speaks BiDi when started with --remote-debugging-port.
Port 0 lets it pick a free port, which it writes to WebDriverBiDiServer.json in the
profile: no race for a port. One Firefox for tests/firefox, one BiDi session per module, one
private tab (its own user context, so its own cookies) per test.

The client is synchronous (plain sockets), so no event loop runs in the test thread and
Django's async-safety guard stays as it is, unlike the Playwright tests.
"""
import contextlib
import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from tests.conftest import PASSWORD
from tests.firefox.bidi import BiDiError, Session, Tab
from tests.firefox.websocket import WebSocketError

FIREFOX = shutil.which("firefox-esr") or "/usr/bin/firefox-esr"

# user.js: the remote agent already sets its "recommended" testing prefs (no first-run
# pages, no update checks); these keep a test run offline, quiet and in English.
PREFS = {
    "intl.accept_languages": "en-US",
    "intl.locale.requested": "en-US",
    "browser.shell.checkDefaultBrowser": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "app.normandy.enabled": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "services.settings.server": "data:,#remote-settings-offline",
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "browser.safebrowsing.update.enabled": False,
}

pytestmark = pytest.mark.slow


def bidi_port(profile, process, timeout=30.0):
    """Wait for Firefox to write the port its BiDi server listens on."""
    path = profile / "WebDriverBiDiServer.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"firefox-esr exited with {process.returncode} before BiDi was listening")
        try:
            return json.loads(path.read_text())["ws_port"]
        except (FileNotFoundError, ValueError, KeyError):  # not written yet, or half written
            time.sleep(0.05)
    pytest.fail(f"firefox-esr wrote no {path.name} within {timeout:.0f} s")


@pytest.fixture(scope="package")
def firefox_process(tmp_path_factory):
    """One firefox-esr for the tests of this directory, from the first to the last: its
    start-up is most of the cost (3 to 10 s on a busy machine), a new session is not."""
    if not os.path.exists(FIREFOX):
        pytest.fail("Debian's firefox-esr is not installed (scripts/test-services installs it)")
    profile = tmp_path_factory.mktemp("firefox-profile")
    (profile / "user.js").write_text("".join(
        f"user_pref({json.dumps(name)}, {json.dumps(value)});\n" for name, value in PREFS.items()))
    log = (profile.parent / "firefox.log").open("wb")
    env = {**os.environ, "MOZ_CRASHREPORTER_DISABLE": "1", "TZ": "UTC"}
    # Its own process group: Firefox starts content processes, and all of them go at the end.
    process = subprocess.Popen(
        [FIREFOX, "--headless", "--no-remote", "--profile", str(profile), "--remote-debugging-port=0",
         "about:blank"], stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        port = bidi_port(profile, process)
        yield port
        try:  # a clean exit, so content processes are not orphaned
            Session("127.0.0.1", port).close_browser()
        except (OSError, WebSocketError, BiDiError):
            process.terminate()
    finally:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # content processes left behind, if any
        log.close()


@pytest.fixture(scope="module")
def firefox(firefox_process):
    """A WebDriver BiDi session for one test module (Firefox takes one at a time)."""
    session = Session("127.0.0.1", firefox_process)
    yield session
    session.end()


@pytest.fixture
def web(settings, live_server):
    """The live server's base URL, with cookies a plain-HTTP test server can set
    (as tests/browser/conftest.py)."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ACCOUNT_RATE_LIMITS = False
    return live_server.url


@pytest.fixture
def tab(firefox, web):
    tab = Tab(firefox, base_url=web)
    yield tab
    tab.close()


def sign_in(tab, address, password=PASSWORD):
    """Sign in through the real form, typing as a user would."""
    tab.goto("/accounts/login/")
    tab.type("input[name=login]", address)
    tab.type("input[name=password]", password)
    tab.click("button[type=submit]")
    tab.wait_for_url("/mail/folder/")


@pytest.fixture
def alice_tab(tab, alice):
    sign_in(tab, "alice@example.test")
    return tab
