"""Whenever clamd gives no clear verdict the message counts as unscanned (ScannerUnavailable),
never as clean: the domain policy then tempfails it or lets it through."""
import socket
import threading

import pytest

from mailcore.filters import clamav
from mailcore.filters.types import ScannerUnavailable
from tests.support.services_filters import clamd, free_port  # noqa: F401

pytestmark = pytest.mark.slow


def test_clamd_not_running_is_unavailable(settings):
    settings.HOPTHU_CLAMD = f"127.0.0.1:{free_port()}"  # nothing listens there

    with pytest.raises(ScannerUnavailable, match=r"clamd at 127\.0\.0\.1"):
        clamav.scan(b"Subject: hi\r\n\r\nhello\r\n")


def test_a_mail_over_clamds_stream_limit_is_unavailable_not_clean(settings, clamd):  # noqa: F811
    settings.HOPTHU_CLAMD = clamd
    oversize = b"Subject: big\r\n\r\n" + b"x" * (1024 * 1024 + 1)  # the test clamd's StreamMaxLength is 1M

    with pytest.raises(ScannerUnavailable, match="size limit exceeded"):
        clamav.scan(oversize)


def test_a_clamd_that_never_answers_times_out(settings):
    # A socket that accepts and then says nothing, like a wedged clamd.
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    thread.start()
    settings.HOPTHU_CLAMD = f"127.0.0.1:{listener.getsockname()[1]}"
    settings.HOPTHU_CLAMD_TIMEOUT = 0.5
    try:
        with pytest.raises(ScannerUnavailable, match="timed out"):
            clamav.scan(b"Subject: hi\r\n\r\nhello\r\n")
    finally:
        thread.join(5)
        for connection, _address in accepted:
            connection.close()
        listener.close()


def test_a_setting_that_is_not_host_and_port_is_unavailable(settings):
    settings.HOPTHU_CLAMD = "localhost"

    with pytest.raises(ScannerUnavailable, match="HOPTHU_CLAMD"):
        clamav.scan(b"x")
