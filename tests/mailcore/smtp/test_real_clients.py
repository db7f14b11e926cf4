"""Mail clients written by others against the MX port: swaks and curl (Debian packages,
installed by scripts/test-services). A missing client fails the test, never skips it."""
import shutil
import subprocess

import pytest

from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message

from .conftest import wait_for


def tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; scripts/test-services installs it")
    return path


def run(*args, input_text=None):
    return subprocess.run(args, capture_output=True, text=True, input=input_text, timeout=60)


def inbox(account):
    return Message.objects.filter(account=account, folder__name="INBOX")


def test_swaks_delivers_through_the_mx_port(alice, mail_host):
    result = run(tool("swaks"), "--server", f"127.0.0.1:{mail_host.ports['smtp']}", "--from", "bob@example.net",
                 "--to", "alice@example.test", "--header", "Subject: via swaks", "--body", "Xin chao")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "250 2.0.0 OK: queued as" in result.stdout
    message = wait_for(lambda: inbox(alice).first(), what="delivery")
    assert message.subject == "via swaks"


def test_swaks_with_starttls(alice, mail_host):
    result = run(tool("swaks"), "--server", f"127.0.0.1:{mail_host.ports['smtp']}", "--tls",
                 "--from", "bob@example.net", "--to", "alice@example.test", "--header", "Subject: tls")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TLS started" in result.stdout
    message = wait_for(lambda: inbox(alice).first(), what="delivery")
    assert b"with ESMTPS" in fetch_raw(message)


@pytest.mark.parametrize("recipient", ["victim@example.net", "victim%example.net@example.test",
                                       "\"victim@example.net\"@example.test"])
def test_swaks_cannot_relay(alice, mail_host, recipient):
    result = run(tool("swaks"), "--server", f"127.0.0.1:{mail_host.ports['smtp']}", "--from", "bob@example.net",
                 "--to", recipient)
    assert result.returncode != 0
    assert "250 2.0.0 OK: queued" not in result.stdout


def test_swaks_pipelining(alice, bob, mail_host):
    result = run(tool("swaks"), "--server", f"127.0.0.1:{mail_host.ports['smtp']}", "--pipeline",
                 "--from", "carol@example.net", "--to", "alice@example.test,bob@example.test")
    assert result.returncode == 0, result.stdout + result.stderr
    wait_for(lambda: inbox(alice).exists() and inbox(bob).exists(), what="delivery to both")


def test_curl_smtp_upload(alice, mail_host, tmp_path):
    message = tmp_path / "message.eml"
    message.write_bytes(b"From: bob@example.net\r\nTo: alice@example.test\r\nSubject: via curl\r\n\r\nHello\r\n")
    result = run(tool("curl"), "--silent", "--show-error", f"smtp://127.0.0.1:{mail_host.ports['smtp']}",
                 "--mail-from", "bob@example.net", "--mail-rcpt", "alice@example.test", "--upload-file", str(message))
    assert result.returncode == 0, result.stderr
    assert wait_for(lambda: inbox(alice).first(), what="delivery").subject == "via curl"


def test_curl_with_required_starttls(alice, mail_host, tmp_path):
    message = tmp_path / "message.eml"
    message.write_bytes(b"From: bob@example.net\r\nTo: alice@example.test\r\nSubject: curl tls\r\n\r\nHello\r\n")
    result = run(tool("curl"), "--silent", "--show-error", "--ssl-reqd", "--insecure",
                 f"smtp://127.0.0.1:{mail_host.ports['smtp']}", "--mail-from", "bob@example.net",
                 "--mail-rcpt", "alice@example.test", "--upload-file", str(message))
    assert result.returncode == 0, result.stderr
    assert b"with ESMTPS" in fetch_raw(wait_for(lambda: inbox(alice).first(), what="delivery"))


def test_curl_relay_is_refused(alice, mail_host, tmp_path):
    message = tmp_path / "message.eml"
    message.write_bytes(b"Subject: relay\r\n\r\nx\r\n")
    result = run(tool("curl"), "--silent", "--show-error", f"smtp://127.0.0.1:{mail_host.ports['smtp']}",
                 "--mail-from", "bob@example.net", "--mail-rcpt", "victim@example.net", "--upload-file", str(message))
    assert result.returncode != 0
    assert "554" in result.stderr or "RCPT failed" in result.stderr
