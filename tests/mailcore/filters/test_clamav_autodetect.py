"""Virus scanning by default where it can be: a clamd running on the machine (its Unix
socket, as Debian's clamav-daemon makes it, or the LocalSocket its clamd.conf names) is
used without configuration; an explicit HOPTHU_CLAMD, "off" included, wins; no clamd, or
a socket file nobody answers on, means mail is delivered unscanned, not refused.

The real clamd of the suite (EICAR signature) listens on a Unix socket in a temporary
directory; HOPTHU_CLAMD_SEARCH points the autodetection at it instead of /etc/clamav.
"""
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mailcore.filters import clamav
from mailcore.store.models import Message
from tests.mailcore.smtp.conftest import wait_for
from tests.support.services_filters import clamd, clamd_socket  # noqa: F401

from .conftest import clean_message, send_raw
from .test_scan_virus_mx import infected

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def auto(settings):
    settings.HOPTHU_CLAMD = "auto"
    return settings


def stale_socket(path: Path) -> str:
    """A socket file with no listener behind it: what a stopped clamd may leave."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.close()
    return str(path)


def test_auto_is_the_default_and_looks_where_debian_puts_clamd():
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("HOPTHU_CLAMD", "HOPTHU_CLAMD_SEARCH", "DJANGO_SETTINGS_MODULE")}
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings"
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; "
                               "print(settings.HOPTHU_CLAMD, *settings.HOPTHU_CLAMD_SEARCH)"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=True).stdout.split()
    assert shown == ["auto", "/etc/clamav/clamd.conf", "/run/clamav/clamd.ctl"]


def test_a_clamd_socket_on_the_machine_is_found(auto, clamd_socket, tmp_path):  # noqa: F811
    auto.HOPTHU_CLAMD_SEARCH = [str(tmp_path / "absent.conf"), str(tmp_path / "absent.ctl"), clamd_socket]
    assert clamav.scanner() == clamav.Scanner(path=clamd_socket, detected=True)


def test_the_local_socket_named_in_clamd_conf_is_found(auto, clamd_socket, tmp_path):  # noqa: F811
    conf = tmp_path / "clamd.conf"
    conf.write_text("# Debian's file, shortened\nLocalSocketGroup clamav\n"
                    f"LocalSocket {clamd_socket}\nLocalSocketMode 666\nUser clamav\n")
    auto.HOPTHU_CLAMD_SEARCH = [str(conf), stale_socket(tmp_path / "other.ctl")]
    assert clamav.scanner().path == clamd_socket


def test_a_clamd_conf_naming_a_missing_socket_is_passed_over(auto, clamd_socket, tmp_path):  # noqa: F811
    conf = tmp_path / "clamd.conf"
    conf.write_text(f"LocalSocket {tmp_path / 'not-running.ctl'}\n")
    auto.HOPTHU_CLAMD_SEARCH = [str(conf), clamd_socket]
    assert clamav.scanner().path == clamd_socket


def test_nothing_found_means_no_scanning(auto, tmp_path):
    (tmp_path / "not-a-socket").write_text("")  # a regular file without LocalSocket
    auto.HOPTHU_CLAMD_SEARCH = [str(tmp_path / "not-a-socket"), str(tmp_path / "missing.ctl"), "rel\0ative"]
    assert clamav.scanner() is None and not clamav.enabled()


def test_the_found_clamd_refuses_a_virus_at_the_mx(alice, mail_host, auto, clamd_socket):  # noqa: F811
    auto.HOPTHU_CLAMD_SEARCH = [clamd_socket]
    _replies, (code, text) = send_raw(mail_host.ports["smtp"], infected())
    assert code == 554 and text.startswith(b"5.7.1 Message refused: it contains a virus (Eicar")
    assert send_raw(mail_host.ports["smtp"], clean_message().as_bytes())[1][0] == 250
    wait_for(lambda: Message.objects.filter(account=alice).exists(), what="delivery")


def test_off_wins_over_a_clamd_on_the_machine(alice, mail_host, settings, clamd_socket):  # noqa: F811
    settings.HOPTHU_CLAMD = "off"
    settings.HOPTHU_CLAMD_SEARCH = [clamd_socket]
    assert clamav.scanner() is None
    assert send_raw(mail_host.ports["smtp"], infected())[1][0] == 250
    wait_for(lambda: Message.objects.filter(account=alice).exists(), what="delivery")


def test_an_explicit_address_wins_over_the_search(settings, clamd, tmp_path):  # noqa: F811
    settings.HOPTHU_CLAMD = clamd
    settings.HOPTHU_CLAMD_SEARCH = [stale_socket(tmp_path / "clamd.ctl")]
    host, _sep, port = clamd.rpartition(":")
    assert clamav.scanner() == clamav.Scanner(host=host, port=int(port))
    assert clamav.scan(infected()).infected


@pytest.mark.parametrize("spelling", ["{}", "unix:{}"])
def test_an_explicit_socket_path_is_used(settings, clamd_socket, spelling):  # noqa: F811
    settings.HOPTHU_CLAMD = spelling.format(clamd_socket)
    assert clamav.scanner() == clamav.Scanner(path=clamd_socket)
    assert clamav.scan(infected()).infected and not clamav.scan(clean_message().as_bytes()).infected


def test_a_stale_socket_found_by_the_search_delivers_unscanned(alice, mail_host, auto, tmp_path):
    auto.HOPTHU_CLAMD_SEARCH = [stale_socket(tmp_path / "clamd.ctl")]
    with pytest.raises(clamav.NotRunning):
        clamav.scan(b"Subject: hi\r\n\r\nhello\r\n")
    assert send_raw(mail_host.ports["smtp"], clean_message().as_bytes())[1][0] == 250
    wait_for(lambda: Message.objects.filter(account=alice).exists(), what="delivery")


def test_a_named_socket_nobody_answers_on_is_a_scanner_that_is_down(alice, mail_host, settings, tmp_path):
    settings.HOPTHU_CLAMD = stale_socket(tmp_path / "clamd.ctl")
    _replies, (code, text) = send_raw(mail_host.ports["smtp"], clean_message().as_bytes())
    assert code == 451 and text.startswith(b"4.7.1 The virus scanner is unavailable")
