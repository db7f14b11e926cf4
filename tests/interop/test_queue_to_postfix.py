"""HopThu's outbound queue delivers to Postfix: over STARTTLS, retried after Postfix's 4xx,
bounced to the sender after its 5xx; and to Postfix's smtp-sink."""
import os
import pwd
import re
import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from mailcore.delivery.models import QueueRecipient
from tests.support.postfix import HOSTNAME, free_port

from .conftest import flush_outbound, wait_for

pytestmark = pytest.mark.slow


def raw_message(subject: str, to: str) -> bytes:
    return (f"From: Alice <alice@example.test>\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '.')}@example.test>\r\n\r\nHello Postfix.\r\n").encode()


def test_rfc3207_the_queue_delivers_to_postfix_over_starttls(alice, hopthu, peer, submit):
    submit(raw_message("over tls", "carol@postfix.test"), ["carol@postfix.test"])
    assert flush_outbound(expect=1) == 1
    [message] = peer.wait_for_mail("carol@postfix.test")
    assert message["Subject"] == "over tls"
    assert message["Return-Path"] == "<alice@example.test>"
    received = " ".join(message.get_all("Received")[0].split())
    assert received.startswith("from mx.example.test (")  # HopThu's EHLO name
    assert re.search(r"\(using TLSv1\.[23] with cipher \S+ \(\d+/\d+ bits\)", received), received
    assert f"by {HOSTNAME} (Postfix) with ESMTPS id " in received
    assert message["DKIM-Signature"] is not None  # signed by HopThu before it left
    peer.wait_for_log(r"smtpd\[\d+\]: Anonymous TLS connection established from \S+\[127\.0\.0\.1\]: TLSv1\.[23]")
    recipient = QueueRecipient.objects.get(address="carol@postfix.test")
    assert recipient.status == "delivered" and recipient.last_result.startswith("250 ")


def test_rfc5321_4_2_5_a_4yz_from_postfix_is_retried_until_accepted(alice, hopthu, peer, submit, inbox):
    peer.set_recipient_access({"dave@postfix.test": "450 4.2.0 Mailbox busy, try again later"})
    submit(raw_message("try again", "dave@postfix.test"), ["dave@postfix.test"])
    assert flush_outbound(expect=1) == 1
    recipient = QueueRecipient.objects.get(address="dave@postfix.test")
    assert (recipient.status, recipient.attempts) == ("deferred", 1)
    assert "450 4.2.0" in recipient.last_result and "Mailbox busy" in recipient.last_result
    assert recipient.next_attempt > timezone.now()
    peer.wait_for_log(r"NOQUEUE: reject: RCPT from \S+: 450 4\.2\.0 <dave@postfix\.test>")
    assert peer.mailbox("dave@postfix.test") == []

    peer.set_recipient_access({})  # the mailbox is free again
    # The retry is due later (delivery/local.retry_delay); move the clock, not the queue's code.
    QueueRecipient.objects.filter(pk=recipient.pk).update(next_attempt=timezone.now() - timedelta(seconds=1))
    assert flush_outbound() == 1
    recipient.refresh_from_db()
    assert (recipient.status, recipient.attempts) == ("delivered", 2)
    [message] = peer.wait_for_mail("dave@postfix.test")
    assert message["Subject"] == "try again"
    assert inbox("alice@example.test", count=0) == []  # no bounce, no delay notice


def test_rfc3464_a_5yz_from_postfix_bounces_to_the_sender_naming_postfix(alice, hopthu, peer, submit, inbox):
    submit(raw_message("to nobody", "nobody@postfix.test"), ["nobody@postfix.test"])
    assert flush_outbound(expect=1) == 1
    recipient = QueueRecipient.objects.get(address="nobody@postfix.test")
    assert recipient.status == "failed"
    [bounce] = inbox("alice@example.test")
    assert bounce["Return-Path"] == "<>"
    assert bounce.get_content_type() == "multipart/report"
    assert bounce.get_param("report-type") == "delivery-status"
    report = next(part for part in bounce.walk() if part.get_content_type() == "message/delivery-status")
    status = report.get_payload()[1]
    assert status["Final-Recipient"] == "rfc822; nobody@postfix.test"
    assert status["Action"] == "failed" and status["Status"] == "5.1.1"
    # RFC 3464 §2.3.5: the server whose reply failed the mail, by the MX name HopThu used.
    assert status["Remote-MTA"] == f"dns; {HOSTNAME}"
    diagnostic = " ".join(str(status["Diagnostic-Code"]).split())
    assert diagnostic.startswith("smtp; 550 5.1.1 <nobody@postfix.test>: Recipient address rejected: User unknown")
    returned = next(part for part in bounce.walk() if part.get_content_type() in ("message/rfc822",
                                                                                   "text/rfc822-headers"))
    assert "to nobody" in returned.as_string()


@pytest.fixture
def smtp_sink(settings):
    """Postfix's smtp-sink on a free port, dumping each transaction into a folder."""
    folder = Path(tempfile.mkdtemp(prefix="hopthu-smtp-sink."))
    account = pwd.getpwnam("postfix")  # smtp-sink run as root drops to this user
    os.chmod(folder, 0o755)
    os.chown(folder, account.pw_uid, account.pw_gid)
    port = free_port()
    process = subprocess.Popen(["/usr/sbin/smtp-sink", "-u", "postfix", "-h", "sink.postfix.test",
                                "-d", f"{folder}/%H%M%S.", f"127.0.0.1:{port}", "10"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    wait_for(lambda: _answers(port) or process.poll() is not None, what="smtp-sink")
    if process.poll() is not None:
        pytest.fail(f"smtp-sink exited: {process.stdout.read().decode(errors='replace')}")
    settings.HOPTHU_OUTBOUND_PORT = port
    yield folder
    process.terminate()
    process.wait(timeout=10)
    subprocess.run(["rm", "-rf", str(folder)], check=False)


def _answers(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            return sock.recv(256).startswith(b"220 ")
    except OSError:
        return False


def test_the_queue_delivers_to_smtp_sink(alice, hopthu, smtp_sink, submit):
    submit(raw_message("into the sink", "anyone@postfix.test"), ["anyone@postfix.test", "other@postfix.test"])
    assert flush_outbound(expect=2) == 2
    assert set(QueueRecipient.objects.values_list("status", flat=True)) == {"delivered"}
    dumps = wait_for(lambda: [path for path in smtp_sink.iterdir() if path.stat().st_size], what="a dump file")
    time.sleep(0.2)  # smtp-sink writes the file as the DATA arrives
    [dump] = dumps
    text = dump.read_text(errors="replace")
    # smtp-sink's dump: the envelope as X- fields, then the message as it arrived.
    assert "X-Client-Addr: 127.0.0.1" in text
    assert "X-Helo-Args: mx.example.test" in text
    assert "X-Mail-Args: alice@example.test" in text.replace("<", "").replace(">", "")
    assert text.count("X-Rcpt-Args:") == 2  # both recipients in one transaction
    assert "Subject: into the sink" in text
