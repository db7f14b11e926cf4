"""When rspamd cannot give a verdict the message is unscanned (ScannerUnavailable), never ham."""
import socket
import threading

import pytest

from mailcore.filters import rspamd as engine
from mailcore.filters.types import ScannerUnavailable
from tests.support.services_filters import free_port, rspamd  # noqa: F401

pytestmark = pytest.mark.slow
RAW = b"From: bob@example.org\r\nTo: alice@example.test\r\nSubject: hi\r\n\r\nhello\r\n"


def check():
    return engine.check(RAW, mail_from="bob@example.org", recipients=["alice@example.test"],
                        client_ip="192.0.2.25", helo="mx.example.org")


def test_rspamd_not_running_is_unavailable(settings):
    settings.HOPTHU_RSPAMD_URL = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(ScannerUnavailable, match="rspamd at http://127"):
        check()


def test_an_rspamd_that_never_answers_times_out(settings):
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    thread.start()
    settings.HOPTHU_RSPAMD_URL = f"http://127.0.0.1:{listener.getsockname()[1]}"
    settings.HOPTHU_RSPAMD_TIMEOUT = 0.5
    try:
        with pytest.raises(ScannerUnavailable, match="timed out"):
            check()
    finally:
        thread.join(5)
        for connection, _address in accepted:
            connection.close()
        listener.close()


def test_the_controller_is_not_a_scanner(settings, rspamd):  # noqa: F811
    # A misconfigured URL (the controller, which wants a password for /checkv2) is an error
    # with rspamd's own words, not a zero score.
    settings.HOPTHU_RSPAMD_URL = rspamd.controller_url

    with pytest.raises(ScannerUnavailable, match="checkv2 answered"):
        check()


def test_no_url_configured_is_unavailable(settings):
    settings.HOPTHU_RSPAMD_URL = ""

    with pytest.raises(ScannerUnavailable, match="HOPTHU_RSPAMD_URL"):
        check()
